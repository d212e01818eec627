"""Run experiment jobs once: results on disk, keyed by the code and settings that made them.

A *job* is a module-level function of keyword settings returning JSON-able data (numbers,
strings, lists, dicts). Its key hashes the job's name, its settings, the source of its module
and of every `lstm_explainer` module that module imports (`lstm_explainer.disk_cache.code_hash`),
and the versions of numpy and torch. Edit a job's code or anything it imports and only that
job runs again; edit a page or a figure and nothing trains.
"""

from __future__ import annotations

import inspect
import sys
import time
from typing import Callable

from ..disk_cache import code_hash, key, remember, version


def _identity(job: Callable, settings: dict) -> dict:
    return {
        "job": f"{job.__module__}.{job.__qualname__}",
        "settings": settings,
        "code": code_hash(job.__module__),
        "numpy": version("numpy"),
        "torch": version("torch"),
    }


def job_key(job: Callable, settings: dict) -> str:
    """The cache key of one job: its name, settings, code and library versions."""
    return key(_identity(job, settings))


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
    results = []
    for number, settings in enumerate(settings_list, 1):
        start = time.perf_counter()
        value, computed = remember(job.__name__, _identity(job, settings), lambda: job(**settings))
        if computed:
            seconds = time.perf_counter() - start
            print(f"[{number}/{len(settings_list)}] {_label(job, settings)}: {seconds:.2f} s", file=sys.stderr, flush=True)
        results.append(value)
    return results


def run_job(job: Callable, **settings):
    """One job, cached: ``run_jobs(job, [settings])[0]``."""
    return run_jobs(job, [settings])[0]
