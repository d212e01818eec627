"""The gradient-flow figures: how much gradient reaches back through time, and what a forget gate does to it.

Every number comes from `lstm_explainer.experiments.gradient_flow.results` (autograd on
torch cells, cached); this module only draws and words it.

* `lags_figure`: the relative gradient norm $r(k)$ against the lag $k$ for five cells,
  median and 10th to 90th percentile band over the random initialisations, log scale.
* `france_figure`: in the hand-set France LSTM, $\\partial c_s / \\partial c_r$ for the
  `eating` unit from "ate" on, with the forget gate at "but" as designed and held at 1,
  and for `seen_france` from "France" on.
"""

from __future__ import annotations

import numpy as np

from ..cells import sigmoid
from ..experiments import gradient_flow as experiment
from ..france_weights import FORGET_BIAS, UNITS, VOCAB
from .base import FigureSpec, Table, Theme, new_figure, sci, style_axes

TABLE_LAGS = (0, 1, 2, 5, 10, 20, 50, 100)
"""The lags the table lists (the figure draws every lag)."""

QUOTED_LAG = 50
"""The lag whose medians and bands the page and the alt text quote."""

SHORT_LAG = 10
"""A short lag the page quotes beside `QUOTED_LAG` and the longest lag."""

data = experiment.results
"""The experiment's results (cached in the experiment module: read once per process)."""


def magnitude(value: float) -> str:
    """A large ratio as one digit times a power of ten, with a superscript: ``4 × 10⁶``."""
    mantissa, exponent = f"{value:.0e}".split("e")
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mantissa} × 10{str(int(exponent)).translate(superscript)}"


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


def lags_table() -> Table:
    """The median and the 10th to 90th percentile band of r(k) at a few lags, for each cell kind."""
    cells = data()["cells"]
    rows = [
        [lag, *(f"{sci(cells[k]['p50'][lag])} ({sci(cells[k]['p10'][lag])} to {sci(cells[k]['p90'][lag])})"
                for k in experiment.CELLS)]
        for lag in TABLE_LAGS
        if lag <= experiment.MAX_LAG
    ]  # fmt: skip
    settings = data()["settings"]
    return Table(
        caption=(
            f"Gradient of a loss at the last step reaching the input k steps earlier, relative to lag 0: "
            f"median over {settings['seeds']} random initialisations, 10th to 90th percentile in brackets "
            f"({settings['hidden']} hidden units, float64)."
        ),
        columns=["lag k", *experiment.CELLS.values()],
        rows=rows,
    )


def lags_alt() -> str:
    cells, lag = data()["cells"], QUOTED_LAG
    ranked = sorted(experiment.CELLS, key=lambda k: -cells[k]["p50"][lag])
    parts = [f"{experiment.CELLS[k]} {sci(cells[k]['p50'][lag])}" for k in ranked]
    return (
        "Line chart, log scale, of how much of the gradient of a loss at the last step reaches the input "
        f"k steps earlier (relative to k = 0), for k from 0 to {experiment.MAX_LAG}: a median line and a shaded "
        f"10th to 90th percentile band per cell. Every curve falls, at very different rates; at lag {lag} the "
        f"medians are, largest first: {', '.join(parts)}."
    )


def lags_figure(theme: Theme):
    """r(k) on a log axis: median line and percentile band per cell kind, labels at the right end."""
    cells = data()["cells"]
    lags = np.arange(experiment.MAX_LAG + 1)
    fig = new_figure(theme, 8.0, 4.6)
    ax = fig.add_axes((0.1, 0.12, 0.62, 0.8))
    style_axes(ax, theme)
    floor = min(min(v for v in cells[k]["p10"] if v > 0) for k in cells) / 3
    ends = []
    for kind, name in experiment.CELLS.items():
        look = style(theme, kind)
        p10, p50, p90 = (np.maximum(cells[kind][f"p{q}"], floor) for q in experiment.PERCENTILES)
        ax.fill_between(lags, p10, p90, color=look["color"], alpha=0.16, linewidth=0)
        ax.plot(lags, p50, linewidth=2.0, **look)
        ends.append((p50[-1], name, look["color"]))
    ax.set_yscale("log")
    ax.set_xlim(0, experiment.MAX_LAG)
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


def france_table() -> Table:
    """dc_s/dc_r for each line of the France figure, at every word."""
    france = data()["france"]
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


def france_alt() -> str:
    france = data()["france"]
    last = {(v, u): france[v]["paths"][u]["values"][-1] for v, u, _ in FRANCE_LINES}
    return (
        "Line chart, log scale, over the words of the sentence: how much of a change to a unit's cell state "
        "at the word that wrote it still reaches that unit at each later word. For eating, written at 'ate', "
        f"it stays near 1 until 'but' and then drops to {sci(last[('standard', 'eating')])}; with the forget gate "
        f"held at 1 at 'but' it stays at {sci(last[('forget_kept_at_but', 'eating')])} up to the last word, as "
        f"seen_france does ({sci(last[('standard', 'seen_france')])})."
    )


def france_figure(theme: Theme):
    """The three paths over the words, a marker per word, 'but' marked."""
    france = data()["france"]
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


def facts() -> dict[str, str]:
    """Every number the gradient-flow page quotes."""
    results = data()
    cells, settings, france = results["cells"], results["settings"], results["france"]
    out = {
        "gradflow_hidden": str(settings["hidden"]),
        "gradflow_input": str(settings["input"]),
        "gradflow_burn_in": str(settings["burn_in"]),
        "gradflow_max_lag": str(settings["max_lag"]),
        "gradflow_seeds": str(settings["seeds"]),
    }
    out["gradflow_quoted_lag"] = str(QUOTED_LAG)
    out["gradflow_short_lag"] = str(SHORT_LAG)
    out["gradflow_half_lag"] = str(settings["max_lag"] // 2)
    last = settings["max_lag"]
    for kind in experiment.CELLS:
        out[f"gradflow_{kind}_short"] = sci(cells[kind]["p50"][SHORT_LAG])
        out[f"gradflow_{kind}_quoted"] = sci(cells[kind]["p50"][QUOTED_LAG])
        out[f"gradflow_{kind}_max_lag"] = sci(cells[kind]["p50"][last])
        out[f"gradflow_{kind}_quoted_p10"] = sci(cells[kind]["p10"][QUOTED_LAG])
        out[f"gradflow_{kind}_quoted_p90"] = sci(cells[kind]["p90"][QUOTED_LAG])
        out[f"gradflow_{kind}_per_step"] = f"{cells[kind]['per_step']:.3f}"
    out["gradflow_smallest_ratio"] = sci(min(min(map(min, cells[k]["seeds"])) for k in experiment.CELLS))
    # what the bare forget gate would give: sigma(b)^QUOTED_LAG
    for bias in (0, 1):
        out[f"gradflow_sigmoid{bias}"] = f"{float(sigmoid(np.float64(bias))):.3f}"
        out[f"gradflow_sigmoid{bias}_pow_quoted"] = sci(float(sigmoid(np.float64(bias))) ** QUOTED_LAG)
    # a memory unit of the France LSTM keeps sigma(FORGET_BIAS)^k of its gradient over k words
    out["gradflow_france_keep_max_lag"] = f"{float(sigmoid(np.float64(FORGET_BIAS))) ** last:.2f}"
    # how many times more gradient survives QUOTED_LAG steps (medians)
    for high, low in (("irnn", "tanh_rnn"), ("lstm_bias1", "lstm_bias0")):
        ratio = cells[high]["p50"][QUOTED_LAG] / cells[low]["p50"][QUOTED_LAG]
        out[f"gradflow_ratio_{high}_{low}_quoted"] = magnitude(ratio)
    std, kept = france["standard"], france["forget_kept_at_but"]
    tokens = std["tokens"]
    but, ate = tokens.index("but"), tokens.index("ate")
    eating = std["paths"]["eating"]
    out["gradflow_france_eating_before_but"] = f"{eating['values'][but - 1 - ate]:.4f}"
    out["gradflow_france_eating_after_but"] = f"{eating['values'][but - ate]:.4f}"
    # the step across 'but' multiplies the path by the forget gate there
    out["gradflow_france_f_at_but"] = f"{eating['values'][but - ate] / eating['values'][but - 1 - ate]:.4f}"
    out["gradflow_france_eating_last"] = f"{eating['values'][-1]:.4f}"
    out["gradflow_france_kept_eating_last"] = f"{kept['paths']['eating']['values'][-1]:.3f}"
    out["gradflow_france_seen_france_last"] = f"{std['paths']['seen_france']['values'][-1]:.3f}"
    out["gradflow_france_words_ate_to_the"] = str(std["loss_word"]["end"] - ate)
    unit = UNITS.index("eating")
    out["gradflow_france_loss_grad_eating"] = f"{std['loss_grad'][unit]:.4f}"
    out["gradflow_france_kept_loss_grad_eating"] = f"{kept['loss_grad'][unit]:.3f}"
    out["gradflow_france_loss"] = f"{std['loss']:.2f}"
    out["gradflow_france_kept_loss"] = f"{kept['loss']:.2f}"
    wine = VOCAB.index("wine")
    out["gradflow_france_p_wine"] = f"{std['probs'][wine]:.2f}"
    out["gradflow_france_kept_p_wine"] = f"{kept['probs'][wine]:.2f}"
    others = [abs(v) for k, v in enumerate(std["jacobian_rows"]["eating"]) if k != unit]
    out["gradflow_france_other_units_max"] = sci(max(others))
    return out


FIGURES = [
    FigureSpec(name="gradflow-lags", alt=lags_alt, table=lags_table, draw=lags_figure),
    FigureSpec(name="gradflow-france", alt=france_alt, table=france_table, draw=france_figure),
]
