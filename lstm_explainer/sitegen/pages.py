"""What the MkDocs hook adds to the site: figure files, and placeholders filled in pages.

A page writes ``{{ figure("name") }}`` for a figure (light and dark SVG, alt text, and a
collapsible table of its numbers), ``{{ table("name") }}`` for one of
`tables`, and ``{{ name }}`` for a number of `numbers` (the facts of
`lstm_explainer.sitegen.facts` and of the figure modules). An unknown name fails the build.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import posixpath
import re

from ..disk_cache import code_hash, remember, version
from ..figures.base import THEMES, FigureSpec, to_svg
from .facts import facts
from .tables import TABLES

FIGURE_DIR = "figures"
PLACEHOLDER = re.compile(r"\{\{\s*(?:(figure|table)\(\s*\"([a-z0-9-]+)\"\s*\)|([a-z0-9_]+))\s*\}\}")


@functools.cache
def figure_modules() -> tuple:
    """Every module of `lstm_explainer.figures` (but ``base``), in name order.

    A module offers ``FIGURES`` (a list of `FigureSpec`), and may offer ``TABLES`` (name ->
    function returning a `Table`) and ``facts()`` (name -> number as the prose shows it).
    """
    from .. import figures as package

    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__) if info.name != "base")
    return tuple(importlib.import_module(f"{package.__name__}.{name}") for name in names)


def _merged(parts: list[dict], what: str) -> dict:
    merged = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"two {what} share the name {sorted(clash)[0]!r}.")
        merged.update(part)
    return merged


@functools.cache
def figures() -> dict[str, FigureSpec]:
    """Every figure of the site, by name."""
    return _merged([{s.name: s for s in m.FIGURES} for m in figure_modules()], "figures")


@functools.cache
def tables() -> dict:
    """Every table a page can place with ``{{ table("name") }}``, by name."""
    return _merged([TABLES] + [getattr(m, "TABLES", {}) for m in figure_modules()], "tables")


@functools.cache
def numbers() -> dict[str, str]:
    """Every number a page can quote with ``{{ name }}``."""
    extra = [m.facts() for m in figure_modules() if callable(getattr(m, "facts", None))]
    return _merged([facts()] + extra, "numbers")


def figure_path(name: str, theme: str) -> str:
    return f"{FIGURE_DIR}/{name}-{theme}.svg"


@functools.cache
def figure_module_names() -> dict[str, str]:
    """The module that defines each figure: figure name -> module name."""
    return {spec.name: m.__name__ for m in figure_modules() for spec in m.FIGURES}


def figure_svg(name: str, theme: str) -> bytes:
    """One figure drawn in one theme, as SVG; kept on disk until its module's code changes."""
    identity = {
        "figure": name,
        "theme": theme,
        "code": code_hash(figure_module_names()[name]),  # the module, and all it imports
        # the drawing library, and those that computed the results drawn
        "versions": [version(name) for name in ("matplotlib", "numpy", "torch")],
    }
    svg, _ = remember("figure", identity, lambda: to_svg(figures()[name].draw(THEMES[theme])).decode())
    return svg.encode()


def figure_files() -> dict[str, bytes]:
    """Every figure as SVG, in each theme: site path -> bytes."""
    return {figure_path(name, theme): figure_svg(name, theme) for name in figures() for theme in THEMES}


def figure_markdown(name: str, page_dir: str) -> str:
    """The Markdown of one figure: both palettes' images and its numbers, collapsed."""
    spec = figures().get(name)
    if spec is None:
        raise KeyError(f"unknown figure {name!r}; the figures are: {', '.join(sorted(figures()))}.")
    alt = spec.alt_text().replace("[", "(").replace("]", ")").replace("\n", " ")
    # lazy: the browser fetches a figure when it is about to show, so the other palette's
    # copy (hidden) is never fetched unless the reader switches palette
    images = "\n".join(
        f"![{alt}]({posixpath.relpath(figure_path(name, theme), page_dir or '.')}#only-{theme}){{ loading=lazy }}"
        for theme in THEMES
    )
    table = spec.table()
    body = table.to_markdown().replace("\n", "\n    ")
    return (
        f'<figure class="computed" id="fig-{name}" markdown="span">\n{images}\n'
        f"<figcaption>{table.caption}</figcaption>\n</figure>\n\n"
        f'??? info "The numbers in this figure"\n\n    {body}\n'
    )


def expand(markdown: str, page_dir: str) -> str:
    """Fill every placeholder of a page; an unknown name raises ``KeyError``."""

    def value(match: re.Match) -> str:
        kind, key, name = match.groups()
        if kind == "figure":
            return figure_markdown(key, page_dir)
        if kind == "table":
            if key not in tables():
                raise KeyError(f"unknown table {key!r}; the tables are: {', '.join(sorted(tables()))}.")
            return tables()[key]().to_markdown()
        if name not in numbers():
            raise KeyError(f"unknown number {{{{ {name} }}}}; see lstm_explainer/sitegen/facts.py and the figure modules' facts().")
        return numbers()[name]

    def fill(match: re.Match) -> str:
        # a block placed inside an indented block (a tab, an admonition) keeps that indent
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        indent = markdown[line_start : match.start()]
        text = value(match)
        return text.replace("\n", "\n" + indent) if indent.isspace() else text

    return PLACEHOLDER.sub(fill, markdown)
