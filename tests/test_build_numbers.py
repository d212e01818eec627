"""The pages quote the last benchmark run; it must know every experiment and every section."""

from lstm_explainer.sitegen import build_numbers


def test_the_last_benchmark_run_has_every_number_the_pages_quote():
    missing = [name for name, value in build_numbers.facts().items() if value == build_numbers.NOT_MEASURED]
    assert not missing, f"benchmarks/last-run.json lacks {', '.join(missing)}: run scripts/benchmark"


def test_the_benchmark_tables_have_rows():
    for name, table in build_numbers.TABLES.items():
        assert table().rows, name
