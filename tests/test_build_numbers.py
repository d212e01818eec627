"""The pages quote the budgets and the last benchmark run (``benchmarks/last-run.json``).

A number the record lacks shows as "not measured yet" in a build, and the first test here is
skipped, naming every such number (a new experiment must not need a whole benchmark run
before the tests pass); the others check, on records made here, that a complete record gives
every number and a missing one gives `NOT_MEASURED`, never an error.
"""

import json
import re
from pathlib import Path

import pytest

from lstm_explainer.experiments import EXPERIMENTS
from lstm_explainer.sitegen import build_numbers, tables
from lstm_explainer.sitegen.build_numbers import NOT_MEASURED, NUMBERS, TABLES

SOURCE = Path(build_numbers.__file__).read_text()
# Each section of the record, and the start of the names of the numbers read from it.
SECTIONS = {"machine": ("bench_machine",), "training": ("bench_train_",), "builds": ("bench_build_",),
            "serve": ("bench_serve_",), "tests": ("bench_tests",), "pages": ("bench_page_", "bench_figure"),
            "vitals": ("bench_cls_", "bench_lcp_", "bench_phone_"), "chars": ("bench_chars_",)}

# A record as ./scripts/benchmark writes it, with every section, on a site of two pages.
COMPLETE = {
    "date": "2026-01-02",
    "machine": {"cores": 2, "python": "3.11.7", "system": "Linux x86_64", "torch": "2.13.0"},
    "training": {
        "cold_seconds": {name: 1.24 for name in EXPERIMENTS},
        "cold_seconds_all": 1.24 * len(EXPERIMENTS), "warm_seconds": 1.5, "jobs_cold": 191, "jobs_warm": 0,
    },  # fmt: skip
    "builds": {
        "cold_seconds": 53.5, "warm_unchanged_seconds": 2.3, "warm_prose_edit_seconds": 2.4,
        "figure_seconds": {"sentence-c": 0.3}, "notebook_seconds": {"notebooks/a.ipynb": 1.3},
        "reproducible": True, "first_difference": None,
    },  # fmt: skip
    "serve": {"edit_seconds": 0.51, "edit_seconds_each": [0.5, 0.51, 0.6], "page": "docs/closing.md"},
    "tests": {"seconds": 110.3},
    "pages": {
        "pages": {
            "": {"bytes": 123_456, "requests": 9, "without_js": {"text": 10, "raw_tex": False, "math": 2,
                                                               "math_rendered": 2, "figures": 1, "figures_loaded": 1}},
            "explorer/": {"bytes": 234_567, "requests": 12, "without_js": {"text": 0, "raw_tex": False, "math": 0,
                                                                          "math_rendered": 0, "figures": 0, "figures_loaded": 0}},
        },
        "figures": {"sentence-c-light.svg": 33_000, "tt-pca-dark.svg": 36_421},
    },  # fmt: skip
    "vitals": {
        "pages": {
            "": {"desktop": {"cls": 0.0, "lcp_seconds": 0.31}, "phone": {"cls": 0.0123, "lcp_seconds": 1.804}},
            "explorer/": {"desktop": {"cls": 0.0051, "lcp_seconds": 0.25}, "phone": {"cls": 0.0, "lcp_seconds": 2.61}},
        },
        "profiles": {"phone": {"network": {"downloadThroughput": 200000.0, "uploadThroughput": 93750.0, "latency": 150}}},
    },  # fmt: skip
    "chars": {
        "render_2000_ms": 97.7, "render_2000_ms_each": [102, 97.7, 95.5], "paste_20000_ms": 861.2,
        "interactions_ms": {"choosing a unit": 122.7, "opening a match": 16.7}, "first_visit_bytes": 557_234,
        "with_corpus_bytes": 790_000, "runs": 3,
    },  # fmt: skip
}


def with_record(monkeypatch, tmp_path, record: dict | None) -> None:
    """Make `build_numbers` read ``record`` (None: no record at all)."""
    path = tmp_path / "last-run.json"
    if record is not None:
        path.write_text(json.dumps(record))
    monkeypatch.setattr(build_numbers, "RECORD", path)


def test_the_last_benchmark_run_has_every_number_the_pages_quote():
    missing = [name for name, number in NUMBERS.items() if number() == NOT_MEASURED]
    if missing:
        pytest.skip(f"benchmarks/last-run.json lacks {', '.join(missing)} (a build shows "
                    f"{NOT_MEASURED!r}): run ./scripts/benchmark")  # fmt: skip


def test_a_complete_record_gives_every_number(monkeypatch, tmp_path):
    with_record(monkeypatch, tmp_path, COMPLETE)
    texts = {name: number() for name, number in NUMBERS.items()}
    assert NOT_MEASURED not in texts.values(), texts
    assert all(table().rows for table in TABLES.values())
    assert texts["bench_train_recall"] == "1.2"  # seconds, one decimal
    assert texts["bench_serve_edit"] == "0.51"
    assert texts["bench_page_heaviest"] == "/explorer/"
    assert texts["bench_figure_largest_kb"] == "36"
    assert texts["bench_budget_tests"] == "3"  # minutes
    assert texts["bench_build_reproducible"] == "byte-identical"
    assert (texts["bench_cls_desktop_worst"], texts["bench_cls_desktop_worst_page"]) == ("0.005", "/explorer/")
    assert (texts["bench_cls_phone_worst"], texts["bench_cls_phone_worst_page"]) == ("0.012", "/")
    assert (texts["bench_lcp_phone_worst"], texts["bench_lcp_phone_worst_page"]) == ("2.61", "/explorer/")
    assert (texts["bench_budget_cls"], texts["bench_budget_lcp_phone"]) == ("0.1", "2.5")
    assert [row[-1] for row in TABLES["bench-vitals"]().rows] == ["yes", "no"]  # 2.61 s is over the phone's budget


def test_a_page_never_painted_is_the_worst_and_over_budget(monkeypatch, tmp_path):
    vitals = {"pages": {"": {"desktop": {"cls": 0.0, "lcp_seconds": 0.3}, "phone": {"cls": 0.0, "lcp_seconds": 1.2}},
                        "notation/": {"desktop": {"cls": 0.0, "lcp_seconds": None}, "phone": {"cls": 0.0, "lcp_seconds": None}}}}
    with_record(monkeypatch, tmp_path, COMPLETE | {"vitals": vitals})
    assert NUMBERS["bench_lcp_phone_worst_page"]() == "/notation/"
    assert NUMBERS["bench_lcp_phone_worst"]() == "no paint reported"
    assert [row[-1] for row in TABLES["bench-vitals"]().rows] == ["yes", "no"]


def test_a_missing_record_or_section_reads_not_measured(monkeypatch, tmp_path):
    with_record(monkeypatch, tmp_path, None)
    texts = {name: number() for name, number in NUMBERS.items()}
    budgets = {name for name in NUMBERS if name.startswith("bench_budget_")}
    assert budgets and all(re.fullmatch(r"\d+(\.\d+)?", texts[name]) for name in budgets), texts
    assert {name for name, text in texts.items() if text == NOT_MEASURED} == set(NUMBERS) - budgets
    assert all(not table().rows for table in TABLES.values())
    for section, starts in SECTIONS.items():  # one section missing: its numbers, and only those
        with_record(monkeypatch, tmp_path, {key: value for key, value in COMPLETE.items() if key != section})
        missing = {name for name, number in NUMBERS.items() if number() == NOT_MEASURED}
        assert missing == {name for name in NUMBERS if name.startswith(starts)}, section


def test_every_experiment_has_its_training_number_written_out():
    for name in EXPERIMENTS:
        key = f"bench_train_{name}"
        assert key in NUMBERS, f"add {key!r} to NUMBERS in lstm_explainer/sitegen/build_numbers.py"
        assert f'"{key}"' in SOURCE, f"{key} must be written out in full in build_numbers.py"


def test_the_site_places_the_benchmark_tables():
    assert set(TABLES) <= set(tables.TABLES)
    assert all(tables.TABLES[name] is table for name, table in TABLES.items())



def test_the_phone_profile_is_quoted_from_the_record(monkeypatch, tmp_path):
    with_record(monkeypatch, tmp_path, COMPLETE)
    quoted = [NUMBERS[name]() for name in ("bench_phone_down_mbit", "bench_phone_up_kbit", "bench_phone_latency_ms")]
    assert quoted == ["1.6", "750", "150"]
