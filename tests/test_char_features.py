"""The ground truth per character: brackets, strings, comments, indentation, column; and the sampler."""

import numpy as np
import pytest

from lstm_explainer import char_corpus, char_features, sampling
from lstm_explainer.char_features import bracket_pairs, features, scan
from lstm_explainer.checks import InputError


def marks(text, name):
    return "".join(str(min(int(v), 9)) for v in features(text)[name])


def test_each_feature_on_a_small_program():
    text = 'def f(x):\n    if x:  # a (\n        return [1,\n  2]\n    s = "a(b"\n'
    lines = text.split("\n")
    f = features(text)
    starts = np.cumsum([0] + [len(line) + 1 for line in lines[:-1]])
    # line 1: "(" opens at column 5 and ")" closes at 7: inside after "(" and "x", outside after ")"
    assert f["in_brackets"][starts[0] + 5 : starts[0] + 7].tolist() == [1, 1] and f["in_brackets"][starts[0] + 7] == 0
    # the "(" inside the comment of line 2 opens nothing; the comment runs from "#" to the line's end
    assert not f["in_brackets"][starts[1] : starts[2]].any()
    comment = lines[1].index("#")
    assert f["in_comment"][starts[1] + comment : starts[2] - 1].all() and f["in_comment"][starts[2] - 1] == 0
    # "[" on line 3 stays open across the newline until "]" on line 4
    assert f["in_brackets"][starts[2] + lines[2].index("[") : starts[3] + 3].all()
    assert f["in_brackets"][starts[3] + 3] == 0
    # the string: from its opening quote to just before its closing quote; its "(" opens nothing
    quote = starts[4] + lines[4].index('"')
    assert f["in_string"][quote : quote + 4].all() and f["in_string"][quote + 4] == 0
    assert f["bracket_depth"][quote : quote + 5].max() == 0
    # indentation: leading spaces read so far; column: characters read on the line
    assert f["indent"][starts[2] : starts[2] + 10].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 8, 8]
    assert f["column"][starts[1] : starts[1] + 3].tolist() == [1, 2, 3]
    assert f["column"][starts[1] - 1] == len(lines[0]) + 1  # the newline ends line 1


def test_depth_counts_nesting_and_never_goes_below_zero():
    assert marks("a([{x}])b", "bracket_depth") == "012332100"
    assert marks(")) (x)", "bracket_depth") == "000110"


def test_prefixes_and_triple_quotes():
    text = "x = rb'a' + f\"\"\"b\n'c'\"\"\" + 1"
    f = features(text)
    assert marks(text, "in_string")[4:9] == "00110"  # r and b are outside; the closing quote too
    start = text.index('"""')
    end = text.rindex('"""')
    assert f["in_string"][start : end + 2].all() and f["in_string"][end + 2] == 0


def test_a_file_tokenize_rejects_gets_the_scanner():
    text = "x = (1,\n  'unclosed\n  # not a comment: inside brackets\n"  # tokenize: EOF in multi-line statement
    f = features(text)
    assert f["in_brackets"][text.index("(") :].all()
    assert f["in_string"][text.index("'") + 1] == 1
    assert f["in_comment"].any()  # the scanner still sees the comment
    bad_indent = "def f():\n  x = 1\n    y = 2\n"  # IndentationError
    assert features(bad_indent)["indent"].max() == 4


def test_scanner_agrees_with_tokenize_on_real_files():
    for path, text in char_corpus.corpus()["test"][:6]:
        from_tokenize = char_features._spans_from_tokenize(text)
        assert from_tokenize is not None, path
        assert scan(text) == from_tokenize, path


def test_bracket_pairs_match_innermost_first():
    assert bracket_pairs("f(a[1], (2))") == [(3, 5), (8, 10), (1, 11)]
    assert bracket_pairs("x = ')' + (1)") == [(10, 12)]


def test_every_feature_has_one_value_per_character_and_bad_input_is_refused():
    text = char_corpus.corpus()["validation"][0][1][:2000]
    f = features(text)
    assert set(f) == set(char_features.FEATURES) == set(char_features.BINARY) | set(char_features.GRADED)
    assert all(len(v) == len(text) for v in f.values())
    assert features("")["column"].shape == (0,)
    with pytest.raises(InputError, match="must be a string"):
        features(b"x = 1")


def test_mulberry32_is_the_javascript_generator():
    """First numbers for seed 42 as node 20 computes them with the docstring's JavaScript."""
    rng = sampling.Mulberry32(42)
    assert [rng.random() for _ in range(3)] == [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]
    rng = sampling.Mulberry32(0)
    values = [rng.random() for _ in range(10_000)]
    assert 0 <= min(values) and max(values) < 1 and abs(np.mean(values) - 0.5) < 0.01
    for bad in (-1, 2**32, 1.5, True, "1"):
        with pytest.raises(InputError, match="seed"):
            sampling.Mulberry32(bad)


def test_choose_is_the_inverse_cdf_and_softmax_respects_temperature():
    p = [0.2, 0.0, 0.5, 0.3]
    assert [sampling.choose(p, u) for u in (0.0, 0.19, 0.2, 0.69, 0.7, 0.999)] == [0, 0, 2, 2, 3, 3]
    assert sampling.choose([0.5, 0.49999999, 0.0], 0.99999999999) == 1  # rounding short of u: the last possible index
    z = np.array([1.0, 2.0, 3.0])
    cold, warm = sampling.softmax(z, 0.5), sampling.softmax(z, 2.0)
    assert cold.sum() == pytest.approx(1) and cold[2] > sampling.softmax(z, 1.0)[2] > warm[2]
    with pytest.raises(InputError, match="temperature"):
        sampling.softmax(z, 0)
