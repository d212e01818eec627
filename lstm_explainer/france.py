"""The hand-set France LSTM: read a sentence word by word, gate by gate, and guess the next word.

A word becomes a vector of named input features (the embedding), the LSTM cell updates its
named cell-state units, and a linear readout with a softmax turns the hidden state into a
next-word distribution over the vocabulary. The weights, and why each has its value, are in
`lstm_explainer.france_weights`.

Examples
--------
>>> model = FranceLSTM()
>>> model.tokenize("In France, Mary ate her croissant.")
['in', 'france', 'mary', 'ate', 'her', 'croissant']
>>> [word for word, _ in model.predict("In France, I ate", k=3)]
['croissant', 'baguette', 'cheese']
>>> [word for word, _ in model.predict("In Italy, I ate", k=3)]
['pizza', 'pasta', 'bruschetta']
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np

from . import france_weights as weights
from .cells import LSTMCell, LSTMTrace
from .checks import InputError

SENTENCE = "In France, Mary ate her croissant but Frank did not like the wine."
"""The walkthrough sentence."""

PUNCTUATION = ",.;:!?"
"""Marks that separate words like spaces do, and are dropped."""

_TOKEN = re.compile(rf"[^\s{re.escape(PUNCTUATION)}]+")


def softmax(logits: np.ndarray) -> np.ndarray:
    r"""$p_k = e^{z_k} / \sum_j e^{z_j}$ along the last axis, exact to float64 relative precision.

    Each logit is first shifted by the largest, so no ``exp`` overflows. That subtraction
    rounds, and ``exp`` turns its absolute error into the same relative error in the
    probability (about ``|z - max|`` units in the last place); so its rounding error ``r`` is
    recovered exactly (Knuth's TwoSum) and put back, ``exp(d) * (1 + r)``.
    ``tests/test_numerics.py`` checks every probability against mpmath at 50 digits.
    """
    logits = np.asarray(logits)
    minus_top = -logits.max(axis=-1, keepdims=True)
    # TwoSum of a = z and b = -max: d = fl(a + b) and r with d + r = a + b exactly
    d = logits + minus_top
    with np.errstate(invalid="ignore"):  # inf - inf where a logit is -inf: r is 0 there
        b_part = d - logits
        r = (logits - (d - b_part)) + (minus_top - b_part)
    # e^{d + r} = e^d (1 + r) up to r^2, and |r| is at most half an ulp of d (a logit of -inf
    # has probability 0)
    r = np.where(np.isfinite(d), r, 0.0)
    z = np.exp(d) * (1.0 + r)
    return z / z.sum(axis=-1, keepdims=True)


VARIANTS = {
    "standard": "the hand-set LSTM as designed",
    "forget_kept_at_but": "the forget gate held at 1 at every 'but': nothing is forgotten there",
    "no_output_gate": "the output gate held at 1: the whole squashed cell state is exposed at every step",
    "no_forget_gate": "the forget gate held at 1 at every step: the 1997 LSTM, which never forgets",
}


def held_gates(variant: str, tokens: list[str], units: int) -> dict[str, np.ndarray] | None:
    """The gates a variant of `VARIANTS` holds, as ``LSTMCell.run``'s ``held`` argument.

    Each array has a row per token and a column per unit; NaN means "as computed".
    """
    if variant not in VARIANTS:
        raise InputError(f"unknown variant {variant!r}; the variants are: {', '.join(VARIANTS)}.")
    free = np.full((len(tokens), units), np.nan)
    if variant == "forget_kept_at_but":
        free[[t == "but" for t in tokens]] = 1.0
        return {"f": free}
    if variant == "no_output_gate":
        return {"o": np.ones_like(free)}
    if variant == "no_forget_gate":
        return {"f": np.ones_like(free)}
    return None


@dataclass(frozen=True)
class SentenceTrace:
    """A sentence run through the model: the tokens, the cell's trace, the next-word guesses.

    ``cell`` holds every gate and state per token (``(T, 16)`` arrays, columns in the order
    of `UNITS`); ``probs[t]`` is the distribution of the
    word after ``tokens[t]``, over `VOCAB`.
    """

    tokens: list[str]
    cell: LSTMTrace
    logits: np.ndarray
    probs: np.ndarray

    def top(self, t: int, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` likeliest words after token ``t``, with their probabilities."""
        return top_words(self.probs[t], k)


def top_words(probs: np.ndarray, k: int) -> list[tuple[str, float]]:
    """The ``k`` likeliest words of a distribution over the vocabulary, best first."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(weights.VOCAB):
        raise InputError(f"k must be between 1 and {len(weights.VOCAB)} (the vocabulary's size); got {k}.")
    order = np.argsort(-probs, kind="stable")[:k]
    return [(weights.VOCAB[w], float(probs[w])) for w in order]


def tied_first(probs: np.ndarray) -> tuple[list[str], float]:
    """The likeliest words of a distribution over the vocabulary, every word tied with the
    first (equal to 1e-9 relative) included, best first, and their probability."""
    ranked = top_words(probs, len(weights.VOCAB))
    first = ranked[0][1]
    return [w for w, p in ranked if abs(p - first) <= 1e-9 * first], first


NO_RECURRENCE = "no recurrent weights (weight_hh = 0): every gate reads the current word only"
"""The what-if ``FranceLSTM(recurrent=False)``: a weight changed, not a gate held, so it is no
variant of `VARIANTS`."""


class FranceLSTM:
    """Embedding, hand-set ``LSTMCell`` (16 named units) and readout over a 29-word vocabulary.

    ``forget_bias`` is the forget-gate bias of the memory units (the designed value is
    `FORGET_BIAS`); the site varies it. ``recurrent=False`` sets every recurrent weight
    (``weight_hh``, 64 x 16) to 0, so the gates read $x_t$ only, never $h_{t-1}$: the what-if
    `NO_RECURRENCE`. Raises `InputError` for a ``forget_bias`` that is not a finite number
    or a ``recurrent`` that is not ``True`` or ``False``.

    Examples
    --------
    >>> [round(p, 3) for _, p in FranceLSTM(recurrent=False).predict("In France, I ate", k=4)]  # no country: foods tie
    [0.079, 0.079, 0.079, 0.079]
    """

    vocab = weights.VOCAB
    units = weights.UNITS
    inputs = weights.INPUTS

    def __init__(self, forget_bias: float = weights.FORGET_BIAS, recurrent: bool = True):
        if isinstance(forget_bias, bool) or not isinstance(forget_bias, (int, float)) or not np.isfinite(forget_bias):
            raise InputError(f"forget_bias must be a finite number; got {forget_bias!r}.")
        if not isinstance(recurrent, bool):
            raise InputError(f"recurrent must be True or False; got {recurrent!r}.")
        self.forget_bias = float(forget_bias)
        self.recurrent = recurrent
        m = weights.matrices(self.forget_bias)
        self.embedding = m["embedding"]
        weight_hh = m["weight_hh"] if recurrent else np.zeros_like(m["weight_hh"])
        self.cell = LSTMCell(m["weight_ih"], weight_hh, m["bias_ih"])
        self.readout = m["readout"]

    def set_weight(self, block: str, row: str, column: str, value: float) -> None:
        """Change one weight, named as in `rules`: a gate's column is an input feature,
        ``"bias"`` or ``"h:<unit>"`` (a recurrent weight, from that unit of $h_{t-1}$).

        Raises `InputError` (one sentence) for an unknown block, row or column, or a value that
        is not a finite number.

        Examples
        --------
        >>> model = FranceLSTM()
        >>> model.set_weight("f", "eating", "but", 0.0)  # 'but' no longer erases eating
        >>> t = model.trace("In France, Mary ate her croissant but")
        >>> round(float(t.cell.c[-1, model.units.index("eating")]), 2)
        0.99
        >>> model.trace("France").cell.i[0, model.units.index("seen_france")] < 0.01  # 'France' needs 'in' before it
        np.True_
        >>> model.set_weight("i", "seen_france", "h:expect_place", 0.0)  # ... and now 'in' no longer helps
        >>> model.trace("In France").cell.i[1, model.units.index("seen_france")] < 0.01
        np.True_
        """
        previous = tuple(weights.RECURRENT_PREFIX + unit for unit in self.units)  # columns of weight_hh
        names = {"readout": (self.vocab, self.units),
                 **{gate: (self.units, ("bias", *self.inputs, *previous)) for gate in "ifgo"}}  # fmt: skip
        if block not in names:
            raise InputError(f"unknown block {block!r}; the blocks are: i, f, g, o, readout.")
        rows, columns = names[block]
        if row not in rows or column not in columns:
            raise InputError(f"no weight ({row!r}, {column!r}) in block {block!r}; rows are {', '.join(rows)}; columns are {', '.join(columns)}.")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise InputError(f"a weight must be a finite number; got {value!r}.")
        if block == "readout":
            self.readout[rows.index(row), columns.index(column)] = value
        elif column == "bias":
            self.cell.bias_ih[weights.gate_row(block, row)] = value
        elif column in previous:
            self.cell.weight_hh[weights.gate_row(block, row), previous.index(column)] = value
        else:
            self.cell.weight_ih[weights.gate_row(block, row), self.inputs.index(column)] = value

    def tokenize(self, sentence: str) -> list[str]:
        """Lower-cased words, punctuation dropped.

        Raises `InputError` for no word at all, or naming every unknown word at once, each
        with its closest words of the vocabulary (`difflib`'s matching, as the Explorer's).

        Examples
        --------
        >>> FranceLSTM().tokenize("In France, I ate.")
        ['in', 'france', 'i', 'ate']
        """
        if not isinstance(sentence, str):
            raise InputError(f"a sentence must be text; got {type(sentence).__name__}.")
        tokens = _TOKEN.findall(sentence.lower())
        if not tokens:
            raise InputError("the sentence has no words; give one or more words of the vocabulary, such as: In France, I ate.")
        unknown = list(dict.fromkeys(token for token in tokens if token not in self.vocab))
        if not unknown:
            return tokens
        vocabulary = f"the vocabulary's {len(self.vocab)} words: {' '.join(self.vocab)}"
        if len(unknown) == 1:
            near = difflib.get_close_matches(unknown[0], self.vocab, n=3)
            hint = f"; closest in the vocabulary: {', '.join(near)}" if near else ""
            raise InputError(f"unknown word {unknown[0]!r}{hint} ({vocabulary}).")
        named = []
        for token in unknown:
            near = difflib.get_close_matches(token, self.vocab, n=3)
            named.append(f"{token!r} (closest: {', '.join(near)})" if near else f"{token!r} (nothing close)")
        raise InputError(f"{len(unknown)} unknown words: {', '.join(named)}; {vocabulary}.")

    def encode(self, tokens: list[str]) -> np.ndarray:
        """The embedding rows of the tokens, shape ``(T, 16)``: x_t for the cell."""
        return self.embedding[[self.vocab.index(token) for token in tokens]]

    def trace(self, sentence: str, variant: str = "standard") -> SentenceTrace:
        """Run the sentence from a zero state and keep everything.

        ``variant`` names a what-if of `VARIANTS`: the same weights with one gate held.

        Examples
        --------
        >>> t = FranceLSTM().trace("In France, Mary ate")
        >>> t.tokens, [w for w, _ in t.top(3, k=2)]
        (['in', 'france', 'mary', 'ate'], ['her', 'croissant'])
        >>> t = FranceLSTM().trace("Mary ate but", variant="forget_kept_at_but")
        >>> float(t.cell.f[-1].min())  # at 'but' nothing is forgotten
        1.0
        """
        tokens = self.tokenize(sentence)
        cell = self.cell.run(self.encode(tokens), held=held_gates(variant, tokens, len(self.units)))
        # logits_t = W_y h_t; p_t = softmax(logits_t)
        logits = cell.h @ self.readout.T
        return SentenceTrace(tokens=tokens, cell=cell, logits=logits, probs=softmax(logits))

    def predict(self, prefix: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` likeliest next words after ``prefix``, with their probabilities."""
        return self.trace(prefix).top(-1, k)

    def to_torch(self):
        """The same model as ``torch.nn`` modules: ``(Embedding, LSTMCell, Linear)``."""
        import torch

        embedding = torch.nn.Embedding.from_pretrained(torch.tensor(self.embedding))
        readout = torch.nn.Linear(len(self.units), len(self.vocab), bias=False, dtype=torch.float64)
        with torch.no_grad():
            readout.weight.copy_(torch.tensor(self.readout))
        return embedding, self.cell.to_torch(), readout
