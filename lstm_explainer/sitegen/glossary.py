"""The glossary on every page: its definitions appended, and shown on a term's first use only.

`with_definitions` appends the glossary (``snippets/glossary.md``: ``*[term]: definition``
lines) to a page's Markdown, so Python-Markdown's ``abbr`` extension shows each definition on
hover. It is appended here, to pages, rather than by pymdownx.snippets' ``auto_append``, which
would also append it to every docstring mkdocstrings converts for the API reference (hundreds
of conversions, each searching for every term: seconds per build).

The ``abbr`` extension wraps *every* occurrence of a term in
``<abbr title="definition">``, so a page that says "pre-activation" forty times carries its
definition forty times. `first_use_only` keeps the definition on the first occurrence of each
term on a page (where a reader meets it, as a text defines a term where it is first used) and
leaves the later ones as plain text; the Glossary page lists every definition.
"""

from __future__ import annotations

import re

from .tables import GLOSSARY

_ABBR = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<term>.*?)</abbr>', re.DOTALL)


def with_definitions(markdown: str) -> str:
    """``markdown`` with the glossary's definitions appended (they render as nothing). The
    file is read each time (a few kB), so an edit shows at the next rebuild under serve."""
    return markdown.rstrip("\n") + "\n\n" + GLOSSARY.read_text(encoding="utf-8")


def first_use_only(html: str) -> str:
    """``html`` with each ``<abbr title=...>`` after the first of the same term (same text,
    case-insensitive) replaced by its plain text.

    >>> first_use_only('<abbr title="a fraction">gate</abbr> and <abbr title="a fraction">Gate</abbr>')
    '<abbr title="a fraction">gate</abbr> and Gate'
    """
    seen: set[str] = set()

    def once(match: re.Match) -> str:
        key = match["term"].lower()
        if key in seen:
            return match["term"]
        seen.add(key)
        return match[0]

    return _ABBR.sub(once, html)
