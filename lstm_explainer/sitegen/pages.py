"""What the MkDocs hook adds to the site: figure files, and placeholders filled in pages.

A page writes ``{{ figure("name") }}`` for a figure (light and dark SVG, alt text, and a
collapsible table of its numbers), ``{{ table("name") }}`` for a table, and ``{{ name }}``
for a number. Names come from the modules' ``FIGURES``, ``TABLES`` and ``NUMBERS``
(`lstm_explainer.sitegen.facts`, `lstm_explainer.sitegen.tables`,
`lstm_explainer.sitegen.build_numbers` and every page module of `lstm_explainer.figures`),
where each is written out in full. A number is computed when a page asks for it, once per
process: a page computes only its own numbers. A placeholder that names nothing, or that is
malformed, raises `PlaceholderError` with the page, the line and the nearest valid names.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import pkgutil
import posixpath
import re
from typing import Callable

from ..claims import Claim, ClaimError
from ..disk_cache import code_hash, remember, version
from ..figures.base import THEMES, FigureSpec, Table, to_svg
from . import build_numbers, facts, tables as site_tables

FIGURE_DIR = "figures"
PLACEHOLDER = re.compile(r"\{\{\s*(?:(figure|table)\(\s*\"([a-z0-9-]+)\"\s*\)|([a-z0-9_]+))\s*\}\}")
"""A well-formed placeholder: groups (kind, figure or table name, number name)."""

ANY_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
"""Anything between double braces, well-formed or not, over lines too."""


class PlaceholderError(ValueError):
    """A placeholder names nothing the package offers, or is malformed (the hook turns it
    into MkDocs' ``PluginError``, which stops the build with this message)."""


@functools.cache
def figure_modules() -> tuple:
    """Every page module of `lstm_explainer.figures` (one with ``FIGURES``), in name order.

    A module offers ``FIGURES`` (a list of `FigureSpec`), and may offer ``TABLES`` (name ->
    function returning a `Table`) and ``NUMBERS`` (name -> function returning a number as
    the prose shows it). Kits (``base``, ``grid``) have no ``FIGURES``.
    """
    from .. import figures as package

    modules = (importlib.import_module(f"{package.__name__}.{info.name}")
               for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name))  # fmt: skip
    return tuple(m for m in modules if hasattr(m, "FIGURES"))


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
def tables() -> dict[str, Callable[[], Table]]:
    """Every table a page can place with ``{{ table("name") }}``, by name (computed when placed)."""
    parts = [site_tables.TABLES, {"claims": claims_table}] + [getattr(m, "TABLES", {}) for m in figure_modules()]
    return _merged(parts, "tables")


@functools.cache
def claims() -> dict[str, Claim]:
    """Every claim (`lstm_explainer.claims`) the modules offer as ``CLAIMS``, by name."""
    modules = [facts, *figure_modules()]
    return _merged([{c.name: c for c in getattr(m, "CLAIMS", ())} for m in modules], "claims")


@functools.cache
def number_sources() -> dict[str, Callable[[], str]]:
    """Every number a page can quote with ``{{ name }}``: name -> the function that computes it.

    A claim is placed the same way: its function checks the claim and returns its sentence.
    """
    modules = [facts, build_numbers, *figure_modules()]
    numbers = [getattr(m, "NUMBERS", {}) for m in modules]
    return _merged([*numbers, {name: c.sentence for name, c in claims().items()}], "numbers")


def claims_table() -> Table:
    """Every claim with its condition and current values; `ClaimError` if one does not hold.

    "How this site is built" places it, so every build checks every claim.
    """
    rows = []
    for name, claim in sorted(claims().items()):
        values, _ = claim.evaluate()
        shown = claim.shown_values(values)
        rows.append((f"`{name}`", claim.sentence(), claim.condition, "; ".join(f"{k} = {v}" for k, v in shown.items())))
    return Table(
        f"The {len(rows)} claims of this site's pages: each sentence, the condition it asserts, and the "
        "numbers of this build it rests on. A build in which one fails stops.",
        ["Claim", "As the page says it", "Condition", "Values"],
        [list(row) for row in rows],
    )


@functools.cache
def number(name: str) -> str:
    """The number ``name`` as the prose shows it, computed on first use (``KeyError`` if unknown)."""
    return number_sources()[name]()


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
    svg, _ = remember("figure", identity, lambda: to_svg(figures()[name].figure(THEMES[theme])).decode())
    return svg.encode()


def figure_files() -> dict[str, bytes]:
    """Every figure as SVG, in each theme: site path -> bytes."""
    return {figure_path(name, theme): figure_svg(name, theme) for name in figures() for theme in THEMES}


_SVG_SIZE = re.compile(rb'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"')


def figure_size(name: str, theme: str) -> tuple[int, int]:
    """The width and height of a drawn figure in CSS pixels (its SVG's points x 96/72).

    The page gives them to the image, so the browser reserves the figure's place before it
    arrives and nothing below it moves (no layout shift).
    """
    found = _SVG_SIZE.search(figure_svg(name, theme)[:2000])
    if found is None:
        raise ValueError(f"figure {name!r} ({theme}) has no width and height in points.")
    return tuple(round(float(points) * 96 / 72) for points in found.groups())


def figure_markdown(name: str, page_dir: str, first: bool = False) -> str:
    """The Markdown of one figure: both palettes' images, with their size, and its numbers, collapsed.

    Images load lazily (the browser fetches a figure when it is about to show, so the hidden
    palette's copy is never fetched unless the reader switches palette), except the light
    copy of a page's ``first`` figure, which is often in view at once.
    """
    spec = figures()[name]
    alt = spec.alt_text().replace("[", "(").replace("]", ")").replace("\n", " ")
    images = []
    for theme in THEMES:
        width, height = figure_size(name, theme)
        loading = "" if first and theme == "light" else "loading=lazy "
        source = posixpath.relpath(figure_path(name, theme), page_dir or ".")
        images.append(f'![{alt}]({source}#only-{theme}){{ {loading}width="{width}" height="{height}" }}')
    table = spec.numbers_table()
    body = table.to_markdown().replace("\n", "\n    ")
    return (
        f'<figure class="computed" id="fig-{name}" markdown="span">\n' + "\n".join(images) + "\n"
        f"<figcaption>{table.caption}</figcaption>\n</figure>\n\n"
        f'??? info "The numbers in this figure"\n\n    {body}\n'
    )


def _unknown(kind: str, name: str, known) -> str:
    """One sentence: the unknown name and the nearest valid ones."""
    near = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(near)}?" if near else f"there are {len(known)} {kind}s, none close to it."
    return f"unknown {kind} {name!r}; {hint}"


def _value(match: re.Match, page_dir: str, first_figure: bool) -> str:
    """What one well-formed placeholder stands for; `PlaceholderError` (no location yet) if it
    names nothing, or if a claim it places or lists no longer holds."""
    try:
        return _placed(match, page_dir, first_figure)
    except ClaimError as error:
        raise PlaceholderError(str(error)) from None


def _placed(match: re.Match, page_dir: str, first_figure: bool) -> str:
    kind, key, name = match.groups()
    if kind == "figure":
        if key not in figures():
            raise PlaceholderError(_unknown("figure", key, figures()))
        return figure_markdown(key, page_dir, first=first_figure)
    if kind == "table":
        if key not in tables():
            raise PlaceholderError(_unknown("table", key, tables()))
        return tables()[key]().to_markdown()
    if name not in number_sources():
        raise PlaceholderError(_unknown("number", name, number_sources()))
    return number(name)


def expand(markdown: str, page_dir: str, page: str = "a page") -> str:
    """Fill every placeholder of ``page`` (its source path, for messages).

    Raises `PlaceholderError` saying ``page:line``, what is wrong and what is allowed, for a
    placeholder that names nothing or is malformed (``{{ figure(name) }}``, ``{{ Name }}``).
    """

    def where(position: int) -> str:
        return f"{page}, line {markdown.count(chr(10), 0, position) + 1}"

    allowed = '{{ number_name }}, {{ figure("figure-name") }} or {{ table("table-name") }} (names in lower case)'
    for match in ANY_PLACEHOLDER.finditer(markdown):
        if not PLACEHOLDER.fullmatch(match.group(0)):
            raise PlaceholderError(f"{where(match.start())}: malformed placeholder {match.group(0)!r}; write {allowed}.")
    # an opening pair left over once every placeholder is taken out: an unclosed one (a lone
    # closing pair is ordinary TeX: \underbrace{...}_{W_{hh}})
    rest = ANY_PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), markdown)
    stray = re.search(r"\{\{", rest)
    if stray:
        line_end = markdown.find("\n", stray.start())
        text = markdown[markdown.rfind("\n", 0, stray.start()) + 1 : line_end if line_end >= 0 else None]
        raise PlaceholderError(f"{where(stray.start())}: unmatched {stray.group(0)!r} in {text.strip()!r}; write {allowed}.")

    figures_placed = []

    def fill(match: re.Match) -> str:
        first_figure = match.group(1) == "figure" and not figures_placed
        if match.group(1) == "figure":
            figures_placed.append(match.group(2))
        try:
            text = _value(match, page_dir, first_figure)
        except PlaceholderError as error:
            raise PlaceholderError(f"{where(match.start())}: {error}") from None
        # a block placed inside an indented block (a tab, an admonition) keeps that indent
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        indent = markdown[line_start : match.start()]
        return text.replace("\n", "\n" + indent) if indent.isspace() else text

    return PLACEHOLDER.sub(fill, markdown)
