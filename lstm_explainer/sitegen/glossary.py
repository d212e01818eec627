"""A term's definition once per page: the glossary's hover text on its first use only.

Every page gets the glossary (``snippets/glossary.md``, appended by pymdownx.snippets) and
Python-Markdown's ``abbr`` extension wraps *every* occurrence of a term in
``<abbr title="definition">``, so a page that says "pre-activation" forty times carries its
definition forty times. `first_use_only` keeps the definition on the first occurrence of each
term on a page (where a reader meets it, as a text defines a term where it is first used) and
leaves the later ones as plain text; the Glossary page lists every definition.
"""

from __future__ import annotations

import re

_ABBR = re.compile(r'<abbr title="(?P<title>[^"]*)">(?P<term>.*?)</abbr>', re.DOTALL)


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
