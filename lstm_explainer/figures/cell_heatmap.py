"""The France cell at one word as a heatmap: the columns of the step, their colours and headers.

A kit (no ``FIGURES``), shared by the walkthrough's phase figures
(`lstm_explainer.figures.france`) and the what-if comparisons
(`lstm_explainer.figures.what_if`), so that a what-if looks like the walkthrough step it
changes. A step of the hand-set `FranceLSTM` is shown unit by unit (rows, in the order of
`lstm_explainer.france_weights.UNITS`), column by column of
$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$ and $h_t = o_t \\odot \\tanh(c_t)$ (`PHASE_COLUMNS`):

* `step_values`: the chosen columns of one step of a `SentenceTrace`, units x columns;
* `step_colours`: gates (`SIGMOID_GATES`, 0 to 1) on the grid kit's sequential map, everything else
  on its diverging map with full colour at ±1 (the number in the cell says the rest);
* `column_symbols`: the columns' italic symbols above the grid, and `unit_labels`: the
  unit names down its left;
* `step_key`: what the colours of `step_colours` mean, as one or two horizontal scales
  (gates 0 shut to 1 open; other values -1 blue to +1 red), to draw under the grid;
* `gate_terms`: each gate's pre-activation at one step split into its three terms (`TERMS`):
  from the word $W_{ih} x_t$, from the previous output $W_{hh} h_{t-1}$, and the biases
  $b_{ih} + b_{hh}$, units x 12, in the order of `TERM_COLUMNS`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Normalize

from .. import france_weights as weights
from ..cells import LSTMCell
from ..france import SentenceTrace
from .base import Theme
from .grid import colour_key, gate_cmap, row_labels, signed_cmap, subscripted

PHASE_COLUMNS = (
    ("c_prev", "c(t-1)", ("c", "t−1")),
    ("i", "i", ("i", "")),
    ("g", "g", ("g", "")),
    ("ig", "i⊙g", ("i⊙g", "")),
    ("f", "f", ("f", "")),
    ("fc", "f⊙c(t-1)", ("f⊙c", "t−1")),
    ("c", "c(t)", ("c", "t")),
    ("o", "o", ("o", "")),
    ("h", "h(t)", ("h", "t")),
)
"""The columns of a step, in the order of the step: key, table header, figure header
(symbol and subscript)."""

KEYS = tuple(key for key, _, _ in PHASE_COLUMNS)
"""The keys of `PHASE_COLUMNS`, in order."""

SIGMOID_GATES = ("i", "f", "o")
"""The gates (0 to 1), coloured sequentially; everything else is a signed value."""


def column(key: str) -> tuple[str, str, tuple[str, str]]:
    """The (key, table header, figure symbol) of the column ``key`` of `PHASE_COLUMNS`.

    Raises ``ValueError`` naming the keys for another ``key``.
    """
    if key not in KEYS:
        raise ValueError(f"unknown column {key!r}; the columns are: {', '.join(KEYS)}.")
    return PHASE_COLUMNS[KEYS.index(key)]


def step_values(trace: SentenceTrace, t: int, keys: tuple[str, ...] = KEYS) -> np.ndarray:
    """The columns ``keys`` (of `PHASE_COLUMNS`) at step ``t`` of ``trace``: units x keys (16 x len(keys)).

    Raises ``ValueError`` for a key that is not a column.
    """
    for key in keys:
        column(key)
    cell = trace.cell
    columns = {
        "c_prev": cell.c_prev[t],
        "i": cell.i[t],
        "g": cell.g[t],
        # the gated update: i_t * g_t
        "ig": cell.i[t] * cell.g[t],
        "f": cell.f[t],
        # what is kept of the old state: f_t * c_{t-1}
        "fc": cell.f[t] * cell.c_prev[t],
        "c": cell.c[t],
        "o": cell.o[t],
        "h": cell.h[t],
    }
    return np.column_stack([columns[key] for key in keys])


def step_colours(theme: Theme, values: np.ndarray, keys: tuple[str, ...]) -> np.ndarray:
    """RGBA colours (units x keys x 4) of `step_values`: gates from 0 to 1 on the gate map,
    the rest on the signed map from -1 to 1 (clipped beyond)."""
    colours = np.empty((*values.shape, 4))
    for k, key in enumerate(keys):
        if key in SIGMOID_GATES:
            colours[:, k] = gate_cmap(theme)(Normalize(0, 1, clip=True)(values[:, k]))
        else:  # full colour at +-1: the number in the cell says the rest
            colours[:, k] = signed_cmap(theme)(Normalize(-1, 1, clip=True)(values[:, k]))
    return colours


def step_key(ax, theme: Theme, x: float, y: float, keys: tuple[str, ...] = KEYS, width: float = 3.6) -> float:
    """The scales of `step_colours` for the columns ``keys``, side by side from (``x``, ``y``)
    (top left, in cells): the gate scale if a gate is among them, the signed scale if another
    column is. Each is ``width`` cells long. Returns the x where a next item may start."""
    scales = []
    if any(key in SIGMOID_GATES for key in keys):
        scales.append((gate_cmap(theme), 0.0, 1.0, "gates i, f, o: green is open", False))
    if any(key not in SIGMOID_GATES for key in keys):
        scales.append((signed_cmap(theme), -1.0, 1.0, "other values: red +, blue −", True))
    for cmap, low, high, title, extend in scales:
        colour_key(ax, theme, x, y, width, cmap, low, high, title, extend=extend)
        x += width + 1.2
    return x


def column_symbols(ax, theme: Theme, keys: tuple[str, ...]) -> list[list]:
    """The italic symbols of ``keys`` centred above the grid's columns (data units of a cell);
    returns the texts of each column, so a caller can recolour them."""
    return [subscripted(ax, k + 0.5, -0.3, *column(key)[2], theme.text, size=10.5, ha="center", va="baseline")
            for k, key in enumerate(keys)]  # fmt: skip


def unit_labels(ax, theme: Theme, columns: int) -> None:
    """The unit names down the left of a grid of ``columns`` columns, with a rule between the
    memory units and the expect units."""
    row_labels(ax, theme, weights.UNITS, columns, rule_after=len(weights.MEMORY_UNITS))


TERMS = (
    ("x", "from the word", "W_ih x(t)"),
    ("h", "from the previous output", "W_hh h(t-1)"),
    ("b", "bias", "b_ih + b_hh"),
)
"""The three terms of a gate's pre-activation: key, what it is, formula (plain text)."""

TERM_COLUMNS = tuple((gate, term) for gate in "ifgo" for term, _, _ in TERMS)
"""The columns of `gate_terms`: (gate, term) for the gates i, f, g, o and the terms of `TERMS`."""


def gate_terms(cell: LSTMCell, trace: SentenceTrace, t: int) -> np.ndarray:
    """The pre-activations of the four gates at step ``t`` of ``trace`` (run by ``cell``), each
    split into $W_{ih} x_t$, $W_{hh} h_{t-1}$ and $b_{ih} + b_{hh}$: units x `TERM_COLUMNS`
    (16 x 12). The three terms of a gate add up to its ``pre_*`` in the trace."""
    steps = trace.cell
    parts = (
        cell.weight_ih @ steps.x[t],  # from the word
        cell.weight_hh @ steps.h_prev[t],  # from the previous output
        cell.bias_ih + cell.bias_hh,  # the biases
    )
    H = len(weights.UNITS)
    # rows of each part are stacked i, f, g, o (H each): gate k of unit u is row k * H + u
    return np.column_stack([part[k * H : (k + 1) * H] for k in range(4) for part in parts])
