"""The "Real cells on real text" page: the cells a character LSTM grows on Python's source.

Every number comes from `lstm_explainer.experiments.char_units.results` (the units, gates,
brackets and samples, measured on held-out files) and
`lstm_explainer.experiments.char_model.results` (bits per character of every model and
baseline); this module only draws and words them.

* ``chars-units``: a held-out snippet of code, each character coloured by the unit found for
  each feature (the kind of picture Karpathy, Johnson & Fei-Fei 2015 show, computed);
* ``chars-gates``: the inside-brackets unit and its input, forget and output gates along the
  same snippet, with the characters inside brackets shaded;
* ``chars-saturation``: per unit, the share of time each gate is below 0.1 against above 0.9,
  trained and untrained (the paper's saturation plot);
* ``chars-bits``: bits per character on the test files for every model and baseline;
* ``chars-brackets``: bits on closing brackets by the distance to the opening one, the LSTM
  against the n-gram model.

``TABLES`` has every feature beside the paper's claim (``chars-features``) and the samples'
settings; ``NUMBERS`` every number the page quotes (names ``chars_*``); ``CLAIMS`` the
summary sentences, each with the condition that makes it true.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import char_corpus, char_features
from ..claims import Claim
from ..experiments import char_model, char_units
from ..formatting import compact, count, fmt, join, pct
from .base import FigureSpec, Table, Theme, new_figure, style_axes
from .grid import canvas, colour_key, ink, signed_cmap

CONFIG = char_units.CONFIG
"""The measurement's settings (`char_units.CharUnitsConfig`), as the page quotes them."""

GATE_NAMES = {"i": "input gate", "f": "forget gate", "o": "output gate"}

PAPER = {
    "in_brackets": "brackets: named in the abstract",
    "bracket_depth": "not among the abstract's examples",
    "in_string": "quotes: named in the abstract",
    "in_comment": "not among the abstract's examples",
    "indent": "not among the abstract's examples",
    "column": "line lengths: named in the abstract",
}
"""What Karpathy, Johnson & Fei-Fei's abstract says of each feature: their cells "keep track
of long-range dependencies such as line lengths, quotes and brackets"."""

WIDE = 0.15
"""A "wide margin" over the untrained network: at least this much more AUC (or r)."""

LONG = 21
"""A "far" closing bracket: at least this many characters from its opening one (an edge of ``CONFIG.distance_edges``)."""


@functools.cache
def data() -> dict:
    """The measurement (`char_units.results`), read once per process."""
    return char_units.results()


@functools.cache
def models() -> dict:
    """Bits per character of every model and baseline (`char_model.results`), read once per process."""
    return char_model.results()


def feature(name: str) -> dict:
    """The measured entry of feature ``name`` (unit, scores, baselines)."""
    return next(f for f in data()["features"] if f["name"] == name)


def measure_name(name: str) -> str:
    return "AUC" if name in char_features.BINARY else "r"


# --- 1. the snippet coloured by each unit -------------------------------------------------------


def units_data() -> dict:
    """The snippet's lines and, per feature, its unit's values along it, oriented so that
    "more of the feature" is positive and scaled by the largest magnitude in the snippet."""
    snippet = data()["snippet"]
    text = snippet["text"].rstrip("\n")
    out = {"text": text, "lines": text.split("\n"), "features": []}
    for f in data()["features"]:
        values = np.array(snippet["units"][f["name"]]["value"][: len(text)]) * f["sign"]
        scale = float(np.abs(values).max()) or 1.0
        out["features"].append({"name": f["name"], "label": f["label"], "unit": f["unit"], "measure": measure_name(f["name"]),
                                "held_out": f["held_out"], "values": (values / scale).tolist(), "scale": scale})  # fmt: skip
    return out


def _line_slices(lines: list[str]) -> list[slice]:
    slices, start = [], 0
    for line in lines:
        slices.append(slice(start, start + len(line)))
        start += len(line) + 1
    return slices


def units_table(result: dict) -> Table:
    columns = ["line of code"] + [f"{f['label']} ({f['unit']})" for f in result["features"]]
    rows = []
    for line, part in zip(result["lines"], _line_slices(result["lines"])):
        row = [f"`{line.strip()}`" if line.strip() else "(blank)"]
        for f in result["features"]:
            values = f["values"][part]
            row.append(fmt(np.mean(values)) if values else "")
        rows.append(row)
    return Table(
        caption="Each found unit's mean value over each line of the snippet, scaled so that the largest "
        "magnitude in the snippet is 1 and positive means \"more of the feature\".",
        columns=columns, rows=rows,
    )  # fmt: skip


def units_alt(result: dict) -> str:
    names = join([f"{f['label']} (unit {f['unit']})" for f in result["features"]])
    return (f"{len(result['lines'])} lines of held-out Python code shown {len(result['features'])} times, each character "
            f"coloured by one unit of the trained LSTM: {names}. Red is high, blue low.")  # fmt: skip


def units_figure(result: dict, theme: Theme):
    """The snippet once per feature, each character on the colour of its unit's value."""
    lines = result["lines"]
    width = max(len(line) for line in lines)
    rows_per = len(lines) + 2
    total_rows = rows_per * len(result["features"])
    fig, ax = canvas(theme, (0, width), (0, total_rows + 4.5), (0.078, 0.2))  # and the colour key
    cmap = signed_cmap(theme)
    for n, f in enumerate(result["features"]):
        top = n * rows_per
        ax.text(0, top + 0.9, f"{f['label']}: unit {f['unit']}, {f['measure']} {fmt(f['held_out'])} on test files",
                fontsize=9, color=theme.text, va="center")  # fmt: skip
        image = np.zeros((len(lines), width, 4))
        image[:] = cmap(0.5)
        for r, (line, part) in enumerate(zip(lines, _line_slices(lines))):
            values = np.array(f["values"][part])
            if len(values):
                image[r, : len(values)] = cmap((values + 1) / 2)
        ax.imshow(image, interpolation="none", extent=(0, width, top + 1.5 + len(lines), top + 1.5), aspect="auto")
        for r, line in enumerate(lines):
            for k, ch in enumerate(line):
                if ch != " ":
                    ax.text(k + 0.5, top + 2 + r, ch, ha="center", va="center", fontsize=7.5, family="monospace",
                            color=ink(theme, tuple(image[r, k])))  # fmt: skip
    ax.set_ylim(total_rows + 4.5, 0)  # room for the key; set before it, which measures its lines on the axes
    colour_key(ax, theme, 0, total_rows + 0.3, min(width, 24), cmap, -1, 1, "the unit's value, scaled: red +, blue \u2212")
    return fig


# --- 2. the brackets unit and its gates ---------------------------------------------------------


def gates_data() -> dict:
    """The inside-brackets unit along the snippet: its value (scaled as in ``chars-units``), its
    input, forget and output gates, and the ground truth (inside brackets or not)."""
    snippet = data()["snippet"]
    f = feature("in_brackets")
    text = snippet["text"].rstrip("\n")
    unit = snippet["units"]["in_brackets"]
    values = np.array(unit["value"][: len(text)]) * f["sign"]
    return {"text": text, "unit": f["unit"], "value": (values / (np.abs(values).max() or 1)).tolist(),
            **{g: unit[g][: len(text)] for g in GATE_NAMES}, "inside": snippet["truth"]["in_brackets"][: len(text)]}  # fmt: skip


def gates_table(result: dict) -> Table:
    lines = result["text"].split("\n")
    rows = []
    for line, part in zip(lines, _line_slices(lines)):
        if part.stop == part.start:
            continue
        rows.append([f"`{line.strip()}`" if line.strip() else "(blank)", pct(np.mean(result["inside"][part])),
                     *(fmt(np.mean(result[key][part])) for key in ("value", "i", "f", "o"))])  # fmt: skip
    return Table(caption=f"Unit {result['unit']} and its gates, mean over each line of the snippet.",
                 columns=["line of code", "inside brackets", "unit (scaled)", "input gate", "forget gate", "output gate"],
                 rows=rows)  # fmt: skip


def gates_alt(result: dict) -> str:
    return (f"Four traces over the {len(result['text'])} characters of the snippet: unit {result['unit']} of the "
            "trained LSTM and its input, forget and output gates, with the stretches inside brackets shaded.")  # fmt: skip


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def gates_figure(result: dict, theme: Theme):
    fig = new_figure(theme, 9.0, 5.2)
    axes = fig.subplots(4, 1, sharex=True)
    fig.subplots_adjust(hspace=0.25)
    x = np.arange(len(result["text"]))
    inside = np.array(result["inside"], bool)
    newlines = [k for k, ch in enumerate(result["text"]) if ch == "\n"]
    labels = [(f"unit {result['unit']}", "value", (-1.05, 1.05)), *((GATE_NAMES[g], g, (-0.02, 1.02)) for g in GATE_NAMES)]
    for n, (ax, (label, key, ylim)) in enumerate(zip(axes, labels)):
        style_axes(ax, theme)
        for start, stop in _runs(inside):
            ax.axvspan(start - 0.5, stop - 0.5, color=theme.muted, alpha=0.18, linewidth=0)
        for k in newlines:
            ax.axvline(k, color=theme.line, linewidth=0.5, alpha=0.5)
        ax.plot(x, result[key], color=theme.palette[n], linewidth=1.1, drawstyle="steps-mid")
        ax.set_ylim(*ylim)
        ax.set_ylabel(label, fontsize=8.5, rotation=0, ha="right", va="center")
        ax.tick_params(labelsize=8)
    axes[-1].set_xlabel("character of the snippet (thin lines: line ends; shaded: inside brackets)", fontsize=9)
    return fig


# --- 3. gate saturation ------------------------------------------------------------------------


def saturation_data() -> dict:
    return {"trained": data()["saturation"]["trained"], "untrained": data()["saturation"]["untrained"],
            "low": CONFIG.low, "high": CONFIG.high}  # fmt: skip


def saturation_table(result: dict) -> Table:
    rows = []
    for gate, name in GATE_NAMES.items():
        for label in ("trained", "untrained"):
            s = result[label][gate]
            rows.append([name, label, pct(np.median(s["low"])), pct(np.median(s["high"])),
                         count(int(np.sum(np.array(s["high"]) > 0.5))), count(int(np.sum(np.array(s["low"]) > 0.5)))])  # fmt: skip
    low, high = compact(result["low"]), compact(result["high"])
    return Table(caption=f"Gate saturation on the test characters, per unit: the median share of time below {low} and above "
                 f"{high}, and how many units are above {high} (below {low}) more than half the time.",
                 columns=["gate", "network", f"median share below {low}", f"median share above {high}",
                          f"units above {high} most of the time", f"units below {low} most of the time"], rows=rows)  # fmt: skip


def saturation_alt(result: dict) -> str:
    units = len(result["trained"]["i"]["low"])
    return (f"Three scatter plots, input, forget and output gate: one point per unit ({units} units), the share of "
            f"test characters at which the gate is below {compact(result['low'])} across and above "
            f"{compact(result['high'])} up, for the trained and the untrained LSTM.")  # fmt: skip


def saturation_figure(result: dict, theme: Theme):
    fig = new_figure(theme, 9.6, 3.5)
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(wspace=0.3)
    low, high = compact(result["low"]), compact(result["high"])
    for ax, gate in zip(axes, GATE_NAMES):
        style_axes(ax, theme)
        ax.plot([0, 1], [1, 0], color=theme.line, linewidth=1.0, linestyle=(0, (4, 3)))
        for label, colour, marker in (("untrained", theme.palette[1], "s"), ("trained", theme.palette[0], "o")):
            s = result[label][gate]
            ax.scatter(s["low"], s["high"], s=16, marker=marker, facecolor="none" if marker == "s" else colour,
                       edgecolor=colour, linewidth=1.0, alpha=0.85, label=f"{label} ({len(s['low'])} units)")  # fmt: skip
        ax.set_xlim(-0.04, 1.04)
        ax.set_ylim(-0.04, 1.04)
        ax.set_aspect("equal")
        ax.set_title(GATE_NAMES[gate], fontsize=10.5, color=theme.text)
        ax.set_xlabel(f"share below {low}", fontsize=9)
        ax.tick_params(labelsize=8.5)
    axes[0].set_ylabel(f"share above {high}", fontsize=9)
    legend = fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, 0.06), ncols=2,
                        fontsize=9, frameon=False)  # fmt: skip
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig


# --- 4. bits per character by model -------------------------------------------------------------


def bits_data() -> dict:
    """Bits per character on the test files: each trained model (with its units and parameters) and each baseline."""
    m, b = models()["models"], models()["baselines"]
    rows = [(f"LSTM, {m['lstm']['hidden']} units", m["lstm"]["test"], m["lstm"]["parameters"]),
            (f"GRU, {m['gru']['hidden']} units", m["gru"]["test"], m["gru"]["parameters"]),
            (f"tanh RNN, {m['rnn']['hidden']} units", m["rnn"]["test"], m["rnn"]["parameters"]),
            (f"{b['ngram']['order']}-gram (Kneser-Ney)", b["ngram"]["test"], None),
            ("xz, test text alone", b["xz"], None),
            ("xz, after the training text", b["xz_given_train"], None),
            ("unigram entropy", b["unigram_entropy"], None)]  # fmt: skip
    return {"rows": [{"name": n, "bits": float(v), "parameters": p} for n, v, p in rows]}


def bits_table(result: dict) -> Table:
    return Table(caption="Bits per character on the test files (fewer is better).", columns=["model", "bits per character", "parameters"],
                 rows=[[r["name"], fmt(r["bits"]), count(r["parameters"]) if r["parameters"] else "-"] for r in result["rows"]])  # fmt: skip


def bits_alt(result: dict) -> str:
    return "Horizontal bars, bits per character on the test files: " + join(
        [f"{r['name']} {fmt(r['bits'])}" for r in result["rows"]]) + "."


def bits_figure(result: dict, theme: Theme):
    rows = result["rows"]
    fig = new_figure(theme, 7.5, 0.4 * len(rows) + 0.8)
    ax = fig.add_axes((0.32, 0.18, 0.62, 0.78))
    style_axes(ax, theme)
    y = np.arange(len(rows))[::-1]
    colours = [theme.palette[0] if r["parameters"] else theme.muted for r in rows]
    ax.barh(y, [r["bits"] for r in rows], color=colours, height=0.6)
    for yy, r in zip(y, rows):
        ax.text(r["bits"] + 0.03, yy, fmt(r["bits"]), va="center", fontsize=8.5, color=theme.text)
    ax.set_yticks(y, [r["name"] for r in rows], fontsize=9)
    ax.set_xlabel("bits per character on the test files", fontsize=9)
    ax.set_xlim(0, max(r["bits"] for r in rows) * 1.15)
    ax.tick_params(labelsize=8.5)
    return fig


# --- 5. closing brackets by distance ------------------------------------------------------------


def brackets_data() -> dict:
    b = data()["brackets"]
    bins = [{"lo": lstm["lo"], "hi": lstm["hi"], "count": lstm["count"], "lstm": lstm["mean"], "ngram": ngram["mean"]}
            for lstm, ngram in zip(b["lstm"], b["ngram"]) if lstm["count"]]  # fmt: skip
    return {"bins": bins, "order": b["ngram_order"], "count": b["count"]}


def _bin_label(lo: int, hi: int) -> str:
    return f"{lo}+" if hi > 10**6 else (str(lo) if hi == lo + 1 else f"{lo}-{hi - 1}")


def brackets_table(result: dict) -> Table:
    return Table(caption="Mean bits on a closing bracket, by the distance in characters back to its opening bracket (test files).",
                 columns=["distance", "closing brackets", "LSTM", f"{result['order']}-gram"],
                 rows=[[_bin_label(b["lo"], b["hi"]), count(b["count"]), fmt(b["lstm"]), fmt(b["ngram"])] for b in result["bins"]])  # fmt: skip


def brackets_alt(result: dict) -> str:
    return (f"Two lines over {len(result['bins'])} bins of distance: mean bits the LSTM and the {result['order']}-gram model "
            f"spend on a closing bracket, {count(result['count'])} closing brackets in all.")  # fmt: skip


def brackets_figure(result: dict, theme: Theme):
    fig = new_figure(theme, 7.0, 3.4)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    style_axes(ax, theme)
    x = np.arange(len(result["bins"]))
    ax.plot(x, [b["lstm"] for b in result["bins"]], marker="o", color=theme.palette[0], label="LSTM")
    ax.plot(x, [b["ngram"] for b in result["bins"]], marker="s", color=theme.palette[1], label=f"{result['order']}-gram")
    ax.set_xticks(x, [f"{_bin_label(b['lo'], b['hi'])}\n({count(b['count'])})" for b in result["bins"]], fontsize=8)
    ax.set_xlabel("distance to the opening bracket, in characters (closing brackets)", fontsize=9)
    ax.set_ylabel("mean bits on the bracket", fontsize=9)
    ax.set_ylim(bottom=0)
    ax.tick_params(labelsize=8.5)
    legend = ax.legend(fontsize=9, frameon=False)
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig


FIGURES = [
    FigureSpec("chars-units", compute=units_data, table=units_table, alt=units_alt, draw=units_figure),
    FigureSpec("chars-gates", compute=gates_data, table=gates_table, alt=gates_alt, draw=gates_figure),
    FigureSpec("chars-saturation", compute=saturation_data, table=saturation_table, alt=saturation_alt,
               draw=saturation_figure),  # fmt: skip
    FigureSpec("chars-bits", compute=bits_data, table=bits_table, alt=bits_alt, draw=bits_figure),
    FigureSpec("chars-brackets", compute=brackets_data, table=brackets_table, alt=brackets_alt, draw=brackets_figure),
]


# --- tables --------------------------------------------------------------------------------------


def features_table() -> Table:
    """Every feature: the unit found, its score on the test files, the baselines, the paper's claim."""
    rows = []
    for f in data()["features"]:
        rows.append([f["label"], measure_name(f["name"]), f["unit"], fmt(f["chosen"]), fmt(f["held_out"]),
                     fmt(f["untrained"]), fmt(f["random_best"]), PAPER[f["name"]]])  # fmt: skip
    return Table(
        caption=f"Each feature's best unit, chosen on {count(data()['choose']['chars'])} characters of validation files and "
        f"scored on {count(data()['score']['chars'])} characters of test files; beside it the same for the untrained network "
        f"and the median best of {CONFIG.random_units} random units of the trained one.",
        columns=["feature", "measure", "unit", "where chosen", "test files", "untrained", f"best of {CONFIG.random_units} random",
                 "Karpathy et al. (2015)"], rows=rows,
    )  # fmt: skip


TABLES = {"chars-features": features_table}


# --- numbers and claims --------------------------------------------------------------------------


def _sample(n: int) -> str:
    return data()["samples"][n]["text"]


def _ratio_words() -> str:
    """Where the LSTM stands against the n-gram model and xz, in words picked from the numbers."""
    m, b = models()["models"], models()["baselines"]
    lstm, ngram, xz = m["lstm"]["test"], b["ngram"]["test"], b["xz_given_train"]
    if lstm < ngram:
        place = f"{fmt(ngram - lstm)} bits per character better than the {b['ngram']['order']}-gram model"
    elif lstm > ngram:
        place = f"{fmt(lstm - ngram)} bits per character worse than the {b['ngram']['order']}-gram model"
    else:
        place = f"level with the {b['ngram']['order']}-gram model"
    xz_words = "better than xz" if lstm < xz else "not better than xz"
    return f"{place}, and {xz_words} given the training text ({fmt(xz)})"


def _long_bins() -> tuple[float, float, int]:
    """Mean bits of the LSTM and the n-gram on closing brackets at least `LONG` characters from their opening one, and how many."""
    assert LONG in CONFIG.distance_edges, "LONG must be an edge of the distance bins"
    b = data()["brackets"]
    lstm = [(x["mean"], x["count"]) for x in b["lstm"] if x["lo"] >= LONG and x["count"]]
    ngram = [(x["mean"], x["count"]) for x in b["ngram"] if x["lo"] >= LONG and x["count"]]
    total = sum(c for _, c in lstm)
    if not total:
        return float("nan"), float("nan"), 0
    return (sum(m * c for m, c in lstm) / total, sum(m * c for m, c in ngram) / total, total)


def _weak_sentence() -> str:
    """Which features get no clear unit (within `WIDE` of the untrained network's best), in words picked from the numbers."""
    weak = [char_features.LABELS[name] for name, margin in _margins().items() if margin < WIDE]
    if not weak:
        return f"Every feature's unit beats the untrained network's best by at least {fmt(WIDE)}."
    verb = "stays" if len(weak) == 1 else "stay"
    return f"Not every feature gets a clear unit: {join(weak)} {verb} within {fmt(WIDE)} of the untrained network's best."


def _saturation_sentence() -> str:
    """How many forget gates are right-saturated most of the time, trained against untrained, in words from the numbers."""
    s = data()["saturation"]
    trained = int(np.sum(np.array(s["trained"]["f"]["high"]) > 0.5))
    untrained = int(np.sum(np.array(s["untrained"]["f"]["high"]) > 0.5))
    units = len(s["trained"]["f"]["high"])
    high = compact(CONFIG.high)
    return (f"{count(trained)} of the trained network's {count(units)} forget gates are above {high} more than half the "
            f"time, against {count(untrained)} of the untrained network's")  # fmt: skip


def _long_sentence() -> str:
    """The LSTM against the n-gram on far closing brackets, the comparison's word picked from the numbers."""
    lstm, ngram, total = _long_bins()
    order = models()["baselines"]["ngram"]["order"]
    if not total:
        return f"No closing bracket in the test characters is {LONG} or more characters from its opening one."
    word = "fewer" if lstm < ngram else "more" if lstm > ngram else "as many"
    sentence = (f"At distances of {LONG} characters and more ({count(total)} brackets) the LSTM spends {fmt(lstm)} bits "
                f"on a closing bracket on average, {word} than the {order}-gram model's {fmt(ngram)}.")  # fmt: skip
    if lstm < ngram:
        return sentence + " On the far brackets the LSTM's memory pays, as the paper found."
    return sentence + " The paper's finding, that the LSTM gains on such long-range structure, does not show at this size."


def _gru_vs_rnn() -> str:
    """One sentence: the two equal-size comparison models' test bits per character, the better named."""
    m = models()["models"]
    gru, rnn = m["gru"]["test"], m["rnn"]["test"]
    better = "GRU" if gru < rnn else "tanh RNN"
    return (f"At equal size the GRU needs {fmt(gru)} bits per character and the tanh RNN {fmt(rnn)}: "
            f"the {better} does better, by {fmt(abs(gru - rnn))}.")


NUMBERS = {
    "chars_hidden": lambda: count(data()["hidden"]),
    "chars_symbols": lambda: count(len(char_corpus.VOCAB)),
    "chars_auc_chance": lambda: compact(char_units.AUC_CHANCE),
    "chars_candidates": lambda: count(2 * data()["hidden"]),
    "chars_choose_chars": lambda: count(data()["choose"]["chars"]),
    "chars_choose_files": lambda: count(len(data()["choose"]["files"])),
    "chars_score_chars": lambda: count(data()["score"]["chars"]),
    "chars_score_files": lambda: count(len(data()["score"]["files"])),
    "chars_random_units": lambda: count(CONFIG.random_units),
    "chars_random_draws": lambda: count(CONFIG.random_draws),
    "chars_low": lambda: compact(CONFIG.low),
    "chars_high": lambda: compact(CONFIG.high),
    "chars_bits_traced": lambda: fmt(data()["bits_per_character"]),
    "chars_bits_lstm": lambda: fmt(models()["models"]["lstm"]["test"]),
    "chars_lstm_updates": lambda: count(models()["settings"]["updates"]),
    "chars_lstm_parameters": lambda: count(models()["models"]["lstm"]["parameters"]),
    "chars_gru_parameters": lambda: count(models()["models"]["gru"]["parameters"]),
    "chars_rnn_parameters": lambda: count(models()["models"]["rnn"]["parameters"]),
    "chars_seed": lambda: count(models()["models"]["lstm"]["seed"]),
    "chars_gru_vs_rnn": lambda: _gru_vs_rnn(),
    "chars_bits_gru": lambda: fmt(models()["models"]["gru"]["test"]),
    "chars_bits_rnn": lambda: fmt(models()["models"]["rnn"]["test"]),
    "chars_bits_ngram": lambda: fmt(models()["baselines"]["ngram"]["test"]),
    "chars_ngram_order": lambda: count(models()["baselines"]["ngram"]["order"]),
    "chars_bits_xz": lambda: fmt(models()["baselines"]["xz"]),
    "chars_bits_xz_given_train": lambda: fmt(models()["baselines"]["xz_given_train"]),
    "chars_bits_unigram": lambda: fmt(models()["baselines"]["unigram_entropy"]),
    "chars_lstm_standing": _ratio_words,
    "chars_brackets_unit": lambda: feature("in_brackets")["unit"],
    "chars_brackets_auc": lambda: fmt(feature("in_brackets")["held_out"]),
    "chars_brackets_untrained": lambda: fmt(feature("in_brackets")["untrained"]),
    "chars_brackets_random": lambda: fmt(feature("in_brackets")["random_best"]),
    "chars_string_auc": lambda: fmt(feature("in_string")["held_out"]),
    "chars_comment_auc": lambda: fmt(feature("in_comment")["held_out"]),
    "chars_indent_r": lambda: fmt(feature("indent")["held_out"]),
    "chars_column_r": lambda: fmt(feature("column")["held_out"]),
    "chars_depth_r": lambda: fmt(feature("bracket_depth")["held_out"]),
    "chars_closing_count": lambda: count(data()["brackets"]["count"]),
    "chars_long_count": lambda: count(_long_bins()[2]),
    "chars_long_lstm": lambda: fmt(_long_bins()[0]),
    "chars_long_ngram": lambda: fmt(_long_bins()[1]),
    "chars_prompt": lambda: repr(CONFIG.prompt),
    "chars_sample_chars": lambda: count(CONFIG.sample_chars),
    "chars_sample_seed": lambda: count(CONFIG.sample_seed),
    "chars_cold": lambda: compact(CONFIG.temperatures[0]),
    "chars_warm": lambda: compact(CONFIG.temperatures[1]),
    "chars_sample_cold": lambda: CONFIG.prompt + _sample(0),
    "chars_sample_warm": lambda: CONFIG.prompt + _sample(1),
    "chars_wide": lambda: fmt(WIDE),
    "chars_weak_sentence": _weak_sentence,
    "chars_saturation_sentence": _saturation_sentence,
    "chars_long_sentence": _long_sentence,
}


def _margins() -> dict:
    return {f["name"]: f["held_out"] - f["untrained"] for f in data()["features"]}


CLAIMS = (
    Claim(
        "chars_claim_brackets_wide",
        "The inside-brackets unit {unit} scores an AUC of {trained} on the test files, against {untrained} for the best "
        "unit of the untrained network chosen the same way: a wide margin.",
        f"trained - untrained >= {WIDE} (AUC on the test files)",
        values=lambda: {"unit": feature("in_brackets")["unit"], "trained": feature("in_brackets")["held_out"],
                        "untrained": feature("in_brackets")["untrained"]},  # fmt: skip
        holds=lambda v: v["trained"] - v["untrained"] >= WIDE,
    ),
    Claim(
        "chars_claim_brackets_random",
        "Choosing among all units matters: the best of {k} units drawn at random reaches a median AUC of {random} on "
        "brackets, against {trained} for the best of all.",
        "random < trained",
        values=lambda: {"k": CONFIG.random_units, "random": feature("in_brackets")["random_best"],
                        "trained": feature("in_brackets")["held_out"]},  # fmt: skip
        holds=lambda v: v["random"] < v["trained"],
    ),
    Claim(
        "chars_claim_every_feature_beats_untrained",
        "For every one of the {n} features, the trained network's unit scores higher on the test files than the untrained "
        "network's best.",
        "held_out > untrained for every feature",
        values=lambda: {"n": len(data()["features"]), "smallest": min(_margins().values())},
        holds=lambda v: v["smallest"] > 0,
    ),

)
