r"""Numbers of the main path: why a plain recurrent network forgets, how much a forget bias keeps,
and the readout written out at "her".

* **Backpropagation through time in a tanh RNN** (`tanh_rnn`, `bptt`): a NumPy `RNNCell`
  whose recurrent weight is $W_{hh} = \rho Q$ ($Q$ a random orthogonal matrix, so every
  singular value of $W_{hh}$ is $\rho$), read over `CONFIG.steps` small random inputs from a
  zero state. The loss is read once, at the last step, $L = u^\top h_T$ for a random unit
  vector $u$. `bptt` sends $u$ back step by step (backpropagation through time; the
  analysis of the product of step Jacobians is Hochreiter, 1991, and Bengio, Simard &
  Frasconi, 1994) and keeps $\lVert \partial L / \partial h_{T-k} \rVert$ for every lag $k$,
  and $\partial L / \partial W_{hh}$. The figure ``rnn-gradient-lags`` draws the first for
  each $\rho$ of `CONFIG.radii`.
* **Clipping** (`clip_by_norm`): the gradient with respect to $W_{hh}$ of the network with the
  largest $\rho$, rescaled to norm at most `CONFIG.clip_norm` as
  ``torch.nn.utils.clip_grad_norm_`` does (Pascanu, Mikolov & Bengio, 2013).
* **The forget bias** (`forget_keep`): what a forget gate that is nothing but its bias keeps
  per step, $\sigma(b)$, and over `FORGET_LAG` steps, $\sigma(b)^k$.
* **The readout at "her"** (`readout_at_her`, table ``readout-at-her``): the France LSTM's
  $p = \operatorname{softmax}(W_y h_t + b_y)$ after "her", term by term.

``tests/test_main_path.py`` checks `bptt` and `clip_by_norm` against torch autograd and
``clip_grad_norm_``, and the readout against `FranceLSTM.trace`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import france_weights as weights
from ..cells import RNNCell, RNNTrace, sigmoid
from ..claims import Claim
from ..formatting import count, fmt, join, pct, prob, sci
from ..france import SENTENCE, FranceLSTM
from .base import FigureSpec, Table, Theme, new_figure, style_axes


@dataclass(frozen=True)
class ExplodeConfig:
    """Settings of the tanh-RNN example (sizes in units, lengths in steps)."""

    hidden: int = 16
    inputs: int = 4
    steps: int = 40
    radii: tuple[float, ...] = (0.8, 1.0, 1.5)  # the singular value rho of W_hh, one network each
    input_scale: float = 0.01  # inputs are N(0, input_scale^2): states stay small, tanh slopes near 1
    seed: int = 0
    clip_norm: float = 1.0  # the largest gradient norm clipping lets through


CONFIG = ExplodeConfig()

TABLE_LAGS = (0, 1, 5, 10, 20, 30)
"""The lags the figure's table lists (with the longest lag, ``CONFIG.steps - 1``)."""

FORGET_LAG = 20
"""The number of steps over which the LSTM page follows a forget gate that is only its bias."""


# --- 1. a tanh RNN, forward and back ----------------------------------------------------------


def recurrent_weight(rho: float, hidden: int, rng: np.random.Generator) -> np.ndarray:
    """$W_{hh} = \\rho Q$ with $Q$ orthogonal (QR of a Gaussian matrix): every singular value is ``rho``."""
    q, r = np.linalg.qr(rng.standard_normal((hidden, hidden)))
    # sign fix so that Q is uniformly distributed (Mezzadri, 2007)
    return rho * q * np.sign(np.diag(r))


@functools.cache
def tanh_rnn(rho: float) -> tuple[RNNCell, RNNTrace, np.ndarray]:
    """The example network with singular value ``rho``, its run, and the loss direction ``u``.

    The same seed draws $Q$, $W_{ih}$ (entries N(0, 1), shape ``hidden x inputs``), the inputs
    (``steps x inputs``, N(0, ``input_scale``^2)) and $u$ (a unit vector) for every ``rho``:
    the networks differ only in $\\rho$. Biases are 0.
    """
    rng = np.random.default_rng(CONFIG.seed)
    weight_hh = recurrent_weight(rho, CONFIG.hidden, rng)
    weight_ih = rng.standard_normal((CONFIG.hidden, CONFIG.inputs))
    xs = CONFIG.input_scale * rng.standard_normal((CONFIG.steps, CONFIG.inputs))
    u = rng.standard_normal(CONFIG.hidden)
    cell = RNNCell(weight_ih, weight_hh, nonlinearity="tanh")
    return cell, cell.run(xs), u / np.linalg.norm(u)


def bptt(cell: RNNCell, trace: RNNTrace, u: np.ndarray) -> dict[str, np.ndarray]:
    r"""Backpropagation through time for $L = u^\top h_T$ ($T$ the last step).

    Returns ``grad_h`` (``steps x hidden``: row $k$ is $\partial L / \partial h_{T-k}$, lag $k$
    from 0) and ``grad_weight_hh`` ($\partial L / \partial W_{hh}$, ``hidden x hidden``), from
    $h_t = \tanh(a_t)$, $a_t = W_{ih} x_t + W_{hh} h_{t-1}$.
    """
    h = trace.h
    h_prev = np.vstack([trace.h0, h[:-1]])
    # $$\partial L / \partial h_T = u$$
    grad = u.copy()
    grads, grad_weight_hh = [], np.zeros_like(cell.weight_hh)
    for t in range(len(h) - 1, -1, -1):
        grads.append(grad)
        # $$\partial L / \partial a_t = \partial L / \partial h_t \odot (1 - h_t^2)$$
        grad_a = grad * (1.0 - h[t] ** 2)
        # $$\partial L / \partial W_{hh} \mathrel{+}= (\partial L / \partial a_t)\, h_{t-1}^\top$$
        grad_weight_hh += np.outer(grad_a, h_prev[t])
        # $$\partial L / \partial h_{t-1} = W_{hh}^\top\, \partial L / \partial a_t$$
        grad = cell.weight_hh.T @ grad_a
    return {"grad_h": np.array(grads), "grad_weight_hh": grad_weight_hh}


def clip_by_norm(grad: np.ndarray, max_norm: float) -> np.ndarray:
    r"""The gradient rescaled to norm at most ``max_norm``, its direction kept.

    $$g \leftarrow g \cdot \min\bigl(1,\ \text{max\_norm} / \lVert g \rVert\bigr)$$

    as ``torch.nn.utils.clip_grad_norm_`` computes it for one tensor (which adds 1e-6 to the
    norm in the denominator; so do we).
    """
    norm = float(np.linalg.norm(grad))
    return grad * min(1.0, max_norm / (norm + 1e-6))


@functools.cache
def gradient_lags() -> dict[float, dict]:
    """Per singular value: ``ratios`` (r(k) = ||dL/dh_(T-k)|| / ||dL/dh_T|| for k = 0 .. steps - 1),
    ``max_abs_h`` (the largest |h| along the run) and ``grad_weight_hh``."""
    out = {}
    for rho in CONFIG.radii:
        cell, trace, u = tanh_rnn(rho)
        grads = bptt(cell, trace, u)
        norms = np.linalg.norm(grads["grad_h"], axis=1)
        out[rho] = {
            "ratios": (norms / norms[0]).tolist(),
            "max_abs_h": float(np.abs(trace.h).max()),
            "grad_weight_hh": grads["grad_weight_hh"],
        }
    return out


def longest_lag() -> int:
    """The longest lag measured: the first step, seen from the last."""
    return CONFIG.steps - 1


def ratio(value: float) -> str:
    """A gradient ratio: `sci` below 10 (``0.73``, ``1.6e-04``), `count` from 10 up (``184.7``)."""
    return sci(value) if value < 10 else count(value)


def rho_name(rho: float) -> str:
    return f"ρ = {fmt(rho, 1)}"


def lags_table(lags: dict[float, dict]) -> Table:
    shown = [k for k in TABLE_LAGS if k < longest_lag()] + [longest_lag()]
    return Table(
        caption=(
            f"How much of the gradient of a loss at the last step reaches the hidden state k steps earlier, "
            f"relative to lag 0, in a tanh RNN with {count(CONFIG.hidden)} units whose recurrent weight has every "
            f"singular value equal to ρ (one run each, same inputs and loss direction)."
        ),
        columns=["lag k", *(rho_name(rho) for rho in CONFIG.radii)],
        rows=[[k, *(ratio(lags[rho]["ratios"][k]) for rho in CONFIG.radii)] for k in shown],
    )


def lags_alt(lags: dict[float, dict]) -> str:
    parts = [f"{rho_name(rho)}: {ratio(lags[rho]['ratios'][-1])}" for rho in CONFIG.radii]
    return (
        "Line chart, log scale, of how much of the gradient of a loss at the last step reaches the hidden state "
        f"k steps earlier (relative to k = 0), for k from 0 to {longest_lag()}, in three tanh RNNs that differ only "
        f"in the size ρ of their recurrent weight. Below 1 the gradient shrinks with the lag, above 1 it grows. "
        f"At lag {longest_lag()}: {join(parts)}."
    )


def lags_figure(lags: dict[float, dict], theme: Theme):
    """r(k) on a log axis, one line per singular value, labelled at the right end."""
    fig = new_figure(theme, 7.2, 3.8)
    ax = fig.add_axes((0.11, 0.15, 0.68, 0.78))
    style_axes(ax, theme)
    ks = np.arange(CONFIG.steps)
    colours = (theme.palette[1], theme.palette[2], theme.palette[0])
    dashes = ("-", (0, (5, 3)), "-")
    for rho, colour, dash in zip(CONFIG.radii, colours, dashes):
        ratios = lags[rho]["ratios"]
        ax.plot(ks, ratios, color=colour, linestyle=dash, linewidth=2.0)
        ax.annotate(rho_name(rho), xy=(ks[-1], ratios[-1]), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=10, color=colour, annotation_clip=False)  # fmt: skip
    ax.axhline(1.0, color=theme.muted, linewidth=0.8, linestyle=":")
    ax.set_yscale("log")
    ax.set_xlim(0, longest_lag())
    ax.set_xlabel("lag k (steps back from the loss)")
    ax.set_ylabel("‖∂L/∂h‖ relative to lag 0")
    ax.grid(True, which="major", axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    return fig


def ratio_at_end(rho: float) -> float:
    return gradient_lags()[rho]["ratios"][-1]


def largest_radius() -> float:
    return max(CONFIG.radii)


@functools.cache
def clipping() -> dict[str, float]:
    """The largest-rho network's dL/dW_hh before and after clipping: norms, largest entries, cosine."""
    grad = gradient_lags()[largest_radius()]["grad_weight_hh"]
    clipped = clip_by_norm(grad, CONFIG.clip_norm)
    cosine = float(np.sum(grad * clipped) / (np.linalg.norm(grad) * np.linalg.norm(clipped)))
    return {
        "norm_before": float(np.linalg.norm(grad)),
        "norm_after": float(np.linalg.norm(clipped)),
        "scale": float(np.linalg.norm(clipped) / np.linalg.norm(grad)),
        "largest_before": float(np.abs(grad).max()),
        "largest_after": float(np.abs(clipped).max()),
        "cosine": cosine,
    }


# --- 2. the forget bias -------------------------------------------------------------------------


def forget_keep(bias: float, steps: int = 1) -> float:
    """What a forget gate that is only its bias keeps after ``steps`` steps: $\\sigma(b)^k$."""
    # $$f = \sigma(b), \quad \text{kept after } k \text{ steps} = f^k$$
    return float(sigmoid(np.float64(bias))) ** steps


def bias_to_keep(share: float, steps: int) -> float:
    """The bias whose gate alone keeps ``share`` after ``steps`` steps: $b = \\operatorname{logit}(s^{1/k})$."""
    # $$\sigma(b)^k = s \iff b = \log\frac{s^{1/k}}{1 - s^{1/k}}$$
    gate = share ** (1.0 / steps)
    return float(np.log(gate / (1.0 - gate)))


# --- 3. the readout at "her" --------------------------------------------------------------------

READOUT_WORD = "her"
"""The word of the walkthrough sentence after which the readout is written out."""

READOUT_SHOWN = 5
"""How many of the likeliest words the readout table lists one by one."""


@functools.cache
def readout_at_her() -> dict:
    """The France LSTM after "her": the units, the readout's rows, logits and probabilities.

    ``h`` and ``c`` are the hidden and cell state (by unit), ``logits`` $z = W_y h_t + b_y$
    (by word; the hand-set readout has no bias, $b_y = 0$) and ``probs`` their softmax.
    """
    model = FranceLSTM()
    trace = model.trace(SENTENCE)
    t = trace.tokens.index(READOUT_WORD)
    h = trace.cell.h[t]
    # $$z = W_y h_t + b_y, \quad b_y = 0$$
    logits = model.readout @ h
    # $$p_w = e^{z_w - z_{\max}} / \sum_v e^{z_v - z_{\max}}$$
    shifted = np.exp(logits - logits.max())
    probs = shifted / shifted.sum()
    return {
        "word": READOUT_WORD,
        "h": dict(zip(weights.UNITS, map(float, h))),
        "c": dict(zip(weights.UNITS, map(float, trace.cell.c[t]))),
        "readout": model.readout.copy(),
        "logits": logits,
        "shifted": shifted,
        "probs": probs,
        "order": np.argsort(-probs, kind="stable"),
        "trace_probs": trace.probs[t],
    }


def logit_terms(data: dict, w: int) -> str:
    """``3 × 0.756 (seen_france) + ...``: the nonzero terms of one row of $W_y h_t$."""
    h = np.array(list(data["h"].values()))
    terms = [f"{compact_weight(data['readout'][w, u])} × {fmt(h[u], 3)} ({weights.UNITS[u]})"
             for u in np.nonzero(data["readout"][w])[0] if fmt(h[u], 3) != "0"]  # fmt: skip
    return " + ".join(terms) if terms else "0 (every unit it reads is 0)"


def compact_weight(value: float) -> str:
    return f"{float(value):g}"


def readout_table_of(data: dict) -> Table:
    rows = []
    for w in data["order"][:READOUT_SHOWN]:
        rows.append([weights.VOCAB[w], logit_terms(data, w), fmt(data["logits"][w]), fmt(data["shifted"][w], 3),
                     prob(data["probs"][w])])  # fmt: skip
    rest = data["order"][READOUT_SHOWN:]
    rows.append([f"the other {len(rest)} words", "", f"{fmt(data['logits'][rest].min())} to {fmt(data['logits'][rest].max())}",
                 fmt(data["shifted"][rest].sum(), 3), prob(data["probs"][rest].sum())])  # fmt: skip
    rows.append(["sum", "", "", fmt(data["shifted"].sum(), 3), prob(data["probs"].sum())])
    return Table(
        caption=(
            f"The readout after \"{data['word']}\": each logit z is a row of the readout weights W_y times the "
            "hidden state h_t (b_y = 0 here); e^(z − z_max) shifts every logit by the largest before exponentiating, "
            "and p divides by the sum."
        ),
        columns=["next word", "W_y h_t, term by term", "logit z", "e^(z − z_max)", "p"],
        rows=rows,
    )


def readout_table() -> Table:
    """The table ``readout-at-her``."""
    return readout_table_of(readout_at_her())


def readout_word(rank: int) -> str:
    """The word of rank ``rank`` (1 = likeliest) after "her"."""
    data = readout_at_her()
    return weights.VOCAB[data["order"][rank - 1]]


def readout_value(key: str, rank: int) -> float:
    data = readout_at_her()
    return float(data[key][data["order"][rank - 1]])


def shown_units(data: dict, key: str = "h", threshold: float = 0.01) -> str:
    """``seen_france (0.76), eating (0.76) and expect_food (0.76)``: the units at or above ``threshold``."""
    units = [f"`{u}` ({fmt(v)})" for u, v in data[key].items() if abs(v) >= threshold]
    return join(units)


def rest_max(data: dict, threshold: float = 0.01) -> float:
    """The largest |h| among the units that `shown_units` leaves out."""
    return max(abs(v) for v in data["h"].values() if abs(v) < threshold)


# --- the page's numbers and claims --------------------------------------------------------------

NUMBERS: dict[str, Callable[[], str]] = {
    # the tanh-RNN example's settings
    "explode_hidden": lambda: count(CONFIG.hidden),
    "explode_steps": lambda: count(CONFIG.steps),
    "explode_longest_lag": lambda: count(longest_lag()),
    "explode_input_scale": lambda: fmt(CONFIG.input_scale),
    "explode_rho_low": lambda: fmt(min(CONFIG.radii), 1),
    "explode_rho_one": lambda: fmt(sorted(CONFIG.radii)[1], 1),
    "explode_rho_high": lambda: fmt(largest_radius(), 1),
    # what reaches the first step, relative to the last
    "explode_low_end": lambda: sci(ratio_at_end(min(CONFIG.radii))),
    "explode_one_end": lambda: sci(ratio_at_end(sorted(CONFIG.radii)[1])),
    "explode_high_end": lambda: ratio(ratio_at_end(largest_radius())),
    # rho^k: what tanh slopes of exactly 1 would give over the longest lag
    "explode_high_bound": lambda: count(largest_radius() ** longest_lag()),
    "explode_low_bound": lambda: sci(min(CONFIG.radii) ** longest_lag()),
    "explode_high_max_h": lambda: fmt(gradient_lags()[largest_radius()]["max_abs_h"]),
    # clipping the largest-rho network's gradient with respect to W_hh
    "clip_norm": lambda: fmt(CONFIG.clip_norm, 1),
    "clip_norm_before": lambda: fmt(clipping()["norm_before"]),
    "clip_norm_after": lambda: fmt(clipping()["norm_after"]),
    "clip_scale": lambda: fmt(clipping()["scale"], 3),
    "clip_largest_before": lambda: fmt(clipping()["largest_before"]),
    "clip_largest_after": lambda: fmt(clipping()["largest_after"], 3),
    "clip_cosine": lambda: fmt(clipping()["cosine"], 3),
    # a forget gate that is only its bias
    "forget_lag": lambda: count(FORGET_LAG),
    "forget_sigmoid_one": lambda: fmt(forget_keep(1.0), 3),
    "forget_one_keep_pct": lambda: pct(forget_keep(1.0)),
    "forget_one_keep_lag_pct": lambda: pct(forget_keep(1.0, FORGET_LAG)),
    "forget_zero_keep_lag_pct": lambda: pct(forget_keep(0.0, FORGET_LAG)),
    "forget_half_lag_gate": lambda: fmt(forget_keep(bias_to_keep(0.5, FORGET_LAG)), 3),
    "forget_half_lag_bias": lambda: fmt(bias_to_keep(0.5, FORGET_LAG)),
    "forget_france_keep_lag_pct": lambda: pct(forget_keep(weights.FORGET_BIAS, FORGET_LAG)),
    # the readout at "her"
    "readout_vocab_size": lambda: count(len(weights.VOCAB)),
    "readout_units": lambda: count(len(weights.UNITS)),
    "readout_e": lambda: fmt(np.e, 1),
    "readout_her_units": lambda: shown_units(readout_at_her()),
    "readout_her_rest_max": lambda: fmt(rest_max(readout_at_her()), 3),
    "readout_her_1": lambda: readout_word(1),
    "readout_her_2": lambda: readout_word(2),
    "readout_her_1_logit": lambda: fmt(readout_value("logits", 1)),
    "readout_her_2_logit": lambda: fmt(readout_value("logits", 2)),
    "readout_her_1_p": lambda: prob(readout_value("probs", 1)),
    "readout_her_2_p": lambda: prob(readout_value("probs", 2)),
    "readout_her_2_shifted": lambda: fmt(readout_value("shifted", 2), 3),
    "readout_her_sum": lambda: fmt(readout_at_her()["shifted"].sum(), 3),
    # hidden state against cell state at "her"
    "readout_her_c_female": lambda: fmt(readout_at_her()["c"]["female"]),
    "readout_her_h_female": lambda: fmt(readout_at_her()["h"]["female"], 3),
    "readout_her_cell_units": lambda: shown_units(readout_at_her(), "c", 0.5),
}
"""Every number the main-path pages quote from this module, by placeholder name."""

TABLES = {"readout-at-her": readout_table}

CLAIMS = (
    Claim(
        "explode_shrinks_and_grows",
        "With ρ = {low} the gradient that reaches the first step is {low_end} of what the last step gets; "
        "with ρ = {high} it is {high_end} times as much",
        "ratio at the longest lag < 0.01 for the smallest rho and > 1 for the largest",
        values=lambda: {"low": min(CONFIG.radii), "high": largest_radius(),
                        "low_end": ratio_at_end(min(CONFIG.radii)), "high_end": ratio_at_end(largest_radius())},  # fmt: skip
        holds=lambda v: v["low_end"] < 0.01 and v["high_end"] > 1,
        formats={"low": lambda x: fmt(x, 1), "high": lambda x: fmt(x, 1), "low_end": sci, "high_end": ratio},
    ),
    Claim(
        "explode_below_bound",
        "far less than the {bound} that slopes of exactly 1 would give, because the states grow and the "
        "tanh slopes fall below 1",
        "ratio at the longest lag for the largest rho < rho ** longest lag / 10",
        values=lambda: {"bound": largest_radius() ** longest_lag(), "ratio": ratio_at_end(largest_radius())},
        holds=lambda v: v["ratio"] < v["bound"] / 10,
        formats={"bound": count, "ratio": sci},
    ),
)

FIGURES = [
    FigureSpec("rnn-gradient-lags", compute=gradient_lags, table=lags_table, alt=lags_alt, draw=lags_figure),
]
