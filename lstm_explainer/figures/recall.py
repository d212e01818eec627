"""The recall figures: the forget-gate bias, and the LSTM against its variants, on long-lag recall.

Every number comes from `lstm_explainer.experiments.recall.results` (real torch training,
cached per run) and its settings from `lstm_explainer.experiments.recall.CONFIG`; this module
only draws and words them. Each figure computes its rows once (``compute``), then draws,
tabulates and describes those rows:

* ``recall-bias-outcomes`` (`bias_outcomes_figure`): updates to solve, one marker per seed,
  for forget-gate bias 0 and 1 at each lag; unsolved runs in a band above the cap, medians
  as bars.
* ``recall-bias-curves`` (`bias_curves_figure`): the learning curves at `CURVE_LAG`, one
  line per seed and bias.
* ``recall-bias-retention`` (`bias_retention_figure`): the product of the forget gate over
  the lag, per run, before and after training, on a log scale, with $\\sigma(b)^L$, the
  value of a bare bias.
* ``recall-variants-outcomes`` (`variants_outcomes_figure`): updates to solve for the five
  models at each lag.

``TABLES`` offers the two outcome tables on their own, and ``NUMBERS`` every number the
pages ``docs/further/forget-bias.md`` and ``docs/further/variants.md`` quote.
"""

from __future__ import annotations

import numpy as np

from ..cells import sigmoid
from ..claims import Claim, fisher_p
from ..experiments import recall as experiment
from ..experiments.recall import CONFIG
from ..experiments.recall_models import LEARNED_BLOCKS, OPEN, VARIANTS
from ..formatting import compact, count, fmt, join, prob, sci
from .base import FigureSpec, Table, Theme, new_figure, style_axes

NAMES = {
    "lstm": "LSTM",
    "no_forget": "no forget gate (as in 1997)",
    "cifg": "coupled gates (CIFG)",
    "no_output": "no output gate",
    "lstm_low_input": "LSTM, input-gate bias −1",
    "gru": "GRU",
}
"""How the pages and figures name each model."""

SHORT = {"lstm": "LSTM", "no_forget": "no forget\n(1997)", "cifg": "CIFG", "no_output": "no output\ngate",
         "lstm_low_input": "LSTM,\ni bias −1", "gru": "GRU"}  # fmt: skip
"""Names short enough for the variants figure's axis."""

CURVE_LAG = 50
"""The lag whose learning curves are drawn."""

OTHERS = tuple(v for v in VARIANTS if v != "lstm")
"""The four models the variants page sets beside the standard LSTM."""

MARKERS = (("o", "●"), ("s", "■"), ("^", "▲"))
"""Each series' marker and its legend glyph: shape as well as colour tells them apart."""


# --- the rows a figure shows (the experiment's results are read once per process) ----------


def float64_rows() -> list[dict]:
    """The float64 control's rows, one per lag (see `experiment.summarise`)."""
    return experiment.results()["float64"]


def bias_rows() -> list[dict]:
    """The forget-bias study's rows, one per lag and bias (see `experiment.summarise`)."""
    return experiment.results()["bias"]


def variant_rows() -> list[dict]:
    """The variants study's rows, one per model and lag."""
    return experiment.results()["variants"]


def curve_rows() -> list[dict]:
    """The forget-bias study's rows at `CURVE_LAG`, one per bias of ``CONFIG.bias_settings``, in that order."""
    return [bias_row(CURVE_LAG, bias) for bias in CONFIG.bias_settings]


def bias_row(lag: int, bias: float, rows: list[dict] | None = None) -> dict:
    """The forget-bias study's row for ``lag`` and ``bias`` (of ``rows``, by default all of them);
    `InputError` if the study has no such row."""
    return experiment.find(bias_rows() if rows is None else rows, lag=lag, memory_bias=bias)


def variant_row(variant: str, lag: int, rows: list[dict] | None = None) -> dict:
    """The variants study's row for ``variant`` and ``lag`` (of ``rows``, by default all of them)."""
    return experiment.find(variant_rows() if rows is None else rows, variant=variant, lag=lag)


# --- words for a row --------------------------------------------------------------------


def median_text(row: dict) -> str:
    """A row's median updates to solve, or "more than <cap>" when half or more did not solve."""
    median = row["median_updates"]
    return f"more than {count(CONFIG.max_updates)}" if median is None else count(median)


def solved_text(row: dict) -> str:
    """How many of a row's runs solved: ``3 of 5``."""
    return f"{row['solved']} of {row['runs']}"


def updates_text(updates: list) -> str:
    """Updates to solve by seed: ``58, 42, –``, a dash for unsolved."""
    return ", ".join("–" if u is None else count(u) for u in updates)


def solved_range(row: dict) -> str:
    """The fewest and most updates of a row's solved runs: ``58 to 106``."""
    solved = [u for u in row["updates"] if u is not None]
    return f"{count(min(solved))} to {count(max(solved))}" if solved else "none solved"


def slowest_solved(row: dict) -> str:
    """The most updates any of a row's solved runs took (`ValueError` if none solved)."""
    return count(max(u for u in row["updates"] if u is not None))


def median_retention(row: dict, when: str) -> str:
    """The seeds' median retention of a row, ``when`` ``"start"`` (before training) or ``"end"``."""
    return sci(float(np.median(row[f"retention_{when}"])))


def separation_max(row: dict) -> str:
    """The widest separation of a row's seeds before training."""
    return sci(max(row["separation_start"]))


def separation_zero(row: dict) -> str:
    """How many of a row's seeds start with the sequences exactly together: ``2 of 5``."""
    return f"{sum(v == 0 for v in row['separation_start'])} of {row['runs']}"


def separation_one_step(row: dict) -> str:
    """How many of a row's seeds start at most one float32 rounding step apart: ``4 of 5``."""
    return f"{sum(v <= 1 for v in row['separation_start_steps'])} of {row['runs']}"


def separation_steps_min(row: dict) -> str:
    """The fewest float32 rounding steps apart any of a row's seeds starts."""
    return fmt(min(row["separation_start_steps"]), 0)


def separation_median(row: dict) -> str:
    """The seeds' median separation before training."""
    return sci(float(np.median(row["separation_start"])))


def bare_retention(bias: float, lag: int) -> float:
    """sigma(b)^L: what a forget gate that is nothing but its bias keeps over ``lag`` steps."""
    return float(sigmoid(np.float64(bias))) ** lag


def retention_bounds(rows: list[dict]) -> tuple[float, float]:
    """Over every run of ``rows``: the least retention after training of a run that solved, and
    the most of a run that failed (`ValueError` if no run solved, or none failed)."""
    runs = [(e, u) for row in rows for e, u in zip(row["retention_end"], row["updates"])]
    return min(e for e, u in runs if u is not None), max(e for e, u in runs if u is None)


def longest_climb(rows: list[dict]) -> int:
    """The most updates any solved run of ``rows`` took from the plateau to solving (see
    `experiment.climb_updates`)."""
    return max(u for row in rows for u in row["climb_updates"] if u is not None)


# --- shared drawing: updates to solve, a marker per seed --------------------------------


def outcome_axes(fig, theme: Theme, rect, groups: list[tuple[str, list[dict]]], series: list[tuple[str, str]]):
    """A dot plot of updates to solve: ``groups`` are (label, rows, one per series) along x.

    Solved runs are filled markers at their update count, unsolved ones hollow markers in a
    band above the cap; a short bar marks each median and the number solved sits on top.
    """
    cap = CONFIG.max_updates
    band = cap * 1.12
    ax = fig.add_axes(rect)
    style_axes(ax, theme)
    width = 0.8 / len(series)
    for g, (_, rows) in enumerate(groups):
        for s, ((_, colour), row) in enumerate(zip(series, rows)):
            centre = g + (s - (len(series) - 1) / 2) * width
            n = len(row["updates"])
            xs = centre + (np.arange(n) - (n - 1) / 2) * width * 0.16
            solved = [u is not None for u in row["updates"]]
            ys = [u if u is not None else band for u in row["updates"]]
            marker = MARKERS[s][0]
            ax.scatter([x for x, ok in zip(xs, solved) if ok], [y for y, ok in zip(ys, solved) if ok], s=26,
                       color=colour, zorder=3, linewidths=0, marker=marker)  # fmt: skip
            ax.scatter([x for x, ok in zip(xs, solved) if not ok], [y for y, ok in zip(ys, solved) if not ok], s=26,
                       facecolors="none", edgecolors=colour, zorder=3, linewidths=1.2, marker=marker)  # fmt: skip
            if row["median_updates"] is not None:
                ax.plot([centre - width * 0.42, centre + width * 0.42], [row["median_updates"]] * 2, color=colour,
                        linewidth=2.2, solid_capstyle="butt", zorder=2)  # fmt: skip
            ax.text(centre, cap * 1.25, f"{row['solved']}/{row['runs']}", ha="center", va="bottom", fontsize=9.5,
                    color=colour, weight="bold")  # fmt: skip
    ax.axhspan(cap * 1.04, cap * 1.2, color=theme.line, alpha=0.12, linewidth=0)
    ax.axhline(cap, color=theme.muted, linewidth=0.8, linestyle=":")
    ax.set_ylim(0, cap * 1.36)
    ticks = list(range(0, cap + 1, 100))
    ax.set_yticks(ticks + [band], [count(t) for t in ticks] + ["unsolved"])
    ax.set_xlim(-0.55, len(groups) - 0.45)
    ax.set_xticks(range(len(groups)), [label for label, _ in groups])
    ax.set_ylabel("updates to solve")
    ax.grid(True, axis="y", color=theme.line, alpha=0.25, linewidth=0.6)
    ax.set_axisbelow(True)
    return ax


def legend(ax, theme: Theme, series: list[tuple[str, str]], y: float = 1.1) -> None:
    """The series' names in their colours, in a row above the axes."""
    step = 1.0 / (len(series) + 1)
    for k, (label, colour) in enumerate(series):
        ax.text(step * (k + 1), y, f"{MARKERS[k][1]} {label}", transform=ax.transAxes, ha="center", va="bottom", fontsize=10,
                color=colour)  # fmt: skip


def bias_series(theme: Theme) -> list[tuple[str, str]]:
    """(legend label, colour) of each forget-gate bias of ``CONFIG.bias_settings``."""
    return [(f"forget-gate bias {compact(b)}", theme.palette[k]) for k, b in enumerate(CONFIG.bias_settings)]


# --- 1. forget-gate bias: who solves, how fast -----------------------------------------


def bias_table(rows: list[dict]) -> Table:
    """Per lag and bias (``rows``: `bias_rows`): runs solved, median updates, updates by seed."""
    return Table(
        caption=(
            f"The LSTM on long-lag recall with forget-gate bias 0 and 1: runs that solved the task within "
            f"{count(CONFIG.max_updates)} updates, median updates to solve, and the updates of each seed "
            f"({', '.join(map(str, CONFIG.seeds))}; – for unsolved)."
        ),
        columns=["lag", "forget-gate bias", "solved", "median updates", "updates by seed"],
        rows=[[row["lag"], compact(row["memory_bias"]), solved_text(row), median_text(row),
               updates_text(row["updates"])] for row in rows],  # fmt: skip
    )


def bias_outcomes_alt(rows: list[dict]) -> str:
    """What `bias_outcomes_figure` shows, in words, from ``rows`` (`bias_rows`)."""
    parts = []
    for lag in CONFIG.bias_lags:
        said = [f"bias {compact(b)} solved {row['solved']} of {row['runs']}" + (
            f" (median {median_text(row)} updates)" if row["median_updates"] is not None else "")
            for b in CONFIG.bias_settings for row in [bias_row(lag, b, rows)]]  # fmt: skip
        parts.append(f"At lag {lag}, " + " and ".join(said))
    reach = {b: max([lag for lag in CONFIG.bias_lags if bias_row(lag, b, rows)["solved"]], default=None)
             for b in CONFIG.bias_settings}  # fmt: skip
    longest = [f"bias {compact(b)} up to lag {lag}" if lag else f"bias {compact(b)} at no lag" for b, lag in reach.items()]
    return (
        "Dot chart of updates to solve the recall task, one marker per seed, for an LSTM with forget-gate bias 0 "
        f"and bias 1 at lags {', '.join(map(str, CONFIG.bias_lags))}; unsolved runs sit in a band above "
        f"the cap of {count(CONFIG.max_updates)} updates. " + ". ".join(parts) + ". "
        f"Some runs solve with {' and with '.join(longest)}."
    )


def bias_outcomes_figure(rows: list[dict], theme: Theme):
    """Updates to solve per seed, bias 0 and 1 side by side at each lag (``rows``: `bias_rows`)."""
    series = bias_series(theme)
    groups = [(f"lag {lag}", [bias_row(lag, b, rows) for b in CONFIG.bias_settings]) for lag in CONFIG.bias_lags]
    fig = new_figure(theme, 7.2, 4.0)
    ax = outcome_axes(fig, theme, (0.12, 0.1, 0.84, 0.74), groups, series)
    legend(ax, theme, series)
    return fig


# --- 2. forget-gate bias: learning curves ----------------------------------------------


def curves_table(rows: list[dict]) -> Table:
    """The smallest right-answer probability every 50 updates, per bias and seed (``rows``: `curve_rows`)."""
    every, marks = CONFIG.curve_every, range(0, CONFIG.max_updates + 1, 50)
    lines = []
    for bias, row in zip(CONFIG.bias_settings, rows):
        for seed, curve in zip(row["seeds"], row["curves"]):
            samples = {k * every: p for k, p in enumerate(curve)}
            lines.append([compact(bias), seed, *(prob(samples[u]) if u in samples else "" for u in marks)])
    return Table(
        caption=(
            f"Learning curves at lag {CURVE_LAG}: the smallest probability the model gives a right answer, every "
            f"50 updates until the run solves the task (empty after that)."
        ),
        columns=["bias", "seed", *(f"update {u}" for u in marks)],
        rows=lines,
    )


def curves_alt(rows: list[dict]) -> str:
    """What `bias_curves_figure` shows, in words, from ``rows`` (`curve_rows`: bias 0, then bias 1)."""
    low, high = rows

    def stuck(row: dict) -> int:  # unsolved runs that end at a guess, 0.5 give or take 0.01
        return sum(u is None and abs(p - 0.5) <= 0.01 for u, p in zip(row["updates"], row["final_probability"]))

    n = len(low["seeds"])
    return (
        f"Line chart of learning curves at lag {CURVE_LAG}: for each of {n} seeds with forget-gate bias 0 and "
        "with bias 1, the smallest probability the LSTM gives a right answer, against updates, with the solved "
        f"line at {compact(CONFIG.solved_probability)}. With bias 0, {low['solved']} of {n} curves reach the solved "
        f"line and {stuck(low)} of {n} end at one half, the value of a guess, after {count(CONFIG.max_updates)} "
        f"updates; with bias 1, {high['solved']} of {n} reach it and {stuck(high)} of {n} end at one half. "
        f"A curve that solves sits near one half, then climbs to the line within {longest_climb(rows)} updates."
    )


def bias_curves_figure(rows: list[dict], theme: Theme):
    """One line per seed and bias: smallest right-answer probability against updates (``rows``: `curve_rows`)."""
    every = CONFIG.curve_every
    fig = new_figure(theme, 7.2, 3.6)
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.72))
    style_axes(ax, theme)
    series = bias_series(theme)
    for (label, colour), bias, row in zip(series, CONFIG.bias_settings, rows):
        for curve, updates, final in zip(row["curves"], row["updates"], row["final_probability"]):
            xs, ys = [k * every for k in range(len(curve))], list(curve)
            if updates is not None and xs[-1] != updates:
                xs, ys = xs + [updates], ys + [final]  # the update that solved it
            ax.plot(xs, ys, color=colour, linewidth=1.6, alpha=0.9,
                    linestyle=(0, (4, 2)) if bias == CONFIG.bias_settings[0] else "-")  # fmt: skip
            if updates is not None:
                ax.plot([updates], [final], marker="o", markersize=5, color=colour)
    ax.axhline(CONFIG.solved_probability, color=theme.muted, linewidth=0.9, linestyle=":")
    ax.text(CONFIG.max_updates, CONFIG.solved_probability + 0.015, "solved", ha="right", va="bottom",
            fontsize=9, color=theme.muted)  # fmt: skip
    ax.set_xlim(0, CONFIG.max_updates)
    ax.set_ylim(0.3, 1.02)
    ax.set_xlabel(f"updates (lag {CURVE_LAG})")
    ax.set_ylabel("smallest p(right answer)")
    ax.grid(True, axis="y", color=theme.line, alpha=0.25, linewidth=0.6)
    legend(ax, theme, series, y=1.03)
    return fig


# --- 3. forget-gate bias: what the forget gate lets through ------------------------------


def retention_table(rows: list[dict]) -> Table:
    """Per lag and bias (``rows``: `bias_rows`): the product of f over the lag, bare bias, and per
    seed before and after."""
    return Table(
        caption=(
            "How much of what the cell state holds after the first symbol survives the lag along the cell "
            "state alone: the product of the forget gate over the fillers, for the unit that keeps most, by seed, "
            "before and after training; sigma(b)^L is what a forget gate equal to its bias alone would keep."
        ),
        columns=["lag", "forget-gate bias", "sigma(b)^L", "before training, by seed", "after training, by seed"],
        rows=[[row["lag"], compact(row["memory_bias"]), sci(bare_retention(row["memory_bias"], row["lag"])),
               ", ".join(sci(v) for v in row["retention_start"]), ", ".join(sci(v) for v in row["retention_end"])]
              for row in rows],  # fmt: skip
    )


def retention_alt(rows: list[dict]) -> str:
    """What `bias_retention_figure` shows, in words, from ``rows`` (`bias_rows`)."""
    low, high = CONFIG.bias_settings
    said = "; ".join(f"lag {lag}: {median_retention(bias_row(lag, low, rows), 'start')} with bias {compact(low)}, "
                     f"{median_retention(bias_row(lag, high, rows), 'start')} with bias {compact(high)}"
                     for lag in CONFIG.bias_lags)  # fmt: skip
    solved_low, failed_high = retention_bounds(rows)
    return (
        "Dot chart, log scale, of the product of the forget gate over the lag for the unit that keeps most, one "
        "marker per seed before training (hollow) and after (filled), for bias 0 and 1 at each lag, with a bar "
        f"at sigma(b)^L. Before training the medians are: {said}; it falls geometrically with the lag. After "
        f"training, every run that solved the task keeps at least {sci(solved_low)}, and no run that failed keeps "
        f"more than {sci(failed_high)}."
    )


def bias_retention_figure(rows: list[dict], theme: Theme):
    """Retention before (hollow) and after (filled) training, log scale, with the bare-bias value
    (``rows``: `bias_rows`)."""
    series = bias_series(theme)
    fig = new_figure(theme, 7.2, 4.3)
    ax = fig.add_axes((0.12, 0.16, 0.84, 0.68))
    style_axes(ax, theme)
    width = 0.8 / len(series)
    lows = []
    for g, lag in enumerate(CONFIG.bias_lags):
        for s, ((_, colour), bias) in enumerate(zip(series, CONFIG.bias_settings)):
            row = bias_row(lag, bias, rows)
            centre = g + (s - (len(series) - 1) / 2) * width
            n = len(row["seeds"])
            xs = centre + (np.arange(n) - (n - 1) / 2) * width * 0.16
            marker = MARKERS[s][0]
            ax.scatter(xs - width * 0.05, row["retention_start"], s=24, facecolors="none", edgecolors=colour,
                       linewidths=1.1, zorder=3, marker=marker)  # fmt: skip
            ax.scatter(xs + width * 0.05, row["retention_end"], s=24, color=colour, zorder=3, linewidths=0,
                       marker=marker)  # fmt: skip
            bare = bare_retention(bias, lag)
            ax.plot([centre - width * 0.45, centre + width * 0.45], [bare, bare], color=colour, linewidth=2.0,
                    alpha=0.6, solid_capstyle="butt")  # fmt: skip
            lows += [min(row["retention_start"] + row["retention_end"]), bare]
    ax.set_yscale("log")
    ax.set_ylim(min(lows) / 10, 3.0)
    ax.set_xlim(-0.55, len(CONFIG.bias_lags) - 0.45)
    ax.set_xticks(range(len(CONFIG.bias_lags)), [f"lag {lag}" for lag in CONFIG.bias_lags])
    ax.set_ylabel("∏ f over the lag (best unit)")
    ax.grid(True, axis="y", which="major", color=theme.line, alpha=0.25, linewidth=0.6)
    ax.set_axisbelow(True)
    legend(ax, theme, series)
    key = "hollow: before training    filled: after training    bar: σ(b)^L, the bias alone"
    ax.text(0.5, -0.1, key, transform=ax.transAxes, ha="center", va="top", fontsize=9.5, color=theme.muted)
    return fig


# --- 4. variants ----------------------------------------------------------------------


def variants_table(rows: list[dict]) -> Table:
    """Per model and lag (``rows``: `variant_rows`): runs solved, median updates, updates by seed, parameters."""
    return Table(
        caption=(
            f"Six models on long-lag recall, {count(CONFIG.hidden)} hidden units each: runs that solved the task "
            f"within {count(CONFIG.max_updates)} updates, median updates to solve, the updates of each seed "
            f"({', '.join(map(str, CONFIG.seeds))}; – for unsolved), and the number of learned parameters "
            "(readout included)."
        ),
        columns=["model", "lag", "solved", "unsolved", "median updates", "updates by seed", "parameters"],
        rows=[[NAMES[row["variant"]], row["lag"], solved_text(row), row["runs"] - row["solved"], median_text(row),
               updates_text(row["updates"]), row["parameters"]] for row in rows],  # fmt: skip
    )


def variants_alt(rows: list[dict]) -> str:
    """What `variants_outcomes_figure` shows, in words, from ``rows`` (`variant_rows`)."""
    parts = []
    for lag in CONFIG.variant_lags:
        said = [f"{NAMES[v]} {solved_text(variant_row(v, lag, rows))} (median {median_text(variant_row(v, lag, rows))})"
                for v in CONFIG.variants]  # fmt: skip
        parts.append(f"at lag {lag}: " + ", ".join(said))
    return (
        "Dot chart of updates to solve the recall task, one marker per seed, for six models (LSTM, no forget gate, "
        "coupled input and forget gates, no output gate, LSTM with input-gate bias −1, GRU) at lags "
        f"{' and '.join(map(str, CONFIG.variant_lags))}; "
        "unsolved runs sit in a band above the cap. Runs solved, with the median updates: " + "; ".join(parts) + "."
    )


def variants_outcomes_figure(rows: list[dict], theme: Theme):
    """Updates to solve per seed, the five models along x, one colour per lag (``rows``: `variant_rows`)."""
    series = [(f"lag {lag}", theme.palette[k]) for k, lag in enumerate(CONFIG.variant_lags)]
    groups = [(SHORT[v], [variant_row(v, lag, rows) for lag in CONFIG.variant_lags]) for v in CONFIG.variants]
    fig = new_figure(theme, 8.8, 4.2)
    ax = outcome_axes(fig, theme, (0.09, 0.14, 0.89, 0.7), groups, series)
    legend(ax, theme, series)
    return fig


FIGURES = [
    FigureSpec("recall-bias-outcomes", compute=bias_rows, table=bias_table, alt=bias_outcomes_alt,
               draw=bias_outcomes_figure),  # fmt: skip
    FigureSpec("recall-bias-curves", compute=curve_rows, table=curves_table, alt=curves_alt, draw=bias_curves_figure),
    FigureSpec("recall-bias-retention", compute=bias_rows, table=retention_table, alt=retention_alt,
               draw=bias_retention_figure),  # fmt: skip
    FigureSpec("recall-variants-outcomes", compute=variant_rows, table=variants_table, alt=variants_alt,
               draw=variants_outcomes_figure),  # fmt: skip
]


def write_share(variant: str) -> float:
    """What share of its candidate a model writes at the start, from its biases alone (the
    weights start small): sigma(0) = 0.5 for an input gate left at PyTorch's initialisation,
    sigma(-memory bias) for CIFG's input gate (f = 1 - i), 1 - sigma(memory bias) for the GRU's
    1 - z, sigma(control_input_bias) for the control."""
    b = CONFIG.variant_memory_bias
    shares = {"cifg": sigmoid(np.float64(-b)), "gru": 1 - sigmoid(np.float64(b)),
              "lstm_low_input": sigmoid(np.float64(CONFIG.control_input_bias))}  # fmt: skip
    return float(shares.get(variant, sigmoid(np.float64(0.0))))


def parameters_table() -> Table:
    """Every model: its learned blocks, its parameter count, and the share of the candidate it
    writes at the start."""
    return Table(
        caption=(
            f"The models of the variants study, {count(CONFIG.hidden)} hidden units each: the gate blocks each learns, "
            "its learned parameters (readout included), and the share of the candidate it writes at the start, "
            "from its biases alone."
        ),
        columns=["model", "learned blocks", "parameters", "share written at the start"],
        rows=[[NAMES[v], ", ".join(LEARNED_BLOCKS[v]), variant_row(v, CONFIG.variant_lags[0])["parameters"],
               fmt(write_share(v), 2)] for v in CONFIG.variants],  # fmt: skip
    )


def float64_table() -> Table:
    """The float64 control beside the float32 runs of the same seeds."""
    rows = []
    for row in float64_rows():
        base = bias_row(row["lag"], row["memory_bias"])
        same = [base["updates"][base["seeds"].index(seed)] for seed in row["seeds"]]
        rows.append([row["lag"], compact(row["memory_bias"]), ", ".join(map(str, row["seeds"])),
                     f"{sum(u is not None for u in same)} of {len(same)}", solved_text(row),
                     sci(max(row["separation_start"])), sci(max(row["separation_end"]))])  # fmt: skip
    return Table(
        caption=(
            "The float64 control: the same LSTM, the same seeds and the same starting weights, computed in float64. "
            "Runs solved in float32 and in float64 within the cap, and in float64 the widest separation of the two "
            "sequences before and after training."
        ),
        columns=["lag", "forget-gate bias", "seeds", "solved, float32", "solved, float64",
                 "separation before (float64)", "separation after (float64)"],  # fmt: skip
        rows=rows,
    )


TABLES = {
    "recall-bias": lambda: bias_table(bias_rows()),
    "recall-variants": lambda: variants_table(variant_rows()),
    "recall-parameters": parameters_table,
    "recall-float64": float64_table,
}


# --- numbers for the prose -------------------------------------------------------------


def bias_speedup(lag: int) -> str:
    """How many times fewer updates bias 1 needs than bias 0 at ``lag`` (their medians)."""
    low, high = (bias_row(lag, b)["median_updates"] for b in (0.0, 1.0))
    return fmt(low / high, 0)


def lstm_times_others(lag: int, end: str) -> str:
    """The LSTM's median updates at ``lag`` over the four others' medians: over the largest
    (``end`` ``"low"``) or over the smallest (``"high"``)."""
    medians = [variant_row(v, lag)["median_updates"] for v in OTHERS]
    return fmt(variant_row("lstm", lag)["median_updates"] / (max(medians) if end == "low" else min(medians)), 0)


def ranked_variants(lag: int) -> list[dict]:
    """The variants study's rows at ``lag`` whose median run solved, fastest median first."""
    rows = [variant_row(v, lag) for v in CONFIG.variants]
    return sorted((r for r in rows if r["median_updates"] is not None), key=lambda r: r["median_updates"])


def variants_solved(lag: int) -> str:
    """Runs solved by every model at ``lag`` together: ``25 of 25``."""
    rows = [variant_row(v, lag) for v in CONFIG.variants]
    return f"{sum(r['solved'] for r in rows)} of {sum(r['runs'] for r in rows)}"


def no_forget_seeds(lag: int, solved: bool) -> list[int]:
    """The positions (in the row's ``seeds``) of the 1997 LSTM's runs at ``lag`` that solved, or that failed."""
    return [k for k, u in enumerate(variant_row("no_forget", lag)["updates"]) if (u is not None) == solved]


def no_forget_start(lag: int, key: str, solved: bool, pick) -> float:
    """``pick`` (min or max) of the 1997 LSTM's ``key`` before training at ``lag``, over its runs
    that solved, or that failed (`ValueError` if there are none)."""
    row = variant_row("no_forget", lag)
    return pick(row[key][k] for k in no_forget_seeds(lag, solved))


NUMBERS = {
    # the settings (experiment.CONFIG, and the models' constants)
    "recall_symbols": lambda: join(list(CONFIG.symbols)),
    "recall_filler": lambda: CONFIG.filler,
    "recall_solved_probability": lambda: compact(CONFIG.solved_probability),
    "recall_max_updates": lambda: count(CONFIG.max_updates),
    "recall_hidden": lambda: count(CONFIG.hidden),
    "recall_learning_rate": lambda: fmt(CONFIG.learning_rate, 3),
    "recall_seeds": lambda: ", ".join(map(str, CONFIG.seeds)),
    "recall_seed_count": lambda: count(len(CONFIG.seeds)),
    "recall_bias_lags": lambda: join([str(lag) for lag in CONFIG.bias_lags]),
    "recall_variant_lags": lambda: join([str(lag) for lag in CONFIG.variant_lags]),
    "recall_variant_memory_bias": lambda: compact(CONFIG.variant_memory_bias),
    "recall_plateau": lambda: compact(CONFIG.plateau),
    "recall_curve_lag": lambda: str(CURVE_LAG),
    "recall_open": lambda: compact(OPEN),
    "recall_float32_eps": lambda: sci(np.finfo(np.float32).eps),
    "recall_sigmoid_b0": lambda: fmt(sigmoid(np.float64(0.0)), 3),
    "recall_sigmoid_b1": lambda: fmt(sigmoid(np.float64(1.0)), 3),
    # the forget-bias study
    "recall_runs_bias": lambda: count(sum(r["runs"] for r in bias_rows())),
    "recall_b0_lag20_solved": lambda: solved_text(bias_row(20, 0.0)),
    "recall_b0_lag20_median": lambda: median_text(bias_row(20, 0.0)),
    "recall_b0_lag20_bare": lambda: sci(bare_retention(0.0, 20)),
    "recall_b0_lag20_start": lambda: median_retention(bias_row(20, 0.0), "start"),
    "recall_b0_lag20_sep_max": lambda: separation_max(bias_row(20, 0.0)),
    "recall_b0_lag50_solved": lambda: solved_text(bias_row(50, 0.0)),
    "recall_b0_lag50_bare": lambda: sci(bare_retention(0.0, 50)),
    "recall_b0_lag50_start": lambda: median_retention(bias_row(50, 0.0), "start"),
    "recall_b0_lag50_sep_max": lambda: separation_max(bias_row(50, 0.0)),
    "recall_b0_lag50_sep_zero": lambda: separation_zero(bias_row(50, 0.0)),
    "recall_b0_lag50_sep_one_step": lambda: separation_one_step(bias_row(50, 0.0)),
    "recall_b0_lag100_solved": lambda: solved_text(bias_row(100, 0.0)),
    "recall_b0_lag100_bare": lambda: sci(bare_retention(0.0, 100)),
    "recall_b0_lag100_start": lambda: median_retention(bias_row(100, 0.0), "start"),
    "recall_b0_lag100_sep_max": lambda: separation_max(bias_row(100, 0.0)),
    "recall_b0_lag100_sep_zero": lambda: separation_zero(bias_row(100, 0.0)),
    "recall_b1_lag20_solved": lambda: solved_text(bias_row(20, 1.0)),
    "recall_b1_lag20_median": lambda: median_text(bias_row(20, 1.0)),
    "recall_b1_lag20_bare": lambda: sci(bare_retention(1.0, 20)),
    "recall_b1_lag20_start": lambda: median_retention(bias_row(20, 1.0), "start"),
    "recall_b1_lag20_sep_max": lambda: separation_max(bias_row(20, 1.0)),
    "recall_b1_lag50_solved": lambda: solved_text(bias_row(50, 1.0)),
    "recall_b1_lag50_median": lambda: median_text(bias_row(50, 1.0)),
    "recall_b1_lag50_slowest": lambda: slowest_solved(bias_row(50, 1.0)),
    "recall_b1_lag50_bare": lambda: sci(bare_retention(1.0, 50)),
    "recall_b1_lag50_start": lambda: median_retention(bias_row(50, 1.0), "start"),
    "recall_b1_lag50_sep_max": lambda: separation_max(bias_row(50, 1.0)),
    "recall_b1_lag50_sep_steps_min": lambda: separation_steps_min(bias_row(50, 1.0)),
    "recall_b1_lag100_solved": lambda: solved_text(bias_row(100, 1.0)),
    "recall_b1_lag100_bare": lambda: sci(bare_retention(1.0, 100)),
    "recall_b1_lag100_start": lambda: median_retention(bias_row(100, 1.0), "start"),
    "recall_b1_lag100_sep_max": lambda: separation_max(bias_row(100, 1.0)),
    "recall_b1_lag100_sep_zero": lambda: separation_zero(bias_row(100, 1.0)),
    "recall_lag20_speedup": lambda: bias_speedup(20),
    "recall_climb_updates": lambda: count(longest_climb(curve_rows())),
    "recall_solved_retention_min": lambda: sci(retention_bounds(bias_rows())[0]),
    "recall_failed_retention_max": lambda: sci(retention_bounds(bias_rows())[1]),
    # the variants study
    "recall_variants_lag20_solved": lambda: variants_solved(20),
    "recall_variants_lag20_fastest": lambda: NAMES[ranked_variants(20)[0]["variant"]],
    "recall_variants_lag20_fastest_median": lambda: median_text(ranked_variants(20)[0]),
    "recall_variants_lag20_slowest": lambda: NAMES[ranked_variants(20)[-1]["variant"]],
    "recall_variants_lag20_slowest_median": lambda: median_text(ranked_variants(20)[-1]),
    "recall_lstm_parameters": lambda: count(variant_row("lstm", 20)["parameters"]),
    "recall_lstm_lag20_median": lambda: median_text(variant_row("lstm", 20)),
    "recall_lstm_lag50_solved": lambda: solved_text(variant_row("lstm", 50)),
    "recall_lstm_lag50_median": lambda: median_text(variant_row("lstm", 50)),
    "recall_lstm_lag50_range": lambda: solved_range(variant_row("lstm", 50)),
    "recall_lstm_lag50_sep_start": lambda: separation_median(variant_row("lstm", 50)),
    "recall_lstm_lag50_times_others_low": lambda: lstm_times_others(50, "low"),
    "recall_lstm_lag50_times_others_high": lambda: lstm_times_others(50, "high"),
    "recall_no_forget_parameters": lambda: count(variant_row("no_forget", 20)["parameters"]),
    "recall_no_forget_lag50_solved": lambda: solved_text(variant_row("no_forget", 50)),
    "recall_no_forget_lag50_median": lambda: median_text(variant_row("no_forget", 50)),
    "recall_no_forget_lag50_range": lambda: solved_range(variant_row("no_forget", 50)),
    "recall_no_forget_lag50_sep_start": lambda: separation_median(variant_row("no_forget", 50)),
    "recall_no_forget_failed_seeds": lambda: ", ".join(
        str(variant_row("no_forget", 50)["seeds"][k]) for k in no_forget_seeds(50, solved=False)),
    "recall_no_forget_failed_sep": lambda: sci(no_forget_start(50, "separation_start", False, max)),
    "recall_no_forget_failed_calmest": lambda: fmt(no_forget_start(50, "least_saturated_start", False, min), 1),
    "recall_no_forget_solved_calmest": lambda: fmt(no_forget_start(50, "least_saturated_start", True, max), 1),
    "recall_no_forget_solved_sep_min": lambda: sci(no_forget_start(50, "separation_start", True, min)),
    "recall_cifg_parameters": lambda: count(variant_row("cifg", 20)["parameters"]),
    "recall_cifg_lag20_solved": lambda: solved_text(variant_row("cifg", 20)),
    "recall_cifg_lag50_solved": lambda: solved_text(variant_row("cifg", 50)),
    "recall_cifg_lag50_median": lambda: median_text(variant_row("cifg", 50)),
    "recall_cifg_lag50_range": lambda: solved_range(variant_row("cifg", 50)),
    "recall_cifg_lag50_sep_start": lambda: separation_median(variant_row("cifg", 50)),
    "recall_no_output_parameters": lambda: count(variant_row("no_output", 20)["parameters"]),
    "recall_no_output_lag50_solved": lambda: solved_text(variant_row("no_output", 50)),
    "recall_no_output_lag50_median": lambda: median_text(variant_row("no_output", 50)),
    "recall_no_output_lag50_range": lambda: solved_range(variant_row("no_output", 50)),
    "recall_no_output_lag50_sep_start": lambda: separation_median(variant_row("no_output", 50)),
    "recall_gru_parameters": lambda: count(variant_row("gru", 20)["parameters"]),
    "recall_gru_lag20_solved": lambda: solved_text(variant_row("gru", 20)),
    "recall_gru_lag50_solved": lambda: solved_text(variant_row("gru", 50)),
    "recall_gru_lag50_median": lambda: median_text(variant_row("gru", 50)),
    "recall_gru_lag50_range": lambda: solved_range(variant_row("gru", 50)),
    "recall_gru_lag50_sep_start": lambda: separation_median(variant_row("gru", 50)),
}
"""Every number the two recall pages quote, by placeholder name: each computed when a page asks
for it, from the results `lstm_explainer.experiments.recall.results` reads once."""


# --- comparisons of solved counts: Fisher's exact test, words picked from the numbers --------


def p_text(p: float) -> str:
    """A p-value as the pages show it: three decimals, or powers of ten below 0.001."""
    return sci(p) if p < 0.001 else fmt(p, 3)


def row_p(a: dict, b: dict) -> float:
    """Fisher's exact test (two-sided) that rows ``a`` and ``b`` solve at different rates."""
    return fisher_p(a["solved"], a["runs"], b["solved"], b["runs"])


def verdict(a: dict, b: dict) -> str:
    """Whether two rows' solved counts differ clearly: the words and the p-value, from the numbers."""
    p = row_p(a, b)
    if a["solved"] == b["solved"]:
        return f"the same count (Fisher's exact test, p = {p_text(p)})"
    if p < 0.05:
        return f"a clear difference (Fisher's exact test, p = {p_text(p)})"
    return f"not a clear difference at this number of seeds (Fisher's exact test, p = {p_text(p)})"


def bias_comparison(lag: int) -> str:
    """Bias 1 against bias 0 at ``lag``: solved and unsolved seeds of each, and the verdict."""
    low, high = bias_row(lag, 0.0), bias_row(lag, 1.0)
    return (f"bias 1 solves {solved_text(high)} seeds ({high['runs'] - high['solved']} unsolved), bias 0 "
            f"{solved_text(low)} ({low['runs'] - low['solved']} unsolved): {verdict(high, low)}")  # fmt: skip


def faster_seeds(lag: int) -> tuple[int, int]:
    """Seeds where bias 1 solved in fewer updates than bias 0 at ``lag`` (an unsolved run is
    slower than any solved one), and the seeds both ran."""
    low, high = bias_row(lag, 0.0), bias_row(lag, 1.0)
    big = float("inf")
    pairs = [(big if a is None else a, big if b is None else b) for a, b in zip(high["updates"], low["updates"])]
    return sum(a < b for a, b in pairs), len(pairs)


def against_lstm(variant: str, lag: int) -> str:
    """One model against the LSTM at ``lag``: its solved and unsolved seeds, and the verdict."""
    row = variant_row(variant, lag)
    # the LSTM's runs at a lag the variants study skips are the bias study's, with the same bias
    lstm = variant_row("lstm", lag) if lag in CONFIG.variant_lags else bias_row(lag, CONFIG.variant_memory_bias)
    return (f"{NAMES[variant]}: {solved_text(row)} solved, {row['runs'] - row['solved']} unsolved, median "
            f"{median_text(row)} updates; against the LSTM's {solved_text(lstm)}, {verdict(row, lstm)}")  # fmt: skip


def float64_verdict() -> str:
    """What the float64 control shows, in words picked from its counts."""
    parts = []
    for row in float64_rows():
        base = bias_row(row["lag"], row["memory_bias"])
        same = [base["updates"][base["seeds"].index(seed)] for seed in row["seeds"]]
        solved32 = sum(u is not None for u in same)
        parts.append(f"at lag {row['lag']}, {solved_text(row)} float64 runs solve, against {solved32} of "
                     f"{len(same)} in float32 with the same seeds")  # fmt: skip
    more = any(row["solved"] > 0 for row in float64_rows())
    outcome = (
        "float64 solves where float32 does not, so float32 rounding is part of what stops it" if more else
        f"in these {sum(len(row['seeds']) for row in float64_rows())} seeds float64 fails as float32 does, so float32 "
        "rounding does not look like what stops the bias-0 LSTM here: the separation is larger than float32 could "
        "show, and still too small to learn from within the cap"
    )
    said = "; ".join(parts)
    return said[0].upper() + said[1:] + f". With so few seeds this is a check of the explanation, not a count: {outcome}"


CLAIMS = (
    Claim(
        "recall_bias_faster_lag20",
        "With the same starting weights, bias 1 solved lag 20 in fewer updates than bias 0 in {faster} of {seeds} "
        "seeds (medians {b1} and {b0} updates).",
        "faster > seeds / 2 and median(bias 1) < median(bias 0)",
        values=lambda: {"faster": faster_seeds(20)[0], "seeds": faster_seeds(20)[1],
                        "b1": bias_row(20, 1.0)["median_updates"], "b0": bias_row(20, 0.0)["median_updates"]},  # fmt: skip
        holds=lambda v: v["faster"] > v["seeds"] / 2 and v["b1"] is not None and v["b0"] is not None
        and v["b1"] < v["b0"],
        formats={"b1": lambda u: count(u), "b0": lambda u: count(u)},
    ),
    Claim(
        "recall_bias_lag50_clear",
        "At lag 50, bias 1 solved {b1} of {seeds} seeds and bias 0 {b0}: a clear difference (Fisher's exact test, "
        "p = {p}).",
        "p < 0.05 (Fisher's exact test) and b1 > b0",
        values=lambda: {"b1": bias_row(50, 1.0)["solved"], "b0": bias_row(50, 0.0)["solved"],
                        "seeds": bias_row(50, 1.0)["runs"], "p": row_p(bias_row(50, 1.0), bias_row(50, 0.0))},  # fmt: skip
        holds=lambda v: v["p"] < 0.05 and v["b1"] > v["b0"],
        formats={"p": p_text},
    ),
    Claim(
        "recall_solving_opens_forget_gate",
        "Every run that solved the task kept at least {solved_min} over the lag, and no run that failed kept more "
        "than {failed_max}.",
        "min retention of a solved run > max retention of a failed run",
        values=lambda: dict(zip(("solved_min", "failed_max"), retention_bounds(bias_rows()))),
        holds=lambda v: v["solved_min"] > v["failed_max"],
        formats={"solved_min": sci, "failed_max": sci},
    ),
)
"""The recall pages' summary sentences, each with the condition that makes it true."""

NUMBERS.update({
    "recall_variant_count": lambda: count(len(CONFIG.variants)),
    "recall_control_input_bias": lambda: compact(CONFIG.control_input_bias).replace("-", "−"),
    "recall_float64_bias": lambda: compact(CONFIG.float64_bias),
    "recall_float64_lags": lambda: join([str(lag) for lag in CONFIG.float64_lags]),
    "recall_float64_seed_count": lambda: count(len(CONFIG.float64_seeds)),
    "recall_float64_verdict": float64_verdict,
    "recall_lag20_comparison": lambda: bias_comparison(20),
    "recall_lag50_comparison": lambda: bias_comparison(50),
    "recall_lag100_comparison": lambda: bias_comparison(100),
    "recall_share_lstm": lambda: fmt(write_share("lstm"), 2),
    "recall_share_cifg": lambda: fmt(write_share("cifg"), 2),
    "recall_share_gru": lambda: fmt(write_share("gru"), 2),
    "recall_no_forget_lag100": lambda: against_lstm("no_forget", 100),
    "recall_no_forget_lag100_solved": lambda: solved_text(variant_row("no_forget", 100)),
    "recall_vs_lstm_lag20_no_forget": lambda: against_lstm("no_forget", 20),
    "recall_vs_lstm_lag20_cifg": lambda: against_lstm("cifg", 20),
    "recall_vs_lstm_lag20_no_output": lambda: against_lstm("no_output", 20),
    "recall_vs_lstm_lag20_lstm_low_input": lambda: against_lstm("lstm_low_input", 20),
    "recall_vs_lstm_lag20_gru": lambda: against_lstm("gru", 20),
    "recall_vs_lstm_lag50_no_forget": lambda: against_lstm("no_forget", 50),
    "recall_vs_lstm_lag50_cifg": lambda: against_lstm("cifg", 50),
    "recall_vs_lstm_lag50_no_output": lambda: against_lstm("no_output", 50),
    "recall_vs_lstm_lag50_lstm_low_input": lambda: against_lstm("lstm_low_input", 50),
    "recall_vs_lstm_lag50_gru": lambda: against_lstm("gru", 50),
    "recall_lstm_lag20_solved": lambda: solved_text(variant_row("lstm", 20)),
    "recall_low_input_vs_cifg_lag50": lambda: verdict(variant_row("lstm_low_input", 50), variant_row("cifg", 50)),
    "recall_low_input_vs_gru_lag50": lambda: verdict(variant_row("lstm_low_input", 50), variant_row("gru", 50)),
    "recall_low_input_lag50_solved": lambda: solved_text(variant_row("lstm_low_input", 50)),
    "recall_low_input_lag50_median": lambda: median_text(variant_row("lstm_low_input", 50)),
    "recall_low_input_parameters": lambda: count(variant_row("lstm_low_input", 20)["parameters"]),
})
