"""A page links the KaTeX, mkdocstrings and notebook stylesheets only if it uses them."""

from lstm_explainer.sitegen.unused_css import drop_unused

HEAD = """<link rel="stylesheet" href="../assets/stylesheets/main.css">
<link rel="stylesheet" href="../assets/_mkdocstrings.css">
<link rel="stylesheet" href="../assets/katex/katex.min.css">
<link rel="stylesheet" href="../stylesheets/notebook.css">
"""


def test_a_page_without_math_api_or_notebook_keeps_only_the_other_stylesheets():
    assert drop_unused(HEAD + "<p>text</p>") == '<link rel="stylesheet" href="../assets/stylesheets/main.css">\n<p>text</p>'


def test_a_page_keeps_what_it_uses():
    page = HEAD + '<span class="katex"><span class="katex-html">x</span></span><div class="doc doc-object">'
    kept = drop_unused(page)
    assert "katex.min.css" in kept and "_mkdocstrings.css" in kept and "notebook.css" not in kept
