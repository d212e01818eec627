"""The numbers of the last benchmark run (``benchmarks/last-run.json``), for the pages.

A build never times itself (two builds must be byte-identical), so the page "How this site
is built" and the training times of the "Going further" pages quote the record that
``scripts/benchmark`` keeps. A number the record lacks reads `NOT_MEASURED`, and a test
fails on it: run ``scripts/benchmark`` again.
"""

from __future__ import annotations

import json

from ..figures.base import Table
from . import benchmark as bench

NOT_MEASURED = "(not measured yet: run scripts/benchmark)"


def last_run() -> dict:
    """The record of the last benchmark run ({} if there is none)."""
    return json.loads(bench.RECORD.read_text()) if bench.RECORD.exists() else {}


def _seconds(value: float) -> str:
    return f"{value:.1f}"


def _kb(size: int) -> str:
    return f"{size / 1000:.0f}"


def facts() -> dict[str, str]:
    """``bench_*`` numbers as the prose shows them."""
    from ..experiments.__main__ import experiment_names

    record = last_run()
    out = {
        "bench_budget_training": _seconds(bench.BUDGET_TRAINING).removesuffix(".0"),
        "bench_budget_cold_build": _seconds(bench.BUDGET_COLD_BUILD).removesuffix(".0"),
        "bench_budget_prose_edit": _seconds(bench.BUDGET_PROSE_REBUILD).removesuffix(".0"),
        "bench_budget_tests": f"{bench.BUDGET_TESTS / 60:.0f}",
        "bench_budget_page": _kb(bench.BUDGET_PAGE),
        "bench_budget_figure": _kb(bench.BUDGET_FIGURE),
    }
    machine = record.get("machine")
    out["bench_machine"] = (
        f"{machine['cores']} cores ({machine['system']}, Python {machine['python']}, torch {machine['torch']})"
        if machine else NOT_MEASURED
    )
    out["bench_date"] = record.get("date", NOT_MEASURED)
    training = record.get("training", {})
    cold = training.get("cold_seconds", {})
    for name in experiment_names():
        out[f"bench_train_{name}"] = _seconds(cold[name]) if name in cold else NOT_MEASURED
    out["bench_train_all"] = _seconds(training["cold_seconds_all"]) if training else NOT_MEASURED
    out["bench_train_warm_jobs"] = str(training["jobs_warm"]) if training else NOT_MEASURED
    out["bench_train_jobs"] = str(training["jobs_cold"]) if training else NOT_MEASURED
    builds = record.get("builds")
    out["bench_build_cold"] = _seconds(builds["cold_seconds"]) if builds else NOT_MEASURED
    out["bench_build_warm"] = _seconds(builds["warm_unchanged_seconds"]) if builds else NOT_MEASURED
    out["bench_build_prose_edit"] = _seconds(builds["warm_prose_edit_seconds"]) if builds else NOT_MEASURED
    out["bench_build_reproducible"] = (
        ("byte-identical" if builds["reproducible"] else f"different ({builds['first_difference']})") if builds else NOT_MEASURED
    )
    tests = record.get("tests")
    out["bench_tests"] = _seconds(tests["seconds"]) if tests else NOT_MEASURED
    pages = record.get("pages")
    if pages:
        heaviest = max(pages["pages"].items(), key=lambda item: item[1]["bytes"])
        largest = max(pages["figures"].items(), key=lambda item: item[1])
        out |= {
            "bench_page_heaviest": f"/{heaviest[0]}",
            "bench_page_heaviest_kb": _kb(heaviest[1]["bytes"]),
            "bench_figure_largest": largest[0],
            "bench_figure_largest_kb": _kb(largest[1]),
            "bench_figures": str(len(pages["figures"])),
        }
    else:
        out |= dict.fromkeys(["bench_page_heaviest", "bench_page_heaviest_kb", "bench_figure_largest", "bench_figure_largest_kb", "bench_figures"], NOT_MEASURED)
    return out


def training_table() -> Table:
    cold = last_run().get("training", {}).get("cold_seconds", {})
    return Table("Training from an empty cache, per experiment (last benchmark run)", ["experiment", "seconds"],
                 [[name, round(seconds, 1)] for name, seconds in cold.items()])


def build_table() -> Table:
    builds = last_run().get("builds", {})
    rows = [[f"figure {name} (both palettes)", round(s, 2)] for name, s in builds.get("figure_seconds", {}).items()]
    rows += [[f"notebook {name} (run and convert)", round(s, 2)] for name, s in builds.get("notebook_seconds", {}).items()]
    if builds:
        rows.append(["MkDocs and its plugins (a rebuild with every result kept)", round(builds["warm_unchanged_seconds"], 2)])
    return Table("Where a cold build's time goes, besides training (last benchmark run)", ["step", "seconds"], rows)


def pages_table() -> Table:
    pages = last_run().get("pages", {}).get("pages", {})
    rows = []
    for path, page in pages.items():
        check = page["without_js"]
        readable = "needs JavaScript (a program)" if path in bench.NOT_READABLE_WITHOUT_JS else (
            "yes" if bench.readable_without_js(path, check) else "no"
        )
        rows.append([f"/{path}", round(page["bytes"] / 1000, 1), page["requests"], readable])
    return Table("What a first visit of each page loads, read to the end (last benchmark run)",
                 ["page", "kB", "files", "reads without JavaScript"], rows)


TABLES = {"bench-training": training_table, "bench-build": build_table, "bench-pages": pages_table}
