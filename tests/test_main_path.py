"""The main path's numbers against independent computation: BPTT and clipping against torch
autograd and ``clip_grad_norm_``, the readout against the France LSTM's trace, the GRU latch
against ``torch.nn.GRUCell``; and every page of the slice renders with its claims holding."""

from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_explainer.france import SENTENCE, FranceLSTM
from lstm_explainer.france_weights import UNITS, VOCAB
from lstm_explainer.figures import gru_diagram, main_path
from lstm_explainer.sitegen import pages

DOCS = Path(__file__).resolve().parents[1] / "docs"


# --- backpropagation through time -----------------------------------------------------------


def autograd_bptt(rho):
    """dL/dh_t for every t and dL/dW_hh, by torch autograd through torch.nn.RNNCell."""
    cell, trace, u = main_path.tanh_rnn(rho)
    module = cell.to_torch()
    h = torch.zeros(cell.hidden_size, dtype=torch.float64)
    hs = []
    for x in torch.tensor(trace.x):
        h = module(x[None], h[None])[0]
        h.retain_grad()
        hs.append(h)
    loss = torch.tensor(u) @ hs[-1]
    loss.backward()
    grad_h = np.array([hs[t].grad.numpy() for t in range(len(hs) - 1, -1, -1)])  # lag 0 first
    return module, grad_h, module.weight_hh.grad.numpy().copy()


@pytest.mark.parametrize("rho", main_path.CONFIG.radii)
def test_bptt_is_autograd(rho):
    cell, trace, u = main_path.tanh_rnn(rho)
    ours = main_path.bptt(cell, trace, u)
    module, grad_h, grad_weight_hh = autograd_bptt(rho)
    np.testing.assert_allclose(ours["grad_h"], grad_h, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ours["grad_weight_hh"], grad_weight_hh, rtol=1e-10, atol=1e-14)
    # the run itself is torch's
    with torch.no_grad():
        h = torch.zeros(cell.hidden_size, dtype=torch.float64)
        for t, x in enumerate(torch.tensor(trace.x)):
            h = module(x[None], h[None])[0]
            np.testing.assert_allclose(trace.h[t], h.numpy(), rtol=1e-12, atol=1e-13)


def test_recurrent_weight_has_every_singular_value_rho():
    for rho in main_path.CONFIG.radii:
        cell, _, _ = main_path.tanh_rnn(rho)
        np.testing.assert_allclose(np.linalg.svd(cell.weight_hh, compute_uv=False), rho, rtol=1e-12)


def test_ratios_shrink_below_one_and_grow_above():
    lags = main_path.gradient_lags()
    low, one, high = sorted(main_path.CONFIG.radii)
    assert lags[low]["ratios"][-1] < 1e-3 < lags[one]["ratios"][-1] < 1 < 10 < lags[high]["ratios"][-1]
    # with slopes at most 1, lag k can never exceed rho^k for the smallest rho
    k = np.arange(main_path.CONFIG.steps)
    assert np.all(np.array(lags[low]["ratios"]) <= low**k * (1 + 1e-12))


def test_clipping_is_torchs():
    grad = main_path.gradient_lags()[main_path.largest_radius()]["grad_weight_hh"]
    tensor = torch.zeros_like(torch.tensor(grad), requires_grad=True)
    tensor.grad = torch.tensor(grad)
    total = torch.nn.utils.clip_grad_norm_([tensor], main_path.CONFIG.clip_norm)
    np.testing.assert_allclose(main_path.clip_by_norm(grad, main_path.CONFIG.clip_norm), tensor.grad.numpy(), rtol=1e-12)
    assert float(total) == pytest.approx(main_path.clipping()["norm_before"], rel=1e-12)
    small = 0.1 * grad / np.linalg.norm(grad)
    np.testing.assert_array_equal(main_path.clip_by_norm(small, main_path.CONFIG.clip_norm), small)  # short: unchanged
    assert main_path.clipping()["cosine"] == pytest.approx(1.0, abs=1e-12)


def test_forget_bias_numbers():
    assert main_path.forget_keep(1.0) == pytest.approx(float(torch.sigmoid(torch.tensor(1.0, dtype=torch.float64))))
    assert main_path.forget_keep(1.0, 20) == pytest.approx(main_path.forget_keep(1.0) ** 20)
    assert main_path.forget_keep(main_path.bias_to_keep(0.5, 20), 20) == pytest.approx(0.5, rel=1e-12)
    assert main_path.NUMBERS["forget_one_keep_pct"]() == "73.1 %"  # sigma(1) = 0.7311


# --- the readout ------------------------------------------------------------------------------


def test_readout_is_the_models():
    data = main_path.readout_at_her()
    trace = FranceLSTM().trace(SENTENCE)
    t = trace.tokens.index("her")
    np.testing.assert_allclose(data["logits"], trace.logits[t], rtol=1e-13)
    np.testing.assert_allclose(data["probs"], trace.probs[t], rtol=1e-12)
    logits = torch.tensor(data["readout"]) @ torch.tensor(trace.cell.h[t])
    np.testing.assert_allclose(data["probs"], torch.softmax(logits, 0).numpy(), rtol=1e-12)
    assert main_path.readout_word(1) == trace.top(t, 1)[0][0]


def test_readout_table_terms_add_up_to_each_logit():
    data = main_path.readout_at_her()
    table = main_path.readout_table()
    for row in table.rows[: main_path.READOUT_SHOWN]:
        terms = [term.split(" (")[0].split(" × ") for term in row[1].split(" + ")]
        assert sum(float(a) * float(b) for a, b in terms) == pytest.approx(float(row[2]), abs=0.01)
    assert table.rows[-1][-1] == "1.00"
    assert float(table.rows[-1][3]) == pytest.approx(data["shifted"].sum(), abs=1e-3)


def test_the_cell_remembers_female_that_the_output_hides():
    data = main_path.readout_at_her()
    assert data["c"]["female"] > 0.9 and abs(data["h"]["female"]) < 0.01
    assert set(u for u, v in data["h"].items() if abs(v) >= 0.01) <= set(UNITS)
    assert len(VOCAB) == len(data["probs"])


# --- the GRU latch ----------------------------------------------------------------------------


def test_latch_is_torchs_gru_cell():
    cell = gru_diagram.latch_cell()
    trace = gru_diagram.latch_trace()
    module = cell.to_torch()
    h = torch.zeros(1, dtype=torch.float64)
    with torch.no_grad():
        for t, x in enumerate(torch.tensor(trace.x)):
            h = module(x[None], h[None])[0]
            np.testing.assert_allclose(trace.h[t], h.numpy(), rtol=1e-12)


def test_latch_keeps_on_distraction_and_replaces_on_write():
    steps = gru_diagram.gru_steps()
    for s in steps:
        if s["write"]:
            assert s["z"] < 0.01 and np.sign(s["h"]) == np.sign(s["value"])
        else:
            assert s["z"] > 0.99 and abs(s["h"] - s["h_prev"]) < 0.01
    shown = steps[gru_diagram.SHOWN_STEP]
    assert shown["write"] == 1 and np.sign(shown["h_prev"]) != np.sign(shown["h"])


def test_candidate_without_reset_by_torch():
    cell = gru_diagram.latch_cell()
    trace = gru_diagram.latch_trace()
    t = gru_diagram.SHOWN_STEP
    w_in, w_hn = torch.tensor(cell.weight_ih[2]), torch.tensor(cell.weight_hh[2])
    x, h_prev = torch.tensor(trace.x[t]), torch.tensor(trace.h_prev[t])
    expected = torch.tanh(w_in @ x + cell.bias_ih[2] + w_hn @ h_prev + cell.bias_hh[2])
    assert gru_diagram.without_reset(trace, t) == pytest.approx(float(expected), rel=1e-12)
    assert abs(gru_diagram.without_reset(trace, t)) < 0.2 < abs(trace.n[t, 0])


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["why-rnns-forget.md", "readout.md", "gru.md", "lstm-cell.md"])
def test_page_renders_every_placeholder(page):
    text = pages.expand((DOCS / page).read_text(), "", f"docs/{page}")
    assert "{{" not in text


def test_claims_hold():
    for claim in main_path.CLAIMS:
        assert claim.evaluate()[1], claim.name
