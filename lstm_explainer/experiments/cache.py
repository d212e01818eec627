"""Run experiment jobs once: results on disk, keyed by the code and settings that made them.

A *job* is a module-level function of keyword settings returning JSON-able data (numbers,
strings, lists, dicts). Its key hashes the job's name, its settings, the source of its module
and of every `lstm_explainer` module that module imports (followed transitively), and the
versions of numpy and torch. Edit a job's code or anything it imports and only that job runs
again; edit a page or a figure and nothing trains.

Every result is returned as it reads back from JSON, fresh or cached, so a cold build and a
warm build draw the very same numbers.

The cache lives in ``$LSTM_EXPLAINER_CACHE`` if set, else ``.cache/experiments`` in the
source checkout (``~/.cache/lstm-explainer`` for an installed package).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import inspect
from importlib import metadata
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

PACKAGE = "lstm_explainer"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """Where results are kept (created on first write)."""
    if os.environ.get("LSTM_EXPLAINER_CACHE"):
        return Path(os.environ["LSTM_EXPLAINER_CACHE"])
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").exists():
        return checkout / ".cache" / "experiments"
    return Path.home() / ".cache" / "lstm-explainer"


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
        for name in names:
            if name.split(".")[0] == PACKAGE and _is_module(name):
                found.add(name)
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # ``package.module.function`` is no module
        return False


def dependencies(module: str) -> set[str]:
    """``module`` and every package module it imports, transitively."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_imports(name) - seen)
    return seen


@functools.cache
def code_hash(module: str) -> str:
    """A hash of the source of ``module`` and of its `dependencies`."""
    digest = hashlib.sha256()
    for name in sorted(dependencies(module)):
        digest.update(name.encode() + b"\0" + Path(importlib.util.find_spec(name).origin).read_bytes() + b"\0")
    return digest.hexdigest()


def job_key(job: Callable, settings: dict) -> str:
    """The cache key of one job: its name, settings, code and library versions."""
    identity = {
        "job": f"{job.__module__}.{job.__qualname__}",
        "settings": settings,
        "code": code_hash(job.__module__),
        "numpy": metadata.version("numpy"),
        "torch": metadata.version("torch"),  # read without importing torch
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]


def _label(job: Callable, settings: dict) -> str:
    shown = " ".join(f"{k}={v}" for k, v in settings.items() if not isinstance(v, (list, dict)))
    return f"{job.__module__.rpartition('.')[2]}.{job.__name__} {shown}".strip()


def run_jobs(job: Callable, settings_list: list[dict]) -> list:
    """``job(**settings)`` for each settings dict, from the cache where it is already there.

    Jobs that run print one line each on stderr (what, and how long it took), so a long cold
    build shows progress. The results come back in order, as JSON reads them.
    """
    if inspect.getmodule(job) is None or "<locals>" in job.__qualname__:
        raise ValueError(f"{job.__qualname__} must be a module-level function to be cached.")
    folder = cache_dir()
    results = []
    for number, settings in enumerate(settings_list, 1):
        path = folder / f"{job.__name__}-{job_key(job, settings)}.json"
        if not path.exists():
            start = time.perf_counter()
            text = json.dumps(job(**settings), sort_keys=True, allow_nan=False)
            seconds = time.perf_counter() - start
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(text)
            os.replace(partial, path)  # never a half-written result, even if interrupted
            print(f"[{number}/{len(settings_list)}] {_label(job, settings)}: {seconds:.2f} s", file=sys.stderr, flush=True)
        results.append(json.loads(path.read_text()))
    return results


def run_job(job: Callable, **settings):
    """One job, cached: ``run_jobs(job, [settings])[0]``."""
    return run_jobs(job, [settings])[0]
