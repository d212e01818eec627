"""The hand-set France LSTM: the walkthrough's claims, its next-word guesses, and torch parity."""

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_explainer import france_weights as weights
from lstm_explainer.checks import InputError
from lstm_explainer.france import SENTENCE, FranceLSTM

MEMORY = list(weights.MEMORY_UNITS)


@pytest.fixture(scope="module")
def walk():
    """The walkthrough sentence, with a helper to read a value at a token."""
    trace = FranceLSTM().trace(SENTENCE)
    return trace, trace.tokens.index


def at(trace, name, t, unit):
    return float(getattr(trace.cell, name)[t, weights.UNITS.index(unit)])


def test_tokens_of_the_walkthrough(walk):
    trace, _ = walk
    assert trace.tokens == "in france mary ate her croissant but frank did not like the wine".split()


def test_input_phase_at_france(walk):
    trace, index = walk
    t = index("france")
    assert at(trace, "i", t, "seen_france") >= 0.9
    assert all(at(trace, "i", t, unit) <= 0.1 for unit in weights.UNITS if unit != "seen_france")
    # the candidate proposes more France and less Englishness; only France gets through
    assert at(trace, "g", t, "seen_france") > 0
    assert at(trace, "g", t, "englishness") < 0
    assert at(trace, "c_prev", t, "seen_france") <= 0.1 and at(trace, "c", t, "seen_france") >= 0.9
    assert abs(at(trace, "c", t, "englishness") - at(trace, "c_prev", t, "englishness")) < 0.1


@pytest.mark.parametrize("word, gender", [("mary", "female"), ("frank", "male")])
def test_input_phase_at_a_person(walk, word, gender):
    trace, index = walk
    t = index(word)
    rise = at(trace, "c", t, "people") - at(trace, "c_prev", t, "people")
    assert rise == pytest.approx(1, abs=0.1)
    assert at(trace, "c", t, gender) >= 0.9


def test_forget_phase_at_but(walk):
    trace, index = walk
    t = index("but")
    assert at(trace, "f", t, "eating") <= 0.1
    assert all(at(trace, "f", t, unit) >= 0.9 for unit in ("seen_france", "female", "people"))
    assert at(trace, "c_prev", t, "eating") >= 0.9 and at(trace, "c", t, "eating") < 0.1


def test_output_phase_at_ate_shows_the_female_person(walk):
    trace, index = walk
    t = index("ate")
    assert at(trace, "o", t, "female") >= 0.9 and at(trace, "h", t, "female") > 0.5
    assert at(trace, "o", index("mary"), "female") <= 0.1  # kept in the cell, not shown, before


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("In France, Mary ate", ["her"]),
        ("In France, Mary ate her", ["croissant"]),
        ("In France, I ate", ["croissant", "baguette", "cheese"]),
        ("In Italy, I ate", ["pizza", "pasta", "bruschetta"]),
    ],
)
def test_next_word_guesses(prefix, expected):
    guesses = FranceLSTM().predict(prefix, k=len(expected))
    assert [word for word, _ in guesses] == expected


@pytest.mark.parametrize("forget_bias", [weights.FORGET_BIAS, 1.0, 0.0, -2.0])
def test_same_numbers_as_torch_modules(forget_bias):
    model = FranceLSTM(forget_bias=forget_bias)
    trace = model.trace(SENTENCE)
    embedding, cell, readout = model.to_torch()
    ids = torch.tensor([model.vocab.index(token) for token in trace.tokens])
    h = c = torch.zeros(1, len(model.units), dtype=torch.float64)
    with torch.no_grad():
        for t, x in enumerate(embedding(ids)):
            h, c = cell(x[None], (h, c))
            probs = torch.softmax(readout(h), dim=-1)[0].numpy()
            np.testing.assert_allclose(c[0].numpy(), trace.cell.c[t], rtol=0, atol=1e-12)
            np.testing.assert_allclose(h[0].numpy(), trace.cell.h[t], rtol=0, atol=1e-12)
            np.testing.assert_allclose(probs, trace.probs[t], rtol=0, atol=1e-12)


def test_forget_bias_is_the_memory_units_forget_bias():
    H = len(weights.UNITS)
    for value in (0.0, 1.0, 6.0):
        bias_f = FranceLSTM(forget_bias=value).cell.bias_ih[H : 2 * H]
        assert bias_f[: len(MEMORY)].tolist() == [value] * len(MEMORY)
    # with a forget bias of 0 the memory halves at every word: France is nearly gone by "wine"
    trace = FranceLSTM(forget_bias=0.0).trace(SENTENCE)
    assert at(trace, "c", -1, "seen_france") < 0.01


def test_every_weight_is_set_once_by_a_rule_with_a_reason():
    rules = weights.rules()
    keys = [(r.block, r.row, r.column) for r in rules]
    assert len(keys) == len(set(keys))
    assert all(r.why.strip() and r.value != 0 for r in rules)
    m = weights.matrices()
    nonzero = sum(int((m[name] != 0).sum()) for name in ("weight_ih", "bias_ih", "weight_hh", "readout"))
    assert nonzero == len(rules)
    # the recurrent weights are exactly the rules whose column names a unit of h(t-1)
    recurrent = {(weights.gate_row(r.block, r.row), weights.UNITS.index(r.column.removeprefix("h:")))
                 for r in rules if r.column.startswith("h:")}  # fmt: skip
    assert recurrent and {tuple(map(int, rc)) for rc in zip(*np.nonzero(m["weight_hh"]))} == recurrent


# --- the recurrent weights: the gates read h(t-1) where the walkthrough says so -----------------


def test_the_and_of_word_and_previous_output_needs_both():
    bias, word, h = weights.AND_BIAS, 2 * weights.S, weights.RECUR * weights.SHOWN
    assert bias + word + h >= weights.S  # both: open
    assert max(bias + word, bias + h, bias) <= -weights.S + 0.2  # either alone, or none: shut


@pytest.mark.parametrize("word, gate, unit, reads", weights.READS_PREVIOUS)
def test_zeroing_weight_hh_changes_each_gate_the_prose_names(walk, word, gate, unit, reads):
    trace, index = walk
    t = index(word)
    flat = FranceLSTM(recurrent=False).trace(SENTENCE)
    assert abs(at(trace, gate, t, unit) - at(flat, gate, t, unit)) >= 0.5
    # it is the previous output's unit `reads` that opens it
    assert at(trace, "h", t - 1, reads) > 0.7
    model = FranceLSTM()
    model.set_weight(gate, unit, f"h:{reads}", 0.0)
    assert abs(at(trace, gate, t, unit) - at(model.trace(SENTENCE), gate, t, unit)) >= 0.5


def test_the_walkthrough_quotes_exactly_the_steps_the_tests_check():
    from lstm_explainer.sitegen.facts import NUMBERS

    page = (Path(__file__).resolve().parents[1] / "docs" / "walkthrough.md").read_text()
    quoted = set(re.findall(r"\{\{\s*walk_([a-z]+)_([ifgo])_([a-z_]+?)_norec\s*\}\}", page))
    assert quoted == {(word, gate, unit) for word, gate, unit, _ in weights.READS_PREVIOUS}
    flat = FranceLSTM(recurrent=False).trace(SENTENCE)
    for word, gate, unit, reads in weights.READS_PREVIOUS:
        value = float(NUMBERS[f"walk_{word}_{gate}_{unit}_norec"]())
        assert value == pytest.approx(at(flat, gate, flat.tokens.index(word), unit), abs=5e-4)
        assert f"`{unit}`" in page and f"`{reads}`" in page


@pytest.mark.parametrize("sentence", ["France", "Mary ate France", "In Mary France"])
def test_a_country_not_right_after_in_writes_nothing(sentence):
    trace = FranceLSTM().trace(sentence)
    t = trace.tokens.index("france")
    assert at(trace, "i", t, "seen_france") < 0.01 and at(trace, "c", t, "seen_france") < 0.01


@pytest.mark.parametrize("sentence", ["In France, her", "In France, the", "In France, Mary her"])
def test_a_determiner_not_after_a_verb_announces_no_food(sentence):
    trace = FranceLSTM().trace(sentence)
    assert at(trace, "i", -1, "expect_food") < 0.01
    assert at(FranceLSTM().trace("In France, Mary ate her"), "i", -1, "expect_food") > 0.99


def test_without_recurrent_weights_no_country_is_written_and_the_foods_tie():
    flat = FranceLSTM(recurrent=False)
    assert not flat.cell.weight_hh.any() and FranceLSTM().cell.weight_hh.any()
    trace = flat.trace(SENTENCE)
    assert all(at(trace, "c", -1, unit) < 0.01 for unit in weights.COUNTRY_UNITS)
    p = dict(flat.predict("In France, I ate", k=len(weights.VOCAB)))
    assert abs(p["croissant"] - p["pizza"]) < 1e-3
    assert FranceLSTM().predict("In France, I ate", k=1)[0][0] == "croissant"


@pytest.mark.parametrize("value", [1, None, "no"])
def test_recurrent_must_be_a_bool(value):
    with pytest.raises(InputError, match="recurrent must be True or False"):
        FranceLSTM(recurrent=value)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("In Germany, Frank ate his", ["sausage", "pretzel", "strudel"]),
        ("In England, I did not like the", ["pie", "scones", "crumpets"]),
        ("in ITALY, mary ate her", ["pizza", "pasta", "bruschetta"]),
    ],
)
def test_sentences_it_was_not_tuned_on(sentence, expected):
    assert [w for w, _ in FranceLSTM().predict(sentence, k=len(expected))] == expected


def test_required_units_are_named():
    assert {"seen_france", "englishness", "female", "male", "people", "eating"} <= set(weights.UNITS)


def test_tokenize_lowercases_and_drops_punctuation():
    assert FranceLSTM().tokenize("In ITALY; I ate pasta!") == ["in", "italy", "i", "ate", "pasta"]
    assert FranceLSTM().tokenize("in,france.i") == ["in", "france", "i"]


@pytest.mark.parametrize(
    "sentence, message",
    [
        ("In Paris, I ate", r"unknown word 'paris'; closest in the vocabulary: pasta "),
        ("In France, I ate 3 croissants", r"^2 unknown words: '3' \(nothing close\), 'croissants' \(closest: croissant\); the vocabulary's 29 words: in france "),
            ("In Paris", r"^unknown word 'paris'; closest in the vocabulary: pasta \(the vocabulary's 29 words: in "),
        ("In Frañce", r"unknown word 'frañce'; closest in the vocabulary: france"),
        ("Mary's croissant", r"unknown word \"mary's\"; closest in the vocabulary: mary"),
        ("", "the sentence has no words"),
        (" ,. !", "the sentence has no words"),
        (None, "a sentence must be text"),
    ],
)
def test_bad_sentences_get_one_clear_sentence(sentence, message):
    with pytest.raises(InputError, match=message) as error:
        FranceLSTM().trace(sentence)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("k", [0, -1, 30, 2.5, True])
def test_predict_rejects_a_bad_k(k):
    with pytest.raises(InputError, match="k must be between 1 and 29"):
        FranceLSTM().predict("In France, I ate", k=k)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "6", None])
def test_forget_bias_must_be_a_finite_number(value):
    with pytest.raises(InputError, match="forget_bias must be a finite number"):
        FranceLSTM(forget_bias=value)


@pytest.mark.parametrize(
    "args, message",
    [
        (("x", "eating", "but", 0.0), "unknown block 'x'"),
        (("f", "eating", "because", 0.0), r"no weight \('eating', 'because'\) in block 'f'"),
        (("readout", "her", "female", float("nan")), "a weight must be a finite number"),
        (("i", "seen_france", "h:paris", 1.0), r"no weight \('seen_france', 'h:paris'\) in block 'i'"),
        (("readout", "her", "h:female", 1.0), r"no weight \('her', 'h:female'\) in block 'readout'"),
    ],
)
def test_set_weight_names_what_is_wrong(args, message):
    with pytest.raises(InputError, match=message):
        FranceLSTM().set_weight(*args)


def test_set_weight_changes_the_named_gate_weight():
    model = FranceLSTM()
    model.set_weight("f", "eating", "bias", 0.0)
    assert model.trace("In").cell.f[0, weights.UNITS.index("eating")] == 0.5
    model.set_weight("o", "people", "h:expect_place", 1.5)
    assert model.cell.weight_hh[weights.gate_row("o", "people"), weights.UNITS.index("expect_place")] == 1.5


def test_variants_hold_the_named_gate():
    model = FranceLSTM()
    eating = weights.UNITS.index("eating")
    standard = model.trace(SENTENCE)
    kept = model.trace(SENTENCE, variant="forget_kept_at_but")
    but = kept.tokens.index("but")
    assert (kept.cell.f[but] == 1.0).all()
    assert standard.cell.c[but, eating] < 0.05 < 0.9 < kept.cell.c[but, eating]
    np.testing.assert_array_equal(kept.cell.c[:but], standard.cell.c[:but])
    assert (model.trace(SENTENCE, variant="no_output_gate").cell.o == 1.0).all()
    assert (model.trace(SENTENCE, variant="no_forget_gate").cell.f == 1.0).all()


def test_an_unknown_variant_names_the_variants():
    with pytest.raises(InputError, match="unknown variant 'nope'; the variants are: standard, "):
        FranceLSTM().trace("In France", variant="nope")
