"""Results kept on disk, keyed by a hash of the code and the inputs that made them.

Training runs, drawn figures, rendered math and executed notebooks are all slow to make
and cheap to keep. `remember` computes a JSON-able value once per key and reads it back
afterwards; the key is built from everything the value depends on, so it is never stale.
`code_hash` hashes a module's source and that of every `lstm_explainer` module it imports,
transitively: edit a module and only the values made with it are made again.

Every value comes back as it reads from JSON, fresh or kept, so a cold and a warm build
produce the very same bytes. The folder is ``$LSTM_EXPLAINER_CACHE`` if set, else
``.cache/lstm-explainer`` in the source checkout (``~/.cache/lstm-explainer`` for an
installed package); empty it (or point the variable at an empty folder) for a cold build.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

PACKAGE = "lstm_explainer"
PACKAGE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Where values are kept (created on first write)."""
    if os.environ.get("LSTM_EXPLAINER_CACHE"):
        return Path(os.environ["LSTM_EXPLAINER_CACHE"])
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").exists():
        return checkout / ".cache" / "lstm-explainer"
    return Path.home() / ".cache" / "lstm-explainer"


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # ``package.module.function`` is no module
        return False


def _imports(module: str) -> set[str]:
    """The `lstm_explainer` modules that ``module``'s source imports (absolute names)."""
    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text())
    package = module if spec.origin.endswith("__init__.py") else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            # ``from . import cells`` names a module; ``from .cells import x`` names its members
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.split(".")[0] == PACKAGE and _is_module(name)}
    return found


# The machinery that keeps values does not change them: editing it must not redo them all.
NOT_DEPENDENCIES = {"lstm_explainer.disk_cache", "lstm_explainer.experiments.cache"}


def dependencies(module: str) -> set[str]:
    """``module`` and every package module it imports, transitively (but `NOT_DEPENDENCIES`)."""
    seen, todo = set(NOT_DEPENDENCIES - {module}), [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_imports(name) - seen)
    return seen - (NOT_DEPENDENCIES - {module})


@functools.cache
def code_hash(module: str) -> str:
    """A hash of the source of ``module`` and of its `dependencies`."""
    digest = hashlib.sha256()
    for name in sorted(dependencies(module)):
        digest.update(name.encode() + b"\0" + Path(importlib.util.find_spec(name).origin).read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def version(distribution: str) -> str:
    """An installed distribution's version, read once per process (without importing it)."""
    return metadata.version(distribution)


def key(identity: dict) -> str:
    """A short hash of a JSON-able description of everything a value depends on."""
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]


def remember(kind: str, identity: dict, compute: Callable[[], Any]) -> tuple[Any, bool]:
    """``compute()``, kept as ``<kind>-<key(identity)>.json``; return (value, computed now).

    A value that is not JSON (NaN included) raises ``ValueError`` and nothing is written;
    a write is atomic, so an interrupted run never leaves half a value behind.
    """
    path = cache_dir() / f"{kind}-{key(identity)}.json"
    if path.exists():
        return json.loads(path.read_text()), False
    text = json.dumps(compute(), sort_keys=True, allow_nan=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text)
    os.replace(partial, path)
    return json.loads(text), True


def package_hash() -> str:
    """A hash of every source file of the package: for what may use any of it (a notebook)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
