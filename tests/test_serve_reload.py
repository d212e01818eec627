"""Under ``mkdocs serve`` an edit to the package shows on the next rebuild (same process)."""

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
