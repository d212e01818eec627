"""Render a page's math with KaTeX at build time, so the site ships no math JavaScript.

The pipeline, for one page:

1. ``pymdownx.arithmatex`` (``generic: true``) has already turned ``$...$`` into
   ``<span class="arithmatex">\\(...\\)</span>`` and ``$$...$$`` into
   ``<div class="arithmatex">\\[...\\]</div>``, with the TeX HTML-escaped.
2. `render_math` collects every such formula, unescapes it and sends them all to
   ``katex_render.js`` in one ``node`` call (a JSON array on stdin, one back on stdout).
   KaTeX comes from the npm package pinned in ``package.json`` (``npm ci`` installs it
   in ``node_modules``); it renders HTML for the eye plus MathML for screen readers.
3. Each formula is replaced by KaTeX's output, inside the same arithmatex wrapper, so
   display math stays a block. Pages without math never start ``node``.

The rendered math needs KaTeX's stylesheet and fonts: `stylesheet_files` gives
them as site files (woff2 only), to be written next to the built pages. Rendered formulas
are kept on disk (`lstm_explainer.disk_cache`), so a rebuild runs node only for new math.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from ..disk_cache import remember

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("katex_render.js")
NODE = "node"
ASSET_DIR = "assets/katex"
STYLESHEET = f"{ASSET_DIR}/katex.min.css"

# What arithmatex writes in generic mode. The TeX is HTML-escaped, so it holds no "<"
# and the closing tag is the first one after the closing delimiter. Requiring the
# delimiters means already rendered HTML is left alone.
_MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)
_FONT_URL = re.compile(r"url\(([^)]*)\)")


def _not_installed() -> RuntimeError:
    return RuntimeError(f"KaTeX is not installed: run npm ci in {ROOT}")


def katex_dir() -> Path:
    """The installed ``katex`` package: the repository's node_modules, else NODE_PATH."""
    bases = [ROOT / "node_modules"]
    bases += [Path(p) for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p]
    for base in bases:
        if (base / "katex" / "package.json").is_file():
            return base / "katex"
    raise _not_installed()


def render(formulas: list[tuple[str, bool]]) -> list[str]:
    """Render ``(tex, display)`` pairs with one node call; raise RuntimeError on failure."""
    node = shutil.which(NODE)
    if node is None:
        raise RuntimeError(f"Node.js is not installed: '{NODE}' is not on PATH, and KaTeX needs it.")
    request = json.dumps([{"tex": tex, "display": display} for tex, display in formulas])
    result = subprocess.run(
        [node, str(SCRIPT)], input=request, capture_output=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"{SCRIPT.name} exited with {result.returncode}"]
        # Our own errors are one line; a crash ends with its message on the last line.
        raise RuntimeError(lines[0] if result.returncode in (1, 2) else lines[-1])
    rendered = json.loads(result.stdout)
    if len(rendered) != len(formulas):
        raise RuntimeError(f"{SCRIPT.name} returned {len(rendered)} formulas for {len(formulas)}.")
    return rendered


def remembered_render(formulas: list[tuple[str, bool]]) -> list[str]:
    """`render`, kept on disk by formulas, KaTeX version and script: node runs once per change."""
    version = json.loads((katex_dir() / "package.json").read_text())["version"]
    identity = {"formulas": formulas, "katex": version, "script": hashlib.sha256(SCRIPT.read_bytes()).hexdigest()}
    return remember("katex", identity, lambda: render(formulas))[0]


def render_math(page: str) -> str:
    """Replace every arithmatex formula in ``page`` (HTML) by KaTeX's HTML and MathML."""
    matches = list(_MATH.finditer(page))
    if not matches:
        return page
    formulas = [
        (html.unescape(m["inline"] if m["inline"] is not None else m["display"]), m["display"] is not None)
        for m in matches
    ]
    rendered = iter(remembered_render(formulas))
    return _MATH.sub(lambda m: f'<{m["tag"]} class="arithmatex">{next(rendered)}</{m["tag"]}>', page)


def _woff2_only(declaration: re.Match[str]) -> str:
    sources = [s for s in declaration[1].split(",") if 'format("woff2")' in s]
    return f"src:{','.join(sources)}"


def stylesheet_files() -> dict[str, bytes]:
    """KaTeX's stylesheet, rewritten to use woff2 fonts only, and those fonts.

    Keys are site-relative paths (``assets/katex/katex.min.css``,
    ``assets/katex/fonts/KaTeX_Main-Regular.woff2``, ...); the CSS refers to the fonts
    relatively (``fonts/...``) and to nothing else.
    """
    dist = katex_dir() / "dist"
    css = (dist / "katex.min.css").read_text(encoding="utf-8")
    css = re.sub(r"src:([^;}]*)", _woff2_only, css)
    files = {STYLESHEET: css.encode("utf-8")}
    for url in sorted(set(_FONT_URL.findall(css))):
        if not (url.startswith("fonts/") and url.endswith(".woff2")):
            raise RuntimeError(f"katex.min.css refers to {url!r}, which is not a woff2 font in fonts/.")
        files[f"{ASSET_DIR}/{url}"] = (dist / url).read_bytes()
    return files
