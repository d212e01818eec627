"""The France LSTM unrolled: a few steps side by side, the cell state and the output carried along.

One recurrent cell applied at every word is often drawn "unrolled": a copy per step, each
handing its cell state $c_t$ and output $h_t$ to the next (Olah, "Understanding LSTM
Networks", 2015, draws $h$ that way). Here the copies are the hand-set `FranceLSTM` at the
first words of the walkthrough sentence, and the wires carry the values of two named units
from its trace: `expect_place`, which "In" writes and shows ($h = 0.76$), and `seen_france`,
whose input gate that output opens at "France"; its memory is then carried, hidden
($h = 0$), until "ate" shows it.

`unrolled_data` gathers the numbers once (`Unrolled`); `unrolled_table`, `unrolled_alt` and
`unrolled_figure` are functions of them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import partial

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import france_weights as weights
from ..formatting import fmt, join
from ..france import SENTENCE, FranceLSTM, SentenceTrace
from .base import FigureSpec, Table, Theme, blank_axes, new_figure, symbol

QUANTITIES = ("i", "f", "o", "c", "h")
"""What the table gives for each unit at each step: the three gates, the cell state, the output."""


@functools.cache
def walkthrough() -> SentenceTrace:
    """`SENTENCE` through the designed France LSTM, once per process. Read, never modify."""
    return FranceLSTM().trace(SENTENCE)


@dataclass(frozen=True)
class Unrolled:
    """Steps ``first`` to ``first + len(tokens) - 1`` of the walkthrough, for ``units``.

    ``values[q]`` is steps x units for each q of `QUANTITIES`; ``c0`` and ``h0`` are the
    state the first step reads ($c_{t-1}$, $h_{t-1}$), one value per unit.
    """

    tokens: tuple[str, ...]
    first: int
    length: int
    units: tuple[str, ...]
    values: dict
    c0: tuple[float, ...]
    h0: tuple[float, ...]


def unrolled_data(first: int = 0, steps: int = 4, units: tuple[str, ...] = ("expect_place", "seen_france")) -> Unrolled:
    """The gates and states of ``units`` over ``steps`` words of the walkthrough from word ``first``.

    Raises ``ValueError`` for steps outside the sentence, or an unknown unit (naming the units).
    """
    trace = walkthrough()
    if not (0 <= first and 1 <= steps and first + steps <= len(trace.tokens)):
        raise ValueError(f"steps {first} to {first + steps - 1} are not all in the sentence's {len(trace.tokens)} words.")
    for unit in units:
        if unit not in weights.UNITS:
            raise ValueError(f"unknown unit {unit!r}; the units are: {', '.join(weights.UNITS)}.")
    cols = [weights.UNITS.index(unit) for unit in units]
    span = slice(first, first + steps)
    values = {q: np.asarray(getattr(trace.cell, q)[span][:, cols], dtype=float) for q in QUANTITIES}
    return Unrolled(tokens=tuple(trace.tokens[span]), first=first, length=len(trace.tokens), units=tuple(units),
                    values=values, c0=tuple(float(v) for v in trace.cell.c_prev[first, cols]),
                    h0=tuple(float(v) for v in trace.cell.h_prev[first, cols]))  # fmt: skip


def unrolled_table(data: Unrolled) -> Table:
    """One row per step: the word, then i, f, o, c and h of each unit."""
    rows = [[data.first + k + 1, token, *(float(data.values[q][k, u]) for u in range(len(data.units)) for q in QUANTITIES)]
            for k, token in enumerate(data.tokens)]  # fmt: skip
    columns = ["word number", "word", *(f"{unit} {q}" for unit in data.units for q in QUANTITIES)]
    start = ", ".join(f"{unit}: c = {fmt(c)}, h = {fmt(h)}" for unit, c, h in zip(data.units, data.c0, data.h0))
    return Table(
        caption=f"The first {len(data.tokens)} words of \"{SENTENCE}\" through the France LSTM, for the units "
        f"{join(list(data.units))}: the input, forget and output gates (i, f, o), the cell state c and the output h "
        f"after each word. Before the first word: {start}.",
        columns=columns,
        rows=rows,
    )


def unrolled_alt(data: Unrolled) -> str:
    """The values each wire carries, unit by unit, step by step."""
    words = ", ".join(f"'{t}'" for t in data.tokens)
    parts = []
    for u, unit in enumerate(data.units):
        c = ", ".join(fmt(v) for v in data.values["c"][:, u])
        h = ", ".join(fmt(v) for v in data.values["h"][:, u])
        parts.append(f"{unit} has cell state {c} and output {h}")
    return (
        f"Unrolled diagram of the LSTM over {len(data.tokens)} words of the sentence ({words}): one copy of the cell "
        "per word, each passing its cell state c (top wire) and its output h (bottom wire) to the next. After each "
        f"word in turn, {'; '.join(parts)}."
    )


def unrolled_figure(data: Unrolled, theme: Theme):
    """A copy of the cell per step, the word entering from below, c and h carried to the right;
    each wire's values for the units, one colour per unit."""
    steps, units = len(data.tokens), len(data.units)
    box_w, gap, margin = 1.9, 1.7, 1.6
    width = 2 * margin + steps * box_w + (steps - 1) * gap
    top, bottom = 4.3, -2.2
    fig = new_figure(theme, 0.62 * width, 0.62 * (top - bottom))
    ax = blank_axes(fig, theme)
    ax.set_xlim(0, width)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    colours = (theme.accent, theme.palette[2], theme.palette[3])[:units]
    c_y, h_y, box_lo, box_hi = 2.1, 0.7, 0.0, 2.8

    def wire(x0, x1, y, colour, width=2.2):
        ax.add_patch(FancyArrowPatch((x0, y), (x1, y), arrowstyle="-|>", mutation_scale=13, color=colour,
                                     linewidth=width, shrinkA=0, shrinkB=0))  # fmt: skip

    def tags(x, y, values):
        """The units' values on a wire at ``x``: the first unit above the wire, the second below."""
        for u, value in enumerate(values):
            dy = 0.33 if u == 0 else -0.33 * u
            ax.text(x, y + dy, fmt(value), ha="center", va="center", fontsize=11.5, weight="bold", color=colours[u],
                    zorder=5, bbox=dict(boxstyle="round,pad=0.15", facecolor=theme.background, edgecolor="none"))

    lefts = [margin + k * (box_w + gap) for k in range(steps)]
    for k, (left, token) in enumerate(zip(lefts, data.tokens)):
        ax.add_patch(FancyBboxPatch((left, box_lo), box_w, box_hi - box_lo, boxstyle="round,pad=0,rounding_size=0.2",
                                    facecolor="none", edgecolor=theme.muted, linewidth=1.4))  # fmt: skip
        ax.text(left + box_w / 2, (box_lo + box_hi) / 2, "LSTM\ncell", ha="center", va="center", fontsize=11,
                color=theme.muted, linespacing=1.2)  # fmt: skip
        # the word enters from below
        mid = left + box_w / 2
        ax.add_patch(FancyArrowPatch((mid, -1.1), (mid, box_lo), arrowstyle="-|>", mutation_scale=12,
                                     color=theme.line, linewidth=1.6, shrinkA=0, shrinkB=0))  # fmt: skip
        ax.text(mid, -1.25, f"'{token}'", ha="center", va="top", fontsize=12.5, weight="bold", color=theme.text)
        symbol(ax, mid + 0.12, -0.55, f"x_{{{data.first + k + 1}}}", 13, theme.text, ha="left")
        # c and h to the right, into the next copy (or out of the picture)
        right = left + box_w
        end = lefts[k + 1] if k + 1 < steps else right + margin - 0.35
        wire(right, end, c_y, theme.accent, 2.6)
        wire(right, end, h_y, theme.line, 2.0)
        tags((right + end) / 2, c_y, data.values["c"][k])
        tags((right + end) / 2, h_y, data.values["h"][k])
    # the state before the first word, from the left
    wire(0.35, margin, c_y, theme.accent, 2.6)
    wire(0.35, margin, h_y, theme.line, 2.0)
    tags(margin / 2 + 0.15, c_y, data.c0)
    tags(margin / 2 + 0.15, h_y, data.h0)
    for y, name in ((c_y, "c"), (h_y, "h")):
        symbol(ax, 0.3, y, name, 15, theme.text, ha="right")
    ax.text(width - 0.3, c_y, " cell state", ha="left", va="center", fontsize=10.5, color=theme.muted)
    ax.text(width - 0.3, h_y, " output", ha="left", va="center", fontsize=10.5, color=theme.muted)
    # which number is which unit
    ax.text(0, top - 0.35, "on each wire:", fontsize=11, color=theme.text, va="center")
    x = 2.6
    for u, unit in enumerate(data.units):
        text = f"{unit} ({'upper' if u == 0 else 'lower'} number)"
        ax.text(x, top - 0.35, text, fontsize=11, weight="bold", color=colours[u], va="center")
        x += 0.16 * len(text) + 0.6  # a bold 11-point character is about 0.16 data units wide
    return fig


FIGURES = [
    FigureSpec("unrolled-in-france-mary-ate", compute=partial(unrolled_data, 0, 4, ("expect_place", "seen_france")),
               table=unrolled_table, alt=unrolled_alt, draw=unrolled_figure),
]  # fmt: skip
