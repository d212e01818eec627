"""The turnstile figures: the machine, the explainer's two counter computations, the whole RNN.

Every number comes from `lstm_explainer.turnstile`, computed once per figure (its
``compute``): the machine diagram from `TRANSITIONS` (`machine_rows`), the counter pictures
from a run of `counter_cell` (`counter_trace`), and the hidden-state heatmap from a run of
`turnstile_cell` next to `machine_run` (`hidden_state_run`). Each figure's table, alt text
and drawing (``draw_*``) are functions of that one result: a drawing only draws what it holds.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle
from matplotlib.path import Path

from .. import turnstile
from ..formatting import compact
from .base import FigureSpec, Table, Theme, blank_axes, new_figure, symbol

SEQUENCE = ("coin", "push", "coin", "coin", "coin", "push", "push", "coin", "coin", "push")
"""The illustrative input sequence of the hidden-state figure: a push blocked with one coin,
two refused coins, a walk, a push blocked with none, and a second walk."""


def vector(values) -> str:
    """A vector as compact text: ``[1, 0]`` (each entry `compact`)."""
    return "[" + ", ".join(compact(v) for v in values) + "]"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def input_colour(theme: Theme, key: str) -> str:
    """One colour per input, the same in every figure: coin, then push."""
    return theme.palette[list(turnstile.INPUTS).index(key)]


# --- 1. the machine ---------------------------------------------------------------------


def machine_rows() -> list[list]:
    """One row per transition of `TRANSITIONS`: coins before, input, coins after, walk (``yes``/``no``)."""
    return [[before, key, after, yes_no(walk)] for (before, key), (after, walk) in turnstile.TRANSITIONS.items()]


def machine_table(rows: list[list]) -> Table:
    """The transitions as a table."""
    return Table(
        caption="The two-coin turnstile as a finite-state machine: its state is the number of coins in.",
        columns=["coins before", "input", "coins after", "walk"],
        rows=rows,
    )


def state_name(coins: int) -> str:
    return f"{coins} coin" + ("" if coins == 1 else "s")


def machine_alt(rows: list[list]) -> str:
    states = sorted({row[0] for row in rows})
    return (
        f"State diagram of the two-coin turnstile: {len(states)} states "
        f"({', '.join(state_name(s) for s in states)}) in a row, one arrow per transition. "
        "Coins move it from 0 to 1 to 2 coins, a third coin and pushes while locked loop back "
        "to the same state, and a push with 2 coins is labelled push / WALK and returns to 0 coins."
    )


def draw_machine(rows: list[list], theme: Theme):
    """The state diagram, one arrow per row of `machine_rows`."""
    states = sorted({row[0] for row in rows} | {row[2] for row in rows})
    spacing, radius = 3.4, 0.62
    centre = {s: (spacing * k, 0.0) for k, s in enumerate(states)}

    fig = new_figure(theme, 7.2, 3.3)
    ax = blank_axes(fig, theme)
    ax.set_xlim(-1.9, spacing * (len(states) - 1) + 1.2)
    ax.set_ylim(-2.0, 2.2)
    ax.set_aspect("equal")

    for s, (x, y) in centre.items():
        ax.add_patch(Circle((x, y), radius, facecolor="none", edgecolor=theme.text, linewidth=1.6))
        ax.text(x, y, state_name(s), ha="center", va="center", fontsize=11, color=theme.text)
    # the start state: the machine begins with no coins in
    x0, y0 = centre[states[0]]
    ax.add_patch(FancyArrowPatch((x0 - radius - 1.0, y0), (x0 - radius, y0), arrowstyle="-|>",
                                 mutation_scale=14, color=theme.muted, linewidth=1.4))  # fmt: skip
    ax.text(x0 - radius - 1.05, y0, "start", ha="right", va="center", fontsize=10, color=theme.muted)

    for before, key, after, walk in rows:
        colour = input_colour(theme, key)
        label = f"{key} / WALK" if walk == "yes" else key
        weight = "bold" if walk == "yes" else "normal"
        style = dict(arrowstyle="-|>", mutation_scale=14, color=colour, linewidth=2.2 if walk == "yes" else 1.5)
        (xa, ya), (xb, yb) = centre[before], centre[after]
        if before == after:
            # a self-loop over the state: a cubic curve leaving at 115 degrees, back at 65
            a, b = np.radians(115), np.radians(65)
            top = ya + radius + 1.0
            path = Path(
                [(xa + radius * np.cos(a), ya + radius * np.sin(a)), (xa - 0.85, top),
                 (xa + 0.85, top), (xa + radius * np.cos(b), ya + radius * np.sin(b))],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4],
            )  # fmt: skip
            ax.add_patch(FancyArrowPatch(path=path, **style))
            ax.text(xa, top - 0.05, label, ha="center", va="bottom", fontsize=11, color=colour, weight=weight)
        else:
            # arc3 bends a left-to-right arrow up and a right-to-left one down: no crossings.
            # It starts and ends on the circles, 35 degrees off the line between the centres.
            rad, angle = -0.32, np.radians(35)
            ahead, side = np.sign(xb - xa), np.sign(-rad * (xb - xa))
            start = (xa + ahead * radius * np.cos(angle), ya + side * radius * np.sin(angle))
            end = (xb - ahead * radius * np.cos(angle), yb + side * radius * np.sin(angle))
            ax.add_patch(FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0,
                                         **style))  # fmt: skip
            # the middle of the quadratic curve, half-way to its control point
            (x1, y1), (x2, y2) = start, end
            mx, my = (x1 + x2) / 2 + rad * (y2 - y1) / 2, (y1 + y2) / 2 - rad * (x2 - x1) / 2
            ax.text(mx, my + 0.12 * side, label, ha="center", va="bottom" if side > 0 else "top",
                    fontsize=11, color=colour, weight=weight)  # fmt: skip
    return fig


# --- 2. the explainer's counter ----------------------------------------------------------


def counter_trace() -> dict[str, np.ndarray]:
    """Two coins into `counter_cell` from ``h = 0``.

    Each array has one row per computation: ``h_prev``, ``x``, the two products, the
    pre-activation ``a`` and the new ``h``; ``W_hh`` and ``W_x`` are the cell's weights.
    """
    cell = turnstile.counter_cell()
    trace = cell.run(turnstile.encode(["coin", "coin"]))
    h_prev = np.vstack([trace.h0, trace.h[:-1]])
    return {
        "W_hh": cell.weight_hh,
        "W_x": cell.weight_ih,
        "h_prev": h_prev,
        "x": trace.x,
        "W_hh h": h_prev @ cell.weight_hh.T,
        "W_x x": trace.x @ cell.weight_ih.T,
        "a": trace.pre,
        "h": trace.h,
    }


COUNTER_COLUMNS = ("h_prev", "x", "W_hh h", "W_x x", "a", "h")


def counter_table(trace: dict[str, np.ndarray]) -> Table:
    """The explainer's two computations, every vector of each."""
    rows = [
        [t + 1, "coin"] + [vector(trace[name][t]) for name in COUNTER_COLUMNS] for t in range(len(trace["h"]))
    ]
    return Table(
        caption="The explainer's counter h_t = max(0, W_hh h_(t-1) + W_x x_t) with W_hh = W_x = I, "
        "given two coins: a is the pre-activation.",
        columns=["step t", "input x_t"] + ["h_(t-1)", "x_t", "W_hh h_(t-1)", "W_x x_t", "a_t", "h_t = max(0, a_t)"],
        rows=rows,
    )


def counter_alt(trace: dict[str, np.ndarray]) -> str:
    steps = "; ".join(f"{vector(p)} plus a coin gives {vector(h)}" for p, h in zip(trace["h_prev"], trace["h"]))
    return (
        "The counter RNN's two computations as matrix-vector pictures with their numbers: the identity "
        f"matrix W_hh times h, plus the identity W_x times the coin [1, 0], then max(0, ·): {steps}."
    )


def draw_matrix(ax, theme: Theme, left: float, y: float, values, colour: str | None = None) -> tuple[float, float]:
    """Numbers in brackets, vertically centred on ``y``; returns the left and right edges."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    if values.shape[0] == 1:
        values = values.T  # vectors stand as columns
    rows, cols = values.shape
    cell_w, cell_h, pad = 0.5, 0.5, 0.12
    width, height = cols * cell_w + 2 * pad, rows * cell_h
    top = y + height / 2
    for r in range(rows):
        for c in range(cols):
            ax.text(left + pad + (c + 0.5) * cell_w, top - (r + 0.5) * cell_h, compact(values[r, c]),
                    ha="center", va="center", fontsize=12, color=colour or theme.text, in_layout=False)  # fmt: skip
    # the brackets: three segments each side
    tick = 0.1
    for edge, sign in ((left, 1), (left + width, -1)):
        ax.plot([edge + sign * tick, edge, edge, edge + sign * tick], [top, top, top - height, top - height],
                color=theme.text, linewidth=1.2, solid_capstyle="butt")  # fmt: skip
    return left, left + width


def draw_counter(trace: dict[str, np.ndarray], theme: Theme):
    """One row per computation, W_hh h_(t-1) + W_x x_t = a_t and h_t = max(0, a_t), labelled once on top."""
    steps = len(trace["h"])
    row_h = 1.75
    fig = new_figure(theme, 9.4, 0.75 + 1.15 * steps)
    ax = blank_axes(fig, theme)
    ax.set_xlim(-1.4, 13.6)
    ax.set_ylim(-row_h * steps + 0.45, 0.75)
    ax.set_aspect("equal")

    coin = input_colour(theme, "coin")
    for t in range(steps):
        y = -row_h * t - 0.55  # centre line of this row
        ax.text(-0.25, y, f"t = {t + 1}", ha="right", va="center", fontsize=12, color=theme.text, weight="bold")
        x, spans = 0.0, []

        def put(values, label, gap=0.0, colour=None) -> None:
            nonlocal x
            left, x = draw_matrix(ax, theme, x + gap, y, values, colour)
            spans.append((left, x, label))

        def op(sign: str, width: float = 0.8) -> None:
            nonlocal x
            ax.text(x + width / 2, y, sign, ha="center", va="center", fontsize=14, color=theme.text)
            x += width

        put(trace["W_hh"], "W_{hh}")
        put(trace["h_prev"][t], "h_{t-1}", gap=0.25)
        op("+")
        put(trace["W_x"], "W_{x}")
        put(trace["x"][t], "x_{t}", gap=0.25, colour=coin)
        op("=")
        put(trace["W_hh h"][t], "W_{hh} h_{t-1}")
        op("+")
        put(trace["W_x x"][t], "W_{x} x_{t}", colour=coin)
        op("=")
        put(trace["a"][t], "a_{t}")
        arrow_end = x + 1.9
        ax.add_patch(FancyArrowPatch((x + 0.15, y), (arrow_end - 0.15, y), arrowstyle="-|>", mutation_scale=14,
                                     color=theme.muted, linewidth=1.4))  # fmt: skip
        ax.text((x + arrow_end) / 2, y + 0.12, "max(0, \u00b7)", ha="center", va="bottom", fontsize=11,
                color=theme.muted)  # fmt: skip
        x = arrow_end
        put(trace["h"][t], "h_{t}", colour=theme.accent)
        if t == 0:  # the labels, once, above the first row
            for left, right, label in spans:
                symbol(ax, (left + right) / 2, y + 0.75, label, 13, theme.muted, va="bottom")
    return fig


# --- 3. the whole turnstile RNN ------------------------------------------------------------


def hidden_state_run(inputs=SEQUENCE) -> dict[str, list]:
    """`turnstile_cell` over ``inputs`` (`lstm_explainer.turnstile.run`: each step's ``input``,
    hidden state ``h`` and readouts) and the reference machine's (coins, passes, walk) per step."""
    return {"rnn": turnstile.run(list(inputs)), "machine": turnstile.machine_run(inputs)}


def hidden_state_table(run: dict[str, list]) -> Table:
    """Every step of `turnstile_cell` next to the machine."""
    rnn, machine = run["rnn"], run["machine"]
    rows = []
    for t, (step, (coins, passes, walk)) in enumerate(zip(rnn, machine), start=1):
        rows.append(
            [t, step["input"], *step["h"], step["coins"], step["passes"], yes_no(step["walk"]),
             coins, passes, yes_no(walk)]
        )  # fmt: skip
    return Table(
        caption="The whole two-coin turnstile as a ReLU RNN: its five hidden units after each input, "
        "the coins, passes and walk read out of them linearly, and the reference machine's values.",
        columns=["step", "input", *turnstile.UNITS, "coins (RNN)", "passes (RNN)", "walk (RNN)",
                 "coins (machine)", "passes (machine)", "walk (machine)"],  # fmt: skip
        rows=rows,
    )


def hidden_state_alt(run: dict[str, list]) -> str:
    table = hidden_state_table(run)
    agree = all(row[-6:-3] == row[-3:] for row in table.rows)
    return (
        f"Heatmap of the turnstile RNN's {len(turnstile.UNITS)} hidden units over the inputs "
        f"{', '.join(row[1] for row in table.rows)}, with each value written in its cell; below it, the "
        "coins, passes and walk read out of the hidden state, each next to the reference machine's value"
        + (", equal at every step." if agree else ".")
    )


def draw_hidden_state(run: dict[str, list], theme: Theme):
    """Units by step as a grid of numbers shaded by value, then readouts against the machine."""
    table = hidden_state_table(run)
    col = {name: k for k, name in enumerate(table.columns)}
    steps = len(table.rows)
    units = list(turnstile.UNITS)
    values = np.array([[row[col[u]] for u in units] for row in table.rows], dtype=float).T  # (units, steps)
    vmax = max(values.max(), 1.0)

    # rows of the picture, top to bottom: y is the centre of each one-unit-high row
    header = 2.7
    unit_y = [header + 1.0 + k for k in range(len(units))]
    readout_top = unit_y[-1] + 2.3
    readouts = []  # (label, column, y, group start)
    for g, name in enumerate(("coins", "passes", "walk")):
        for k, who in enumerate(("RNN", "machine")):
            readouts.append((f"{name} ({who})", f"{name} ({who})", readout_top + 2.35 * g + k))
    bottom = readouts[-1][2] + 1.4

    fig = new_figure(theme, 8.8, 0.34 * bottom + 0.2)
    ax = blank_axes(fig, theme)
    ax.set_xlim(-3.4, steps + 0.1)
    ax.set_ylim(bottom, -0.1)  # y grows downwards, like a table

    # column headers: the step and its input
    for t, row in enumerate(table.rows):
        ax.text(t + 0.5, 0.55, str(row[col["step"]]), ha="center", va="center", fontsize=10, color=theme.muted)
        key = row[col["input"]]
        ax.text(t + 0.5, 1.4, key, ha="center", va="center", fontsize=11, weight="bold",
                color=input_colour(theme, key))  # fmt: skip
    ax.text(-0.2, 0.55, "step", ha="right", va="center", fontsize=10, color=theme.muted)
    ax.text(-0.2, 1.4, "input", ha="right", va="center", fontsize=10, color=theme.muted)

    def cell(t: float, y: float, text: str, fill: float, bold: bool = False, colour: str | None = None) -> None:
        if fill > 0:  # empty cells get no patch at all: fewer bytes
            ax.add_patch(Rectangle((t + 0.04, y - 0.46), 0.92, 0.92, facecolor=theme.accent,
                                   alpha=0.12 + 0.38 * fill, edgecolor="none", clip_on=False))  # fmt: skip
        # inside the grid, never at its edge: left out of the tight bounding box, which is faster
        ax.text(t + 0.5, y, text, ha="center", va="center", fontsize=11, in_layout=False,
                color=colour or (theme.text if fill > 0 else theme.muted), weight="bold" if bold else "normal")

    ax.text(-3.4, unit_y[0] - 0.95, "hidden state: the five ReLU units", ha="left", va="bottom",
            fontsize=11, color=theme.text, weight="bold")  # fmt: skip
    for k, (unit, y) in enumerate(zip(units, unit_y)):
        ax.text(-0.2, y, unit, ha="right", va="center", fontsize=10, color=theme.text)
        for t in range(steps):
            cell(t, y, compact(values[k, t]), values[k, t] / vmax)

    ax.text(-3.4, readout_top - 0.95, "read out linearly, and the reference machine", ha="left",
            va="bottom", fontsize=11, color=theme.text, weight="bold")  # fmt: skip
    for label, column, y in readouts:
        who_machine = "machine" in label
        ax.text(-0.2, y, label, ha="right", va="center", fontsize=10,
                color=theme.muted if who_machine else theme.text)  # fmt: skip
        partner = column.replace("machine", "RNN") if who_machine else column.replace("RNN", "machine")
        for t, row in enumerate(table.rows):
            value, other = row[col[column]], row[col[partner]]
            colour = None if value == other else theme.negative
            if column.startswith("walk"):
                walked = value == "yes"
                cell(t, y, "WALK" if walked else "\u2013", 1.0 if walked else 0.0, bold=walked, colour=colour)
            else:
                cell(t, y, compact(value), 0.0, colour=colour or (theme.muted if who_machine else theme.text))

    differ = [row[col["step"]] for row in table.rows if row[-6:-3] != row[-3:]]
    verdict = (
        "the RNN's readouts equal the machine's at every step"
        if not differ
        else f"the RNN differs from the machine at steps {', '.join(map(str, differ))}"
    )
    ax.text(steps, bottom - 0.45, verdict, ha="right", va="center", fontsize=10,
            color=theme.muted if not differ else theme.negative, style="italic")  # fmt: skip
    return fig


FIGURES = [
    FigureSpec("turnstile-machine", compute=machine_rows, table=machine_table, alt=machine_alt, draw=draw_machine),
    FigureSpec("counter-computations", compute=counter_trace, table=counter_table, alt=counter_alt,
               draw=draw_counter),  # fmt: skip
    FigureSpec("turnstile-hidden-state", compute=hidden_state_run, table=hidden_state_table, alt=hidden_state_alt,
               draw=draw_hidden_state),  # fmt: skip
]
