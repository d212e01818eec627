r"""Python's own source as text for a character model: the corpus, its split, its vocabulary.

The corpus is a fixed selection of Python 3.11 standard-library files (real code nobody here
wrote, like the Linux kernel source of Karpathy, Johnson & Fei-Fei, "Visualizing and
Understanding Recurrent Networks", 2015). The files differ between Python releases, so the
selected text itself ships with the package, xz-compressed, in ``lstm_explainer/data/stdlib/``:
``corpus.xz`` (the files' bytes one after the other), ``manifest.json`` (path, split, size and
sha256 of each file, in that order; the Python version; the selection rule) and
``LICENSE-PSF.txt`` (the PSF license it is distributed under). ``scripts/make-corpus`` made it.
The split into training, validation and test is by file and fixed.

The vocabulary has 97 symbols: newline, the 95 printable ASCII characters (space to ``~``) and
`OTHER`, ``"¤"`` (U+00A4), into which every other character maps (any Unicode, tab and
carriage return included).

>>> VOCAB[:3], VOCAB[-2:], len(VOCAB)
('\n !', '~¤', 97)
>>> encode("é = 1\n").tolist()
[96, 1, 30, 1, 18, 0]
>>> decode(encode("naïve"))
'na¤ve'
"""

from __future__ import annotations

import functools
import hashlib
import json
import lzma
import string
from pathlib import Path

import numpy as np

from .checks import InputError

DATA = Path(__file__).resolve().parent / "data" / "stdlib"
"""The folder of the committed corpus: ``corpus.xz``, ``manifest.json``, ``LICENSE-PSF.txt``."""

OTHER = "\u00a4"
"""The "other" symbol, ``¤`` (U+00A4, the currency sign): every character outside newline and printable ASCII."""

VOCAB = "\n" + "".join(chr(code) for code in range(32, 127)) + OTHER
"""The 97 symbols, index by index: newline (0), space to ``~`` (1-95), `OTHER` (96)."""

SPLITS = ("train", "validation", "test")
"""The three parts of the corpus, split by file."""

_INDEX = np.full(128, VOCAB.index(OTHER), dtype=np.int64)
_INDEX[[ord(ch) for ch in VOCAB[:-1]]] = np.arange(len(VOCAB) - 1)
assert set(VOCAB[1:-1]) == set(string.printable) - set("\t\n\r\x0b\x0c")


def encode(text: str) -> np.ndarray:
    """The vocabulary index (int64) of every character of ``text``; unknown characters give `OTHER`'s (96).

    ``InputError`` if ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise InputError(f"encode needs a string; got {type(text).__name__}.")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    return _INDEX[np.minimum(codes, 127)]


def decode(indices) -> str:
    """The text of vocabulary indices (0-96); ``InputError`` for an index outside the vocabulary."""
    indices = np.asarray(indices)
    if indices.size and (not np.issubdtype(indices.dtype, np.integer) or indices.min() < 0 or indices.max() >= len(VOCAB)):
        raise InputError(f"decode needs integer indices from 0 to {len(VOCAB) - 1}; got {indices.ravel()[:8].tolist()}.")
    return "".join(VOCAB[k] for k in indices.ravel().tolist())


@functools.cache
def manifest() -> dict:
    """The manifest: ``python`` (the version the text came from), ``rule``, ``license``, ``splits``
    (files and bytes per split) and ``files`` (path, split, size in bytes, sha256 of the bytes)."""
    return json.loads((DATA / "manifest.json").read_text())


@functools.cache
def _corpus() -> dict[str, tuple[tuple[str, str], ...]]:
    data = lzma.decompress((DATA / "corpus.xz").read_bytes())
    out = {name: [] for name in SPLITS}
    start = 0
    for entry in manifest()["files"]:
        piece = data[start : start + entry["size"]]
        start += entry["size"]
        if hashlib.sha256(piece).hexdigest() != entry["sha256"]:
            raise ValueError(f"corpus.xz does not match manifest.json at {entry['path']}; run scripts/make-corpus again.")
        out[entry["split"]].append((entry["path"], piece.decode("utf-8")))
    if start != len(data):
        raise ValueError("corpus.xz holds more bytes than manifest.json lists; run scripts/make-corpus again.")
    return {name: tuple(files) for name, files in out.items()}


def corpus() -> dict[str, list[tuple[str, str]]]:
    """``{"train": [(path, text), ...], "validation": [...], "test": [...]}``, each file whole, in the manifest's order.

    Read once per process from ``corpus.xz``; every file is checked against its sha256 in the
    manifest (``ValueError`` if one differs).
    """
    return {name: list(files) for name, files in _corpus().items()}


def digest() -> str:
    """The sha256 of the manifest's file list: names the corpus in a cache key."""
    return hashlib.sha256(json.dumps(manifest()["files"], sort_keys=True).encode()).hexdigest()


def split_text(split: str) -> str:
    """The files of ``split`` joined into one text, in order (each file ends with a newline)."""
    if split not in SPLITS:
        raise InputError(f"split must be one of {', '.join(SPLITS)}; got {split!r}.")
    return "".join(text for _, text in _corpus()[split])
