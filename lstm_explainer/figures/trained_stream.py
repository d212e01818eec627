"""A continual stream, learned: an LSTM with a forget gate and one without, both trained on a
recall stream that is never reset (Gers, Schmidhuber & Cummins 2000's setting).

Every number comes from `lstm_explainer.experiments.stream.trained_results` (real torch
training, cached per run; settings in `lstm_explainer.experiments.stream.CONFIG`). This
module only draws and words them:

* ``stream-trained`` (`trained_figure`): the share of queries answered right along the test
  stream, block by block, one line per seed, and the largest |c| of each block, for both models.

``NUMBERS`` holds what the what-if page quotes of it, ``CLAIMS`` its summary sentences.
"""

from __future__ import annotations

import functools

import numpy as np

from ..claims import Claim, fisher_p
from ..experiments import stream as experiment
from ..experiments.stream import CONFIG, TRAINED
from ..formatting import compact, count, fmt, sci
from .base import FigureSpec, Table, Theme, new_figure, style_axes


@functools.cache
def runs() -> dict[str, list[dict]]:
    """The trained runs by model (`experiment.trained_results`), read once per process."""
    return experiment.trained_results()


def all_right(model: str) -> int:
    """How many seeds of ``model`` answer every query of the test stream right, never reset."""
    return sum(r["accuracy"] == 1.0 for r in runs()[model])


def all_right_reset(model: str) -> int:
    """How many seeds of ``model`` answer every query right when reset at every episode start."""
    return sum(r["accuracy_reset"] == 1.0 for r in runs()[model])


def seeds() -> int:
    """The seeds per model."""
    return len(CONFIG.seeds)


def p_text(p: float) -> str:
    """A p-value as the pages show it: three decimals, or powers of ten below 0.001."""
    return sci(p) if p < 0.001 else fmt(p, 3)


def growth(run: dict) -> float:
    """The largest |c| of a run's last block over that of its first."""
    return run["c_max"][-1] / run["c_max"][0]


# --- the figure -------------------------------------------------------------------------------


def trained_table(data: dict) -> Table:
    """Per model and seed: accuracy without and with resets, |c| at the start and end, forget gates."""
    rows = [[TRAINED[model], r["seed"], fmt(r["accuracy"], 3), fmt(r["accuracy_reset"], 3), fmt(r["c_max"][0], 1),
             fmt(r["c_max"][-1], 1), fmt(r["f_start"], 2), fmt(r["f_other"], 2)]
            for model in TRAINED for r in data[model]]  # fmt: skip
    return Table(
        caption=(
            f"Trained on a recall stream that is never reset, tested on {count(CONFIG.test_episodes)} more episodes: "
            "the share of queries answered right read as one stream and read with a reset at every episode start, "
            f"the largest |c| in the first and the last block of {count(CONFIG.block)} episodes, and the mean forget "
            "gate at the first step of an episode and at every other step (1 without a forget gate)."
        ),
        columns=["model", "seed", "right, never reset", "right, reset each episode", "largest |c|, first block",
                 "largest |c|, last block", "mean f at an episode's start", "mean f elsewhere"],  # fmt: skip
        rows=rows,
    )


def trained_alt(data: dict) -> str:
    """What `trained_figure` shows, in words, from ``data`` (`runs`)."""
    lstm, nf = data["lstm"], data["no_forget"]
    return (
        f"Two line charts over a test stream of {count(CONFIG.test_episodes)} recall episodes, in blocks of "
        f"{count(CONFIG.block)}, one line per seed. Left: the share of queries answered right. The LSTM with a "
        f"forget gate answers every query right in {all_right('lstm')} of {len(lstm)} seeds; without a forget gate, "
        f"{all_right('no_forget')} of {len(nf)} seeds do, and the share right ranges from "
        f"{fmt(min(r['accuracy'] for r in nf), 2)} to {fmt(max(r['accuracy'] for r in nf), 2)}. Right: the largest "
        f"|c| of each block, on a log scale: with a forget gate it stays at most {fmt(max(max(r['c_max']) for r in lstm), 1)}; "
        f"without one it reaches {fmt(min(r['c_max'][-1] for r in nf), 0)} to {fmt(max(r['c_max'][-1] for r in nf), 0)} "
        "by the last block."
    )


def trained_figure(data: dict, theme: Theme):
    """Share right per block (left) and largest |c| per block (right), one line per seed and model."""
    colours = {"lstm": theme.palette[0], "no_forget": theme.palette[1]}
    styles = {"lstm": "-", "no_forget": "--"}
    fig = new_figure(theme, 8.0, 3.8)
    left = fig.add_axes((0.08, 0.15, 0.38, 0.68))
    right = fig.add_axes((0.58, 0.15, 0.38, 0.68))
    for ax in (left, right):
        style_axes(ax, theme)
        ax.grid(True, axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
        ax.set_xlabel(f"block of {count(CONFIG.block)} episodes")
    for model in TRAINED:
        for r in data[model]:
            blocks = np.arange(1, len(r["blocks"]) + 1)
            left.plot(blocks, r["blocks"], color=colours[model], linestyle=styles[model], linewidth=1.1, alpha=0.8)
            right.plot(blocks, r["c_max"], color=colours[model], linestyle=styles[model], linewidth=1.1, alpha=0.8)
    left.set_ylim(0, 1.05)
    left.set_ylabel("share of queries right")
    right.set_yscale("log")
    right.set_ylabel("largest |c| in the block")
    for k, model in enumerate(TRAINED):
        fig.text(0.08 + 0.5 * k, 0.9, ("— " if model == "lstm" else "- - ") + TRAINED[model], color=colours[model],
                 fontsize=10)  # fmt: skip
    return fig


FIGURES = [
    FigureSpec("stream-trained", compute=runs, table=trained_table, alt=trained_alt, draw=trained_figure),
]


# --- numbers and claims --------------------------------------------------------------------


def _nf_range(key: str) -> str:
    values = [r[key] for r in runs()["no_forget"]]
    return f"{fmt(min(values), 2)} to {fmt(max(values), 2)}"


NUMBERS = {
    "stream_trained_symbols": lambda: " and ".join(CONFIG.symbols),
    "stream_trained_filler": lambda: CONFIG.filler,
    "stream_trained_query": lambda: CONFIG.query,
    "stream_trained_min_lag": lambda: count(CONFIG.min_lag),
    "stream_trained_max_lag": lambda: count(CONFIG.max_lag),
    "stream_trained_hidden": lambda: count(CONFIG.hidden),
    "stream_trained_forget_bias": lambda: compact(CONFIG.forget_bias),
    "stream_trained_streams": lambda: count(CONFIG.streams),
    "stream_trained_episodes": lambda: count(CONFIG.train_episodes),
    "stream_trained_window": lambda: count(CONFIG.window),
    "stream_trained_learning_rate": lambda: fmt(CONFIG.learning_rate, 3),
    "stream_trained_updates": lambda: count(runs()["lstm"][0]["updates"]),
    "stream_trained_test_episodes": lambda: count(CONFIG.test_episodes),
    "stream_trained_block": lambda: count(CONFIG.block),
    "stream_trained_seeds": lambda: count(seeds()),
    "stream_trained_lstm_parameters": lambda: count(runs()["lstm"][0]["parameters"]),
    "stream_trained_no_forget_parameters": lambda: count(runs()["no_forget"][0]["parameters"]),
    "stream_trained_lstm_all_right": lambda: count(all_right("lstm")),
    "stream_trained_no_forget_all_right": lambda: count(all_right("no_forget")),
    "stream_trained_no_forget_accuracy": lambda: _nf_range("accuracy"),
    "stream_trained_no_forget_reset_all_right": lambda: count(all_right_reset("no_forget")),
    "stream_trained_lstm_c_max": lambda: fmt(max(max(r["c_max"]) for r in runs()["lstm"]), 1),
    "stream_trained_no_forget_c_last": lambda: (
        f"{fmt(min(r['c_max'][-1] for r in runs()['no_forget']), 0)} to "
        f"{fmt(max(r['c_max'][-1] for r in runs()['no_forget']), 0)}"),
    "stream_trained_no_forget_growth_min": lambda: fmt(min(growth(r) for r in runs()["no_forget"]), 1),
    "stream_trained_lstm_f_start": lambda: fmt(float(np.median([r["f_start"] for r in runs()["lstm"]])), 2),
    "stream_trained_lstm_f_other": lambda: fmt(float(np.median([r["f_other"] for r in runs()["lstm"]])), 2),
}
"""Every number of the trained stream the what-if page quotes."""


CLAIMS = (
    Claim(
        "stream_trained_clear_difference",
        "The LSTM with a forget gate answered every query right in {lstm} of {seeds} seeds, the LSTM without one in "
        "{no_forget} of {seeds}: a clear difference (Fisher's exact test, p = {p}).",
        "p < 0.05 (Fisher's exact test) and lstm > no_forget",
        values=lambda: {"lstm": all_right("lstm"), "no_forget": all_right("no_forget"), "seeds": seeds(),
                        "p": fisher_p(all_right("lstm"), seeds(), all_right("no_forget"), seeds())},  # fmt: skip
        holds=lambda v: v["p"] < 0.05 and v["lstm"] > v["no_forget"],
        formats={"p": p_text},
    ),
    Claim(
        "stream_trained_no_forget_grows",
        "Without a forget gate the cell state grows all along the stream: in every seed its largest |c| in the last "
        "block is at least {growth} times that of the first block.",
        "growth > 2 in every seed of no_forget",
        values=lambda: {"growth": min(growth(r) for r in runs()["no_forget"])},
        holds=lambda v: v["growth"] > 2,
    ),
    Claim(
        "stream_trained_reset_would_help",
        "Given the resets it never had in training, the LSTM without a forget gate answers every query right in "
        "{reset} of {seeds} seeds, against {stream} of {seeds} read as one stream.",
        "reset > stream",
        values=lambda: {"reset": all_right_reset("no_forget"), "stream": all_right("no_forget"), "seeds": seeds()},
        holds=lambda v: v["reset"] > v["stream"],
    ),
    Claim(
        "stream_trained_lstm_forgets_at_start",
        "The trained forget gates close a little where an episode starts: a median of {start} at an episode's "
        "first step against {other} elsewhere, lower in {lower} of {seeds} seeds.",
        "median f_start < median f_other and lower in more than half the seeds",
        values=lambda: {
            "start": float(np.median([r["f_start"] for r in runs()["lstm"]])),
            "other": float(np.median([r["f_other"] for r in runs()["lstm"]])),
            "lower": sum(r["f_start"] < r["f_other"] for r in runs()["lstm"]), "seeds": seeds()},  # fmt: skip
        holds=lambda v: v["start"] < v["other"] and v["lower"] > v["seeds"] / 2,
    ),
)
"""The trained stream's summary sentences, each with the condition that makes it true."""
