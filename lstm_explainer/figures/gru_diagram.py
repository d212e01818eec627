r"""The GRU cell as a diagram, drawn like the LSTM's, with the values of a traced step on its wires.

The values come from a real `GRUCell` (``torch.nn.GRUCell``'s equations, PyTorch's layout) with
one hand-set unit, a *latch*: it reads $x_t = [\text{write}, \text{value}]$ and keeps the last
value it was told to write (`latch_cell`, run over `LATCH_INPUTS` by `latch_trace`). Every
weight has one reason:

* update gate $z_t = \sigma(6 - 12\,\text{write})$: near 1 (keep the old state) unless told to
  write, near 0 (take the candidate) when told;
* reset gate $r_t = \sigma(6 - 12\,\text{write})$: when writing, the candidate ignores the old
  state;
* candidate $n_t = \tanh(2\,\text{value} + r_t \cdot 2 h_{t-1})$.

The figure (``gru-cell-diagram``) shows the cell at `SHOWN_STEP`, the second write, with
$h_{t-1}$, $r_t$, $z_t$, $1 - z_t$, $n_t$ and $h_t$ on its wires; its table lists every step.
The layout follows `lstm_explainer.figures.cell_diagram`: the state runs along the top, the
blocks read the stacked input ``[x_t, h_(t-1)]`` from below.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..cells import GRUCell, GRUTrace
from ..formatting import compact, fmt, pct, spelled
from .base import FigureSpec, Table, Theme, blank_axes, new_figure, symbol

S = 6.0
"""The gates' strength: a pre-activation of +S opens a gate, -S shuts it (as in the France LSTM)."""

CANDIDATE = 2.0
"""The candidate's weight on the value, and on the old state (which the reset gate scales)."""

LATCH_INPUTS = ((1.0, 1.0), (0.0, -1.0), (0.0, 0.5), (1.0, -1.0), (0.0, 1.0))
"""The inputs $x_t = (\\text{write}, \\text{value})$: write +1, two distractions, write -1, a distraction."""

SHOWN_STEP = 3
"""The step the diagram shows (0-based): the second write."""

DISTRACTION = 1
"""The step (from 0) of `LATCH_INPUTS` the page shows as a distraction: told to write nothing."""


def latch_cell() -> GRUCell:
    """The one-unit latch GRU (``weight_ih`` 3 x 2, ``weight_hh`` 3 x 1, rows in PyTorch's order r, z, n)."""
    weight_ih = np.array([
        [-2 * S, 0.0],  # r: shut when writing
        [-2 * S, 0.0],  # z: shut (take the candidate) when writing
        [0.0, CANDIDATE],  # n: the value, squashed
    ])  # fmt: skip
    weight_hh = np.array([[0.0], [0.0], [CANDIDATE]])  # n: the old state, scaled by r
    bias_ih = np.array([S, S, 0.0])  # r and z open unless writing
    return GRUCell(weight_ih, weight_hh, bias_ih)


@functools.cache
def latch_trace() -> GRUTrace:
    """The latch run over `LATCH_INPUTS` from h_0 = 0."""
    return latch_cell().run(np.array(LATCH_INPUTS))


def step_values(trace: GRUTrace, t: int) -> dict[str, float]:
    """Everything on the diagram's wires at step ``t`` (unit 0)."""
    return {
        "write": float(trace.x[t, 0]),
        "value": float(trace.x[t, 1]),
        "h_prev": float(trace.h_prev[t, 0]),
        "r": float(trace.r[t, 0]),
        "z": float(trace.z[t, 0]),
        "one_minus_z": float(1.0 - trace.z[t, 0]),
        "n": float(trace.n[t, 0]),
        "h": float(trace.h[t, 0]),
    }


def without_reset(trace: GRUTrace, t: int) -> float:
    """The candidate at step ``t`` had the reset gate been 1: $\\tanh(W_{in} x_t + b_{in} + W_{hn} h_{t-1} + b_{hn})$."""
    # $$n_t = \tanh(W_{in} x_t + b_{in} + 1 \cdot (W_{hn} h_{t-1} + b_{hn}))$$
    return float(np.tanh(trace.pre_n_x[t, 0] + trace.pre_n_h[t, 0]))


def gru_steps() -> list[dict[str, float]]:
    """The figure's numbers: `step_values` at every step of the latch's run."""
    trace = latch_trace()
    return [step_values(trace, t) for t in range(len(trace.h))]


def gru_table(steps: list[dict[str, float]]) -> Table:
    return Table(
        caption=(
            "The one-unit latch GRU at every step, in PyTorch's notation: x_t = (write, value); r_t reset gate, "
            "z_t update gate, n_t candidate, h_t = (1 − z_t) n_t + z_t h_(t−1). The diagram shows step "
            f"{SHOWN_STEP + 1}."
        ),
        columns=["step", "write", "value", "h_(t−1)", "r_t", "z_t", "1 − z_t", "n_t", "h_t"],
        rows=[[t + 1, compact(s["write"]), compact(s["value"]), fmt(s["h_prev"], 3), fmt(s["r"], 3), fmt(s["z"], 3),
               fmt(s["one_minus_z"], 3), fmt(s["n"], 3), fmt(s["h"], 3)] for t, s in enumerate(steps)],  # fmt: skip
    )


def gru_alt(steps: list[dict[str, float]]) -> str:
    s = steps[SHOWN_STEP]
    return (
        "Diagram of one GRU cell: the state runs along the top from h_(t−1) through a multiplication by the update "
        "gate z_t and an addition of (1 − z_t) times the candidate n_t to h_t. Below, the stacked input x_t and "
        "h_(t−1) feeds two sigmoid gates (z_t and r_t) and a tanh candidate n_t, whose recurrent part r_t scales. "
        f"The wires carry the values of a one-unit latch told to write {compact(s['value'])}: h_(t−1) = "
        f"{fmt(s['h_prev'], 3)}, r_t = {fmt(s['r'], 3)}, z_t = {fmt(s['z'], 3)}, 1 − z_t = {fmt(s['one_minus_z'], 3)}, "
        f"n_t = {fmt(s['n'], 3)}, so h_t = {fmt(s['h'], 3)}: the old value is replaced."
    )


def draw_gru(steps: list[dict[str, float]], theme: Theme):
    """The cell, drawn left to right in the LSTM diagram's style, with step `SHOWN_STEP`'s values."""
    values = steps[SHOWN_STEP]
    fig = new_figure(theme, 8.4, 4.9)
    ax = blank_axes(fig, theme)
    ax.set_xlim(-2.3, 12.4)
    ax.set_ylim(-2.0, 6.9)
    ax.set_aspect("equal")

    gate_colour, tanh_colour, op_colour = theme.palette[:3]
    state_colour = theme.accent
    line = dict(color=theme.line, linewidth=1.6)

    def arrow(points, colour=theme.line, width=1.6):
        """A polyline through ``points``, with an arrow head at its end."""
        *body, end = points
        if len(body) > 1:
            ax.plot(*zip(*body), color=colour, linewidth=width, solid_capstyle="butt")
        ax.add_patch(FancyArrowPatch(body[-1], end, arrowstyle="-|>", mutation_scale=13, color=colour,
                                     linewidth=width, shrinkA=0, shrinkB=0))  # fmt: skip

    def op(x, y, sign, r=0.3):
        """A pointwise operation: ``sign`` in a circle."""
        ax.add_patch(Circle((x, y), r, facecolor="none", edgecolor=op_colour, linewidth=1.6, zorder=3))
        ax.text(x, y, sign, ha="center", va="center", fontsize=14, color=theme.text, zorder=4)

    def block(x, y, text, colour, w=0.95, h=0.7):
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                                    facecolor="none", edgecolor=colour, linewidth=2.0, zorder=3))  # fmt: skip
        ax.text(x, y, text, ha="center", va="center", fontsize=13, color=theme.text, zorder=4)

    def value(x, y, key, ha="left"):
        """The traced value of ``key`` at ``(x, y)``, in the accent colour."""
        ax.text(x, y, f"= {fmt(values[key], 3)}", ha=ha, va="center", fontsize=10.5, color=theme.accent)

    # the cell's outline
    ax.add_patch(FancyBboxPatch((0, 0), 10, 6, boxstyle="round,pad=0,rounding_size=0.4", facecolor="none",
                                edgecolor=theme.muted, linewidth=1.2, linestyle=(0, (4, 3))))  # fmt: skip

    top, bus, gates_y = 5.0, 0.9, 2.3  # state line, input bus, centre of the three blocks
    gx = {"z": 2.0, "r": 4.4, "n": 6.6}
    keep, add, new, minus = (gx["z"], top), (gx["n"], top), (gx["n"], 3.75), (4.0, 3.75)

    # the state along the top: h_(t-1) -> x z_t -> + (1 - z_t) n_t -> h_t
    arrow([(-1.2, top), (keep[0] - 0.3, top)], state_colour, 2.6)
    arrow([(keep[0] + 0.3, top), (add[0] - 0.3, top)], state_colour, 2.6)
    arrow([(add[0] + 0.3, top), (11.2, top)], state_colour, 2.6)
    symbol(ax, -1.3, top, "h_{t-1}", 15, theme.text, ha="right", va="center")
    value(-1.3, top - 0.55, "h_prev", ha="right")
    symbol(ax, 11.3, top, "h_{t}", 15, theme.text, ha="left", va="center")
    value(11.3, top - 0.55, "h")
    ax.text(8.6, top + 0.15, "state = output", ha="center", va="bottom", fontsize=11, color=theme.muted)

    # the stacked input [x_t, h_(t-1)] along the bottom, one branch up into each block
    stack_x = -1.0
    for k, name in enumerate(("x_{t}", "h_{t-1}")):
        yy = bus + 0.35 - 0.7 * k
        ax.add_patch(FancyBboxPatch((stack_x - 0.65, yy - 0.35), 1.3, 0.7, boxstyle="square,pad=0",
                                    facecolor="none", edgecolor=theme.text, linewidth=1.2))  # fmt: skip
        symbol(ax, stack_x, yy, name, 14, theme.text)
    ax.text(stack_x, bus - 0.85, "stacked:\nD + H rows", ha="center", va="top", fontsize=10, color=theme.muted)
    ax.plot([stack_x + 0.65, gx["n"]], [bus, bus], solid_capstyle="butt", **line)
    roles = {"z": "update", "r": "reset", "n": "candidate"}
    for gate, x in gx.items():
        arrow([(x, bus), (x, gates_y - 0.35)])
        ax.text(x + 0.1, (bus + gates_y - 0.35) / 2, roles[gate], ha="left", va="center", fontsize=9, color=theme.muted)
        block(x, gates_y, "tanh" if gate == "n" else "\u03c3", tanh_colour if gate == "n" else gate_colour)

    # z_t into the top line's x; 1 - z_t and n_t meet in a x, whose product goes into the +
    arrow([(gx["z"], gates_y + 0.35), (keep[0], top - 0.3)])
    symbol(ax, gx["z"] - 0.12, 3.45, "z_{t}", 15, theme.text, ha="right", va="center")
    value(gx["z"] - 0.12, 3.0, "z", ha="right")
    arrow([(gx["z"], minus[1]), (minus[0] - 0.45, minus[1])])
    ax.add_patch(FancyBboxPatch((minus[0] - 0.45, minus[1] - 0.28), 0.9, 0.56, boxstyle="round,pad=0,rounding_size=0.28",
                                facecolor="none", edgecolor=op_colour, linewidth=1.6, zorder=3))  # fmt: skip
    ax.text(*minus, "1\u2212", ha="center", va="center", fontsize=12, color=theme.text, zorder=4)
    arrow([(minus[0] + 0.45, minus[1]), (new[0] - 0.3, new[1])])
    symbol(ax, 5.2, minus[1] + 0.12, "1\u2212z_{t}", 13, theme.text, va="bottom")
    value(5.2, minus[1] + 0.75, "one_minus_z", ha="center")
    arrow([(gx["n"], gates_y + 0.35), (new[0], new[1] - 0.3)])
    symbol(ax, gx["n"] + 0.12, 3.1, "n_{t}", 15, theme.text, ha="left", va="center")
    value(gx["n"] + 0.65, 3.1, "n")
    arrow([(new[0], new[1] + 0.3), (add[0], top - 0.3)])
    op(*keep, "\u00d7")
    op(*add, "+")
    op(*new, "\u00d7")

    # r_t scales the candidate's recurrent part
    arrow([(gx["r"] + 0.475, gates_y), (gx["n"] - 0.475, gates_y)])
    symbol(ax, (gx["r"] + gx["n"]) / 2, gates_y + 0.12, "r_{t}", 15, theme.text, va="bottom")
    value((gx["r"] + gx["n"]) / 2, gates_y - 0.35, "r", ha="center")

    # how to read the blocks, in the plain-text notation of the table
    ax.text(5.0, -0.75, "\u03c3 blocks: W_i\u00b7 x_t + b_i\u00b7 + W_h\u00b7 h_(t\u22121) + b_h\u00b7;  candidate: "
            "tanh(W_in x_t + b_in + r_t \u00d7 (W_hn h_(t\u22121) + b_hn))\nvalues: one unit at step "
            f"{SHOWN_STEP + 1}, told to write {compact(values['value'])}", ha="center", va="top", fontsize=10.5,
            color=theme.muted, linespacing=1.5)  # fmt: skip
    return fig


def shown(key: str) -> float:
    return gru_steps()[SHOWN_STEP][key]


NUMBERS: dict[str, Callable[[], str]] = {
    "gru_gate_strength": lambda: compact(S),
    "gru_candidate_weight": lambda: compact(CANDIDATE),
    "gru_first_value": lambda: compact(gru_steps()[0]["value"]),
    "gru_shown_step": lambda: str(SHOWN_STEP + 1),
    "gru_distractions": lambda: spelled(sum(write == 0 for write, _ in LATCH_INPUTS[1:SHOWN_STEP])),
    "gru_distraction_step": lambda: str(DISTRACTION + 1),
    "gru_shown_value": lambda: compact(shown("value")),
    "gru_shown_h_prev": lambda: fmt(shown("h_prev"), 3),
    "gru_shown_r": lambda: fmt(shown("r"), 3),
    "gru_shown_z": lambda: fmt(shown("z"), 3),
    "gru_shown_one_minus_z": lambda: fmt(shown("one_minus_z"), 3),
    "gru_shown_n": lambda: fmt(shown("n"), 3),
    "gru_shown_h": lambda: fmt(shown("h"), 3),
    # had the reset gate been 1 at the shown step, the old state would have leaked into the candidate
    "gru_shown_n_without_reset": lambda: fmt(without_reset(latch_trace(), SHOWN_STEP), 3),
    # a distraction (step 2): z near 1 keeps the state
    "gru_distraction_z": lambda: fmt(gru_steps()[DISTRACTION]["z"], 3),
    "gru_distraction_value": lambda: compact(gru_steps()[DISTRACTION]["value"]),
    "gru_distraction_h": lambda: fmt(gru_steps()[DISTRACTION]["h"], 3),
    "gru_first_h": lambda: fmt(gru_steps()[0]["h"], 3),
    "gru_distraction_kept_pct": lambda: pct(gru_steps()[DISTRACTION]["h"] / gru_steps()[0]["h"]),
}
"""Every number the GRU page quotes from the latch, by placeholder name."""

FIGURES = [FigureSpec("gru-cell-diagram", compute=gru_steps, table=gru_table, alt=gru_alt, draw=draw_gru)]
