"""The LSTM cell as a diagram, in PyTorch's notation, and the table of what each quantity is.

The figure's numbers are its rows (`cell_rows`: quantity, formula, shape, meaning), computed
once; the table, alt text and drawing are functions of them. The formulas are those of
`LSTMCell` (its docstring, written in plain text); ``tests/test_figures_turnstile.py``
checks that they still match it. The
diagram follows the usual drawing (Olah, "Understanding LSTM Networks", 2015): the cell
state runs along the top, the four blocks read the stacked input ``[x_t, h_(t-1)]`` from
below, and ``h_t`` leaves on the right.

`draw_lstm` draws that cell on an axes, optionally with one path at work highlighted (the
parts of `PHASE_PARTS`, the rest faded, as in Olah's step-by-step pictures) and a value
tag on any wire (`TAG_AT`): `lstm_explainer.figures.phase_diagrams` draws it with the
walkthrough's values, and `draw_cell` draws the plain diagram of the cell's table.
"""

from __future__ import annotations

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..cells import GATES
from .base import FigureSpec, Table, Theme, blank_axes, new_figure, symbol

ACTIVATION = {"i": "sigmoid", "f": "sigmoid", "g": "tanh", "o": "sigmoid"}
MEANING = {
    "i": "input gate: how much of the candidate is written into the cell",
    "f": "forget gate: how much of the old cell state is kept",
    "g": "candidate: the new content that could be written",
    "o": "output gate: how much of the squashed cell state is shown as h_t",
}


def gate_formula(gate: str) -> str:
    """``i_t = sigmoid(W_ii x_t + b_ii + W_hi h_(t-1) + b_hi)`` and its siblings."""
    return f"{gate}_t = {ACTIVATION[gate]}(W_i{gate} x_t + b_i{gate} + W_h{gate} h_(t-1) + b_h{gate})"


def cell_rows() -> list[list[str]]:
    """One row per quantity of an LSTM step: name, formula, shape (H hidden, D input), meaning."""
    return [
        ["x_t", "input at step t", "D", "what the cell reads now"],
        ["h_(t-1)", "previous hidden state (zeros before step 1)", "H", "what the cell showed at the last step"],
        ["c_(t-1)", "previous cell state (zeros before step 1)", "H", "the memory carried from the last step"],
        *[[f"{gate}_t", gate_formula(gate), "H", MEANING[gate]] for gate in GATES],
        ["c_t", "c_t = f_t * c_(t-1) + i_t * g_t", "H", "new cell state: kept memory plus written candidate"],
        ["h_t", "h_t = o_t * tanh(c_t)", "H", "new hidden state: the output, and the input of the next step"],
        ["weight_ih", "[W_ii; W_if; W_ig; W_io], stacked in the order i, f, g, o", "4H x D", "input weights"],
        ["weight_hh", "[W_hi; W_hf; W_hg; W_ho], stacked in the order i, f, g, o", "4H x H", "recurrent weights"],
        ["bias_ih, bias_hh", "[b_ii; b_if; b_ig; b_io] and [b_hi; b_hf; b_hg; b_ho]", "4H each", "biases"],
    ]


def cell_table(rows: list[list[str]]) -> Table:
    """The rows of `cell_rows` as a table, with the notation in the caption."""
    return Table(
        caption="One LSTM step in PyTorch's notation: sigmoid is the logistic function, * the "
        "element-wise product; H is the hidden size and D the input size.",
        columns=["quantity", "formula", "shape", "meaning"],
        rows=rows,
    )


ALT = (
    "Diagram of one LSTM cell: the cell state runs along the top from c_(t-1) through a "
    "multiplication by the forget gate f_t and an addition of i_t times g_t to c_t; below, the "
    "stacked input x_t and h_(t-1) feeds three sigmoid gates (f_t, i_t, o_t) and a tanh candidate "
    "(g_t), and h_t = o_t times tanh(c_t) leaves on the right."
)


def cell_alt(rows: list[list[str]]) -> str:
    """`ALT`: the diagram's description (the same whatever the rows, which it draws as labels only)."""
    return ALT


def math(name: str) -> str:
    """``h_(t-1)`` in the notation of `symbol`: ``h_{t-1}``."""
    base, _, sub = name.partition("_")
    return f"{base}_{{{sub.strip('()')}}}"


# --- the drawing, shared by the plain diagram and the phase diagrams ---------------------

TOP, BUS, GATES_Y = 5.0, 0.9, 2.3
"""Heights (data units): the cell-state line, the stacked input's bus, the centre of the blocks."""

GX = {"f": 1.6, "i": 3.2, "g": 4.6, "o": 6.3}
"""Where each block stands (data units): forget, input, candidate, output, left to right."""

MUL_F, ADD, MUL_IG = (GX["f"], TOP), (3.9, TOP), (3.9, 3.75)
TANH_C, MUL_O = (8.1, 3.9), (8.1, GATES_Y)
STACK_X, RIGHT_END = -1.0, 11.2
XLIM, YLIM = (-2.3, 12.4), (-2.0, 6.9)
"""The axes' limits of the cell (data units; one is 0.57 inch in `draw_cell`)."""

PARTS = ("x", "c_prev", "f", "fc", "i", "g", "ig", "c", "tanh", "o", "h")
"""The parts of the drawing, each a quantity and the wire that carries it: the stacked input
(``x``: x_t and h_(t-1)), c_(t-1), the gates and candidate with their blocks, f_t * c_(t-1)
(``fc``), i_t * g_t (``ig``), c_t, tanh(c_t) (``tanh``) and h_t."""

PHASE_PARTS = {
    "input": frozenset({"x", "i", "g", "ig", "c"}),
    "forget": frozenset({"x", "c_prev", "f", "fc", "c"}),
    "output": frozenset({"x", "c", "tanh", "o", "h"}),
}
"""The path at work in each phase: the parts `draw_lstm` draws in full, the rest faded."""

TAG_AT = {
    "x": (STACK_X - 0.8, BUS + 0.35),
    "h_prev": (STACK_X - 0.8, BUS - 0.35),
    "c_prev": (0.15, TOP),
    "f": (GX["f"], 3.75),
    "fc": ((MUL_F[0] + ADD[0]) / 2, TOP),
    "i": (GX["i"], 3.1),
    "g": (GX["g"], 3.1),
    "ig": (MUL_IG[0], (MUL_IG[1] + TOP) / 2),
    "c": (9.85, TOP),
    "tanh": (TANH_C[0], (TANH_C[1] + MUL_O[1]) / 2),
    "o": ((GX["o"] + 0.475 + MUL_O[0] - 0.3) / 2, MUL_O[1]),
    "h": (10.35, MUL_O[1]),
}
"""Where a value tag sits on each wire (data units): the tags of ``x`` and ``h_prev`` (the two
halves of the stacked input) end left of their boxes."""


def draw_lstm(ax, theme: Theme, active: frozenset | None = None, tags: dict | None = None) -> None:
    """Draw the LSTM cell on ``ax`` (limits `XLIM`, `YLIM`, equal aspect), left to right.

    ``active`` is a set of `PARTS` (e.g. a value of `PHASE_PARTS`): those are drawn bold and
    the rest faded; ``None`` draws every part plainly. ``tags`` maps parts (and ``"h_prev"``)
    to a short text, a value shown in a box on that part's wire (`TAG_AT`); without tags the
    stacked input is explained in words instead.
    """
    tags = tags or {}
    gate_colour, tanh_colour, op_colour = theme.palette[:3]
    cell_colour = theme.accent

    def on(part: str) -> bool:
        return active is None or part in active

    def ink(part: str, colour: str) -> dict:
        """A line's colour, width factor and alpha: faded off the path at work."""
        if on(part):
            return {"color": colour, "alpha": 1.0, "bold": active is not None}
        return {"color": theme.line, "alpha": 0.4, "bold": False}

    def text_colour(part: str) -> str:
        return theme.text if on(part) else theme.muted

    def arrow(part, points, colour=theme.line, width=1.6):
        """A polyline through ``points``, with an arrow head at its end."""
        look = ink(part, colour)
        width *= 1.5 if look["bold"] else 1.0
        *body, end = points
        if len(body) > 1:
            ax.plot(*zip(*body), color=look["color"], alpha=look["alpha"], linewidth=width, solid_capstyle="butt")
        ax.add_patch(FancyArrowPatch(body[-1], end, arrowstyle="-|>", mutation_scale=13, color=look["color"],
                                     alpha=look["alpha"], linewidth=width, shrinkA=0, shrinkB=0))  # fmt: skip

    def op(part, x, y, sign, r=0.3):
        """A pointwise operation: ``sign`` in a circle."""
        look = ink(part, op_colour)
        ax.add_patch(Circle((x, y), r, facecolor="none", edgecolor=look["color"], alpha=look["alpha"],
                            linewidth=2.4 if look["bold"] else 1.6, zorder=3))  # fmt: skip
        ax.text(x, y, sign, ha="center", va="center", fontsize=14, color=text_colour(part), zorder=4)

    def block(part, x, y, text, colour, w=0.95, h=0.7):
        look = ink(part, colour)
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.12",
                                    facecolor="none", edgecolor=look["color"], alpha=look["alpha"],
                                    linewidth=3.0 if look["bold"] else 2.0, zorder=3))  # fmt: skip
        ax.text(x, y, text, ha="center", va="center", fontsize=13, color=text_colour(part), zorder=4)

    def label(part, x, y, name, **kw):
        symbol(ax, x, y, name, 15, text_colour(part), **kw)

    # the cell's outline
    ax.add_patch(FancyBboxPatch((0, 0), 10, 6, boxstyle="round,pad=0,rounding_size=0.4", facecolor="none",
                                edgecolor=theme.muted, linewidth=1.2, linestyle=(0, (4, 3))))  # fmt: skip

    # the cell state along the top: c_(t-1) -> x f_t -> + i_t g_t -> c_t
    arrow("c_prev", [(-1.2, TOP), (MUL_F[0] - 0.3, TOP)], cell_colour, 2.6)
    arrow("fc", [(MUL_F[0] + 0.3, TOP), (ADD[0] - 0.3, TOP)], cell_colour, 2.6)
    arrow("c", [(ADD[0] + 0.3, TOP), (RIGHT_END, TOP)], cell_colour, 2.6)
    label("c_prev", -1.3, TOP, math("c_(t-1)"), ha="right", va="center")
    label("c", RIGHT_END + 0.1, TOP, math("c_t"), ha="left", va="center")
    ax.text(6.0, TOP + 0.15, "cell state", ha="center", va="bottom", fontsize=11, color=theme.muted)

    # the stacked input [x_t, h_(t-1)] along the bottom, one branch up into each block
    for k, key in enumerate(("x_t", "h_(t-1)")):
        yy = BUS + 0.35 - 0.7 * k
        ax.add_patch(FancyBboxPatch((STACK_X - 0.65, yy - 0.35), 1.3, 0.7, boxstyle="square,pad=0",
                                    facecolor="none", edgecolor=theme.text, linewidth=1.2))  # fmt: skip
        symbol(ax, STACK_X, yy, math(key), 14, theme.text)
    if not tags:
        ax.text(STACK_X, BUS - 0.85, "stacked:\nD + H rows", ha="center", va="top", fontsize=10, color=theme.muted)
    bus = ink("x", theme.line)
    ax.plot([STACK_X + 0.65, GX["o"]], [BUS, BUS], solid_capstyle="butt", color=bus["color"], alpha=bus["alpha"],
            linewidth=2.4 if bus["bold"] else 1.6)  # fmt: skip
    for gate, x in GX.items():
        arrow(gate, [(x, BUS), (x, GATES_Y - 0.35)])
        role = MEANING[gate].split(":")[0].removesuffix(" gate")  # "forget", "candidate", ...
        ax.text(x + 0.1, (BUS + GATES_Y - 0.35) / 2, role, ha="left", va="center", fontsize=9,
                color=text_colour(gate))  # fmt: skip
        sigmoid = ACTIVATION[gate] != "tanh"
        block(gate, x, GATES_Y, "\u03c3" if sigmoid else "tanh", gate_colour if sigmoid else tanh_colour)

    # f_t into the top line's x; i_t and g_t meet in a x, whose product goes into the +
    away = 0.64 if tags else 0.12  # a symbol stands clear of its wire's tag
    arrow("f", [(GX["f"], GATES_Y + 0.35), (MUL_F[0], TOP - 0.3)])
    label("f", GX["f"] + away, TAG_AT["f"][1] if tags else 3.6, math("f_t"), ha="left", va="center")
    arrow("i", [(GX["i"], GATES_Y + 0.35), (GX["i"], MUL_IG[1]), (MUL_IG[0] - 0.3, MUL_IG[1])])
    label("i", GX["i"] - away, TAG_AT["i"][1] if tags else 3.2, math("i_t"), ha="right", va="center")
    arrow("g", [(GX["g"], GATES_Y + 0.35), (GX["g"], MUL_IG[1]), (MUL_IG[0] + 0.3, MUL_IG[1])])
    label("g", GX["g"] + away, TAG_AT["g"][1] if tags else 3.2, math("g_t"), ha="left", va="center")
    arrow("ig", [(MUL_IG[0], MUL_IG[1] + 0.3), (ADD[0], TOP - 0.3)])
    op("fc", *MUL_F, "\u00d7")
    op("c", *ADD, "+")
    op("ig", *MUL_IG, "\u00d7")

    # o_t times tanh(c_t) gives h_t, which leaves on the right (output and next step)
    arrow("tanh", [(TANH_C[0], TOP), (TANH_C[0], TANH_C[1] + 0.3)])
    look = ink("tanh", op_colour)
    ax.add_patch(FancyBboxPatch((TANH_C[0] - 0.5, TANH_C[1] - 0.3), 1.0, 0.6, boxstyle="round,pad=0,rounding_size=0.3",
                                facecolor="none", edgecolor=look["color"], alpha=look["alpha"],
                                linewidth=2.4 if look["bold"] else 1.6, zorder=3))  # fmt: skip
    ax.text(*TANH_C, "tanh", ha="center", va="center", fontsize=12, color=text_colour("tanh"), zorder=4)
    arrow("tanh", [(TANH_C[0], TANH_C[1] - 0.3), (MUL_O[0], MUL_O[1] + 0.3)])
    arrow("o", [(GX["o"] + 0.475, MUL_O[1]), (MUL_O[0] - 0.3, MUL_O[1])])
    label("o", TAG_AT["o"][0], MUL_O[1] + (0.3 if tags else 0.1), math("o_t"), va="bottom")
    op("h", *MUL_O, "\u00d7")
    arrow("h", [(MUL_O[0] + 0.3, MUL_O[1]), (RIGHT_END, MUL_O[1])], cell_colour, 2.2)
    label("h", RIGHT_END + 0.1, MUL_O[1], math("h_t"), ha="left", va="center")
    ax.text(9.05, MUL_O[1] - 0.15, "output and\nnext step", ha="center", va="top", fontsize=10,
            color=theme.muted, linespacing=1.2)  # fmt: skip

    for part, text in tags.items():
        x, y = TAG_AT[part]
        tag(ax, theme, x, y, text, on("x" if part == "h_prev" else part) and active is not None,
            ha="right" if part in ("x", "h_prev") else "center")


def tag(ax, theme: Theme, x: float, y: float, text: str, strong: bool, ha: str = "center") -> None:
    """A value on a wire: ``text`` in a small box with the page's colour behind it, bold and
    framed in the accent colour when ``strong`` (on the path at work)."""
    ax.text(x, y, text, ha=ha, va="center", fontsize=12 if strong else 11, zorder=6,
            color=theme.text if strong else theme.muted, weight="bold" if strong else "normal",
            bbox=dict(boxstyle="round,pad=0.22", facecolor=theme.background,
                      edgecolor=theme.accent if strong else theme.line, linewidth=1.4 if strong else 0.9))  # fmt: skip


def cell_axes(theme: Theme, width: float, height: float, ylim: tuple = YLIM):
    """A figure of ``width`` x ``height`` inches with one blank axes holding the cell's
    coordinates (`XLIM`, ``ylim``, equal aspect). Returns ``(figure, axes)``."""
    fig = new_figure(theme, width, height)
    ax = blank_axes(fig, theme)
    ax.set_xlim(*XLIM)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    return fig, ax


def draw_cell(rows: list[list[str]], theme: Theme):
    """The cell, drawn left to right (`draw_lstm`), with how to read its blocks underneath.

    The drawing's symbols are those of `cell_rows` (checked: every one it draws is a row)."""
    names = {row[0] for row in rows}
    missing = {"x_t", "h_(t-1)", "c_(t-1)", "f_t", "i_t", "g_t", "o_t", "c_t", "h_t"} - names
    if missing:
        raise ValueError(f"the cell's rows lack {', '.join(sorted(missing))}, which the diagram draws.")
    fig, ax = cell_axes(theme, 8.4, 4.9)
    draw_lstm(ax, theme)
    # how to read the blocks, in the plain-text notation of the table
    ax.text(5.0, -0.75, "each block: W_i\u00b7 x_t + b_i\u00b7 + W_h\u00b7 h_(t-1) + b_h\u00b7, then \u03c3 (sigmoid) or tanh;"
            "\n\u00d7 and + act element-wise", ha="center", va="top", fontsize=11, color=theme.muted,
            linespacing=1.5)  # fmt: skip
    return fig


FIGURES = [FigureSpec("lstm-cell-diagram", compute=cell_rows, table=cell_table, alt=cell_alt, draw=draw_cell)]
