"""What every figure of the site shares: its numbers as a table, two colour themes, SVG output.

A figure is a `FigureSpec`: a name, a function that computes its numbers once, and three
functions of that one result: its `Table`, its alt text, and its drawing, a
``matplotlib.figure.Figure`` in a `Theme`. Drawing never computes and never writes files;
`to_svg` serialises once, at the edge, with text kept as text and the same bytes on every run.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")  # no screen; set before pyplot could ever be imported
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
from matplotlib.transforms import ScaledTranslation  # noqa: E402

from ..formatting import fmt  # noqa: E402

SVG_RC = {
    "svg.fonttype": "none",  # text stays text: selectable, searchable, small
    "svg.hashsalt": "lstm-explainer",  # constant ids: byte-identical SVG run to run
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # one named font (its metrics set the layout), then any sans-serif
    "font.size": 10,
}


@dataclass(frozen=True)
class Table:
    """The numbers of a figure: a caption, column headers and rows (strings or numbers)."""

    caption: str
    columns: list[str]
    rows: list[list]

    def to_markdown(self, digits: int = 3) -> str:
        """A Markdown table: whole numbers as integers, others with `fmt` to ``digits`` places."""

        def cell(value) -> str:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return str(value).replace("|", "\\|")
            if float(value).is_integer():
                return str(int(value))
            return fmt(value, digits)

        lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in self.rows]
        return "\n".join(lines)


@dataclass(frozen=True)
class Theme:
    """Colours for one palette of the site (Material's light ``default`` or dark ``slate``).

    ``background`` is the page behind a figure in that palette (figures themselves are
    transparent); ``text`` and ``muted`` are for words, ``line`` for frames and rules,
    ``positive``/``negative`` for signed values, ``palette`` for series.
    """

    name: str
    background: str
    text: str
    muted: str
    line: str
    accent: str
    positive: str
    negative: str
    cmap: str = "RdBu_r"
    palette: tuple = field(default=())


THEMES = {
    "light": Theme(
        name="light", background="#ffffff", text="#1f2328", muted="#57606a", line="#8c959f", accent="#3f51b5",
        positive="#b3261e", negative="#1f5fa8", palette=("#3f51b5", "#d1495b", "#2e8540", "#8f5db7"),
    ),
    "dark": Theme(
        name="dark", background="#1e2129", text="#e6edf3", muted="#adbac7", line="#768390", accent="#8c9eff",
        positive="#ff8a80", negative="#82b1ff", palette=("#8c9eff", "#ff8a80", "#7ee2a8", "#d2a8ff"),
    ),
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class FigureSpec:
    """One figure of the site: its numbers computed once, then its table, alt text and drawing.

    ``compute()`` returns the figure's numbers (any object); ``table``, ``alt`` and ``draw``
    are functions of that one result (micrograd's ``draw_dot`` draws what ``trace`` collected
    once): ``table(result) -> Table``, ``alt(result) -> str`` and
    ``draw(result, theme) -> Figure``. Nothing is computed until a method below is called, so
    importing a figure module never trains anything.
    """

    name: str
    compute: Callable[[], Any]
    table: Callable[[Any], Table]
    alt: Callable[[Any], str]
    draw: Callable[[Any, Theme], Figure]
    _kept: dict = field(default_factory=dict, repr=False)

    def result(self) -> Any:
        """The figure's numbers: ``compute()``, called once per process."""
        if "result" not in self._kept:
            self._kept["result"] = self.compute()
        return self._kept["result"]

    def alt_text(self) -> str:
        """The alt text, written from the result."""
        return self.alt(self.result())

    def numbers_table(self) -> Table:
        """The table of the figure's numbers, shown under it."""
        return self.table(self.result())

    def figure(self, theme: Theme) -> Figure:
        """The figure drawn in ``theme``."""
        return self.draw(self.result(), theme)


def new_figure(theme: Theme, width: float, height: float) -> Figure:
    """An empty figure (inches) with a transparent background, in ``theme``'s text colours."""
    with matplotlib.rc_context(SVG_RC):
        fig = Figure(figsize=(width, height))
    fig.patch.set_alpha(0.0)
    return fig


def style_axes(ax, theme: Theme) -> None:
    """Text, ticks and spines in the theme's colours, on a transparent background."""
    ax.set_facecolor("none")
    ax.tick_params(colors=theme.text, labelcolor=theme.text)
    for spine in ax.spines.values():
        spine.set_color(theme.line)
    ax.title.set_color(theme.text)
    ax.xaxis.label.set_color(theme.text)
    ax.yaxis.label.set_color(theme.text)


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes: text as text, no date, constant ids, made compact."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", transparent=True)
    return compact_svg(buffer.getvalue().decode()).encode()


_STYLE = re.compile(r' style="([^"]*)"')


def compact_svg(svg: str) -> str:
    """The same drawing in fewer bytes: each repeated inline style becomes a CSS class,
    coordinates keep two decimals, and the indentation, no-op rotations and line breaks in
    path data go."""
    svg = re.sub(r' transform="rotate\(-?0 [-\d.e]+ [-\d.e]+\)"', "", svg)
    svg = re.sub(r'd="([^"]*)"', lambda m: 'd="' + " ".join(m[1].split()) + '"', svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r"(\d\.\d\d)\d+", r"\1", svg)  # coordinates to 1/100 pt: finer than a pixel
    counts: dict[str, int] = {}
    for style in _STYLE.findall(svg):
        counts[style] = counts.get(style, 0) + 1
    shared = {style: f"s{n}" for n, style in enumerate(s for s, c in counts.items() if c > 1)}
    svg = _STYLE.sub(lambda m: f' class="{shared[m[1]]}"' if m[1] in shared else m[0], svg)
    if shared:
        rules = "".join(f".{name}{{{style}}}" for style, name in shared.items())
        svg = re.sub(r"(<svg[^>]*>)", lambda m: f"{m[1]}<style>{rules}</style>", svg, count=1)
    return svg


def blank_axes(fig, theme: Theme, rect=(0, 0, 1, 1)):
    """An axes over the whole figure, without ticks or frame, in the theme's colours."""
    ax = fig.add_axes(rect)
    style_axes(ax, theme)
    ax.set_axis_off()
    return ax


def symbol(ax, x: float, y: float, text: str, fontsize: float, colour: str, ha: str = "center",
           va: str = "center") -> None:
    """Italic math like ``W_{hh} h_{t-1}`` at data point ``(x, y)``, subscripts made by hand.

    Matplotlib's mathtext would do it, but it is slow to lay out and its SVG names the single
    font ``DejaVu Sans`` with no fallback; these are plain text pieces in the page's fonts.
    Subscripts are 72 % of ``fontsize`` (keep ``fontsize`` >= 12.5 for >= 9 pt subscripts).
    """
    pieces = []  # (text, size, drop below the baseline in points)
    for base, sub in re.findall(r"([^_{}]+)(?:_\{([^}]*)\})?", text):
        pieces.append((base, fontsize, 0.0))
        if sub:
            pieces.append((sub.replace("-", "\u2212"), 0.72 * fontsize, 0.28 * fontsize))
    widths = []
    for piece, size, _ in pieces:
        prop = FontProperties(family="sans-serif", style="italic", size=size)
        widths.append(text_to_path.get_text_width_height_descent(piece, prop, ismath=False)[0] + 0.6)
    left = {"left": 0.0, "center": -sum(widths) / 2, "right": -sum(widths)}[ha]
    baseline = {"center": -0.36, "top": -0.76, "bottom": 0.3, "baseline": 0.0}[va] * fontsize
    for (piece, size, drop), width in zip(pieces, widths):
        shift = ScaledTranslation(left / 72, (baseline - drop) / 72, ax.figure.dpi_scale_trans)
        ax.text(x, y, piece, ha="left", va="baseline", fontsize=size, style="italic", color=colour,
                transform=ax.transData + shift)  # fmt: skip
        left += width
