"""Tables the pages show whole (not as a figure's numbers): the hand-set weights, the benchmark."""

from __future__ import annotations

from .. import turnstile
from ..figures.base import Table
from ..france_weights import rules
from . import build_numbers

BLOCKS = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate", "readout": "readout"}


def france_weights() -> Table:
    """Every nonzero weight of the France LSTM with its reason (all others are 0)."""
    rows = [[BLOCKS[r.block], r.row, r.column, r.value, r.why] for r in rules()]
    return Table("Every nonzero weight of the France LSTM", ["block", "row", "column", "value", "why"], rows)


def turnstile_weights() -> Table:
    """The turnstile RNN's weights and readouts, one row per hidden unit."""
    columns = ["unit", *(f"W_hh[{u}]" for u in turnstile.UNITS), "W_ih[coin]", "W_ih[push]", "bias"]
    columns += [f"readout {name}" for name in turnstile.READOUT]
    rows = [
        [unit, *turnstile.W_HH[k], *turnstile.W_IH[k], turnstile.BIAS[k], *(w[k] for w in turnstile.READOUT.values())]
        for k, unit in enumerate(turnstile.UNITS)
    ]
    return Table("The whole turnstile RNN: weights, bias and readouts", columns, rows)


TABLES = {"france-weights": france_weights, "turnstile-weights": turnstile_weights, **build_numbers.TABLES}
