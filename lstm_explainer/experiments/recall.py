r"""Long-lag recall, trained for real: the forget-gate bias, and the LSTM against its variants.

Every run trains one model of `lstm_explainer.experiments.recall_models` with Adam on the
task of `lstm_explainer.experiments.recall_task` (say the first symbol after ``lag``
fillers) until it is solved or `MAX_UPDATES` updates have passed. One run is one cached
job, `train`, of four settings (model, lag, memory bias, seed), so a change to the code
or to a setting reruns only the runs it touches.

Two studies share the runs:

* **forget-gate bias** (Jozefowicz, Zaremba & Sutskever 2015): the LSTM with the forget
  gate's bias at 0 and at 1 (all of it in ``bias_ih``, ``bias_hh`` 0 there), at each of
  `BIAS_LAGS`;
* **variants** (Greff et al. 2017; Gers, Schmidhuber & Cummins 2000): the LSTM, the 1997
  LSTM without a forget gate, the coupled input-forget gate, no output gate, and the GRU,
  every one with a memory bias of `VARIANT_MEMORY_BIAS`, at each of `VARIANT_LAGS`.

Both use the same seeds, `SEEDS`; a seed fixes the initial weights (the task itself has no
randomness), so the same seed gives the bias-0 and the bias-1 LSTM the very same weights
apart from the forget gate's bias. Each run also records the *retention* of its model,
before and after training: along the cell-state path, a trace written at step 0 reaches
the last step multiplied by $\prod_{t=1}^{L} f_t$, the product of the forget gate over the
fillers (of $z_t$ for the GRU); we report that product for the unit that keeps most,
computed by the NumPy cells of `lstm_explainer.cells`. And it records their *separation*:
how far apart the two sequences leave the model (its last hidden states), 0 when a
float32 model cannot tell them apart at all.
"""

from __future__ import annotations

import functools
import statistics

import numpy as np
import torch

from ..cells import LSTMCell, sigmoid
from ..checks import InputError
from . import recall_task as task
from .cache import run_jobs
from .recall_models import VARIANTS, RecallNet
from .seeding import deterministic

HIDDEN = 8
"""Hidden units of every model."""

LEARNING_RATE = 0.005
"""Adam's step size (other settings PyTorch's defaults)."""

MAX_UPDATES = task.MAX_UPDATES

SEEDS = (0, 1, 2, 3, 4)
"""The seeds of every setting: each fixes a model's initial weights."""

BIAS_SETTINGS = (0.0, 1.0)
"""The forget-gate biases compared."""

BIAS_LAGS = (20, 50, 100)
"""The lags of the forget-bias study."""

VARIANT_MEMORY_BIAS = 1.0
"""The memory bias of every variant: f's bias (z's for the GRU; for CIFG, f = 1 - i)."""

VARIANT_LAGS = (20, 50)
"""The lags of the variants study. It stops short of the bias study's longest lag for the
budget: a run that fails spends all `MAX_UPDATES` updates, and at a longer lag each update
runs over more steps."""


CURVE_EVERY = 10
"""A run's learning curve keeps the smallest right-answer probability every this many updates."""

PLATEAU = 0.55
"""A right-answer probability at or below this is still the plateau of a guess (one half)."""


# --- retention: how much of step 0 survives the lag along the memory path ----------------


def gru_trace(weights: list[np.ndarray], xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GRU's update gate $z_t$ and hidden state $h_t$ at every step of ``xs`` ``(T, D)``,
    from ``h_0 = 0``, in NumPy; ``weights`` are ``torch.gru``'s four tensors (blocks r, z, n)."""
    w_ih, w_hh, b_ih, b_hh = weights
    hidden = w_hh.shape[1]
    h, zs, hs = np.zeros(hidden), [], []
    for x in xs:
        a_x, a_h = w_ih @ x + b_ih, w_hh @ h + b_hh  # blocks r, z, n
        # r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr), z_t likewise
        r = sigmoid(a_x[:hidden] + a_h[:hidden])
        z = sigmoid(a_x[hidden : 2 * hidden] + a_h[hidden : 2 * hidden])
        # n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
        n = np.tanh(a_x[2 * hidden :] + r * a_h[2 * hidden :])
        # h_t = (1 - z_t) * n_t + z_t * h_{t-1}
        h = (1.0 - z) * n + z * h
        zs.append(z)
        hs.append(h)
    return np.array(zs), np.array(hs)


def retention(model: RecallNet, xs) -> float:
    r"""$\max_k \prod_{t=1}^{L} f_{t,k}$ over the fillers of sequence ``xs`` ``(T, D)`` (z for the GRU)."""
    weights = [w.detach().double().numpy() for w in model.kernel_weights()]
    xs = np.asarray(xs, dtype=np.float64)
    if model.variant == "gru":
        keep = gru_trace(weights, xs)[0]
    else:
        keep = LSTMCell(*weights).run(xs).f
    # the product of the memory gate over steps 1 ... L, unit by unit; the best unit
    return float(np.prod(keep[1:], axis=0).max())


def least_saturated(model: RecallNet, xs) -> float | None:
    r"""$\min_k |c_{L,k}|$, the last cell state of the unit nearest 0 on sequence ``xs`` (``None`` for the GRU).

    Where every unit's $|c_L|$ is large, $\tanh(c_L)$ is flat and a difference in $c_L$ barely shows in $h_L$.
    """
    if model.variant == "gru":
        return None
    weights = [w.detach().double().numpy() for w in model.kernel_weights()]
    return float(np.abs(LSTMCell(*weights).run(np.asarray(xs, dtype=np.float64)).c[-1]).min())


def separation(model: RecallNet, xs) -> float:
    """How far apart the sequences leave the model: the largest difference between their last
    hidden states, ``max |h_L(A) - h_L(B)|`` (float32, as trained). 0 means the model cannot
    tell them apart at all."""
    with torch.no_grad():
        h = model.final_state(xs)
    return float((h[:, None] - h[None]).abs().max())


def separation_steps(model: RecallNet, xs) -> float:
    """The same separation counted in float32 rounding steps: the largest
    ``|h_L(A) - h_L(B)|`` of a unit divided by the gap between neighbouring float32 numbers
    at that unit's value (``numpy.spacing``). 1 means one rounding step apart."""
    with torch.no_grad():
        h = model.final_state(xs).float().numpy()
    # |h_A - h_B| / spacing(max(|h_A|, |h_B|)), unit by unit, over every pair of sequences
    gap = np.abs(h[:, None] - h[None])
    step = np.spacing(np.maximum(np.abs(h[:, None]), np.abs(h[None])))
    return float((gap / step).max())


def train(*, variant: str, lag: int, memory_bias: float | None, seed: int) -> dict:
    """Train one model on the recall task with ``lag`` until solved or `MAX_UPDATES`; one job.

    Returns ``updates`` (to solve; ``None`` if unsolved), ``solved``, the smallest right-answer
    probability at the end, the learning ``curve`` (that probability every `CURVE_EVERY`
    updates), the model's ``retention`` and ``separation`` before and after, its
    ``least_saturated`` cell before, and its ``parameters`` count.
    """
    torch = deterministic(seed)
    xs, answers = task.sequences(lag)
    model = RecallNet(variant, len(task.VOCABULARY), HIDDEN, len(task.SYMBOLS),
                      0.0 if memory_bias is None else memory_bias)  # fmt: skip
    retention_start, separation_start = retention(model, xs[:, 0]), separation(model, xs)
    separation_start_steps = separation_steps(model, xs)
    least_saturated_start = least_saturated(model, xs[:, 0])
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    curve, updates = [], None
    for done in range(MAX_UPDATES + 1):
        logits = model(xs)
        worst = float(task.right_answer_probabilities(logits.detach(), answers).min())
        if done % CURVE_EVERY == 0:
            curve.append(round(worst, 4))
        if worst >= task.SOLVED_PROBABILITY:
            updates = done
            break
        if done == MAX_UPDATES:
            break
        # loss = mean over the sequences of -log p(right answer)
        loss = torch.nn.functional.cross_entropy(logits, answers)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {
        "updates": updates,
        "solved": updates is not None,
        "final_probability": round(worst, 4),
        "curve": curve,
        "retention_start": retention_start,
        "retention_end": retention(model, xs[:, 0]),
        "separation_start": separation_start,
        "separation_start_steps": separation_start_steps,
        "separation_end": separation(model, xs),
        "least_saturated_start": least_saturated_start,
        "parameters": model.parameter_count,
    }


# --- the two studies ------------------------------------------------------------------


def bias_settings() -> list[dict]:
    """Every run of the forget-bias study."""
    return [dict(variant="lstm", lag=lag, memory_bias=bias, seed=seed)
            for lag in BIAS_LAGS for bias in BIAS_SETTINGS for seed in SEEDS]  # fmt: skip


def variant_settings() -> list[dict]:
    """Every run of the variants study (the LSTM's runs are the bias study's bias-1 runs)."""
    return [
        dict(variant=variant, lag=lag, memory_bias=None if variant == "no_forget" else VARIANT_MEMORY_BIAS, seed=seed)
        for variant in VARIANTS
        for lag in VARIANT_LAGS
        for seed in SEEDS
    ]


def median_updates(runs: list[dict]) -> float | None:
    """The median updates to solve over ``runs``, an unsolved run counting as slower than any
    solved one; ``None`` when the median run is unsolved (the median is then "more than the cap")."""
    ranked = sorted(r["updates"] if r["solved"] else float("inf") for r in runs)
    median = statistics.median(ranked)
    return None if median == float("inf") else median


def climb_updates(run: dict) -> int | None:
    """How many updates a solved run took from its last curve sample on the plateau (at or below
    `PLATEAU`) to solving; ``None`` for an unsolved run."""
    if not run["solved"]:
        return None
    last_low = max(k * CURVE_EVERY for k, p in enumerate(run["curve"]) if p <= PLATEAU)
    return run["updates"] - last_low


def find(rows: list[dict], **match) -> dict:
    """The one row of ``rows`` (a study of `results`) whose keys have the values ``match``."""
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    if len(found) != 1:
        raise InputError(f"{len(found)} rows match {match}; give settings that match exactly one row.")
    return found[0]


def summarise(runs: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """One row per distinct value of ``keys``: the seeds' outcomes and their summary."""
    groups: dict[tuple, list[dict]] = {}
    for run in runs:
        groups.setdefault(tuple(run[k] for k in keys), []).append(run)
    rows = []
    for values, group in groups.items():
        rows.append({
            **dict(zip(keys, values)),
            "seeds": [r["seed"] for r in group],
            "updates": [r["updates"] for r in group],
            "solved": sum(r["solved"] for r in group),
            "runs": len(group),
            "median_updates": median_updates(group),
            "retention_start": [r["retention_start"] for r in group],
            "retention_end": [r["retention_end"] for r in group],
            "separation_start": [r["separation_start"] for r in group],
            "separation_start_steps": [r["separation_start_steps"] for r in group],
            "separation_end": [r["separation_end"] for r in group],
            "least_saturated_start": [r["least_saturated_start"] for r in group],
            "curves": [r["curve"] for r in group],
            "climb_updates": [climb_updates(r) for r in group],
            "final_probability": [r["final_probability"] for r in group],
            "parameters": group[0]["parameters"],
        })  # fmt: skip
    return rows


@functools.cache
def results() -> dict:
    """Everything the two pages show: the settings, and each study's rows (see `summarise`)."""
    bias = [{**s, **r} for s, r in zip(bias_settings(), run_jobs(train, bias_settings()))]
    variants = [{**s, **r} for s, r in zip(variant_settings(), run_jobs(train, variant_settings()))]
    return {
        "settings": {
            "symbols": list(task.SYMBOLS),
            "filler": task.FILLER,
            "solved_probability": task.SOLVED_PROBABILITY,
            "max_updates": MAX_UPDATES,
            "hidden": HIDDEN,
            "learning_rate": LEARNING_RATE,
            "seeds": list(SEEDS),
            "bias_settings": list(BIAS_SETTINGS),
            "bias_lags": list(BIAS_LAGS),
            "variant_memory_bias": VARIANT_MEMORY_BIAS,
            "variant_lags": list(VARIANT_LAGS),
            "curve_every": CURVE_EVERY,
            "plateau": PLATEAU,
        },
        "bias": summarise(bias, ("lag", "memory_bias")),
        "variants": summarise(variants, ("variant", "lag")),
    }
