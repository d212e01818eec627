"""The recall figures: the forget-gate bias, and the LSTM against its variants, on long-lag recall.

Every number comes from `lstm_explainer.experiments.recall.results` (real torch training,
cached per run); this module only draws and words it.

* `bias_outcomes_figure`: updates to solve, one marker per seed, for forget-gate bias 0 and
  1 at each lag; unsolved runs in a band above the cap, medians as bars.
* `bias_curves_figure`: the learning curves at one lag, one line per seed and bias.
* `bias_retention_figure`: the product of the forget gate over the lag, per run, before and
  after training, on a log scale, with $\\sigma(b)^L$, the value of a bare bias.
* `variants_outcomes_figure`: updates to solve for the five models at each lag.
"""

from __future__ import annotations

import numpy as np

from ..cells import sigmoid
from ..experiments import recall as experiment
from ..experiments.recall_models import OPEN, VARIANTS
from .base import FigureSpec, Table, Theme, new_figure, sci, style_axes

NAMES = {
    "lstm": "LSTM",
    "no_forget": "no forget gate (1997)",
    "cifg": "coupled gates (CIFG)",
    "no_output": "no output gate",
    "gru": "GRU",
}
"""How the pages and figures name each model."""

SHORT = {"lstm": "LSTM", "no_forget": "no forget\n(1997)", "cifg": "CIFG", "no_output": "no output\ngate",
         "gru": "GRU"}  # fmt: skip
"""Names short enough for the variants figure's axis."""

CURVE_LAG = 50
"""The lag whose learning curves are drawn."""

OTHERS = tuple(v for v in VARIANTS if v != "lstm")
"""The four models the variants page sets beside the standard LSTM."""

MARKERS = (("o", "●"), ("s", "■"), ("^", "▲"))
"""Each series' marker and its legend glyph: shape as well as colour tells them apart."""


data = experiment.results
"""The experiment's results (cached in the experiment module: read once per process)."""


def median_text(row: dict) -> str:
    """A row's median updates to solve, or "more than <cap>" when half or more did not solve."""
    median = row["median_updates"]
    return f"more than {data()['settings']['max_updates']}" if median is None else f"{median:g}"


def updates_text(updates: list) -> str:
    """Updates to solve by seed: ``58, 42, -``, a dash for unsolved."""
    return ", ".join("–" if u is None else str(u) for u in updates)


def bias_row(lag: int, bias: float) -> dict:
    """The forget-bias study's row for ``lag`` and ``bias``."""
    return experiment.find(data()["bias"], lag=lag, memory_bias=bias)


def variant_row(variant: str, lag: int) -> dict:
    """The variants study's row for ``variant`` and ``lag``."""
    return experiment.find(data()["variants"], variant=variant, lag=lag)


def bias_name(bias: float) -> str:
    return f"bias {bias:g}"


def solved_range(row: dict) -> str:
    """The fewest and most updates of a row's solved runs: ``58 to 106``."""
    solved = [u for u in row["updates"] if u is not None]
    return f"{min(solved)} to {max(solved)}" if solved else "none solved"


# --- shared drawing: updates to solve, a marker per seed --------------------------------


def outcome_axes(fig, theme: Theme, rect, groups: list[tuple[str, list[dict]]], series: list[tuple[str, str]]):
    """A dot plot of updates to solve: ``groups`` are (label, rows, one per series) along x.

    Solved runs are filled markers at their update count, unsolved ones hollow markers in a
    band above the cap; a short bar marks each median and the number solved sits on top.
    """
    cap = data()["settings"]["max_updates"]
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
    ax.set_yticks([t for t in range(0, cap + 1, 100)] + [band], [str(t) for t in range(0, cap + 1, 100)] + ["unsolved"])
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


# --- 1. forget-gate bias: who solves, how fast -----------------------------------------


def bias_series(theme: Theme) -> list[tuple[str, str]]:
    return [(f"forget-gate bias {b:g}", theme.palette[k]) for k, b in enumerate(data()["settings"]["bias_settings"])]


def bias_table() -> Table:
    """Per lag and bias: runs solved, median updates, updates by seed."""
    settings = data()["settings"]
    rows = [
        [row["lag"], f"{row['memory_bias']:g}", f"{row['solved']} of {row['runs']}", median_text(row),
         updates_text(row["updates"])]
        for row in data()["bias"]
    ]  # fmt: skip
    seeds = ", ".join(map(str, settings["seeds"]))
    return Table(
        caption=(
            f"The LSTM on long-lag recall with forget-gate bias 0 and 1: runs that solved the task within "
            f"{settings['max_updates']} updates, median updates to solve, and the updates of each seed ({seeds}; "
            "– for unsolved)."
        ),
        columns=["lag", "forget-gate bias", "solved", "median updates", "updates by seed"],
        rows=rows,
    )


def bias_outcomes_alt() -> str:
    settings = data()["settings"]
    parts = []
    for lag in settings["bias_lags"]:
        said = [f"bias {b:g} solved {row['solved']} of {row['runs']}" + (
            f" (median {median_text(row)} updates)" if row["median_updates"] is not None else "")
            for b in settings["bias_settings"] for row in [bias_row(lag, b)]]  # fmt: skip
        parts.append(f"At lag {lag}, " + " and ".join(said))
    reach = {b: max([lag for lag in settings["bias_lags"] if bias_row(lag, b)["solved"]], default=None)
             for b in settings["bias_settings"]}  # fmt: skip
    longest = [f"bias {b:g} up to lag {lag}" if lag else f"bias {b:g} at no lag" for b, lag in reach.items()]
    return (
        "Dot chart of updates to solve the recall task, one marker per seed, for an LSTM with forget-gate bias 0 "
        f"and bias 1 at lags {', '.join(map(str, settings['bias_lags']))}; unsolved runs sit in a band above "
        f"the cap of {settings['max_updates']} updates. " + ". ".join(parts) + ". "
        f"Some runs solve with {' and with '.join(longest)}."
    )


def bias_outcomes_figure(theme: Theme):
    """Updates to solve per seed, bias 0 and 1 side by side at each lag."""
    settings = data()["settings"]
    series = bias_series(theme)
    groups = [(f"lag {lag}", [bias_row(lag, b) for b in settings["bias_settings"]]) for lag in settings["bias_lags"]]
    fig = new_figure(theme, 7.2, 4.0)
    ax = outcome_axes(fig, theme, (0.12, 0.1, 0.84, 0.74), groups, series)
    legend(ax, theme, series)
    return fig


# --- 2. forget-gate bias: learning curves ----------------------------------------------


def curves_table() -> Table:
    """The smallest right-answer probability every few updates, per bias and seed, at CURVE_LAG."""
    settings = data()["settings"]
    every = settings["curve_every"]
    rows = []
    for bias in settings["bias_settings"]:
        row = bias_row(CURVE_LAG, bias)
        for seed, curve in zip(row["seeds"], row["curves"]):
            samples = {k * every: p for k, p in enumerate(curve)}
            shown = [f"{samples[u]:.2f}" if u in samples else "" for u in range(0, settings["max_updates"] + 1, 50)]
            rows.append([f"{bias:g}", seed, *shown])
    return Table(
        caption=(
            f"Learning curves at lag {CURVE_LAG}: the smallest probability the model gives a right answer, every "
            f"50 updates until the run solves the task (empty after that)."
        ),
        columns=["bias", "seed", *(f"update {u}" for u in range(0, settings["max_updates"] + 1, 50))],
        rows=rows,
    )


def curves_alt() -> str:
    settings = data()["settings"]
    low, high = (bias_row(CURVE_LAG, b) for b in settings["bias_settings"])
    def stuck(row: dict) -> int:  # unsolved runs that end at a guess, 0.5 give or take 0.01
        return sum(u is None and abs(p - 0.5) <= 0.01 for u, p in zip(row["updates"], row["final_probability"]))

    n = len(low["seeds"])
    return (
        f"Line chart of learning curves at lag {CURVE_LAG}: for each of {n} seeds with forget-gate bias 0 and "
        "with bias 1, the smallest probability the LSTM gives a right answer, against updates, with the solved "
        f"line at {settings['solved_probability']:g}. With bias 0, {low['solved']} of {n} curves reach the solved "
        f"line and {stuck(low)} of {n} end at one half, the value of a guess, after {settings['max_updates']} "
        f"updates; with bias 1, {high['solved']} of {n} reach it and {stuck(high)} of {n} end at one half. "
        f"A curve that solves sits near one half, then climbs to the line within {climb_updates()} updates."
    )


def climb_updates() -> int:
    """The most updates any solved run at CURVE_LAG took from the plateau to solving (see
    `experiment.climb_updates`)."""
    return max(u for b in data()["settings"]["bias_settings"] for u in bias_row(CURVE_LAG, b)["climb_updates"]
               if u is not None)  # fmt: skip


def bias_curves_figure(theme: Theme):
    """One line per seed and bias: smallest right-answer probability against updates."""
    settings = data()["settings"]
    every = settings["curve_every"]
    fig = new_figure(theme, 7.2, 3.6)
    ax = fig.add_axes((0.1, 0.14, 0.86, 0.72))
    style_axes(ax, theme)
    series = bias_series(theme)
    for (label, colour), bias in zip(series, settings["bias_settings"]):
        row = bias_row(CURVE_LAG, bias)
        for curve, updates, final in zip(row["curves"], row["updates"], row["final_probability"]):
            xs, ys = [k * every for k in range(len(curve))], list(curve)
            if updates is not None and xs[-1] != updates:
                xs, ys = xs + [updates], ys + [final]  # the update that solved it
            ax.plot(xs, ys, color=colour, linewidth=1.6, alpha=0.9,
                    linestyle=(0, (4, 2)) if bias == settings["bias_settings"][0] else "-")  # fmt: skip
            if updates is not None:
                ax.plot([updates], [final], marker="o", markersize=5, color=colour)
    ax.axhline(settings["solved_probability"], color=theme.muted, linewidth=0.9, linestyle=":")
    ax.text(settings["max_updates"], settings["solved_probability"] + 0.015, "solved", ha="right", va="bottom",
            fontsize=9, color=theme.muted)  # fmt: skip
    ax.set_xlim(0, settings["max_updates"])
    ax.set_ylim(0.3, 1.02)
    ax.set_xlabel(f"updates (lag {CURVE_LAG})")
    ax.set_ylabel("smallest p(right answer)")
    ax.grid(True, axis="y", color=theme.line, alpha=0.25, linewidth=0.6)
    legend(ax, theme, series, y=1.03)
    return fig


# --- 3. forget-gate bias: what the forget gate lets through ------------------------------


def bare_retention(bias: float, lag: int) -> float:
    """sigma(b)^L: what a forget gate that is nothing but its bias keeps over ``lag`` steps."""
    return float(sigmoid(np.float64(bias))) ** lag


def retention_table() -> Table:
    """Per lag and bias: the product of f over the lag, bare bias, and per seed before and after."""
    rows = []
    for row in data()["bias"]:
        rows.append([
            row["lag"], f"{row['memory_bias']:g}", sci(bare_retention(row["memory_bias"], row["lag"])),
            ", ".join(sci(v) for v in row["retention_start"]), ", ".join(sci(v) for v in row["retention_end"]),
        ])  # fmt: skip
    return Table(
        caption=(
            "How much of what the cell state holds after the first symbol survives the lag along the cell "
            "state alone: the product of the forget gate over the fillers, for the unit that keeps most, by seed, "
            "before and after training; sigma(b)^L is what a forget gate equal to its bias alone would keep."
        ),
        columns=["lag", "forget-gate bias", "sigma(b)^L", "before training, by seed", "after training, by seed"],
        rows=rows,
    )


def retention_alt() -> str:
    settings = data()["settings"]
    lags = settings["bias_lags"]
    starts = {(lag, b): float(np.median(bias_row(lag, b)["retention_start"])) for lag in lags
              for b in settings["bias_settings"]}  # fmt: skip
    said = "; ".join(f"lag {lag}: {sci(starts[(lag, 0.0)])} with bias 0, {sci(starts[(lag, 1.0)])} with bias 1"
                     for lag in lags)  # fmt: skip
    runs = [(e, u) for row in data()["bias"] for e, u in zip(row["retention_end"], row["updates"])]
    solved_low = min(e for e, u in runs if u is not None)
    failed_high = max(e for e, u in runs if u is None)
    return (
        "Dot chart, log scale, of the product of the forget gate over the lag for the unit that keeps most, one "
        "marker per seed before training (hollow) and after (filled), for bias 0 and 1 at each lag, with a bar "
        f"at sigma(b)^L. Before training the medians are: {said}; it falls geometrically with the lag. After "
        f"training, every run that solved the task keeps at least {sci(solved_low)}, and no run that failed keeps "
        f"more than {sci(failed_high)}."
    )


def bias_retention_figure(theme: Theme):
    """Retention before (hollow) and after (filled) training, log scale, with the bare-bias value."""
    settings = data()["settings"]
    series = bias_series(theme)
    fig = new_figure(theme, 7.2, 4.3)
    ax = fig.add_axes((0.12, 0.16, 0.84, 0.68))
    style_axes(ax, theme)
    width = 0.8 / len(series)
    lows = []
    for g, lag in enumerate(settings["bias_lags"]):
        for s, ((_, colour), bias) in enumerate(zip(series, settings["bias_settings"])):
            row = bias_row(lag, bias)
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
    ax.set_xlim(-0.55, len(settings["bias_lags"]) - 0.45)
    ax.set_xticks(range(len(settings["bias_lags"])), [f"lag {lag}" for lag in settings["bias_lags"]])
    ax.set_ylabel("∏ f over the lag (best unit)")
    ax.grid(True, axis="y", which="major", color=theme.line, alpha=0.25, linewidth=0.6)
    ax.set_axisbelow(True)
    legend(ax, theme, series)
    key = "hollow: before training    filled: after training    bar: σ(b)^L, the bias alone"
    ax.text(0.5, -0.1, key, transform=ax.transAxes, ha="center", va="top", fontsize=9.5, color=theme.muted)
    return fig


# --- 4. variants ----------------------------------------------------------------------


def variants_table() -> Table:
    """Per model and lag: runs solved, median updates, updates by seed, parameters."""
    settings = data()["settings"]
    rows = [
        [NAMES[row["variant"]], row["lag"], f"{row['solved']} of {row['runs']}", median_text(row),
         updates_text(row["updates"]), row["parameters"]]
        for row in data()["variants"]
    ]  # fmt: skip
    seeds = ", ".join(map(str, settings["seeds"]))
    return Table(
        caption=(
            f"Five models on long-lag recall, {settings['hidden']} hidden units each: runs that solved the task within "
            f"{settings['max_updates']} updates, median updates to solve, the updates of each seed ({seeds}; – for "
            "unsolved), and the number of learned parameters (readout included)."
        ),
        columns=["model", "lag", "solved", "median updates", "updates by seed", "parameters"],
        rows=rows,
    )


def variants_alt() -> str:
    settings = data()["settings"]
    parts = []
    for lag in settings["variant_lags"]:
        said = [f"{NAMES[v]} {variant_row(v, lag)['solved']} of {variant_row(v, lag)['runs']} "
                f"(median {median_text(variant_row(v, lag))})" for v in VARIANTS]  # fmt: skip
        parts.append(f"at lag {lag}: " + ", ".join(said))
    return (
        "Dot chart of updates to solve the recall task, one marker per seed, for five models (LSTM, no forget gate, "
        "coupled input and forget gates, no output gate, GRU) at lags "
        f"{' and '.join(map(str, settings['variant_lags']))}; "
        "unsolved runs sit in a band above the cap. Runs solved, with the median updates: " + "; ".join(parts) + "."
    )


def variants_outcomes_figure(theme: Theme):
    """Updates to solve per seed, the five models along x, one colour per lag."""
    settings = data()["settings"]
    series = [(f"lag {lag}", theme.palette[k]) for k, lag in enumerate(settings["variant_lags"])]
    groups = [(SHORT[v], [variant_row(v, lag) for lag in settings["variant_lags"]]) for v in VARIANTS]
    fig = new_figure(theme, 8.0, 4.2)
    ax = outcome_axes(fig, theme, (0.1, 0.14, 0.87, 0.7), groups, series)
    legend(ax, theme, series)
    return fig


FIGURES = [
    FigureSpec(name="recall-bias-outcomes", alt=bias_outcomes_alt, table=bias_table, draw=bias_outcomes_figure),
    FigureSpec(name="recall-bias-curves", alt=curves_alt, table=curves_table, draw=bias_curves_figure),
    FigureSpec(name="recall-bias-retention", alt=retention_alt, table=retention_table, draw=bias_retention_figure),
    FigureSpec(name="recall-variants-outcomes", alt=variants_alt, table=variants_table,
               draw=variants_outcomes_figure),  # fmt: skip
]


TABLES = {"recall-bias": bias_table, "recall-variants": variants_table}


# --- numbers for the prose -------------------------------------------------------------


def facts() -> dict[str, str]:
    """Every number the two recall pages quote."""
    results = data()
    settings = results["settings"]
    out = {
        "recall_symbols": " and ".join(settings["symbols"]),
        "recall_filler": settings["filler"],
        "recall_solved_probability": f"{settings['solved_probability']:g}",
        "recall_max_updates": str(settings["max_updates"]),
        "recall_hidden": str(settings["hidden"]),
        "recall_learning_rate": f"{settings['learning_rate']:g}",
        "recall_seeds": ", ".join(map(str, settings["seeds"])),
        "recall_seed_count": str(len(settings["seeds"])),
        "recall_runs_bias": str(sum(r["runs"] for r in results["bias"])),
        "recall_runs_variants": str(sum(r["runs"] for r in results["variants"] if r["variant"] != "lstm")),
        "recall_bias_lags": ", ".join(map(str, settings["bias_lags"][:-1])) + f" and {settings['bias_lags'][-1]}",
        "recall_variant_lags": " and ".join(map(str, settings["variant_lags"])),
        "recall_variant_memory_bias": f"{settings['variant_memory_bias']:g}",
        "recall_curve_lag": str(CURVE_LAG),
        "recall_climb_updates": str(climb_updates()),
        "recall_plateau": f"{settings['plateau']:g}",
        "recall_open": f"{OPEN:g}",
        "recall_float32_eps": f"{float(np.finfo(np.float32).eps):.1e}",
    }
    for bias in settings["bias_settings"]:
        b = f"{bias:g}"
        out[f"recall_sigmoid_b{b}"] = f"{float(sigmoid(np.float64(bias))):.3f}"
        for lag in settings["bias_lags"]:
            row = bias_row(lag, bias)
            key = f"recall_b{b}_lag{lag}"
            out[f"{key}_solved"] = f"{row['solved']} of {row['runs']}"
            out[f"{key}_median"] = median_text(row)
            out[f"{key}_bare"] = sci(bare_retention(bias, lag))
            out[f"{key}_start"] = sci(float(np.median(row["retention_start"])))
            out[f"{key}_end"] = sci(float(np.median(row["retention_end"])))
            out[f"{key}_sep_max"] = sci(max(row["separation_start"]))
            out[f"{key}_sep_zero"] = f"{sum(v == 0 for v in row['separation_start'])} of {row['runs']}"
            steps = row["separation_start_steps"]
            out[f"{key}_sep_one_step"] = f"{sum(v <= 1 for v in steps)} of {row['runs']}"
            out[f"{key}_sep_steps_min"] = f"{min(steps):.0f}"
            solved = [u for u in row["updates"] if u is not None]
            if solved:
                out[f"{key}_slowest"] = str(max(solved))
    # how many times fewer updates bias 1 needs than bias 0 at the shortest lag (medians)
    shortest = settings["bias_lags"][0]
    low, high = (bias_row(shortest, b)["median_updates"] for b in settings["bias_settings"])
    if low is not None and high is not None:
        out[f"recall_lag{shortest}_speedup"] = f"{low / high:.0f}"
    runs = [(e, u) for row in results["bias"] for e, u in zip(row["retention_end"], row["updates"])]
    out["recall_solved_retention_min"] = sci(min(e for e, u in runs if u is not None))
    out["recall_failed_retention_max"] = sci(max(e for e, u in runs if u is None))
    for variant in VARIANTS:
        for lag in settings["variant_lags"]:
            row = variant_row(variant, lag)
            out[f"recall_{variant}_lag{lag}_solved"] = f"{row['solved']} of {row['runs']}"
            out[f"recall_{variant}_lag{lag}_median"] = median_text(row)
            out[f"recall_{variant}_lag{lag}_range"] = solved_range(row)
        row = variant_row(variant, settings["variant_lags"][-1])
        out[f"recall_{variant}_lag{row['lag']}_sep_start"] = sci(float(np.median(row["separation_start"])))
        out[f"recall_{variant}_parameters"] = str(variant_row(variant, settings["variant_lags"][0])["parameters"])
    for lag in settings["variant_lags"]:
        rows = [variant_row(v, lag) for v in VARIANTS]
        out[f"recall_variants_lag{lag}_solved"] = f"{sum(r['solved'] for r in rows)} of {sum(r['runs'] for r in rows)}"
        ranked = sorted((r for r in rows if r["median_updates"] is not None), key=lambda r: r["median_updates"])
        out[f"recall_variants_lag{lag}_fastest"] = NAMES[ranked[0]["variant"]]
        out[f"recall_variants_lag{lag}_fastest_median"] = median_text(ranked[0])
        out[f"recall_variants_lag{lag}_slowest"] = NAMES[ranked[-1]["variant"]]
        out[f"recall_variants_lag{lag}_slowest_median"] = median_text(ranked[-1])
    # at the longest variant lag: the four others' solved runs, and the LSTM's median over theirs
    lag = settings["variant_lags"][-1]
    others = [variant_row(v, lag) for v in OTHERS]
    lstm = variant_row("lstm", lag)["median_updates"]
    if lstm is not None and all(r["median_updates"] is not None for r in others):
        medians = [r["median_updates"] for r in others]
        out[f"recall_lstm_lag{lag}_times_others_low"] = f"{lstm / max(medians):.0f}"
        out[f"recall_lstm_lag{lag}_times_others_high"] = f"{lstm / min(medians):.0f}"
    # the 1997 LSTM's failures at its longest lag: how far apart its sequences start, how saturated
    row = variant_row("no_forget", settings["variant_lags"][-1])
    failed = [k for k, u in enumerate(row["updates"]) if u is None]
    solved = [k for k, u in enumerate(row["updates"]) if u is not None]
    if failed and solved:
        out["recall_no_forget_failed_seeds"] = ", ".join(str(row["seeds"][k]) for k in failed)
        out["recall_no_forget_failed_sep"] = sci(max(row["separation_start"][k] for k in failed))
        out["recall_no_forget_failed_calmest"] = f"{min(row['least_saturated_start'][k] for k in failed):.1f}"
        out["recall_no_forget_solved_calmest"] = f"{max(row['least_saturated_start'][k] for k in solved):.1f}"
        out["recall_no_forget_solved_sep_min"] = sci(min(row["separation_start"][k] for k in solved))
    return out
