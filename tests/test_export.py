"""The Explorer's JSON (lstm_explainer.sitegen.export) rebuilds exactly the package's models.

Each test reads the JSON as the page does, rebuilds what the page rebuilds (the weights for a
forget-gate bias, the held gates of a variant, the words of a sentence, the turnstile cell)
and compares it with the package. The page's own arithmetic is checked in the browser
(tests/browser/test_explorer.py).
"""

import json
import random
import re

import numpy as np
import pytest

from lstm_explainer import france, france_weights, turnstile
from lstm_explainer.cells import LSTMCell, RNNCell
from lstm_explainer.france import SENTENCE, VARIANTS, FranceLSTM, held_gates
from lstm_explainer.sitegen import export

BIASES = [-2.0, -0.5, 0.0, 0.5, 1.0, 2.5, 6.0, 7.5, 8.0, 0.1, 1e-3]


@pytest.fixture(scope="module")
def data():
    return json.loads(export.model_json())


def rebuilt_matrices(france: dict, forget_bias: float) -> dict[str, np.ndarray]:
    """What explorer-model.js's franceWeights does: the exported arrays, the bias put back."""
    arrays = {name: np.array(france[name], dtype=float) for name in france_weights.matrices()}
    for name, positions in france["forget_bias"]["positions"].items():
        arrays[name].flat[positions] = forget_bias
    return arrays


@pytest.mark.parametrize("bias", BIASES)
def test_the_weights_rebuild_exactly_for_any_forget_bias(data, bias):
    expected = france_weights.matrices(bias)
    rebuilt = rebuilt_matrices(data["france"], bias)
    assert rebuilt.keys() == expected.keys()
    for name in expected:
        assert rebuilt[name].shape == expected[name].shape, name
        assert np.array_equal(rebuilt[name], expected[name]), name


def test_the_exported_arrays_are_the_designed_model(data):
    france, model = data["france"], FranceLSTM()
    assert france["forget_bias"]["designed"] == france_weights.FORGET_BIAS == model.forget_bias
    for name, array in france_weights.matrices().items():
        assert np.array_equal(np.array(france[name]), array), name
    assert np.array_equal(np.array(france["bias_hh"]), model.cell.bias_hh)
    assert (france["vocab"], france["units"], france["inputs"]) == (
        list(france_weights.VOCAB), list(france_weights.UNITS), list(france_weights.INPUTS))  # fmt: skip
    assert france["memory_units"] == list(france_weights.MEMORY_UNITS)
    assert france["sentence"] == SENTENCE == france["examples"][0]
    control = france["forget_bias"]
    assert control["min"] <= control["designed"] <= control["max"]
    assert ((control["designed"] - control["min"]) / control["step"]).is_integer()


def test_a_cell_built_from_the_json_traces_like_france_lstm(data):
    for bias in (0.0, 6.0):
        m = rebuilt_matrices(data["france"], bias)
        cell = LSTMCell(m["weight_ih"], m["weight_hh"], m["bias_ih"], np.array(data["france"]["bias_hh"]))
        model = FranceLSTM(forget_bias=bias)
        tokens = model.tokenize(SENTENCE)
        ours = cell.run(m["embedding"][[data["france"]["vocab"].index(t) for t in tokens]])
        theirs = model.trace(SENTENCE).cell
        for name in ("i", "f", "g", "o", "c", "h"):
            assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name


def rebuilt_held(france: dict, variant: str, tokens: list[str]) -> dict[str, np.ndarray]:
    """What explorer-model.js's heldGates does, with NaN where the page has null."""
    held = {}
    for gate, by_word in france["variants"][variant]["held"].items():
        rows = [by_word[france["vocab"].index(token)] for token in tokens]
        held[gate] = np.array(
            [[np.nan] * len(france["units"]) if row is None else [np.nan if v is None else v for v in row] for row in rows]
        )
    return held


def test_every_variant_holds_the_same_gates_as_held_gates(data):
    rng = random.Random(0)
    vocab, units = list(france_weights.VOCAB), len(france_weights.UNITS)
    sentences = [FranceLSTM().tokenize(SENTENCE), ["but"], ["but", "but", "the"]]
    sentences += [[rng.choice(vocab) for _ in range(rng.randint(1, 25))] for _ in range(40)]
    assert list(data["france"]["variants"]) == list(VARIANTS)
    for variant, description in VARIANTS.items():
        assert data["france"]["variants"][variant]["description"] == description
        for tokens in sentences:
            expected = held_gates(variant, tokens, units) or {}
            rebuilt = rebuilt_held(data["france"], variant, tokens)
            assert rebuilt.keys() == expected.keys(), variant
            for gate in expected:
                assert np.array_equal(rebuilt[gate], expected[gate], equal_nan=True), (variant, gate, tokens)


def test_the_separators_split_sentences_as_tokenize_does(data):
    separators = data["france"]["separators"]
    pattern = re.compile("[^" + re.escape(separators) + "]+")  # the page's pattern, in Python
    model = FranceLSTM()
    texts = [
        SENTENCE, "In France,Mary\u00a0ate;her!croissant?", "mary\u2003ate\x1cher\x1fcroissant",
        "In\tFrance\n\nI ate...", "İstanbul ΣΑΣ wine", "a,b.c;d:e!f?g h\u3000i\u2028j\ufeffk",
    ]  # fmt: skip
    for text in texts:
        assert pattern.findall(text.lower()) == france._TOKEN.findall(text.lower()), text  # tokenize's pattern
    assert model.tokenize("In France,Mary\u00a0ate;her!croissant?") == pattern.findall("in france,mary\u00a0ate;her!croissant?")
    assert set(",.;:!? \t\n\u00a0\u3000") <= set(separators)
    assert not set("abcdefghijklmnopqrstuvwxyz'-\ufeff") & set(separators)


def test_every_example_is_a_sentence_of_the_vocabulary(data):
    model = FranceLSTM()
    for sentence in data["france"]["examples"]:
        assert model.tokenize(sentence)


def test_the_turnstile_rebuilds_and_runs_like_the_package(data):
    t = data["turnstile"]
    assert t["units"] == list(turnstile.UNITS)
    assert t["inputs"] == {symbol: list(vector) for symbol, vector in turnstile.INPUTS.items()}
    assert t["readout"] == {name: [float(w) for w in weights] for name, weights in turnstile.READOUT.items()}
    cell = RNNCell(t["weight_ih"], t["weight_hh"], t["bias_ih"], t["bias_hh"], nonlinearity=t["nonlinearity"])
    rng = random.Random(1)
    for _ in range(30):
        inputs = [rng.choice(["coin", "push"]) for _ in range(rng.randint(1, 20))]
        h = cell.run(np.array([t["inputs"][s] for s in inputs], dtype=float)).h
        expected = turnstile.run(inputs)
        assert h.tolist() == [step["h"] for step in expected]
        readouts = {name: h @ np.array(w) for name, w in t["readout"].items()}
        assert [round(v) for v in readouts["coins"]] == [s["coins"] for s in expected]
        assert [round(v) for v in readouts["passes"]] == [s["passes"] for s in expected]
        assert [bool(v > 0.5) for v in readouts["walk"]] == [s["walk"] for s in expected]


def test_the_json_is_small_and_the_same_every_time(data):
    text = export.model_json()
    assert len(text) < 40_000
    again = json.dumps({"france": export.france_model(), "turnstile": export.turnstile_model()},
                       separators=(",", ":"), allow_nan=False).encode()  # fmt: skip
    assert again == text
    from lstm_explainer.sitegen import export_chars

    files = export.site_files()
    assert files[export.MODEL_FILE] == text
    assert set(files) == {export.MODEL_FILE, export_chars.MODEL_FILE, export_chars.CORPUS_FILE}


def test_a_bias_the_page_could_not_rebuild_fails_loudly(monkeypatch):
    original = france_weights.matrices

    def doubled(forget_bias=france_weights.FORGET_BIAS):
        m = original(forget_bias)
        m["bias_ih"][0] = 2 * forget_bias  # a weight the page could not rebuild from positions
        return m

    monkeypatch.setattr(export.france_weights, "matrices", doubled)
    with pytest.raises(ValueError, match="depends on the forget bias"):
        export.forget_bias_positions()


def test_a_variant_that_depends_on_the_position_fails_loudly(monkeypatch):
    def first_word(variant, tokens, units):
        held = np.full((len(tokens), units), np.nan)
        held[0] = 1.0
        return {"f": held}

    monkeypatch.setattr(export, "held_gates", first_word)
    with pytest.raises(ValueError, match="position"):
        export.held_by_word("standard")
