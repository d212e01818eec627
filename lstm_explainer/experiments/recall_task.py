"""The long-lag recall task: read one symbol, then ``lag`` fillers, then say the symbol.

A sequence is one of `SYMBOLS` followed by ``lag`` copies of the filler `FILLER`, each
as a one-hot vector; the answer, read from the model's state after the last filler, is the
first symbol. Nothing but that first symbol tells the sequences apart, so the only way to
answer is to carry it across ``lag`` steps. It is the noise-free long-lag experiment of
Hochreiter & Schmidhuber (1997, experiment 2a), with one repeated filler in place of their
fixed run of distinct ones, and the answer asked for once, at the end.

The task has exactly ``len(SYMBOLS)`` sequences for each lag, so there is nothing to hold
out: a model trains on all of them at once (`sequences`), and *solved* means that every
one of them gets the right answer with probability at least `SOLVED_PROBABILITY` (accuracy
1.0, with a margin). It is checked after every update; a run that has not solved the task
after `MAX_UPDATES` updates counts as unsolved.
"""

from __future__ import annotations

import torch

from ..checks import InputError

SYMBOLS = ("A", "B")
"""The symbols to recall: chance is one in two."""

FILLER = "."
"""The one symbol that fills the lag."""

VOCABULARY = SYMBOLS + (FILLER,)
"""Every input symbol, in the order of the one-hot positions."""

SOLVED_PROBABILITY = 0.9
"""Solved: the smallest probability given to a right answer is at least this."""

MAX_UPDATES = 400
"""Updates allowed before a run counts as unsolved."""


def sequences(lag: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every sequence of the task for ``lag``: inputs ``(lag + 1, len(SYMBOLS), len(VOCABULARY))``
    (time first, one sequence per symbol) and answers ``(len(SYMBOLS),)``.

    >>> x, answers = sequences(3)
    >>> tuple(x.shape), answers.tolist(), decode(x[:, 1])
    ((4, 2, 3), [0, 1], ['B', '.', '.', '.'])
    """
    if not isinstance(lag, int) or isinstance(lag, bool) or lag < 1:
        raise InputError(f"lag must be a whole number of steps, at least 1; got {lag!r}.")
    first = torch.arange(len(SYMBOLS))
    fillers = torch.full((lag, len(SYMBOLS)), VOCABULARY.index(FILLER))
    # x_0 = onehot(symbol), x_1 ... x_lag = onehot(filler); the answer is the symbol
    steps = torch.cat([first[None], fillers])
    return torch.nn.functional.one_hot(steps, len(VOCABULARY)).float(), first


def decode(x: torch.Tensor) -> list[str]:
    """The symbols of one sequence ``(T, len(VOCABULARY))``."""
    return [VOCABULARY[k] for k in x.argmax(-1).tolist()]


def right_answer_probabilities(logits: torch.Tensor, answers: torch.Tensor) -> torch.Tensor:
    """The probability each sequence's right answer gets: softmax of ``logits``, at ``answers``."""
    return logits.softmax(-1).gather(1, answers[:, None])[:, 0]


def solved(logits: torch.Tensor, answers: torch.Tensor) -> bool:
    """Whether every right answer gets probability `SOLVED_PROBABILITY` or more."""
    return bool(right_answer_probabilities(logits, answers).min() >= SOLVED_PROBABILITY)
