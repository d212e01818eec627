"""Train what the cache lacks on every core: the experiments in parallel processes, once.

A cold build trains several minutes of CPU time. Each experiment's jobs are deterministic and
single-threaded (`lstm_explainer.experiments.seeding`), so they can run in separate processes
and give the very results one process would: `prepare` runs every experiment that is not known
to be in the cache, one task per experiment (the character model's trainings and baselines one
task each, as they are its costliest jobs), the costliest first, on one process per core. Each
result lands in the disk cache (`lstm_explainer.experiments.cache`), from which the pages then
read it.

An experiment counts as prepared when its ``results()`` has run once for its current code
(`lstm_explainer.disk_cache.code_hash` of its module and all it imports); a marker in the cache
says so, so a warm build spawns no process at all.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context

from .. import disk_cache
from . import EXPERIMENTS

COST_ORDER = ("char_model", "recall", "char_units", "stream", "trained_turnstile", "language_model", "gradient_flow")
"""Experiments from the costliest (measured by ``python -m lstm_explainer.experiments --cold``);
any other experiment comes after them."""


def _identity(name: str) -> dict:
    module = f"{__package__}.{name}"
    return {"experiment": name, "code": disk_cache.code_hash(module), "numpy": disk_cache.version("numpy"),
            "torch": disk_cache.version("torch")}  # fmt: skip


def _marker(name: str):
    return disk_cache.cache_dir() / f"prepared-{disk_cache.key(_identity(name))}.json"


def prepared(name: str) -> bool:
    """Whether experiment ``name``'s results are in the cache for its current code."""
    return _marker(name).exists()


def _run_results(name: str) -> str:
    """In a worker: experiment ``name``'s ``results()`` (which fills the cache)."""
    importlib.import_module(f"{__package__}.{name}").results()
    return name


def _run_job(module: str, job: str, settings: dict) -> str:
    """In a worker: one cached job (a character-model training or its baselines)."""
    from . import cache

    cache.run_job(getattr(importlib.import_module(module), job), **settings)
    return f"{module.rpartition('.')[2]}.{job} {settings.get('kind', '')}".strip()


NEEDS = {"char_units": "char_model"}
"""Experiments that read another's results: they start once that one's jobs are all done."""


def _tasks(names: list[str]) -> list[tuple]:
    """``(experiment, function, arguments)`` per task, the costliest first. The character
    model's jobs are tasks of their own; its ``results()`` is no task (it would train those
    jobs a second time beside the workers that train them) and is read at the end."""
    tasks = []
    for name in sorted(names, key=lambda n: COST_ORDER.index(n) if n in COST_ORDER else len(COST_ORDER)):
        if name == "char_model":
            from . import char_model

            tasks += [(name, _run_job, (job.__module__, job.__name__, settings)) for job, settings in char_model.jobs()]
        else:
            tasks.append((name, _run_results, (name,)))
    return tasks


def prepare(names: tuple[str, ...] = EXPERIMENTS, workers: int | None = None) -> list[str]:
    """Run every experiment of ``names`` whose results are not in the cache, ``workers``
    processes at a time (default: one per core); return the names that ran.

    A task whose experiment `NEEDS` another starts when no task of that one is left. Prints
    one line per finished task on stderr. Raises the first task's error, if any.
    """
    todo = [name for name in names if not prepared(name)]
    if not todo:
        return []
    waiting = _tasks(todo)
    workers = max(1, min(workers or os.cpu_count() or 1, len(waiting)))
    start = time.perf_counter()
    running: dict = {}

    def ready(task) -> bool:
        needed = NEEDS.get(task[0])
        return needed is None or not any(t[0] == needed for t in [*waiting, *running.values()])

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        while waiting or running:
            while len(running) < workers and any(ready(t) for t in waiting):
                task = next(t for t in waiting if ready(t))
                waiting.remove(task)
                running[pool.submit(task[1], *task[2])] = task
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                del running[future]
                print(f"prepared {future.result()} ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    for name in todo:
        _run_results(name)  # in this process: every job is cached now, so this only reads
        _marker(name).parent.mkdir(parents=True, exist_ok=True)
        _marker(name).write_text("true")
    return todo
