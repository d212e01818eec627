"""The hand-set France cell on a continual stream: many sentences read without resetting the state.

As in Gers, Schmidhuber & Cummins (2000), "Learning to Forget: Continual Prediction with
LSTM" (Neural Computation 12(10)): input that is not cut into separate sequences, so nothing
resets the cell state to zero. `stream_sentences` writes the stream from the vocabulary,
and three cells of `CELLS` read it: without a forget gate (the 1997 LSTM, the what-if
``no_forget_gate`` of `lstm_explainer.france.VARIANTS`), the standard cell, and a cell whose
forget gate is also shut by "in" (`reset_model`), a what-if of ours built with
``FranceLSTM.set_weight``.

For each cell, `read_stream` keeps the norm of the cell state after every word, the
probability the cell gave the actual next word, and every unit's cell state at the end.
The settings (how many sentences, the reset weight) are `CONFIG`, a `StreamConfig`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .. import france_weights as weights
from ..checks import InputError
from ..france import FranceLSTM
from . import cache


@dataclass(frozen=True)
class StreamConfig:
    """The settings of the stream experiment: what the cache key of its jobs is built from
    (``asdict(CONFIG)``), and what the what-if page quotes."""

    sentences: int = 60
    """Sentences in the stream (an even number: they come in pairs, a long one and a short one)."""
    reset_weight: float = -2 * weights.S
    """The weight from 'in' into the memory units' forget gates in `reset_model`: the weight
    'but' has on ``eating``."""


CONFIG = StreamConfig()
"""The settings the site uses."""

PERSONS = ("I", "Mary", "Frank")
DETERMINER = {"I": "the", "Mary": "her", "Frank": "his"}

SETTINGS = tuple(
    (country, eater, food) for country in weights.COUNTRIES for eater in PERSONS for food in weights.FOODS[country]
)
"""Every (country, eater, food) a stream sentence can have."""

_FOODS_PER_COUNTRY = len(weights.FOODS[weights.COUNTRIES[0]])
STRIDE = len(PERSONS) * _FOODS_PER_COUNTRY + _FOODS_PER_COUNTRY + 1
"""Sentence k takes setting ``(STRIDE * k) % len(SETTINGS)``: one step of this stride moves
country, eater and food on by one each, and since it shares no factor with the number of
settings, every setting comes once before any repeats."""

assert all(len(foods) == _FOODS_PER_COUNTRY for foods in weights.FOODS.values())
assert math.gcd(STRIDE, len(SETTINGS)) == 1

WINE_COUNTRY = "france"
"""Wine is French (as in the grammar of `lstm_explainer.experiments.world`): only a French
sentence's second clause may dislike it."""

CELLS = {
    "no_forget_gate": "no forget gate (the 1997 LSTM)",
    "standard": "standard cell",
    "reset_at_in": "forget gate also shut by 'in'",
}
"""The three cells that read the stream: two variants of `VARIANTS` and `reset_model`."""


def stream_sentences(n: int = CONFIG.sentences) -> list[str]:
    """``n`` sentences of the vocabulary, the same on every run.

    Sentence ``k`` takes the ``(STRIDE * k) % len(SETTINGS)``-th of `SETTINGS`. Even-numbered
    sentences have a second clause, in which the next person does not like another food of
    the country (or, in France, possibly the wine); odd-numbered ones stop after the food.

    Examples
    --------
    >>> for sentence in stream_sentences(3):
    ...     print(sentence)
    In France, I ate the croissant but Mary did not like the wine.
    In Italy, Mary ate her pasta.
    In Germany, Frank ate his strudel but I did not like the pretzel.
    """
    out = []
    for k in range(n):
        country, eater, food = SETTINGS[(STRIDE * k) % len(SETTINGS)]
        sentence = f"In {country.title()}, {eater} ate {DETERMINER[eater]} {food}"
        if k % 2 == 0:
            other = PERSONS[(PERSONS.index(eater) + 1) % len(PERSONS)]
            choices = (("wine",) if country == WINE_COUNTRY else ()) + tuple(
                f for f in weights.FOODS[country] if f != food
            )
            sentence += f" but {other} did not like the {choices[(k // 2) % len(choices)]}"
        out.append(sentence + ".")
    return out


def reset_model(reset_weight: float = CONFIG.reset_weight) -> FranceLSTM:
    """The France LSTM with one more weight per memory unit: 'in' shuts its forget gate.

    Each of `MEMORY_UNITS` gets ``reset_weight`` (`StreamConfig.reset_weight`) from the input
    feature ``in`` into its forget gate, which outweighs the forget bias:
    $f = \\sigma(b_f + w)$ is nearly 0 at every 'in', so a new sentence starts from an empty
    memory.
    """
    model = FranceLSTM()
    for unit in weights.MEMORY_UNITS:
        model.set_weight("f", unit, "in", reset_weight)
    return model


def read_stream(cell: str, sentences: int, reset_weight: float) -> dict:
    """The stream of ``sentences`` sentences through the cell ``cell`` of `CELLS` (a job: its
    settings are ``cell`` and the fields of `StreamConfig`).

    Returns the norm $\\lVert c_t \\rVert$ after every word, the probability given to the
    actual next word after every word but the last (lists of floats, one per word), and every
    unit's cell state at the end (16 floats). Raises `InputError` for an unknown ``cell``.
    """
    if cell not in CELLS:
        raise InputError(f"unknown cell {cell!r}; the cells are: {', '.join(CELLS)}.")
    text = " ".join(stream_sentences(sentences))
    if cell == "reset_at_in":
        trace = reset_model(reset_weight).trace(text)
    else:
        trace = FranceLSTM().trace(text, variant=cell)
    tokens = trace.tokens
    nxt = [weights.VOCAB.index(word) for word in tokens[1:]]
    return {
        "norms": np.linalg.norm(trace.cell.c, axis=1).tolist(),
        "next_word_p": trace.probs[np.arange(len(nxt)), nxt].tolist(),
        "c_end": trace.cell.c[-1].tolist(),
    }


def results(config: StreamConfig = CONFIG) -> dict:
    """The stream of ``config`` (sentences, words, where each sentence starts, how many words
    name a person) and what each cell of `CELLS` made of it (`read_stream`, cached)."""
    sentences = stream_sentences(config.sentences)
    model = FranceLSTM()
    lengths = [len(model.tokenize(s)) for s in sentences]
    reads = cache.run_jobs(read_stream, [{"cell": cell, **asdict(config)} for cell in CELLS])
    tokens = model.tokenize(" ".join(sentences))
    persons = {person.lower() for person in PERSONS}
    return {
        "sentences": sentences,
        "tokens": tokens,
        "starts": [int(s) for s in np.cumsum([0] + lengths[:-1])],
        "person_words": sum(token in persons for token in tokens),
        "cells": dict(zip(CELLS, reads)),
    }
