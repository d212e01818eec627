"""The trained-turnstile figures: trained ReLU RNN, tanh RNN and GRU cells beside the hand-set one.

Every number comes from `lstm_explainer.experiments.trained_turnstile.results` (real torch
training, cached); this module only draws and words it.

* `accuracy_figure`: accuracy against the length of the sequence read, up to ten times the
  longest training sequence: the state of the *state networks*, then the pass count and the
  state of the *counting networks*; median over seeds and the range of the seeds.
* `pca_figure`: hidden states on their first two principal axes, coloured by the machine's
  true state: the hand-set network and one state network of each kind.
* `count_figure`: the pass count over one long sequence, as the machine, the hand-set
  network and every counting network give it.

Weiss, Goldberg & Yahav (ACL 2018) is the claim tested; see the experiment's docstring.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.lines import Line2D

from .. import turnstile
from ..experiments import trained_turnstile as experiment
from .base import FigureSpec, Table, Theme, new_figure, style_axes

KINDS = experiment.KINDS
"""Network kinds and their names on the page."""

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

@functools.cache
def data() -> dict:
    """The experiment's results, read once per process."""
    return experiment.results()


# --- small helpers ------------------------------------------------------------------------


def pct(value: float) -> str:
    """An accuracy as a percentage: ``100 %``, ``99.4 %``, ``0 %`` (never ``100.0 %`` unless it is)."""
    value = 100 * float(value)
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    if text == "100" and value < 100:
        text = "99.9"  # not quite every answer right: never round up to 100
    return f"{text} %"


def num(value: float) -> str:
    """A count as the prose shows it: ``84``, ``3.4``, ``242,436``, ``1.5 × 10¹⁵``."""
    value = float(value)
    if abs(value) >= 1e6:
        mantissa, exponent = f"{value:.1e}".split("e")
        sup = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return f"{mantissa} × 10{sup}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value.is_integer():
        return f"{value:.0f}"
    text = f"{value:.1f}"
    return "0" if float(text) == 0 else text  # never -0.0


def span(values) -> str:
    """The range of the seeds: ``0.81 to 0.99``, or one value when they agree at that precision."""
    low, high = pct(min(values)), pct(max(values))
    return low if low == high else f"{low} to {high}"


def runs(kind: str) -> list[dict]:
    return data()["runs"][kind]


def kind_colour(theme: Theme, kind: str) -> str:
    """One colour per network kind, the same in every figure of the page."""
    return {"relu": theme.palette[0], "tanh": theme.palette[1], "gru": theme.palette[3]}[kind]


def state_colour(theme: Theme, state: int) -> str:
    return (theme.muted, theme.palette[2], theme.palette[0])[state]


def window_centres() -> np.ndarray:
    """The middle step of each accuracy window: 5.5, 15.5, ..."""
    window = experiment.WINDOW
    return np.arange(experiment.TEST_LENGTH // window) * window + (window + 1) / 2


def outcome(kind: str, seed: int) -> str:
    """What a counting network's count does over the long sequence (`experiment.outcome`)."""
    return data()["outcomes"][kind][seed]


# --- 1. accuracy against length ---------------------------------------------------------------

PANELS = (
    ("state", "state_accuracy", "machine state, state networks"),
    ("count", "count_accuracy", "pass count, counting networks"),
    ("count", "state_accuracy", "machine state, counting networks"),
)
"""The accuracy panels: which network (stage), which accuracy, and the title."""


def accuracy_table() -> Table:
    """Median and range over seeds of each panel's accuracy, window by window."""
    window = experiment.WINDOW
    rows = []
    for w in range(experiment.TEST_LENGTH // window):
        row = [f"{w * window + 1}-{(w + 1) * window}"]
        for stage, key, _ in PANELS:
            for kind in KINDS:
                values = [run[stage][key][w] for run in runs(kind)]
                row.append(f"{pct(np.median(values))} ({span(values)})")
        rows.append(row)
    return Table(
        caption=(
            f"Accuracy by sequence length on {experiment.TEST_SEQUENCES} held-out sequences, averaged over "
            f"windows of {window} steps: median over {len(experiment.SEEDS)} seeds, range in brackets. Training "
            f"never saw more than {experiment.TRAIN_LENGTH} steps; the hand-set network is right at every step."
        ),
        columns=["steps"] + [f"{title.split(',')[0]} ({title.split(', ')[1]}): {name}"
                             for _, _, title in PANELS for name in KINDS.values()],  # fmt: skip
        rows=rows,
    )


def accuracy_alt() -> str:
    late = lambda stage, key, kind: [run[stage][key][-1] for run in runs(kind)]  # noqa: E731
    parts = []
    for stage, key, title in PANELS:
        values = ", ".join(f"{name} {span(late(stage, key, kind))}" for kind, name in KINDS.items())
        parts.append(f"{title}: {values}")
    return (
        "Three line charts of accuracy (0 to 100 %) against the length of the sequence read, from 1 to "
        f"{experiment.TEST_LENGTH} steps, one line per network kind (median of {len(experiment.SEEDS)} seeds, "
        f"with a band for their range), a dashed line for the hand-set network at 100 %, and a mark at "
        f"{experiment.TRAIN_LENGTH} steps, the longest training sequence. At the last window: "
        + "; ".join(parts) + "."
    )


def accuracy_figure(theme: Theme):
    """One panel per entry of `PANELS`, sharing the y axis."""
    x = window_centres()
    fig = new_figure(theme, 10.0, 3.5)
    width, gap, left = 0.26, 0.05, 0.07
    axes = []
    for p, (stage, key, title) in enumerate(PANELS):
        ax = fig.add_axes((left + p * (width + gap), 0.2, width, 0.66))
        style_axes(ax, theme)
        axes.append(ax)
        ax.axvline(experiment.TRAIN_LENGTH, color=theme.muted, linewidth=1.0, linestyle=":")
        ax.plot([0, experiment.TEST_LENGTH], [1, 1], color=theme.text, linewidth=1.2, linestyle=(0, (5, 3)))
        for kind in KINDS:
            values = np.array([run[stage][key] for run in runs(kind)])
            colour = kind_colour(theme, kind)
            ax.fill_between(x, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.2, linewidth=0)
            ax.plot(x, np.median(values, axis=0), color=colour, linewidth=1.8)
        ax.set_xlim(0, experiment.TEST_LENGTH)
        ax.set_ylim(-0.03, 1.06)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25 %", "50 %", "75 %", "100 %"] if p == 0 else [])
        ax.set_title(title, fontsize=10, color=theme.text)
        ax.set_xlabel("sequence length (steps)")
        ax.grid(True, axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    axes[0].text(experiment.TRAIN_LENGTH + 3, 0.06, "longest\ntraining\nsequence", fontsize=8.5,
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
    2-3, then a state network of each kind on axes 1-2."""
    hand = data()["handset"]
    panels = [(f"{HANDSET}, axes 1 and 2", hand, (0, 1)), (f"{HANDSET}, axes 2 and 3", hand, (1, 2))]
    panels += [(f"{name} (state network)", runs(kind)[PCA_SEED]["state"], (0, 1)) for kind, name in KINDS.items()]
    return panels


def pca_table() -> Table:
    """Per panel and state: how many points, and their mean position on each axis shown."""
    rows = []
    for title, measured, (a, b) in pca_panels():
        xyz, states = np.array(measured["pca"]["xy"]), np.array(measured["pca_states"])
        share = measured["pca"]["variance"]
        for state, name in enumerate(STATE_NAMES):
            mine = xyz[states == state]
            means = [round(float(v), 3) for v in mine[:, [a, b]].mean(axis=0)] if len(mine) else ["–", "–"]
            rows.append([title, f"{a + 1}: {pct(share[a])}, {b + 1}: {pct(share[b])}", name, len(mine), *means])
    return Table(
        caption=(
            f"Hidden states of {experiment.PCA_POINTS} (sequence, step) pairs drawn from the held-out sequences, "
            "projected on principal axes of each network's hidden states: the share of variance of the two axes "
            "shown, and where each machine state's points lie on average along them."
        ),
        columns=["panel", "axes: share of variance", "machine state", "points", "mean, first axis shown",
                 "mean, second axis shown"],  # fmt: skip
        rows=rows,
    )


def pca_alt() -> str:
    shares = [f"{name} {pct(runs(kind)[PCA_SEED]['state']['pca']['variance'][0])}" for kind, name in KINDS.items()]
    hand = data()["handset"]["pca"]["variance"]
    return (
        "Five scatter plots of hidden states projected on principal axes, one point per (sequence, step), "
        "coloured and shaped by the machine's true state (0, 1 or 2 coins in). The hand-set network twice: on "
        f"axes 1 and 2, where axis 1 is its pass counter ({pct(hand[0])} of the variance) and 0 and 1 coin "
        "nearly coincide, and on axes 2 and 3, where the three states fall in separate groups. Then a ReLU "
        "RNN, a tanh RNN and a GRU trained on the state, on axes 1 and 2: in each the three states fall in "
        "separate groups, some states in more than one. Share of variance on axis 1: " + ", ".join(shares) + "."
    )


def pca_figure(theme: Theme):
    """One square panel per entry of `pca_panels`; points that would be drawn on top of each other, once."""
    panels = pca_panels()
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


def machine_counts() -> np.ndarray:
    """The machine's passes so far after each step of the long sequence."""
    return np.array(data()["machine"]["long_count"], dtype=float)


def count_table() -> Table:
    """The count at a few steps: the machine, the hand-set network, every counting network."""
    handset = data()["handset"]["long_count"]
    steps = [1, 10, experiment.TRAIN_LENGTH] + list(range(50, experiment.LONG_LENGTH + 1, 25))
    columns = ["step", "machine", HANDSET] + [f"{name}, seed {s}" for kind, name in KINDS.items()
                                              for s in range(len(runs(kind)))]  # fmt: skip
    rows = []
    for t in steps:
        row = [t, int(machine_counts()[t - 1]), num(handset[t - 1])]
        row += [num(run["count"]["long_count"][t - 1]) for kind in KINDS for run in runs(kind)]
        rows.append(row)
    return Table(
        caption=(
            f"Passes so far over one random sequence of {experiment.LONG_LENGTH} inputs: the machine's count, the "
            "hand-set network's, and what each counting network reads out (trained on at most "
            f"{experiment.TRAIN_LENGTH} steps)."
        ),
        columns=columns,
        rows=rows,
    )


def ceilings() -> dict[str, float]:
    """The largest `count_ceiling` over the runs of each bounded kind."""
    return {kind: max(run["ceiling"] for run in runs(kind)) for kind in KINDS if kind != "relu"}


def count_alt() -> str:
    true_end = machine_counts()[-1]
    parts = []
    for kind, name in KINDS.items():
        ends = ", ".join(f"{num(run['count']['long_count'][-1])} ({outcome(kind, s)})" for s, run in enumerate(runs(kind)))
        parts.append(f"{name}: {ends}")
    return (
        f"Line chart of the number of passes against the step, over one sequence of {experiment.LONG_LENGTH} "
        f"inputs. The machine's count climbs to {int(true_end)}, and the hand-set network's count lies on it. "
        f"The trained networks, read at step {experiment.LONG_LENGTH}: " + "; ".join(parts) + ". A dotted line "
        f"marks {num(max(ceilings().values()))}, the most any of the tanh or GRU readouts can ever output; lines "
        "that leave the chart at the top are labelled with their value at the last step."
    )


def count_figure(theme: Theme):
    """The machine's count, the hand-set network on it, every counting network; runaways clipped and labelled."""
    true = machine_counts()
    handset = np.array(data()["handset"]["long_count"])
    steps = np.arange(1, len(true) + 1)
    keep = (steps % COUNT_EVERY == 0) | (steps == 1)
    top = 1.3 * true[-1]
    fig = new_figure(theme, 8.4, 4.4)
    ax = fig.add_axes((0.08, 0.12, 0.66, 0.82))
    style_axes(ax, theme)
    ax.axvline(experiment.TRAIN_LENGTH, color=theme.muted, linewidth=1.0, linestyle=":")
    ax.text(experiment.TRAIN_LENGTH + 6, top * 0.3, "longest training sequence", fontsize=8.5, color=theme.muted,
            rotation=90, va="bottom", ha="left")  # fmt: skip
    ax.plot(steps[keep], true[keep], color=theme.text, linewidth=3.0, alpha=0.35, label="machine")
    ax.plot(steps[keep], handset[keep], color=theme.text, linewidth=1.2, linestyle=(0, (5, 3)), label=HANDSET)
    labels = []
    for kind, name in KINDS.items():
        colour = kind_colour(theme, kind)
        for s, run in enumerate(runs(kind)):
            count = np.array(run["count"]["long_count"])
            ax.plot(steps[keep], np.clip(count[keep], -top, 2 * top), color=colour, linewidth=1.3,
                    label=name if s == 0 else None)  # fmt: skip
            if count[-1] > top:
                exit_step = int(np.argmax(count > top)) + 1
                labels.append((exit_step, f"{name}, seed {s}: {num(count[-1])} at step {len(count)}", colour))
    # the ceiling: no tanh or GRU readout here can output more (count_ceiling)
    ax.axhline(max(ceilings().values()), color=theme.muted, linewidth=1.0, linestyle=(0, (1, 2)),
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


# --- the summary table and the numbers of the prose ------------------------------------------------


def summary_table() -> Table:
    """One row per kind (ranges over seeds) and one for the hand-set network."""
    train = experiment.TRAIN_LENGTH
    rows = []
    for kind, name in KINDS.items():
        state = [run["state"]["state_unseen"] for run in runs(kind)]
        seen = [run["count"]["count_seen"] for run in runs(kind)]
        unseen = [run["count"]["count_unseen"] for run in runs(kind)]
        miss = [run["count"]["count_first_miss"] for run in runs(kind)]
        ends = [f"{num(run['count']['long_count'][-1])}" for run in runs(kind)]
        leak = [run["count"]["state_unseen"] for run in runs(kind)]
        rows.append([name, span(state), span(seen), span(unseen), " / ".join(f"{m:g}" for m in miss),
                     " / ".join(ends), span(leak)])  # fmt: skip
    hand = data()["handset"]
    rows.append([HANDSET, pct(hand["state_unseen"]), pct(hand["count_seen"]), pct(hand["count_unseen"]),
                 "never" if hand["count_first_miss"] > experiment.TEST_LENGTH else f"{hand['count_first_miss']:g}",
                 num(hand["long_count"][-1]), pct(hand["state_unseen"])])  # fmt: skip
    return Table(
        caption=(
            f"Trained networks (range over {len(experiment.SEEDS)} seeds; per seed where separated by /) and the "
            f"hand-set one, on {experiment.TEST_SEQUENCES} held-out sequences of {experiment.TEST_LENGTH} steps "
            f"and one of {experiment.LONG_LENGTH} (the machine counts {int(machine_counts()[-1])} passes in it)."
        ),
        columns=[
            "network", f"state right, steps {train + 1}-{experiment.TEST_LENGTH} (state network)",
            f"count right, steps 1-{train}", f"count right, steps {train + 1}-{experiment.TEST_LENGTH}",
            "first wrong count (median step)", f"count at step {experiment.LONG_LENGTH}",
            f"state right, steps {train + 1}-{experiment.TEST_LENGTH} (counting network)",
        ],
        rows=rows,
    )  # fmt: skip


def facts() -> dict[str, str]:
    """Every number the trained-turnstile page quotes."""
    results = data()
    settings, hand = results["settings"], results["handset"]
    out = {f"tt_{name}": f"{value:g}" for name, value in settings.items()}
    out["tt_runs"] = str(len(KINDS) * settings["seeds"])
    out["tt_total_steps"] = str(settings["state_steps"] + settings["count_steps"])
    out["tt_first_unseen"] = str(settings["train_length"] + 1)
    out["tt_test_ratio"] = f"{settings['test_length'] // settings['train_length']}"
    out["tt_long_true"] = str(int(machine_counts()[-1]))
    out["tt_handset_count_end"] = num(hand["long_count"][-1])
    out["tt_handset_pc1"] = pct(hand["pca"]["variance"][0])
    out["tt_handset_units"] = str(len(turnstile.UNITS))
    for kind in KINDS:
        rs = runs(kind)
        out[f"tt_{kind}_state_unseen"] = span([r["state"]["state_unseen"] for r in rs])
        out[f"tt_{kind}_count_seen"] = span([r["count"]["count_seen"] for r in rs])
        out[f"tt_{kind}_count_unseen"] = span([r["count"]["count_unseen"] for r in rs])
        out[f"tt_{kind}_count_state_unseen"] = span([r["count"]["state_unseen"] for r in rs])
        misses = [r["count"]["count_first_miss"] for r in rs]
        out[f"tt_{kind}_first_miss"] = f"{min(misses):g}" if min(misses) == max(misses) else f"{min(misses):g} to {max(misses):g}"
        ends = sorted(r["count"]["long_count"][-1] for r in rs)
        out[f"tt_{kind}_count_end"] = f"{num(ends[0])} to {num(ends[-1])}"
        out[f"tt_{kind}_pc1"] = pct(rs[PCA_SEED]["state"]["pca"]["variance"][0])
        for verdict, name in (("runs away", "runaway"), ("stalls", "stall"), ("follows", "follow")):
            out[f"tt_{kind}_{name}"] = str(sum(outcome(kind, s) == verdict for s in range(len(rs))))
    bounded = [r["ceiling"] for kind in KINDS if kind != "relu" for r in runs(kind)]
    out["tt_ceiling"] = f"{num(min(bounded))} to {num(max(bounded))}"
    ends = [r["count"]["long_count"][-1] for kind in KINDS if kind != "relu" for r in runs(kind)]
    out["tt_bounded_count_end"] = f"{num(min(ends))} to {num(max(ends))}"
    for verdict, name in (("runs away", "runaway"), ("stalls", "stall")):
        mine = [r["count"] for s, r in enumerate(runs("relu")) if outcome("relu", s) == verdict]
        out[f"tt_relu_{name}_state"] = span([c["state_unseen"] for c in mine]) if mine else "–"
        ends = sorted(c["long_count"][-1] for c in mine)
        out[f"tt_relu_{name}_end"] = ("–" if not ends else num(ends[0]) if len(ends) == 1
                                      else f"{num(ends[0])} to {num(ends[-1])}")  # fmt: skip
    # a count that runs away grows geometrically: its factor per step over the second half of the long sequence
    growth = [g for s, g in enumerate(results["growth"]["relu"]) if outcome("relu", s) == "runs away"]
    out["tt_relu_growth"] = f"{min(growth):.3f} to {max(growth):.3f}" if len(growth) > 1 else (f"{growth[0]:.3f}" if growth else "–")
    return out


TABLES = {"tt-summary": summary_table}

FIGURES = [
    FigureSpec(name="tt-accuracy", alt=accuracy_alt, table=accuracy_table, draw=accuracy_figure),
    FigureSpec(name="tt-pca", alt=pca_alt, table=pca_table, draw=pca_figure),
    FigureSpec(name="tt-count", alt=count_alt, table=count_table, draw=count_figure),
]
