"""Long-lag recall: the task and the five models are what the pages say, one run is
deterministic, and the trained results back the pages' claims, with margins (read from the
shared cache: nothing here retrains what a build has trained)."""

import re
import statistics
import subprocess
import sys
from dataclasses import FrozenInstanceError, asdict
from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_explainer.cells import GRUCell, LSTMCell
from lstm_explainer.checks import InputError
from lstm_explainer.experiments import recall as experiment
from lstm_explainer.experiments import recall_task as task
from lstm_explainer.experiments.recall import CONFIG
from lstm_explainer.experiments.recall_models import OPEN, VARIANTS, RecallNet
from lstm_explainer.figures import recall as figures

PAGES = [Path(__file__).resolve().parents[1] / "docs" / "further" / name for name in ("forget-bias.md", "variants.md")]
H, D, K = CONFIG.hidden, len(CONFIG.vocabulary), len(CONFIG.symbols)


@pytest.fixture(scope="module")
def results():
    return experiment.results()


def bias_row(results, lag, bias):
    return experiment.find(results["bias"], lag=lag, memory_bias=bias)


def variant_row(results, variant, lag):
    return experiment.find(results["variants"], variant=variant, lag=lag)


# --- the task ---------------------------------------------------------------------------


def test_sequences_differ_only_in_the_first_symbol():
    xs, answers = task.sequences(7, CONFIG.symbols, CONFIG.filler)
    assert xs.shape == (8, K, D) and answers.tolist() == list(range(K))
    decoded = [task.decode(xs[:, k], CONFIG.vocabulary) for k in range(K)]
    assert decoded == [[s] + [CONFIG.filler] * 7 for s in CONFIG.symbols]
    assert torch.equal(xs[1:, 0], xs[1:, 1])


@pytest.mark.parametrize("lag", [0, -3, 2.5, True, "20"])
def test_a_bad_lag_is_a_one_sentence_error(lag):
    with pytest.raises(InputError, match="lag must be a whole number of steps, at least 1"):
        task.sequences(lag, CONFIG.symbols, CONFIG.filler)


@pytest.mark.parametrize("symbols, filler", [(("A",), "."), (("A", "A"), "."), (("A", "B"), "B")])
def test_a_filler_among_the_symbols_or_too_few_symbols_is_a_one_sentence_error(symbols, filler):
    with pytest.raises(InputError, match="two or more distinct symbols and a filler that is none of them"):
        task.sequences(3, symbols, filler)


def test_solved_needs_every_answer_at_the_threshold():
    answers = torch.tensor([0, 1])
    threshold = CONFIG.solved_probability
    margin = float(np.log(threshold / (1 - threshold)))
    assert task.solved(torch.tensor([[margin + 0.01, 0.0], [0.0, margin + 0.01]]), answers, threshold)
    assert not task.solved(torch.tensor([[margin + 0.01, 0.0], [0.0, margin - 0.01]]), answers, threshold)
    # the worst answer is the one measure: training stops on it, and solved is it against the threshold
    logits = torch.tensor([[margin + 0.01, 0.0], [0.0, margin - 0.01]], requires_grad=True)
    assert task.worst_probability(logits, answers) == pytest.approx(1 / (1 + np.exp(-(margin - 0.01))))


# --- the settings -------------------------------------------------------------------------


def test_the_settings_are_one_frozen_config_the_jobs_get_whole():
    with pytest.raises(FrozenInstanceError):
        CONFIG.hidden = 16
    settings = asdict(CONFIG)
    assert settings["seeds"] == (0, 1, 2, 3, 4) and settings["variants"] == VARIANTS
    assert experiment.RecallConfig(**settings) == CONFIG
    # every run of both studies, and only those, with the config in its settings
    runs = experiment.bias_settings() + experiment.variant_settings()
    assert len(runs) == len(CONFIG.seeds) * (len(CONFIG.bias_lags) * len(CONFIG.bias_settings)
                                             + len(CONFIG.variants) * len(CONFIG.variant_lags))  # fmt: skip
    assert {(r["variant"], r["memory_bias"]) for r in experiment.variant_settings()} == {
        (v, None if v == "no_forget" else CONFIG.variant_memory_bias) for v in VARIANTS}


# --- the models -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "gru"])
def test_lstm_variants_equal_our_numpy_cell_with_their_gate_held(variant):
    torch.manual_seed(3)
    model = RecallNet(variant, D, H, K, memory_bias=1.0).double()
    xs = torch.nn.functional.one_hot(torch.randint(0, D, (30, 2)), D).double()
    h = experiment.last_states(model, xs)
    for k in range(2):
        trace = experiment.numpy_cell(model).run(xs[:, k].numpy())
        assert np.allclose(h[k], trace.h[-1], atol=1e-12, rtol=0)
        if variant == "no_forget":
            assert np.all(trace.f == 1.0)
            # so the cell state only adds: c_t = c_{t-1} + i_t * g_t
            assert np.allclose(np.diff(trace.c, axis=0), (trace.i * trace.g)[1:], atol=1e-12)
        if variant == "no_output":
            assert np.all(trace.o == 1.0)
            assert np.allclose(trace.h, np.tanh(trace.c), atol=1e-15)
        if variant == "cifg":
            assert np.allclose(trace.f, 1.0 - trace.i, atol=1e-15)


def test_an_open_gate_is_exactly_one_in_float32_and_float64():
    for dtype in (torch.float32, torch.float64):
        assert torch.sigmoid(torch.tensor(OPEN, dtype=dtype)).item() == 1.0
    # and in torch's LSTM kernel itself: with f open and no input gate, c never changes
    model = RecallNet("no_forget", D, H, K, memory_bias=0.0)
    with torch.no_grad():
        model.tensors()["bias_ih"][:H] = -OPEN  # i = 0 exactly
        xs = torch.nn.functional.one_hot(torch.arange(100).reshape(50, 2) % D, D).float()
        weights = model.kernel_weights()
        zeros = torch.zeros(1, 2, H)
        c0 = 1.0 + torch.rand(1, 2, H, generator=torch.Generator().manual_seed(0))  # away from 0
        _, _, c = torch.lstm(xs, (zeros, c0), weights, True, 1, 0.0, False, False, False)
    assert torch.equal(c, c0)


def test_the_numpy_gru_equals_torch_gru():
    torch.manual_seed(1)
    model = RecallNet("gru", D, H, K, memory_bias=1.0).double()
    xs = torch.nn.functional.one_hot(torch.randint(0, D, (25, 2)), D).double()
    h = experiment.last_states(model, xs)
    cell = experiment.numpy_cell(model)
    assert isinstance(cell, GRUCell)
    for k in range(2):
        trace = cell.run(xs[:, k].numpy())
        assert np.allclose(trace.h[-1], h[k], atol=1e-12, rtol=0)
        assert np.all((trace.z > 0) & (trace.z < 1))
    # retention is the product of the update gate over the fillers, for the unit that keeps most
    z = cell.run(xs[:, 0].numpy()).z
    assert experiment.retention(model, xs[:, 0]) == np.prod(z[1:], axis=0).max()


@pytest.mark.parametrize("variant", VARIANTS)
def test_memory_bias_is_split_as_the_pages_say(variant):
    torch.manual_seed(0)
    model = RecallNet(variant, D, H, K, memory_bias=1.0)
    w_ih, w_hh, b_ih, b_hh = (w.detach() for w in model.kernel_weights())
    block = {"lstm": 1, "cifg": 1, "no_output": 1, "gru": 1, "no_forget": None}[variant]  # f, or z for the GRU
    if block is None:
        assert torch.all(b_ih[H : 2 * H] == OPEN) and not w_ih[H : 2 * H].any() and not w_hh[H : 2 * H].any()
    else:
        assert torch.all(b_ih[block * H : (block + 1) * H] == 1.0)
        assert torch.all(b_hh[block * H : (block + 1) * H] == 0.0)
    # everything learned and not set keeps PyTorch's uniform +-1/sqrt(H)
    assert w_hh.abs().max() <= 1 / np.sqrt(H)


def test_parameter_counts():
    per_block = H * (D + H + 2)
    readout = K * H + K
    for variant in VARIANTS:
        blocks = 4 if variant == "lstm" else 3
        assert RecallNet(variant, D, H, K, 1.0).parameter_count == blocks * per_block + readout


def test_an_unknown_variant_is_a_one_sentence_error():
    with pytest.raises(InputError, match="variant must be one of lstm, no_forget"):
        RecallNet("peephole", D, H, K, 1.0)


def test_one_run_is_deterministic():
    settings = dict(config=asdict(CONFIG), variant="cifg", lag=5, memory_bias=1.0, seed=2)
    first, second = experiment.train(**settings), experiment.train(**settings)
    assert first == second
    assert first["solved"] and first["curve"]


# --- the forget-bias page's claims ----------------------------------------------------


def test_every_setting_ran_every_seed(results):
    for row in results["bias"] + results["variants"]:
        assert row["seeds"] == list(CONFIG.seeds) and row["runs"] == len(CONFIG.seeds)


def test_bias_one_solves_at_least_as_often_at_every_lag(results):
    for lag in CONFIG.bias_lags:
        assert bias_row(results, lag, 1.0)["solved"] >= bias_row(results, lag, 0.0)["solved"]


def test_at_lag_20_both_solve_and_bias_one_is_several_times_faster(results):
    low, high = bias_row(results, 20, 0.0), bias_row(results, 20, 1.0)
    assert low["solved"] == high["solved"] == 5
    assert high["median_updates"] * 2.5 <= low["median_updates"]


def test_at_lag_50_only_bias_one_solves(results):
    assert bias_row(results, 50, 0.0)["solved"] == 0
    assert bias_row(results, 50, 1.0)["solved"] >= 3


def test_at_lag_100_neither_solves(results):
    assert bias_row(results, 100, 0.0)["solved"] == bias_row(results, 100, 1.0)["solved"] == 0


def test_solving_goes_with_an_open_forget_gate(results):
    runs = [(e, u) for row in results["bias"] for e, u in zip(row["retention_end"], row["updates"])]
    solved = min(e for e, u in runs if u is not None)
    failed = max(e for e, u in runs if u is None)
    assert solved > 100 * failed  # two orders of magnitude apart, not a close call


def test_bias_one_starts_with_more_memory_at_every_lag(results):
    for lag in CONFIG.bias_lags:
        low, high = (statistics.median(bias_row(results, lag, b)["retention_start"]) for b in (0.0, 1.0))
        assert high > 100 * low


def test_at_lag_100_the_sequences_start_nearly_indistinguishable(results):
    for bias in (0.0, 1.0):
        row = bias_row(results, 100, bias)
        assert max(row["separation_start"]) < 1e-5
        assert sum(v == 0 for v in row["separation_start"]) >= 1
    assert min(bias_row(results, 20, 1.0)["separation_start"]) > 1e-5


def test_at_lag_50_bias_zero_leaves_the_sequences_a_rounding_step_apart(results):
    low, high = bias_row(results, 50, 0.0), bias_row(results, 50, 1.0)
    widest = max(range(low["runs"]), key=lambda k: low["separation_start"][k])
    assert low["separation_start"][widest] > 0 and low["separation_start_steps"][widest] == 1
    assert sum(v <= 1 for v in low["separation_start_steps"]) >= 3
    assert min(high["separation_start_steps"]) >= 50
    assert max(high["separation_start"]) > 1000 * max(low["separation_start"])


def test_solved_runs_leave_the_plateau_quickly(results):
    climbs = [u for b in CONFIG.bias_settings for u in bias_row(results, figures.CURVE_LAG, b)["climb_updates"]
              if u is not None]  # fmt: skip
    assert climbs and max(climbs) <= 60
    # while the plateau itself lasts much longer: every solved run took several times its climb
    row = bias_row(results, figures.CURVE_LAG, 1.0)
    assert all(u >= 3 * c for u, c in zip(row["updates"], row["climb_updates"]) if u is not None)


def test_runs_that_fail_sit_at_a_guess(results):
    row = bias_row(results, 50, 0.0)
    assert all(abs(p - 0.5) <= 0.01 for p in row["final_probability"])


# --- the variants page's claims -------------------------------------------------------


def test_every_model_solves_every_seed_at_lag_20(results):
    for variant in VARIANTS:
        assert variant_row(results, variant, 20)["solved"] == len(CONFIG.seeds), variant


def test_at_lag_50_the_four_others_overlap_and_the_lstm_is_several_times_slower(results):
    """The page: the four others cannot be told apart (their seeds' ranges overlap pairwise); the
    LSTM's median is several times theirs, though its fastest seed is within their range."""
    ranges = {}
    for variant in figures.OTHERS:
        solved = [u for u in variant_row(results, variant, 50)["updates"] if u is not None]
        ranges[variant] = (min(solved), max(solved))
    for a in figures.OTHERS:
        for b in figures.OTHERS:
            assert ranges[a][0] <= ranges[b][1], (a, b)
    medians = {v: variant_row(results, v, 50)["median_updates"] for v in VARIANTS}
    assert all(m is not None for m in medians.values())
    assert all(medians[v] * 2.5 <= medians["lstm"] for v in figures.OTHERS)
    fastest_lstm = min(u for u in variant_row(results, "lstm", 50)["updates"] if u is not None)
    assert fastest_lstm <= max(hi for _, hi in ranges.values())


def test_the_1997_lstm_fails_one_seed_at_lag_50(results):
    row = variant_row(results, "no_forget", 50)
    assert row["runs"] - row["solved"] == 1


def test_the_1997_lstm_beats_bias_one_at_lag_50(results):
    """The forget-bias page: the large-bias limit solves lag 50 several times faster than bias 1."""
    assert variant_row(results, "no_forget", 50)["median_updates"] * 3 <= bias_row(results, 50, 1.0)["median_updates"]


def test_cifg_and_gru_solve_every_seed_and_start_near_the_lstm(results):
    lstm = statistics.median(variant_row(results, "lstm", 50)["separation_start"])
    for variant in ("cifg", "gru"):
        for lag in CONFIG.variant_lags:
            assert variant_row(results, variant, lag)["solved"] == 5
        start = statistics.median(variant_row(results, variant, 50)["separation_start"])
        assert lstm / 10 < start < lstm * 10


def test_the_1997_lstm_starts_far_apart_and_fails_only_when_saturated(results):
    row = variant_row(results, "no_forget", 50)
    others = [statistics.median(variant_row(results, v, 50)["separation_start"]) for v in VARIANTS if v != "no_forget"]
    assert statistics.median(row["separation_start"]) > 10 * max(others)
    failed = [k for k, u in enumerate(row["updates"]) if u is None]
    solved = [k for k, u in enumerate(row["updates"]) if u is not None]
    assert failed and solved
    calmest = row["least_saturated_start"]
    assert min(calmest[k] for k in failed) > 3 * max(calmest[k] for k in solved)


# --- figures and pages ----------------------------------------------------------------


def test_importing_the_figure_module_computes_nothing():
    """Alt text, tables, drawings and numbers are functions of results read only when placed:
    an import with every way to the results broken still succeeds."""
    code = (
        "import lstm_explainer.experiments.recall as e\n"
        "def broken(*args, **kwargs): raise AssertionError('computed at import')\n"
        "e.results = e.run_jobs = e.train = broken\n"
        "import lstm_explainer.figures.recall as f\n"
        "assert all(callable(v) for v in f.NUMBERS.values()) and all(callable(v) for v in f.TABLES.values())\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])
    assert all(callable(spec.alt) and callable(spec.compute) for spec in figures.FIGURES)
    assert all(len(spec.alt_text()) > 80 for spec in figures.FIGURES)


def test_an_unknown_row_is_a_one_sentence_error(results):
    with pytest.raises(InputError, match="0 rows match"):
        experiment.find(results["bias"], lag=7, memory_bias=1.0)


def test_every_number_the_pages_quote_exists():
    numbers = figures.NUMBERS
    assert all(name.startswith("recall_") for name in numbers)
    for page in PAGES:
        text = page.read_text()
        quoted = set(re.findall(r"\{\{\s*(recall_[a-z0-9_]+)\s*\}\}", text))
        assert quoted, page.name
        assert quoted <= numbers.keys(), sorted(quoted - numbers.keys())
        assert all(isinstance(numbers[name](), str) and numbers[name]() for name in quoted)
        for name in re.findall(r'(?:figure|table)\("([a-z0-9-]+)"\)', text):
            assert name in [s.name for s in figures.FIGURES] or name in figures.TABLES
