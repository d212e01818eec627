"""Under ``mkdocs serve`` (``scripts/serve``) an edit to the package shows on the next rebuild
(same process), and a prose edit rebuilds only its page, leaving the site as a full build makes it."""

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

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

    # after the edit and its undoing, the site is the one mkdocs build makes, file for file
    # (but the order of the search index's entries)
    built = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    assert sorted(p.relative_to(after_undo) for p in after_undo.rglob("*") if p.is_file()) == built
    different = [str(p) for p in built if (after_undo / p).read_bytes() != (built_site / p).read_bytes()]
    assert different == ["search/search_index.json"] or not different, different
    assert search_entries(after_undo) == search_entries(built_site)
