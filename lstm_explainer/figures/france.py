"""The France figures: the walkthrough sentence gate by gate, and the next-word guesses.

Every number is computed by running the hand-set `FranceLSTM`,
with its designed weights, over `SENTENCE` once per process
(`walkthrough`); each ``*_table()`` returns a `Table`,
and each ``*_figure(theme)`` draws only what that same computation holds.

* **Phase figures** (`phase_table`, `phase_figure`): the cell at one word, unit
  by unit, column by column of $c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$ and
  $h_t = o_t \\odot \\tanh(c_t)$, with the stacked input ($x_t$'s features, $h_{t-1}$'s
  nonzero units) above.
* **Whole-sentence heatmaps** (`sentence_table`, `sentence_figure`): one of
  $i, f, o, c, h$ for every unit after every word.
* **Next-word guesses**: "In France, I ate" against "In Italy, I ate"
  (`next_word_table`), and the three likeliest guesses after every word of the
  sentence (`along_sentence_table`).

Colours come from the `Theme` only: gates (0 to 1) go
from the page colour to the theme's green, signed values from the page colour to
``negative`` or ``positive``; a number in a cell takes whichever of the theme's text colour
and the page colour contrasts more with the cell. A value that rounds to 0.00 leaves its
cell blank.

Each figure is one axes whose data units are grid cells, labels are plain texts and the
colour bar is drawn by hand: tick machinery and extra axes would cost more time than the
figures themselves.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.patches import Rectangle

from .. import france_weights as weights
from ..france import SENTENCE, FranceLSTM, SentenceTrace
from .base import FigureSpec, Table, Theme, new_figure, style_axes

PAGE = {"light": "#ffffff", "dark": "#1e2129"}
"""The page behind a figure in each theme (Material's ``default`` and ``slate``)."""

LEVELS = 33
"""Colour levels of the heatmaps: odd, so that 0 of a diverging map is exactly the page colour."""

PREFIXES = ("In France, I ate", "In Italy, I ate")
"""The two prefixes whose next-word guesses are compared."""


# --- the model, run once ---------------------------------------------------------------


@functools.cache
def walkthrough() -> SentenceTrace:
    """The walkthrough sentence run through the designed France LSTM: every gate and state at
    every word. Computed once per process and shared by every table and figure: read, never modify."""
    return FranceLSTM().trace(SENTENCE)


@functools.cache
def prefix_guesses(k: int = 6) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` likeliest next words after each of `PREFIXES`, with probabilities."""
    model = FranceLSTM()
    return {prefix: model.predict(prefix, k=k) for prefix in PREFIXES}


# --- numbers as text ---------------------------------------------------------------------


def fmt(value: float) -> str:
    """Two decimals, and ``0`` for anything that rounds to zero (never ``-0.00``)."""
    text = f"{float(value):.2f}"
    return "0" if float(text) == 0 else text


def cell_text(value: float) -> str:
    """A heatmap cell's text: two decimals, blank where that rounds to 0."""
    text = fmt(value)
    return "" if text == "0" else text


def prob(p: float) -> str:
    """A probability with two decimals, ``<0.01`` for a small one (never a misleading ``0``)."""
    return "<0.01" if p < 0.005 else f"{p:.2f}"


def join(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def token_index(token: str) -> int:
    """The position of ``token`` in the walkthrough, or a ``ValueError`` listing the allowed words."""
    tokens = walkthrough().tokens
    if token not in tokens:
        raise ValueError(f"{token!r} is not a word of the walkthrough sentence; use one of: {', '.join(tokens)}.")
    return tokens.index(token)


# --- colours -------------------------------------------------------------------------------


def _luminance(colour) -> float:
    """WCAG relative luminance of a colour."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@functools.cache
def ink(theme: Theme, fill: tuple) -> str:
    """The theme's text colour or the page colour, whichever reads better on ``fill`` (RGB(A))."""
    return max((theme.text, PAGE[theme.name]), key=lambda colour: contrast(colour, fill[:3]))


def gate_cmap(theme: Theme) -> LinearSegmentedColormap:
    """Sequential, for gates in [0, 1]: the page colour (shut) to the theme's green (open)."""
    return LinearSegmentedColormap.from_list(f"gate-{theme.name}", [PAGE[theme.name], theme.palette[2]], N=LEVELS)


def signed_cmap(theme: Theme) -> LinearSegmentedColormap:
    """Diverging, centred on 0 (the page colour): ``negative`` below, ``positive`` above."""
    colours = [theme.negative, PAGE[theme.name], theme.positive]
    return LinearSegmentedColormap.from_list(f"signed-{theme.name}", colours, N=LEVELS)


# --- drawing on a grid of cells ------------------------------------------------------------


def canvas(theme: Theme, xlim: tuple, ylim: tuple, cell: tuple):
    """A figure with one frameless axes over all of it, whose data unit is a cell.

    ``xlim`` is (left, right) and ``ylim`` (top, bottom) in cells, y growing downwards like
    a table; ``cell`` is a cell's (width, height) in inches. Everything is drawn in these
    units, labels and colour bar included.
    """
    fig = new_figure(theme, (xlim[1] - xlim[0]) * cell[0], (ylim[1] - ylim[0]) * cell[1])
    ax = fig.add_axes((0, 0, 1, 1))
    style_axes(ax, theme)
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(ylim[1], ylim[0])
    return fig, ax


def annotated_grid(ax, theme: Theme, colours: np.ndarray, texts, size: float = 8.5, merge_rows: bool = False):
    """Cells coloured by ``colours`` (rows x columns x RGBA, one unsmoothed image), each with its text.

    A text ``""`` leaves its cell blank. With ``merge_rows``, a row whose cells all hold the
    same text gets it once, across the row ("1.00 at every word").
    """
    rows, columns = colours.shape[:2]
    merged = [merge_rows and bool(row[0]) and len(set(row)) == 1 for row in texts]
    ax.imshow(colours, interpolation="none", extent=(0, columns, rows, 0), aspect="auto")
    # thin page-coloured rules between the cells: across every row, down each run of unmerged rows
    ax.hlines(np.arange(1, rows), 0, columns, color=PAGE[theme.name], linewidth=0.8)
    starts = [r for r in range(rows) if not merged[r] and (r == 0 or merged[r - 1])]
    ends = [r + 1 for r in range(rows) if not merged[r] and (r == rows - 1 or merged[r + 1])]
    for start, end in zip(starts, ends):
        ax.vlines(np.arange(1, columns), start, end, color=PAGE[theme.name], linewidth=0.8)
    ax.add_patch(Rectangle((0, 0), columns, rows, fill=False, edgecolor=theme.line, linewidth=0.6))
    for r in range(rows):
        if merged[r]:
            ax.text(columns / 2, r + 0.5, f"{texts[r][0]} at every word", ha="center", va="center", fontsize=size,
                    color=ink(theme, tuple(colours[r, 0])))  # fmt: skip
            continue
        for k in range(columns):
            if texts[r][k]:
                ax.text(k + 0.5, r + 0.5, texts[r][k], ha="center", va="center", fontsize=size,
                        color=ink(theme, tuple(colours[r, k])))  # fmt: skip


def unit_labels(ax, theme: Theme, columns: int) -> None:
    """Unit names down the left, and a rule between the memory units and the expect units."""
    for r, unit in enumerate(weights.UNITS):
        ax.text(-0.12, r + 0.5, unit, ha="right", va="center", fontsize=9.5, color=theme.text)
    ax.hlines(len(weights.MEMORY_UNITS), -2.2, columns, color=theme.line, linewidth=1.2, clip_on=False)


def blank_note(ax, theme: Theme, rows: int, columns: int) -> None:
    """Say, under the grid's right end, what a blank cell means."""
    ax.text(columns, rows + 0.25, "blank cell: 0 to two decimals", ha="right", va="top", fontsize=8.5,
            color=theme.muted)  # fmt: skip


def colour_bar(ax, theme: Theme, box: tuple, cmap, low: float, high: float, label: str, extend: bool = False):
    """A vertical colour bar from ``low`` to ``high`` in ``box`` = (left, top, width, height), in cells.

    ``extend`` marks the ends as "or beyond", for a scale that clips.
    """
    left, top, width, height = box
    levels = cmap(np.linspace(1, 0, cmap.N))[:, None, :]  # first row on top: the high end
    image = ax.imshow(levels, interpolation="none", extent=(left, left + width, top + height, top), aspect="auto")
    image.set_clip_on(False)
    ax.add_patch(Rectangle((left, top), width, height, fill=False, edgecolor=theme.line, linewidth=0.8,
                           clip_on=False))  # fmt: skip
    for value in (low, (low + high) / 2, high):
        y = top + height * (high - value) / (high - low)
        text = fmt(value)
        if extend and value in (low, high):
            text = ("≤ " if value == low else "≥ ") + text
        ax.hlines(y, left + width, left + width * 1.35, color=theme.line, linewidth=0.8, clip_on=False)
        ax.text(left + width * 1.6, y, text, va="center", fontsize=8.5, color=theme.text)
    ax.text(left + width * 5.2, top + height / 2, label, rotation=90, ha="center", va="center", fontsize=9,
            color=theme.text)  # fmt: skip


def symbol(ax, x: float, y: float, main: str, sub: str, colour: str, size: float = 11, **kw) -> list:
    """An italic symbol with a subscript as two plain texts (mathtext would split it into glyphs).

    With ``ha="center"`` the pair, not the symbol alone, is centred on ``x`` (roughly).
    """
    if sub and kw.get("ha") == "center":
        x -= 0.03 * len(sub) * size / 11
    base = ax.text(x, y, main, fontsize=size, style="italic", color=colour, **kw)
    if not sub:
        return [base]
    low = ax.annotate(sub, xy=(1, 0), xycoords=base, xytext=(0.6, -1.0), textcoords="offset points",
                      fontsize=size * 0.72, style="italic", color=colour, ha="left", va="bottom")  # fmt: skip
    return [base, low]


# --- 1. the phases: the cell at one word ------------------------------------------------

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
"""The columns of a phase figure, in the order of the step: key, table header, figure header
(symbol and subscript)."""

GATES = ("i", "f", "o")
"""The gates (0 to 1), coloured sequentially; everything else is a signed value."""

PHASES = {"input": ("i", "g", "ig"), "forget": ("f", "fc"), "output": ("o", "h")}
"""The columns each phase highlights."""

PHASE_TITLES = {
    "input": "input phase: the input gate i lets the candidate g into the cell",
    "forget": "forget phase: the forget gate f keeps or erases the old cell state",
    "output": "output phase: the output gate o decides what the cell shows as h",
}

WALKTHROUGH_PHASES = (("input", "france"), ("input", "frank"), ("forget", "but"), ("output", "ate"))
"""The walkthrough's steps: which phase is shown at which word."""


@dataclass(frozen=True)
class PhaseData:
    """The cell at one word: ``values`` is units x `PHASE_COLUMNS`."""

    token: str
    step: int
    values: np.ndarray
    features: tuple[str, ...]
    h_prev: tuple[tuple[str, float], ...]

    def column(self, key: str) -> np.ndarray:
        return self.values[:, [k for k, _, _ in PHASE_COLUMNS].index(key)]


@functools.cache
def phase_data(token: str) -> PhaseData:
    """Every column of the step at ``token``, the features of $x_t$ and the nonzero $h_{t-1}$."""
    t = token_index(token)
    cell = walkthrough().cell
    c_prev, h_prev = cell.c_prev[t], cell.h_prev[t]
    columns = {
        "c_prev": c_prev,
        "i": cell.i[t],
        "g": cell.g[t],
        # the gated update: i_t * g_t
        "ig": cell.i[t] * cell.g[t],
        "f": cell.f[t],
        # what is kept of the old state: f_t * c_{t-1}
        "fc": cell.f[t] * c_prev,
        "c": cell.c[t],
        "o": cell.o[t],
        "h": cell.h[t],
    }
    values = np.column_stack([columns[key] for key, _, _ in PHASE_COLUMNS])
    features = tuple(name for name, x in zip(weights.INPUTS, cell.x[t]) if x != 0)
    nonzero = tuple((unit, float(h)) for unit, h in zip(weights.UNITS, h_prev) if fmt(h) != "0")
    return PhaseData(token=token, step=t, values=values, features=features, h_prev=nonzero)


def _h_prev_text(data: PhaseData) -> str:
    return ", ".join(f"{unit} = {fmt(h)}" for unit, h in data.h_prev) if data.h_prev else "none (all 0)"


def phase_table(token: str) -> Table:
    """One row per unit at ``token``: c(t-1), i, g, i⊙g, f, f⊙c(t-1), c(t), o, h(t).

    ``token`` must be a word of the walkthrough sentence; otherwise a ``ValueError`` lists them.
    """
    data = phase_data(token)
    caption = (
        f"The cell at '{token}' (word {data.step + 1} of {len(walkthrough().tokens)} of \"{SENTENCE}\"), "
        f"unit by unit. x(t) switches on: {', '.join(data.features)}. "
        f"Nonzero entries of h(t-1): {_h_prev_text(data)}."
    )
    rows = [[unit, *map(float, data.values[u])] for u, unit in enumerate(weights.UNITS)]
    return Table(caption=caption, columns=["unit", *(header for _, header, _ in PHASE_COLUMNS)], rows=rows)


def phase_alt(token: str, phase: str) -> str:
    """What the highlighted columns do at ``token``, in one or two sentences with the values."""
    data = phase_data(token)
    units = range(len(weights.UNITS))
    name = weights.UNITS
    c_prev, c, i, g, f, o, h = (data.column(k) for k in ("c_prev", "c", "i", "g", "f", "o", "h"))

    def change(u: int) -> str:
        return f"{name[u]} ({fmt(c_prev[u])} → {fmt(c[u])})"

    if phase == "input":
        opened = [change(u) for u in units if i[u] > 0.5]
        blocked = [f"{fmt(g[u])} for {name[u]}" for u in units if i[u] < 0.5 and abs(g[u]) > 0.5]
        text = f"Reading '{token}', the input gate opens only for {join(opened)}"
        text += f"; the candidate's {join(blocked)} is shut out." if blocked else "."
    elif phase == "forget":
        held = [u for u in units if fmt(c_prev[u]) != "0"]
        erased = [change(u) for u in held if f[u] < 0.5]
        kept = [name[u] for u in held if f[u] >= 0.5]
        text = f"Reading '{token}', the forget gate is near 0 for {join(erased)}"
        text += f" and near 1 for {join(kept)}, which keep their values." if kept else "."
    else:
        shown = [f"{name[u]} ({fmt(h[u])})" for u in units if o[u] > 0.5 and fmt(h[u]) != "0"]
        hidden = [f"{name[u]} (c = {fmt(c[u])})" for u in units if o[u] < 0.5 and fmt(c[u]) != "0"]
        word, p = walkthrough().top(data.step, k=1)[0]
        text = f"Reading '{token}', the output gate shows {join(shown)} as h"
        text += f" and hides {join(hidden)}" if hidden else ""
        text += f"; the readout's likeliest next word is '{word}' ({prob(p)})."
    return "Heatmap of the LSTM cell's 16 named units at one word, with the stacked input above. " + text


def phase_figure(token: str, theme: Theme, phase: str | None = None):
    """The step at ``token`` as an annotated heatmap, ``phase`` (input, forget, output) highlighted."""
    if phase is not None and phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)} or None; got {phase!r}.")
    data = phase_data(token)
    rows, columns = data.values.shape
    colours = np.empty((rows, columns, 4))
    for k, (key, _, _) in enumerate(PHASE_COLUMNS):
        if key in GATES:
            colours[:, k] = gate_cmap(theme)(Normalize(0, 1, clip=True)(data.values[:, k]))
        else:  # full colour at +-1: the number in the cell says the rest
            colours[:, k] = signed_cmap(theme)(Normalize(-1, 1, clip=True)(data.values[:, k]))
    texts = [[cell_text(v) for v in row] for row in data.values]

    fig, ax = canvas(theme, xlim=(-2.3, columns + 0.05), ylim=(-5.0, rows + 0.7), cell=(0.58, 0.32))
    # the stacked input [x_t; h_{t-1}] across the top
    title = f"'{token}', word {data.step + 1} of {len(walkthrough().tokens)}"
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
        symbol(ax, -1.95, y, main, sub, theme.text, size=10.5, va="baseline")
        ax.text(-1.1, y, text, fontsize=9.5, color=theme.text, va="baseline")

    annotated_grid(ax, theme, colours, texts)
    labels = [symbol(ax, k + 0.5, -0.3, main, sub, theme.text, size=10.5, ha="center", va="baseline")
              for k, (_, _, (main, sub)) in enumerate(PHASE_COLUMNS)]  # fmt: skip
    unit_labels(ax, theme, columns)
    if phase is not None:
        keys = [key for key, _, _ in PHASE_COLUMNS]
        chosen = [keys.index(key) for key in PHASES[phase]]
        # the frame takes in the column headers too
        ax.add_patch(Rectangle((min(chosen), -1.0), len(chosen), rows + 1.0, fill=False, edgecolor=theme.accent,
                               linewidth=2.6, clip_on=False))  # fmt: skip
        for k in chosen:
            for text in labels[k]:
                text.set_color(theme.accent)
    blank_note(ax, theme, rows, columns)
    return fig


# --- 2. the whole sentence ------------------------------------------------------------

QUANTITIES = {
    "i": "input gate i",
    "f": "forget gate f",
    "o": "output gate o",
    "c": "cell state c",
    "h": "hidden state h",
}
"""The quantities with a whole-sentence heatmap, by their name in the trace."""


def sentence_values(name: str) -> np.ndarray:
    """``name`` (one of `QUANTITIES`) for every unit after every word: units x tokens."""
    if name not in QUANTITIES:
        raise ValueError(f"name must be one of {', '.join(QUANTITIES)}; got {name!r}.")
    return getattr(walkthrough().cell, name).T


def sentence_table(name: str) -> Table:
    """One row per unit, one column per word of the walkthrough."""
    values = sentence_values(name)
    return Table(
        caption=f"The {QUANTITIES[name]} of every unit after every word of \"{SENTENCE}\".",
        columns=["unit", *walkthrough().tokens],
        rows=[[unit, *map(float, values[u])] for u, unit in enumerate(weights.UNITS)],
    )


def sentence_alt(name: str) -> str:
    """What the heatmap shows, with a fact or two computed from it."""
    values = sentence_values(name)
    tokens, units = walkthrough().tokens, weights.UNITS
    head = (
        f"Heatmap of the {QUANTITIES[name]} of the 16 named units (rows) after each of the "
        f"{len(tokens)} words (columns) of the sentence. "
    )
    if name in GATES:
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


def sentence_figure(name: str, theme: Theme):
    """``name`` for every unit after every word, numbers in the cells, and a colour bar."""
    values = sentence_values(name)
    tokens = walkthrough().tokens
    rows, columns = values.shape
    if name in GATES:
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
    extend = name not in GATES and bool(np.abs(values).max() > high)
    colour_bar(ax, theme, (columns + 0.35, rows * 0.2, 0.3, rows * 0.6), cmap, low, high, QUANTITIES[name], extend)
    return fig


# --- 3. France against Italy ----------------------------------------------------------


def next_word_table() -> Table:
    """Rank, word and probability of the six likeliest next words after each prefix."""
    guesses = prefix_guesses()
    rows = [[rank, *(value for word, p in pair for value in (word, p))]
            for rank, pair in enumerate(zip(*guesses.values()), start=1)]  # fmt: skip
    columns = ["rank"]
    for prefix in PREFIXES:
        columns += [f"after \"{prefix}\"", "probability"]
    return Table(caption="The six likeliest next words after two prefixes that differ only in the country.",
                 columns=columns, rows=rows)  # fmt: skip


def next_word_alt() -> str:
    guesses = prefix_guesses()
    parts = [f"after \"{prefix}\" {join([f'{w} ({prob(p)})' for w, p in guesses[prefix][:3]])} lead"
             for prefix in PREFIXES]  # fmt: skip
    return f"Two bar charts of the six likeliest next words: {parts[0]}; {parts[1]}."


def food_country(word: str) -> str | None:
    """The country whose food ``word`` is, or ``None``."""
    return next((country for country, foods in weights.FOODS.items() if word in foods), None)


def next_word_figure(theme: Theme):
    """Side by side, horizontal bars of the six likeliest words, each bar in its food's country's colour."""
    guesses = prefix_guesses()
    countries = list(weights.FOODS)
    pmax = max(p for pairs in guesses.values() for _, p in pairs)
    length = 3.0 / pmax  # a bar of probability pmax is 3 cells long
    fig, ax = canvas(theme, xlim=(-2.2, 9.6), ylim=(-2.6, 5.6), cell=(0.62, 0.3))
    for n, prefix in enumerate(PREFIXES):
        pairs = guesses[prefix]
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


@functools.cache
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


def along_sentence_table() -> Table:
    """Each word, the word that follows it and that word's probability, then the three likeliest guesses."""
    rows = []
    for row in along_sentence():
        guesses = [value for word, p in row["top"] for value in (word, p)]
        in_top = "–" if row["actual"] is None else ("yes" if row["rank"] is not None else "no")
        rows.append([row["token"], row["actual"] or "(end)", "–" if row["p"] is None else row["p"], *guesses, in_top])
    columns = ["word", "actual next word", "its probability"]
    for rank in ("1st", "2nd", "3rd"):
        columns += [f"{rank} guess", "probability"]
    return Table(caption=f"The three likeliest next words after each word of \"{SENTENCE}\".",
                 columns=[*columns, "actual in top 3"], rows=rows)  # fmt: skip


def along_sentence_alt() -> str:
    data = [row for row in along_sentence() if row["actual"]]
    hits = sum(row["rank"] is not None for row in data)
    misses = [f"after '{row['token']}' ('{row['actual']}', {prob(row['p'])}; it guesses '{row['top'][0][0]}')"
              for row in data if row["rank"] is None]  # fmt: skip
    text = (
        "A grid of the three likeliest next words after each word of the sentence, shaded by probability. "
        f"The actual next word is among them {hits} times out of {len(data)}"
    )
    return text + (f"; it is missed {join(misses)}." if misses else ".")


def along_sentence_figure(theme: Theme):
    """Words down the side, the three guesses across (shaded by probability), the actual next word last."""
    data = along_sentence()
    rows = len(data)
    probs = np.array([[p for _, p in row["top"]] for row in data])
    colours = gate_cmap(theme)(Normalize(0, 1)(probs))
    texts = [[f"{w}  {prob(p)}" for w, p in row["top"]] for row in data]

    fig, ax = canvas(theme, xlim=(-1.0, 4.3), ylim=(-1.0, rows + 0.8), cell=(1.4, 0.36))
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
    return fig


# --- the list ----------------------------------------------------------------------------

FIGURES = [
    *(
        FigureSpec(
            name=f"phase-{phase}-{token}",
            alt=phase_alt(token, phase),
            table=functools.partial(phase_table, token),
            draw=functools.partial(phase_figure, token, phase=phase),
        )
        for phase, token in WALKTHROUGH_PHASES
    ),
    *(
        FigureSpec(
            name=f"sentence-{name}",
            alt=sentence_alt(name),
            table=functools.partial(sentence_table, name),
            draw=functools.partial(sentence_figure, name),
        )
        for name in QUANTITIES
    ),
    FigureSpec(name="next-word-france-vs-italy", alt=next_word_alt(), table=next_word_table, draw=next_word_figure),
    FigureSpec(name="next-word-along-sentence", alt=along_sentence_alt(), table=along_sentence_table,
               draw=along_sentence_figure),  # fmt: skip
]
