"""The LSTM cell as a diagram, in PyTorch's notation, and the table of what each quantity is.

The figure's numbers are its rows (`cell_rows`: quantity, formula, shape, meaning), computed
once; the table, alt text and drawing are functions of them. The formulas are those of
`LSTMCell` (its docstring, written in plain text); ``tests/test_figures_turnstile.py``
checks that they still match it. The
diagram follows the usual drawing (Olah, "Understanding LSTM Networks", 2015): the cell
state runs along the top, the four blocks read the stacked input ``[x_t, h_(t-1)]`` from
below, and ``h_t`` leaves on the right.
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


def draw_cell(rows: list[list[str]], theme: Theme):
    """The cell, drawn left to right; gate labels come from `cell_rows`."""
    names = [row[0] for row in rows]
    label = {name[0]: math(name) for name in names if name.endswith("_t")}  # i, f, g, o, c, h, x
    label["h_prev"], label["c_prev"] = math("h_(t-1)"), math("c_(t-1)")

    fig = new_figure(theme, 8.4, 4.9)
    ax = blank_axes(fig, theme)
    ax.set_xlim(-2.3, 12.4)
    ax.set_ylim(-2.0, 6.9)
    ax.set_aspect("equal")

    gate_colour, tanh_colour, op_colour = theme.palette[:3]
    cell_colour = theme.accent
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

    # the cell's outline
    ax.add_patch(FancyBboxPatch((0, 0), 10, 6, boxstyle="round,pad=0,rounding_size=0.4", facecolor="none",
                                edgecolor=theme.muted, linewidth=1.2, linestyle=(0, (4, 3))))  # fmt: skip

    top, bus, gates_y = 5.0, 0.9, 2.3  # cell-state line, input bus, centre of the four blocks
    gx = {"f": 1.6, "i": 3.2, "g": 4.6, "o": 6.6}
    mul_f, add, mul_ig = (gx["f"], top), (3.9, top), (3.9, 3.75)
    tanh_c, mul_o = (8.1, 3.9), (8.1, 2.3)

    # the cell state along the top: c_(t-1) -> x f_t -> + i_t g_t -> c_t
    arrow([(-1.2, top), (mul_f[0] - 0.3, top)], cell_colour, 2.6)
    arrow([(mul_f[0] + 0.3, top), (add[0] - 0.3, top)], cell_colour, 2.6)
    arrow([(add[0] + 0.3, top), (11.2, top)], cell_colour, 2.6)
    symbol(ax, -1.3, top, label["c_prev"], 15, theme.text, ha="right", va="center")
    symbol(ax, 11.3, top, label["c"], 15, theme.text, ha="left", va="center")
    ax.text(6.0, top + 0.15, "cell state", ha="center", va="bottom", fontsize=11, color=theme.muted)

    # the stacked input [x_t, h_(t-1)] along the bottom, one branch up into each block
    stack_x = -1.0
    for k, key in enumerate(("x", "h_prev")):
        yy = bus + 0.35 - 0.7 * k
        ax.add_patch(FancyBboxPatch((stack_x - 0.65, yy - 0.35), 1.3, 0.7, boxstyle="square,pad=0",
                                    facecolor="none", edgecolor=theme.text, linewidth=1.2))  # fmt: skip
        symbol(ax, stack_x, yy, label[key], 14, theme.text)
    ax.text(stack_x, bus - 0.85, "stacked:\nD + H rows", ha="center", va="top", fontsize=10, color=theme.muted)
    ax.plot([stack_x + 0.65, gx["o"]], [bus, bus], solid_capstyle="butt", **line)
    for gate, x in gx.items():
        arrow([(x, bus), (x, gates_y - 0.35)])
        role = MEANING[gate].split(":")[0].removesuffix(" gate")  # "forget", "candidate", ...
        ax.text(x + 0.1, (bus + gates_y - 0.35) / 2, role, ha="left", va="center", fontsize=9, color=theme.muted)
        block(x, gates_y, "tanh" if ACTIVATION[gate] == "tanh" else "\u03c3",
              tanh_colour if ACTIVATION[gate] == "tanh" else gate_colour)  # fmt: skip

    # f_t into the top line's x; i_t and g_t meet in a x, whose product goes into the +
    arrow([(gx["f"], gates_y + 0.35), (mul_f[0], top - 0.3)])
    symbol(ax, gx["f"] + 0.12, 3.6, label["f"], 15, theme.text, ha="left", va="center")
    arrow([(gx["i"], gates_y + 0.35), (gx["i"], mul_ig[1]), (mul_ig[0] - 0.3, mul_ig[1])])
    symbol(ax, gx["i"] - 0.12, 3.2, label["i"], 15, theme.text, ha="right", va="center")
    arrow([(gx["g"], gates_y + 0.35), (gx["g"], mul_ig[1]), (mul_ig[0] + 0.3, mul_ig[1])])
    symbol(ax, gx["g"] + 0.12, 3.2, label["g"], 15, theme.text, ha="left", va="center")
    arrow([(mul_ig[0], mul_ig[1] + 0.3), (add[0], top - 0.3)])
    op(*mul_f, "\u00d7")
    op(*add, "+")
    op(*mul_ig, "\u00d7")

    # o_t times tanh(c_t) gives h_t, which leaves on the right (output and next step)
    arrow([(tanh_c[0], top), (tanh_c[0], tanh_c[1] + 0.3)])
    ax.add_patch(FancyBboxPatch((tanh_c[0] - 0.5, tanh_c[1] - 0.3), 1.0, 0.6, boxstyle="round,pad=0,rounding_size=0.3",
                                facecolor="none", edgecolor=op_colour, linewidth=1.6, zorder=3))  # fmt: skip
    ax.text(*tanh_c, "tanh", ha="center", va="center", fontsize=12, color=theme.text, zorder=4)
    arrow([(tanh_c[0], tanh_c[1] - 0.3), (mul_o[0], mul_o[1] + 0.3)])
    arrow([(gx["o"] + 0.475, mul_o[1]), (mul_o[0] - 0.3, mul_o[1])])
    symbol(ax, (gx["o"] + mul_o[0]) / 2 + 0.1, mul_o[1] + 0.1, label["o"], 15, theme.text, va="bottom")
    op(*mul_o, "\u00d7")
    arrow([(mul_o[0] + 0.3, mul_o[1]), (11.2, mul_o[1])], cell_colour, 2.2)
    symbol(ax, 11.3, mul_o[1], label["h"], 15, theme.text, ha="left", va="center")
    ax.text(9.05, mul_o[1] - 0.15, "output and\nnext step", ha="center", va="top", fontsize=10,
            color=theme.muted, linespacing=1.2)  # fmt: skip

    # how to read the blocks, in the plain-text notation of the table
    ax.text(5.0, -0.75, "each block: W_i\u00b7 x_t + b_i\u00b7 + W_h\u00b7 h_(t-1) + b_h\u00b7, then \u03c3 (sigmoid) or tanh;"
            "\n\u00d7 and + act element-wise", ha="center", va="top", fontsize=11, color=theme.muted,
            linespacing=1.5)  # fmt: skip
    return fig


FIGURES = [FigureSpec("lstm-cell-diagram", compute=cell_rows, table=cell_table, alt=cell_alt, draw=draw_cell)]
