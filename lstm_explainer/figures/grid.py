"""The grid kit: annotated heatmaps drawn on one axes whose data unit is a grid cell.

The France cell's heatmaps (unit by unit at one word, and over the whole sentence; the
what-ifs) and the trained language model's gate charts are drawn with these pieces, in a
`Theme`'s colours:

* `canvas`: a figure with one frameless axes in cell units, y growing downwards like a table;
* `annotated_grid`: cells coloured from an RGBA array, each with its number (`cell_text`);
* `gate_cmap` (0 to 1: the page colour to green) and `signed_cmap` (the page colour at 0,
  ``negative`` below and ``positive`` above), each with `LEVELS` levels;
* `colour_bar`: a vertical scale drawn by hand, saying at its ends what the colours mean
  (`MEANING`); `colour_key`: the same scale lying down, for a grid with no room at its side;
  `row_labels`, `blank_note`;
* `subscripted`: an italic symbol with a subscript, as two plain texts;
* `ink`: the text colour that reads best on a cell (WCAG `contrast`).

Labels are plain texts and the colour bar is drawn by hand: tick machinery and extra axes
would cost more time than the figures themselves.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.patches import Rectangle

from ..formatting import fmt
from .base import Theme, blank_axes, new_figure

LEVELS = 33
"""Colour levels of the heatmaps: odd, so that 0 of a diverging map is exactly the page colour."""


def cell_text(value: float) -> str:
    """A heatmap cell's text: `fmt` (two decimals), blank where that rounds to 0."""
    text = fmt(value)
    return "" if text == "0" else text


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
    """The theme's text colour or its page colour, whichever reads better on ``fill`` (RGB(A))."""
    return max((theme.text, theme.background), key=lambda colour: contrast(colour, fill[:3]))


def gate_cmap(theme: Theme) -> LinearSegmentedColormap:
    """Sequential, for gates in [0, 1]: the page colour (shut) to the theme's green (open)."""
    return LinearSegmentedColormap.from_list(f"gate-{theme.name}", [theme.background, theme.palette[2]], N=LEVELS)


def signed_cmap(theme: Theme) -> LinearSegmentedColormap:
    """Diverging, centred on 0 (the page colour): ``negative`` below, ``positive`` above."""
    colours = [theme.negative, theme.background, theme.positive]
    return LinearSegmentedColormap.from_list(f"signed-{theme.name}", colours, N=LEVELS)


# --- drawing on a grid of cells ------------------------------------------------------------


def canvas(theme: Theme, xlim: tuple, ylim: tuple, cell: tuple):
    """A figure with one frameless axes over all of it, whose data unit is a cell.

    ``xlim`` is (left, right) and ``ylim`` (top, bottom) in cells, y growing downwards like
    a table; ``cell`` is a cell's (width, height) in inches. Everything is drawn in these
    units, labels and colour bar included. Returns ``(figure, axes)``.
    """
    fig = new_figure(theme, (xlim[1] - xlim[0]) * cell[0], (ylim[1] - ylim[0]) * cell[1])
    ax = blank_axes(fig, theme)
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
    ax.hlines(np.arange(1, rows), 0, columns, color=theme.background, linewidth=0.8)
    starts = [r for r in range(rows) if not merged[r] and (r == 0 or merged[r - 1])]
    ends = [r + 1 for r in range(rows) if not merged[r] and (r == rows - 1 or merged[r + 1])]
    for start, end in zip(starts, ends):
        ax.vlines(np.arange(1, columns), start, end, color=theme.background, linewidth=0.8)
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


def row_labels(ax, theme: Theme, labels, columns: int, rule_after: int | None = None) -> None:
    """``labels`` down the left of the grid, one per row; a rule under row ``rule_after - 1``
    (between two groups of rows) when given."""
    for r, label in enumerate(labels):
        ax.text(-0.12, r + 0.5, label, ha="right", va="center", fontsize=9.5, color=theme.text)
    if rule_after is not None:
        ax.hlines(rule_after, -2.2, columns, color=theme.line, linewidth=1.2, clip_on=False)


def blank_note(ax, theme: Theme, rows: int, columns: int) -> None:
    """Say, under the grid's right end, what a blank cell means."""
    ax.text(columns, rows + 0.25, "blank cell: 0 to two decimals", ha="right", va="top", fontsize=8.5,
            color=theme.muted)  # fmt: skip


MEANING = {"gate": ("shut", "open"), "signed": ("negative", "positive")}
"""What the two ends of each kind of map mean, by the kind that starts the map's name
(`gate_cmap`: ``gate-light``, `signed_cmap`: ``signed-dark``)."""


def meaning(cmap) -> tuple[str, str]:
    """The words for the low and high ends of ``cmap``, a map of `gate_cmap` or `signed_cmap`
    (`MEANING`): ``("shut", "open")`` or ``("negative", "positive")``.

    Raises ``ValueError`` for a map the kit did not make.
    """
    kind = cmap.name.split("-")[0]
    if kind not in MEANING:
        raise ValueError(f"{cmap.name!r} is not a map of the grid kit; use gate_cmap or signed_cmap.")
    return MEANING[kind]


def colour_bar(ax, theme: Theme, box: tuple, cmap, low: float, high: float, label: str, extend: bool = False):
    """A vertical colour bar from ``low`` to ``high`` in ``box`` = (left, top, width, height), in cells.

    ``extend`` marks the ends as "or beyond", for a scale that clips. Above and below the bar,
    the words of `meaning` say what its ends mean (``open (green)`` over ``shut``).
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
    words = meaning(cmap)
    ax.text(left, top - 0.15, words[1], ha="left", va="bottom", fontsize=8.5, color=theme.text, clip_on=False)
    ax.text(left, top + height + 0.15, words[0], ha="left", va="top", fontsize=8.5, color=theme.text, clip_on=False)


def colour_key(ax, theme: Theme, x: float, y: float, width: float, cmap, low: float, high: float, title: str,
               extend: bool = False, size: float = 8.5, words: tuple[str, str] | None = None) -> None:
    """A horizontal colour scale, top left at (``x``, ``y``): ``title``, then a strip ``width``
    long from ``low`` (left) to ``high``, then the values at its ends and middle, then
    ``words`` under its ends (by default those of `meaning`, a gate's "shut" and "open"; pass
    others where the map shows something else, such as a probability).

    Works on any axes of the kit (data units, y growing down as in `canvas`, or up): each line
    of text takes ``size`` points, the strip as much. ``extend`` marks the ends "or beyond".
    """
    down = 1.0 if ax.yaxis_inverted() else -1.0
    # one line of text (1.45 times the font size), in the axes' y units as they are now
    inverse = ax.transData.inverted()
    line = abs(inverse.transform((0, size * 1.45 * ax.figure.dpi / 72))[1] - inverse.transform((0, 0))[1])
    va = "top" if down > 0 else "bottom"
    ax.text(x, y, title, ha="left", va=va, fontsize=size + 0.5, color=theme.text, clip_on=False)
    y0 = y + down * line * 1.1
    y1 = y0 + down * line
    # the strip as vector rectangles, one per level (no image: the SVG stays text and paths)
    step = width / cmap.N
    levels = [Rectangle((x + k * step, min(y0, y1)), step * 1.02, line) for k in range(cmap.N)]
    ax.add_collection(PatchCollection(levels, facecolors=cmap(np.linspace(0, 1, cmap.N)), edgecolors="none",
                                      linewidths=0, clip_on=False, zorder=2))  # fmt: skip
    ax.add_patch(Rectangle((x, min(y0, y1)), width, line, fill=False, edgecolor=theme.line, linewidth=0.8,
                           clip_on=False, zorder=3))  # fmt: skip
    words = meaning(cmap) if words is None else words
    values_y, words_y = y1 + down * line * 0.15, y1 + down * line * 1.05
    for value, ha, where in ((low, "left", x), ((low + high) / 2, "center", x + width / 2), (high, "right", x + width)):
        text = fmt(value)
        if extend and value in (low, high):
            text = ("≤ " if value == low else "≥ ") + text
        ax.text(where, values_y, text, ha=ha, va=va, fontsize=size, color=theme.text, clip_on=False)
    for word, ha, where in ((words[0], "left", x), (words[1], "right", x + width)):
        if word:
            ax.text(where, words_y, word, ha=ha, va=va, fontsize=size, color=theme.text, clip_on=False)


def subscripted(ax, x: float, y: float, main: str, sub: str, colour: str, size: float = 11, **kw) -> list:
    """An italic symbol with a subscript as two plain texts (mathtext would split it into glyphs).

    With ``ha="center"`` the pair, not the symbol alone, is centred on ``x`` (roughly).
    Returns the texts drawn (one or two), so a caller can recolour them.
    """
    if sub and kw.get("ha") == "center":
        x -= 0.03 * len(sub) * size / 11
    base = ax.text(x, y, main, fontsize=size, style="italic", color=colour, **kw)
    if not sub:
        return [base]
    low = ax.annotate(sub, xy=(1, 0), xycoords=base, xytext=(0.6, -1.0), textcoords="offset points",
                      fontsize=size * 0.72, style="italic", color=colour, ha="left", va="bottom")  # fmt: skip
    return [base, low]
