"""What building and reading the site may cost (the budgets), and what it cost at the last
benchmark run (``benchmarks/last-run.json``), as the pages quote them.

A build never times itself (two builds must be byte-identical), so the page "How this site
is built" and the training times of the "Going further" pages quote the record that
``./scripts/benchmark`` (``benchmarks/bench.py``) writes. The benchmark reads its budgets
and the record's path here, where the site reads them too.

The record, a JSON object, has one entry per section of the benchmark (each section may be
missing: a run can measure only some of them):

* ``machine``: ``cores``, ``python``, ``torch``, ``system``; ``date``: ``YYYY-MM-DD`` (UTC);
* ``training``: ``cold_seconds`` (experiment -> seconds from an empty cache),
  ``cold_seconds_all``, ``warm_seconds``, ``jobs_cold`` and ``jobs_warm`` (jobs that ran);
* ``builds``: ``cold_seconds``, ``warm_unchanged_seconds``, ``warm_prose_edit_seconds`` (a
  whole rebuild in one process), ``figure_seconds`` (figure -> seconds, both palettes),
  ``notebook_seconds``, ``reproducible`` (bool) and ``first_difference`` (str or null);
* ``serve``: ``edit_seconds`` (from saving a page under ``./scripts/serve`` to the served
  page showing the new sentence), ``edit_seconds_each``, ``page``;
* ``tests``: ``seconds`` (``./scripts/test``, whole);
* ``pages``: ``pages`` (site path -> ``bytes``, ``requests`` and ``without_js``, what reads
  without JavaScript) and ``figures`` (SVG file -> bytes);
* ``vitals``: ``pages`` (site path -> ``desktop`` and ``phone``, each a first visit's ``cls``,
  the layout shifts not caused by input added up, and ``lcp_seconds``, when the largest
  contentful paint happened, or null if none was reported; with ``cls_each``,
  ``lcp_seconds_each``, ``lcp_element``, what that paint was, and ``shifted``, the elements
  that moved) and ``profiles`` (how each was emulated: screen, CPU slowdown, network).

Each section also has ``runs`` (times are medians of that many runs) and its budgets.

Numbers: `NUMBERS` (name -> function giving the text), each computed when a page asks for
it; a number the record lacks reads `NOT_MEASURED` (and ``tests/test_build_numbers.py`` is
skipped, naming each): run ``./scripts/benchmark`` (or only the section it names).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Callable

from ..figures.base import Table
from ..formatting import count, fmt

RECORD = Path(__file__).resolve().parents[2] / "benchmarks" / "last-run.json"
"""The record of the last benchmark run (in the source checkout)."""

BUDGET_TRAINING = 480.0  # seconds, every experiment alone from an empty cache, summed (a build runs them on every core)
BUDGET_COLD_BUILD = 300.0  # seconds on two cores, every cache empty, training included (the character model too)
BUDGET_PROSE_REBUILD = 3.0  # seconds, a whole rebuild in one process after a page's prose changed
BUDGET_SERVE_EDIT = 1.0  # seconds, from saving a page under ./scripts/serve to the new text served
BUDGET_TESTS = 180.0  # seconds, the README's test command
BUDGET_PAGE = 600_000  # bytes a first visit of any page loads, uncompressed
BUDGET_FIGURE = 100_000  # bytes, each SVG
BUDGET_CLS = 0.1  # cumulative layout shift of a page's first visit, desktop and phone
BUDGET_LCP_PHONE = 2.5  # seconds to the largest contentful paint of a first visit on the phone profile
BUDGET_CHARS_RENDER_MS = 100.0  # ms, the character page reading and colouring 2,000 pasted characters (Chromium, 2 cores)
BUDGET_CHARS_INTERACTION_MS = 200.0  # ms, every interaction of the character page after a 20,000-character paste

NOT_READABLE_WITHOUT_JS = {"explorer/"}
"""Site paths of pages that are programs: every other page must read without JavaScript."""

NOT_MEASURED = "not measured yet"
"""What a number reads when the record lacks it."""


def last_run() -> dict:
    """The record of the last benchmark run ({} if there is none)."""
    return json.loads(RECORD.read_text()) if RECORD.exists() else {}


def readable_without_js(path: str, check: dict) -> bool:
    """Whether the page at site ``path`` reads without JavaScript, from the benchmark's
    ``without_js`` check of it (text, math rendered, figures loaded, no raw TeX)."""
    return path in NOT_READABLE_WITHOUT_JS or (
        check["text"] > 0 and not check["raw_tex"] and check["math_rendered"] == check["math"]
        and check["figures_loaded"] == check["figures"]
    )  # fmt: skip


def vitals_ok(page: dict) -> bool:
    """Whether a page's first visits (the benchmark's ``vitals`` entry for it) keep within the
    layout-shift budget on both profiles and the phone's largest-contentful-paint budget."""
    lcp = page["phone"]["lcp_seconds"]
    return page["desktop"]["cls"] <= BUDGET_CLS and page["phone"]["cls"] <= BUDGET_CLS and (
        lcp is not None and lcp <= BUDGET_LCP_PHONE
    )


def _seconds(value: float) -> str:
    return fmt(value, 1)


def _kb(size: float) -> str:
    return fmt(size / 1000, 0)


def _measured(section: str, show: Callable[[dict], str]) -> str:
    """``show(record[section])``, or `NOT_MEASURED` if the record has no such section."""
    measured = last_run().get(section)
    return show(measured) if measured else NOT_MEASURED


def _machine() -> str:
    return _measured("machine", lambda m: f"{m['cores']} cores ({m['system']}, Python {m['python']}, torch {m['torch']})")


def _training(name: str) -> str:
    """One experiment's training time from an empty cache (``name`` as in `EXPERIMENTS`)."""
    cold = last_run().get("training", {}).get("cold_seconds", {})
    return _seconds(cold[name]) if name in cold else NOT_MEASURED


def _reproducible(builds: dict) -> str:
    return "byte-identical" if builds["reproducible"] else f"different ({builds['first_difference']})"


def _heaviest_page(pages: dict) -> tuple[str, dict]:
    return max(pages["pages"].items(), key=lambda item: item[1]["bytes"])


def _largest_figure(pages: dict) -> tuple[str, int]:
    return max(pages["figures"].items(), key=lambda item: item[1])


def _worst(vitals: dict, profile: str, key: str) -> tuple[str, float | None]:
    """The page with the largest ``key`` on ``profile`` (a paint never reported counts as the
    worst) and that number."""
    value = lambda item: float("inf") if item[1][profile][key] is None else item[1][profile][key]  # noqa: E731
    path, page = max(vitals["pages"].items(), key=value)
    return path, page[profile][key]


def _phone(vitals: dict, show: Callable[[dict], str]) -> str:
    """``show`` of the phone profile the record says the vitals were measured with."""
    profile = vitals.get("profiles", {}).get("phone")
    return show(profile) if profile else NOT_MEASURED


def _cls(value: float) -> str:
    return fmt(value, 3)


def _lcp(value: float | None) -> str:
    return "no paint reported" if value is None else fmt(value, 2)


NUMBERS: dict[str, Callable[[], str]] = {
    # the budgets
    "bench_budget_training": lambda: count(BUDGET_TRAINING),
    "bench_budget_cold_build": lambda: count(BUDGET_COLD_BUILD),
    "bench_budget_prose_edit": lambda: count(BUDGET_PROSE_REBUILD),
    "bench_budget_serve_edit": lambda: count(BUDGET_SERVE_EDIT),
    "bench_budget_tests": lambda: count(BUDGET_TESTS / 60),  # minutes
    "bench_budget_page": lambda: _kb(BUDGET_PAGE),
    "bench_budget_figure": lambda: _kb(BUDGET_FIGURE),
    "bench_budget_cls": lambda: count(BUDGET_CLS),
    "bench_budget_lcp_phone": lambda: count(BUDGET_LCP_PHONE),
    # the run
    "bench_machine": _machine,
    "bench_date": lambda: last_run().get("date", NOT_MEASURED),
    # training, one number per experiment of lstm_explainer.experiments.EXPERIMENTS
    "bench_train_char_model": partial(_training, "char_model"),
    "bench_train_char_units": partial(_training, "char_units"),
    "bench_train_gradient_flow": partial(_training, "gradient_flow"),
    "bench_train_language_model": partial(_training, "language_model"),
    "bench_train_recall": partial(_training, "recall"),
    "bench_train_stream": partial(_training, "stream"),
    "bench_train_trained_turnstile": partial(_training, "trained_turnstile"),
    "bench_train_all": lambda: _measured("training", lambda t: _seconds(t["cold_seconds_all"])),
    "bench_train_warm_jobs": lambda: _measured("training", lambda t: count(t["jobs_warm"])),
    "bench_train_jobs": lambda: _measured("training", lambda t: count(t["jobs_cold"])),
    # builds
    "bench_build_cold": lambda: _measured("builds", lambda b: _seconds(b["cold_seconds"])),
    "bench_build_warm": lambda: _measured("builds", lambda b: _seconds(b["warm_unchanged_seconds"])),
    "bench_build_prose_edit": lambda: _measured("builds", lambda b: _seconds(b["warm_prose_edit_seconds"])),
    "bench_build_reproducible": lambda: _measured("builds", _reproducible),
    # ./scripts/serve
    "bench_serve_edit": lambda: _measured("serve", lambda s: fmt(s["edit_seconds"], 2)),
    # the tests
    "bench_tests": lambda: _measured("tests", lambda t: _seconds(t["seconds"])),
    # what the pages load
    "bench_page_heaviest": lambda: _measured("pages", lambda p: f"/{_heaviest_page(p)[0]}"),
    "bench_page_heaviest_kb": lambda: _measured("pages", lambda p: _kb(_heaviest_page(p)[1]["bytes"])),
    "bench_figure_largest": lambda: _measured("pages", lambda p: _largest_figure(p)[0]),
    "bench_figure_largest_kb": lambda: _measured("pages", lambda p: _kb(_largest_figure(p)[1])),
    "bench_figures": lambda: _measured("pages", lambda p: count(len(p["figures"]))),
    # the character page, in Chromium
    "bench_budget_chars_render": lambda: count(BUDGET_CHARS_RENDER_MS),
    "bench_budget_chars_interaction": lambda: count(BUDGET_CHARS_INTERACTION_MS),
    "bench_chars_render": lambda: _measured("chars", lambda c: fmt(c["render_2000_ms"], 0)),
    "bench_chars_interaction_worst": lambda: _measured("chars", lambda c: fmt(max(c["interactions_ms"].values()), 0)),
    "bench_chars_interaction_worst_name": lambda: _measured("chars", lambda c: max(c["interactions_ms"], key=c["interactions_ms"].get)),
    "bench_chars_first_visit_kb": lambda: _measured("chars", lambda c: _kb(c["first_visit_bytes"])),
    # how the pages paint, the worst page of each
    "bench_cls_desktop_worst": lambda: _measured("vitals", lambda v: _cls(_worst(v, "desktop", "cls")[1])),
    "bench_cls_desktop_worst_page": lambda: _measured("vitals", lambda v: f"/{_worst(v, 'desktop', 'cls')[0]}"),
    "bench_cls_phone_worst": lambda: _measured("vitals", lambda v: _cls(_worst(v, "phone", "cls")[1])),
    "bench_cls_phone_worst_page": lambda: _measured("vitals", lambda v: f"/{_worst(v, 'phone', 'cls')[0]}"),
    "bench_lcp_phone_worst": lambda: _measured("vitals", lambda v: _lcp(_worst(v, "phone", "lcp_seconds")[1])),
    "bench_lcp_phone_worst_page": lambda: _measured("vitals", lambda v: f"/{_worst(v, 'phone', 'lcp_seconds')[0]}"),
    "bench_lcp_desktop_worst": lambda: _measured("vitals", lambda v: _lcp(_worst(v, "desktop", "lcp_seconds")[1])),
    "bench_lcp_desktop_worst_page": lambda: _measured("vitals", lambda v: f"/{_worst(v, 'desktop', 'lcp_seconds')[0]}"),
    # the phone profile as the record says it was measured (bytes/s -> bit/s)
    "bench_phone_down_mbit": lambda: _measured("vitals", lambda v: _phone(v, lambda p: fmt(p["network"]["downloadThroughput"] * 8 / 1e6, 1))),
    "bench_phone_up_kbit": lambda: _measured("vitals", lambda v: _phone(v, lambda p: count(p["network"]["uploadThroughput"] * 8 / 1e3))),
    "bench_phone_latency_ms": lambda: _measured("vitals", lambda v: _phone(v, lambda p: count(p["network"]["latency"]))),
}
"""Every number the pages quote from the budgets and the record: name -> its text."""


def training_table() -> Table:
    cold = last_run().get("training", {}).get("cold_seconds", {})
    return Table("Training from an empty cache, per experiment (last benchmark run)", ["experiment", "seconds"],
                 [[name, round(seconds, 1)] for name, seconds in cold.items()])  # fmt: skip


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
        readable = "needs JavaScript (a program)" if path in NOT_READABLE_WITHOUT_JS else (
            "yes" if readable_without_js(path, page["without_js"]) else "no"
        )  # fmt: skip
        rows.append([f"/{path}", round(page["bytes"] / 1000, 1), page["requests"], readable])
    return Table("What a first visit of each page loads, read to the end (last benchmark run)",
                 ["page", "kB", "files", "reads without JavaScript"], rows)  # fmt: skip


def vitals_table() -> Table:
    pages = last_run().get("vitals", {}).get("pages", {})
    rows = [[f"/{path}", _cls(page["desktop"]["cls"]), _cls(page["phone"]["cls"]), _lcp(page["desktop"]["lcp_seconds"]),
             _lcp(page["phone"]["lcp_seconds"]), "yes" if vitals_ok(page) else "no"] for path, page in pages.items()]  # fmt: skip
    return Table("How each page's first visit paints: layout shift and largest contentful paint (last benchmark run)",
                 ["page", "layout shift, desktop", "layout shift, phone", "largest paint, desktop (s)",
                  "largest paint, phone (s)", "within budget"], rows)  # fmt: skip


TABLES: dict[str, Callable[[], Table]] = {
    "bench-training": training_table,
    "bench-build": build_table,
    "bench-pages": pages_table,
    "bench-vitals": vitals_table,
}
"""The record's tables, placed with ``{{ table("name") }}``: name -> function giving it."""
