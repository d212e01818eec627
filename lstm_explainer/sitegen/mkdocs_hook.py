"""The MkDocs hook: a thin adapter that asks `lstm_explainer.sitegen` for everything.

* ``on_files``: add the generated figures and KaTeX's stylesheet and fonts to the site;
* ``on_page_markdown``: fill ``{{ figure("...") }}`` and ``{{ number }}`` placeholders;
* ``on_page_content``: render the page's math with KaTeX, at build time;
* ``on_post_page``: trim the notebook page (outside loaders, inlined styles, copy widgets).
"""

import posixpath

from mkdocs.structure.files import File

from lstm_explainer.sitegen import katex, notebook_page, pages


def on_files(files, config):
    generated = {**pages.figure_files(), **katex.stylesheet_files()}
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    return pages.expand(markdown, posixpath.dirname(page.file.src_uri))


def on_page_content(html, page, config, files):
    return katex.render_math(html)


def on_post_page(output, page, config):
    return notebook_page.trim(output)
