"""Make the notebook page light and self-contained, styled by the site like every page.

mkdocs-jupyter's template brings, on top of the notebook's cells:

* a MathJax loader (with an empty ``src``) and, for diagrams, Mermaid imported from a CDN:
  our notebooks need neither (their math is rendered by KaTeX at build time);
* about 590 KB of inlined JupyterLab and Pygments CSS, in its light theme only: the site's
  ``stylesheets/notebook.css`` styles the few classes the cells use, in both palettes;
* a copy-to-clipboard widget per cell, with its script and a hidden copy of the cell's code.

All three are cut out; the cells themselves are left as they are.

Executing the notebook takes seconds (a kernel, torch), so `remember_render` keeps the
rendered page on disk, keyed by the notebook, the package's code and the site's config:
mkdocs-jupyter's own cache knows only the notebook, so it would keep stale outputs.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.structure.toc import AnchorLink, get_toc

from ..disk_cache import package_hash, remember, version

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


def _toc_tokens(links: list[AnchorLink]) -> list[dict]:
    return [{"name": a.title, "id": a.id, "level": a.level, "children": _toc_tokens(a.children)} for a in links]


def remember_render(page, config_file: str) -> None:
    """Make a notebook ``page`` (once mkdocs-jupyter has set it up) render from the disk cache."""
    source = Path(page.file.abs_src_path or "")
    if source.suffix != ".ipynb":
        return
    render = page.render  # mkdocs-jupyter's: executes the notebook and converts it
    identity = {
        "notebook": hashlib.sha256(source.read_bytes()).hexdigest(),
        "package": package_hash(),
        "config": hashlib.sha256(Path(config_file).read_bytes()).hexdigest(),
        "versions": [version(name) for name in ("mkdocs-jupyter", "nbconvert", "numpy", "torch", "matplotlib")],
    }

    def cached_render(config, files):
        def rendered():
            render(config, files)
            return {"content": page.content, "toc": _toc_tokens(list(page.toc))}

        value, _ = remember("notebook", identity, rendered)
        page.content, page.toc = value["content"], get_toc(value["toc"])

    page.render = cached_render
