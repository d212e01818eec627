"""Make the notebook page light and self-contained, styled by the site like every page.

mkdocs-jupyter's template brings, on top of the notebook's cells:

* a MathJax loader (with an empty ``src``) and, for diagrams, Mermaid imported from a CDN:
  our notebooks need neither (their math is rendered by KaTeX at build time);
* about 590 KB of inlined JupyterLab and Pygments CSS, in its light theme only: the site's
  ``stylesheets/notebook.css`` styles the few classes the cells use, in both palettes;
* a copy-to-clipboard widget per cell, with its script and a hidden copy of the cell's code.

All three are cut out; the cells themselves are left as they are.
"""

from __future__ import annotations

import re

_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
_MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.DOTALL)
_STYLES = re.compile(r'<style type="text/css">(?:(?!</style>).)*?(?:jupyter-wrapper|jp-Mermaid|td\.linenos)(?:(?!</style>).)*</style>', re.DOTALL)
_CLIPBOARD_SCRIPTS = re.compile(r"<script>(?:(?!</script>).)*?(?:ClipboardCopyElement|clipboard-copy)(?:(?!</script>).)*</script>", re.DOTALL)
_CLIPBOARD_WIDGET = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.DOTALL)
_CLIPBOARD_TEXT = re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">[^<]*</div>')


def trim(html: str) -> str:
    """``html`` without the notebook template's loaders, inlined styles and copy widgets."""
    for pattern in (_MATHJAX, _MERMAID, _STYLES, _CLIPBOARD_SCRIPTS, _CLIPBOARD_WIDGET, _CLIPBOARD_TEXT):
        html = pattern.sub("", html)
    return html
