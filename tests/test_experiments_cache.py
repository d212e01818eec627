"""The experiment cache: a job runs once, its key follows its code and settings."""

import importlib
import json
import sys

import pytest

from lstm_explainer import disk_cache
from lstm_explainer.experiments import cache

CALLS = []


def square(x):
    CALLS.append(x)
    return {"x": x, "square": x * x, "halves": [x / 2, x / 4]}


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_EXPLAINER_CACHE", str(tmp_path))
    CALLS.clear()
    return tmp_path


def test_a_job_runs_once_and_reads_back_the_same(store, capsys):
    first = cache.run_jobs(square, [{"x": 3}, {"x": 4}])
    again = cache.run_jobs(square, [{"x": 4}, {"x": 3}])
    assert CALLS == [3, 4]  # the second call computed nothing
    assert first == [{"x": 3, "square": 9, "halves": [1.5, 0.75]}, {"x": 4, "square": 16, "halves": [2.0, 1.0]}]
    assert again == first[::-1]
    assert len(list(store.glob("square-*.json"))) == 2
    assert not list(store.glob("*.tmp"))
    assert "square x=3" in capsys.readouterr().err  # progress on the terminal


def test_the_key_follows_settings_and_code(store):
    key = cache.job_key(square, {"x": 3})
    assert key == cache.job_key(square, {"x": 3})
    assert key != cache.job_key(square, {"x": 5})
    assert cache.job_key(square, {"x": 3}) != cache.job_key(cache.run_job, {"x": 3})


def test_the_code_hash_follows_imports_transitively():
    modules = disk_cache.dependencies("lstm_explainer.france")
    assert {"lstm_explainer.france", "lstm_explainer.cells", "lstm_explainer.checks", "lstm_explainer.france_weights"} <= modules
    assert "lstm_explainer.turnstile" not in modules
    assert disk_cache.code_hash("lstm_explainer.france") != disk_cache.code_hash("lstm_explainer.cells")


def test_a_result_that_is_not_json_is_refused_and_nothing_is_written(store):
    with pytest.raises(ValueError):
        cache.run_job(json.loads, s="NaN")  # NaN is not JSON
    assert not list(store.iterdir())


def test_a_local_function_cannot_be_cached(store):
    def local(x):
        return x

    with pytest.raises(ValueError, match="module-level"):
        cache.run_job(local, x=1)


def test_the_runner_names_every_experiment_and_refuses_unknown_ones(capsys):
    import pkgutil

    from lstm_explainer import experiments
    from lstm_explainer.experiments.__main__ import main

    with pytest.raises(SystemExit) as stop:
        main(["no-such-experiment"])
    assert stop.value.code == 2
    assert "unknown experiment 'no-such-experiment'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown experiment 'cache'"):
        experiments.experiment("cache")
    # every module of the package with results() is listed, and nothing else
    modules = {info.name for info in pkgutil.iter_modules(experiments.__path__)}
    for name in modules - {"__main__"}:
        module = importlib.import_module(f"lstm_explainer.experiments.{name}")
        assert (name in experiments.EXPERIMENTS) == callable(getattr(module, "results", None)), name


def test_deterministic_sets_one_thread_deterministic_kernels_and_the_seed():
    from lstm_explainer.experiments.seeding import deterministic

    torch = deterministic(7)
    first = torch.rand(3)
    assert torch.are_deterministic_algorithms_enabled() and torch.get_num_threads() == 1
    assert torch.equal(deterministic(7).rand(3), first)


def test_the_cache_machinery_is_no_dependency_of_what_it_keeps():
    modules = disk_cache.dependencies("lstm_explainer.experiments.gradient_flow")
    assert "lstm_explainer.experiments.seeding" in modules
    assert not modules & disk_cache.NOT_DEPENDENCIES
