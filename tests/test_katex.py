"""Build-time KaTeX: the site's math renders to HTML + MathML, and its CSS ships whole.

Needs node and ``npm ci``; without them these tests skip, except under CI=true.
"""

import os
import re
import shutil

import markdown
import pytest

from lstm_explainer.sitegen import katex

CONSTRUCTS = [
    r"\begin{bmatrix}1\\0\end{bmatrix}",
    r"\underbrace{W x}_{\text{input}}",
    r"\max\{0, x\}",
    r"\begin{aligned} a &= b \\ c &= d \end{aligned}",
    r"\sigma(x) < 1",
    r"f_t \odot c_{t-1}",
    r"\tanh(\hat{c})",
]


def _missing() -> str | None:
    if shutil.which(katex.NODE) is None:
        return "node is not on PATH"
    try:
        katex.katex_dir()
    except RuntimeError as err:
        return str(err)
    return None


@pytest.fixture(autouse=True)
def _needs_katex(request):
    if "no_node" in request.fixturenames:
        return
    reason = _missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


def arithmatex(source: str) -> str:
    return markdown.markdown(
        source,
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )


def test_site_constructs_render_inline_and_display():
    source = "".join(f"Inline ${tex}$.\n\n$$\n{tex}\n$$\n\n" for tex in CONSTRUCTS)
    page = arithmatex(source)
    assert page.count('class="arithmatex"') == 2 * len(CONSTRUCTS)

    out = katex.render_math(page)

    assert out.count('<span class="katex">') == 2 * len(CONSTRUCTS)
    assert out.count("<math") == 2 * len(CONSTRUCTS)
    assert out.count('<span class="katex-display">') == len(CONSTRUCTS)
    assert "\\(" not in out and "\\[" not in out
    # the TeX was unescaped before rendering: the annotation holds "<" once, re-escaped
    assert "\\sigma(x) &lt; 1</annotation>" in out
    # display math stays a block, in arithmatex's wrapper
    assert len(re.findall(r'<div class="arithmatex"><span class="katex-display">', out)) == len(CONSTRUCTS)
    # rendering twice changes nothing
    assert katex.render_math(out) == out


@pytest.fixture
def no_node(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which(katex.NODE) is None


def test_page_without_math_does_not_start_node(no_node):
    page = arithmatex("No math here, only `$x$` in code and a price of 5 $.")
    assert katex.render_math(page) == page
    with pytest.raises(RuntimeError, match="Node.js is not installed"):
        katex.render_math(arithmatex("$x$"))


def test_bad_tex_raises_one_line_naming_the_formula():
    with pytest.raises(RuntimeError) as err:
        katex.render_math(arithmatex("Fine $x$, broken:\n\n$$\na +\n\\nosuchmacro\n$$\n"))
    message = str(err.value)
    assert "\n" not in message
    assert '"a + \\nosuchmacro"' in message
    assert "Undefined control sequence" in message


def test_stylesheet_references_only_shipped_woff2_fonts():
    files = katex.stylesheet_files()
    css = files[katex.STYLESHEET].decode()
    urls = set(re.findall(r"url\(([^)]*)\)", css))
    assert urls and all(url.endswith(".woff2") for url in urls)
    assert {f"{katex.ASSET_DIR}/{url}" for url in urls} == set(files) - {katex.STYLESHEET}
    assert "KaTeX_Main-Regular" in css and ".woff)" not in css and ".ttf)" not in css
