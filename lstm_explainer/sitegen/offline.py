"""Keep every page self-contained: remove what would load from outside the site.

mkdocs-jupyter's notebook template brings a MathJax loader (with an empty ``src``) and a
Mermaid module imported from a CDN when a notebook has diagrams. Our notebooks need
neither (their math is rendered by KaTeX at build time), so both are cut out.
"""

from __future__ import annotations

import re

_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.DOTALL)


def strip_notebook_loaders(html: str) -> str:
    """``html`` without the notebook template's MathJax and Mermaid loaders."""
    return _MERMAID.sub("", _MATHJAX.sub("", html))
