"""The trained-turnstile figures: trained ReLU RNN, tanh RNN, GRU and LSTM cells beside the hand-set one.

Every number comes from `lstm_explainer.experiments.trained_turnstile.results` (real torch
training, cached on disk and read once per process) and its ``CONFIG``; this module only
draws and words it. Each figure computes its numbers once (``compute``), and its table,
alt text and drawing are functions of that result:

* ``tt-accuracy`` (`accuracy_data`): accuracy against the length of the sequence read, up to
  ten times the longest training sequence: the state of the *state networks*, then the pass
  count and the state of the *counting networks*; median over seeds and the range of the seeds.
* ``tt-pca`` (`pca_panels`): hidden states on their first two principal axes, coloured by the
  machine's true state: the hand-set network and one state network of each kind.
* ``tt-count`` (`count_data`): the pass count over one long sequence, as the machine, the
  hand-set network and every counting network give it.
* ``tt-coinbox`` (`coinbox_data`): the coin box, an accept-or-reject answer behind a count:
  how far each run counts, and the unit that follows the credit in an LSTM and a GRU.

``TABLES`` has the summary tables, ``NUMBERS`` every number the page quotes and ``CLAIMS``
its summary sentences (`lstm_explainer.claims`). Weiss, Goldberg & Yahav (ACL 2018) is the
claim tested; see the experiment's docstring.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np
from matplotlib.lines import Line2D

from .. import turnstile
from ..experiments import trained_turnstile as experiment
from ..claims import Claim, fisher_p
from ..formatting import compact, count, fmt, join, pct, sci
from .base import FigureSpec, Table, Theme, new_figure, style_axes

KINDS = experiment.KINDS
"""Network kinds and their names on the page."""

CONFIG = experiment.CONFIG
"""The experiment's settings, which the page quotes."""

HANDSET = "hand-set ReLU RNN"
"""The name of the hand-set network of `lstm_explainer.turnstile` on the page."""

STATE_NAMES = ("0 coins", "1 coin", "2 coins")
"""The machine's states, as the legend shows them."""

STATE_MARKERS = ("o", "s", "^")
"""One marker shape per state, so the states differ without colour too."""

PCA_SEED = 0
"""The run of each kind whose hidden states are projected."""

COUNT_EVERY = 5
"""The count figure draws every fifth step of the long sequence (its table every 25th)."""

results = experiment.results
"""The experiment's results (cached in the experiment module: read once per process)."""


# --- small helpers ------------------------------------------------------------------------


def span(values, form: Callable[[float], str] = pct) -> str:
    """The range of ``values`` over the seeds, each written with ``form``: ``81 % to 99 %``,
    or one value when they agree at that precision, ``–`` when there are none."""
    values = list(values)
    if not values:
        return "–"
    low, high = form(min(values)), form(max(values))
    return low if low == high else f"{low} to {high}"


def runs(kind: str) -> list[dict]:
    """The results of ``kind``'s runs, one per seed of ``CONFIG.seeds``."""
    return results()["runs"][kind]


def outcome(kind: str, seed: int) -> str:
    """What a counting network's count does over the long sequence (`experiment.outcome`)."""
    return results()["outcomes"][kind][seed]


def kind_colour(theme: Theme, kind: str) -> str:
    """One colour per network kind, the same in every figure of the page."""
    return {"relu": theme.palette[0], "tanh": theme.palette[1], "gru": theme.palette[3], "lstm": theme.palette[2]}[kind]


def state_colour(theme: Theme, state: int) -> str:
    return (theme.muted, theme.palette[2], theme.palette[0])[state]


def window_centres() -> np.ndarray:
    """The middle step of each accuracy window: 5.5, 15.5, ..."""
    window = CONFIG.window
    return np.arange(CONFIG.test_length // window) * window + (window + 1) / 2


def machine_counts() -> np.ndarray:
    """The machine's passes so far after each step of the long sequence."""
    return np.array(results()["machine"]["long_count"], dtype=float)


# --- 1. accuracy against length ---------------------------------------------------------------

PANELS = (
    ("state", "state_accuracy", "machine state, state networks"),
    ("count", "count_accuracy", "pass count, counting networks"),
    ("count", "state_accuracy", "machine state, counting networks"),
)
"""The accuracy panels: which network (stage), which accuracy, and the title."""


def accuracy_data() -> dict[str, dict[str, np.ndarray]]:
    """Per panel title (`PANELS`) and kind, every seed's accuracy by window: ``(seeds, windows)``, in [0, 1]."""
    return {title: {kind: np.array([run[stage][key] for run in runs(kind)]) for kind in KINDS}
            for stage, key, title in PANELS}  # fmt: skip


def accuracy_table(panels: dict[str, dict[str, np.ndarray]]) -> Table:
    """Median and range over seeds of each panel's accuracy, window by window."""
    window = CONFIG.window
    rows = []
    for w in range(CONFIG.test_length // window):
        row = [f"{w * window + 1}-{(w + 1) * window}"]
        for kinds in panels.values():
            for values in kinds.values():
                row.append(f"{pct(np.median(values[:, w]))} ({span(values[:, w])})")
        rows.append(row)
    return Table(
        caption=(
            f"Accuracy by sequence length on {CONFIG.test_sequences} held-out sequences, averaged over "
            f"windows of {window} steps: median over {len(CONFIG.seeds)} seeds, range in brackets. Training "
            f"never saw more than {CONFIG.train_length} steps; the hand-set network is right at every step."
        ),
        columns=["steps"] + [f"{title.split(',')[0]} ({title.split(', ')[1]}): {name}"
                             for title in panels for name in KINDS.values()],  # fmt: skip
        rows=rows,
    )


def accuracy_alt(panels: dict[str, dict[str, np.ndarray]]) -> str:
    parts = []
    for title, kinds in panels.items():
        values = ", ".join(f"{KINDS[kind]} {span(seeds[:, -1])}" for kind, seeds in kinds.items())
        parts.append(f"{title}: {values}")
    return (
        "Three line charts of accuracy (0 to 100 %) against the length of the sequence read, from 1 to "
        f"{CONFIG.test_length} steps, one line per network kind (median of {len(CONFIG.seeds)} seeds, "
        f"with a band for their range), a dashed line for the hand-set network at 100 %, and a mark at "
        f"{CONFIG.train_length} steps, the longest training sequence. At the last window: "
        + "; ".join(parts) + "."
    )


def accuracy_figure(panels: dict[str, dict[str, np.ndarray]], theme: Theme):
    """One panel per entry of `PANELS`, sharing the y axis."""
    x = window_centres()
    fig = new_figure(theme, 10.0, 3.5)
    width, gap, left = 0.26, 0.05, 0.07
    axes = []
    for p, (title, kinds) in enumerate(panels.items()):
        ax = fig.add_axes((left + p * (width + gap), 0.2, width, 0.66))
        style_axes(ax, theme)
        axes.append(ax)
        ax.axvline(CONFIG.train_length, color=theme.muted, linewidth=1.0, linestyle=":")
        ax.plot([0, CONFIG.test_length], [1, 1], color=theme.text, linewidth=1.2, linestyle=(0, (5, 3)))
        for kind, values in kinds.items():
            colour = kind_colour(theme, kind)
            ax.fill_between(x, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.2, linewidth=0)
            ax.plot(x, np.median(values, axis=0), color=colour, linewidth=1.8)
        ax.set_xlim(0, CONFIG.test_length)
        ax.set_ylim(-0.03, 1.06)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25 %", "50 %", "75 %", "100 %"] if p == 0 else [])
        ax.set_title(title, fontsize=10, color=theme.text)
        ax.set_xlabel("sequence length (steps)")
        ax.grid(True, axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    axes[0].text(CONFIG.train_length + 3, 0.06, "longest\ntraining\nsequence", fontsize=8.5,
                 color=theme.muted, va="bottom")  # fmt: skip
    handles = [Line2D([], [], color=kind_colour(theme, k), linewidth=1.8, label=n) for k, n in KINDS.items()]
    handles.append(Line2D([], [], color=theme.text, linewidth=1.2, linestyle=(0, (5, 3)), label=HANDSET))
    legend = fig.legend(handles=handles, loc="upper center", ncol=4, frameon=False, fontsize=9.5,
                        bbox_to_anchor=(0.5, 1.02))  # fmt: skip
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig


# --- 2. hidden states on their principal axes ----------------------------------------------------


def pca_panels() -> list[tuple[str, dict, tuple[int, int]]]:
    """(title, measurement, the two axes shown) per panel: the hand-set network on axes 1-2 and
    2-3, then the state network of each kind (seed `PCA_SEED`) on axes 1-2."""
    hand = results()["handset"]
    panels = [(f"{HANDSET}, axes 1 and 2", hand, (0, 1)), (f"{HANDSET}, axes 2 and 3", hand, (1, 2))]
    panels += [(f"{name} (state network)", runs(kind)[PCA_SEED]["state"], (0, 1)) for kind, name in KINDS.items()]
    return panels


def pca_table(panels: list[tuple[str, dict, tuple[int, int]]]) -> Table:
    """Per panel and state: how many points, and their mean position on each axis shown."""
    rows = []
    for title, measured, (a, b) in panels:
        xyz, states = np.array(measured["pca"]["xy"]), np.array(measured["pca_states"])
        share = measured["pca"]["variance"]
        for state, name in enumerate(STATE_NAMES):
            mine = xyz[states == state]
            means = [round(float(v), 3) for v in mine[:, [a, b]].mean(axis=0)] if len(mine) else ["–", "–"]
            rows.append([title, f"{a + 1}: {pct(share[a])}, {b + 1}: {pct(share[b])}", name, len(mine), *means])
    return Table(
        caption=(
            f"Hidden states of {CONFIG.pca_points} (sequence, step) pairs drawn from the held-out sequences, "
            "projected on principal axes of each network's hidden states: the share of variance of the two axes "
            "shown, and where each machine state's points lie on average along them."
        ),
        columns=["panel", "axes: share of variance", "machine state", "points", "mean, first axis shown",
                 "mean, second axis shown"],  # fmt: skip
        rows=rows,
    )


def pca_alt(panels: list[tuple[str, dict, tuple[int, int]]]) -> str:
    trained = [(title.removesuffix(" (state network)"), measured) for title, measured, _ in panels[2:]]
    shares = [f"{name} {pct(measured['pca']['variance'][0])}" for name, measured in trained]
    hand = panels[0][1]["pca"]["variance"]
    names = join([name for name, _ in trained])
    return (
        f"{count(len(panels))} scatter plots of hidden states projected on principal axes, one point per (sequence, step), "
        "coloured and shaped by the machine's true state (0, 1 or 2 coins in). The hand-set network twice: on "
        f"axes 1 and 2, where axis 1 is its pass counter ({pct(hand[0])} of the variance) and 0 and 1 coin "
        "nearly coincide, and on axes 2 and 3, where the three states fall in separate groups. Then the state "
        f"networks ({names}), on axes 1 and 2: in each the three states fall in "
        "separate groups, some states in more than one. Share of variance on axis 1: " + ", ".join(shares) + "."
    )


def pca_figure(panels: list[tuple[str, dict, tuple[int, int]]], theme: Theme):
    """One square panel per entry of `pca_panels`; points that would be drawn on top of each other, once."""
    fig = new_figure(theme, 2.2 * len(panels), 2.9)
    left = 0.04
    slot = (1 - left) / len(panels)  # each panel's share of the width, its labels included
    width = 0.72 * slot
    for p, (title, measured, (a, b)) in enumerate(panels):
        ax = fig.add_axes((left + p * slot, 0.15, width, 0.62))
        style_axes(ax, theme)
        xyz, states = np.array(measured["pca"]["xy"]), np.array(measured["pca_states"])
        xy = xyz[:, [a, b]]
        step = np.maximum(np.ptp(xy, axis=0), 1e-12) / 100  # closer than this, two markers overlap almost wholly
        for state in range(len(STATE_NAMES)):
            mine = np.unique(np.round(xy[states == state] / step), axis=0) * step
            ax.plot(mine[:, 0], mine[:, 1], linestyle="none", marker=STATE_MARKERS[state], markersize=4.5,
                    markerfacecolor="none", markeredgewidth=1.0, color=state_colour(theme, state))  # fmt: skip
        share = measured["pca"]["variance"]
        ax.set_title(title.replace(", axes", ",\naxes").replace(" (state", "\n(state"), fontsize=9,
                     color=theme.text)  # fmt: skip
        ax.set_xlabel(f"axis {a + 1} ({pct(share[a])})", fontsize=8.5)
        ax.set_ylabel(f"axis {b + 1} ({pct(share[b])})", fontsize=8.5)
        ax.tick_params(labelsize=7.5)
        ax.margins(0.1)
    handles = [Line2D([], [], linestyle="none", marker=STATE_MARKERS[s], markerfacecolor="none",
                      color=state_colour(theme, s), label=f"machine: {name}") for s, name in enumerate(STATE_NAMES)]  # fmt: skip
    legend = fig.legend(handles=handles, loc="upper center", ncol=3, frameon=False, fontsize=9.5,
                        bbox_to_anchor=(0.5, 1.08))  # fmt: skip
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig


# --- 3. the pass count over a long sequence -----------------------------------------------------------


def ceiling() -> float:
    """The largest `experiment.count_ceiling` over every bounded run (tanh RNN, GRU, LSTM)."""
    return max(run["ceiling"] for kind in KINDS if kind != "relu" for run in runs(kind))


def count_data() -> dict:
    """The pass count after each step of the long sequence: ``machine``, ``handset`` (arrays of
    ``CONFIG.long_length`` values), ``runs[kind]`` (one array per seed; ``outcomes[kind]``
    says what each does, `experiment.outcome`) and ``ceiling`` (`ceiling`)."""
    return {
        "machine": machine_counts(),
        "handset": np.array(results()["handset"]["long_count"]),
        "runs": {kind: [np.array(run["count"]["long_count"]) for run in runs(kind)] for kind in KINDS},
        "outcomes": results()["outcomes"],
        "ceiling": ceiling(),
    }


def count_table(counts: dict) -> Table:
    """The count at a few steps: the machine, the hand-set network, every counting network."""
    steps = [1, 10, CONFIG.train_length] + list(range(50, CONFIG.long_length + 1, 25))
    columns = ["step", "machine", HANDSET] + [f"{KINDS[kind]}, seed {s}" for kind, seeds in counts["runs"].items()
                                              for s in range(len(seeds))]  # fmt: skip
    rows = []
    for t in steps:
        row = [t, int(counts["machine"][t - 1]), count(counts["handset"][t - 1])]
        row += [count(seed[t - 1]) for seeds in counts["runs"].values() for seed in seeds]
        rows.append(row)
    return Table(
        caption=(
            f"Passes so far over one random sequence of {CONFIG.long_length} inputs: the machine's count, the "
            "hand-set network's, and what each counting network reads out (trained on at most "
            f"{CONFIG.train_length} steps)."
        ),
        columns=columns,
        rows=rows,
    )


def count_alt(counts: dict) -> str:
    parts = []
    for kind, seeds in counts["runs"].items():
        ends = ", ".join(f"{count(seed[-1])} ({counts['outcomes'][kind][s]})" for s, seed in enumerate(seeds))
        parts.append(f"{KINDS[kind]}: {ends}")
    return (
        f"Line chart of the number of passes against the step, over one sequence of {CONFIG.long_length} "
        f"inputs. The machine's count climbs to {int(counts['machine'][-1])}, and the hand-set network's count "
        f"lies on it. The trained networks, read at step {CONFIG.long_length}: " + "; ".join(parts) + ". A dotted "
        f"line marks {count(counts['ceiling'])}, the most any of the tanh, GRU or LSTM readouts can ever output; lines "
        "that leave the chart at the top are labelled with their value at the last step."
    )


def count_figure(counts: dict, theme: Theme):
    """The machine's count, the hand-set network on it, every counting network; runaways clipped and labelled."""
    true, handset = counts["machine"], counts["handset"]
    steps = np.arange(1, len(true) + 1)
    keep = (steps % COUNT_EVERY == 0) | (steps == 1)
    top = 1.3 * true[-1]
    fig = new_figure(theme, 8.4, 4.4)
    ax = fig.add_axes((0.08, 0.12, 0.66, 0.82))
    style_axes(ax, theme)
    ax.axvline(CONFIG.train_length, color=theme.muted, linewidth=1.0, linestyle=":")
    ax.text(CONFIG.train_length + 6, top * 0.3, "longest training sequence", fontsize=8.5, color=theme.muted,
            rotation=90, va="bottom", ha="left")  # fmt: skip
    ax.plot(steps[keep], true[keep], color=theme.text, linewidth=3.0, alpha=0.35, label="machine")
    ax.plot(steps[keep], handset[keep], color=theme.text, linewidth=1.2, linestyle=(0, (5, 3)), label=HANDSET)
    labels = []
    for kind, seeds in counts["runs"].items():
        name, colour = KINDS[kind], kind_colour(theme, kind)
        for s, seed in enumerate(seeds):
            ax.plot(steps[keep], np.clip(seed[keep], -top, 2 * top), color=colour, linewidth=1.3,
                    label=name if s == 0 else None)  # fmt: skip
            if seed[-1] > top:
                exit_step = int(np.argmax(seed > top)) + 1
                labels.append((exit_step, f"{name}, seed {s}: {count(seed[-1])} at step {len(seed)}", colour))
    # the ceiling: no tanh, GRU or LSTM readout here can output more (count_ceiling)
    ax.axhline(counts["ceiling"], color=theme.muted, linewidth=1.0, linestyle=(0, (1, 2)),
               label="ceiling of the tanh,\nGRU and LSTM readouts")  # fmt: skip
    for k, (exit_step, text, colour) in enumerate(sorted(labels)):
        ax.annotate(f"{text} ↑", xy=(exit_step, top), xytext=(0.3 * len(true) + 15 * k, top * (0.92 - 0.08 * k)),
                    fontsize=8.5, color=colour, va="center",
                    arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.8, "shrinkB": 0, "relpos": (0, 0.5)})  # fmt: skip
    ax.set_xlim(0, len(true))
    ax.set_ylim(0, top)
    ax.set_xlabel("step (inputs read)")
    ax.set_ylabel("passes so far")
    ax.grid(True, axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=9.5)
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig


# --- 4. the coin box: a count behind an accept-or-reject answer -----------------------------------------

TRACED = ("lstm", "gru")
"""The kinds whose credit-following unit the coin-box figure draws (seed `PCA_SEED`)."""


def credit_runs(kind: str) -> list[dict]:
    """The coin-box results of ``kind``, one per seed of ``CONFIG.credit_seeds``."""
    return results()["credit"][kind]


def past_training(kind: str) -> int:
    """How many of ``kind``'s coin-box runs count past the most coins training showed."""
    return sum(run["counts_to"] > CONFIG.credit_train_max for run in credit_runs(kind))


def coinbox_data() -> dict:
    """``counts_to[kind]`` (per seed), the training and test limits, and ``traces[kind]`` for
    `TRACED` (`experiment.credit_trace` of seed `PCA_SEED` on the longest test sequence)."""
    return {
        "counts_to": {kind: [run["counts_to"] for run in credit_runs(kind)] for kind in KINDS},
        "train_max": CONFIG.credit_train_max,
        "test_max": CONFIG.credit_test_max,
        "traces": {kind: credit_runs(kind)[PCA_SEED]["trace"] for kind in TRACED},
    }


def coinbox_table(result: dict) -> Table:
    """Per kind and seed: how far it counts, its share of right answers, and its credit-following unit."""
    rows = []
    for kind, name in KINDS.items():
        for seed, run in zip(CONFIG.credit_seeds, credit_runs(kind)):
            trace = run["trace"]
            rows.append([name, seed, run["counts_to"], "yes" if run["counts_to"] > result["train_max"] else "no",
                         pct(run["step_accuracy"]), f"{trace['state']} of unit {trace['unit']}", fmt(trace["r"])])  # fmt: skip
    return Table(
        caption=(
            f"The coin box: each run trained on n coins then pushes with n up to {result['train_max']}, tested on "
            f"every n up to {result['test_max']}. Counts to: the largest N for which it is right at every step of "
            "every test with n up to N. Right answers: over every step of every test. The unit whose memory (c for "
            f"the LSTM, h otherwise) follows the credit best along the test with n = {result['test_max']}, and its r."
        ),
        columns=["network", "seed", "counts to", f"past {result['train_max']}", "right answers", "unit", "r with the credit"],
        rows=rows,
    )


def coinbox_alt(result: dict) -> str:
    parts = [f"{KINDS[kind]} {', '.join(count(n) for n in ns)}" for kind, ns in result["counts_to"].items()]
    traces = [f"the {KINDS[kind]}'s {trace['state']} of unit {trace['unit']} (r = {fmt(trace['r'])})"
              for kind, trace in result["traces"].items()]  # fmt: skip
    return (
        f"Left: a dot per run at how far it counts, by kind, with a dashed line at {result['train_max']}, the most "
        f"coins any training sequence had, on an axis to {result['test_max']}, the largest test. Counts to: "
        + "; ".join(parts) + f". Right: along the test with {result['test_max']} coins and then pushes, the credit "
        "(grey) and the unit that follows it best: " + join(traces) + "."
    )


def coinbox_figure(result: dict, theme: Theme):
    """Left: how far each run counts, by kind. Right: the credit and the unit that follows it, per `TRACED` kind."""
    fig = new_figure(theme, 10.0, 3.8)
    left = fig.add_axes((0.1, 0.16, 0.36, 0.7))
    style_axes(left, theme)
    for row, (kind, ns) in enumerate(result["counts_to"].items()):
        offsets = np.linspace(-0.18, 0.18, len(ns))
        left.plot(ns, row + offsets, linestyle="none", marker="o", markersize=6, markerfacecolor="none",
                  markeredgewidth=1.4, color=kind_colour(theme, kind))  # fmt: skip
    left.axvline(result["train_max"], color=theme.muted, linewidth=1.0, linestyle=(0, (4, 3)))
    left.text(result["train_max"] + 1, -0.85, "most coins in training", fontsize=8.5, color=theme.muted, va="bottom")
    left.set_yticks(range(len(KINDS)), list(KINDS.values()))
    left.set_ylim(-0.9, len(KINDS) - 0.4)
    left.set_xlim(0, result["test_max"])
    left.set_xlabel("counts to (largest n right at every step)")
    left.set_title("how far each run counts (one dot per seed)", fontsize=10, color=theme.text)
    for k, (kind, trace) in enumerate(result["traces"].items()):
        ax = fig.add_axes((0.58, 0.56 - 0.42 * k, 0.34, 0.3))
        style_axes(ax, theme)
        steps = np.arange(1, len(trace["credit"]) + 1)
        ax.plot(steps, trace["credit"], color=theme.text, linewidth=3.0, alpha=0.35)
        ax.set_ylabel("credit", fontsize=8.5)
        ax.tick_params(labelsize=8)
        twin = ax.twinx()
        style_axes(twin, theme)
        twin.plot(steps, trace["values"], color=kind_colour(theme, kind), linewidth=1.6)
        twin.set_ylabel(f"{trace['state']}, unit {trace['unit']}", fontsize=8.5)
        twin.tick_params(labelsize=8)
        ax.set_title(f"{KINDS[kind]}, seed {PCA_SEED}: r = {fmt(trace['r'])}", fontsize=9.5, color=theme.text)
        if k == len(result["traces"]) - 1:
            ax.set_xlabel(f"step ({result['test_max']} coins, then pushes)")
    return fig


def coinbox_counts(kind: str) -> str:
    """How far each of ``kind``'s coin-box runs counts, per seed (``13 / 15 / ...``)."""
    return " / ".join(count(run["counts_to"]) for run in credit_runs(kind))


def gated_vs_plain() -> dict:
    """Runs counting past training: the gated cells (LSTM, GRU) against the plain RNNs (ReLU, tanh), and Fisher's p."""
    gated, plain = past_training("lstm") + past_training("gru"), past_training("relu") + past_training("tanh")
    runs = 2 * len(CONFIG.credit_seeds)
    return {"gated": gated, "plain": plain, "runs": runs, "p": fisher_p(gated, runs, plain, runs)}


def lstm_vs_gru() -> dict:
    """Runs counting past training, LSTM against GRU, and Fisher's p."""
    lstm, gru = past_training("lstm"), past_training("gru")
    runs = len(CONFIG.credit_seeds)
    return {"lstm": lstm, "gru": gru, "runs": runs, "p": fisher_p(lstm, runs, gru, runs)}


def unit_at(trace: dict, credit: int) -> float:
    """The value of a `experiment.credit_trace` unit at the first step where the credit reaches ``credit``."""
    credits = np.array(trace["credit"])
    return float(trace["values"][int(np.argmax(credits >= credit))])


def climb(kind: str) -> list[tuple[float, float]]:
    """Per run of ``kind``: its credit-following unit at half the largest test's coins and at all of them,
    signed so that the unit rises with the credit."""
    half, full = CONFIG.credit_test_max // 2, CONFIG.credit_test_max
    pairs = []
    for run in credit_runs(kind):
        sign = 1.0 if run["trace"]["r"] >= 0 else -1.0
        pairs.append((sign * unit_at(run["trace"], half), sign * unit_at(run["trace"], full)))
    return pairs


def lstm_forget() -> list[tuple[float, float]]:
    """Per LSTM coin-box run: the mean forget gate of its credit-following unit while the coins
    come in (after the first) and while the pushes come, along the longest test."""
    out = []
    for run in credit_runs("lstm"):
        forget, coins = np.array(run["trace"]["forget"]), CONFIG.credit_test_max
        out.append((float(forget[1:coins].mean()), float(forget[coins:].mean())))
    return out


def trace_r(kind: str) -> list[float]:
    """|r| of the credit-following unit of every coin-box run of ``kind``."""
    return [abs(run["trace"]["r"]) for run in credit_runs(kind)]


# --- the summary table ---------------------------------------------------------------------------------


def summary_table() -> Table:
    """One row per kind (ranges over seeds) and one for the hand-set network."""
    train, length = CONFIG.train_length, CONFIG.test_length
    rows = []
    for kind, name in KINDS.items():
        counting = [run["count"] for run in runs(kind)]
        rows.append([
            name, span(run["state"]["state_unseen"] for run in runs(kind)), span(c["count_seen"] for c in counting),
            span(c["count_unseen"] for c in counting), " / ".join(count(c["count_first_miss"]) for c in counting),
            " / ".join(count(c["long_count"][-1]) for c in counting), span(c["state_unseen"] for c in counting),
        ])  # fmt: skip
    hand = results()["handset"]
    rows.append([HANDSET, pct(hand["state_unseen"]), pct(hand["count_seen"]), pct(hand["count_unseen"]),
                 "never" if hand["count_first_miss"] > length else count(hand["count_first_miss"]),
                 count(hand["long_count"][-1]), pct(hand["state_unseen"])])  # fmt: skip
    return Table(
        caption=(
            f"Trained networks (range over {len(CONFIG.seeds)} seeds; per seed where separated by /) and the "
            f"hand-set one, on {CONFIG.test_sequences} held-out sequences of {length} steps "
            f"and one of {CONFIG.long_length} (the machine counts {int(machine_counts()[-1])} passes in it)."
        ),
        columns=[
            "network", f"state right, steps {train + 1}-{length} (state network)",
            f"count right, steps 1-{train}", f"count right, steps {train + 1}-{length}",
            "first wrong count (median step)", f"count at step {CONFIG.long_length}",
            f"state right, steps {train + 1}-{length} (counting network)",
        ],
        rows=rows,
    )  # fmt: skip


# --- the numbers of the prose ----------------------------------------------------------------------------


def over_seeds(kind: str, stage: str, key: str) -> str:
    """The range over ``kind``'s seeds of a share measured on its ``stage`` network (``"state"`` or ``"count"``)."""
    return span(run[stage][key] for run in runs(kind))


def verdicts(kind: str, verdict: str) -> str:
    """How many of ``kind``'s counting networks' counts ``verdict`` (`experiment.outcome`)."""
    return count(results()["outcomes"][kind].count(verdict))


def relu_with(*verdicts: str) -> list[dict]:
    """The ReLU counting networks whose count does one of ``verdicts`` (`experiment.outcome`:
    ``"runs away"``, ``"stalls"`` or ``"follows"``), as `experiment.measure` gives them."""
    return [run["count"] for s, run in enumerate(runs("relu")) if outcome("relu", s) in verdicts]


def bounded(key: Callable[[dict], float]) -> list[float]:
    """``key(run)`` for every run of a bounded kind (tanh RNN, GRU, LSTM)."""
    return [key(run) for kind in KINDS if kind != "relu" for run in runs(kind)]


def relu_growth() -> str:
    """The factor per step of every ReLU count that runs away (over the second half of the long sequence)."""
    growth = [g for s, g in enumerate(results()["growth"]["relu"]) if outcome("relu", s) == "runs away"]
    return span(growth, partial(fmt, digits=3))


TABLES = {"tt-summary": summary_table}

NUMBERS: dict[str, Callable[[], str]] = {
    # the settings (CONFIG)
    "tt_hidden": lambda: count(CONFIG.hidden),
    "tt_train_length": lambda: count(CONFIG.train_length),
    "tt_batch": lambda: count(CONFIG.batch),
    "tt_state_steps": lambda: count(CONFIG.state_steps),
    "tt_count_steps": lambda: count(CONFIG.count_steps),
    "tt_total_steps": lambda: count(CONFIG.state_steps + CONFIG.count_steps),
    "tt_state_rate": lambda: compact(CONFIG.state_rate),
    "tt_count_rate": lambda: compact(CONFIG.count_rate),
    "tt_count_weight": lambda: compact(CONFIG.count_weight),
    "tt_seeds": lambda: count(len(CONFIG.seeds)),
    "tt_runs": lambda: count(len(KINDS) * len(CONFIG.seeds)),
    "tt_test_sequences": lambda: count(CONFIG.test_sequences),
    "tt_test_length": lambda: count(CONFIG.test_length),
    "tt_test_ratio": lambda: count(CONFIG.test_length // CONFIG.train_length),
    "tt_first_unseen": lambda: count(CONFIG.train_length + 1),
    "tt_window": lambda: count(CONFIG.window),
    "tt_long_length": lambda: count(CONFIG.long_length),
    # the machine and the hand-set network
    "tt_handset_units": lambda: count(len(turnstile.UNITS)),
    "tt_long_true": lambda: count(machine_counts()[-1]),
    "tt_handset_count_end": lambda: count(results()["handset"]["long_count"][-1]),
    "tt_handset_pc1": lambda: pct(results()["handset"]["pca"]["variance"][0]),
    # the state networks: the state on steps no training sequence reached
    "tt_relu_state_unseen": lambda: over_seeds("relu", "state", "state_unseen"),
    "tt_tanh_state_unseen": lambda: over_seeds("tanh", "state", "state_unseen"),
    "tt_gru_state_unseen": lambda: over_seeds("gru", "state", "state_unseen"),
    # the counting networks: the count within and beyond the training lengths, and the state
    "tt_relu_count_seen": lambda: over_seeds("relu", "count", "count_seen"),
    "tt_tanh_count_seen": lambda: over_seeds("tanh", "count", "count_seen"),
    "tt_gru_count_seen": lambda: over_seeds("gru", "count", "count_seen"),
    "tt_relu_count_unseen": lambda: over_seeds("relu", "count", "count_unseen"),
    "tt_tanh_count_unseen": lambda: over_seeds("tanh", "count", "count_unseen"),
    "tt_gru_count_unseen": lambda: over_seeds("gru", "count", "count_unseen"),
    "tt_relu_count_state_unseen": lambda: over_seeds("relu", "count", "state_unseen"),
    "tt_tanh_count_state_unseen": lambda: over_seeds("tanh", "count", "state_unseen"),
    "tt_gru_count_state_unseen": lambda: over_seeds("gru", "count", "state_unseen"),
    "tt_relu_first_miss": lambda: span((run["count"]["count_first_miss"] for run in runs("relu")), count),
    # what the count does over the long sequence
    "tt_tanh_stall": lambda: verdicts("tanh", "stalls"),
    "tt_gru_stall": lambda: verdicts("gru", "stalls"),
    "tt_relu_stall": lambda: verdicts("relu", "stalls"),
    "tt_relu_runaway": lambda: verdicts("relu", "runs away"),
    "tt_relu_follow": lambda: verdicts("relu", "follows"),
    "tt_runaway_factor": lambda: compact(CONFIG.runaway_factor),
    "tt_ceiling": lambda: span(bounded(lambda run: run["ceiling"]), count),
    "tt_bounded_count_end": lambda: span(bounded(lambda run: run["count"]["long_count"][-1]), count),
    "tt_relu_growing_state": lambda: span(c["state_unseen"] for c in relu_with("runs away", "follows")),
    "tt_relu_stall_state": lambda: span(c["state_unseen"] for c in relu_with("stalls")),
    "tt_relu_runaway_end": lambda: span((c["long_count"][-1] for c in relu_with("runs away")), count),
    "tt_relu_stall_end": lambda: span((c["long_count"][-1] for c in relu_with("stalls")), count),
    "tt_relu_follow_end": lambda: span((c["long_count"][-1] for c in relu_with("follows")), count),
    "tt_relu_follow_unseen": lambda: span(c["count_unseen"] for c in relu_with("follows")),
    "tt_relu_growth": relu_growth,
    # the LSTM on the first task
    "tt_lstm_state_unseen": lambda: over_seeds("lstm", "state", "state_unseen"),
    "tt_lstm_count_seen": lambda: over_seeds("lstm", "count", "count_seen"),
    "tt_lstm_count_unseen": lambda: over_seeds("lstm", "count", "count_unseen"),
    "tt_lstm_count_state_unseen": lambda: over_seeds("lstm", "count", "state_unseen"),
    "tt_lstm_stall": lambda: verdicts("lstm", "stalls"),
    # the coin box (CONFIG and results)
    "tt_credit_seeds": lambda: count(len(CONFIG.credit_seeds)),
    "tt_credit_runs": lambda: count(len(KINDS) * len(CONFIG.credit_seeds)),
    "tt_credit_hidden": lambda: count(CONFIG.credit_hidden),
    "tt_credit_train_max": lambda: count(CONFIG.credit_train_max),
    "tt_credit_test_max": lambda: count(CONFIG.credit_test_max),
    "tt_credit_test_ratio": lambda: count(CONFIG.credit_test_max // CONFIG.credit_train_max),
    "tt_credit_extra": lambda: count(CONFIG.credit_extra),
    "tt_credit_batch": lambda: count(CONFIG.credit_batch),
    "tt_credit_updates": lambda: count(CONFIG.credit_updates),
    "tt_credit_rate": lambda: compact(CONFIG.credit_rate),
    "tt_credit_train_length": lambda: count(experiment.credit_length(CONFIG.credit_train_max, CONFIG.credit_extra)),
    "tt_credit_relu_counts": lambda: coinbox_counts("relu"),
    "tt_credit_tanh_counts": lambda: coinbox_counts("tanh"),
    "tt_credit_gru_counts": lambda: coinbox_counts("gru"),
    "tt_credit_lstm_counts": lambda: coinbox_counts("lstm"),
    "tt_credit_lstm_best": lambda: count(max(run["counts_to"] for run in credit_runs("lstm"))),
}
"""Every number the trained-turnstile page quotes, by placeholder name."""

CLAIMS = (
    Claim(
        "tt_claim_states_kept",
        "Every state network, of every kind and seed, names the machine's state right on at least {least} of "
        "the steps that no training sequence reached.",
        "the smallest share over the state networks >= 0.99",
        values=lambda: {"least": min(run["state"]["state_unseen"] for kind in KINDS for run in runs(kind))},
        holds=lambda v: v["least"] >= 0.99,
        formats={"least": pct},
    ),
    Claim(
        "tt_claim_none_keeps_counting",
        "None keeps counting: every trained network's count is right on at most {most} of the steps past the "
        "training lengths, and on at most {last} of the last window.",
        "every trained counting network is right on fewer than half of the unseen steps and of the last window",
        values=lambda: {"most": max(run["count"]["count_unseen"] for kind in KINDS for run in runs(kind)),
                        "last": max(run["count"]["count_accuracy"][-1] for kind in KINDS for run in runs(kind))},
        holds=lambda v: v["most"] < 0.5 and v["last"] < 0.5,
        formats={"most": pct, "last": pct},
    ),
    Claim(
        "tt_claim_bounded_stall",
        "Of the {runs} runs of the bounded kinds (tanh RNN, GRU, LSTM), {stalled} stall.",
        "every bounded run's count stalls (ends below the machine's divided by the runaway factor)",
        values=lambda: {"runs": sum(len(runs(kind)) for kind in KINDS if kind != "relu"),
                        "stalled": sum(results()["outcomes"][kind].count("stalls") for kind in KINDS if kind != "relu")},
        holds=lambda v: v["stalled"] == v["runs"],
    ),
    Claim(
        "tt_claim_coinbox_gated_vs_plain",
        "The gated cells (LSTM and GRU) count past {train_max} coins in {gated} of their {runs} runs, the plain "
        "RNNs (ReLU and tanh) in {plain} of {runs}: a clear difference (Fisher's exact test, p = {p}).",
        "p < 0.05 (Fisher's exact test) and gated > plain",
        values=lambda: {**gated_vs_plain(), "train_max": CONFIG.credit_train_max},
        holds=lambda v: v["p"] < 0.05 and v["gated"] > v["plain"],
        formats={"p": sci},
    ),
    Claim(
        "tt_claim_coinbox_lstm_vs_gru",
        "Between the LSTM ({lstm} of {runs} runs past training) and the GRU ({gru} of {runs}) there is no clear "
        "difference (Fisher's exact test, p = {p}): at this size and budget, the difference Weiss et al. prove "
        "does not show.",
        "p >= 0.05 (Fisher's exact test): no clear difference",
        values=lstm_vs_gru,
        holds=lambda v: v["p"] >= 0.05,
        formats={"p": sci},
    ),
    Claim(
        "tt_claim_coinbox_none_to_test",
        "No run of any kind counts to {test_max}, {ratio} times the most coins of training: the furthest any "
        "gets is {best}.",
        "the largest 'counts to' over every run < the largest test",
        values=lambda: {"test_max": CONFIG.credit_test_max, "ratio": CONFIG.credit_test_max // CONFIG.credit_train_max,
                        "best": max(run["counts_to"] for kind in KINDS for run in credit_runs(kind))},
        holds=lambda v: v["best"] < v["test_max"],
    ),
    Claim(
        "tt_claim_coinbox_lstm_cell_counts",
        "In every LSTM run one cell-state unit follows the credit, with |r| from {lstm_low} to {lstm_high} along the "
        "longest test; the GRU's best hidden unit follows it less closely, {gru_low} to {gru_high} (median "
        "{lstm_median} against {gru_median}).",
        "median |r| of the LSTM's best cell unit > median |r| of the GRU's best hidden unit",
        values=lambda: {"lstm_low": min(trace_r("lstm")), "lstm_high": max(trace_r("lstm")),
                        "gru_low": min(trace_r("gru")), "gru_high": max(trace_r("gru")),
                        "lstm_median": float(np.median(trace_r("lstm"))), "gru_median": float(np.median(trace_r("gru")))},
        holds=lambda v: v["lstm_median"] > v["gru_median"],
    ),
    Claim(
        "tt_claim_coinbox_lstm_keeps_climbing",
        "In every LSTM run that unit is still climbing at {full} coins, far past the {train_max} of training (from "
        "{lstm_half} at {half} coins to {lstm_full} at {full}, seed {seed}); every GRU's has levelled off at its "
        "bound by {half} coins, moving by at most {gru_move} from there to {full}.",
        "every LSTM unit is at least 10 % higher at the full count than at half of it; every GRU unit moves by < 0.05",
        values=lambda: {"full": CONFIG.credit_test_max, "half": CONFIG.credit_test_max // 2,
                        "train_max": CONFIG.credit_train_max, "seed": CONFIG.credit_seeds[PCA_SEED],
                        "lstm_half": climb("lstm")[PCA_SEED][0], "lstm_full": climb("lstm")[PCA_SEED][1],
                        "lstm_least_ratio": min(b / a for a, b in climb("lstm")),
                        "gru_move": max(abs(b - a) for a, b in climb("gru"))},
        holds=lambda v: v["lstm_least_ratio"] > 1.1 and v["gru_move"] < 0.05,
    ),
    Claim(
        "tt_claim_coinbox_lstm_forget",
        "While the coins come in, that unit's forget gate is {up_low} to {up_high} on average (over the {runs} "
        "LSTM runs); while the pushes come, only {down_low} to {down_high}.",
        "in every LSTM run the mean forget gate while coins come > 0.9 and > its mean while pushes come",
        values=lambda: {"runs": len(lstm_forget()),
                        "up_low": min(u for u, _ in lstm_forget()), "up_high": max(u for u, _ in lstm_forget()),
                        "down_low": min(d for _, d in lstm_forget()), "down_high": max(d for _, d in lstm_forget()),
                        "every_run": all(u > 0.9 and u > d for u, d in lstm_forget())},
        holds=lambda v: v["every_run"] is True,
    ),
)
"""The page's summary sentences, each checked against the numbers when placed (`lstm_explainer.claims`)."""

FIGURES = [
    FigureSpec("tt-accuracy", compute=accuracy_data, table=accuracy_table, alt=accuracy_alt, draw=accuracy_figure),
    FigureSpec("tt-pca", compute=pca_panels, table=pca_table, alt=pca_alt, draw=pca_figure),
    FigureSpec("tt-count", compute=count_data, table=count_table, alt=count_alt, draw=count_figure),
    FigureSpec("tt-coinbox", compute=coinbox_data, table=coinbox_table, alt=coinbox_alt, draw=coinbox_figure),
]
