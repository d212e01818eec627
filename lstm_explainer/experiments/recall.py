r"""Long-lag recall, trained for real: the forget-gate bias, and the LSTM against its variants.

Every run trains one model of `lstm_explainer.experiments.recall_models` with
``torch.optim.Adam`` on the task of `lstm_explainer.experiments.recall_task` (say the first
symbol after ``lag`` fillers) until it is solved or ``max_updates`` updates have passed. Every
setting lives in one frozen dataclass, `RecallConfig` (the module's `CONFIG`). One run is one
cached job, `train`, of the config (``dataclasses.asdict(CONFIG)``) and four settings of its
own (model, lag, memory bias, seed), so a change to the code or to the config reruns the runs.

Three studies share the runs:

* **forget-gate bias** (the bias of 1: Gers, Schmidhuber & Cummins 2000; its test against
  the GRU: Jozefowicz, Zaremba & Sutskever 2015): the LSTM with the forget gate's bias at
  each of ``bias_settings`` (0 and 1; all of it in ``bias_ih``, ``bias_hh`` 0 there), at
  each of ``bias_lags``;
* **float64** (a control of the forget-bias study): the same LSTM with forget bias
  ``float64_bias`` computed in float64, at each of ``float64_lags``, with ``float64_seeds``,
  to test whether float32 rounding is what stops it;
* **variants** (Greff et al. 2017; Gers, Schmidhuber & Cummins 2000; Cho et al. 2014): the
  LSTM, the 1997 LSTM without a forget gate, the coupled input-forget gate, no output gate,
  the LSTM with its input gate's bias at ``control_input_bias`` (a control: it writes as
  little at the start as CIFG and the GRU do), and the GRU (``variants``), every one with a
  memory bias of ``variant_memory_bias``, at each of ``variant_lags`` (the 1997 LSTM at
  ``no_forget_lags``).

Both use the same ``seeds``; a seed fixes the initial weights (the task itself has no
randomness), so the same seed gives the bias-0 and the bias-1 LSTM the very same weights
apart from the forget gate's bias. Each run also records the *retention* of its model,
before and after training: along the cell-state path, a trace written at step 0 reaches
the last step multiplied by $\prod_{t=1}^{L} f_t$, the product of the forget gate over the
fillers (of $z_t$ for the GRU); we report that product for the unit that keeps most,
computed in float64 by the NumPy cells of `lstm_explainer.cells` (`LSTMCell`, `GRUCell`).
And it records their *separation*: how far apart the two sequences leave the model (its
last hidden states), 0 when a float32 model cannot tell them apart at all.
"""

from __future__ import annotations

import functools
import statistics
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ..cells import GRUCell, LSTMCell
from ..checks import InputError
from . import recall_task as task
from .cache import run_jobs
from .recall_models import VARIANTS, RecallNet
from .seeding import deterministic


@dataclass(frozen=True)
class RecallConfig:
    """Every setting of the recall experiment; ``dataclasses.asdict`` of it is what each job
    gets (so it is in every run's cache key) and what the pages quote."""

    symbols: tuple[str, ...] = ("A", "B")
    """The symbols to recall: chance is one in two."""
    filler: str = "."
    """The one symbol that fills the lag."""
    solved_probability: float = 0.9
    """Solved: the smallest probability given to a right answer is at least this."""
    max_updates: int = 400
    """Updates allowed before a run counts as unsolved: every conclusion holds within this cap."""
    hidden: int = 8
    """Hidden units of every model."""
    learning_rate: float = 0.005
    """Adam's step size (its other settings PyTorch's defaults). Each update sees every
    sequence of the task at once: the batch is the whole task."""
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    """The seeds of every setting: each fixes a model's initial weights."""
    bias_settings: tuple[float, ...] = (0.0, 1.0)
    """The forget-gate biases compared."""
    bias_lags: tuple[int, ...] = (20, 50, 100)
    """The lags of the forget-bias study."""
    variants: tuple[str, ...] = VARIANTS
    """The models of the variants study (names of `lstm_explainer.experiments.recall_models.VARIANTS`)."""
    variant_memory_bias: float = 1.0
    """The memory bias of every variant: f's bias (z's for the GRU; for CIFG, f = 1 - i)."""
    variant_lags: tuple[int, ...] = (20, 50)
    """The lags of the variants study. A run that fails spends all ``max_updates`` updates, and
    PyTorch's CPU kernel for the GRU goes through time step by step in autograd, many times
    slower per update than the fused LSTM kernel: the whole study at lag 100 would cost more
    than the site's training budget."""
    no_forget_lags: tuple[int, ...] = (20, 50, 100)
    """The lags of the 1997 LSTM, which the forget-bias page compares with bias 1 at every lag."""
    control_input_bias: float = -1.0
    """The input gate's bias of the control ``lstm_low_input``: sigma(-1) is what CIFG's
    input gate and the GRU's 1 - z start at with a memory bias of 1."""
    float64_bias: float = 0.0
    """The forget-gate bias of the float64 control."""
    float64_lags: tuple[int, ...] = (50,)
    """The lags of the float64 control: where the float32 LSTM with that bias fails."""
    float64_seeds: tuple[int, ...] = (0, 1)
    """The seeds of the float64 control, the first of ``seeds``: PyTorch has no fused float64
    LSTM kernel on the CPU, and a float64 run that fails costs about as much as twenty float32
    runs."""
    curve_every: int = 10
    """A run's learning curve keeps the smallest right-answer probability every this many updates."""
    plateau: float = 0.55
    """A right-answer probability at or below this is still the plateau of a guess (one half)."""

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every input symbol, in the order of the one-hot positions (`recall_task.vocabulary`)."""
        return task.vocabulary(self.symbols, self.filler)


CONFIG = RecallConfig()
"""The settings the site is built with."""


# --- what a model does on the task, measured outside training ----------------------------


def numpy_cell(model: RecallNet) -> LSTMCell | GRUCell:
    """Our NumPy cell with the very weights ``model``'s kernel receives, in float64: a
    `GRUCell` for the GRU, an `LSTMCell` for the LSTM and its variants."""
    weights = [w.detach().double().numpy() for w in model.kernel_weights()]
    return GRUCell(*weights) if model.variant == "gru" else LSTMCell(*weights)


def retention(model: RecallNet, xs) -> float:
    r"""$\max_k \prod_{t=1}^{L} f_{t,k}$ over the fillers of sequence ``xs`` ``(T, D)`` (z for the GRU)."""
    trace = numpy_cell(model).run(np.asarray(xs, dtype=np.float64))
    keep = trace.z if model.variant == "gru" else trace.f
    # the product of the memory gate over steps 1 ... L, unit by unit; the best unit
    return float(np.prod(keep[1:], axis=0).max())


def least_saturated(model: RecallNet, xs) -> float | None:
    r"""$\min_k |c_{L,k}|$, the last cell state of the unit nearest 0 on sequence ``xs`` (``None`` for the GRU).

    Where every unit's $|c_L|$ is large, $\tanh(c_L)$ is flat and a difference in $c_L$ barely shows in $h_L$.
    """
    if model.variant == "gru":
        return None
    return float(np.abs(numpy_cell(model).run(np.asarray(xs, dtype=np.float64)).c[-1]).min())


def last_states(model: RecallNet, xs: torch.Tensor) -> np.ndarray:
    """The hidden state each sequence of ``xs`` ``(T, batch, D)`` leaves ``model`` in after its
    last step, ``(batch, hidden)``, in the model's dtype (float32 as trained), without tracking
    gradients."""
    with torch.no_grad():
        return model.final_state(xs).numpy()


def separation(states: np.ndarray) -> float:
    """How far apart the sequences leave the model: the largest difference between their last
    hidden states ``states`` ``(batch, hidden)`` (see `last_states`), ``max |h_L(A) - h_L(B)|``,
    in the states' precision. 0 means the model cannot tell them apart at all."""
    return float(np.abs(states[:, None] - states[None]).max())


def separation_steps(states: np.ndarray) -> float:
    """The same separation counted in rounding steps of the states' own precision (float32 as
    trained, float64 for the control): the largest ``|h_L(A) - h_L(B)|`` of a unit divided by
    the gap between neighbouring numbers at that unit's value (``numpy.spacing``). 1 means one
    rounding step apart."""
    h = states
    # |h_A - h_B| / spacing(max(|h_A|, |h_B|)), unit by unit, over every pair of sequences
    gap = np.abs(h[:, None] - h[None])
    step = np.spacing(np.maximum(np.abs(h[:, None]), np.abs(h[None])))
    return float((gap / step).max())


def train(*, config: dict, variant: str, lag: int, memory_bias: float | None, seed: int,
          input_bias: float | None = None, dtype: str = "float32") -> dict:  # fmt: skip
    """Train one model on the recall task with ``lag`` until solved or ``max_updates``; one job.

    ``config`` is ``dataclasses.asdict`` of a `RecallConfig`; ``memory_bias`` ``None`` is for
    the model that has no memory gate (``no_forget``); ``input_bias`` is the control's
    (``lstm_low_input``); ``dtype`` is ``"float32"`` or ``"float64"``. Returns ``updates`` (to solve;
    ``None`` if unsolved), ``solved``, the smallest right-answer probability at the end
    (``final_probability``), the learning ``curve`` (that probability every ``curve_every``
    updates, from update 0), the model's ``retention`` and ``separation`` before and after,
    its ``least_saturated`` cell before, and its ``parameters`` count.
    """
    cfg = RecallConfig(**config)
    deterministic(seed)
    if dtype not in ("float32", "float64"):
        raise InputError(f"dtype must be 'float32' or 'float64'; got {dtype!r}.")
    xs, answers = task.sequences(lag, cfg.symbols, cfg.filler)
    xs = xs.to(getattr(torch, dtype))
    model = RecallNet(variant, len(cfg.vocabulary), cfg.hidden, len(cfg.symbols),
                      0.0 if memory_bias is None else memory_bias, input_bias, getattr(torch, dtype))  # fmt: skip
    retention_start, states_start = retention(model, xs[:, 0]), last_states(model, xs)
    least_saturated_start = least_saturated(model, xs[:, 0])
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate)
    curve, updates = [], None
    for done in range(cfg.max_updates + 1):
        logits = model(xs)
        worst = task.worst_probability(logits, answers)
        if done % cfg.curve_every == 0:
            curve.append(round(worst, 4))
        if worst >= cfg.solved_probability:
            updates = done
            break
        if done == cfg.max_updates:
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
        "separation_start": separation(states_start),
        "separation_start_steps": separation_steps(states_start),
        "separation_end": separation(last_states(model, xs)),
        "separation_end_steps": separation_steps(last_states(model, xs)),
        "least_saturated_start": least_saturated_start,
        "parameters": model.parameter_count,
    }


# --- the two studies ------------------------------------------------------------------


def bias_settings(config: RecallConfig = CONFIG) -> list[dict]:
    """Every run of the forget-bias study: ``train``'s settings but the config."""
    return [dict(variant="lstm", lag=lag, memory_bias=bias, seed=seed)
            for lag in config.bias_lags for bias in config.bias_settings for seed in config.seeds]  # fmt: skip


def variant_settings(config: RecallConfig = CONFIG) -> list[dict]:
    """Every run of the variants study (the LSTM's are bias-study runs when its memory bias is
    one of those); the 1997 LSTM at ``no_forget_lags``, the control with ``control_input_bias``."""
    return [
        dict(variant=variant, lag=lag, memory_bias=None if variant == "no_forget" else config.variant_memory_bias,
             seed=seed, **({"input_bias": config.control_input_bias} if variant == "lstm_low_input" else {}))
        for variant in config.variants
        for lag in (config.no_forget_lags if variant == "no_forget" else config.variant_lags)
        for seed in config.seeds
    ]  # fmt: skip


def float64_settings(config: RecallConfig = CONFIG) -> list[dict]:
    """Every run of the float64 control: the LSTM with forget bias ``float64_bias`` in float64."""
    return [dict(variant="lstm", lag=lag, memory_bias=config.float64_bias, seed=seed, dtype="float64")
            for lag in config.float64_lags for seed in config.float64_seeds]  # fmt: skip


def runs(settings: list[dict], config: RecallConfig = CONFIG) -> list[dict]:
    """Each run of ``settings`` (from the cache where it is), its settings and its results in one dict."""
    results = run_jobs(train, [{"config": asdict(config), **s} for s in settings])
    return [{**s, **r} for s, r in zip(settings, results)]


def median_updates(runs: list[dict]) -> float | None:
    """The median updates to solve over ``runs``, an unsolved run counting as slower than any
    solved one; ``None`` when the median run is unsolved (the median is then "more than the cap")."""
    ranked = sorted(r["updates"] if r["solved"] else float("inf") for r in runs)
    median = statistics.median(ranked)
    return None if median == float("inf") else median


def climb_updates(run: dict, config: RecallConfig = CONFIG) -> int | None:
    """How many updates a solved run took from its last curve sample on the plateau (at or below
    ``plateau``) to solving; ``None`` for an unsolved run."""
    if not run["solved"]:
        return None
    last_low = max(k * config.curve_every for k, p in enumerate(run["curve"]) if p <= config.plateau)
    return run["updates"] - last_low


def find(rows: list[dict], **match) -> dict:
    """The one row of ``rows`` (a study of `results`) whose keys have the values ``match``.

    Raises `InputError` when no row, or more than one, matches.
    """
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    if len(found) != 1:
        raise InputError(f"{len(found)} rows match {match}; give settings that match exactly one row.")
    return found[0]


def summarise(runs: list[dict], keys: tuple[str, ...], config: RecallConfig = CONFIG) -> list[dict]:
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
            "separation_end_steps": [r["separation_end_steps"] for r in group],
            "separation_end": [r["separation_end"] for r in group],
            "least_saturated_start": [r["least_saturated_start"] for r in group],
            "curves": [r["curve"] for r in group],
            "climb_updates": [climb_updates(r, config) for r in group],
            "final_probability": [r["final_probability"] for r in group],
            "parameters": group[0]["parameters"],
        })  # fmt: skip
    return rows


@functools.cache
def results() -> dict:
    """Each study's rows (see `summarise`) with `CONFIG`: ``bias`` by (lag, memory_bias),
    ``float64`` by (lag, memory_bias), ``variants`` by (variant, lag). The settings themselves
    are `CONFIG`."""
    return {
        "bias": summarise(runs(bias_settings()), ("lag", "memory_bias")),
        "float64": summarise(runs(float64_settings()), ("lag", "memory_bias")),
        "variants": summarise(runs(variant_settings()), ("variant", "lag")),
    }
