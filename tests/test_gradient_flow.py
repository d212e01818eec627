"""Gradient flow: the cells are built as the page says, the torch step is torch's LSTMCell, and
the measured gradients back the page's claims, with margins."""

import re
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_explainer.cells import sigmoid
from lstm_explainer.checks import InputError
from lstm_explainer.experiments import gradient_flow as experiment
from lstm_explainer.figures import gradient_flow as figures
from lstm_explainer.france import SENTENCE, VARIANTS, FranceLSTM

PAGE = Path(__file__).resolve().parents[1] / "docs" / "further" / "gradient-flow.md"
CONFIG = experiment.CONFIG


@pytest.fixture(scope="module")
def results():
    return experiment.results()


def median(results, kind, lag):
    return results["cells"][kind]["p50"][lag]


# --- the cells -------------------------------------------------------------------------


def test_irnn_is_identity_with_zero_biases():
    module = experiment.build_cell("irnn", torch)
    assert module.nonlinearity == "relu"
    assert torch.equal(module.weight_hh_l0, torch.eye(CONFIG.hidden, dtype=torch.float64))
    assert not module.bias_ih_l0.any() and not module.bias_hh_l0.any()


@pytest.mark.parametrize("kind, bias", [("lstm_bias0", 0.0), ("lstm_bias1", 1.0)])
def test_lstm_forget_bias_is_split_as_stated(kind, bias):
    torch.manual_seed(0)
    module = experiment.build_cell(kind, torch)
    H = CONFIG.hidden
    forget = slice(H, 2 * H)
    assert torch.all(module.bias_ih_l0[forget] == bias)
    assert torch.all(module.bias_hh_l0[forget] == 0)
    # the other gates keep PyTorch's default: uniform in +-1/sqrt(H), not all zero
    others = torch.cat([module.bias_ih_l0[:H], module.bias_hh_l0[2 * H :]])
    assert others.abs().max() <= 1 / np.sqrt(H) and others.abs().max() > 0


def test_unknown_kind_and_variant_are_one_sentence_errors():
    with pytest.raises(InputError, match="the kinds are: tanh_rnn"):
        experiment.build_cell("lstm2", torch)
    with pytest.raises(InputError, match="the variants are"):
        experiment.france_gradients("no_gates", asdict(CONFIG))


def test_a_fresh_run_gives_the_cached_result(results):
    """The job run now, in this process, equals the result the cache holds (made by another process)."""
    seed = CONFIG.seeds[3]
    assert experiment.lag_profile("gru", seed, asdict(CONFIG)) == results["cells"]["gru"]["seeds"][3]


# --- the torch step --------------------------------------------------------------------


def test_torch_step_is_torch_lstm_cell():
    model = FranceLSTM()
    tokens = model.tokenize(SENTENCE)
    _, cell, _ = model.to_torch()
    cs, hs, _, _ = experiment.france_run("standard", tokens)
    state = None
    with torch.no_grad():
        for t, x in enumerate(torch.tensor(model.encode(tokens))):
            state = cell(x[None], state)
            assert torch.allclose(state[0][0], hs[t], rtol=0, atol=1e-12)
            assert torch.allclose(state[1][0], cs[t], rtol=0, atol=1e-12)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_torch_step_holds_gates_as_the_numpy_cell_does(variant):
    model = FranceLSTM()
    trace = model.trace(SENTENCE, variant=variant)
    cs, hs, _, _ = experiment.france_run(variant, trace.tokens)
    np.testing.assert_allclose(torch.stack(cs).detach().numpy(), trace.cell.c, rtol=0, atol=1e-12)
    np.testing.assert_allclose(torch.stack(hs).detach().numpy(), trace.cell.h, rtol=0, atol=1e-12)


# --- the measurements back the page ----------------------------------------------------


def test_settings_are_what_the_brief_asks(results):
    assert len(CONFIG.seeds) >= 20
    assert CONFIG.max_lag >= 100
    for kind in experiment.CELLS:
        seeds = np.array(results["cells"][kind]["seeds"])
        assert seeds.shape == (len(CONFIG.seeds), CONFIG.max_lag + 1)
        assert np.all(seeds[:, 0] == 1.0)
        assert np.all(seeds > 0), "float64 keeps every ratio above zero"


def test_irnn_keeps_far_more_than_the_tanh_rnn(results):
    lag = figures.QUOTED_LAG
    assert median(results, "irnn", lag) > 0.1
    assert median(results, "tanh_rnn", lag) < 1e-6
    # not only the medians: the IRNN's worst seeds beat the tanh RNN's best ones
    assert results["cells"]["irnn"]["p10"][lag] > 1e4 * results["cells"]["tanh_rnn"]["p90"][lag]


def test_forget_bias_1_keeps_more_than_bias_0(results):
    lag = figures.QUOTED_LAG
    assert median(results, "lstm_bias1", lag) > 100 * median(results, "lstm_bias0", lag)
    assert results["cells"]["lstm_bias1"]["p10"][lag] > 10 * results["cells"]["lstm_bias0"]["p90"][lag]


def test_the_ranking_at_the_quoted_lag(results):
    """IRNN, then LSTM bias 1, then GRU and LSTM bias 0 (alike), then tanh RNN, as the page lists."""
    m = {kind: median(results, kind, figures.QUOTED_LAG) for kind in experiment.CELLS}
    assert m["irnn"] > m["lstm_bias1"] > max(m["gru"], m["lstm_bias0"])
    assert min(m["gru"], m["lstm_bias0"]) > m["tanh_rnn"]


def test_the_gru_behaves_like_the_lstm_with_bias_0(results):
    """Medians within a factor of 2 at the quoted lag, per-step factors within 0.02."""
    cells = results["cells"]
    assert 0.5 < median(results, "gru", figures.QUOTED_LAG) / median(results, "lstm_bias0", figures.QUOTED_LAG) < 2
    assert abs(cells["gru"]["per_step"] - cells["lstm_bias0"]["per_step"]) < 0.02
    # and far from the next cell either side
    assert cells["lstm_bias1"]["per_step"] > cells["gru"]["per_step"] + 0.1
    assert cells["tanh_rnn"]["per_step"] < cells["gru"]["per_step"] - 0.02


def test_per_step_is_the_geometric_mean_over_the_second_half(results):
    p50 = results["cells"]["irnn"]["p50"]
    half = CONFIG.max_lag // 2
    assert results["cells"]["irnn"]["per_step"] ** (CONFIG.max_lag - half) == pytest.approx(
        p50[-1] / p50[half], rel=1e-9)


def test_the_lstm_keeps_more_than_its_typical_forget_gate_alone(results):
    lag = figures.QUOTED_LAG
    for kind, bias in (("lstm_bias0", 0.0), ("lstm_bias1", 1.0)):
        assert median(results, kind, lag) > 10 * float(sigmoid(np.float64(bias))) ** lag


def test_the_irnn_band_passes_one(results):
    assert max(results["cells"]["irnn"]["p90"]) > 1.0


def test_every_median_falls_over_the_lags(results):
    for kind in experiment.CELLS:
        p50 = np.array(results["cells"][kind]["p50"])
        assert p50[-1] < p50[10] < p50[0] == 1.0


# --- the France LSTM -------------------------------------------------------------------


def test_the_gradient_through_but_collapses_for_eating_only(results):
    std, kept = results["france"]["standard"], results["france"]["forget_kept_at_but"]
    tokens = std["tokens"]
    ate, but = tokens.index("ate"), tokens.index("but")
    eating = std["paths"]["eating"]["values"]
    assert eating[but - 1 - ate] > 0.99
    assert eating[but - ate] < 0.01 and eating[-1] < 0.01
    assert kept["paths"]["eating"]["values"][-1] > 0.95
    assert std["paths"]["seen_france"]["values"][-1] > 0.95


def test_autograd_agrees_with_the_product_of_forget_gates(results):
    """With W_hh = 0 the only path back is the cell state: dc_s/dc_r is the product of the f's."""
    unit = FranceLSTM.units.index("eating")
    for variant in CONFIG.france_variants:
        f = FranceLSTM().trace(SENTENCE, variant=variant).cell.f[:, unit]
        path = results["france"][variant]["paths"]["eating"]
        start = path["start"]
        expected = [np.prod(f[start + 1 : s + 1]) for s in range(start, len(f))]
        np.testing.assert_allclose(path["values"], expected, rtol=1e-12)
        row = results["france"][variant]["jacobian_rows"]["eating"]
        assert all(v == 0 for k, v in enumerate(row) if k != unit)


def test_the_loss_reaches_ate_only_without_the_forget(results):
    unit = FranceLSTM.units.index("eating")
    std, kept = results["france"]["standard"], results["france"]["forget_kept_at_but"]
    assert std["loss_word"]["target"] == "wine"
    assert abs(std["loss_grad"][unit]) < 0.01
    assert kept["loss_grad"][unit] > 100 * abs(std["loss_grad"][unit])
    assert kept["loss"] > std["loss"] + 0.5


# --- figures and page ------------------------------------------------------------------


def test_importing_the_figure_module_computes_nothing():
    """Alt text and numbers are functions, called only when the figure or number is placed."""
    assert all(callable(spec.alt) for spec in figures.FIGURES)
    assert all(callable(number) for number in figures.NUMBERS.values())
    assert all(len(spec.alt_text()) > 80 for spec in figures.FIGURES)


def test_every_number_of_the_page_is_a_fact():
    numbers = figures.NUMBERS
    assert all(name.startswith("gradflow_") for name in numbers)
    used = set(re.findall(r"\{\{\s*(gradflow_[a-z0-9_]+)\s*\}\}", PAGE.read_text()))
    assert used and used <= numbers.keys(), sorted(used - numbers.keys())
    assert all(isinstance(numbers[name](), str) and numbers[name]() for name in used)
