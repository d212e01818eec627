"""The hand-set France cell taken apart: one gate held at a time, and a long stream without resets.

Every number comes from running `FranceLSTM` (``trace(..., variant=...)``, with the
what-ifs of `lstm_explainer.france.VARIANTS`); the grids reuse the walkthrough's drawing
functions (`lstm_explainer.figures.france`), so a what-if looks like the walkthrough step it
changes.

* **Side by side** (`compare_figure`): the cell at one word of `SENTENCE`, the standard
  cell on the left and a variant on the right, the cells that differ framed.
* **Guesses** (`guesses_figure`): the likeliest next word after every word, for each variant.
* **A continual stream** (`stream_figure`): the sentences of
  `lstm_explainer.experiments.stream` read one after the other without resetting the state,
  as in Gers, Schmidhuber & Cummins (2000), "Learning to Forget: Continual Prediction with
  LSTM": the norm of the cell state, and the probability the cell gives the actual next word,
  with the forget gate, without it (the 1997 cell), and with a forget gate that is also shut
  by "in" (a what-if of ours). The experiment module computes; this one only draws.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .. import france_weights as weights
from ..cells import sigmoid
from ..experiments import stream as stream_experiment
from ..france import SENTENCE, VARIANTS, FranceLSTM, SentenceTrace
from .base import FigureSpec, Table, Theme, new_figure, style_axes
from .france import (
    GATES,
    PHASE_COLUMNS,
    annotated_grid,
    blank_note,
    canvas,
    cell_text,
    fmt,
    gate_cmap,
    join,
    prob,
    signed_cmap,
    symbol,
    unit_labels,
)

LABELS = {
    "standard": "standard cell",
    "forget_kept_at_but": "forget gate held at 1 at 'but'",
    "no_output_gate": "no output gate (o = 1)",
    "no_forget_gate": "no forget gate (f = 1)",
}
"""Short names of the variants of `VARIANTS`, as the figures show them."""

HEADERS = {
    "standard": "standard\ncell",
    "forget_kept_at_but": "forget gate at 1\nat 'but'",
    "no_output_gate": "no output gate\n(o = 1)",
    "no_forget_gate": "no forget gate\n(f = 1)",
}
"""`LABELS` on two lines, for narrow column headers."""

PREFIX = "In France, Mary ate her croissant but Frank did not like the"
"""The prefix whose next-word guesses the page compares across variants."""

COMPARISONS = {
    "whatif-forget-at-but": ("forget_kept_at_but", "but", ("c_prev", "f", "fc", "ig", "c")),
    "whatif-forget-at-the": ("forget_kept_at_but", "the", ("c", "o", "h")),
    "whatif-output-at-mary": ("no_output_gate", "mary", ("c", "o", "h")),
}
"""Each side-by-side figure: the variant, the word, and the columns of the walkthrough's phase
figure it shows."""

DIFFERS = 0.005
"""A cell of a variant differs from the standard cell if they differ by more than this (it
would show a different number to two decimals)."""


# --- the traces ----------------------------------------------------------------------------


@functools.cache
def sentence_trace(variant: str) -> SentenceTrace:
    """`SENTENCE` through the France LSTM with ``variant``'s gates held. Read, never modify."""
    return FranceLSTM().trace(SENTENCE, variant=variant)


@functools.cache
def prefix_guesses(k: int = 4) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` likeliest words after `PREFIX`, for each variant."""
    model = FranceLSTM()
    return {variant: model.trace(PREFIX, variant=variant).top(-1, k) for variant in VARIANTS}


def step_values(trace: SentenceTrace, t: int, keys: tuple[str, ...]) -> np.ndarray:
    """The phase-figure columns ``keys`` (see `PHASE_COLUMNS`) of step ``t``: units x keys.

    The walkthrough's ``phase_data`` computes the same columns, for the standard trace only.
    """
    cell = trace.cell
    columns = {
        "c_prev": cell.c_prev[t],
        "i": cell.i[t],
        "g": cell.g[t],
        # i_t * g_t: what is written
        "ig": cell.i[t] * cell.g[t],
        "f": cell.f[t],
        # f_t * c_{t-1}: what is kept
        "fc": cell.f[t] * cell.c_prev[t],
        "c": cell.c[t],
        "o": cell.o[t],
        "h": cell.h[t],
    }
    return np.column_stack([columns[key] for key in keys])


# --- 1. side by side -----------------------------------------------------------------------


def header(key: str) -> tuple[str, str, tuple[str, str]]:
    """The walkthrough's (key, table header, figure symbol) of a phase column."""
    return next(column for column in PHASE_COLUMNS if column[0] == key)


def compare_table(name: str) -> Table:
    """One row per unit: the chosen columns for the standard cell, then for the variant."""
    variant, token, keys = COMPARISONS[name]
    t = sentence_trace("standard").tokens.index(token)
    ours, theirs = step_values(sentence_trace("standard"), t, keys), step_values(sentence_trace(variant), t, keys)
    columns = ["unit"] + [f"{header(k)[1]} ({who})" for who in ("standard", "what-if") for k in keys]
    rows = [[unit, *map(float, ours[u]), *map(float, theirs[u])] for u, unit in enumerate(weights.UNITS)]
    return Table(
        caption=(
            f"The cell at '{token}' (word {t + 1} of \"{SENTENCE}\"): the standard cell, then the what-if "
            f"\"{VARIANTS[variant]}\"."
        ),
        columns=columns,
        rows=rows,
    )


def compare_alt(name: str) -> str:
    variant, token, keys = COMPARISONS[name]
    t = sentence_trace("standard").tokens.index(token)
    ours, theirs = step_values(sentence_trace("standard"), t, keys), step_values(sentence_trace(variant), t, keys)
    changed = [
        f"{header(k)[1]} of {unit} ({fmt(ours[u, j])} → {fmt(theirs[u, j])})"
        for u, unit in enumerate(weights.UNITS)
        for j, k in enumerate(keys)
        if abs(ours[u, j] - theirs[u, j]) > DIFFERS
    ]
    guesses = [
        f"{LABELS[v]} guesses {join([f'{w} ({prob(p)})' for w, p in sentence_trace(v).top(t, 3)])}"
        for v in ("standard", variant)
    ]
    shown = f"{len(changed)} values differ: {join(changed)}" if len(changed) <= 6 else f"{len(changed)} values differ"
    return (
        f"Two heatmaps side by side of the cell's {len(weights.UNITS)} named units at '{token}', columns "
        f"{', '.join(header(k)[1] for k in keys)}: "
        f"left the standard cell, right with {VARIANTS[variant]}. The framed cells differ; {shown}. "
        f"Next word: the {guesses[0]}; the {guesses[1]}."
    )


def compare_figure(name: str, theme: Theme):
    """Two of the walkthrough's grids, standard and variant, differing cells framed, guesses below."""
    variant, token, keys = COMPARISONS[name]
    traces = (sentence_trace("standard"), sentence_trace(variant))
    t = traces[0].tokens.index(token)
    values = [step_values(trace, t, keys) for trace in traces]
    rows, columns = values[0].shape
    left, gap, right = 2.3, 1.0, 0.3
    width = left + 2 * columns + gap + right
    top, bottom = -2.6, rows + 2.3
    cell = (max(0.62, 2.5 / columns), 0.32)  # a panel is at least 2.5 inches wide, for its guesses
    fig = new_figure(theme, width * cell[0], (bottom - top) * cell[1])
    for n, (trace, vals) in enumerate(zip(traces, values)):
        x0 = left + n * (columns + gap)
        ax = fig.add_axes((x0 / width, 0, columns / width, 1))
        style_axes(ax, theme)
        ax.set_axis_off()
        ax.set_xlim(0, columns)
        ax.set_ylim(bottom, top)
        colours = np.empty((rows, columns, 4))
        for k, key in enumerate(keys):
            if key in GATES:
                colours[:, k] = gate_cmap(theme)(Normalize(0, 1, clip=True)(vals[:, k]))
            else:  # the walkthrough's scale: full colour at +-1
                colours[:, k] = signed_cmap(theme)(Normalize(-1, 1, clip=True)(vals[:, k]))
        annotated_grid(ax, theme, colours, [[cell_text(v) for v in row] for row in vals])
        for k, key in enumerate(keys):
            main, sub = header(key)[2]
            symbol(ax, k + 0.5, -0.3, main, sub, theme.text, size=10.5, ha="center", va="baseline")
        title = LABELS["standard"] if n == 0 else LABELS[variant]
        ax.text(0, -1.7, title, fontsize=10.5, weight="bold", color=theme.text, va="center", clip_on=False)
        if n == 0:
            unit_labels(ax, theme, columns)
            ax.text(-2.2, -2.45, f"'{token}', word {t + 1} of {len(trace.tokens)}", fontsize=9.5,
                    color=theme.muted, va="center")  # fmt: skip
        else:
            ax.hlines(len(weights.MEMORY_UNITS), 0, columns, color=theme.line, linewidth=1.2)
            for u, k in zip(*np.nonzero(np.abs(vals - values[0]) > DIFFERS)):
                ax.add_patch(Rectangle((k + 0.04, u + 0.06), 0.92, 0.88, fill=False, edgecolor=theme.accent,
                                       linewidth=2.4))  # fmt: skip
            blank_note(ax, theme, rows, columns)
            ax.text(columns, rows + 0.75, f"framed: differs from the standard cell by more than {DIFFERS}", ha="right",
                    va="top", fontsize=8.5, color=theme.muted)  # fmt: skip
        guesses = ", ".join(f"{w} {prob(p)}" for w, p in trace.top(t, 3))
        ax.text(0, rows + 1.75, f"next word: {guesses}", fontsize=8.5, color=theme.text, va="center", clip_on=False)
    return fig


# --- 2. the guesses along the sentence -----------------------------------------------------


TIE = 1e-6
"""Words whose probabilities differ by less than this are tied: the readout cannot tell them apart."""


GROUPS = {"any country": weights.COUNTRIES, "any person": ("i", "mary", "frank")}
"""Word groups a tie is named by when all of the group is tied."""


def tied_text(words: list[str]) -> str:
    """Tied words joined by " / ", a whole group of `GROUPS` named once ("any country")."""
    out = list(words)
    for name, group in GROUPS.items():
        if set(group) <= set(out):
            at = out.index(group[0])
            out = [w for w in out if w not in group]
            out.insert(min(at, len(out)), name)
    return " / ".join(out)


def first_guesses(trace: SentenceTrace, t: int) -> tuple[list[str], float]:
    """The likeliest next words after step ``t`` (several when tied) and their probability."""
    probs = trace.probs[t]
    best = float(probs.max())
    return [word for word, p in trace.top(t, len(weights.VOCAB)) if p > best - TIE], best


def guesses_table() -> Table:
    """After each word: the actual next word and each variant's likeliest guesses with their probability."""
    tokens = sentence_trace("standard").tokens
    rows = []
    for t, token in enumerate(tokens):
        row = [token, tokens[t + 1] if t + 1 < len(tokens) else "(end)"]
        for variant in VARIANTS:
            words, p = first_guesses(sentence_trace(variant), t)
            row += [tied_text(words), p]
        rows.append(row)
    columns = ["after", "actual next word"]
    for variant in VARIANTS:
        columns += [f"{LABELS[variant]}: first guess", "probability (each)"]
    return Table(
        caption=(
            f"The likeliest next word after each word of \"{SENTENCE}\", for each what-if; "
            "tied words are listed together, each with the probability shown."
        ),
        columns=columns,
        rows=rows,
    )


def differing_guesses(variant: str) -> list[int]:
    """The steps where ``variant``'s likeliest next words are not the standard cell's."""
    ours, theirs = sentence_trace("standard"), sentence_trace(variant)
    return [t for t in range(len(ours.tokens)) if first_guesses(ours, t)[0] != first_guesses(theirs, t)[0]]


def guesses_alt() -> str:
    tokens = sentence_trace("standard").tokens
    parts = []
    for variant in list(VARIANTS)[1:]:
        steps = differing_guesses(variant)
        where = join([f"'{tokens[t]}'" for t in steps]) if steps else "no word"
        parts.append(f"{LABELS[variant]} changes the first guess after {where}")
    return (
        f"A grid of the likeliest next words after each word of the sentence (rows) for {len(VARIANTS)} versions "
        f"of the cell (columns), shaded by probability, with the guesses that differ from the standard cell's "
        f"framed: {'; '.join(parts)}."
    )


def guesses_figure(theme: Theme):
    """Words down the side, one column per variant (tied first guesses together), the actual next word last."""
    tokens = sentence_trace("standard").tokens
    variants = list(VARIANTS)
    firsts = [[first_guesses(sentence_trace(v), t) for v in variants] for t in range(len(tokens))]
    probs = np.array([[p for _, p in row] for row in firsts])
    colours = gate_cmap(theme)(Normalize(0, 1)(probs))
    texts = [[f"{tied_text(words)}  {prob(p)}" for words, p in row] for row in firsts]
    rows, columns = probs.shape
    fig, ax = canvas(theme, xlim=(-0.62, columns + 0.62), ylim=(-1.3, rows + 0.3), cell=(1.85, 0.34))
    annotated_grid(ax, theme, colours, texts, size=8)
    ax.text(-0.06, -0.2, "after the word", ha="right", va="bottom", fontsize=9, color=theme.text)
    for k, variant in enumerate(variants):
        ax.text(k + 0.5, -0.2, HEADERS[variant], ha="center", va="bottom", fontsize=9, color=theme.text)
    ax.text(columns + 0.08, -0.2, "actual\nnext word", va="bottom", fontsize=9, color=theme.text)
    for t, token in enumerate(tokens):
        ax.text(-0.06, t + 0.5, token, ha="right", va="center", fontsize=9.5, color=theme.text)
        actual = tokens[t + 1] if t + 1 < len(tokens) else "(end)"
        ax.text(columns + 0.08, t + 0.5, actual, va="center", fontsize=9, color=theme.text)
        for k in range(1, columns):
            if firsts[t][k][0] != firsts[t][0][0]:
                ax.add_patch(Rectangle((k + 0.03, t + 0.06), 0.94, 0.88, fill=False, edgecolor=theme.accent,
                                       linewidth=2.4))  # fmt: skip
    note = "a / b: tied first guesses (each with the probability shown); framed: differs from the standard cell"
    ax.text(columns, rows + 0.15, note, ha="right", va="top", fontsize=8.5, color=theme.muted)
    return fig


def prefix_table() -> Table:
    """The four likeliest words after `PREFIX`, for each variant."""
    guesses = prefix_guesses()
    rows = [[rank, *(value for v in VARIANTS for value in guesses[v][rank - 1])] for rank in range(1, 5)]
    columns = ["rank"]
    for variant in VARIANTS:
        columns += [LABELS[variant], "probability"]
    return Table(caption=f"The four likeliest next words after \"{PREFIX}\".", columns=columns, rows=rows)


# --- 3. a continual stream -------------------------------------------------------------------

STREAMS = stream_experiment.CELLS
"""The three cells that read the stream (`lstm_explainer.experiments.stream`)."""

LAST_FOODS = 10
"""The page compares the probability of the actual food over the stream's last this-many foods."""


def model_bias(gate: str, unit: str) -> float:
    """The bias of ``gate`` for ``unit`` in the designed France LSTM."""
    return float(FranceLSTM().cell.bias_ih[weights.gate_row(gate, unit)])


@functools.cache
def stream() -> dict:
    """`lstm_explainer.experiments.stream.results()`: read once per process, never modified."""
    return stream_experiment.results()


def stream_norms(name: str) -> np.ndarray:
    """$\\lVert c_t \\rVert$ after every token of the stream, for the cell ``name`` of `STREAMS`."""
    return np.array(stream()["cells"][name]["norms"])


def next_word_probs(name: str) -> np.ndarray:
    """The probability the cell ``name`` gave to the actual next word, after every word but the last."""
    return np.array(stream()["cells"][name]["next_word_p"])


def stream_scores(name: str) -> np.ndarray:
    """Per pair of sentences of the stream (a long one, then a short one): the mean probability
    given to the actual next word, over their words.

    A sentence's last word is scored on the first word of the next sentence; the stream's last
    word has no next word and is left out.
    """
    probs, starts = next_word_probs(name), stream()["starts"]
    edges = [*starts[::2], len(probs)]
    return np.array([probs[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])


def food_scores(name: str) -> np.ndarray:
    """The probability the cell gave to the actual food, at every word of the stream followed by a food."""
    tokens = stream()["tokens"]
    at = [t for t in range(len(tokens) - 1) if tokens[t + 1] in weights.ALL_FOODS]
    return next_word_probs(name)[at]


def stream_table() -> Table:
    """Per pair of sentences: where it starts, the cell-state norm at its end and its score, for each cell."""
    data = stream()
    starts = data["starts"][::2]
    ends = [s - 1 for s in starts[1:]] + [len(data["tokens"]) - 1]
    norms = {name: stream_norms(name) for name in STREAMS}
    scores = {name: stream_scores(name) for name in STREAMS}
    rows = [
        [f"{2 * k + 1}–{2 * k + 2}", start + 1,
         *(value for name in STREAMS for value in (float(norms[name][end]), float(scores[name][k])))]
        for k, (start, end) in enumerate(zip(starts, ends))
    ]  # fmt: skip
    columns = ["sentences", "first word number"]
    for name in STREAMS:
        columns += [f"{STREAMS[name]}: ‖c‖ at the end", "mean p(actual next word)"]
    return Table(
        caption=(
            f"{len(data['starts'])} sentences ({len(data['tokens'])} words) read without a reset, by pairs (a long "
            "sentence, then a short one): the norm of the cell state after the pair's last word, and the mean "
            "probability the cell gave to the actual next word over the pair's words."
        ),
        columns=columns,
        rows=rows,
    )


def stream_end_table() -> Table:
    """The cell state of every unit after the last word of the stream, for each cell."""
    cs = {name: stream()["cells"][name]["c_end"] for name in STREAMS}
    return Table(
        caption=f"Every unit's cell state after the last of the stream's {len(stream()['tokens'])} words.",
        columns=["unit", *STREAMS.values()],
        rows=[[unit, *(float(cs[name][u]) for name in STREAMS)] for u, unit in enumerate(weights.UNITS)],
    )


def stream_alt() -> str:
    data = stream()
    parts = [
        f"{STREAMS[name]} ends at a norm of {stream_norms(name)[-1]:.1f} and a last score of "
        f"{stream_scores(name)[-1]:.2f}"
        for name in STREAMS
    ]
    return (
        f"Two line charts over a stream of {len(data['starts'])} sentences ({len(data['tokens'])} words) read "
        "without resetting the state. Top: the norm of the cell state after every word; bottom: per pair of sentences, "
        f"the mean probability the cell gave to the actual next word. The {join(parts)}. Without a forget gate "
        "the norm grows in a straight line and the guesses collapse; the standard cell's norm keeps climbing, "
        "more slowly; with the forget gate also shut by 'in' it stays flat."
    )


def stream_figure(theme: Theme):
    """The norm over the words (top) and the score per sentence (bottom), one line per cell."""
    data = stream()
    colours = dict(zip(STREAMS, (theme.palette[1], theme.palette[0], theme.palette[2])))
    fig = new_figure(theme, 8.0, 5.6)
    top = fig.add_axes((0.1, 0.47, 0.62, 0.47))
    bottom = fig.add_axes((0.1, 0.08, 0.62, 0.28))
    for ax in (top, bottom):
        style_axes(ax, theme)
        ax.grid(True, axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    words = np.arange(1, len(data["tokens"]) + 1)
    for name, label in STREAMS.items():
        norms = stream_norms(name)
        top.plot(words, norms, color=colours[name], linewidth=1.6)
        top.annotate(label, xy=(1.0, norms[-1]), xycoords=("axes fraction", "data"), xytext=(6, 0),
                     textcoords="offset points", va="center", fontsize=9.5, color=colours[name])  # fmt: skip
        scores = stream_scores(name)
        bottom.plot(np.arange(1, len(scores) + 1), scores, color=colours[name], linewidth=1.4, marker="o",
                    markersize=3)  # fmt: skip
    top.set_xlim(0, len(words))
    top.set_ylim(0, None)
    top.set_xlabel("word of the stream")
    top.set_ylabel("‖c_t‖")
    top.set_title("the norm of the cell state, never reset", color=theme.text, fontsize=10.5, loc="left")
    bottom.set_xlim(0.5, len(data["starts"]) // 2 + 0.5)
    bottom.set_ylim(0, None)
    bottom.set_xlabel("pair of sentences of the stream")
    bottom.set_ylabel("mean p(next word)")
    return fig


# --- numbers for the prose ----------------------------------------------------------------


def facts() -> dict[str, str]:
    """Every number the what-if page quotes."""
    out = {"whatif_prefix": PREFIX}
    std = sentence_trace("standard")
    tokens = std.tokens
    unit = {name: weights.UNITS.index(name) for name in weights.UNITS}
    kept = sentence_trace("forget_kept_at_but")
    but, the = tokens.index("but"), len(tokens) - 2
    out["whatif_but_f_eating"] = f"{std.cell.f[but, unit['eating']]:.4f}"
    out["whatif_kept_but_c_eating"] = fmt(kept.cell.c[but, unit["eating"]])
    out["whatif_std_but_c_eating"] = fmt(std.cell.c[but, unit["eating"]])
    out["whatif_kept_the_h_eating"] = fmt(kept.cell.h[the, unit["eating"]])
    out["whatif_kept_the_o_eating"] = fmt(kept.cell.o[the, unit["eating"]])
    for variant, guesses in prefix_guesses().items():
        for rank, (word, p) in enumerate(guesses[:3], 1):
            out[f"whatif_{variant}_prefix_{rank}"] = word
            out[f"whatif_{variant}_prefix_{rank}_p"] = fmt(p)
    wine = weights.VOCAB.index("wine")
    for variant in VARIANTS:
        probs = FranceLSTM().trace(PREFIX, variant=variant).probs[-1]
        out[f"whatif_{variant}_prefix_wine_p"] = fmt(probs[wine])
    # no output gate: at 'mary'
    nog = sentence_trace("no_output_gate")
    mary = tokens.index("mary")
    out["whatif_nog_mary_h_female"] = fmt(nog.cell.h[mary, unit["female"]])
    out["whatif_std_mary_h_female"] = fmt(std.cell.h[mary, unit["female"]])
    out["whatif_std_mary_o_female"] = fmt(std.cell.o[mary, unit["female"]])
    for label, trace in (("std", std), ("nog", nog)):
        for rank, (word, p) in enumerate(trace.top(mary, 3), 1):
            out[f"whatif_{label}_mary_{rank}"] = word
            out[f"whatif_{label}_mary_{rank}_p"] = fmt(p)
    out["whatif_nog_changed_words"] = str(len(differing_guesses("no_output_gate")))
    did, not_ = tokens.index("did"), weights.VOCAB.index("not")
    out["whatif_std_did_p_not"] = fmt(std.probs[did, not_])
    out["whatif_nog_did_p_not"] = fmt(nog.probs[did, not_])
    nfg_steps = differing_guesses("no_forget_gate")
    out["whatif_nfg_changed_words"] = str(len(nfg_steps))
    out["whatif_words"] = str(len(tokens))
    nfg = sentence_trace("no_forget_gate")
    out["whatif_nfg_wine_c_expect_food"] = fmt(nfg.cell.c[-1, unit["expect_food"]])
    out["whatif_nfg_wine_c_female"] = fmt(nfg.cell.c[-1, unit["female"]])
    # the stream
    data = stream()
    out["whatif_stream_sentences"] = str(len(data["starts"]))
    out["whatif_stream_words"] = str(len(data["tokens"]))
    out["whatif_stream_example_1"], out["whatif_stream_example_2"] = data["sentences"][:2]
    for name in STREAMS:
        norms, scores, foods = stream_norms(name), stream_scores(name), food_scores(name)
        out[f"whatif_stream_{name}_norm_end"] = f"{norms[-1]:.1f}"
        out[f"whatif_stream_{name}_norm_max"] = f"{norms.max():.1f}"
        out[f"whatif_stream_{name}_score_first"] = f"{scores[0]:.2f}"
        out[f"whatif_stream_{name}_score_last"] = f"{scores[-1]:.2f}"
        out[f"whatif_stream_{name}_food_first"] = f"{foods[0]:.2f}"
        out[f"whatif_stream_{name}_food_last"] = f"{foods[-LAST_FOODS:].mean():.2f}"
    half = len(data["tokens"]) // 2
    growth = stream_norms("no_forget_gate")
    out["whatif_stream_no_forget_gate_slope"] = f"{(growth[-1] - growth[half]) / (len(growth) - 1 - half):.2f}"
    std_c = data["cells"]["standard"]["c_end"]
    out["whatif_stream_standard_people_end"] = f"{std_c[unit['people']]:.1f}"
    out["whatif_stream_person_words"] = str(data["person_words"])
    # the people unit keeps sigma(b_f) of its value per word: it leaks 1 - sigma(b_f)
    leak = 1 - float(sigmoid(np.float64(model_bias("f", "people"))))
    out["whatif_people_leak_per_word"] = f"{100 * leak:.2f} %"
    out["whatif_stream_standard_country_max"] = f"{max(std_c[unit[u]] for u in weights.COUNTRY_UNITS):.1f}"
    out["whatif_last_foods"] = str(LAST_FOODS)
    out["whatif_memory_units"] = str(len(weights.MEMORY_UNITS))
    out["whatif_reset_weight"] = f"{stream_experiment.RESET_WEIGHT:g}".replace("-", "−")
    out["whatif_expect_forget_bias"] = f"{model_bias('f', 'expect_food'):g}".replace("-", "−")
    keep = float(sigmoid(np.float64(weights.FORGET_BIAS)))
    # a memory kept with f per step fades as f^n: to 1/e after 1 / (1 - f) steps
    out["whatif_memory_time_constant"] = f"{1 / (1 - keep):.0f}"
    return out


FIGURES = [
    *(
        FigureSpec(
            name=name,
            alt=functools.partial(compare_alt, name),
            table=functools.partial(compare_table, name),
            draw=functools.partial(compare_figure, name),
        )
        for name in COMPARISONS
    ),
    FigureSpec(name="whatif-guesses", alt=guesses_alt, table=guesses_table, draw=guesses_figure),
    FigureSpec(name="whatif-stream", alt=stream_alt, table=stream_table, draw=stream_figure),
]

TABLES = {
    "whatif-prefix-guesses": prefix_table,
    "whatif-stream-end": stream_end_table,
}
