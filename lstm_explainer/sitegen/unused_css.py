"""Leave out, page by page, the site-wide stylesheets a page does not use.

MkDocs links every ``extra_css`` file from every page. Three of ours style one kind of
content only; a page without that content does not link them, so its first visit is lighter:

* KaTeX's stylesheet (22 kB, and the fonts it names), for pages with rendered math;
* mkdocstrings' stylesheet, for the API reference;
* the notebook stylesheet, for the notebook page.
"""

from __future__ import annotations

import re

# stylesheet file name -> what in a page's HTML shows that the page needs it
NEEDED_BY = {
    "katex.min.css": 'class="katex',
    "_mkdocstrings.css": 'class="doc ',
    "notebook.css": 'class="jp-Notebook',
}
_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*/(?P<name>[^/"]+\.css)"\s*/?>\n?')


def drop_unused(html: str) -> str:
    """``html`` without the links to stylesheets of `NEEDED_BY` that nothing in it uses."""

    def keep(match: re.Match) -> str:
        needs = NEEDED_BY.get(match["name"])
        return match[0] if needs is None or needs in html else ""

    return _LINK.sub(keep, html)
