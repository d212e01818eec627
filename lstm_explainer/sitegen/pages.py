"""What the MkDocs hook adds to the site: figure files, and placeholders filled in pages.

A page writes ``{{ figure("name") }}`` for a figure (light and dark SVG, alt text, and a
collapsible table of its numbers), ``{{ table("name") }}`` for one of
`TABLES`, and ``{{ name }}`` for a number of
`lstm_explainer.sitegen.facts.facts`. An unknown name fails the build.
"""

from __future__ import annotations

import functools
import posixpath
import re

from ..figures.base import THEMES, FigureSpec, to_svg
from .facts import facts
from .tables import TABLES

FIGURE_DIR = "figures"
PLACEHOLDER = re.compile(r"\{\{\s*(?:(figure|table)\(\s*\"([a-z0-9-]+)\"\s*\)|([a-z0-9_]+))\s*\}\}")


@functools.cache
def figures() -> dict[str, FigureSpec]:
    """Every figure of the site, by name."""
    from ..figures import cell_diagram, france, turnstile

    specs = [*turnstile.FIGURES, *cell_diagram.FIGURES, *france.FIGURES]
    by_name = {spec.name: spec for spec in specs}
    if len(by_name) != len(specs):
        raise ValueError("two figures share a name.")
    return by_name


def figure_path(name: str, theme: str) -> str:
    return f"{FIGURE_DIR}/{name}-{theme}.svg"


def figure_files() -> dict[str, bytes]:
    """Every figure as SVG, in each theme: site path -> bytes."""
    return {
        figure_path(spec.name, theme.name): to_svg(spec.draw(theme))
        for spec in figures().values()
        for theme in THEMES.values()
    }


def figure_markdown(name: str, page_dir: str) -> str:
    """The Markdown of one figure: both palettes' images and its numbers, collapsed."""
    spec = figures().get(name)
    if spec is None:
        raise KeyError(f"unknown figure {name!r}; the figures are: {', '.join(sorted(figures()))}.")
    alt = spec.alt.replace("[", "(").replace("]", ")").replace("\n", " ")
    images = "\n".join(
        f"![{alt}]({posixpath.relpath(figure_path(name, theme), page_dir or '.')}#only-{theme})"
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
            if key not in TABLES:
                raise KeyError(f"unknown table {key!r}; the tables are: {', '.join(TABLES)}.")
            return TABLES[key]().to_markdown()
        if name not in facts():
            raise KeyError(f"unknown number {{{{ {name} }}}}; see lstm_explainer/sitegen/facts.py.")
        return facts()[name]

    def fill(match: re.Match) -> str:
        # a block placed inside an indented block (a tab, an admonition) keeps that indent
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        indent = markdown[line_start : match.start()]
        text = value(match)
        return text.replace("\n", "\n" + indent) if indent.isspace() else text

    return PLACEHOLDER.sub(fill, markdown)
