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
    assert len(settings["seeds"]) >= 10 and settings["variants"] == VARIANTS
    assert experiment.RecallConfig(**settings) == CONFIG
    # every run of both studies, and only those, with the config in its settings
    runs = experiment.bias_settings() + experiment.variant_settings()
    others = len(CONFIG.variants) - 1
    assert len(runs) == len(CONFIG.seeds) * (len(CONFIG.bias_lags) * len(CONFIG.bias_settings)
                                             + others * len(CONFIG.variant_lags) + len(CONFIG.no_forget_lags))  # fmt: skip
    assert {(r["variant"], r["memory_bias"]) for r in experiment.variant_settings()} == {
        (v, None if v == "no_forget" else CONFIG.variant_memory_bias) for v in VARIANTS}
    assert {r.get("input_bias") for r in experiment.variant_settings() if r["variant"] == "lstm_low_input"} == {
        CONFIG.control_input_bias}


# --- the models -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "gru"])
def test_lstm_variants_equal_our_numpy_cell_with_their_gate_held(variant):
    torch.manual_seed(3)
    model = RecallNet(variant, D, H, K, memory_bias=1.0, input_bias=-1.0 if variant == "lstm_low_input" else None,
                      dtype=torch.float64)  # fmt: skip
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
    model = RecallNet(variant, D, H, K, memory_bias=1.0, input_bias=-1.0 if variant == "lstm_low_input" else None)
    w_ih, w_hh, b_ih, b_hh = (w.detach() for w in model.kernel_weights())
    block = {"lstm": 1, "cifg": 1, "no_output": 1, "gru": 1, "no_forget": None, "lstm_low_input": 1}[variant]
    if variant == "lstm_low_input":  # the control: the input gate's bias too
        assert torch.all(b_ih[:H] == -1.0) and torch.all(b_hh[:H] == 0.0)
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
        blocks = 4 if variant in ("lstm", "lstm_low_input") else 3
        bias = -1.0 if variant == "lstm_low_input" else None
        assert RecallNet(variant, D, H, K, 1.0, bias).parameter_count == blocks * per_block + readout


def test_the_input_bias_belongs_to_the_control_only():
    with pytest.raises(InputError, match="input-gate bias is set for lstm_low_input only"):
        RecallNet("lstm", D, H, K, 1.0, -1.0)
    with pytest.raises(InputError, match="input-gate bias is set for lstm_low_input only"):
        RecallNet("lstm_low_input", D, H, K, 1.0)


def test_a_float64_model_starts_from_the_float32_weights():
    torch.manual_seed(5)
    single = RecallNet("lstm", D, H, K, 0.0)
    torch.manual_seed(5)
    double = RecallNet("lstm", D, H, K, 0.0, dtype=torch.float64)
    assert double.flat.dtype == torch.float64
    assert torch.equal(double.flat.detach().float(), single.flat.detach())


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
    for row in results["float64"]:
        assert row["seeds"] == list(CONFIG.float64_seeds)


def test_every_claim_of_the_recall_pages_holds(results):
    for claim in figures.CLAIMS:
        values, holds = claim.evaluate()
        assert holds, (claim.name, values)


def test_a_false_claim_stops_the_page():
    from dataclasses import replace

    from lstm_explainer.claims import ClaimError

    claim = replace(figures.CLAIMS[0], holds=lambda v: False)
    with pytest.raises(ClaimError, match=claim.name):
        claim.sentence()


def test_verdicts_say_not_clear_when_p_is_not_below_005():
    a = {"solved": 6, "runs": 10}
    b = {"solved": 4, "runs": 10}
    assert figures.verdict(a, b).startswith("not a clear difference at this number of seeds")
    assert figures.verdict({"solved": 10, "runs": 10}, {"solved": 0, "runs": 10}).startswith("a clear difference")


def test_the_share_written_at_the_start_is_a_quarter_for_cifg_gru_and_the_control():
    assert figures.write_share("lstm") == 0.5
    for variant in ("cifg", "gru", "lstm_low_input"):
        assert abs(figures.write_share(variant) - 0.269) < 0.001


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
        claims = {claim.name: claim for claim in figures.CLAIMS}
        assert quoted <= numbers.keys() | claims.keys(), sorted(quoted - numbers.keys() - claims.keys())
        assert all(isinstance(numbers[name](), str) and numbers[name]() for name in quoted if name in numbers)
        for name in re.findall(r'(?:figure|table)\("([a-z0-9-]+)"\)', text):
            assert name in [s.name for s in figures.FIGURES] or name in figures.TABLES
