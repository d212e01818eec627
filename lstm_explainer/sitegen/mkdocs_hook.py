"""The MkDocs hook: a thin adapter that asks `lstm_explainer.sitegen` for everything.

* ``on_config``: under ``mkdocs serve``, forget the package if its code was edited;
* ``on_files``: train what the cache lacks on every core (`lstm_explainer.experiments.prepare`),
  then add the generated figures, KaTeX's stylesheet and fonts, and the Explorer's
  model weights (JSON) to the site;
* ``on_pre_page``: render the notebook page from the disk cache when nothing it uses changed;
* ``on_page_markdown``: fill ``{{ figure("...") }}`` and ``{{ number }}`` placeholders, and
  append the glossary's definitions (`lstm_explainer.sitegen.glossary`);
* ``on_page_content``: render the page's math with KaTeX, at build time;
* ``on_post_page``: trim the notebook page (outside loaders, inlined styles, copy widgets),
  keep a glossary term's hover definition on its first use only, leave out the
  stylesheets a page does not use, and preload the math fonts it does use.

Under ``mkdocs serve --dirty`` (what ``scripts/serve`` runs) a save rebuilds only the pages
whose source changed, and the rest of the site stays as the last build left it; the hook
makes that partial build exact through `lstm_explainer.sitegen.partial_serve` (``on_files``,
``on_env``, ``on_post_build``, ``on_build_error``): anything else that changed (the package,
the snippets, ``mkdocs.yml``, the theme overrides, the benchmark's record, a page added,
removed or retitled) makes the build a full one. ``on_serve`` also watches the files outside
the watched folders that pages are made from. ``mkdocs build`` is never partial.
"""

import posixpath
import sys

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from lstm_explainer.sitegen.partial_serve import MemoryBytecodeCache, PartialServe

BYTECODE = MemoryBytecodeCache()
PARTIAL = PartialServe()
SERVING = False


def on_startup(command, dirty):
    global SERVING
    SERVING = command == "serve"
    PARTIAL.start(command, dirty)


def on_config(config):
    """``mkdocs serve`` rebuilds in the same process, where the package stays imported (with
    the numbers it computed): when its code, or a file outside it that it reads (the
    benchmark's record), changed since it was imported, drop it, so that every event below
    imports the edited code (change a weight, save, and the pages follow)."""
    import lstm_explainer
    from lstm_explainer.sitegen.partial_serve import code_stamp

    stamp = code_stamp()
    if getattr(lstm_explainer, "source_stamp", stamp) != stamp:
        for name in [n for n in sys.modules if n == "lstm_explainer" or n.startswith("lstm_explainer.")]:
            del sys.modules[name]
        import lstm_explainer
    lstm_explainer.source_stamp = stamp
    return config


def on_files(files, config):
    from lstm_explainer.experiments.prepare import prepare
    from lstm_explainer.sitegen import export, katex, pages

    prepare()  # train what the cache lacks, on every core, before any page asks for it
    generated = {**pages.figure_files(), **katex.stylesheet_files(), **export.site_files()}
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    if PARTIAL.enabled:
        import lstm_explainer

        PARTIAL.before_pages(config, files, lstm_explainer.source_stamp)
    return files


def on_pre_page(page, config, files):
    from lstm_explainer.sitegen import notebook_page

    notebook_page.remember_render(page, config.config_file_path)
    return page


def on_page_markdown(markdown, page, config, files):
    from lstm_explainer.sitegen import glossary, pages

    try:
        expanded = pages.expand(markdown, posixpath.dirname(page.file.src_uri), f"docs/{page.file.src_uri}")
        return expanded if page.file.src_uri.endswith(".ipynb") else glossary.with_definitions(expanded)
    except pages.PlaceholderError as error:  # a message, not a traceback: MkDocs stops the build with it
        raise PluginError(str(error)) from None


def on_page_content(html, page, config, files):
    from lstm_explainer.sitegen import katex

    return katex.render_math(html)


def on_env(env, config, files):
    if SERVING:
        env.bytecode_cache = BYTECODE
    if PARTIAL.enabled:
        PARTIAL.between(config, files)
    return env


def on_post_page(output, page, config):
    from lstm_explainer.sitegen import font_preload, glossary, notebook_page, unused_css

    if page.file.src_uri.endswith(".ipynb"):
        output = notebook_page.trim(output)
    return font_preload.preload_math_fonts(unused_css.drop_unused(glossary.first_use_only(output)))


@event_priority(-100)  # after the plugins' (the search index is written anew)
def on_post_build(config):
    if PARTIAL.enabled:
        PARTIAL.after(config)


def on_serve(server, config, builder):
    """Watch the files outside the watched folders that pages are made from (their folders:
    a file may be replaced or not exist yet)."""
    from lstm_explainer.sitegen.partial_serve import outside_inputs

    for folder in sorted({path.parent for path in outside_inputs() if path.parent.is_dir()}):
        server.watch(str(folder), recursive=False)
    return server


def on_build_error(error):
    PARTIAL.failed()
