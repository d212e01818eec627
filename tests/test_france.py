"""The hand-set France LSTM: the walkthrough's claims, its next-word guesses, and torch parity."""

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
    nonzero = int((m["weight_ih"] != 0).sum() + (m["bias_ih"] != 0).sum() + (m["readout"] != 0).sum())
    assert nonzero == len(rules)
    assert not m["weight_hh"].any()


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
    ],
)
def test_set_weight_names_what_is_wrong(args, message):
    with pytest.raises(InputError, match=message):
        FranceLSTM().set_weight(*args)


def test_set_weight_changes_the_named_gate_weight():
    model = FranceLSTM()
    model.set_weight("f", "eating", "bias", 0.0)
    assert model.trace("In").cell.f[0, weights.UNITS.index("eating")] == 0.5


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
