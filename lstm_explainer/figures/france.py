"""The France figures: the walkthrough sentence gate by gate, and the next-word guesses.

Every number is computed by running the hand-set `FranceLSTM`, with its designed weights,
over `SENTENCE` once per process (`walkthrough`). Each figure's ``compute`` gathers its
numbers from that run once; its table, alt text and drawing are functions of that result:

* **Phase figures** (`phase_data`, then `phase_table`, `phase_alt`, `phase_figure`): the
  cell at one word, unit by unit, column by column of
  $c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$ and $h_t = o_t \\odot \\tanh(c_t)$ (the
  columns of `lstm_explainer.figures.cell_heatmap`), with the stacked input ($x_t$'s
  features, $h_{t-1}$'s nonzero units) above, and at the right each gate's pre-activation
  split into what the word adds ($W_{ih} x_t$), what the previous output adds
  ($W_{hh} h_{t-1}$) and the biases, so the reader sees what drove each gate.
* **Whole-sentence heatmaps** (`sentence_data`, then `sentence_table`, `sentence_alt`,
  `sentence_figure`): one of $i, f, o, c, h$ for every unit after every word.
* **Next-word guesses**: "In France, I ate" against "In Italy, I ate" (`prefix_guesses`,
  then ``next_word_*``), and the three likeliest guesses after every word of the sentence
  (`along_sentence`, then ``along_sentence_*``).

Colours come from the `Theme` only, through the grid kit (`lstm_explainer.figures.grid`):
gates (0 to 1) go from the page colour to the theme's green, signed values from the page
colour to ``negative`` or ``positive``; a number in a cell takes whichever of the theme's
text colour and the page colour contrasts more with the cell. A value that rounds to 0.00
leaves its cell blank.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import partial

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .. import france_weights as weights
from ..formatting import compact, fmt, join, prob
from ..france import SENTENCE, FranceLSTM, SentenceTrace
from .base import FigureSpec, Table, Theme, style_axes
from .cell_heatmap import (
    KEYS, PHASE_COLUMNS, SIGMOID_GATES, TERM_COLUMNS, TERMS, column_symbols, gate_terms, step_colours, step_key,
    step_values, unit_labels,
)  # fmt: skip
from .grid import (
    annotated_grid, blank_note, canvas, cell_text, colour_bar, colour_key, gate_cmap, signed_cmap, subscripted,
)  # fmt: skip

PREFIXES = ("In France, I ate", "In Italy, I ate")
"""The two prefixes whose next-word guesses are compared."""


# --- the model, run once ---------------------------------------------------------------


@functools.cache
def model() -> FranceLSTM:
    """The designed France LSTM, made once per process: read, never modify."""
    return FranceLSTM()


@functools.cache
def walkthrough() -> SentenceTrace:
    """The walkthrough sentence run through the designed France LSTM: every gate and state at
    every word. Computed once per process and shared by every figure: read, never modify."""
    return model().trace(SENTENCE)


@functools.cache
def prefix_guesses(k: int = 6) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` likeliest next words after each of `PREFIXES`, with probabilities (best first)."""
    model = FranceLSTM()
    return {prefix: model.predict(prefix, k=k) for prefix in PREFIXES}


def token_index(token: str) -> int:
    """The position of ``token`` in the walkthrough, or a ``ValueError`` listing the allowed words."""
    tokens = walkthrough().tokens
    if token not in tokens:
        raise ValueError(f"{token!r} is not a word of the walkthrough sentence; use one of: {', '.join(tokens)}.")
    return tokens.index(token)


# --- 1. the phases: the cell at one word ------------------------------------------------

PHASES = {"input": ("i", "g", "ig"), "forget": ("f", "fc"), "output": ("o", "h")}
"""The columns each phase highlights."""

PHASE_GATES = {"input": ("i", "g"), "forget": ("f",), "output": ("o",)}
"""The gates whose pre-activation terms each phase highlights; the first is the phase's gate."""

GATE_NAMES = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate"}

TERM_SCALE = 2 * weights.S
"""A pre-activation term takes the full colour at +-12 (a word's weight on a gate)."""

PHASE_TITLES = {
    "input": "input phase: the input gate i lets the candidate g into the cell",
    "forget": "forget phase: the forget gate f keeps or erases the old cell state",
    "output": "output phase: the output gate o decides what the cell shows as h",
}


@dataclass(frozen=True)
class PhaseData:
    """The cell at one word of the walkthrough: what a phase figure shows.

    ``values`` is units x `PHASE_COLUMNS` (16 x 9); ``step`` the word's position (from 0)
    among ``length`` words; ``features`` the input features on at this word; ``h_prev`` the
    units of $h_{t-1}$ that are not 0 to two decimals, with their values; ``guess`` the
    readout's likeliest next word and its probability; ``terms`` each gate's pre-activation
    split in three, units x `TERM_COLUMNS` (16 x 12, `gate_terms`).
    """

    token: str
    step: int
    length: int
    values: np.ndarray
    features: tuple[str, ...]
    h_prev: tuple[tuple[str, float], ...]
    guess: tuple[str, float]
    terms: np.ndarray

    def term(self, gate: str, term: str) -> np.ndarray:
        """The ``term`` (x, h or b of `TERMS`) of the pre-activation of ``gate``, one value per unit."""
        return self.terms[:, TERM_COLUMNS.index((gate, term))]

    def column(self, key: str) -> np.ndarray:
        """The column ``key`` of `PHASE_COLUMNS`, one value per unit."""
        return self.values[:, KEYS.index(key)]


def phase_data(token: str) -> PhaseData:
    """Every column of the step at ``token``, the features of $x_t$ and the nonzero $h_{t-1}$.

    ``token`` must be a word of the walkthrough sentence; otherwise a ``ValueError`` lists them.
    """
    t = token_index(token)
    trace = walkthrough()
    cell = trace.cell
    features = tuple(name for name, x in zip(weights.INPUTS, cell.x[t]) if x != 0)
    nonzero = tuple((unit, float(h)) for unit, h in zip(weights.UNITS, cell.h_prev[t]) if fmt(h) != "0")
    return PhaseData(token=token, step=t, length=len(trace.tokens), values=step_values(trace, t),
                     features=features, h_prev=nonzero, guess=trace.top(t, k=1)[0],
                     terms=gate_terms(model().cell, trace, t))  # fmt: skip


def _h_prev_text(data: PhaseData) -> str:
    return ", ".join(f"{unit} = {fmt(h)}" for unit, h in data.h_prev) if data.h_prev else "none (all 0)"


TERM_HEADERS = {"x": "from x(t)", "h": "from h(t-1)", "b": "bias"}
"""The table's headers of the terms of `TERMS`."""


def phase_table(data: PhaseData) -> Table:
    """One row per unit at the word of ``data``: c(t-1), i, g, i⊙g, f, f⊙c(t-1), c(t), o, h(t),
    then each gate's pre-activation terms: W_ih x(t), W_hh h(t-1) and the biases."""
    caption = (
        f"The cell at '{data.token}' (word {data.step + 1} of {data.length} of \"{SENTENCE}\"), "
        f"unit by unit. x(t) switches on: {', '.join(data.features)}. "
        f"Nonzero entries of h(t-1): {_h_prev_text(data)}. "
        f"The last {len(TERM_COLUMNS)} columns split each gate's pre-activation into W_ih x(t) (from the word), "
        "W_hh h(t-1) (from the previous output) and b_ih + b_hh (the biases)."
    )
    rows = [[unit, *map(float, data.values[u]), *map(float, data.terms[u])] for u, unit in enumerate(weights.UNITS)]
    columns = [*(header for _, header, _ in PHASE_COLUMNS), *(f"{g} {TERM_HEADERS[t]}" for g, t in TERM_COLUMNS)]
    return Table(caption=caption, columns=["unit", *columns], rows=rows)


def drivers_text(data: PhaseData, gate: str) -> str:
    """What drove ``gate`` at this word, in one sentence: the units whose gate the previous
    output moved (with the three terms), or, when $h_{t-1}$ adds nothing, that the word and the
    biases decided alone."""
    x, h, b = (data.term(gate, key) for key in ("x", "h", "b"))
    moved = [u for u in range(len(weights.UNITS)) if fmt(h[u]) != "0"]
    name = GATE_NAMES[gate]
    if not moved:
        return f"At this word h(t-1) adds nothing to any {name}: the word and the biases decide it."
    parts = [
        f"{weights.UNITS[u]} ({compact(x[u])} from the word, {compact(h[u])} from h(t-1), {compact(b[u])} bias, "
        f"sum {compact(x[u] + h[u] + b[u])})"
        for u in moved
    ]
    return f"What drove the {name}: the previous output h(t-1) moves it for {join(parts)}."


def phase_alt(data: PhaseData, phase: str) -> str:
    """What the columns ``phase`` (one of `PHASES`) highlights do at this word, in one or two
    sentences with the values."""
    token = data.token
    units = range(len(weights.UNITS))
    name = weights.UNITS
    c_prev, c, i, g, f, o, h = (data.column(k) for k in ("c_prev", "c", "i", "g", "f", "o", "h"))

    def change(u: int) -> str:
        return f"{name[u]} ({fmt(c_prev[u])} → {fmt(c[u])})"

    if phase == "input":
        # what the input gate writes, and apart from it what the forget gate erases: a unit
        # whose value falls is the forget gate's doing, not the input gate's
        written = [f"{fmt(g[u])} into {change(u)}" for u in units if i[u] > 0.5 and abs(g[u]) > 0.5]
        empty = [name[u] for u in units if i[u] > 0.5 and abs(g[u]) <= 0.5]
        blocked = [f"{fmt(g[u])} for {name[u]}" for u in units if i[u] < 0.5 and abs(g[u]) > 0.5]
        erased = [change(u) for u in units if f[u] < 0.5 and fmt(c_prev[u]) != "0"]
        text = f"Reading '{token}', the input gate writes {join(written)}" if written else (
            f"Reading '{token}', the input gate writes nothing")
        text += f" (it is open for {join(empty)} too, but there the candidate is 0)" if empty else ""
        text += f"; the candidate's {join(blocked)} is shut out" if blocked else ""
        text += f"; the forget gate, not the input gate, erases {join(erased)}." if erased else "."
    elif phase == "forget":
        held = [u for u in units if fmt(c_prev[u]) != "0"]
        erased = [change(u) for u in held if f[u] < 0.5]
        kept = [name[u] for u in held if f[u] >= 0.5]
        text = f"Reading '{token}', the forget gate is near 0 for {join(erased)}"
        text += f" and near 1 for {join(kept)}, which keep their values." if kept else "."
    else:
        shown = [f"{name[u]} ({fmt(h[u])})" for u in units if o[u] > 0.5 and fmt(h[u]) != "0"]
        hidden = [f"{name[u]} (c = {fmt(c[u])})" for u in units if o[u] < 0.5 and fmt(c[u]) != "0"]
        word, p = data.guess
        text = f"Reading '{token}', the output gate shows {join(shown)} as h"
        text += f" and hides {join(hidden)}" if hidden else ""
        text += f"; the readout's likeliest next word is '{word}' ({prob(p)})."
    head = (
        "Heatmap of the LSTM cell's 16 named units at one word, with the stacked input above and, at the right, "
        "each gate's pre-activation split into word, previous output and bias. "
    )
    return head + text + " " + drivers_text(data, PHASE_GATES[phase][0])


def phase_figure(data: PhaseData, theme: Theme, phase: str | None = None):
    """The step of ``data`` as an annotated heatmap, ``phase`` (input, forget, output) highlighted.

    Raises ``ValueError`` for another ``phase`` (``None`` highlights nothing).
    """
    if phase is not None and phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)} or None; got {phase!r}.")
    rows, columns = data.values.shape
    colours = step_colours(theme, data.values, KEYS)
    texts = [[cell_text(v) for v in row] for row in data.values]

    terms = len(TERM_COLUMNS)
    gap, term_width = 0.7, 0.78  # a term cell is 0.78 of a column wide
    width = columns + gap + terms * term_width
    fig, ax = canvas(theme, xlim=(-2.3, width + 0.05), ylim=(-5.0, rows + 2.9), cell=(0.58, 0.32))
    # the stacked input [x_t; h_{t-1}] across the top
    title = f"'{data.token}', word {data.step + 1} of {data.length}"
    if phase is not None:
        title += f": {PHASE_TITLES[phase]}"
    ax.text(-2.2, -4.4, title, fontsize=11, weight="bold", color=theme.text, va="center")
    ax.text(-2.2, -3.4, "the stacked input, which all four gates read:", fontsize=9.5, color=theme.muted, va="center")
    lines = (
        (("x", "t"), f"word features on: {', '.join(data.features)}"),
        (("h", "t−1"), f"nonzero units: {_h_prev_text(data)}"),
    )
    for n, ((main, sub), text) in enumerate(lines):
        y = -2.45 + 0.85 * n
        subscripted(ax, -1.95, y, main, sub, theme.text, size=10.5, va="baseline")
        ax.text(-1.1, y, text, fontsize=9.5, color=theme.text, va="baseline")

    annotated_grid(ax, theme, colours, texts)
    labels = column_symbols(ax, theme, KEYS)
    unit_labels(ax, theme, columns)
    if phase is not None:
        chosen = [KEYS.index(key) for key in PHASES[phase]]
        # the frame takes in the column headers too
        ax.add_patch(Rectangle((min(chosen), -1.0), len(chosen), rows + 1.0, fill=False, edgecolor=theme.accent,
                               linewidth=2.6, clip_on=False))  # fmt: skip
        for k in chosen:
            for text in labels[k]:
                text.set_color(theme.accent)
    blank_note(ax, theme, rows, columns)
    step_key(ax, theme, 0, rows + 0.9)
    _terms_grid(fig, ax, data, theme, x0=columns + gap, scale=term_width, phase=phase)
    return fig


def _terms_grid(fig, ax, data: PhaseData, theme: Theme, x0: float, scale: float, phase: str | None) -> None:
    """Each gate's pre-activation terms (`gate_terms`) as a second grid, from ``x0`` (in the
    main grid's cells) on ``ax``'s figure, ``scale`` of a cell wide per column; the phase's
    gates framed."""
    rows, columns = data.terms.shape
    left, right = ax.get_xlim()
    bottom, top = ax.get_ylim()
    span = right - left
    sub = fig.add_axes(((x0 - left) / span, 0, columns * scale / span, 1))
    style_axes(sub, theme)
    sub.set_axis_off()
    sub.set_xlim(0, columns)
    sub.set_ylim(bottom, top)
    colours = signed_cmap(theme)(Normalize(-TERM_SCALE, TERM_SCALE, clip=True)(data.terms))
    texts = [["" if compact(v) == "0" else compact(v) for v in row] for row in data.terms]  # 12, not 12.00
    annotated_grid(sub, theme, colours, texts, size=8)
    sub.hlines(len(weights.MEMORY_UNITS), 0, columns, color=theme.line, linewidth=1.2)
    sub.text(0, -3.4, "what each gate's pre-activation is made of:", fontsize=9.5, color=theme.muted, va="center",
             clip_on=False)  # fmt: skip
    legend = "   ".join(f"{key}: {formula}, {what}" if key != "b" else f"{key}: {formula}" for key, what, formula in TERMS)
    sub.text(0, -2.45, legend, fontsize=8.5, color=theme.text, va="center", clip_on=False)
    colour_key(sub, theme, 0, rows + 0.9, 5.0, signed_cmap(theme), -TERM_SCALE, TERM_SCALE,
               "pre-activation terms: red +, blue \u2212", extend=True)
    chosen = PHASE_GATES[phase] if phase is not None else ()
    for k, gate in enumerate("ifgo"):
        colour = theme.accent if gate in chosen else theme.text
        sub.text(3 * k + 1.5, -1.2, GATE_NAMES[gate], ha="center", va="center", fontsize=9.5, color=colour,
                 weight="bold" if gate in chosen else "normal", clip_on=False)  # fmt: skip
        for j, (key, _, _) in enumerate(TERMS):
            sub.text(3 * k + j + 0.5, -0.3, key, ha="center", va="baseline", fontsize=9.5, style="italic",
                     color=colour, clip_on=False)  # fmt: skip
        if k:
            sub.vlines(3 * k, -0.9, rows, color=theme.line, linewidth=1.2)
        if gate in chosen:
            sub.add_patch(Rectangle((3 * k, -1.6), 3, rows + 1.6, fill=False, edgecolor=theme.accent, linewidth=2.6,
                                    clip_on=False))  # fmt: skip


# --- 2. the whole sentence ------------------------------------------------------------

QUANTITIES = {
    "i": "input gate i",
    "f": "forget gate f",
    "o": "output gate o",
    "c": "cell state c",
    "h": "hidden state h",
}
"""The quantities with a whole-sentence heatmap, by their name in the trace."""


@dataclass(frozen=True)
class SentenceData:
    """One quantity (``name``, of `QUANTITIES`) of every unit after every word: ``values`` is
    units x ``tokens`` (16 x 13)."""

    name: str
    tokens: list[str]
    values: np.ndarray


def sentence_data(name: str) -> SentenceData:
    """``name`` (one of `QUANTITIES`, else ``ValueError``) for every unit after every word."""
    if name not in QUANTITIES:
        raise ValueError(f"name must be one of {', '.join(QUANTITIES)}; got {name!r}.")
    trace = walkthrough()
    return SentenceData(name=name, tokens=trace.tokens, values=getattr(trace.cell, name).T)


def sentence_table(data: SentenceData) -> Table:
    """One row per unit, one column per word of the walkthrough."""
    return Table(
        caption=f"The {QUANTITIES[data.name]} of every unit after every word of \"{SENTENCE}\".",
        columns=["unit", *data.tokens],
        rows=[[unit, *map(float, data.values[u])] for u, unit in enumerate(weights.UNITS)],
    )


def sentence_alt(data: SentenceData) -> str:
    """What the heatmap shows, with a fact or two computed from it."""
    name, values, tokens, units = data.name, data.values, data.tokens, weights.UNITS
    head = (
        f"Heatmap of the {QUANTITIES[name]} of the 16 named units (rows) after each of the "
        f"{len(tokens)} words (columns) of the sentence. "
    )
    if name in SIGMOID_GATES:
        text = f"It is open (above 0.5) in {int((values > 0.5).sum())} of its {values.size} cells"
        if name == "f":
            memory = len(weights.MEMORY_UNITS)
            shut = [f"{units[u]} at '{tokens[t]}'" for u, t in zip(*np.nonzero(values[:memory] < 0.5))]
            text += f"; the memory units keep their value at every word except {join(shut)}"
        return head + text + "."
    u, t = np.unravel_index(np.argmax(np.abs(values)), values.shape)
    text = f"The largest value is {fmt(values[u, t])} ({units[u]} at '{tokens[t]}')"
    text += f"; seen_france is {fmt(values[units.index('seen_france'), -1])} after the last word."
    return head + text


def sentence_figure(data: SentenceData, theme: Theme):
    """The quantity for every unit after every word, numbers in the cells, and a colour bar."""
    name, values, tokens = data.name, data.values, data.tokens
    rows, columns = values.shape
    if name in SIGMOID_GATES:
        cmap, low, high = gate_cmap(theme), 0.0, 1.0
    else:  # the scale of the phase figures: full colour at +-1, the number in the cell says the rest
        cmap, low, high = signed_cmap(theme), -1.0, 1.0
    colours = cmap(Normalize(low, high, clip=True)(values))
    texts = [[cell_text(v) for v in row] for row in values]

    fig, ax = canvas(theme, xlim=(-2.6, columns + 2.0), ylim=(-3.0, rows + 0.7), cell=(0.5, 0.32))
    ax.text(-2.5, -2.5, f"{QUANTITIES[name]} after each word", color=theme.text, fontsize=11, weight="bold")
    annotated_grid(ax, theme, colours, texts, size=8, merge_rows=True)
    for k, token in enumerate(tokens):
        ax.text(k + 0.35, -0.25, token, ha="left", va="bottom", rotation=40, rotation_mode="anchor", fontsize=9.5,
                color=theme.text)  # fmt: skip
    unit_labels(ax, theme, columns)
    blank_note(ax, theme, rows, columns)
    extend = name not in SIGMOID_GATES and bool(np.abs(values).max() > high)
    colour_bar(ax, theme, (columns + 0.35, rows * 0.2, 0.3, rows * 0.6), cmap, low, high, QUANTITIES[name], extend)
    return fig


# --- 3. France against Italy ----------------------------------------------------------


def next_word_table(guesses: dict[str, list[tuple[str, float]]]) -> Table:
    """Rank, word and probability of the six likeliest next words after each prefix (`prefix_guesses`)."""
    rows = [[rank, *(value for word, p in pair for value in (word, p))]
            for rank, pair in enumerate(zip(*guesses.values()), start=1)]  # fmt: skip
    columns = ["rank"]
    for prefix in guesses:
        columns += [f"after \"{prefix}\"", "probability"]
    return Table(caption="The six likeliest next words after two prefixes that differ only in the country.",
                 columns=columns, rows=rows)  # fmt: skip


def next_word_alt(guesses: dict[str, list[tuple[str, float]]]) -> str:
    """The three leading guesses after each prefix, with their probabilities."""
    parts = [f"after \"{prefix}\" {join([f'{w} ({prob(p)})' for w, p in pairs[:3]])} lead"
             for prefix, pairs in guesses.items()]  # fmt: skip
    return f"Two bar charts of the six likeliest next words: {parts[0]}; {parts[1]}."


def food_country(word: str) -> str | None:
    """The country whose food ``word`` is, or ``None``."""
    return next((country for country, foods in weights.FOODS.items() if word in foods), None)


def next_word_figure(guesses: dict[str, list[tuple[str, float]]], theme: Theme):
    """Side by side, horizontal bars of the six likeliest words, each bar in its food's country's colour."""
    countries = list(weights.FOODS)
    pmax = max(p for pairs in guesses.values() for _, p in pairs)
    length = 3.0 / pmax  # a bar of probability pmax is 3 cells long
    fig, ax = canvas(theme, xlim=(-2.2, 9.6), ylim=(-2.6, 5.6), cell=(0.62, 0.3))
    for n, (prefix, pairs) in enumerate(guesses.items()):
        x0 = 5.9 * n  # where this chart's bars start
        colours = [theme.palette[countries.index(food_country(w))] if food_country(w) else theme.line
                   for w, _ in pairs]  # fmt: skip
        ax.barh(np.arange(len(pairs)), [p * length for _, p in pairs], left=x0, height=0.7, color=colours)
        ax.vlines(x0, -0.5, len(pairs) - 0.5, color=theme.line, linewidth=1.0)
        for k, (word, p) in enumerate(pairs):
            ax.text(x0 - 0.12, k, word, ha="right", va="center", fontsize=10, color=theme.text)
            ax.text(x0 + p * length + 0.1, k, prob(p), va="center", fontsize=9.5, color=theme.text)
        ax.text(x0 - 2.1, -1.1, f"after \"{prefix} …\"", fontsize=10.5, weight="bold", color=theme.text)
    shown = sorted({food_country(w) for pairs in guesses.values() for w, _ in pairs} - {None}, key=countries.index)
    for k, country in enumerate(shown):
        x = -2.1 + 3.2 * k
        ax.add_patch(Rectangle((x, -2.35), 0.3, 0.55, color=theme.palette[countries.index(country)], clip_on=False))
        ax.text(x + 0.45, -2.05, f"a food of {country.title()}", fontsize=9.5, va="center", color=theme.text)
    return fig


# --- 4. the guesses along the sentence -------------------------------------------------


def along_sentence() -> tuple[dict, ...]:
    """After each word: the three likeliest guesses, the actual next word (``None`` after the
    last), its probability, and its rank among the guesses (``None`` if not among them)."""
    trace = walkthrough()
    out = []
    for t, token in enumerate(trace.tokens):
        actual = trace.tokens[t + 1] if t + 1 < len(trace.tokens) else None
        top = trace.top(t, k=3)
        words = [w for w, _ in top]
        out.append({
            "token": token,
            "top": top,
            "actual": actual,
            "p": float(trace.probs[t, weights.VOCAB.index(actual)]) if actual else None,
            "rank": words.index(actual) if actual in words else None,
        })  # fmt: skip
    return tuple(out)


def along_sentence_table(data: tuple[dict, ...]) -> Table:
    """Each word, the word that follows it and that word's probability, then the three likeliest guesses."""
    rows = []
    for row in data:
        guesses = [value for word, p in row["top"] for value in (word, p)]
        in_top = "–" if row["actual"] is None else ("yes" if row["rank"] is not None else "no")
        rows.append([row["token"], row["actual"] or "(end)", "–" if row["p"] is None else row["p"], *guesses, in_top])
    columns = ["word", "actual next word", "its probability"]
    for rank in ("1st", "2nd", "3rd"):
        columns += [f"{rank} guess", "probability"]
    return Table(caption=f"The three likeliest next words after each word of \"{SENTENCE}\".",
                 columns=[*columns, "actual in top 3"], rows=rows)  # fmt: skip


def along_sentence_alt(data: tuple[dict, ...]) -> str:
    """How often the actual next word is among the three guesses, and where it is missed."""
    scored = [row for row in data if row["actual"]]
    hits = sum(row["rank"] is not None for row in scored)
    misses = [f"after '{row['token']}' ('{row['actual']}', {prob(row['p'])}; it guesses '{row['top'][0][0]}')"
              for row in scored if row["rank"] is None]  # fmt: skip
    text = (
        "A grid of the three likeliest next words after each word of the sentence, shaded by probability. "
        f"The actual next word is among them {hits} times out of {len(scored)}"
    )
    return text + (f"; it is missed {join(misses)}." if misses else ".")


def along_sentence_figure(data: tuple[dict, ...], theme: Theme):
    """Words down the side, the three guesses across (shaded by probability), the actual next word last."""
    rows = len(data)
    probs = np.array([[p for _, p in row["top"]] for row in data])
    colours = gate_cmap(theme)(Normalize(0, 1)(probs))
    texts = [[f"{w}  {prob(p)}" for w, p in row["top"]] for row in data]

    fig, ax = canvas(theme, xlim=(-1.0, 4.3), ylim=(-1.0, rows + 2.2), cell=(1.4, 0.36))
    annotated_grid(ax, theme, colours, texts, size=9)
    for k, header in enumerate(("1st guess", "2nd guess", "3rd guess")):
        ax.text(k + 0.5, -0.3, header, ha="center", fontsize=9.5, color=theme.text)
    ax.text(3.1, -0.3, "actual next word", fontsize=9.5, color=theme.text)
    for r, row in enumerate(data):
        ax.text(-0.08, r + 0.5, f"after '{row['token']}'", ha="right", va="center", fontsize=9.5, color=theme.text)
        if row["actual"] is None:
            ax.text(3.1, r + 0.5, "(end of sentence)", fontsize=9, color=theme.muted, va="center")
            continue
        hit = row["rank"] is not None
        if hit:
            ax.add_patch(Rectangle((row["rank"] + 0.03, r + 0.06), 0.94, 0.88, fill=False,
                                   edgecolor=theme.positive, linewidth=2.0))  # fmt: skip
        label = f"{row['actual']}  {prob(row['p'])}" + ("" if hit else "  (not in top 3)")
        ax.text(3.1, r + 0.5, label, fontsize=9, va="center", color=theme.text if hit else theme.positive,
                weight="normal" if hit else "bold")  # fmt: skip
    ax.text(0, rows + 0.3, "framed: the word that actually comes next", fontsize=9, color=theme.positive, va="top")
    colour_key(ax, theme, 2.2, rows + 0.1, 1.6, gate_cmap(theme), 0, 1, "shade: the guess's probability",
               words=("", ""))  # fmt: skip
    return fig


# --- the list ----------------------------------------------------------------------------

FIGURES = [
    # the walkthrough's steps: which phase is shown at which word
    FigureSpec("phase-input-france", compute=partial(phase_data, "france"), table=phase_table,
               alt=partial(phase_alt, phase="input"), draw=partial(phase_figure, phase="input")),
    FigureSpec("phase-input-frank", compute=partial(phase_data, "frank"), table=phase_table,
               alt=partial(phase_alt, phase="input"), draw=partial(phase_figure, phase="input")),
    FigureSpec("phase-forget-but", compute=partial(phase_data, "but"), table=phase_table,
               alt=partial(phase_alt, phase="forget"), draw=partial(phase_figure, phase="forget")),
    FigureSpec("phase-output-ate", compute=partial(phase_data, "ate"), table=phase_table,
               alt=partial(phase_alt, phase="output"), draw=partial(phase_figure, phase="output")),
    FigureSpec("sentence-i", compute=partial(sentence_data, "i"), table=sentence_table, alt=sentence_alt,
               draw=sentence_figure),
    FigureSpec("sentence-f", compute=partial(sentence_data, "f"), table=sentence_table, alt=sentence_alt,
               draw=sentence_figure),
    FigureSpec("sentence-o", compute=partial(sentence_data, "o"), table=sentence_table, alt=sentence_alt,
               draw=sentence_figure),
    FigureSpec("sentence-c", compute=partial(sentence_data, "c"), table=sentence_table, alt=sentence_alt,
               draw=sentence_figure),
    FigureSpec("sentence-h", compute=partial(sentence_data, "h"), table=sentence_table, alt=sentence_alt,
               draw=sentence_figure),
    FigureSpec("next-word-france-vs-italy", compute=prefix_guesses, table=next_word_table, alt=next_word_alt,
               draw=next_word_figure),
    FigureSpec("next-word-along-sentence", compute=along_sentence, table=along_sentence_table,
               alt=along_sentence_alt, draw=along_sentence_figure),
]  # fmt: skip
