"""The hand-set models as JSON, for the Explorer page that runs them in the reader's browser.

The Explorer (``docs/explorer.md``, with ``docs/javascripts/explorer-model.js`` doing the
arithmetic) recomputes, in float64 JavaScript, the same equations as
`lstm_explainer.cells`: the France LSTM of `lstm_explainer.france` for any sentence,
what-if variant and forget-gate bias, and the turnstile ReLU RNN of
`lstm_explainer.turnstile`. It needs only the numbers, and this module exports them
(`model_json`, one file added to the site by the MkDocs hook):

* every France array of `france_weights.matrices` in PyTorch's layout, at the designed
  forget-gate bias, and the positions that ``matrices(b)`` fills with ``b`` (found by
  building it for two biases and comparing), so the page rebuilds ``matrices(b)`` for
  any ``b`` its control offers;
* each variant of `france.VARIANTS` as the gates it holds for each vocabulary word
  (`france.held_gates` looks at the word only, never at its position; checked here);
* the characters that separate words (`separators`: every character the tokenizer's
  pattern leaves out of a word, so Python's whitespace and `france.PUNCTUATION`), so the
  page splits a sentence exactly as `FranceLSTM.tokenize` does;
* the turnstile's weights, one-hot inputs and linear readouts.

``tests/test_export.py`` rebuilds the models from the JSON and compares them with the
package's; ``tests/browser/test_explorer.py`` compares the page's numbers with
``FranceLSTM(...).trace(...)`` and `turnstile.run`.
"""

from __future__ import annotations

import functools
import json
import sys

import numpy as np

from .. import france, france_weights, turnstile
from ..cells import GATES
from ..france import SENTENCE, VARIANTS, FranceLSTM, held_gates

MODEL_FILE = "javascripts/explorer-models.json"
"""Where the JSON goes in the site: next to the page's scripts, which load it relatively."""

EXAMPLES = (
    SENTENCE,
    "In France, I ate",
    "In Italy, I ate",
    "In Germany, Frank ate his",
    "In England, Mary did not like the",
    "Mary ate her croissant but",
)
"""The example sentences the page offers, the walkthrough's first."""

BIAS_CONTROL = {"min": -2.0, "max": 8.0, "step": 0.5}
"""The range of forget-gate biases the page's slider offers (the designed value is in it)."""

_PROBE_BIASES = (0.123456789, -4.56789)
"""Two biases no weight equals, to find where ``matrices(b)`` puts ``b``."""


def forget_bias_positions() -> dict[str, list[int]]:
    """For each array of ``matrices``, the flat indices that hold the forget-gate bias.

    Raises ``ValueError`` if an entry depends on the bias other than by being equal to it,
    since the page could not rebuild such an array.
    """
    a, b = (france_weights.matrices(bias) for bias in _PROBE_BIASES)
    positions = {}
    for name in a:
        changed = np.flatnonzero(a[name] != b[name])
        for array, bias in ((a[name], _PROBE_BIASES[0]), (b[name], _PROBE_BIASES[1])):
            if not np.all(array.flat[changed] == bias):
                raise ValueError(f"matrices()[{name!r}] depends on the forget bias other than by holding it.")
        if changed.size:
            positions[name] = changed.tolist()
    return positions


@functools.cache
def separators() -> str:
    """Every character that `FranceLSTM.tokenize` never puts in a word, in code-point order.

    Taken from the tokenizer's own pattern, run over every Unicode character, so the page
    cannot drift from it (about 0.4 s).
    """
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    # the pattern matches runs of word characters: what lies between them separates words
    return "".join(france._TOKEN.split(every_character))


def held_by_word(variant: str) -> dict[str, list]:
    """The gates ``variant`` holds, per vocabulary word: for each held gate, one entry per
    word of `VOCAB`, ``None`` where that word leaves the gate free, else a row per unit
    (``None`` for "as computed", as NaN in `held_gates`).

    Raises ``ValueError`` if the variant holds a gate differently for the same word at two
    positions (the page looks up the word only).
    """
    vocab, units = list(france_weights.VOCAB), len(france_weights.UNITS)
    forward = held_gates(variant, vocab, units) or {}
    backward = held_gates(variant, vocab[::-1], units) or {}
    out = {}
    for gate in GATES:
        if gate not in forward:
            if gate in backward:
                raise ValueError(f"variant {variant!r} holds gate {gate!r} depending on the word order.")
            continue
        rows = forward[gate]
        if not np.array_equal(rows, backward[gate][::-1], equal_nan=True):
            raise ValueError(f"variant {variant!r} holds gate {gate!r} depending on the position, not the word.")
        out[gate] = [
            None if np.isnan(row).all() else [None if np.isnan(v) else float(v) for v in row] for row in rows
        ]
    return out


def _rows(array: np.ndarray) -> list:
    return np.asarray(array, dtype=float).tolist()


def france_model() -> dict:
    """Everything the page needs to run `FranceLSTM` for any sentence, variant and bias."""
    model = FranceLSTM()  # the designed forget bias
    return {
        "sentence": SENTENCE,
        "examples": list(EXAMPLES),
        "separators": separators(),
        "vocab": list(france_weights.VOCAB),
        "inputs": list(france_weights.INPUTS),
        "units": list(france_weights.UNITS),
        "memory_units": list(france_weights.MEMORY_UNITS),
        "gates": list(GATES),
        "embedding": _rows(model.embedding),
        "weight_ih": _rows(model.cell.weight_ih),
        "weight_hh": _rows(model.cell.weight_hh),
        "bias_ih": _rows(model.cell.bias_ih),
        "bias_hh": _rows(model.cell.bias_hh),
        "readout": _rows(model.readout),
        "forget_bias": {
            "designed": float(france_weights.FORGET_BIAS),
            "positions": forget_bias_positions(),
            **BIAS_CONTROL,
        },
        "variants": {
            name: {"description": description, "held": held_by_word(name)} for name, description in VARIANTS.items()
        },
    }


def turnstile_model() -> dict:
    """Everything the page needs to run the hand-set turnstile RNN step by step."""
    cell = turnstile.turnstile_cell()
    return {
        "inputs": {symbol: list(vector) for symbol, vector in turnstile.INPUTS.items()},
        "units": list(turnstile.UNITS),
        "nonlinearity": cell.nonlinearity,
        "weight_ih": _rows(cell.weight_ih),
        "weight_hh": _rows(cell.weight_hh),
        "bias_ih": _rows(cell.bias_ih),
        "bias_hh": _rows(cell.bias_hh),
        "readout": {name: [float(w) for w in weights] for name, weights in turnstile.READOUT.items()},
    }


@functools.cache
def model_json() -> bytes:
    """Both models as compact JSON (floats written so they read back exactly)."""
    data = {"france": france_model(), "turnstile": turnstile_model()}
    return json.dumps(data, separators=(",", ":"), allow_nan=False).encode("utf-8")


def site_files() -> dict[str, bytes]:
    """The site files the pages that run models need: site path -> bytes (the Explorer's
    `MODEL_FILE`, and the character page's files of `lstm_explainer.sitegen.export_chars`)."""
    from . import export_chars

    return {MODEL_FILE: model_json(), **export_chars.site_files()}
