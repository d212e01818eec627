r"""How much gradient reaches back through time: autograd on real torch cells.

**The measure.** A cell reads a random input sequence $x_1, \dots, x_T$ (each entry drawn
from $\mathcal N(0, 1)$) from a zero state; the loss is read at the last step only,
$L = u^\top h_T$, with $u$ a random direction. For every lag $k = T - t$ we take the norm
of the gradient of $L$ with respect to the input at step $t$, relative to the same norm at
lag 0:

$$
r(k) = \frac{\lVert \partial L / \partial x_{T-k} \rVert}{\lVert \partial L / \partial x_T \rVert}.
$$

The input is the one thing every architecture shares, so $r(k)$ compares them on equal
terms; it counts every path from $x_{T-k}$ to $L$ (through $h$, and through $c$ for the
LSTM). The sequence starts with ``burn_in`` steps that are not measured, so the state has left
zero before the first measured step. One job is one cell kind and one seed: the seed draws
the cell's initial weights (PyTorch's defaults apart from the changes below), the inputs
and $u$. Everything is float64, whose smallest normal number ($2 \times 10^{-308}$) lies far
below any ratio measured here, so no ratio is rounded to 0.

Every setting is a field of `GradientFlowConfig` (the module's `CONFIG`); the jobs receive
it as ``dataclasses.asdict(CONFIG)``, so it is part of their cache key, and the page quotes
it from there.

**The cells** (``torch.nn.RNN``, ``torch.nn.LSTM``, ``torch.nn.GRU``, one layer):

* ``tanh_rnn``: the Elman RNN with tanh, PyTorch's default initialisation;
* ``irnn``: a ReLU RNN with ``weight_hh`` the identity and both biases 0 (Le, Jaitly &
  Hinton 2015, "A Simple Way to Initialize Recurrent Networks of Rectified Linear Units");
  ``weight_ih`` keeps PyTorch's default;
* ``lstm_bias0`` and ``lstm_bias1``: an LSTM whose forget-gate bias is exactly 0 or 1: the
  forget rows of ``bias_ih`` (rows ``H:2H``, order i, f, g, o) are set to that value and the
  forget rows of ``bias_hh`` to 0, so their sum, the bias the gate sees, is the stated value
  (`set_forget_bias`)
  (Gers, Schmidhuber & Cummins 2000 introduced the gate; Jozefowicz, Zaremba & Sutskever
  2015 recommend the bias 1);
* ``gru``: the GRU (Cho et al. 2014), PyTorch's default initialisation.

**The France LSTM.** `france_gradients` runs the hand-set cell of `lstm_explainer.france`
through autograd, with a torch step (`torch_step`) that computes the very equations of
``torch.nn.LSTMCell`` and can hold a gate at a value, as ``LSTMCell.run(held=...)`` does.
It asks how much of a change to a unit's cell state at the word that wrote it still reaches
that unit at every later word, $\partial c_s / \partial c_r$, and how much of the gradient of
the next-word loss at "the" (the next word is "wine") reaches the `eating` unit at "ate".
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

import numpy as np

from ..checks import InputError
from ..france import SENTENCE, FranceLSTM, VARIANTS, held_gates
from . import seeding
from .cache import run_jobs

CELLS = {
    "tanh_rnn": "tanh RNN",
    "irnn": "IRNN (ReLU, identity init)",
    "lstm_bias0": "LSTM, forget bias 0",
    "lstm_bias1": "LSTM, forget bias 1",
    "gru": "GRU",
}
"""The cell kinds measured, with their names on the page."""


@dataclass(frozen=True)
class GradientFlowConfig:
    """Every setting of the experiment (sizes in units, lags in steps)."""

    seeds: tuple[int, ...] = tuple(range(20))
    """Random initialisations per cell kind."""
    hidden: int = 64
    """Hidden units of every cell."""
    input: int = 8
    """Input features."""
    burn_in: int = 20
    """Steps read before the first measured one, so the state is no longer the zero it started at."""
    max_lag: int = 100
    """The longest lag measured: the inputs of the last ``max_lag + 1`` steps are measured."""
    percentiles: tuple[int, ...] = (10, 50, 90)
    """The band (10th to 90th percentile over seeds) and the median."""
    france_variants: tuple[str, ...] = ("standard", "forget_kept_at_but")
    """The France variants whose gradients are measured."""
    france_paths: tuple[tuple[str, str], ...] = (("eating", "ate"), ("seen_france", "france"))
    """(unit, the word that writes it): the cell-state paths followed in the France LSTM."""
    loss_prefix_end: str = "the"
    """The loss of the France LSTM is read after the last such word of the sentence (its next word is 'wine')."""

    @classmethod
    def from_settings(cls, settings: dict) -> GradientFlowConfig:
        """The config a job receives as ``dataclasses.asdict`` (lists, after JSON, read as tuples)."""

        def frozen(value):
            return tuple(frozen(v) for v in value) if isinstance(value, (list, tuple)) else value

        return cls(**{name: frozen(value) for name, value in settings.items()})


CONFIG = GradientFlowConfig()
"""The settings the page's results are computed with."""


def set_forget_bias(lstm, bias: float) -> None:
    """Make the forget gate of a one-layer ``torch.nn.LSTM`` see exactly ``bias``, in place.

    PyTorch adds ``bias_ih`` and ``bias_hh``; the forget gate's rows are ``H:2H`` (blocks in
    the order i, f, g, o). The whole value goes into ``bias_ih`` and 0 into ``bias_hh``, so
    their sum is ``bias`` (the convention of `lstm_explainer.experiments.recall_models` too).
    """
    H = lstm.hidden_size
    # f_t = sigma(W_if x_t + b_if + W_hf h_{t-1} + b_hf), with b_if = bias, b_hf = 0
    lstm.bias_ih_l0[H : 2 * H].fill_(bias)
    lstm.bias_hh_l0[H : 2 * H].zero_()


def build_cell(kind: str, torch, hidden: int = CONFIG.hidden, inputs: int = CONFIG.input):
    """A float64 torch module of ``kind`` (one of `CELLS`, else `InputError`) with ``hidden``
    units reading ``inputs`` features, initialised as the module docstring says."""
    if kind not in CELLS:
        raise InputError(f"unknown cell kind {kind!r}; the kinds are: {', '.join(CELLS)}.")
    if kind in ("tanh_rnn", "irnn"):
        module = torch.nn.RNN(inputs, hidden, nonlinearity="tanh" if kind == "tanh_rnn" else "relu",
                              dtype=torch.float64)  # fmt: skip
    elif kind.startswith("lstm"):
        module = torch.nn.LSTM(inputs, hidden, dtype=torch.float64)
    else:
        module = torch.nn.GRU(inputs, hidden, dtype=torch.float64)
    with torch.no_grad():
        if kind == "irnn":
            # W_hh = I, b_ih = b_hh = 0
            module.weight_hh_l0.copy_(torch.eye(hidden, dtype=torch.float64))
            module.bias_ih_l0.zero_()
            module.bias_hh_l0.zero_()
        elif kind.startswith("lstm"):
            set_forget_bias(module, 1.0 if kind == "lstm_bias1" else 0.0)
    return module


def lag_profile(kind: str, seed: int, config: dict) -> list[float]:
    """$r(k)$ for $k = 0, \\dots,$ ``max_lag``, for one cell of ``kind`` initialised with ``seed``.

    ``config`` is ``dataclasses.asdict`` of a `GradientFlowConfig`.
    """
    config = GradientFlowConfig.from_settings(config)
    torch = seeding.deterministic(seed)
    module = build_cell(kind, torch, config.hidden, config.input)
    steps = config.burn_in + config.max_lag + 1
    x = torch.randn(steps, 1, config.input, dtype=torch.float64, requires_grad=True)
    u = torch.randn(config.hidden, dtype=torch.float64)
    out, _ = module(x)
    # L = u^T h_T
    loss = out[-1, 0] @ u
    loss.backward()
    # ||dL/dx_t|| for the measured steps, latest first: index k is lag k
    norms = x.grad[config.burn_in :, 0].norm(dim=1).flip(0)
    # r(k) = ||dL/dx_{T-k}|| / ||dL/dx_T||
    return (norms / norms[0]).tolist()


# --- the France LSTM, through autograd -------------------------------------------------


def torch_step(cell, x, h, c, held_row=None):
    """One step of ``torch.nn.LSTMCell`` ``cell`` written out, with gates optionally held.

    ``held_row`` maps a gate name to a tensor of shape ``(H,)``; where it is not NaN the
    gate takes its value. Returns ``(h, c)``.
    """
    import torch

    # [i; f; g; o] pre-activations = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
    pre = cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h + cell.bias_hh
    pre_i, pre_f, pre_g, pre_o = pre.chunk(4)
    # i_t = sigma(.), f_t = sigma(.), g_t = tanh(.), o_t = sigma(.)
    gates = {"i": torch.sigmoid(pre_i), "f": torch.sigmoid(pre_f), "g": torch.tanh(pre_g), "o": torch.sigmoid(pre_o)}
    for name, values in (held_row or {}).items():
        gates[name] = torch.where(torch.isnan(values), gates[name], values)
    # c_t = f_t * c_{t-1} + i_t * g_t
    c = gates["f"] * c + gates["i"] * gates["g"]
    # h_t = o_t * tanh(c_t)
    h = gates["o"] * torch.tanh(c)
    return h, c


def france_run(variant: str, tokens: list[str], start: int | None = None):
    """Run the France LSTM's torch modules over ``tokens`` with ``variant``'s held gates.

    Returns ``(cs, hs, leaf, readout)``: the cell and hidden states after every token, the
    cell state after token ``start`` as an autograd leaf (``None`` without ``start``; every
    later state is computed from it), and the readout module.
    """
    import torch

    model = FranceLSTM()
    embedding, cell, readout = model.to_torch()
    held = held_gates(variant, tokens, len(model.units)) or {}
    held = {name: torch.tensor(values) for name, values in held.items()}
    xs = embedding(torch.tensor([model.vocab.index(token) for token in tokens]))
    h = torch.zeros(len(model.units), dtype=torch.float64)
    c = torch.zeros_like(h)
    cs, hs, leaf = [], [], None
    for t, x in enumerate(xs):
        h, c = torch_step(cell, x, h, c, {name: values[t] for name, values in held.items()})
        if t == start:
            c = leaf = c.detach().requires_grad_()
        cs.append(c)
        hs.append(h)
    return cs, hs, leaf, readout


def france_gradients(variant: str, config: dict) -> dict:
    """The France LSTM's gradients through time under ``variant`` (one of ``france_variants``;
    `InputError` for a name that is no variant of `lstm_explainer.france.VARIANTS`);
    ``config`` is ``dataclasses.asdict`` of a `GradientFlowConfig`.

    ``paths[unit]`` lists $\\partial c_s[u] / \\partial c_r[u]$ for every word $s$ from $r$,
    the word that writes unit $u$, to the end of `SENTENCE`; ``jacobian_rows[unit]`` is the
    whole row $\\partial c_s[u] / \\partial c_r$ at the last word, all units; ``loss_grad`` is
    the gradient of $-\\log p(\\text{wine})$ after the last "the" with respect to $c$ at "ate",
    every unit; ``loss`` and ``probs`` are that loss and the next-word distribution.
    """
    if variant not in VARIANTS:
        raise InputError(f"unknown variant {variant!r}; the variants are: {', '.join(VARIANTS)}.")
    config = GradientFlowConfig.from_settings(config)
    torch = seeding.deterministic(0)
    model = FranceLSTM()
    tokens = model.tokenize(SENTENCE)
    out = {"tokens": tokens, "paths": {}, "jacobian_rows": {}}
    for unit, word in config.france_paths:
        r, u = tokens.index(word), model.units.index(unit)
        cs, _, leaf, _ = france_run(variant, tokens, start=r)
        # d c_s[u] / d c_r, one autograd pass per later word s
        rows = [torch.autograd.grad(cs[s][u], leaf, retain_graph=True)[0] for s in range(r, len(tokens))]
        out["paths"][unit] = {"start": r, "values": [float(row[u]) for row in rows]}
        out["jacobian_rows"][unit] = rows[-1].tolist()
    # the next-word loss after the last loss_prefix_end ('the'): L = -log softmax(W_y h_t)[wine]
    end = len(tokens) - 1 - tokens[::-1].index(config.loss_prefix_end)
    target = model.vocab.index(tokens[end + 1])
    cs, hs, leaf, readout = france_run(variant, tokens[: end + 1], start=tokens.index("ate"))
    log_probs = torch.log_softmax(readout(hs[end]), dim=-1)
    loss = -log_probs[target]
    out["loss_grad"] = torch.autograd.grad(loss, leaf)[0].tolist()
    out["loss"] = float(loss.detach())
    out["loss_word"] = {"end": end, "target": tokens[end + 1]}
    out["probs"] = log_probs.exp().tolist()
    return out


# --- everything the pages need -------------------------------------------------------------


def summarise(profiles: np.ndarray, percentiles=CONFIG.percentiles) -> dict[str, list[float]]:
    """Percentiles over seeds (rows) of each lag (column): ``{"p10": [...], "p50": ..., "p90": ...}``."""
    return {f"p{q}": np.percentile(profiles, q, axis=0).tolist() for q in percentiles}


def per_step(median: list[float]) -> float:
    """How much the median ``r(k)`` shrinks per step over the second half of the lags:
    $(r(K) / r(K/2))^{1/(K - K/2)}$ with $K$ the last lag (``len(median) - 1``)."""
    last = len(median) - 1
    half = last // 2
    # (r(K) / r(K/2))^(1 / (K - K/2))
    return float((median[last] / median[half]) ** (1 / (last - half)))


@functools.cache
def results() -> dict:
    """Everything the page shows, computed with `CONFIG` (cached on disk, and read once per process).

    ``cells[kind]``: ``seeds`` (one `lag_profile` per seed), ``p10``/``p50``/``p90`` (`summarise`)
    and ``per_step``; ``france[variant]``: `france_gradients`.
    """
    config = asdict(CONFIG)
    settings = [{"kind": kind, "seed": seed, "config": config} for kind in CELLS for seed in CONFIG.seeds]
    profiles = run_jobs(lag_profile, settings)
    cells = {}
    for kind in CELLS:
        rows = np.array([p for s, p in zip(settings, profiles) if s["kind"] == kind])
        cells[kind] = {"seeds": rows.tolist(), **summarise(rows, CONFIG.percentiles)}
        cells[kind]["per_step"] = per_step(cells[kind]["p50"])
    variants = CONFIG.france_variants
    france = dict(zip(variants, run_jobs(france_gradients, [{"variant": v, "config": config} for v in variants])))
    return {"cells": cells, "france": france}
