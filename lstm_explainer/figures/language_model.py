"""The trained-language-model page: a small trained LSTM beside the hand-set France LSTM.

Every number comes from `lstm_explainer.experiments.language_model.results` (trained and
measured once, cached; its settings are that module's ``CONFIG``); this module only draws
and words it. The page's trained model is the first seed's (`first_seed_model`); tables give
every seed.

* ``lm-units-walkthrough`` (`units_data`, `units_figure`): LSTMVis-style (Strobelt et al.
  2017) traces of every unit's cell state over the walkthrough sentence, hand-set model left,
  trained model right, with the unit that best tracks "seen France", "female" and "people"
  picked out and the grammar's ground truth dashed.
* ``lm-next-word`` (`next_word_data`, `next_word_figure`): the four likeliest next words
  after a few prefixes, for the grammar itself, the hand-set model and the trained model.
* ``lm-gate-saturation`` (`saturation_data`, `saturation_figure`): Karpathy, Johnson &
  Fei-Fei's (2015) gate-saturation scatter: per unit, the fraction of words at which each
  gate is below 0.1 against above 0.9.
* ``lm-training`` (`training_data`, `training_figure`): held-out perplexity along training,
  with the grammar's (the best possible) and the hand-set model's.

``TABLES`` has the perplexity, feature-tracking and sampled-sentence tables, ``NUMBERS``
every number the page's prose quotes (names ``lm_*``) and ``CLAIMS`` its summary sentences
(`lstm_explainer.claims`). A trained unit is *selected* as the best for a feature on the
first half of the held-out sentences and its $r$ *reported* on the second half
(`best_unit`), so that picking the best of many units does not flatter the number.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedFormatter, FixedLocator, MaxNLocator, NullFormatter

from .. import france_weights as weights
from ..cells import sigmoid
from ..claims import Claim
from ..experiments import language_model as experiment
from ..experiments import world
from ..formatting import compact, count, fmt, join, pct, prob, sci
from .base import FigureSpec, Table, Theme, new_figure, style_axes
from .grid import colour_key, gate_cmap, ink

CONFIG = experiment.CONFIG
"""The experiment's settings (`experiment.LanguageModelConfig`), as the page quotes them."""

GATE_NAMES = {"i": "input gate", "f": "forget gate", "o": "output gate"}
FEATURE_NAMES = {
    "seen_france": "seen France", "seen_italy": "seen Italy", "seen_germany": "seen Germany",
    "seen_england": "seen England", "female": "female person in focus", "male": "male person in focus",
    "people": "number of people", "eating": "eating",
}  # fmt: skip


@functools.cache
def data() -> dict:
    """The experiment's results (`experiment.results`), read once per process."""
    return experiment.results()


def first_seed_model() -> dict:
    """The trained model the page's figures and prose show: the run of ``CONFIG.seeds[0]``."""
    return data()["trained"][0]


def model_results(model: str) -> dict:
    """The results of ``"grammar"``, ``"handset"`` or ``"trained"`` (the first seed's model)."""
    return first_seed_model() if model == "trained" else data()[model]


def split_r(model: dict, feature: str, split: str, state: str = "c") -> np.ndarray:
    """Every unit's r with ``feature`` on one half of the held-out sentences (``"select"`` or ``"test"``)."""
    return np.array(model["correlation_split"][state][split][world.FEATURES.index(feature)])


def best_unit(model: dict, feature: str, state: str = "c") -> tuple[int, float]:
    """The unit of ``model`` whose ``state`` correlates most (in absolute value) with ``feature`` on
    the first half of the held-out sentences, and its r on the second half."""
    unit = int(np.argmax(np.abs(split_r(model, feature, "select", state))))
    return unit, float(split_r(model, feature, "test", state)[unit])


def selected_r(model: dict, feature: str, state: str = "c") -> float:
    """The r of `best_unit`'s unit on the half it was selected on (the flattering number)."""
    unit = best_unit(model, feature, state)[0]
    return float(split_r(model, feature, "select", state)[unit])


def handset_r(feature: str, state: str = "c") -> tuple[str, float]:
    """The hand-set model's named unit for ``feature`` and its correlation with it."""
    handset = data()["handset"]
    unit = world.HANDSET_UNIT[feature]
    r = handset["correlation"][state][world.FEATURES.index(feature)][handset["units"].index(unit)]
    return unit, float(r)


def probe_r(model: dict, feature: str, state: str = "c") -> float:
    """The correlation with ``feature`` of the linear probe of all of ``model``'s units."""
    return float(model["probe"][state][world.FEATURES.index(feature)])


def walk_tokens() -> list[str]:
    """The words of the walkthrough sentence."""
    return data()["grammar"]["walkthrough"]["tokens"]


def walk_truth(feature: str) -> np.ndarray:
    """The grammar's ground truth for ``feature`` after each word of the walkthrough."""
    return np.array(data()["grammar"]["walkthrough"]["features"])[:, world.FEATURES.index(feature)]


def saturated(saturation: dict, gate: str) -> float:
    """The fraction of all of a model's ``gate`` values below ``low`` or above ``high`` (from its ``saturation``)."""
    s = saturation[gate]
    return s["low"] + s["high"]


# --- 1. units over the walkthrough, LSTMVis-style ----------------------------------------


RUNNERS_UP = 4
"""How many next-best units each panel draws in grey behind the best one."""


def ranked_units(model: dict, feature: str, state: str = "c") -> list[int]:
    """The units of ``model``, best tracker of ``feature`` first (by absolute correlation on the selection half)."""
    r = np.abs(split_r(model, feature, "select", state))
    return [int(u) for u in np.argsort(-r, kind="stable")]


def units_data() -> dict:
    """The numbers of ``lm-units-walkthrough``: the walkthrough's words, and a row per tracked feature.

    A row holds the truth and, for each model, its tracking unit, that unit's r, its cell
    state along the walkthrough and the runners-up's (words x `RUNNERS_UP`); for the trained
    model also the probe's reading. The hand-set model's tracking unit is its named unit
    (which is also its best by correlation).
    """
    handset, trained = data()["handset"], first_seed_model()
    states = {"handset": np.array(handset["walkthrough"]["c"]), "trained": np.array(trained["walkthrough"]["c"])}
    rows = []
    for feature in experiment.TRACKED:
        row = {"feature": feature, "truth": walk_truth(feature)}
        name, row["handset_r"] = handset_r(feature)
        row["handset_unit"] = name
        row["trained_unit"], row["trained_r"] = best_unit(trained, feature)
        row["probe"] = np.array(trained["walkthrough"]["probe"])[:, world.FEATURES.index(feature)]
        for key, model in (("handset", handset), ("trained", trained)):
            unit = handset["units"].index(name) if key == "handset" else row["trained_unit"]
            others = [u for u in ranked_units(model, feature) if u != unit][:RUNNERS_UP]
            row[key] = states[key][:, unit]
            row[f"{key}_next"] = states[key][:, others]
        rows.append(row)
    return {"tokens": walk_tokens(), "rows": rows, "handset_units": len(handset["units"]), "hidden": CONFIG.hidden}


def units_table(result: dict) -> Table:
    """Each word of the walkthrough: per tracked feature, the truth and both models' units."""
    rows = result["rows"]
    columns = ["word"]
    for row in rows:
        columns += [f"{row['feature']} (truth)", f"hand-set {row['handset_unit']}", f"trained unit {row['trained_unit']}",
                    "trained probe"]
    body = []
    for t, token in enumerate(result["tokens"]):
        line = [token]
        for row in rows:
            line += [int(row["truth"][t]), float(row["handset"][t]), float(row["trained"][t]), float(row["probe"][t])]
        body.append(line)
    return Table(
        caption="The cell state, after each word of the walkthrough sentence, of the hand-set model's named unit and "
        "of the trained model's unit that best tracks each feature (picked on half the held-out sentences; its "
        "correlation r on the other half in the figure), and what a linear probe of all the trained units reads, "
        "beside the grammar's ground truth.",
        columns=columns,
        rows=body,
    )


def units_alt(result: dict) -> str:
    parts = [
        f"{FEATURE_NAMES[row['feature']]}: hand-set unit {row['handset_unit']} (r = {fmt(row['handset_r'])}), trained unit "
        f"{row['trained_unit']} (r = {fmt(row['trained_r'])})"
        for row in result["rows"]
    ]
    return (
        "Six line charts over the words of the walkthrough sentence, one row per feature, the hand-set model on the left "
        "and the trained model on the right: the cell state of the unit that best tracks the feature (for the trained "
        "model, picked on half the held-out sentences, with r measured on the other half), "
        f"in colour over the grammar's ground truth (dashed), with the next {RUNNERS_UP} units in grey. "
        f"{'; '.join(parts)}. The hand-set units follow the truth step for step; the trained units follow it loosely, "
        "and their runners-up move with it too."
    )


def units_figure(result: dict, theme: Theme):
    """A row per tracked feature; hand-set units left, trained units right; the tracking unit in colour."""
    rows = result["rows"]
    tokens = result["tokens"]
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
    titles = (f"hand-set LSTM ({result['handset_units']} named units)", f"trained LSTM ({result['hidden']} units)")
    for ax, title in zip(axes[0], titles):
        ax.text(0, 1.32, title, transform=ax.transAxes, fontsize=11, weight="bold", color=theme.text)
    fig.text(0.5, -0.01, f"dashed: the grammar's ground truth  ·  grey: the next {RUNNERS_UP} units by |r|  ·  "
             "dotted: a linear probe of all the trained units\nr: correlation with the feature (trained units: picked on "
             "half the held-out sentences, r on the other half)",
             ha="center", va="top", fontsize=9, color=theme.muted)  # fmt: skip
    return fig


# --- 2. next-word guesses ------------------------------------------------------------------

MODELS = {"grammar": "the grammar (truth)", "handset": "hand-set LSTM", "trained": "trained LSTM"}


def prefix_probs(model: str, prefix: str) -> np.ndarray:
    """The next-word distribution (over `world.VOCAB`) of ``model`` (a key of `MODELS`) after ``prefix``."""
    return np.array(model_results(model)["prefixes"][prefix])


GUESSES = 4
"""Guesses shown per prefix and model: four, so that the grammar's ties of four show whole."""


def top(probs: np.ndarray, k: int = GUESSES) -> list[tuple[str, float]]:
    """The ``k`` likeliest words that have a chance at all, best first (ties in vocabulary order)."""
    order = np.argsort(-probs, kind="stable")[:k]
    return [(world.VOCAB[w], float(probs[w])) for w in order if probs[w] > 0]


def next_word_data() -> dict:
    """The numbers of ``lm-next-word``: prefix -> model (key of `MODELS`) -> its `top` guesses, (word, p)."""
    return {prefix: {model: top(prefix_probs(model, prefix)) for model in MODELS} for prefix in experiment.PREFIXES}


def next_word_table(result: dict) -> Table:
    rows = []
    for prefix, by_model in result.items():
        for model in MODELS:
            guesses = by_model[model] + [("–", "–")] * (GUESSES - len(by_model[model]))
            rows.append([prefix, MODELS[model], *(v for pair in guesses for v in pair)])
    columns = ["prefix", "model"]
    for rank in ("1st", "2nd", "3rd", "4th")[:GUESSES]:
        columns += [f"{rank} guess", "probability"]
    return Table(caption=f"The {GUESSES} likeliest next words after each prefix: by the grammar that made the text (the "
                 "true probabilities; ties in vocabulary order), by the hand-set LSTM and by the trained LSTM.",
                 columns=columns, rows=rows)  # fmt: skip


def next_word_alt(result: dict) -> str:
    parts = []
    for prefix in experiment.PREFIXES[:2]:  # France, then Italy
        guesses = {model: join([f"{w} ({prob(p)})" for w, p in result[prefix][model]]) for model in MODELS}
        parts.append(f"after \"{prefix}\" the grammar gives {guesses['grammar']}, the hand-set model "
                     f"{guesses['handset']} and the trained model {guesses['trained']}")  # fmt: skip
    return (
        f"A grid of the {GUESSES} likeliest next words after {len(result)} prefixes, for the grammar, the "
        f"hand-set model and the trained model, each cell shaded by its probability: {'; '.join(parts)}."
    )


def next_word_figure(result: dict, theme: Theme):
    """A row of cells per prefix: the guesses of each of the grammar, hand-set and trained models."""
    prefixes = list(result)
    cmap = gate_cmap(theme)
    cell_w, gap = 1.0, 0.3
    block = GUESSES * cell_w + gap
    row_h = 2.0
    fig = new_figure(theme, 3 * block * 0.68, 0.36 * (row_h * len(prefixes) + 3.1))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 3 * block)
    ax.set_ylim(row_h * len(prefixes) + 2.2, -0.9)
    colour_key(ax, theme, 0, row_h * len(prefixes) + 0.1, 3.0, cmap, 0, 1, "shade: the word's probability",
               words=("", ""))  # fmt: skip
    for m, model in enumerate(MODELS):
        ax.text(m * block, -0.45, MODELS[model], fontsize=10, weight="bold", color=theme.text, va="center")
    for r, prefix in enumerate(prefixes):
        y = row_h * r
        ax.text(0, y + 0.25, f"after \u201c{prefix} \u2026\u201d", fontsize=9.5, style="italic", color=theme.text,
                va="center")  # fmt: skip
        for m, model in enumerate(MODELS):
            for k, (word, p) in enumerate(result[prefix][model]):
                fill = cmap(Normalize(0, 1)(p))
                left = m * block + k * cell_w
                ax.add_patch(Rectangle((left + 0.03, y + 0.55), cell_w - 0.06, 1.1, facecolor=fill,
                                       edgecolor=theme.line, linewidth=0.5))  # fmt: skip
                ax.text(left + cell_w / 2, y + 1.1, f"{word}\n{prob(p)}", ha="center", va="center", fontsize=8.5,
                        color=ink(theme, tuple(fill)), linespacing=1.3)  # fmt: skip
    return fig


# --- 3. gate saturation ----------------------------------------------------------------------


def saturation_data() -> dict:
    """The numbers of ``lm-gate-saturation``: each model's gate saturation (`experiment.saturation`).

    ``handset`` and ``trained`` (one per seed, ``{"seed", "saturation"}``, the page's first).
    """
    return {
        "handset": data()["handset"]["saturation"],
        "trained": [{"seed": t["seed"], "saturation": t["saturation"]} for t in data()["trained"]],
    }


def saturation_table(result: dict) -> Table:
    models = [("hand-set", result["handset"])]
    models += [(f"trained, seed {t['seed']}", t["saturation"]) for t in result["trained"]]
    rows = []
    for name, saturation in models:
        for gate in GATE_NAMES:
            s = saturation[gate]
            rows.append([name, GATE_NAMES[gate], s["low"], s["high"], s["low"] + s["high"]])
    low, high = compact(CONFIG.low), compact(CONFIG.high)
    return Table(
        caption="Gate saturation over the held-out words: the fraction of all gate values (every unit, every word) "
        f"below {low} and above {high}, and the two together.",
        columns=["model", "gate", f"below {low}", f"above {high}", "saturated"],
        rows=rows,
    )


def saturation_alt(result: dict) -> str:
    handset, trained = result["handset"], result["trained"][0]["saturation"]
    parts = [
        f"{GATE_NAMES[g]} {pct(saturated(handset, g))} for the hand-set model against "
        f"{pct(saturated(trained, g))} for the trained one"
        for g in GATE_NAMES
    ]
    return (
        "Three scatter plots, one per gate, with a point per unit: the fraction of held-out words at which the gate is "
        f"below {compact(CONFIG.low)} (across) against above {compact(CONFIG.high)} (up). A unit on the diagonal is "
        "always saturated. The hand-set units sit on or next to the diagonal; the trained units spread below it. All "
        f"gate values saturated: {'; '.join(parts)}."
    )


def saturation_figure(result: dict, theme: Theme):
    """Karpathy et al.'s scatter: per unit, fraction left-saturated across, right-saturated up, per gate."""
    fig = new_figure(theme, 9.6, 3.5)
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(wspace=0.3)
    models = (("hand-set", result["handset"], theme.palette[1], "s", 34),
              ("trained", result["trained"][0]["saturation"], theme.palette[0], "o", 20))  # fmt: skip
    low, high = compact(CONFIG.low), compact(CONFIG.high)
    for ax, gate in zip(axes, GATE_NAMES):
        style_axes(ax, theme)
        ax.plot([0, 1], [1, 0], color=theme.line, linewidth=1.0, linestyle=(0, (4, 3)))
        for name, saturation, colour, marker, size in models:
            points = np.array(saturation[gate]["per_unit"])
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
        ax.set_xlabel(f"fraction below {low}", fontsize=9)
        ax.tick_params(labelsize=8.5)
    axes[0].set_ylabel(f"fraction above {high}", fontsize=9)
    legend = fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, 0.06), ncols=2,
                        fontsize=9, frameon=False)  # fmt: skip
    for text in legend.get_texts():
        text.set_color(theme.text)
    fig.text(0.5, -0.05, f"one point per unit  ·  dashed: always saturated (below {low} or above {high} at every "
             "held-out word)  ·  ×n: n hand-set units at the same spot", ha="center", va="top", fontsize=9,
             color=theme.muted)  # fmt: skip
    return fig


# --- 4. training -------------------------------------------------------------------------------


def training_data() -> dict:
    """The numbers of ``lm-training``: each seed's curve ``[[update, held-out loss (nats)], ...]``,
    the grammar's and the hand-set model's held-out perplexity, and the number of updates."""
    return {
        "curves": [{"seed": t["seed"], "curve": t["curve"]} for t in data()["trained"]],
        "grammar": data()["grammar"]["perplexity"],
        "handset": data()["handset"]["perplexity"],
        "updates": CONFIG.updates,
    }


def training_table(result: dict) -> Table:
    curves = result["curves"]
    rows = [[step, *(float(np.exp(t["curve"][k][1])) for t in curves)] for k, (step, _) in enumerate(curves[0]["curve"])]
    return Table(
        caption="Held-out perplexity along training, for each seed: exp of the mean next-word cross-entropy.",
        columns=["update", *(f"seed {t['seed']}" for t in curves)],
        rows=rows,
    )


def training_alt(result: dict) -> str:
    curves = result["curves"]
    ends = join([fmt(np.exp(t["curve"][-1][1])) for t in curves])
    return (
        f"Line chart of held-out perplexity (log scale) against training updates for {len(curves)} seeds. It falls "
        f"from about {fmt(np.exp(curves[0]['curve'][0][1]), 0)} to {ends}, just above the grammar's own "
        f"{fmt(result['grammar'])} (the best possible) and below the hand-set model's {fmt(result['handset'])}."
    )


def training_figure(result: dict, theme: Theme):
    """Held-out perplexity (log scale) against updates, a line per seed, the grammar's and hand-set's as levels."""
    fig = new_figure(theme, 6.4, 3.2)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    for k, t in enumerate(result["curves"]):
        curve = np.array(t["curve"])
        ax.plot(curve[:, 0], np.exp(curve[:, 1]), color=theme.palette[0], linewidth=1.8,
                linestyle="-" if k == 0 else (0, (5, 2)), label=f"trained, seed {t['seed']}")  # fmt: skip
    for name, value, colour in (("hand-set LSTM", result["handset"], theme.palette[1]),
                                ("the grammar (best possible)", result["grammar"], theme.text)):  # fmt: skip
        ax.axhline(value, color=colour, linewidth=1.2, linestyle=(0, (2, 2)))
        above = name.startswith("hand-set")  # the curves end between the two lines: label outside them
        ax.text(result["updates"], value * (1.03 if above else 0.97), f"{name}: {fmt(value)}",
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


FIGURES = [
    FigureSpec("lm-units-walkthrough", compute=units_data, table=units_table, alt=units_alt, draw=units_figure),
    FigureSpec("lm-next-word", compute=next_word_data, table=next_word_table, alt=next_word_alt, draw=next_word_figure),
    FigureSpec("lm-gate-saturation", compute=saturation_data, table=saturation_table, alt=saturation_alt,
               draw=saturation_figure),  # fmt: skip
    FigureSpec("lm-training", compute=training_data, table=training_table, alt=training_alt, draw=training_figure),
]


# --- tables ---------------------------------------------------------------------------------


def perplexity_table() -> Table:
    """Perplexity and top-1 accuracy on the held-out sentences: the grammar, the hand-set model, each seed."""
    grammar, handset = data()["grammar"], data()["handset"]
    rows = [["the grammar (true probabilities)", grammar["perplexity"], grammar["accuracy"]],
            ["hand-set LSTM", handset["perplexity"], handset["accuracy"]]]  # fmt: skip
    rows += [[f"trained LSTM, seed {t['seed']}", t["perplexity"], t["accuracy"]] for t in data()["trained"]]
    return Table(
        caption=f"Next-word prediction on {grammar['sentences']} held-out sentences "
        f"({grammar['scored_words']} predicted words): perplexity (lower is better) and how often the "
        "likeliest guess is the word that follows.",
        columns=["model", "perplexity", "top-1 accuracy"],
        rows=rows,
    )


def features_table() -> Table:
    """Per feature: the hand-set unit's r, and per seed the best trained unit (selected on the
    first half), its r on both halves, and the probe's r."""
    trained = data()["trained"]
    rows = []
    for feature in world.FEATURES:
        unit, r = handset_r(feature)
        row = [feature, unit, r]
        for t in trained:
            best, best_r = best_unit(t, feature)
            row += [best, selected_r(t, feature), best_r, probe_r(t, feature)]
        rows.append(row)
    columns = ["feature", "hand-set unit", "r"]
    for t in trained:
        columns += [f"seed {t['seed']}: best unit", "r, selection half", "r, other half", "all units (probe r)"]
    return Table(
        caption="How well each model's cell state tracks each feature over the held-out words: correlation r of the "
        "hand-set model's named unit; of the trained model's best single unit, selected on the first half of the "
        "held-out sentences and measured on both halves; and of a linear probe of all the trained units (fitted on "
        "the first half, measured on the second).",
        columns=columns,
        rows=rows,
    )


def samples() -> list[dict]:
    """The page model's sampled sentences, per temperature (`experiment.sample_sentences`)."""
    return data()["samples"]


def samples_at(temperature: float) -> dict:
    """The samples at ``temperature`` (one of ``CONFIG.sample_temperatures``)."""
    return next(s for s in samples() if s["temperature"] == temperature)


def samples_table() -> Table:
    """The first sampled sentences at each temperature, as they came, and whether the grammar allows each."""
    rows = []
    for block in samples():
        for k, (text, ok) in enumerate(zip(block["shown"], block["shown_grammatical"]), 1):
            rows.append([compact(block["temperature"]), k, text, "yes" if ok else "no"])
    return Table(
        caption=f"Sentences written by the trained model (seed {CONFIG.seeds[0]}), the first {CONFIG.sample_shown} at "
        f"each temperature, as they came: each starts from \u201c{CONFIG.sample_first}\u201d and stops after "
        f"{CONFIG.sample_clauses} foods (or {CONFIG.sample_max_words} words). Both temperatures use the same random "
        f"numbers (sampling seed {CONFIG.sample_seed}). Last column: whether the grammar allows the sentence.",
        columns=["temperature T", "sample", "sentence", "the grammar's?"],
        rows=rows,
    )


TABLES = {"lm-perplexity": perplexity_table, "lm-features": features_table, "lm-samples": samples_table}


# --- numbers for the prose ---------------------------------------------------------------------

FRANCE_ATE, ITALY_ATE, MARY_ATE, MARY_ATE_HER, AFTER_BUT, LIKE_THE = experiment.PREFIXES
"""The prefixes the prose quotes guesses after, by what they end on."""


def parameter_count() -> int:
    """The trained model's parameters: embedding (with its padding row), LSTM (four gates, each
    with input and recurrent weights and two biases), readout (weights and bias)."""
    vocab, embedding, hidden = len(world.VOCAB), CONFIG.embedding, CONFIG.hidden
    return (vocab + 1) * embedding + 4 * hidden * (embedding + hidden + 2) + hidden * vocab + vocab


def word_prob(model: str, prefix: str, word: str) -> float:
    """The probability ``model`` (a key of `MODELS`) gives ``word`` after ``prefix``."""
    return float(prefix_probs(model, prefix)[world.VOCAB.index(word)])


def food_share(model: str, prefix: str, country: str) -> float:
    """The probability ``model`` gives, all together, to ``country``'s foods after ``prefix``."""
    probs = prefix_probs(model, prefix)
    return float(sum(probs[world.VOCAB.index(food)] for food in weights.FOODS[country]))


def french_food_max(model: str, prefix: str) -> float:
    """The largest probability ``model`` gives any one French food after ``prefix``."""
    return max(word_prob(model, prefix, food) for food in weights.FOODS["france"])


def country_shared_unit() -> tuple[int, list[str]]:
    """The trained unit that is the best single unit for the most country features, and those features.

    One unit best for several countries: a shared "which country" axis rather than a flag
    each. Ties go to the lower unit.
    """
    model = first_seed_model()
    countries = [feature for feature in world.FEATURES if feature.startswith("seen_")]
    units = [best_unit(model, feature)[0] for feature in countries]
    shared = max(set(units), key=lambda unit: (units.count(unit), -unit))
    return shared, [feature for feature, unit in zip(countries, units) if unit == shared]


def forget_gates_mostly(model: dict, state: str) -> int:
    """How many of ``model``'s units have the forget gate ``"open"`` (above ``high``) or
    ``"shut"`` (below ``low``) at more than half of the held-out words."""
    per_unit = np.array(model["saturation"]["f"]["per_unit"])  # units x (below low, above high)
    return int((per_unit[:, {"shut": 0, "open": 1}[state]] > 0.5).sum())


def best_abs_r_all() -> list[float]:
    """The best single unit's |r| (selected on one half, measured on the other), for every feature and every seed."""
    return [abs(best_unit(t, feature)[1]) for t in data()["trained"] for feature in world.FEATURES]


def probe_r_all() -> list[float]:
    """The linear probe's r, for every feature and every seed."""
    return [probe_r(t, feature) for t in data()["trained"] for feature in world.FEATURES]


def all_gates_saturated(model: dict) -> float:
    """The share of all of ``model``'s input, forget and output gate values below ``low`` or above ``high``."""
    return float(np.mean([saturated(model["saturation"], gate) for gate in GATE_NAMES]))


def forget_above(model: dict) -> float:
    """The share of ``model``'s forget-gate values (every unit, every held-out word) above ``high``."""
    return float(model["saturation"]["f"]["high"])


def forget_below(model: dict) -> float:
    """The share of ``model``'s forget-gate values below ``low``."""
    return float(model["saturation"]["f"]["low"])


def over_seeds(key) -> str:
    """The range over the trained seeds of ``key(model)``, as percentages (one value when they agree)."""
    values = [key(t) for t in data()["trained"]]
    low, high = pct(min(values)), pct(max(values))
    return low if low == high else f"{low} to {high}"


def walk_probability() -> float:
    """The grammar's probability of the walkthrough sentence."""
    return data()["grammar"]["walkthrough"]["probability"]


def heldout() -> dict:
    """The grammar's measurements, which also describe the held-out text (sentences, words, seen ones)."""
    return data()["grammar"]


NUMBERS = {
    # the grammar, and the text it writes
    "lm_vocab": lambda: count(len(world.VOCAB)),
    "lm_people": lambda: count(len(world.PEOPLE)),
    "lm_foods_per_country": lambda: count(len(weights.FOODS["france"])),
    "lm_p_place": lambda: pct(world.P_PLACE),
    "lm_p_ate": lambda: pct(world.P_ATE),
    "lm_walk_probability": lambda: sci(walk_probability()),
    "lm_walk_one_in": lambda: count(round(1 / walk_probability(), -3)),
    "lm_walk_structure_count": lambda: count(round(heldout()["walkthrough_structure_share"] * heldout()["sentences"])),
    "lm_longest": lambda: count(heldout()["longest"]),
    "lm_heldout_sentences": lambda: count(heldout()["sentences"]),
    "lm_heldout_words": lambda: count(heldout()["words"]),
    "lm_heldout_seen": lambda: count(heldout()["seen_in_training"]),
    "lm_heldout_unseen": lambda: count(heldout()["sentences"] - heldout()["seen_in_training"]),
    "lm_heldout_seen_share": lambda: pct(heldout()["seen_in_training"] / heldout()["sentences"]),
    # the models and their training (CONFIG)
    "lm_handset_units": lambda: count(len(data()["handset"]["units"])),
    "lm_switch": lambda: compact(weights.S),
    "lm_switch_open": lambda: fmt(float(sigmoid(np.float64(weights.S))), 4),
    "lm_switch_shut": lambda: fmt(float(sigmoid(np.float64(-weights.S))), 4),
    "lm_embedding": lambda: count(CONFIG.embedding),
    "lm_hidden": lambda: count(CONFIG.hidden),
    "lm_params": lambda: count(parameter_count()),
    "lm_train_sentences": lambda: count(CONFIG.train_sentences),
    "lm_batch": lambda: count(CONFIG.batch),
    "lm_updates": lambda: count(CONFIG.updates),
    "lm_lr": lambda: compact(CONFIG.lr),
    "lm_clip": lambda: compact(CONFIG.clip),
    "lm_seeds": lambda: count(len(CONFIG.seeds)),
    "lm_tracked": lambda: count(len(experiment.TRACKED)),
    "lm_low": lambda: compact(CONFIG.low),
    "lm_high": lambda: compact(CONFIG.high),
    # how well each predicts
    "lm_ppl_grammar": lambda: fmt(data()["grammar"]["perplexity"]),
    "lm_ppl_handset": lambda: fmt(data()["handset"]["perplexity"]),
    "lm_ppl_trained": lambda: fmt(first_seed_model()["perplexity"]),
    "lm_ppl_trained_all": lambda: join([fmt(t["perplexity"]) for t in data()["trained"]]),
    "lm_ppl_grammar_unseen": lambda: fmt(data()["grammar"]["unseen_perplexity"]),
    "lm_ppl_trained_unseen": lambda: fmt(first_seed_model()["unseen_perplexity"]),
    "lm_ppl_trained_unseen_all": lambda: join([fmt(t["unseen_perplexity"]) for t in data()["trained"]]),
    "lm_acc_grammar": lambda: pct(data()["grammar"]["accuracy"]),
    "lm_acc_handset": lambda: pct(data()["handset"]["accuracy"]),
    "lm_acc_trained": lambda: pct(first_seed_model()["accuracy"]),
    # next-word guesses
    "lm_grammar_mary_ate_her": lambda: prob(word_prob("grammar", MARY_ATE, "her")),
    "lm_handset_mary_ate_her": lambda: prob(word_prob("handset", MARY_ATE, "her")),
    "lm_handset_mary_ate_the": lambda: prob(word_prob("handset", MARY_ATE, "the")),
    "lm_grammar_france_ate_the": lambda: prob(word_prob("grammar", FRANCE_ATE, "the")),
    "lm_handset_france_ate_the": lambda: prob(word_prob("handset", FRANCE_ATE, "the")),
    "lm_trained_france_ate_the": lambda: prob(word_prob("trained", FRANCE_ATE, "the")),
    "lm_grammar_france_ate_france_foods": lambda: fmt(food_share("grammar", FRANCE_ATE, "france")),
    "lm_handset_france_ate_france_foods": lambda: fmt(food_share("handset", FRANCE_ATE, "france")),
    "lm_trained_france_ate_france_foods": lambda: fmt(food_share("trained", FRANCE_ATE, "france")),
    "lm_trained_france_ate_italy_foods": lambda: fmt(food_share("trained", FRANCE_ATE, "italy")),
    "lm_trained_italy_ate_italy_foods": lambda: fmt(food_share("trained", ITALY_ATE, "italy")),
    "lm_trained_italy_ate_france_foods": lambda: fmt(food_share("trained", ITALY_ATE, "france")),
    "lm_grammar_but_mary": lambda: prob(word_prob("grammar", AFTER_BUT, "mary")),
    "lm_handset_but_mary": lambda: prob(word_prob("handset", AFTER_BUT, "mary")),
    "lm_trained_but_mary": lambda: prob(word_prob("trained", AFTER_BUT, "mary")),
    "lm_grammar_like_the_wine": lambda: prob(word_prob("grammar", LIKE_THE, "wine")),
    "lm_handset_like_the_wine": lambda: prob(word_prob("handset", LIKE_THE, "wine")),
    "lm_trained_like_the_wine": lambda: prob(word_prob("trained", LIKE_THE, "wine")),
    "lm_grammar_like_the_french_food_max": lambda: prob(french_food_max("grammar", LIKE_THE)),
    # units that track the world
    "lm_handset_seen_france_r": lambda: fmt(handset_r("seen_france")[1]),
    "lm_best_seen_france_unit": lambda: str(best_unit(first_seed_model(), "seen_france")[0]),
    "lm_best_seen_france_r": lambda: fmt(best_unit(first_seed_model(), "seen_france")[1]),
    "lm_best_seen_france_h_r": lambda: fmt(best_unit(first_seed_model(), "seen_france", "h")[1]),
    "lm_best_female_unit": lambda: str(best_unit(first_seed_model(), "female")[0]),
    "lm_best_female_r": lambda: fmt(best_unit(first_seed_model(), "female")[1]),
    "lm_best_people_unit": lambda: str(best_unit(first_seed_model(), "people")[0]),
    "lm_best_people_r": lambda: fmt(best_unit(first_seed_model(), "people")[1]),
    "lm_best_abs_r_min": lambda: fmt(min(best_abs_r_all())),
    "lm_best_abs_r_max": lambda: fmt(max(best_abs_r_all())),
    "lm_probe_seen_france_r": lambda: fmt(probe_r(first_seed_model(), "seen_france")),
    "lm_probe_r_min": lambda: fmt(min(probe_r_all())),
    "lm_probe_r_max": lambda: fmt(max(probe_r_all())),
    "lm_country_shared_unit": lambda: str(country_shared_unit()[0]),
    "lm_country_shared_features": lambda: join([FEATURE_NAMES[feature] for feature in country_shared_unit()[1]]),
    # gate saturation
    "lm_sat_handset_i": lambda: pct(saturated(data()["handset"]["saturation"], "i")),
    "lm_sat_handset_f": lambda: pct(saturated(data()["handset"]["saturation"], "f")),
    "lm_sat_handset_o": lambda: pct(saturated(data()["handset"]["saturation"], "o")),
    "lm_sat_trained_i": lambda: pct(saturated(first_seed_model()["saturation"], "i")),
    "lm_sat_trained_f": lambda: pct(saturated(first_seed_model()["saturation"], "f")),
    "lm_sat_trained_o": lambda: pct(saturated(first_seed_model()["saturation"], "o")),
    "lm_handset_f_mostly_open": lambda: count(forget_gates_mostly(data()["handset"], "open")),
    "lm_handset_f_mostly_shut": lambda: count(forget_gates_mostly(data()["handset"], "shut")),
    "lm_trained_f_mostly_open": lambda: count(forget_gates_mostly(first_seed_model(), "open")),
    "lm_trained_f_mostly_shut": lambda: count(forget_gates_mostly(first_seed_model(), "shut")),
    "lm_gate_saturated_share": lambda: pct(all_gates_saturated(first_seed_model())),
    "lm_gate_saturated_all": lambda: over_seeds(all_gates_saturated),
    "lm_forget_above_09_share": lambda: pct(forget_above(first_seed_model())),
    "lm_forget_above_09_all": lambda: over_seeds(forget_above),
    "lm_forget_below_01_share": lambda: pct(forget_below(first_seed_model())),
    "lm_forget_below_01_all": lambda: over_seeds(forget_below),
    "lm_forget_mean": lambda: fmt(first_seed_model()["gate_mean"]["f"]),
    # units: selected on one half, measured on the other
    "lm_best_seen_france_selected_r": lambda: fmt(selected_r(first_seed_model(), "seen_france")),
    # sampling
    "lm_sample_t_low": lambda: compact(CONFIG.sample_temperatures[0]),
    "lm_sample_t_high": lambda: compact(CONFIG.sample_temperatures[-1]),
    "lm_sample_count": lambda: count(CONFIG.sample_count),
    "lm_sample_shown": lambda: count(CONFIG.sample_shown),
    "lm_sample_first": lambda: CONFIG.sample_first,
    "lm_sample_clauses": lambda: count(CONFIG.sample_clauses),
    "lm_sample_max_words": lambda: count(CONFIG.sample_max_words),
    "lm_sample_seed": lambda: count(CONFIG.sample_seed),
    "lm_sample_low_grammatical": lambda: count(samples_at(CONFIG.sample_temperatures[0])["grammatical"]),
    "lm_sample_high_grammatical": lambda: count(samples_at(CONFIG.sample_temperatures[-1])["grammatical"]),
}
"""Every number the page's prose quotes, by placeholder name: name -> function giving its text."""


def trained_models() -> list[dict]:
    """Every trained seed's measurements."""
    return data()["trained"]


def unit_gaps() -> list[float]:
    """For every seed and feature: how much the best unit's |r| changes from the half it was
    selected on to the other half (the flattery of picking the best of many)."""
    return [abs(abs(selected_r(t, f)) - abs(best_unit(t, f)[1])) for t in trained_models() for f in world.FEATURES]


def probe_margins() -> list[float]:
    """For every seed and feature: the probe's r minus the best single unit's |r| (both on the second half)."""
    return [probe_r(t, f) - abs(best_unit(t, f)[1]) for t in trained_models() for f in world.FEATURES]


def h_vs_c() -> tuple[list[float], list[float]]:
    """Per seed, the best unit's |r| with "seen France" (selected on one half, measured on the
    other) in the hidden state and in the cell state."""
    models = trained_models()
    return ([abs(best_unit(t, "seen_france", "h")[1]) for t in models],
            [abs(best_unit(t, "seen_france", "c")[1]) for t in models])  # fmt: skip


def sample_values() -> dict:
    """The sampling temperatures and how many samples at each are sentences of the grammar."""
    low, high = (samples_at(t) for t in (CONFIG.sample_temperatures[0], CONFIG.sample_temperatures[-1]))
    return {"t_low": low["temperature"], "t_high": high["temperature"], "g_low": low["grammatical"],
            "g_high": high["grammatical"], "n": low["count"]}  # fmt: skip


CLAIMS = (
    Claim(
        "lm_claim_close_to_grammar",
        "Every seed ends close to the grammar's {grammar}: the worst at {worst}, while the hand-set model scores "
        "{handset}.",
        "worst seed's perplexity < 1.1 x the grammar's, and < the hand-set model's",
        values=lambda: {"grammar": data()["grammar"]["perplexity"], "handset": data()["handset"]["perplexity"],
                        "worst": max(t["perplexity"] for t in trained_models())},
        holds=lambda v: v["worst"] < 1.1 * v["grammar"] and v["worst"] < v["handset"],
    ),
    Claim(
        "lm_claim_not_memorised",
        "Every seed scores within {margin} of the grammar on those unseen sentences (the worst: {worst}).",
        "the worst seed's perplexity on the unseen sentences < 1.1 x the grammar's there",
        values=lambda: {"worst": max(t["unseen_perplexity"] for t in trained_models()),
                        "margin": max(t["unseen_perplexity"] for t in trained_models())
                        / data()["grammar"]["unseen_perplexity"] - 1},
        holds=lambda v: v["margin"] < 0.1,
        formats={"margin": pct},
    ),
    Claim(
        "lm_claim_h_below_c",
        "The hidden state $h$ tracks \"seen France\" less well than the cell state in every one of the {seeds} "
        "models: its best unit reaches |r| = {h_low} to {h_high} on the other half, the cell state's {c_low} to "
        "{c_high}.",
        "for every seed, the best h unit's |r| < the best c unit's |r| (both on the second half)",
        values=lambda: {"seeds": len(trained_models()),
                        "h_low": min(h_vs_c()[0]), "h_high": max(h_vs_c()[0]),
                        "c_low": min(h_vs_c()[1]), "c_high": max(h_vs_c()[1]),
                        "all_below": all(h < c for h, c in zip(*h_vs_c()))},
        holds=lambda v: v["all_below"] is True,
    ),
    Claim(
        "lm_claim_no_repeat",
        "Every one of the {seeds} trained models gives Mary at most {most} there.",
        "the largest probability of 'mary' after '... but', over the seeds, < 0.05",
        values=lambda: {"seeds": len(trained_models()),
                        "most": max(t["prefixes"][AFTER_BUT][world.VOCAB.index("mary")] for t in trained_models())},
        holds=lambda v: v["most"] < 0.05,
        formats={"most": prob},
    ),
    Claim(
        "lm_claim_no_unit_copies",
        "Over every feature and all {seeds} seeds, the best single unit's |r| on the other half lies between {low} "
        "and {high}: none is the clean copy of a feature that each hand-set unit is.",
        "the largest |r| of a selected unit, measured on the other half, < 0.95",
        values=lambda: {"seeds": len(trained_models()), "low": min(best_abs_r_all()), "high": max(best_abs_r_all())},
        holds=lambda v: v["high"] < 0.95,
    ),
    Claim(
        "lm_claim_selection_fair",
        "Picking the best of {hidden} units did not flatter it here: from the half it was picked on to the other "
        "half, its |r| moves by at most {gap}.",
        "the largest change of |r| between the two halves < 0.1",
        values=lambda: {"hidden": CONFIG.hidden, "gap": max(unit_gaps())},
        holds=lambda v: v["gap"] < 0.1,
    ),
    Claim(
        "lm_claim_probe_beats_unit",
        "For every feature and every seed the probe beats the best single unit, by {least} at the least.",
        "the probe's r minus the best unit's |r| > 0 for every feature and seed",
        values=lambda: {"least": min(probe_margins())},
        holds=lambda v: v["least"] > 0,
    ),
    Claim(
        "lm_claim_gates_often_saturated",
        "The trained models' gates are saturated at {low} to {high} of all their gate values (input, forget and "
        "output gates, every unit, every held-out word; the range over the {seeds} seeds): most of the time, "
        "though less than the hand-set model's {handset}.",
        "the least saturated seed > 50 %, and the most saturated < the hand-set model",
        values=lambda: {"low": min(map(all_gates_saturated, trained_models())),
                        "high": max(map(all_gates_saturated, trained_models())), "seeds": len(trained_models()),
                        "handset": all_gates_saturated(data()["handset"])},
        holds=lambda v: v["low"] > 0.5 and v["high"] < v["handset"],
        formats={"low": pct, "high": pct, "handset": pct},
    ),
    Claim(
        "lm_claim_forget_not_mostly_open",
        "A trained forget gate is above {high_line} at only {above_low} to {above_high} of the unit-word pairs, and "
        "below {low_line} at {below_low} to {below_high}: these trained cells do not keep their forget gates near 1 "
        "most of the time.",
        "the largest share of forget-gate values above 0.9, over the seeds, < 50 %",
        values=lambda: {"high_line": CONFIG.high, "low_line": CONFIG.low,
                        "above_low": min(map(forget_above, trained_models())),
                        "above_high": max(map(forget_above, trained_models())),
                        "below_low": min(map(forget_below, trained_models())),
                        "below_high": max(map(forget_below, trained_models()))},
        holds=lambda v: v["above_high"] < 0.5,
        formats={"high_line": compact, "low_line": compact, "above_low": pct, "above_high": pct, "below_low": pct,
                 "below_high": pct},
    ),
    Claim(
        "lm_claim_cooler_more_grammatical",
        "At T = {t_low}, {g_low} of {n} samples are sentences of the grammar; at T = {t_high}, {g_high}.",
        "more grammatical samples at the lower temperature",
        values=sample_values,
        holds=lambda v: v["g_low"] > v["g_high"],
        formats={"t_low": compact, "t_high": compact},
    ),
)
"""The page's summary sentences, each checked against the numbers when placed (`lstm_explainer.claims`)."""
