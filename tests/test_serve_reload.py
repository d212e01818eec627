"""Under ``mkdocs serve`` (``scripts/serve``) an edit to the package shows on the next rebuild
(same process), and a prose edit rebuilds only its page, leaving the site as a full build makes it:
the start page and section index pages too, several pages at once (the search index stays whole),
and a save that lands during a rebuild; while a retitled page, an edited package or benchmark
record rebuilds every page."""

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

REBUILDS = textwrap.dedent(
    """
    import importlib.util, pathlib, sys
    spec = importlib.util.spec_from_file_location("hook", "lstm_explainer/sitegen/mkdocs_hook.py")
    hook = importlib.util.module_from_spec(spec); spec.loader.exec_module(hook)

    def rebuild():  # what serve does on save: a new config, then on_config, then the events
        hook.on_config(None)
        import lstm_explainer.france_weights as weights
        return weights

    first = rebuild()
    assert rebuild() is first, "the package was reloaded though nothing changed"
    path = pathlib.Path("lstm_explainer/france_weights.py")
    path.write_text(path.read_text() + "\\nEDITED = True\\n")
    edited = rebuild()
    assert edited is not first and edited.EDITED, "the rebuild kept the package as it was before the edit"
    print("reloaded")
    """
)


def test_an_edited_package_is_imported_afresh_and_an_unchanged_one_is_kept(tmp_path):
    shutil.copytree(ROOT / "lstm_explainer", tmp_path / "lstm_explainer", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-c", REBUILDS], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "reloaded"


# `mkdocs serve --dirty` (scripts/serve), in one process as serve runs it: a full first build,
# a page's prose edited (only that page is rebuilt), the edit undone, then a page retitled
# (which other pages' navigation shows, so everything is rebuilt). Prints the built pages'
# modification times after each step, as JSON.
PARTIAL_REBUILDS = textwrap.dedent(
    """
    import json, pathlib, shutil, sys, time
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = pathlib.Path(sys.argv[1])
    first = load_config("mkdocs.yml", site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=True)

    def rebuild(config=None):
        build(config or load_config("mkdocs.yml", site_dir=str(site)), dirty=True)
        return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}

    def edit(path, text):
        time.sleep(0.05)  # a modification time later than the last build's
        path.write_text(text)

    times = [rebuild(first)]
    closing, further = pathlib.Path("docs/closing.md"), pathlib.Path("docs/further/index.md")
    original = closing.read_text()
    edit(closing, original + "\\n\\nA sentence added under serve.\\n")
    times.append(rebuild())
    edit(closing, original)
    times.append(rebuild())
    shutil.copytree(site, sys.argv[2])
    edit(further, further.read_text().replace("# Going further", "# Going further, retitled", 1))
    times.append(rebuild())
    print(json.dumps(times))
    """
)


def search_entries(site: Path) -> tuple[dict, list]:
    """The search index's settings and its entries in a fixed order (a partial rebuild moves the
    rebuilt page's entries to the end)."""
    index = json.loads((site / "search" / "search_index.json").read_text())
    return index["config"], sorted(index["docs"], key=lambda entry: json.dumps(entry, sort_keys=True))


def test_a_prose_edit_under_serve_rebuilds_only_that_page_and_the_site_stays_exact(tmp_path, built_site):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "overrides", "snippets"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project)
    (project / "lstm_explainer").symlink_to(ROOT / "lstm_explainer")  # the hook, and a watched folder
    site, after_undo = tmp_path / "site", tmp_path / "after-undo"
    command = f'cd "{ROOT}" && . scripts/site-env && cd "{project}" && "{sys.executable}" -c "$0" "$1" "$2"'
    done = subprocess.run(["bash", "-c", command, PARTIAL_REBUILDS, str(site), str(after_undo)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    first, edited, undone, retitled = json.loads(done.stdout.strip().splitlines()[-1])

    assert {page for page in first if edited[page] != first[page]} == {"closing/index.html", "404.html"}
    assert {page for page in edited if undone[page] != edited[page]} == {"closing/index.html", "404.html"}
    assert all(retitled[page] != undone[page] for page in undone), "a retitled page must rebuild every page"
    assert "Going further, retitled" in (site / "closing" / "index.html").read_text()  # its footer links there

    # after the edit and its undoing, the site is the one mkdocs build makes, byte for byte
    # (the search index too: the hook writes it page by page, as a full build does)
    assert search_entries(after_undo) == search_entries(built_site)
    assert different_files(after_undo, built_site) == []


def different_files(site: Path, reference: Path) -> list[str]:
    """The files (site paths) missing from either site, or whose bytes differ."""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    expected = {p.relative_to(reference).as_posix() for p in reference.rglob("*") if p.is_file()}
    differ = {f for f in files & expected if (site / f).read_bytes() != (reference / f).read_bytes()}
    return sorted((files ^ expected) | differ)


# --- what a partial rebuild must not get wrong, on a small site -----------------------------
# A site of six pages made by the real hook from a copy of the package (so that its benchmark
# record, benchmarks/last-run.json, is the project's own, and the package is not a watched
# folder), served with `mkdocs serve --dirty` in one process as serve runs it; each step saves
# some files and rebuilds. Two sites made as `mkdocs build` makes them are the references: from
# the pages before the steps (PAGES) and after the edits of STEPS (EDITED).

PAGES = {
    "index.md": "# A small site\n\nThe start page.\n\n## Part one\n\nSome text.\n",
    "closing.md": "# Closing\n\nClosing words.\n\n## Sources\n\nA source.\n",
    "further/index.md": "#Going further\n\nWhere to go next.\n\n## More\n\nMore words.\n",  # a title, no space
    "further/a.md": "# Page A\n\nText of A.\n\n## A section\n\nMore of A.\n",
    "further/b.md": "# Page B\n\nText of B.\n\n## B section\n\n--8<-- \"b.txt\"\n",
    "numbers.md": "# Numbers\n\nMeasured on {{ bench_date }}.\n",
    "extra.css": "body { margin: 0; }\n",
}
MINI_CONFIG = """
site_name: A small site
strict: true
theme:
  name: material
  features: [navigation.footer, navigation.indexes]
plugins:
  - search
  - autorefs
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.snippets:
      base_path: [snippets]
      check_paths: true
hooks:
  - lstm_explainer/sitegen/mkdocs_hook.py
watch:
  - snippets
nav:
  - Start: index.md
  - Closing: closing.md
  - Going further:
      - further/index.md
      - A: further/a.md
      - B: further/b.md
  - Numbers: numbers.md
"""
# the steps that edit pages, in order: each page's text after it (EDITED: after the last)
STEPS = {
    "start page": {"index.md": PAGES["index.md"] + "\nA sentence added.\n\n## Part two\n\nNew text.\n"},
    "section index": {"further/index.md": PAGES["further/index.md"] + "\nAnother sentence.\n"},
    "two pages": {"closing.md": PAGES["closing.md"].replace("Closing words.", "Closing words, edited."),
                  "further/a.md": PAGES["further/a.md"] + "\nA last word.\n"},  # fmt: skip
    # its title (a first-level heading, even without a space), which the other pages' navigation shows
    "retitled": {"further/index.md": PAGES["further/index.md"].replace("#Going further", "#Further, retitled", 1)
                 + "\nAnother sentence.\n"},  # fmt: skip
}
EDITED = {**PAGES, **{page: text for edits in STEPS.values() for page, text in edits.items()}}

MINI_SERVE = textwrap.dedent(
    """
    import json, pathlib, shutil, sys, time
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    site, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    steps, pages = json.loads(sys.argv[3]), json.loads(sys.argv[4])
    first = load_config("mkdocs.yml", site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=True)
    hook = first.plugins["lstm_explainer/sitegen/mkdocs_hook.py"]
    times, results = {}, {}

    def rebuild(name, config=None):
        build(config or load_config("mkdocs.yml", site_dir=str(site)), dirty=True)
        now = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}
        results[name] = {"changed": sorted(p for p in now if now[p] != times.get(p)),
                         "search": json.loads((site / "search/search_index.json").read_text())["docs"]}
        times.update(now)
        time.sleep(0.02)  # so that what is saved next is newer than what the build wrote

    def save(path, text):
        pathlib.Path(path).write_text(text)

    def text(path):
        return (site / path).read_text()

    rebuild("first", first)
    for name, edits in steps.items():
        for page, new in edits.items():
            save(f"docs/{page}", new)
        rebuild(name)
    shutil.copytree(site, out / "served-edited")

    # a second save lands while the build of the first one runs, after closing.md was read
    # (and one of extra.css after it was copied): the next build must show the second
    read, copy = Page.read_source, File.copy_file
    def read_then_save(page, config):
        read(page, config)
        if page.file.src_uri == "closing.md":
            pathlib.Path("docs/closing.md").write_text("# Closing\\n\\nThe second save.\\n")
    def copy_then_save(file, dirty=False):
        copy(file, dirty)
        if file.src_uri == "extra.css":
            pathlib.Path("docs/extra.css").write_text("body { margin: 2px; }\\n")
    Page.read_source, File.copy_file = read_then_save, copy_then_save
    save("docs/closing.md", "# Closing\\n\\nThe first save.\\n")
    save("docs/extra.css", "body { margin: 1px; }\\n")
    rebuild("race")
    Page.read_source, File.copy_file = read, copy
    results["race"]["served"] = [text("closing/index.html").count(s) > 0 for s in ("first save", "second save")]
    rebuild("after race")
    results["after race"]["served"] = [text("closing/index.html").count(s) > 0 for s in ("first save", "second save")]
    results["after race"]["css"] = text("extra.css")

    for page, original in pages.items():
        if pathlib.Path(f"docs/{page}").read_text() != original:
            save(f"docs/{page}", original)
    rebuild("undone")
    shutil.copytree(site, out / "served-undone")

    # files outside docs/ and the watched folders: the benchmark's record, the package
    record = pathlib.Path("benchmarks/last-run.json")
    save(record, json.dumps({"date": "the day of the edited record"}))
    rebuild("record")
    results["record"]["served"] = "the day of the edited record" in text("numbers/index.html")
    numbers = pathlib.Path("lstm_explainer/sitegen/build_numbers.py")
    save(numbers, numbers.read_text() + "\\nNUMBERS['bench_date'] = lambda: 'a number of the edited package'\\n")
    rebuild("package")
    results["package"]["served"] = "a number of the edited package" in text("numbers/index.html")

    save("docs/closing.md", pages["closing.md"] + "\\nA prose edit.\\n")
    rebuild("prose")

    # a cross-reference resolves against every page's headings: when the heading it names
    # moves to another page, the page that has it (not edited) must be written again
    save("docs/closing.md", pages["closing.md"] + "\\n## Moving\\n\\nA heading that moves.\\n")
    save("docs/numbers.md", pages["numbers.md"] + "\\nSee [the heading that moves][moving].\\n")
    rebuild("cross-reference")
    save("docs/closing.md", pages["closing.md"])
    save("docs/further/b.md", pages["further/b.md"] + "\\n## Moving\\n\\nIt moved here.\\n")
    rebuild("moved")
    results["moved"]["served"] = 'href="../further/b/#moving"' in text("numbers/index.html")

    class Server:
        watched = []
        def watch(self, path, recursive=True):
            self.watched.append([pathlib.Path(path).resolve().as_posix(), recursive])
    server = Server()
    if hasattr(hook, "on_serve"):
        hook.on_serve(server, config=first, builder=None)
    results["watched"] = server.watched
    print(json.dumps(results))
    """
)


def mini_project(folder: Path, docs: dict[str, dict]) -> Path:
    """The small site in ``folder``: each docs folder named in ``docs`` with its pages, and a
    copy of the package (whose benchmark record is then ``folder/benchmarks/last-run.json``)."""
    for docs_dir, pages in docs.items():
        for name, text in pages.items():
            (folder / docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / docs_dir / name).write_text(text)
    (folder / "snippets").mkdir()
    (folder / "snippets" / "b.txt").write_text("Included text.\n")
    shutil.copy(ROOT / "snippets" / "glossary.md", folder / "snippets")  # the hook appends it to every page
    (folder / "benchmarks").mkdir()
    (folder / "benchmarks" / "last-run.json").write_text(json.dumps({"date": "the day of the record"}))
    (folder / "mkdocs.yml").write_text(MINI_CONFIG)
    shutil.copytree(ROOT / "lstm_explainer", folder / "lstm_explainer", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "node_modules").symlink_to(ROOT / "node_modules")  # KaTeX
    return folder


def in_site_env(folder: Path, *arguments: str) -> list[str]:
    """Python run in ``folder`` (so importing the package found there) in the environment of
    scripts/build, with the figures kept in the checkout's cache (the built_site fixture fills it)."""
    from lstm_explainer.disk_cache import cache_dir

    command = f'cd "{ROOT}" && . scripts/site-env && cd "{folder}" && LSTM_EXPLAINER_CACHE="{cache_dir()}" "$@"'
    return ["bash", "-c", command, "bash", sys.executable, *arguments]


# what `mkdocs build` does, for each (docs folder, site folder) given, in one process
MKDOCS_BUILD = textwrap.dedent(
    """
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for docs, site in zip(sys.argv[1::2], sys.argv[2::2]):
        config = load_config("mkdocs.yml", docs_dir=docs, site_dir=site)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    """
)


@pytest.fixture(scope="module")
def mini(tmp_path_factory, built_site):
    """The small site served through the steps (the results of MINI_SERVE), and the reference
    sites ``reference-before`` and ``reference-edited`` (its sources before and after STEPS)."""
    base = tmp_path_factory.mktemp("mini")
    reference = mini_project(base / "project-reference", {"docs-before": PAGES, "docs-edited": EDITED})
    sites = [str(base / name) for name in ("reference-before", "reference-edited")]
    build = in_site_env(reference, "-c", MKDOCS_BUILD, "docs-before", sites[0], "docs-edited", sites[1])
    references = subprocess.Popen(build, stderr=subprocess.PIPE, text=True)  # meanwhile, the serve
    serve = mini_project(base / "project-serve", {"docs": PAGES})
    steps = in_site_env(serve, "-c", MINI_SERVE, str(base / "site"), str(base), json.dumps(STEPS), json.dumps(PAGES))
    done = subprocess.run(steps, capture_output=True, text=True, timeout=600)
    errors = references.communicate(timeout=600)[1]
    assert references.returncode == 0, errors[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    return {"results": json.loads(done.stdout.strip().splitlines()[-1]), "base": base, "serve": serve}


def entries_by_page(entries: list) -> dict[str, list]:
    """Search entries by the address of their page."""
    pages: dict[str, list] = {}
    for entry in entries:
        pages.setdefault(entry["location"].partition("#")[0], []).append(entry)
    return pages


def address(page: str) -> str:
    """A page's address: ``index.md`` -> ``""``, ``further/index.md`` -> ``further/``, ``closing.md`` -> ``closing/``."""
    stem = page.removesuffix(".md")
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"


def test_a_prose_edit_of_an_index_page_or_of_two_pages_rebuilds_only_them_and_search_stays_exact(mini):
    results, base = mini["results"], mini["base"]
    before, edited = (entries_by_page(json.loads((base / name / "search/search_index.json").read_text())["docs"])
                      for name in ("reference-before", "reference-edited"))  # fmt: skip
    assert results["start page"]["changed"] == ["404.html", "index.html"]
    assert results["section index"]["changed"] == ["404.html", "further/index.html"]
    assert results["two pages"]["changed"] == ["404.html", "closing/index.html", "further/a/index.html"]
    # after each step, each page's search entries are those of mkdocs build from the same text
    texts = dict(PAGES)
    for step, edits in STEPS.items():
        texts.update(edits)
        search = entries_by_page(results[step]["search"])
        assert search.keys() == before.keys(), step  # no page lost, none added
        for page in (p for p in texts if p.endswith(".md")):
            url = address(page)
            if texts[page] in (PAGES[page], EDITED[page]):
                assert search[url] == (before if texts[page] == PAGES[page] else edited)[url], (step, page)
            else:  # a text that a later step changes again: one sentence more, the same sections
                assert len(search[url]) == len(before[url]), (step, page)
    assert "Part two" in {entry["title"] for entry in entries_by_page(results["start page"]["search"])[""]}


def test_a_page_retitled_by_a_heading_without_space_rebuilds_every_page(mini):
    results, base = mini["results"], mini["base"]
    assert set(results["retitled"]["changed"]) == set(results["first"]["changed"])  # every page
    assert "Further, retitled" in (base / "served-edited" / "closing" / "index.html").read_text()  # its navigation
    # after every step, the site is the one mkdocs build makes from the edited pages, byte for byte
    assert different_files(base / "served-edited", base / "reference-edited") == []


def test_a_save_during_a_rebuild_shows_at_the_next_one(mini):
    results = mini["results"]
    assert results["race"]["served"] == [True, False]  # the build read the first save
    assert results["after race"]["served"] == [False, True]
    assert results["after race"]["css"] == "body { margin: 2px; }\n"


def test_undoing_every_edit_gives_the_site_mkdocs_build_makes(mini):
    base = mini["base"]
    assert different_files(base / "served-undone", base / "reference-before") == []


def test_an_edited_benchmark_record_or_package_rebuilds_every_page_and_prose_edits_stay_partial(mini):
    results, serve = mini["results"], mini["serve"]
    every_page = set(results["first"]["changed"])
    assert set(results["record"]["changed"]) == every_page and results["record"]["served"]
    assert set(results["package"]["changed"]) == every_page and results["package"]["served"]
    assert results["prose"]["changed"] == ["404.html", "closing/index.html"]
    assert [(serve / "benchmarks").resolve().as_posix(), False] in results["watched"]  # a new record rebuilds


def test_a_heading_that_a_cross_reference_names_moving_to_another_page_rebuilds_every_page(mini):
    results = mini["results"]
    assert set(results["moved"]["changed"]) == set(results["first"]["changed"])
    assert results["moved"]["served"]  # the page with the reference links to the heading's new place
