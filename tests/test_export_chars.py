"""The character page's files (lstm_explainer.sitegen.export_chars) read back as the page reads them.

The page's own arithmetic is checked in the browser (tests/browser/test_chars_page.py).
"""

import base64
import json

import numpy as np
import pytest

from lstm_explainer import char_corpus
from lstm_explainer.experiments import char_units
from lstm_explainer.experiments.char_model import STATE_NAMES
from lstm_explainer.sitegen import export, export_chars


@pytest.fixture(scope="module")
def model():
    return json.loads(export_chars.model_json())


@pytest.fixture(scope="module")
def corpus():
    return json.loads(export_chars.corpus_json())


def test_the_weights_are_the_exported_state_in_float16(model):
    raw = np.frombuffer(base64.b64decode(model["weights"]), dtype="<f2").astype(np.float64)
    exported, offset = char_units.exported_state(), 0
    for entry, name in zip(model["arrays"], STATE_NAMES):
        assert entry["name"] == name
        n = int(np.prod(entry["shape"]))
        np.testing.assert_array_equal(raw[offset : offset + n].reshape(entry["shape"]), exported[name])
        offset += n
    assert offset == raw.size
    full = char_units.state()
    for name in STATE_NAMES:  # float16 keeps 11 significant bits
        assert np.all(np.abs(exported[name] - full[name]) <= np.abs(full[name]) * 2.0**-11 + 2.0**-25)


def test_float16_barely_moves_the_bits_per_character(model):
    bits = model["bits_per_character"]
    assert abs(bits["float16"] - bits["float32"]) <= 3e-5  # TOOLCHAIN.md: at most 3e-5 measured


def test_vocabulary_units_and_bounds(model):
    assert model["vocab"] == char_corpus.VOCAB and model["other"] == char_corpus.OTHER
    found = char_units.results()["features"]
    assert [u["feature"] for u in model["units"]] == [f["name"] for f in found]
    for unit, f in zip(model["units"], found):
        assert unit["unit"] == f["unit"] and unit["held_out"] == f["held_out"]
        assert f"{unit['kind']}{unit['index']}" == unit["unit"]
        assert unit["measure"] == ("AUC" if f["binary"] else "r")
    assert model["limits"] == {"chars": export_chars.MAX_CHARS, "top": export_chars.TOP}


def test_the_corpus_bits_are_the_hidden_units_above_the_threshold(corpus):
    text = corpus["text"]
    assert len(text) == export_chars.CORPUS_CHARS
    bits = np.frombuffer(base64.b64decode(corpus["bits"]), dtype=np.uint8).reshape(len(text), -1)
    on = np.unpackbits(bits, axis=1, bitorder="little").astype(bool)
    first = corpus["files"][0]
    end = corpus["files"][1]["start"] if len(corpus["files"]) > 1 else len(text)
    piece = text[first["start"] : min(end, 1500)]
    h = export_chars.reference(piece)["h"]
    np.testing.assert_array_equal(on[: len(piece)], h > export_chars.THRESHOLD)
    assert 0.02 < on.mean() < 0.5


def test_the_reference_is_float64_from_the_exported_state():
    ref = export_chars.reference("def f(x):\n")
    assert ref["h"].dtype == np.float64 and ref["probs"].shape == (10, len(char_corpus.VOCAB))
    np.testing.assert_allclose(ref["probs"].sum(axis=1), 1, atol=1e-12)
    with pytest.raises(char_units.InputError):
        export_chars.reference("")


def test_the_site_gets_both_files():
    files = export.site_files()
    assert export_chars.MODEL_FILE in files and export_chars.CORPUS_FILE in files
    assert len(files[export_chars.MODEL_FILE]) < 200_000  # loaded on the page's first visit
