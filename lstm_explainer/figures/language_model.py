"""The trained-language-model figures: a small trained LSTM beside the hand-set France LSTM.

Every number comes from `lstm_explainer.experiments.language_model.results` (trained and
measured once, cached); this module only draws and words it. The page's trained model is the
first seed's; tables give every seed.

* `units_figure`: LSTMVis-style (Strobelt et al. 2017) traces of every unit's cell state
  over the walkthrough sentence, hand-set model left, trained model right, with the unit
  that best tracks "seen France", "female" and "people" picked out and the grammar's ground
  truth dashed.
* `next_word_figure`: the three likeliest next words after a few prefixes, for the
  grammar itself, the hand-set model and the trained model.
* `saturation_figure`: Karpathy, Johnson & Fei-Fei's (2015) gate-saturation scatter: per
  unit, the fraction of words at which each gate is below 0.1 against above 0.9.
* `training_figure`: held-out perplexity along training, with the grammar's (the best
  possible) and the hand-set model's.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedFormatter, FixedLocator, MaxNLocator, NullFormatter

from .. import france_weights as weights
from ..cells import sigmoid
from ..experiments import language_model as experiment
from ..experiments import world
from .base import FigureSpec, Table, Theme, new_figure, style_axes
from .france import PAGE, gate_cmap, ink, join

GATE_NAMES = {"i": "input gate", "f": "forget gate", "o": "output gate"}
FEATURE_NAMES = {
    "seen_france": "seen France", "seen_italy": "seen Italy", "seen_germany": "seen Germany",
    "seen_england": "seen England", "female": "female person in focus", "male": "male person in focus",
    "people": "number of people", "eating": "eating",
}  # fmt: skip


@functools.cache
def data() -> dict:
    """The experiment's results, read once per process."""
    return experiment.results()


def main() -> dict:
    """The page's trained model: the first seed's."""
    return data()["trained"][0]


def fmt(value: float, digits: int = 2) -> str:
    """A number for prose and figures, never ``-0.00``."""
    text = f"{float(value):.{digits}f}"
    return text.lstrip("-") if float(text) == 0 else text


def percent(value: float) -> str:
    """A fraction as a whole percentage: ``0.78`` -> ``78 %``."""
    return f"{100 * float(value):.0f} %"


def prob(p: float) -> str:
    """A probability with two decimals, ``<0.01`` for a small one, ``0`` for none at all."""
    return "0" if p == 0 else "<0.01" if p < 0.005 else f"{p:.2f}"


def best_unit(model: dict, feature: str, state: str = "c") -> tuple[int, float]:
    """The unit of ``model`` whose ``state`` correlates most (in absolute value) with ``feature``, and its r."""
    r = np.array(model["correlation"][state][data()["features"].index(feature)])
    unit = int(np.argmax(np.abs(r)))
    return unit, float(r[unit])


def handset_r(feature: str, state: str = "c") -> tuple[str, float]:
    """The hand-set model's named unit for ``feature`` and its correlation with it."""
    handset = data()["handset"]
    unit = world.HANDSET_UNIT[feature]
    r = handset["correlation"][state][data()["features"].index(feature)][handset["units"].index(unit)]
    return unit, float(r)


def probe_r(model: dict, feature: str, state: str = "c") -> float:
    return float(model["probe"][state][data()["features"].index(feature)])


def walk_tokens() -> list[str]:
    return data()["grammar"]["walkthrough"]["tokens"]


def walk_truth(feature: str) -> np.ndarray:
    return np.array(data()["grammar"]["walkthrough"]["features"])[:, data()["features"].index(feature)]


def saturated(model: dict, gate: str) -> float:
    """The fraction of all of ``model``'s ``gate`` values below 0.1 or above 0.9."""
    s = model["saturation"][gate]
    return s["low"] + s["high"]


# --- 1. units over the walkthrough, LSTMVis-style ----------------------------------------


RUNNERS_UP = 4
"""How many next-best units each panel draws in grey behind the best one."""


def ranked_units(model: dict, feature: str, state: str = "c") -> list[int]:
    """The units of ``model``, best tracker of ``feature`` first (by absolute correlation)."""
    r = np.abs(np.array(model["correlation"][state][data()["features"].index(feature)]))
    return [int(u) for u in np.argsort(-r, kind="stable")]


def units_rows() -> list[dict]:
    """Per tracked feature: the truth and, for each model, its tracking unit and the runners-up, over the walkthrough.

    The hand-set model's tracking unit is its named unit (which is also its best by correlation).
    """
    handset, trained = data()["handset"], main()
    states = {"handset": np.array(handset["walkthrough"]["c"]), "trained": np.array(trained["walkthrough"]["c"])}
    rows = []
    for feature in experiment.TRACKED:
        row = {"feature": feature, "truth": walk_truth(feature)}
        name, row["handset_r"] = handset_r(feature)
        row["handset_unit"] = name
        row["trained_unit"], row["trained_r"] = best_unit(trained, feature)
        row["probe"] = np.array(trained["walkthrough"]["probe"])[:, data()["features"].index(feature)]
        for key, model in (("handset", handset), ("trained", trained)):
            unit = handset["units"].index(name) if key == "handset" else row["trained_unit"]
            others = [u for u in ranked_units(model, feature) if u != unit][:RUNNERS_UP]
            row[key] = states[key][:, unit]
            row[f"{key}_next"] = states[key][:, others]
        rows.append(row)
    return rows


def units_table() -> Table:
    """Each word of the walkthrough: per tracked feature, the truth and both models' units."""
    rows = units_rows()
    columns = ["word"]
    for row in rows:
        columns += [f"{row['feature']} (truth)", f"hand-set {row['handset_unit']}", f"trained unit {row['trained_unit']}",
                    "trained probe"]
    body = []
    for t, token in enumerate(walk_tokens()):
        line = [token]
        for row in rows:
            line += [int(row["truth"][t]), float(row["handset"][t]), float(row["trained"][t]), float(row["probe"][t])]
        body.append(line)
    return Table(
        caption="The cell state, after each word of the walkthrough sentence, of the hand-set model's named unit and "
        "of the trained model's unit that best tracks each feature over held-out text (its correlation r there in "
        "the figure), and what a linear probe of all the trained units reads, beside the grammar's ground truth.",
        columns=columns,
        rows=body,
    )


def units_alt() -> str:
    rows = units_rows()
    parts = [
        f"{FEATURE_NAMES[row['feature']]}: hand-set unit {row['handset_unit']} (r = {fmt(row['handset_r'])}), trained unit "
        f"{row['trained_unit']} (r = {fmt(row['trained_r'])})"
        for row in rows
    ]
    return (
        "Six line charts over the words of the walkthrough sentence, one row per feature, the hand-set model on the left "
        "and the trained model on the right: the cell state of the unit that best tracks the feature over held-out text, "
        f"in colour over the grammar's ground truth (dashed), with the next {RUNNERS_UP} units in grey. "
        f"{'; '.join(parts)}. The hand-set units follow the truth step for step; the trained units follow it loosely, "
        "and their runners-up move with it too."
    )


def units_figure(theme: Theme):
    """A row per tracked feature; hand-set units left, trained units right; the tracking unit in colour."""
    rows = units_rows()
    tokens = walk_tokens()
    x = np.arange(len(tokens))
    fig = new_figure(theme, 9.6, 2.1 * len(rows) + 0.9)
    axes = fig.subplots(len(rows), 2, sharex=True)
    fig.subplots_adjust(hspace=0.45, wspace=0.18)
    for k, row in enumerate(rows):
        colour = theme.palette[k % len(theme.palette)]
        for side, (ax, key) in enumerate(zip(axes[k], ("handset", "trained"))):
            style_axes(ax, theme)
            ax.plot(x, row[f"{key}_next"], color=theme.line, linewidth=0.8, alpha=0.6)
            ax.plot(x, row["truth"], color=theme.text, linewidth=1.3, linestyle=(0, (4, 3)), drawstyle="steps-mid")
            ax.plot(x, row[key], color=colour, linewidth=2.2)
            if key == "trained":
                ax.plot(x, row["probe"], color=colour, linewidth=1.4, linestyle=(0, (1, 1.5)))
            ax.axhline(0, color=theme.line, linewidth=0.6)
            unit = row[f"{key}_unit"]
            name = f"unit {unit}" if key == "trained" else unit
            ax.set_title(f"{FEATURE_NAMES[row['feature']]}: {name}, r = {fmt(row[f'{key}_r'])}", fontsize=10,
                         loc="left", color=theme.text)  # fmt: skip
            ax.tick_params(labelsize=8.5)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            if side == 0:
                ax.set_ylabel("cell state c", fontsize=9)
    for ax in axes[-1]:
        ax.set_xticks(x, tokens, rotation=40, ha="right", rotation_mode="anchor", fontsize=9)
    units = len(data()["handset"]["units"]), data()["settings"]["hidden"]
    for ax, title in zip(axes[0], (f"hand-set LSTM ({units[0]} named units)", f"trained LSTM ({units[1]} units)")):
        ax.text(0, 1.32, title, transform=ax.transAxes, fontsize=11, weight="bold", color=theme.text)
    fig.text(0.5, -0.01, f"dashed: the grammar's ground truth  ·  grey: the next {RUNNERS_UP} units by |r|  ·  "
             "dotted: a linear probe of all the trained units\nr: correlation with the feature over the held-out words",
             ha="center", va="top", fontsize=9, color=theme.muted)  # fmt: skip
    return fig


# --- 2. next-word guesses ------------------------------------------------------------------

MODELS = {"grammar": "the grammar (truth)", "handset": "hand-set LSTM", "trained": "trained LSTM"}


def prefix_probs(model: str, prefix: str) -> np.ndarray:
    source = main() if model == "trained" else data()[model]
    return np.array(source["prefixes"][prefix])


GUESSES = 4
"""Guesses shown per prefix and model: four, so that the grammar's ties of four show whole."""


def top(probs: np.ndarray, k: int = GUESSES) -> list[tuple[str, float]]:
    """The ``k`` likeliest words that have a chance at all, best first (ties in vocabulary order)."""
    order = np.argsort(-probs, kind="stable")[:k]
    return [(data()["vocab"][w], float(probs[w])) for w in order if probs[w] > 0]


def next_word_table() -> Table:
    rows = []
    for prefix in experiment.PREFIXES:
        for model in MODELS:
            guesses = top(prefix_probs(model, prefix))
            guesses += [("–", "–")] * (GUESSES - len(guesses))
            rows.append([prefix, MODELS[model], *(v for pair in guesses for v in pair)])
    columns = ["prefix", "model"]
    for rank in ("1st", "2nd", "3rd", "4th")[:GUESSES]:
        columns += [f"{rank} guess", "probability"]
    return Table(caption=f"The {GUESSES} likeliest next words after each prefix: by the grammar that made the text (the "
                 "true probabilities; ties in vocabulary order), by the hand-set LSTM and by the trained LSTM.",
                 columns=columns, rows=rows)  # fmt: skip


def next_word_alt() -> str:
    france, italy = experiment.PREFIXES[:2]
    parts = []
    for prefix in (france, italy):
        guesses = {model: join([f"{w} ({prob(p)})" for w, p in top(prefix_probs(model, prefix))]) for model in MODELS}
        parts.append(f"after \"{prefix}\" the grammar gives {guesses['grammar']}, the hand-set model "
                     f"{guesses['handset']} and the trained model {guesses['trained']}")  # fmt: skip
    return (
        f"A grid of the {GUESSES} likeliest next words after {len(experiment.PREFIXES)} prefixes, for the grammar, the "
        f"hand-set model and the trained model, each cell shaded by its probability: {'; '.join(parts)}."
    )


def next_word_figure(theme: Theme):
    """A row of cells per prefix: the guesses of each of the grammar, hand-set and trained models."""
    prefixes = experiment.PREFIXES
    cmap = gate_cmap(theme)
    cell_w, gap = 1.0, 0.3
    block = GUESSES * cell_w + gap
    row_h = 2.0
    fig = new_figure(theme, 3 * block * 0.68, 0.36 * (row_h * len(prefixes) + 1.1))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 3 * block)
    ax.set_ylim(row_h * len(prefixes) + 0.2, -0.9)
    for m, model in enumerate(MODELS):
        ax.text(m * block, -0.45, MODELS[model], fontsize=10, weight="bold", color=theme.text, va="center")
    for r, prefix in enumerate(prefixes):
        y = row_h * r
        ax.text(0, y + 0.25, f"after \u201c{prefix} \u2026\u201d", fontsize=9.5, style="italic", color=theme.text,
                va="center")  # fmt: skip
        for m, model in enumerate(MODELS):
            for k, (word, p) in enumerate(top(prefix_probs(model, prefix))):
                fill = cmap(Normalize(0, 1)(p))
                left = m * block + k * cell_w
                ax.add_patch(Rectangle((left + 0.03, y + 0.55), cell_w - 0.06, 1.1, facecolor=fill,
                                       edgecolor=theme.line, linewidth=0.5))  # fmt: skip
                ax.text(left + cell_w / 2, y + 1.1, f"{word}\n{prob(p)}", ha="center", va="center", fontsize=8.5,
                        color=ink(theme, tuple(fill)), linespacing=1.3)  # fmt: skip
    return fig


# --- 3. gate saturation ----------------------------------------------------------------------


def saturation_table() -> Table:
    rows = []
    models = [("hand-set", data()["handset"])] + [(f"trained, seed {t['seed']}", t) for t in data()["trained"]]
    for name, model in models:
        for gate in GATE_NAMES:
            s = model["saturation"][gate]
            rows.append([name, GATE_NAMES[gate], s["low"], s["high"], s["low"] + s["high"]])
    return Table(
        caption="Gate saturation over the held-out words: the fraction of all gate values (every unit, every word) "
        f"below {experiment.LOW} and above {experiment.HIGH}, and the two together.",
        columns=["model", "gate", f"below {experiment.LOW}", f"above {experiment.HIGH}", "saturated"],
        rows=rows,
    )


def saturation_alt() -> str:
    parts = [
        f"{GATE_NAMES[g]} {percent(saturated(data()['handset'], g))} for the hand-set model against "
        f"{percent(saturated(main(), g))} for the trained one"
        for g in GATE_NAMES
    ]
    return (
        "Three scatter plots, one per gate, with a point per unit: the fraction of held-out words at which the gate is "
        f"below {experiment.LOW} (across) against above {experiment.HIGH} (up). A unit on the diagonal is always "
        "saturated. The hand-set units sit on or next to the diagonal; the trained units spread below it. All "
        f"gate values saturated: {'; '.join(parts)}."
    )


def saturation_figure(theme: Theme):
    """Karpathy et al.'s scatter: per unit, fraction left-saturated across, right-saturated up, per gate."""
    fig = new_figure(theme, 9.6, 3.5)
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(wspace=0.3)
    models = (("hand-set", data()["handset"], theme.palette[1], "s", 34),
              ("trained", main(), theme.palette[0], "o", 20))  # fmt: skip
    for ax, gate in zip(axes, GATE_NAMES):
        style_axes(ax, theme)
        ax.plot([0, 1], [1, 0], color=theme.line, linewidth=1.0, linestyle=(0, (4, 3)))
        for name, model, colour, marker, size in models:
            points = np.array(model["saturation"][gate]["per_unit"])
            ax.scatter(points[:, 0], points[:, 1], s=size, marker=marker, facecolor="none" if marker == "s" else colour,
                       edgecolor=colour, linewidth=1.2, alpha=0.85, label=f"{name} ({len(points)} units)")  # fmt: skip
            if name == "hand-set":  # its units pile up: say how many share a spot
                spots, counts = np.unique(points.round(2), axis=0, return_counts=True)
                for (px, py), n in zip(spots, counts):
                    if n > 1:
                        ax.text(px + (0.05 if px < 0.5 else -0.05), py + (-0.06 if py > 0.5 else 0.06), f"×{n}",
                                ha="left" if px < 0.5 else "right", va="center", fontsize=8.5, color=colour)  # fmt: skip
        ax.set_xlim(-0.04, 1.04)
        ax.set_ylim(-0.04, 1.04)
        ax.set_aspect("equal")
        ax.set_title(GATE_NAMES[gate], fontsize=10.5, color=theme.text)
        ax.set_xlabel(f"fraction below {experiment.LOW}", fontsize=9)
        ax.tick_params(labelsize=8.5)
    axes[0].set_ylabel(f"fraction above {experiment.HIGH}", fontsize=9)
    legend = fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, 0.06), ncols=2,
                        fontsize=9, frameon=False)  # fmt: skip
    for text in legend.get_texts():
        text.set_color(theme.text)
    fig.text(0.5, -0.05, f"one point per unit  ·  dashed: always saturated (below {experiment.LOW} or above "
             f"{experiment.HIGH} at every held-out word)  ·  ×n: n hand-set units at the same spot", ha="center",
             va="top", fontsize=9, color=theme.muted)  # fmt: skip
    return fig


# --- 4. training -------------------------------------------------------------------------------


def training_table() -> Table:
    trained = data()["trained"]
    rows = [[step, *(float(np.exp(t["curve"][k][1])) for t in trained)] for k, (step, _) in enumerate(trained[0]["curve"])]
    return Table(
        caption="Held-out perplexity along training, for each seed: exp of the mean next-word cross-entropy.",
        columns=["update", *(f"seed {t['seed']}" for t in trained)],
        rows=rows,
    )


def training_alt() -> str:
    trained = data()["trained"]
    ends = join([fmt(np.exp(t["curve"][-1][1])) for t in trained])
    return (
        f"Line chart of held-out perplexity (log scale) against training updates for {len(trained)} seeds. It falls "
        f"from about {fmt(np.exp(trained[0]['curve'][0][1]), 0)} to {ends}, just above the grammar's own "
        f"{fmt(data()['grammar']['perplexity'])} (the best possible) and below the hand-set model's "
        f"{fmt(data()['handset']['perplexity'])}."
    )


def training_figure(theme: Theme):
    fig = new_figure(theme, 6.4, 3.2)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    for k, t in enumerate(data()["trained"]):
        curve = np.array(t["curve"])
        ax.plot(curve[:, 0], np.exp(curve[:, 1]), color=theme.palette[0], linewidth=1.8,
                linestyle="-" if k == 0 else (0, (5, 2)), label=f"trained, seed {t['seed']}")  # fmt: skip
    for name, value, colour in (("hand-set LSTM", data()["handset"]["perplexity"], theme.palette[1]),
                                ("the grammar (best possible)", data()["grammar"]["perplexity"], theme.text)):  # fmt: skip
        ax.axhline(value, color=colour, linewidth=1.2, linestyle=(0, (2, 2)))
        above = name.startswith("hand-set")  # the curves end between the two lines: label outside them
        ax.text(data()["settings"]["updates"], value * (1.03 if above else 0.97), f"{name}: {fmt(value)}",
                ha="right", va="bottom" if above else "top", fontsize=9, color=colour)  # fmt: skip
    ax.set_yscale("log")
    ticks = [2, 3, 5, 10, 20, 30]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FixedFormatter([str(t) for t in ticks]))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylim(1.8, None)
    ax.set_xlabel("update", fontsize=9.5)
    ax.set_ylabel("held-out perplexity", fontsize=9.5)
    ax.tick_params(labelsize=8.5, which="both")
    legend = ax.legend(loc="upper right", fontsize=9, frameon=False)
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig


# --- tables ---------------------------------------------------------------------------------


def perplexity_table() -> Table:
    rows = [["the grammar (true probabilities)", data()["grammar"]["perplexity"], data()["grammar"]["accuracy"]],
            ["hand-set LSTM", data()["handset"]["perplexity"], data()["handset"]["accuracy"]]]  # fmt: skip
    rows += [[f"trained LSTM, seed {t['seed']}", t["perplexity"], t["accuracy"]] for t in data()["trained"]]
    return Table(
        caption=f"Next-word prediction on {data()['grammar']['sentences']} held-out sentences "
        f"({data()['grammar']['scored_words']} predicted words): perplexity (lower is better) and how often the "
        "likeliest guess is the word that follows.",
        columns=["model", "perplexity", "top-1 accuracy"],
        rows=rows,
    )


def features_table() -> Table:
    trained = data()["trained"]
    rows = []
    for feature in data()["features"]:
        unit, r = handset_r(feature)
        row = [feature, unit, r]
        for t in trained:
            best, best_r = best_unit(t, feature)
            row += [best, best_r, probe_r(t, feature)]
        rows.append(row)
    columns = ["feature", "hand-set unit", "r"]
    for t in trained:
        columns += [f"seed {t['seed']}: best unit", "r", "all units (probe r)"]
    return Table(
        caption="How well each model's cell state tracks each feature over the held-out words: correlation r of the "
        "hand-set model's named unit, of the trained model's best single unit, and of a linear probe of all the "
        "trained units (fitted on half the held-out words, measured on the other half).",
        columns=columns,
        rows=rows,
    )


TABLES = {"lm-perplexity": perplexity_table, "lm-features": features_table}


# --- numbers for the prose ---------------------------------------------------------------------


def facts() -> dict[str, str]:
    d, m = data(), main()
    s, grammar, handset = d["settings"], d["grammar"], d["handset"]
    trained = d["trained"]
    vocab = d["vocab"]
    params = (len(vocab) + 1) * s["embedding"] + 4 * s["hidden"] * (s["embedding"] + s["hidden"] + 2)
    params += s["hidden"] * len(vocab) + len(vocab)
    out = {
        "lm_vocab": str(len(vocab)),
        "lm_train_sentences": f"{s['train_sentences']:,}",
        "lm_heldout_sentences": str(grammar["sentences"]),
        "lm_heldout_words": f"{grammar['words']:,}",
        "lm_heldout_seen": str(grammar["seen_in_training"]),
        "lm_heldout_unseen": str(grammar["sentences"] - grammar["seen_in_training"]),
        "lm_heldout_seen_share": percent(grammar["seen_in_training"] / grammar["sentences"]),
        "lm_ppl_grammar_unseen": fmt(grammar["unseen_perplexity"]),
        "lm_ppl_trained_unseen": fmt(m["unseen_perplexity"]),
        "lm_ppl_trained_unseen_all": join([fmt(t["unseen_perplexity"]) for t in trained]),
        "lm_people": str(len(world.PEOPLE)),
        "lm_tracked": str(len(experiment.TRACKED)),
        "lm_foods_per_country": str(len(weights.FOODS["france"])),
        "lm_switch": f"{weights.S:g}",
        "lm_switch_open": f"{float(sigmoid(np.float64(weights.S))):.4f}",
        "lm_switch_shut": f"{float(sigmoid(np.float64(-weights.S))):.4f}",
        "lm_embedding": str(s["embedding"]),
        "lm_hidden": str(s["hidden"]),
        "lm_handset_units": str(len(handset["units"])),
        "lm_params": f"{params:,}",
        "lm_batch": str(s["batch"]),
        "lm_updates": str(s["updates"]),
        "lm_lr": f"{s['lr']:g}",
        "lm_seeds": str(len(trained)),
        "lm_ppl_grammar": fmt(grammar["perplexity"]),
        "lm_ppl_handset": fmt(handset["perplexity"]),
        "lm_ppl_trained": fmt(m["perplexity"]),
        "lm_ppl_trained_all": join([fmt(t["perplexity"]) for t in trained]),
        "lm_acc_grammar": percent(grammar["accuracy"]),
        "lm_acc_handset": percent(handset["accuracy"]),
        "lm_acc_trained": percent(m["accuracy"]),
        "lm_walk_probability": f"{grammar['walkthrough']['probability']:.1e}",
        "lm_walk_one_in": f"{round(1 / grammar['walkthrough']['probability'], -3):,.0f}",
        "lm_walk_structure_share": percent(grammar["walkthrough_structure_share"]),
        "lm_walk_structure_count": str(round(grammar["walkthrough_structure_share"] * grammar["sentences"])),
        "lm_longest": str(grammar["longest"]),
        "lm_clip": f"{experiment.CLIP:g}",
        "lm_p_place": percent(world.P_PLACE),
        "lm_p_ate": percent(world.P_ATE),
        "lm_low": str(experiment.LOW),
        "lm_high": str(experiment.HIGH),
    }
    for feature in d["features"]:
        best, r = best_unit(m, feature)
        out[f"lm_best_{feature}_unit"] = str(best)
        out[f"lm_best_{feature}_r"] = fmt(r)
        out[f"lm_best_{feature}_abs_r_all"] = join([fmt(abs(best_unit(t, feature)[1])) for t in trained])
        out[f"lm_best_{feature}_h_r"] = fmt(best_unit(m, feature, "h")[1])
        out[f"lm_probe_{feature}_r"] = fmt(probe_r(m, feature))
        out[f"lm_handset_{feature}_r"] = fmt(handset_r(feature)[1])
    abs_best = [abs(best_unit(t, f)[1]) for t in trained for f in d["features"]]
    probes = [probe_r(t, f) for t in trained for f in d["features"]]
    out["lm_best_abs_r_min"], out["lm_best_abs_r_max"] = fmt(min(abs_best)), fmt(max(abs_best))
    out["lm_probe_r_min"], out["lm_probe_r_max"] = fmt(min(probes)), fmt(max(probes))
    # one unit best for several countries: a shared "which country" axis rather than a flag each
    countries = [f for f in d["features"] if f.startswith("seen_")]
    units = [best_unit(m, f)[0] for f in countries]
    shared = max(set(units), key=lambda u: (units.count(u), -u))
    out["lm_country_shared_unit"], out["lm_country_shared_count"] = str(shared), str(units.count(shared))
    out["lm_country_shared_features"] = join([FEATURE_NAMES[f] for f, u in zip(countries, units) if u == shared])
    for model in ("grammar", "handset", "trained"):
        for key, prefix in (("france", experiment.PREFIXES[0]), ("italy", experiment.PREFIXES[1])):
            probs = prefix_probs(model, prefix)
            for country in ("france", "italy"):
                total = sum(probs[vocab.index(food)] for food in weights.FOODS[country])
                out[f"lm_{model}_{key}_ate_{country}_foods"] = fmt(total)
            word, p = top(probs, 1)[0]
            out[f"lm_{model}_{key}_ate_top"], out[f"lm_{model}_{key}_ate_top_p"] = word, fmt(p)
        but = prefix_probs(model, experiment.PREFIXES[4])
        out[f"lm_{model}_but_mary"] = prob(but[vocab.index("mary")])
        mary = prefix_probs(model, experiment.PREFIXES[2])
        out[f"lm_{model}_mary_ate_her"] = prob(mary[vocab.index("her")])
        out[f"lm_{model}_mary_ate_the"] = prob(mary[vocab.index("the")])
        out[f"lm_{model}_france_ate_the"] = prob(prefix_probs(model, experiment.PREFIXES[0])[vocab.index("the")])
        wine = prefix_probs(model, experiment.PREFIXES[5])
        out[f"lm_{model}_like_the_wine"] = prob(wine[vocab.index("wine")])
        out[f"lm_{model}_like_the_french_food_max"] = prob(max(wine[vocab.index(f)] for f in weights.FOODS["france"]))
    for name, model in (("handset", handset), ("trained", m)):
        # forget gates open (above HIGH) or shut (below LOW) at more than half of the words, unit by unit
        per_unit = np.array(model["saturation"]["f"]["per_unit"])
        out[f"lm_{name}_f_mostly_open"] = str(int((per_unit[:, 1] > 0.5).sum()))
        out[f"lm_{name}_f_mostly_shut"] = str(int((per_unit[:, 0] > 0.5).sum()))
    for gate in GATE_NAMES:
        out[f"lm_sat_handset_{gate}"] = percent(saturated(handset, gate))
        out[f"lm_sat_trained_{gate}"] = percent(saturated(m, gate))
        out[f"lm_sat_trained_{gate}_low"] = percent(m["saturation"][gate]["low"])
        out[f"lm_sat_trained_{gate}_high"] = percent(m["saturation"][gate]["high"])
    return out


FIGURES = [
    FigureSpec(name="lm-units-walkthrough", alt=units_alt, table=units_table, draw=units_figure),
    FigureSpec(name="lm-next-word", alt=next_word_alt, table=next_word_table, draw=next_word_figure),
    FigureSpec(name="lm-gate-saturation", alt=saturation_alt, table=saturation_table, draw=saturation_figure),
    FigureSpec(name="lm-training", alt=training_alt, table=training_table, draw=training_figure),
]
