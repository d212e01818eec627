"""The long-lag recall task: read one symbol, then ``lag`` fillers, then say the symbol.

A sequence is one of the ``symbols`` followed by ``lag`` copies of the ``filler``, each as a
one-hot vector; the answer, read from the model's state after the last filler, is the first
symbol. Nothing but that first symbol tells the sequences apart, so the only way to answer
is to carry it across ``lag`` steps. It is the noise-free long-lag experiment of
Hochreiter & Schmidhuber (1997, experiment 2a), with one repeated filler in place of their
fixed run of distinct ones, and the answer asked for once, at the end.

The task has exactly ``len(symbols)`` sequences for each lag, so there is nothing to hold
out: a model trains on all of them at once (`sequences`), and *solved* means that every
one of them gets the right answer with at least a threshold probability (accuracy 1.0,
with a margin; `solved`). The symbols, the filler and the threshold are settings of the
experiment (`lstm_explainer.experiments.recall.RecallConfig`); this module is the task's code.

>>> x, answers = sequences(3, ("A", "B"), ".")
>>> tuple(x.shape), answers.tolist(), decode(x[:, 1], vocabulary(("A", "B"), "."))
((4, 2, 3), [0, 1], ['B', '.', '.', '.'])
"""

from __future__ import annotations

import torch

from ..checks import InputError


def vocabulary(symbols: tuple[str, ...], filler: str) -> tuple[str, ...]:
    """Every input symbol, in the order of the one-hot positions: the ``symbols``, then the ``filler``.

    Raises `InputError` unless there are at least two distinct symbols and the filler is not one of them.
    """
    symbols = tuple(symbols)
    if len(symbols) < 2 or len(set(symbols)) != len(symbols) or filler in symbols:
        raise InputError(
            f"the task needs two or more distinct symbols and a filler that is none of them; "
            f"got symbols {symbols!r} and filler {filler!r}."
        )
    return symbols + (filler,)


def sequences(lag: int, symbols: tuple[str, ...], filler: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Every sequence of the task for ``lag``: inputs ``(lag + 1, len(symbols), len(symbols) + 1)``
    (float32, time first, one sequence per symbol, one-hot over `vocabulary`) and answers
    ``(len(symbols),)`` (the index of each sequence's first symbol).

    Raises `InputError` for a ``lag`` that is not a whole number of steps, at least 1.
    """
    if not isinstance(lag, int) or isinstance(lag, bool) or lag < 1:
        raise InputError(f"lag must be a whole number of steps, at least 1; got {lag!r}.")
    inputs = vocabulary(symbols, filler)
    first = torch.arange(len(symbols))
    fillers = torch.full((lag, len(symbols)), inputs.index(filler))
    # x_0 = onehot(symbol), x_1 ... x_lag = onehot(filler); the answer is the symbol
    steps = torch.cat([first[None], fillers])
    return torch.nn.functional.one_hot(steps, len(inputs)).float(), first


def decode(x: torch.Tensor, inputs: tuple[str, ...]) -> list[str]:
    """The symbols of one sequence ``(T, len(inputs))``, one-hot over ``inputs`` (a `vocabulary`)."""
    return [inputs[k] for k in x.argmax(-1).tolist()]


def right_answer_probabilities(logits: torch.Tensor, answers: torch.Tensor) -> torch.Tensor:
    """The probability each sequence's right answer gets, ``(batch,)``: softmax of ``logits``
    ``(batch, classes)``, at ``answers`` ``(batch,)``."""
    return logits.softmax(-1).gather(1, answers[:, None])[:, 0]


def worst_probability(logits: torch.Tensor, answers: torch.Tensor) -> float:
    """The smallest probability any sequence's right answer gets: the one measure of how well
    a model does on the task (no gradient flows through it)."""
    return float(right_answer_probabilities(logits.detach(), answers).min())


def solved(logits: torch.Tensor, answers: torch.Tensor, threshold: float) -> bool:
    """Whether every right answer gets probability ``threshold`` or more."""
    return worst_probability(logits, answers) >= threshold
