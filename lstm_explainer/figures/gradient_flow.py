"""The gradient-flow figures: how much gradient reaches back through time, and what a forget gate does to it.

Every number comes from `lstm_explainer.experiments.gradient_flow.results` (autograd on
torch cells, cached on disk and read once per process) and its ``CONFIG``; this module only
draws and words it. Each figure computes its numbers once (``compute``), and its table, alt
text and drawing are functions of that result:

* ``gradflow-lags`` (`lag_profiles`, drawn by `lags_figure`): the relative gradient norm
  $r(k)$ against the lag $k$ for five cells, median and 10th to 90th percentile band over
  the random initialisations, log scale.
* ``gradflow-france`` (`france_paths`, drawn by `france_figure`): in the hand-set France
  LSTM, $\\partial c_s / \\partial c_r$ for the `eating` unit from "ate" on, with the forget
  gate at "but" as designed and held at 1, and for `seen_france` from "France" on.

``NUMBERS`` has every number the page quotes.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..cells import sigmoid
from ..experiments import gradient_flow as experiment
from ..formatting import count, fmt, sci
from ..france_weights import FORGET_BIAS, UNITS, VOCAB
from .base import FigureSpec, Table, Theme, new_figure, style_axes

CONFIG = experiment.CONFIG
"""The experiment's settings, which the page quotes."""

TABLE_LAGS = (0, 1, 2, 5, 10, 20, 50, 100)
"""The lags the table lists (the figure draws every lag)."""

QUOTED_LAG = 50
"""The lag whose medians and bands the page and the alt text quote."""

SHORT_LAG = 10
"""A short lag the page quotes beside `QUOTED_LAG` and the longest lag."""

results = experiment.results
"""The experiment's results (cached in the experiment module: read once per process)."""


def style(theme: Theme, kind: str) -> dict:
    """Colour and dash of a cell kind: both LSTMs share a colour, bias 0 dashed."""
    colour = {
        "tanh_rnn": theme.palette[1],
        "irnn": theme.palette[2],
        "lstm_bias0": theme.palette[0],
        "lstm_bias1": theme.palette[0],
        "gru": theme.palette[3],
    }[kind]
    return {"color": colour, "linestyle": (0, (5, 3)) if kind == "lstm_bias0" else "-"}


# --- 1. the lag profiles --------------------------------------------------------------


def lag_profiles() -> dict[str, dict]:
    """Per cell kind (`experiment.CELLS`): r(k) of every seed (``seeds``), its percentiles
    over the seeds (``p10``, ``p50``, ``p90``, lists of ``max_lag + 1`` ratios) and ``per_step``."""
    return results()["cells"]


def lags_table(cells: dict[str, dict]) -> Table:
    """The median and the 10th to 90th percentile band of r(k) at a few lags, for each cell kind."""
    rows = [
        [lag, *(f"{sci(cells[k]['p50'][lag])} ({sci(cells[k]['p10'][lag])} to {sci(cells[k]['p90'][lag])})"
                for k in experiment.CELLS)]
        for lag in TABLE_LAGS
        if lag <= CONFIG.max_lag
    ]  # fmt: skip
    return Table(
        caption=(
            f"Gradient of a loss at the last step reaching the input k steps earlier, relative to lag 0: "
            f"median over {len(CONFIG.seeds)} random initialisations, 10th to 90th percentile in brackets "
            f"({CONFIG.hidden} hidden units, float64)."
        ),
        columns=["lag k", *experiment.CELLS.values()],
        rows=rows,
    )


def lags_alt(cells: dict[str, dict]) -> str:
    lag = QUOTED_LAG
    ranked = sorted(experiment.CELLS, key=lambda k: -cells[k]["p50"][lag])
    parts = [f"{experiment.CELLS[k]} {sci(cells[k]['p50'][lag])}" for k in ranked]
    return (
        "Line chart, log scale, of how much of the gradient of a loss at the last step reaches the input "
        f"k steps earlier (relative to k = 0), for k from 0 to {CONFIG.max_lag}: a median line and a shaded "
        f"10th to 90th percentile band per cell. Every curve falls, at very different rates; at lag {lag} the "
        f"medians are, largest first: {', '.join(parts)}."
    )


def lags_figure(cells: dict[str, dict], theme: Theme):
    """r(k) on a log axis: median line and percentile band per cell kind, labels at the right end."""
    lags = np.arange(CONFIG.max_lag + 1)
    fig = new_figure(theme, 8.0, 4.6)
    ax = fig.add_axes((0.1, 0.12, 0.62, 0.8))
    style_axes(ax, theme)
    floor = min(min(v for v in cells[k]["p10"] if v > 0) for k in cells) / 3
    ends = []
    for kind, name in experiment.CELLS.items():
        look = style(theme, kind)
        p10, p50, p90 = (np.maximum(cells[kind][f"p{q}"], floor) for q in CONFIG.percentiles)
        ax.fill_between(lags, p10, p90, color=look["color"], alpha=0.16, linewidth=0)
        ax.plot(lags, p50, linewidth=2.0, **look)
        ends.append((p50[-1], name, look["color"]))
    ax.set_yscale("log")
    ax.set_xlim(0, CONFIG.max_lag)
    ax.set_ylim(floor, 2.0)
    ax.set_xlabel("lag k = T − t (steps back from the loss)")
    ax.set_ylabel("‖∂L/∂x_t‖ relative to lag 0")
    ax.grid(True, which="major", axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    end_labels(ax, ends)
    return fig


# --- 2. the France LSTM ---------------------------------------------------------------

FRANCE_LINES = (
    ("standard", "eating", "eating, forget gate as designed"),
    ("forget_kept_at_but", "eating", "eating, forget gate held at 1 at 'but'"),
    ("standard", "seen_france", "seen_france, as designed"),
)
"""The lines of the France figure: variant, unit, label."""


def france_paths() -> dict[str, dict]:
    """Per France variant (``CONFIG.france_variants``): `experiment.france_gradients`."""
    return results()["france"]


def france_table(france: dict[str, dict]) -> Table:
    """dc_s/dc_r for each line of the France figure, at every word."""
    tokens = france["standard"]["tokens"]
    rows = []
    for s, token in enumerate(tokens):
        row = [s + 1, token]
        for variant, unit, _ in FRANCE_LINES:
            path = france[variant]["paths"][unit]
            k = s - path["start"]
            row.append(sci(path["values"][k]) if k >= 0 else "–")
        rows.append(row)
    return Table(
        caption=(
            "How much of a change to a unit's cell state, made at the word that writes it, is still there "
            "at each later word: dc_s/dc_r from autograd through the France LSTM."
        ),
        columns=["word number", "word", *(label for _, _, label in FRANCE_LINES)],
        rows=rows,
    )


def france_alt(france: dict[str, dict]) -> str:
    last = {(v, u): france[v]["paths"][u]["values"][-1] for v, u, _ in FRANCE_LINES}
    return (
        "Line chart, log scale, over the words of the sentence: how much of a change to a unit's cell state "
        "at the word that wrote it still reaches that unit at each later word. For eating, written at 'ate', "
        f"it stays near 1 until 'but' and then drops to {sci(last[('standard', 'eating')])}; with the forget gate "
        f"held at 1 at 'but' it stays at {sci(last[('forget_kept_at_but', 'eating')])} up to the last word, as "
        f"seen_france does ({sci(last[('standard', 'seen_france')])})."
    )


def france_figure(france: dict[str, dict], theme: Theme):
    """The three paths over the words, a marker per word, 'but' marked."""
    tokens = france["standard"]["tokens"]
    fig = new_figure(theme, 8.0, 3.8)
    ax = fig.add_axes((0.1, 0.2, 0.6, 0.72))
    style_axes(ax, theme)
    colours = (theme.palette[1], theme.palette[0], theme.palette[2])
    dashes = ("-", (0, (5, 3)), ":")
    ends = []
    for (variant, unit, label), colour, dash in zip(FRANCE_LINES, colours, dashes):
        path = france[variant]["paths"][unit]
        xs = np.arange(path["start"], path["start"] + len(path["values"]))
        ax.plot(xs, path["values"], color=colour, linestyle=dash, linewidth=2.0, marker="o", markersize=4)
        ends.append((path["values"][-1], label, colour))
    ax.axvline(tokens.index("but"), color=theme.muted, linewidth=1.0, linestyle=":")
    ax.set_yscale("log")
    ax.set_ylim(min(france["standard"]["paths"]["eating"]["values"]) / 3, 2.0)
    ax.set_xlim(-0.3, len(tokens) - 0.7)
    ax.set_xticks(range(len(tokens)), tokens, rotation=40, ha="right", rotation_mode="anchor")
    ax.set_xlabel("word s")
    ax.set_ylabel("∂c_s / ∂c_r  (same unit)")
    ax.grid(True, which="major", axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    end_labels(ax, ends)
    return fig


def end_labels(ax, ends: list[tuple[float, str, str]], gap: float = 0.075) -> None:
    """Label lines at the right edge of a log-scale axes: ``ends`` holds (last value, text, colour).

    Labels are pushed up until they are at least ``gap`` (a fraction of the axes' height) apart.
    """
    low, high = np.log10(ax.get_ylim())
    ys = sorted(((np.log10(value) - low) / (high - low), text, colour) for value, text, colour in ends)
    placed = []
    for y, text, colour in ys:
        y = max(y, placed[-1] + gap) if placed else y
        placed.append(y)
        ax.annotate(text, xy=(1.0, y), xycoords="axes fraction", xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=9.5, color=colour)  # fmt: skip


# --- numbers for the prose -------------------------------------------------------------


def median_at(kind: str, lag: int) -> str:
    """The median r(lag) of ``kind`` over the seeds (`sci`)."""
    return sci(lag_profiles()[kind]["p50"][lag])


def band_at(kind: str, percentile: int, lag: int) -> str:
    """The ``percentile``-th percentile over the seeds of ``kind``'s r(lag) (`sci`)."""
    return sci(lag_profiles()[kind][f"p{percentile}"][lag])


def per_step(kind: str) -> str:
    """How much ``kind``'s median shrinks per step over the second half of the lags (`experiment.per_step`)."""
    return fmt(lag_profiles()[kind]["per_step"], 3)


def times_more(high: str, low: str) -> str:
    """How many times more gradient ``high`` keeps than ``low`` over `QUOTED_LAG` steps (medians)."""
    cells = lag_profiles()
    return count(cells[high]["p50"][QUOTED_LAG] / cells[low]["p50"][QUOTED_LAG])


def smallest_ratio() -> str:
    """The smallest r(k) measured, over every cell, seed and lag."""
    cells = lag_profiles()
    return sci(min(min(map(min, cells[kind]["seeds"])) for kind in experiment.CELLS))


def forget_gate(bias: float) -> float:
    """What a forget gate with ``bias`` and no other input keeps per step: sigma(bias)."""
    return float(sigmoid(np.float64(bias)))


def eating_around_but() -> tuple[float, float]:
    """d c_s / d c_r of the `eating` unit from 'ate' (as designed) at the word before 'but', and at 'but'."""
    standard = france_paths()["standard"]
    tokens = standard["tokens"]
    values, ate, but = standard["paths"]["eating"]["values"], tokens.index("ate"), tokens.index("but")
    return values[but - 1 - ate], values[but - ate]


def words_ate_to_the() -> int:
    """Words from 'ate' to the last 'the', after which the next-word loss is read."""
    standard = france_paths()["standard"]
    return standard["loss_word"]["end"] - standard["tokens"].index("ate")


def france_last(variant: str, unit: str) -> float:
    """d c_s / d c_r of ``unit`` at the last word under ``variant``."""
    return france_paths()[variant]["paths"][unit]["values"][-1]


def loss_grad_eating(variant: str) -> float:
    """The gradient of the next-word loss after the last 'the' reaching the `eating` unit's cell state at 'ate'."""
    return france_paths()[variant]["loss_grad"][UNITS.index("eating")]


def p_wine(variant: str) -> float:
    """The France LSTM's probability of 'wine' after the last 'the' under ``variant``."""
    return france_paths()[variant]["probs"][VOCAB.index("wine")]


def other_units_max() -> str:
    """The largest |d c_s[eating] / d c_r[u]| at the last word over the units u other than `eating`."""
    unit = UNITS.index("eating")
    row = france_paths()["standard"]["jacobian_rows"]["eating"]
    return sci(max(abs(v) for k, v in enumerate(row) if k != unit))


NUMBERS: dict[str, Callable[[], str]] = {
    # the settings (CONFIG) and the lags the page quotes
    "gradflow_hidden": lambda: count(CONFIG.hidden),
    "gradflow_input": lambda: count(CONFIG.input),
    "gradflow_burn_in": lambda: count(CONFIG.burn_in),
    "gradflow_max_lag": lambda: count(CONFIG.max_lag),
    "gradflow_half_lag": lambda: count(CONFIG.max_lag // 2),
    "gradflow_seeds": lambda: count(len(CONFIG.seeds)),
    "gradflow_quoted_lag": lambda: count(QUOTED_LAG),
    "gradflow_short_lag": lambda: count(SHORT_LAG),
    # the medians and bands at the quoted lag
    "gradflow_tanh_rnn_quoted": lambda: median_at("tanh_rnn", QUOTED_LAG),
    "gradflow_tanh_rnn_quoted_p10": lambda: band_at("tanh_rnn", 10, QUOTED_LAG),
    "gradflow_tanh_rnn_quoted_p90": lambda: band_at("tanh_rnn", 90, QUOTED_LAG),
    "gradflow_irnn_quoted": lambda: median_at("irnn", QUOTED_LAG),
    "gradflow_irnn_quoted_p10": lambda: band_at("irnn", 10, QUOTED_LAG),
    "gradflow_irnn_quoted_p90": lambda: band_at("irnn", 90, QUOTED_LAG),
    "gradflow_lstm_bias0_quoted": lambda: median_at("lstm_bias0", QUOTED_LAG),
    "gradflow_lstm_bias0_quoted_p10": lambda: band_at("lstm_bias0", 10, QUOTED_LAG),
    "gradflow_lstm_bias0_quoted_p90": lambda: band_at("lstm_bias0", 90, QUOTED_LAG),
    "gradflow_lstm_bias1_quoted": lambda: median_at("lstm_bias1", QUOTED_LAG),
    "gradflow_lstm_bias1_quoted_p10": lambda: band_at("lstm_bias1", 10, QUOTED_LAG),
    "gradflow_lstm_bias1_quoted_p90": lambda: band_at("lstm_bias1", 90, QUOTED_LAG),
    "gradflow_gru_quoted": lambda: median_at("gru", QUOTED_LAG),
    "gradflow_gru_quoted_p10": lambda: band_at("gru", 10, QUOTED_LAG),
    "gradflow_gru_quoted_p90": lambda: band_at("gru", 90, QUOTED_LAG),
    # the medians at a short and at the longest lag
    "gradflow_tanh_rnn_short": lambda: median_at("tanh_rnn", SHORT_LAG),
    "gradflow_tanh_rnn_max_lag": lambda: median_at("tanh_rnn", CONFIG.max_lag),
    "gradflow_irnn_max_lag": lambda: median_at("irnn", CONFIG.max_lag),
    # the shrinking per step over the second half of the lags
    "gradflow_tanh_rnn_per_step": lambda: per_step("tanh_rnn"),
    "gradflow_irnn_per_step": lambda: per_step("irnn"),
    "gradflow_lstm_bias0_per_step": lambda: per_step("lstm_bias0"),
    "gradflow_lstm_bias1_per_step": lambda: per_step("lstm_bias1"),
    "gradflow_gru_per_step": lambda: per_step("gru"),
    # how many times more gradient survives QUOTED_LAG steps (medians)
    "gradflow_ratio_irnn_tanh_rnn_quoted": lambda: times_more("irnn", "tanh_rnn"),
    "gradflow_ratio_lstm_bias1_lstm_bias0_quoted": lambda: times_more("lstm_bias1", "lstm_bias0"),
    "gradflow_smallest_ratio": smallest_ratio,
    # what the bare forget gate would give: sigma(b), and sigma(b)^QUOTED_LAG
    "gradflow_sigmoid0": lambda: fmt(forget_gate(0), 3),
    "gradflow_sigmoid0_pow_quoted": lambda: sci(forget_gate(0) ** QUOTED_LAG),
    "gradflow_sigmoid1": lambda: fmt(forget_gate(1), 3),
    "gradflow_sigmoid1_pow_quoted": lambda: sci(forget_gate(1) ** QUOTED_LAG),
    # a memory unit of the France LSTM keeps sigma(FORGET_BIAS)^k of its gradient over k words
    "gradflow_france_keep_max_lag": lambda: fmt(forget_gate(FORGET_BIAS) ** CONFIG.max_lag),
    # the France LSTM: the eating unit's path across 'but', and the other paths at the last word
    "gradflow_france_eating_before_but": lambda: fmt(eating_around_but()[0], 4),
    "gradflow_france_eating_after_but": lambda: fmt(eating_around_but()[1], 4),
    # the step across 'but' multiplies the path by the forget gate there
    "gradflow_france_f_at_but": lambda: fmt(eating_around_but()[1] / eating_around_but()[0], 4),
    "gradflow_france_eating_last": lambda: fmt(france_last("standard", "eating"), 4),
    "gradflow_france_kept_eating_last": lambda: fmt(france_last("forget_kept_at_but", "eating"), 3),
    "gradflow_france_seen_france_last": lambda: fmt(france_last("standard", "seen_france"), 3),
    "gradflow_france_other_units_max": other_units_max,
    # the next-word loss after the last 'the' (the next word is 'wine'), and what reaches 'ate'
    "gradflow_france_words_ate_to_the": lambda: count(words_ate_to_the()),
    "gradflow_france_loss_grad_eating": lambda: fmt(loss_grad_eating("standard"), 4),
    "gradflow_france_kept_loss_grad_eating": lambda: fmt(loss_grad_eating("forget_kept_at_but"), 3),
    "gradflow_france_loss": lambda: fmt(france_paths()["standard"]["loss"]),
    "gradflow_france_kept_loss": lambda: fmt(france_paths()["forget_kept_at_but"]["loss"]),
    "gradflow_france_p_wine": lambda: fmt(p_wine("standard")),
    "gradflow_france_kept_p_wine": lambda: fmt(p_wine("forget_kept_at_but")),
}
"""Every number the gradient-flow page quotes, by placeholder name."""

FIGURES = [
    FigureSpec("gradflow-lags", compute=lag_profiles, table=lags_table, alt=lags_alt, draw=lags_figure),
    FigureSpec("gradflow-france", compute=france_paths, table=france_table, alt=france_alt, draw=france_figure),
]
