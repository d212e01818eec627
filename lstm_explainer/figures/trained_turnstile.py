"""The trained-turnstile figures: trained ReLU RNN, tanh RNN and GRU cells beside the hand-set one.

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

``TABLES`` has the summary table, ``NUMBERS`` every number the page quotes. Weiss, Goldberg
& Yahav (ACL 2018) is the claim tested; see the experiment's docstring.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np
from matplotlib.lines import Line2D

from .. import turnstile
from ..experiments import trained_turnstile as experiment
from ..formatting import compact, count, fmt, pct
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
    return {"relu": theme.palette[0], "tanh": theme.palette[1], "gru": theme.palette[3]}[kind]


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
    return (
        "Five scatter plots of hidden states projected on principal axes, one point per (sequence, step), "
        "coloured and shaped by the machine's true state (0, 1 or 2 coins in). The hand-set network twice: on "
        f"axes 1 and 2, where axis 1 is its pass counter ({pct(hand[0])} of the variance) and 0 and 1 coin "
        "nearly coincide, and on axes 2 and 3, where the three states fall in separate groups. Then a ReLU "
        "RNN, a tanh RNN and a GRU trained on the state, on axes 1 and 2: in each the three states fall in "
        "separate groups, some states in more than one. Share of variance on axis 1: " + ", ".join(shares) + "."
    )


def pca_figure(panels: list[tuple[str, dict, tuple[int, int]]], theme: Theme):
    """One square panel per entry of `pca_panels`; points that would be drawn on top of each other, once."""
    fig = new_figure(theme, 11.0, 2.9)
    width, gap, left = 0.15, 0.053, 0.04
    for p, (title, measured, (a, b)) in enumerate(panels):
        ax = fig.add_axes((left + p * (width + gap), 0.15, width, 0.62))
        style_axes(ax, theme)
        xyz, states = np.array(measured["pca"]["xy"]), np.array(measured["pca_states"])
        xy = xyz[:, [a, b]]
        step = np.maximum(np.ptp(xy, axis=0), 1e-12) / 250  # closer than this, two markers look like one
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
    """The largest `experiment.count_ceiling` over every tanh RNN and GRU run."""
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
        f"line marks {count(counts['ceiling'])}, the most any of the tanh or GRU readouts can ever output; lines "
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
    # the ceiling: no tanh or GRU readout here can output more (count_ceiling)
    ax.axhline(counts["ceiling"], color=theme.muted, linewidth=1.0, linestyle=(0, (1, 2)),
               label="ceiling of the tanh\nand GRU readouts")  # fmt: skip
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
    """``key(run)`` for every tanh RNN and GRU run."""
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
}
"""Every number the trained-turnstile page quotes, by placeholder name."""

FIGURES = [
    FigureSpec("tt-accuracy", compute=accuracy_data, table=accuracy_table, alt=accuracy_alt, draw=accuracy_figure),
    FigureSpec("tt-pca", compute=pca_panels, table=pca_table, alt=pca_alt, draw=pca_figure),
    FigureSpec("tt-count", compute=count_data, table=count_table, alt=count_alt, draw=count_figure),
]
