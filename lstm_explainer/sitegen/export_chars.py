r"""The character LSTM for the page "Any text" (``docs/chars.md``), which runs it in the reader's browser.

The page (``docs/javascripts/chars-model.js`` doing the arithmetic, ``chars-page.js`` the
page) reads any text with the trained 64-unit character LSTM of
`lstm_explainer.experiments.char_model` and colours it by a unit, shows a character's gates
and next-character guesses, samples a continuation, and finds where the units of a selected
span fire in held-out code (select and match, after Strobelt et al., "LSTMVis", 2018). This
module writes what it needs, as two files the MkDocs hook adds to the site
(`site_files`), each loaded only by that page:

* `MODEL_FILE` (`model_json`), loaded when the page opens: the weights of
  `char_units.exported_state`, i.e. ``char_model.lstm_state()`` rounded to IEEE float16,
  little-endian, the arrays of `char_model.STATE_NAMES` one after the other in PyTorch's
  layout (gate order i, f, g, o), base64-encoded (96 KB of float16, 128 KB as text);
  the vocabulary (`char_corpus.VOCAB`, 97 symbols) and `char_corpus.OTHER`; the units found
  per feature with their held-out AUC or r (`char_units.results`); the page's bounds; and the
  bits per character on the held-out characters of `corpus_states` with the float32 weights
  and with the float16 ones (rounding moves it by about 1e-5 bits);
* `CORPUS_FILE` (`corpus_json`), loaded when the reader first selects a span: the first
  `CORPUS_CHARS` characters of the held-out test files (whole files in the manifest's order,
  the last one cut), each file read from a zero state, and for every character and hidden unit
  whether the unit is *on*: $h_j > \theta$ with $\theta$ = `THRESHOLD` (LSTMVis's rule, on
  the hidden state), packed 8 units to a byte (unit ``j`` in byte ``j // 8``, bit ``j % 8``,
  least significant first), base64-encoded.

The page computes in float64 from the float16 weights; `reference` computes the same in the
package (`char_units.CharLSTM` of `char_units.exported_state`, float64), so page and package
agree to the order of float64 sums (``tests/browser/test_chars_page.py`` allows 1e-9), and
`char_units.sample` with that state draws the characters the page's "continue" draws
(`lstm_explainer.sampling`). ``tests/test_export_chars.py`` reads the files back as the page
does.
"""

from __future__ import annotations

import base64
import functools
import json
import math

import numpy as np

from .. import char_corpus
from ..checks import InputError
from ..experiments import cache, char_units
from ..experiments.char_model import STATE_NAMES

MODEL_FILE = "javascripts/chars-model.json"
"""Where the model goes in the site: next to the page's scripts, which load it relatively."""

CORPUS_FILE = "javascripts/chars-corpus.json"
"""Where the held-out characters and their units' on/off bits go."""

CORPUS_CHARS = 20_000
"""Held-out characters whose unit states the page searches (select and match)."""

THRESHOLD = 0.5
r"""A hidden unit is *on* at a character when $h_j > \theta$ (LSTMVis thresholds $h$ the same way)."""

MAX_CHARS = 20_000
"""The longest text the page reads: a longer paste is cut there, with a message."""

TOP = 5
"""Next characters the page lists for the character under the pointer or focus."""

SAMPLE = {"count": 200, "max": char_units.MAX_TEXT, "temperature": 0.5, "min_temperature": 0.05,
          "max_temperature": 2.0, "step": 0.05, "seed": 1}  # fmt: skip
"""The page's sampling controls: characters drawn (default, most), temperature slider, seed."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def float16_bytes(state: dict) -> bytes:
    """The arrays of `STATE_NAMES`, in order, row-major, as little-endian IEEE float16 bytes."""
    return b"".join(np.asarray(state[name], np.float32).astype("<f2").tobytes() for name in STATE_NAMES)


def units() -> list[dict]:
    """The unit found for each feature (`char_units.results`), as the page lists them.

    Each: ``feature``, ``label``, ``unit`` (``"c35"``), ``kind`` (``"c"`` or ``"h"``),
    ``index`` (0 to H - 1), ``direction`` (``"high"``: high where the feature holds or rises
    with it; ``"low"``), ``measure`` (``"AUC"`` for a yes/no feature, ``"r"`` for a graded
    one), ``held_out`` (that score on the test files, in the direction fixed on validation)
    and ``untrained`` (the untrained network's best unit, scored the same way).
    """
    found = char_units.results()
    H = found["hidden"]
    return [{"feature": f["name"], "label": f["label"], "unit": f["unit"], "kind": f["unit"][0],
             "index": f["index"] % H, "direction": "high" if f["sign"] > 0 else "low",
             "measure": "AUC" if f["binary"] else "r", "held_out": f["held_out"], "untrained": f["untrained"]}
            for f in found["features"]]  # fmt: skip


def reference(text: str) -> dict[str, np.ndarray]:
    """What the page computes along ``text``, read from a zero state: float64, from `char_units.exported_state`.

    ``i``, ``f``, ``g``, ``o``, ``c``, ``h`` (T x H) after each character and ``probs``
    (T x 97): the next-character probabilities $\\mathrm{softmax}(W_{hy} h_t + b_y)$ after it.
    Any length (the page reads up to `MAX_CHARS`); ``InputError`` for an empty text.
    """
    if not isinstance(text, str) or not text:
        raise InputError("the text must be a non-empty string.")
    model = char_units.CharLSTM(char_units.exported_state())
    run = model.run(char_corpus.encode(text))
    z = model.logits(run.h)
    # $$p = \mathrm{softmax}(z) = e^{z - \max z} / \sum_j e^{z_j - \max z}$$
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return {"i": run.i, "f": run.f, "g": run.g, "o": run.o, "c": run.c, "h": run.h, "probs": p}


def _bits_per_character(model: char_units.CharLSTM, files: list[tuple[str, str]]) -> float:
    r"""Mean $-\log_2 p(x_t \mid x_{<t})$ over ``files``, each read from a zero state (float64 softmax)."""
    total, count = 0.0, 0
    for _, text in files:
        indices = char_corpus.encode(text)
        run = model.run(indices)
        h_before = np.vstack([np.zeros((1, model.hidden)), run.h[:-1]])
        z = model.logits(h_before).astype(np.float64)
        z -= z.max(axis=1, keepdims=True)
        total += float(((np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(indices)), indices]) / math.log(2)).sum())
        count += len(indices)
    return total / count


def corpus_states(chars: int, threshold: float, model_seed: int) -> dict:
    """The job behind `CORPUS_FILE` (cached): held-out characters and their hidden units' on/off bits.

    The first ``chars`` characters of the test files (`char_units._text_part`), each file read
    from a zero state by the exported model (float64). Returns ``text``, ``files`` (``path``
    and ``start``, the offset of its first character in ``text``), ``bits`` (base64 of T x H/8
    bytes, see the module docstring), ``share_on`` (the share of (character, unit) pairs on)
    and ``bits_per_character`` on these characters with the ``float32`` and the ``float16``
    (exported) weights.
    """
    config = char_units.CharUnitsConfig(model_seed=model_seed)
    files = char_units._text_part(char_corpus.corpus()["test"], chars)
    exported = char_units.CharLSTM(char_units.exported_state(config))
    on, starts, offset = [], [], 0
    for _, text in files:
        h = exported.run(char_corpus.encode(text)).h
        on.append(h > threshold)
        starts.append(offset)
        offset += len(text)
    on = np.concatenate(on)
    packed = np.packbits(on, axis=1, bitorder="little")  # T x H/8: unit j in byte j // 8, bit j % 8
    return {
        "text": "".join(text for _, text in files),
        "files": [{"path": path, "start": start} for (path, _), start in zip(files, starts)],
        "bits": _b64(packed.tobytes()),
        "share_on": float(on.mean()),
        "bits_per_character": {
            "float32": _bits_per_character(char_units.CharLSTM(char_units.state(config)), files),
            "float16": _bits_per_character(exported, files),
        },
    }


@functools.cache
def corpus() -> dict:
    """`corpus_states` for the page's settings (`CORPUS_CHARS`, `THRESHOLD`, the measured model), from the cache."""
    return cache.run_job(corpus_states, chars=CORPUS_CHARS, threshold=THRESHOLD,
                         model_seed=char_units.CONFIG.model_seed)  # fmt: skip


def model() -> dict:
    """Everything the page needs to run the model (see the module docstring)."""
    state = char_units.state()
    H = int(state["weight_hh"].shape[1])
    held = corpus()
    return {
        "hidden": H,
        "vocab": char_corpus.VOCAB,
        "other": char_corpus.OTHER,
        "gates": "ifgo",
        "arrays": [{"name": name, "shape": list(state[name].shape)} for name in STATE_NAMES],
        "weights": _b64(float16_bytes(state)),
        "units": units(),
        "limits": {"chars": MAX_CHARS, "top": TOP},
        "sample": SAMPLE,
        "corpus": {"chars": len(held["text"]), "files": len(held["files"]), "threshold": THRESHOLD,
                   "rule": "h > threshold"},  # fmt: skip
        "bits_per_character": held["bits_per_character"],
    }


@functools.cache
def model_json() -> bytes:
    """`model` as compact JSON."""
    return json.dumps(model(), separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode("utf-8")


@functools.cache
def corpus_json() -> bytes:
    """The held-out characters and bits as compact JSON: ``text``, ``files``, ``bits``, ``hidden``, ``threshold``."""
    held = corpus()
    data = {"text": held["text"], "files": held["files"], "bits": held["bits"],
            "hidden": char_units.results()["hidden"], "threshold": THRESHOLD}  # fmt: skip
    return json.dumps(data, separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode("utf-8")


def site_files() -> dict[str, bytes]:
    """The site files this module makes: site path -> bytes."""
    return {MODEL_FILE: model_json(), CORPUS_FILE: corpus_json()}
