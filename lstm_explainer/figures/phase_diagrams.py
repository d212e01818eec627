"""The LSTM cell diagram at the walkthrough's steps: one path at work, the real values on its wires.

Christopher Olah's "Understanding LSTM Networks" (2015) walks through the cell one part at a
time, each picture highlighting the part at work. These pictures do the same, but computed:
the cell of `lstm_explainer.figures.cell_diagram` (`draw_lstm`), one phase's path drawn in
full and the rest faded (`PHASE_PARTS`), and on every wire the value it carries for one named
unit at one word of the walkthrough sentence, from the hand-set `FranceLSTM`'s trace:

* ``x_t`` (the word) and ``h_(t-1)`` (its nonzero units), the stacked input every gate reads;
* ``c_(t-1)``, the gates $i_t, f_t, o_t$, the candidate $g_t$ and the two products
  $f_t \\odot c_{t-1}$ and $i_t \\odot g_t$;
* $c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$, $\\tanh(c_t)$ and $h_t = o_t \\odot \\tanh(c_t)$;

and under the cell, the phase's gates as arithmetic: each pre-activation split into what the
word adds ($W_{ih} x_t$), what the previous output adds ($W_{hh} h_{t-1}$) and the biases
(`lstm_explainer.figures.cell_heatmap.gate_terms`), then the state update with its numbers.
`FIGURES` has the steps the walkthrough discusses: "France" (input, `seen_france`), "Frank"
(input for `male`, forget for `female`), "but" (forget, `eating`) and "ate" (output, `female`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import partial

import numpy as np

from .. import france_weights as weights
from ..formatting import compact, fmt, join
from ..france import SENTENCE, FranceLSTM, SentenceTrace
from .base import FigureSpec, Table, Theme
from .cell_diagram import PHASE_PARTS, XLIM, cell_axes, draw_lstm
from .cell_heatmap import TERM_COLUMNS, gate_terms
from .grid import subscripted

PHASE_GATES = {"input": ("i", "g"), "forget": ("f",), "output": ("o",)}
"""The gates (and candidate) whose arithmetic each phase writes out under the cell."""

PHASE_TITLES = {
    "input": "input phase: the input gate i lets the candidate g into the cell state",
    "forget": "forget phase: the forget gate f keeps or erases the old cell state",
    "output": "output phase: the output gate o decides how much of the cell state h shows",
}

ACTIVATION = {"i": "\u03c3", "f": "\u03c3", "g": "tanh", "o": "\u03c3"}


@functools.cache
def walkthrough() -> SentenceTrace:
    """`SENTENCE` through the designed France LSTM, once per process. Read, never modify."""
    return FranceLSTM().trace(SENTENCE)


@functools.cache
def _terms(t: int) -> np.ndarray:
    """`gate_terms` at step ``t`` of the walkthrough: units x `TERM_COLUMNS` (16 x 12)."""
    return gate_terms(FranceLSTM().cell, walkthrough(), t)


@dataclass(frozen=True)
class CellStep:
    """One unit of the France cell at one word: what a phase diagram writes on its wires.

    ``values`` maps the parts of `lstm_explainer.figures.cell_diagram.PARTS` that carry a
    number (``c_prev``, ``f``, ``fc``, ``i``, ``g``, ``ig``, ``c``, ``tanh``, ``o``, ``h``) to
    the unit's value; ``terms`` maps each gate (i, f, g, o) to its pre-activation's three terms
    (from the word, from $h_{t-1}$, the biases); ``h_prev`` holds the units of $h_{t-1}$ that
    are not 0 to two decimals; ``features`` the input features the word switches on.
    """

    token: str
    step: int
    length: int
    unit: str
    phase: str
    features: tuple[str, ...]
    h_prev: tuple[tuple[str, float], ...]
    values: dict
    terms: dict

    def pre(self, gate: str) -> float:
        """The pre-activation of ``gate``: the sum of its three terms."""
        return float(sum(self.terms[gate]))


def cell_step(token: str, unit: str, phase: str) -> CellStep:
    """The values of ``unit`` at ``token`` of the walkthrough, for the ``phase`` diagram.

    Raises ``ValueError`` naming what is allowed for a word not in the sentence, an unknown
    unit or a phase other than input, forget and output.
    """
    trace = walkthrough()
    if token not in trace.tokens:
        raise ValueError(f"{token!r} is not a word of the walkthrough; use one of: {', '.join(trace.tokens)}.")
    if unit not in weights.UNITS:
        raise ValueError(f"unknown unit {unit!r}; the units are: {', '.join(weights.UNITS)}.")
    if phase not in PHASE_PARTS:
        raise ValueError(f"phase must be one of {', '.join(PHASE_PARTS)}; got {phase!r}.")
    t, u, cell = trace.tokens.index(token), weights.UNITS.index(unit), trace.cell
    c_prev, i, f, g, o, c = (float(getattr(cell, name)[t, u]) for name in ("c_prev", "i", "f", "g", "o", "c"))
    values = {
        "c_prev": c_prev, "f": f, "i": i, "g": g, "o": o,
        # what is kept, f_t * c_(t-1), and what is written, i_t * g_t
        "fc": f * c_prev, "ig": i * g,
        # c_t = f_t * c_(t-1) + i_t * g_t, from the trace
        "c": c,
        # h_t = o_t * tanh(c_t)
        "tanh": float(np.tanh(c)), "h": float(cell.h[t, u]),
    }  # fmt: skip
    row = _terms(t)[u]
    terms = {gate: tuple(float(row[TERM_COLUMNS.index((gate, key))]) for key in "xhb") for gate in "ifgo"}
    features = tuple(name for name, x in zip(weights.INPUTS, cell.x[t]) if x != 0)
    h_prev = tuple((name, float(h)) for name, h in zip(weights.UNITS, cell.h_prev[t]) if fmt(h) != "0")
    return CellStep(token=token, step=t, length=len(trace.tokens), unit=unit, phase=phase, features=features,
                    h_prev=h_prev, values=values, terms=terms)  # fmt: skip


# --- words -------------------------------------------------------------------------------


def h_prev_text(step: CellStep) -> str:
    """``expect_place 0.76``: the nonzero units of $h_{t-1}$, or ``all 0``."""
    return ", ".join(f"{name} {fmt(h)}" for name, h in step.h_prev) if step.h_prev else "all 0"


def gate_word(gate: str, value: float) -> str:
    """``open`` or ``shut`` for a gate (above or below 0.5), ``proposes +1.00`` for the candidate."""
    if gate == "g":
        return f"proposes {'+' if value > 0 else ''}{fmt(value)}"
    return "open" if value > 0.5 else "shut"


def sum_text(terms: tuple[float, float, float]) -> str:
    """``12 + 12.14 − 18``: the three terms, signs written once."""
    x, h, b = (compact(v) for v in terms)
    parts = [x]
    for value in (h, b):
        parts.append(f"\u2212 {value.lstrip('-')}" if value.startswith("-") else f"+ {value}")
    return " ".join(parts).replace("-", "\u2212")


def phase_diagram_table(step: CellStep) -> Table:
    """Every quantity the diagram shows: the stacked input, each gate's three terms and value,
    the products and the new states, for one unit at one word."""
    v, dash = step.values, "–"
    rows = [
        ["x_t", "the word read; the features it switches on", dash, dash, dash, f"{step.token} ({', '.join(step.features)})"],
        ["h_(t-1)", "the previous output (its nonzero units)", dash, dash, dash, h_prev_text(step)],
        ["c_(t-1)", f"the cell state of {step.unit} after the previous word", dash, dash, dash, v["c_prev"]],
    ]  # fmt: skip
    for gate in "ifgo":
        name = "tanh" if gate == "g" else "sigmoid"
        # the gate's block row [W_i{gate} W_h{gate}] and biases, in PyTorch's names (the notation page)
        formula = f"{name}(W_i{gate} x_t + W_h{gate} h_(t-1) + b_i{gate} + b_h{gate})"
        rows.append([f"{gate}_t", formula, *step.terms[gate], v[gate]])
    rows += [
        ["f_t * c_(t-1)", "what is kept of the old cell state", dash, dash, dash, v["fc"]],
        ["i_t * g_t", "what is written", dash, dash, dash, v["ig"]],
        ["c_t", "f_t * c_(t-1) + i_t * g_t", dash, dash, dash, v["c"]],
        ["tanh(c_t)", "the cell state squashed into (-1, 1)", dash, dash, dash, v["tanh"]],
        ["h_t", "o_t * tanh(c_t)", dash, dash, dash, v["h"]],
    ]
    return Table(
        caption=f"The unit {step.unit} at '{step.token}' (word {step.step + 1} of {step.length} of \"{SENTENCE}\"): "
        f"the values on the wires of the {step.phase}-phase diagram. A gate's pre-activation is the sum of the three "
        "terms: from the word (the gate's rows of W_ih x_t, e.g. W_ii x_t), from the previous output (its rows of "
        "W_hh h_(t-1), e.g. W_hi h_(t-1)) and the biases (e.g. b_ii + b_hi).",
        columns=["quantity", "formula", "from x_t", "from h_(t-1)", "bias", "value"],
        rows=rows,
    )


def phase_diagram_alt(step: CellStep) -> str:
    """The diagram in words: the highlighted path and every value on it, the rest in brief."""
    v = step.values
    head = (
        f"Diagram of the LSTM cell at '{step.token}' (word {step.step + 1} of {step.length}) for the unit "
        f"{step.unit}, with the {step.phase} phase highlighted and the values on the wires. The stacked input is "
        f"the word '{step.token}' and the previous output h(t-1), whose nonzero units are: {h_prev_text(step)}. "
    )
    gates = []
    for gate in PHASE_GATES[step.phase]:
        name = {"i": "input gate i", "f": "forget gate f", "g": "candidate g", "o": "output gate o"}[gate]
        gates.append(f"the {name} is {fmt(v[gate])} ({gate_word(gate, v[gate])}; pre-activation "
                     f"{compact(step.terms[gate][0])} from the word, {compact(step.terms[gate][1])} from h(t-1) "
                     f"and {compact(step.terms[gate][2])} bias, {compact(step.pre(gate))} in all)")  # fmt: skip
    update = (
        f"The cell state goes from c(t-1) = {fmt(v['c_prev'])}, times the forget gate {fmt(v['f'])} "
        f"({fmt(v['fc'])} kept), plus input gate {fmt(v['i'])} times candidate {fmt(v['g'])} "
        f"({fmt(v['ig'])} written), to c(t) = {fmt(v['c'])}; the output gate {fmt(v['o'])} times "
        f"tanh(c(t)) = {fmt(v['tanh'])} gives h(t) = {fmt(v['h'])}."
    )
    return head + "In this phase " + join(gates) + ". " + update


def _line(ax, theme: Theme, y: float, main: str, sub: str, rest: str, colour: str | None = None) -> None:
    """A line of notes under the cell: an italic symbol with its subscript, then plain text."""
    colour = colour or theme.text
    texts = subscripted(ax, XLIM[0] + 0.15, y, main, sub, colour, size=12.5, va="baseline")
    ax.annotate(rest, xy=(1, 0), xycoords=(texts[-1], texts[0]), xytext=(4, 0), textcoords="offset points",
                fontsize=12, color=colour, va="bottom", ha="left")  # fmt: skip


def phase_diagram_figure(step: CellStep, theme: Theme):
    """The cell (`draw_lstm`) with the phase's path highlighted, the unit's values on the wires,
    and under it the phase's gates and the update as arithmetic."""
    v = step.values
    tags = {part: fmt(v[part]) for part in ("c_prev", "f", "fc", "i", "g", "ig", "c", "tanh", "o", "h")}
    tags["x"] = f"'{step.token}'"
    tags["h_prev"] = h_prev_text(step)
    fig, ax = cell_axes(theme, 8.4, 6.6, ylim=(-3.6, 7.5))
    draw_lstm(ax, theme, active=PHASE_PARTS[step.phase], tags=tags)
    ax.text(XLIM[0] + 0.15, 7.15, f"'{step.token}', word {step.step + 1} of {step.length}: unit {step.unit}",
            fontsize=13.5, weight="bold", color=theme.text, va="center")  # fmt: skip
    ax.text(XLIM[0] + 0.15, 6.45, PHASE_TITLES[step.phase], fontsize=11.5, color=theme.muted, va="center")

    y = -0.75
    for gate in PHASE_GATES[step.phase]:
        x, h, b = step.terms[gate]
        rest = (f"= {ACTIVATION[gate]}({sum_text((x, h, b))}) = {ACTIVATION[gate]}({compact(step.pre(gate))}) "
                f"= {fmt(v[gate])}")  # fmt: skip
        _line(ax, theme, y, gate, "t", rest, theme.text)
        y -= 0.8
    ax.text(XLIM[0] + 0.15, y, "terms: from the word x_t, from the previous output h_(t\u22121), bias",
            fontsize=10.5, color=theme.muted, va="baseline")  # fmt: skip
    y -= 0.95
    if step.phase == "output":
        rest = f"= o_t \u00d7 tanh(c_t) = {fmt(v['o'])} \u00d7 {fmt(v['tanh'])} = {fmt(v['h'])}"
        _line(ax, theme, y, "h", "t", rest)
    else:
        rest = (f"= f_t \u00d7 c_(t\u22121) + i_t \u00d7 g_t = {fmt(v['f'])} \u00d7 {fmt(v['c_prev'])} + "
                f"{fmt(v['i'])} \u00d7 {fmt(v['g'])} = {fmt(v['c'])}")  # fmt: skip
        _line(ax, theme, y, "c", "t", rest)
    return fig


def _spec(name: str, token: str, unit: str, phase: str) -> FigureSpec:
    """The diagram ``name`` of ``unit`` at ``token``, ``phase`` highlighted."""
    return FigureSpec(name, compute=partial(cell_step, token, unit, phase), table=phase_diagram_table,
                      alt=phase_diagram_alt, draw=phase_diagram_figure)  # fmt: skip


FIGURES = [  # name, word, unit, phase: the steps the walkthrough discusses
    _spec("cell-input-france", "france", "seen_france", "input"),
    _spec("cell-input-frank", "frank", "male", "input"),
    _spec("cell-forget-frank", "frank", "female", "forget"),
    _spec("cell-forget-but", "but", "eating", "forget"),
    _spec("cell-output-ate", "ate", "female", "output"),
]
