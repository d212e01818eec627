r"""The baselines a character model is measured against, on the same test characters.

* an interpolated Kneser-Ney character n-gram model (`lstm_explainer.char_ngram`), counted on
  the training files, its order n chosen as the one with the lowest bits per character on the
  validation files among `CharModelConfig.ngram_orders` (code repeats long strings, so the
  validation curve keeps falling slowly at high orders: the results keep the whole curve); each file is read from its own start and every character but the first
  is scored, like the recurrent models of `lstm_explainer.experiments.char_training` score it;
* the xz-compressed size of the test text (the test files joined; Python's ``lzma``, preset 9
  extreme) in bits per character, alone and given the training text (the extra compressed
  bits the test files cost after the training files);
* the unigram entropy $-\sum_c p_c \log_2 p_c$ of the test text's own character frequencies,
  and the cross-entropy of the training text's character frequencies (add-one smoothed) on
  the test characters.

Its own module, so editing the rest of the experiment does not redo it (a job's cache key
hashes its module's code).
"""

from __future__ import annotations

import lzma
import time

import numpy as np

from .. import char_corpus, char_ngram
from .char_training import V, bits_per_character, encoded


def ngram_probabilities(orders, split: str) -> dict[int, list[np.ndarray]]:
    r"""Per order in ``orders``, per file of ``split``: $p(x_t \mid x_{<t})$ under the Kneser-Ney model
    counted on the training files (position 0 NaN); every order in one pass (`char_ngram.kneser_ney`)."""
    return char_ngram.kneser_ney(list(encoded("train")), list(encoded(split)), orders, V)


def xz_bytes(text: str) -> int:
    """Bytes of ``text`` (UTF-8) compressed by xz (``lzma``, preset 9 extreme)."""
    return len(lzma.compress(text.encode("utf-8"), format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME))


def baselines(orders: list[int], corpus: str) -> dict:
    """The baselines on the validation and test files, in bits per character.

    ``ngram``: ``validation`` (bits per character of each order in ``orders``, keyed by the
    order as a string), ``order`` (the lowest), ``validation_best`` and ``test`` (its bits per
    character); ``xz`` and ``xz_given_train``; ``unigram_entropy`` and
    ``unigram_cross_entropy``; ``test_characters`` (all of them) and ``test_scored`` (those
    scored: all but each file's first), ``test_files``; ``seconds``. ``corpus`` is
    `char_corpus.digest` (it only keys the cache).
    """
    wall = time.perf_counter()
    validation = {order: bits_per_character([-np.log2(p) for p in probs])
                  for order, probs in ngram_probabilities(orders, "validation").items()}  # fmt: skip
    best = min(validation, key=validation.get)
    test = bits_per_character(ngram_surprisal(best, "test"))
    test_text, train_text = char_corpus.split_text("test"), char_corpus.split_text("train")
    chars = len(test_text)
    train_counts = np.bincount(np.concatenate(encoded("train")), minlength=V) + 1.0
    test_codes = np.concatenate(encoded("test"))
    test_p = np.bincount(test_codes, minlength=V) / len(test_codes)
    nonzero = test_p[test_p > 0]
    return {
        "ngram": {"validation": {str(k): v for k, v in validation.items()}, "order": best,
                  "validation_best": validation[best], "test": test},  # fmt: skip
        # bits per character: 8 x compressed bytes / characters
        "xz": 8 * xz_bytes(test_text) / chars,
        "xz_given_train": 8 * (xz_bytes(train_text + test_text) - xz_bytes(train_text)) / chars,
        # H = -sum_c p_c log2 p_c
        "unigram_entropy": float(-(nonzero * np.log2(nonzero)).sum()),
        "unigram_cross_entropy": float(-np.log2(train_counts[test_codes] / train_counts.sum()).mean()),
        "test_characters": chars,
        "test_scored": chars - sum(1 for f in encoded("test") if len(f)),
        "test_files": len(encoded("test")),
        "seconds": time.perf_counter() - wall,
    }


def ngram_surprisal(order: int, split: str) -> list[np.ndarray]:
    """For each file of ``split``: $-\\log_2 p(x_t \\mid x_{<t})$ under the n-gram model of ``order`` (position 0 NaN)."""
    return [-np.log2(p) for p in ngram_probabilities([order], split)[order]]
