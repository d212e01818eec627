"""Fixtures shared by every test folder: the site, built once per test session.

``built_site`` runs ``mkdocs build --strict`` in the environment of scripts/build (``. scripts/site-env``)
into a temporary folder and returns it; tests/test_site.py checks the files, tests/browser/ serves
them to a real browser. ``build_site`` is the build itself, for a test that needs a second one.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def build(site_dir: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` into ``site_dir``, in the environment of scripts/build."""
    command = f'. scripts/site-env && "{BIN}/mkdocs" build --strict --site-dir "{site_dir}"'
    return subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def build_site():
    """The build function: ``build_site(path)`` returns the finished ``CompletedProcess``."""
    return build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per session (strict: any warning fails) into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build(site_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING -" not in result.stderr, result.stderr  # strict fails on them anyway
    return site_dir
