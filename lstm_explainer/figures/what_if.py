"""The hand-set France cell taken apart: one gate held at a time, no recurrent weights, and a long
stream without resets.

Every number comes from running `FranceLSTM` (``trace(..., variant=...)``, with the
what-ifs of `lstm_explainer.france.VARIANTS`, and ``FranceLSTM(recurrent=False)``, the what-if
``"no_recurrence"`` whose recurrent weights are 0), each trace once per process
(`sentence_trace`, `prefix_trace`); the grids are the walkthrough's
(`lstm_explainer.figures.cell_heatmap`), so a what-if looks like the walkthrough step it
changes. Each figure's ``compute`` gathers its numbers once; its table, alt text and drawing
are functions of that result.

* **Side by side** (`comparison`, then ``compare_*``): the cell at one word of `SENTENCE`,
  the standard cell on the left and a variant on the right, the cells that differ framed.
* **Guesses** (`guesses_data`, then ``guesses_*``): the likeliest next word after every
  word, for each variant.
* **A continual stream** (`stream`, then ``stream_*``): the sentences of
  `lstm_explainer.experiments.stream` read one after the other without resetting the state,
  as in Gers, Schmidhuber & Cummins (2000), "Learning to Forget: Continual Prediction with
  LSTM": the norm of the cell state, and the probability the cell gives the actual next word,
  with the forget gate, without it (the 1997 cell), and with a forget gate that is also shut
  by "in" (a what-if of ours). The experiment module computes; this one only draws.

``NUMBERS`` holds every number the what-if page quotes, each computed when asked for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable
from functools import partial

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .. import france_weights as weights
from ..cells import sigmoid
from ..experiments import stream as stream_experiment
from ..claims import Claim
from ..formatting import compact, count, fmt, join, prob, sci, spelled
from ..france import NO_RECURRENCE, SENTENCE, VARIANTS, FranceLSTM, SentenceTrace
from ..france import tied_first as france_tied_first
from .base import FigureSpec, Table, Theme, new_figure, style_axes
from .cell_heatmap import column, column_symbols, step_colours, step_key, step_values, unit_labels
from .grid import annotated_grid, blank_note, canvas, cell_text, colour_key, gate_cmap

WHATIFS = {**VARIANTS, "no_recurrence": NO_RECURRENCE}
"""Every what-if of the page: the held gates of `VARIANTS`, and ``"no_recurrence"``, the cell
with ``weight_hh`` = 0 (``FranceLSTM(recurrent=False)``)."""

LABELS = {
    "standard": "standard cell",
    "no_recurrence": "cell without recurrent weights (W_hh = 0)",
    "forget_kept_at_but": "forget gate held at 1 at 'but'",
    "no_output_gate": "no output gate (o = 1)",
    "no_forget_gate": "no forget gate (f = 1)",
}
"""Short names of the variants of `VARIANTS`, as the figures show them."""

HEADERS = {
    "standard": "standard\ncell",
    "no_recurrence": "no recurrent\nweights",
    "forget_kept_at_but": "forget gate at 1\nat 'but'",
    "no_output_gate": "no output gate\n(o = 1)",
    "no_forget_gate": "no forget gate\n(f = 1)",
}
"""`LABELS` on two lines, for narrow column headers."""

PREFIX = "In France, Mary ate her croissant but Frank did not like the"
"""The prefix whose next-word guesses the page compares across variants."""

DIFFERS = 0.005
"""A cell of a variant differs from the standard cell if they differ by more than this (it
would show a different number to two decimals)."""


# --- the traces ----------------------------------------------------------------------------


def run(sentence: str, whatif: str) -> SentenceTrace:
    """``sentence`` through the France LSTM as the what-if ``whatif`` (of `WHATIFS`) makes it."""
    if whatif == "no_recurrence":
        return FranceLSTM(recurrent=False).trace(sentence)
    return FranceLSTM().trace(sentence, variant=whatif)


@functools.cache
def sentence_trace(variant: str) -> SentenceTrace:
    """`SENTENCE` through the France LSTM as the what-if ``variant`` (of `WHATIFS`) makes it.
    Read, never modify."""
    return run(SENTENCE, variant)


@functools.cache
def prefix_trace(variant: str) -> SentenceTrace:
    """`PREFIX` through the France LSTM as the what-if ``variant`` (of `WHATIFS`) makes it.
    Read, never modify."""
    return run(PREFIX, variant)


RECURRENT_PREFIXES = ("In France, I ate", "In Italy, I ate", "In France, Mary ate her")
"""Prefixes whose guesses show what the recurrent weights do."""


@functools.cache
def recurrent_guesses(k: int = 3) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """The ``k`` likeliest next words after each of `RECURRENT_PREFIXES`, for the standard cell
    and the cell without recurrent weights: ``{prefix: {"standard": [...], "no_recurrence": [...]}}``."""
    return {prefix: {whatif: run(prefix, whatif).top(-1, k) for whatif in ("standard", "no_recurrence")}
            for prefix in RECURRENT_PREFIXES}  # fmt: skip


@functools.cache
def prefix_guesses(k: int = 4) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` likeliest words after `PREFIX` with their probabilities, for each variant."""
    return {variant: prefix_trace(variant).top(-1, k) for variant in VARIANTS}


# --- 1. side by side -----------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The cell at one word, standard and what-if: ``standard`` and ``what_if`` are units x
    ``keys`` (columns of `lstm_explainer.figures.cell_heatmap.PHASE_COLUMNS`); ``step`` is the
    word's position (from 0) among ``length``; ``guesses`` the three likeliest next words of
    each cell, with probabilities."""

    variant: str
    token: str
    step: int
    length: int
    keys: tuple[str, ...]
    standard: np.ndarray
    what_if: np.ndarray
    guesses: tuple[list[tuple[str, float]], list[tuple[str, float]]]


def comparison(variant: str, token: str, keys: tuple[str, ...]) -> Comparison:
    """The columns ``keys`` at the word ``token`` of `SENTENCE`, for the standard cell and ``variant``."""
    traces = (sentence_trace("standard"), sentence_trace(variant))
    t = traces[0].tokens.index(token)
    return Comparison(variant=variant, token=token, step=t, length=len(traces[0].tokens), keys=keys,
                      standard=step_values(traces[0], t, keys), what_if=step_values(traces[1], t, keys),
                      guesses=tuple(trace.top(t, 3) for trace in traces))  # fmt: skip


def compare_table(data: Comparison) -> Table:
    """One row per unit: the chosen columns for the standard cell, then for the variant."""
    columns = ["unit"] + [f"{column(k)[1]} ({who})" for who in ("standard", "what-if") for k in data.keys]
    rows = [[unit, *map(float, data.standard[u]), *map(float, data.what_if[u])] for u, unit in enumerate(weights.UNITS)]
    return Table(
        caption=(
            f"The cell at '{data.token}' (word {data.step + 1} of \"{SENTENCE}\"): the standard cell, then the what-if "
            f"\"{WHATIFS[data.variant]}\"."
        ),
        columns=columns,
        rows=rows,
    )


def compare_alt(data: Comparison) -> str:
    """The values that differ (all of them when six or fewer) and both cells' guesses."""
    ours, theirs = data.standard, data.what_if
    changed = [
        f"{column(k)[1]} of {unit} ({fmt(ours[u, j])} → {fmt(theirs[u, j])})"
        for u, unit in enumerate(weights.UNITS)
        for j, k in enumerate(data.keys)
        if abs(ours[u, j] - theirs[u, j]) > DIFFERS
    ]
    guesses = [
        f"{LABELS[v]} guesses {join([f'{w} ({prob(p)})' for w, p in top])}"
        for v, top in zip(("standard", data.variant), data.guesses)
    ]
    shown = f"{len(changed)} values differ: {join(changed)}" if len(changed) <= 6 else f"{len(changed)} values differ"
    return (
        f"Two heatmaps side by side of the cell's {len(weights.UNITS)} named units at '{data.token}', columns "
        f"{', '.join(column(k)[1] for k in data.keys)}: "
        f"left the standard cell, right with {WHATIFS[data.variant]}. The framed cells differ; {shown}. "
        f"Next word: the {guesses[0]}; the {guesses[1]}."
    )


def compare_figure(data: Comparison, theme: Theme):
    """Two of the walkthrough's grids, standard and variant, differing cells framed, guesses below."""
    values = (data.standard, data.what_if)
    rows, columns = values[0].shape
    left, gap, right = 2.3, 1.0, 0.3
    width = left + 2 * columns + gap + right
    top, bottom = -2.6, rows + 4.6
    cell = (max(0.62, 2.5 / columns), 0.32)  # a panel is at least 2.5 inches wide, for its guesses
    fig = new_figure(theme, width * cell[0], (bottom - top) * cell[1])
    for n, (vals, guesses) in enumerate(zip(values, data.guesses)):
        x0 = left + n * (columns + gap)
        ax = fig.add_axes((x0 / width, 0, columns / width, 1))
        style_axes(ax, theme)
        ax.set_axis_off()
        ax.set_xlim(0, columns)
        ax.set_ylim(bottom, top)
        annotated_grid(ax, theme, step_colours(theme, vals, data.keys), [[cell_text(v) for v in row] for row in vals])
        column_symbols(ax, theme, data.keys)
        title = LABELS["standard"] if n == 0 else LABELS[data.variant]
        ax.text(0, -1.7, title, fontsize=10.5, weight="bold", color=theme.text, va="center", clip_on=False)
        if n == 0:
            unit_labels(ax, theme, columns)
            step_key(ax, theme, 0, rows + 2.5, data.keys)
            ax.text(-2.2, -2.45, f"'{data.token}', word {data.step + 1} of {data.length}", fontsize=9.5,
                    color=theme.muted, va="center")  # fmt: skip
        else:
            ax.hlines(len(weights.MEMORY_UNITS), 0, columns, color=theme.line, linewidth=1.2)
            for u, k in zip(*np.nonzero(np.abs(vals - values[0]) > DIFFERS)):
                ax.add_patch(Rectangle((k + 0.04, u + 0.06), 0.92, 0.88, fill=False, edgecolor=theme.accent,
                                       linewidth=2.4))  # fmt: skip
            blank_note(ax, theme, rows, columns)
            ax.text(columns, rows + 0.75, f"framed: differs from the standard cell by more than {DIFFERS}", ha="right",
                    va="top", fontsize=8.5, color=theme.muted)  # fmt: skip
        shown = ", ".join(f"{w} {prob(p)}" for w, p in guesses)
        ax.text(0, rows + 1.75, f"next word: {shown}", fontsize=8.5, color=theme.text, va="center", clip_on=False)
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


def differing_guesses(variant: str) -> list[int]:
    """The steps of `SENTENCE` where ``variant``'s likeliest next words are not the standard cell's."""
    ours, theirs = sentence_trace("standard"), sentence_trace(variant)
    return [t for t in range(len(ours.tokens)) if first_guesses(ours, t)[0] != first_guesses(theirs, t)[0]]


@dataclass(frozen=True)
class Guesses:
    """The first guesses after every word of `SENTENCE`: ``firsts[t][k]`` is (the tied likeliest
    words, their probability) of the ``k``-th of ``variants`` after ``tokens[t]``."""

    tokens: list[str]
    variants: tuple[str, ...]
    firsts: tuple[tuple[tuple[list[str], float], ...], ...]

    def differing(self, k: int) -> list[int]:
        """The steps where variant ``k``'s first guesses are not the standard cell's (variant 0)."""
        return [t for t, row in enumerate(self.firsts) if row[k][0] != row[0][0]]


def guesses_data() -> Guesses:
    """Every variant's first guesses after every word of `SENTENCE` (standard first)."""
    tokens = sentence_trace("standard").tokens
    variants = tuple(VARIANTS)
    firsts = tuple(tuple(first_guesses(sentence_trace(v), t) for v in variants) for t in range(len(tokens)))
    return Guesses(tokens=tokens, variants=variants, firsts=firsts)


def guesses_table(data: Guesses) -> Table:
    """After each word: the actual next word and each variant's likeliest guesses with their probability."""
    tokens = data.tokens
    rows = []
    for t, token in enumerate(tokens):
        row = [token, tokens[t + 1] if t + 1 < len(tokens) else "(end)"]
        for words, p in data.firsts[t]:
            row += [tied_text(words), p]
        rows.append(row)
    columns = ["after", "actual next word"]
    for variant in data.variants:
        columns += [f"{LABELS[variant]}: first guess", "probability (each)"]
    return Table(
        caption=(
            f"The likeliest next word after each word of \"{SENTENCE}\", for each what-if; "
            "tied words are listed together, each with the probability shown."
        ),
        columns=columns,
        rows=rows,
    )


def guesses_alt(data: Guesses) -> str:
    """Where each what-if changes the first guess."""
    parts = []
    for k, variant in enumerate(data.variants[1:], start=1):
        steps = data.differing(k)
        where = join([f"'{data.tokens[t]}'" for t in steps]) if steps else "no word"
        parts.append(f"{LABELS[variant]} changes the first guess after {where}")
    return (
        f"A grid of the likeliest next words after each word of the sentence (rows) for {len(data.variants)} versions "
        f"of the cell (columns), shaded by probability, with the guesses that differ from the standard cell's "
        f"framed: {'; '.join(parts)}."
    )


def guesses_figure(data: Guesses, theme: Theme):
    """Words down the side, one column per variant (tied first guesses together), the actual next word last."""
    tokens, firsts = data.tokens, data.firsts
    probs = np.array([[p for _, p in row] for row in firsts])
    colours = gate_cmap(theme)(Normalize(0, 1)(probs))
    texts = [[f"{tied_text(words)}  {prob(p)}" for words, p in row] for row in firsts]
    rows, columns = probs.shape
    fig, ax = canvas(theme, xlim=(-0.62, columns + 0.62), ylim=(-1.3, rows + 2.3), cell=(1.85, 0.34))
    annotated_grid(ax, theme, colours, texts, size=8)
    ax.text(-0.06, -0.2, "after the word", ha="right", va="bottom", fontsize=9, color=theme.text)
    for k, variant in enumerate(data.variants):
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
    colour_key(ax, theme, 0, rows + 0.6, 1.2, gate_cmap(theme), 0, 1, "shade: the guess's probability",
               words=("", ""))  # fmt: skip
    return fig


def recurrent_table() -> Table:
    """The three likeliest words after each of `RECURRENT_PREFIXES`, with and without recurrent weights."""
    rows = []
    for prefix, by_cell in recurrent_guesses().items():
        for rank in range(3):
            rows.append([prefix if rank == 0 else "", rank + 1,
                         *(value for whatif in by_cell for value in by_cell[whatif][rank])])  # fmt: skip
    columns = ["after", "rank", LABELS["standard"], "probability", LABELS["no_recurrence"], "probability"]
    return Table(caption="The three likeliest next words after three prefixes, with and without recurrent weights.",
                 columns=columns, rows=rows)  # fmt: skip


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


def stream_norms(data: dict, name: str) -> np.ndarray:
    """$\\lVert c_t \\rVert$ after every token of the stream ``data`` (`stream`), for the cell
    ``name`` of `STREAMS`."""
    return np.array(data["cells"][name]["norms"])


def next_word_probs(data: dict, name: str) -> np.ndarray:
    """The probability the cell ``name`` gave to the actual next word, after every word but the last."""
    return np.array(data["cells"][name]["next_word_p"])


def stream_scores(data: dict, name: str) -> np.ndarray:
    """Per pair of sentences of the stream (a long one, then a short one): the mean probability
    the cell ``name`` gave to the actual next word, over their words.

    A sentence's last word is scored on the first word of the next sentence; the stream's last
    word has no next word and is left out.
    """
    probs, starts = next_word_probs(data, name), data["starts"]
    edges = [*starts[::2], len(probs)]
    return np.array([probs[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])


def food_scores(data: dict, name: str) -> np.ndarray:
    """The probability the cell ``name`` gave to the actual food, at every word of the stream
    followed by a food."""
    tokens = data["tokens"]
    at = [t for t in range(len(tokens) - 1) if tokens[t + 1] in weights.ALL_FOODS]
    return next_word_probs(data, name)[at]


def stream_table(data: dict) -> Table:
    """Per pair of sentences: where it starts, the cell-state norm at its end and its score, for each cell."""
    starts = data["starts"][::2]
    ends = [s - 1 for s in starts[1:]] + [len(data["tokens"]) - 1]
    norms = {name: stream_norms(data, name) for name in STREAMS}
    scores = {name: stream_scores(data, name) for name in STREAMS}
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
    data = stream()
    cs = {name: data["cells"][name]["c_end"] for name in STREAMS}
    return Table(
        caption=f"Every unit's cell state after the last of the stream's {len(data['tokens'])} words.",
        columns=["unit", *STREAMS.values()],
        rows=[[unit, *(float(cs[name][u]) for name in STREAMS)] for u, unit in enumerate(weights.UNITS)],
    )


def stream_alt(data: dict) -> str:
    """Where each cell's norm and score end, and what the lines do."""
    parts = [
        f"{STREAMS[name]} ends at a norm of {fmt(stream_norms(data, name)[-1], 1)} and a last score of "
        f"{prob(stream_scores(data, name)[-1])}"
        for name in STREAMS
    ]
    return (
        f"Two line charts over a stream of {len(data['starts'])} sentences ({len(data['tokens'])} words) read "
        "without resetting the state. Top: the norm of the cell state after every word; bottom: per pair of sentences, "
        f"the mean probability the cell gave to the actual next word. The {join(parts)}. Without a forget gate "
        f"the norm {claim_text('whatif_stream_no_forget_straight')}; {claim_text('whatif_stream_standard_drifts')}, "
        f"to a norm of {fmt(stream_norms(data, 'standard')[-1], 1)}; with the forget gate also shut by 'in' {claim_text('whatif_stream_reset_flat')}."
    )


def claim_text(name: str) -> str:
    """The sentence of this module's claim ``name``, checked (`ClaimError` if it does not hold)."""
    return next(claim for claim in CLAIMS if claim.name == name).sentence()


def stream_figure(data: dict, theme: Theme):
    """The norm over the words (top) and the score per sentence (bottom), one line per cell."""
    colours = dict(zip(STREAMS, (theme.palette[1], theme.palette[0], theme.palette[2])))
    fig = new_figure(theme, 8.0, 5.6)
    top = fig.add_axes((0.1, 0.47, 0.62, 0.47))
    bottom = fig.add_axes((0.1, 0.08, 0.62, 0.28))
    for ax in (top, bottom):
        style_axes(ax, theme)
        ax.grid(True, axis="y", color=theme.line, alpha=0.3, linewidth=0.6)
    words = np.arange(1, len(data["tokens"]) + 1)
    for name, label in STREAMS.items():
        norms = stream_norms(data, name)
        top.plot(words, norms, color=colours[name], linewidth=1.6)
        top.annotate(label, xy=(1.0, norms[-1]), xycoords=("axes fraction", "data"), xytext=(6, 0),
                     textcoords="offset points", va="center", fontsize=9.5, color=colours[name])  # fmt: skip
        scores = stream_scores(data, name)
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


def _cell(variant: str, name: str, token: str, unit: str) -> float:
    """``name`` (a field of the cell's trace: i, f, o, c, h...) of ``unit`` at ``token`` of
    `SENTENCE`, with ``variant``'s gates held."""
    trace = sentence_trace(variant)
    return float(getattr(trace.cell, name)[trace.tokens.index(token), weights.UNITS.index(unit)])


def _next_p(variant: str, token: str, word: str) -> float:
    """The probability ``variant`` gives ``word`` after ``token`` of `SENTENCE`."""
    trace = sentence_trace(variant)
    return float(trace.probs[trace.tokens.index(token), weights.VOCAB.index(word)])


def tied_first(variant: str, token: str) -> str:
    """The likeliest words after ``token`` of `SENTENCE` under ``variant``, every word tied with
    the first (equal to 1e-9) named: ``*ate*, *did* and *her* tie at 0.32 each``, or
    ``*ate* (0.48)`` when nothing ties with it."""
    trace = sentence_trace(variant)
    tied, first = france_tied_first(trace.probs[trace.tokens.index(token)])
    words = join([f"*{w}*" for w in tied])
    return f"{words} tie at {prob(first)} each" if len(tied) > 1 else f"{words} ({prob(first)})"


def foods_after(variant: str, token: str) -> dict[str, object]:
    """How the foods stand after ``token`` of `SENTENCE` under ``variant``: their number,
    whether they are the likeliest words, the first probability and their spread (the largest
    food probability over the smallest, minus 1)."""
    trace = sentence_trace(variant)
    ranked = trace.top(trace.tokens.index(token), len(weights.VOCAB))
    foods = [p for w, p in ranked if w in weights.ALL_FOODS]
    first = {w for w, _ in ranked[: len(weights.ALL_FOODS)]}
    return {
        "foods": len(weights.ALL_FOODS),
        "foods_first": first == set(weights.ALL_FOODS),
        "p": ranked[0][1],
        "spread": max(foods) / min(foods) - 1,
    }


def foods_without_recurrence(prefixes: tuple[str, ...]) -> dict[str, object]:
    """After each prefix, the cell without recurrent weights: whether the foods are its likeliest
    words, their first probability, their spread (largest over smallest, minus 1), and the
    largest difference between the prefixes' distributions."""
    model = FranceLSTM(recurrent=False)
    probs = [model.trace(prefix).probs[-1] for prefix in prefixes]
    food_ids = [weights.VOCAB.index(w) for w in weights.ALL_FOODS]
    order = np.argsort(-probs[0], kind="stable")
    foods = probs[0][food_ids]
    return {
        "foods_first": set(order[: len(food_ids)].tolist()) == set(food_ids),
        "p": float(probs[0][order[0]]),
        "spread": float(foods.max() / foods.min() - 1),
        "difference": float(max(np.abs(p - probs[0]).max() for p in probs)),
    }


def less_sure_words(variant: str) -> int:
    """After how many words of `SENTENCE` the likeliest next word is less likely under
    ``variant`` than in the standard cell (by more than 1e-9)."""
    standard, other = sentence_trace("standard").probs.max(axis=1), sentence_trace(variant).probs.max(axis=1)
    return int(np.sum(other < standard - 1e-9))


def _top(variant: str, token: str, rank: int) -> tuple[str, float]:
    """The ``rank``-th (from 1) likeliest word after ``token`` of `SENTENCE`, and its probability."""
    trace = sentence_trace(variant)
    return trace.top(trace.tokens.index(token), 3)[rank - 1]


def _stream_norms(name: str) -> np.ndarray:
    return stream_norms(stream(), name)


def _stream_scores(name: str) -> np.ndarray:
    return stream_scores(stream(), name)


def _food_scores(name: str) -> np.ndarray:
    return food_scores(stream(), name)


def _slope(name: str) -> float:
    """The mean growth of the norm per word over the second half of the stream."""
    norms, half = _stream_norms(name), len(stream()["tokens"]) // 2
    return (norms[-1] - norms[half]) / (len(norms) - 1 - half)


def stream_shape(data: dict) -> dict[str, float]:
    """What the stream's lines do, as numbers the claims test: for each cell of `STREAMS`, the
    share of the norm's variance a straight line over the words explains (R²), the norm after
    the first pair of sentences, at the end and at its largest, and the scores of the first
    and last pairs; and the standard cell's mean probability of the actual food at the first
    food and over the last `LAST_FOODS`."""
    first_pair_end = data["starts"][2] - 1
    values = {}
    for name in STREAMS:
        norms, scores = stream_norms(data, name), stream_scores(data, name)
        values[f"{name}_r2"] = float(np.corrcoef(np.arange(len(norms)), norms)[0, 1] ** 2)
        values[f"{name}_norm_first_pair"] = float(norms[first_pair_end])
        values[f"{name}_norm_end"] = float(norms[-1])
        values[f"{name}_norm_max"] = float(norms.max())
        values[f"{name}_score_first"] = float(scores[0])
        values[f"{name}_score_last"] = float(scores[-1])
        values[f"{name}_worse_pairs"] = float(np.mean(scores < stream_scores(data, "standard")))
    foods = food_scores(data, "standard")
    values["standard_food_first"] = float(foods[0])
    values["standard_food_last"] = float(foods[-LAST_FOODS:].mean())
    return values


def _shape(*keys: str) -> Callable[[], dict[str, float]]:
    """The values ``keys`` of `stream_shape` for the stream of the page."""
    return lambda: {key: stream_shape(stream())[key] for key in keys}


def _standard_end(unit: str) -> float:
    """The standard cell's state of ``unit`` after the last word of the stream."""
    return stream()["cells"]["standard"]["c_end"][weights.UNITS.index(unit)]


def _leak(unit: str) -> float:
    """The share of its value ``unit`` loses per word: 1 - σ(b_f)."""
    return 1 - float(sigmoid(np.float64(model_bias("f", unit))))


def _signed(value: float) -> str:
    return compact(value).replace("-", "−")  # a minus sign, not a hyphen


NUMBERS = {
    "whatif_prefix": lambda: PREFIX,
    "whatif_words": lambda: count(len(sentence_trace("standard").tokens)),
    # forget gate held at 1 at 'but'
    "whatif_but_f_eating": lambda: fmt(_cell("standard", "f", "but", "eating"), 4),
    "whatif_std_but_c_eating": lambda: fmt(_cell("standard", "c", "but", "eating")),
    "whatif_kept_but_c_eating": lambda: fmt(_cell("forget_kept_at_but", "c", "but", "eating")),
    "whatif_kept_the_h_eating": lambda: fmt(_cell("forget_kept_at_but", "h", "the", "eating")),
    "whatif_standard_prefix_1": lambda: prefix_guesses()["standard"][0][0],
    "whatif_standard_prefix_1_p": lambda: prob(prefix_guesses()["standard"][0][1]),
    "whatif_standard_prefix_2": lambda: prefix_guesses()["standard"][1][0],
    "whatif_standard_prefix_2_p": lambda: prob(prefix_guesses()["standard"][1][1]),
    "whatif_forget_kept_at_but_prefix_1": lambda: prefix_guesses()["forget_kept_at_but"][0][0],
    "whatif_forget_kept_at_but_prefix_1_p": lambda: prob(prefix_guesses()["forget_kept_at_but"][0][1]),
    "whatif_forget_kept_at_but_prefix_wine_p": lambda: prob(
        prefix_trace("forget_kept_at_but").probs[-1, weights.VOCAB.index("wine")]
    ),
    # no recurrent weights: the gates read the word only
    "whatif_norec_france_i_seen_france": lambda: fmt(_cell("standard", "i", "france", "seen_france"), 3),
    "whatif_norec_flat_france_i_seen_france": lambda: fmt(_cell("no_recurrence", "i", "france", "seen_france"), 3),
    "whatif_norec_flat_wine_c_seen_france": lambda: fmt(_cell("no_recurrence", "c", "wine", "seen_france"), 3),
    "whatif_norec_her_i_expect_food": lambda: fmt(_cell("standard", "i", "her", "expect_food"), 3),
    "whatif_norec_flat_her_i_expect_food": lambda: fmt(_cell("no_recurrence", "i", "her", "expect_food"), 3),
    "whatif_norec_changed_words": lambda: count(len(differing_guesses("no_recurrence"))),
    "whatif_norec_std_her_1": lambda: _top("standard", "her", 1)[0],
    "whatif_norec_std_her_1_p": lambda: prob(_top("standard", "her", 1)[1]),
    "whatif_norec_std_france_i_ate_1": lambda: recurrent_guesses()["In France, I ate"]["standard"][0][0],
    "whatif_norec_std_france_i_ate_1_p": lambda: prob(recurrent_guesses()["In France, I ate"]["standard"][0][1]),
    "whatif_nog_c_max_change": lambda: sci(
        np.abs(sentence_trace("no_output_gate").cell.c - sentence_trace("standard").cell.c).max()
    ),
    # no output gate, at 'mary' and 'did'
    "whatif_std_mary_o_female": lambda: fmt(_cell("standard", "o", "mary", "female")),
    "whatif_std_mary_h_female": lambda: fmt(_cell("standard", "h", "mary", "female")),
    "whatif_nog_mary_h_female": lambda: fmt(_cell("no_output_gate", "h", "mary", "female")),
    "whatif_std_mary_tied": lambda: tied_first("standard", "mary"),
    "whatif_nog_mary_tied": lambda: tied_first("no_output_gate", "mary"),
    "whatif_nog_changed_words": lambda: count(len(differing_guesses("no_output_gate"))),
    "whatif_nog_less_sure_words": lambda: count(less_sure_words("no_output_gate")),
    "whatif_std_did_p_not": lambda: prob(_next_p("standard", "did", "not")),
    "whatif_nog_did_p_not": lambda: prob(_next_p("no_output_gate", "did", "not")),
    # no forget gate
    "whatif_expect_forget_bias": lambda: _signed(model_bias("f", "expect_food")),
    "whatif_nfg_wine_c_expect_food": lambda: fmt(_cell("no_forget_gate", "c", "wine", "expect_food")),
    "whatif_nfg_changed_words": lambda: count(len(differing_guesses("no_forget_gate"))),
    # the stream: its settings
    "whatif_stream_sentences": lambda: count(stream_experiment.CONFIG.sentences),
    "whatif_reset_weight": lambda: _signed(stream_experiment.CONFIG.reset_weight),
    "whatif_memory_units": lambda: count(len(weights.MEMORY_UNITS)),
    "whatif_last_foods": lambda: count(LAST_FOODS),
    # the stream: what the cells made of it
    "whatif_stream_words": lambda: count(len(stream()["tokens"])),
    "whatif_stream_example_1": lambda: stream()["sentences"][0],
    "whatif_stream_example_2": lambda: stream()["sentences"][1],
    "whatif_stream_person_words": lambda: count(stream()["person_words"]),
    "whatif_stream_no_forget_gate_slope": lambda: fmt(_slope("no_forget_gate")),
    "whatif_stream_no_forget_gate_norm_end": lambda: fmt(_stream_norms("no_forget_gate")[-1], 1),
    "whatif_stream_no_forget_gate_score_first": lambda: prob(_stream_scores("no_forget_gate")[0]),
    "whatif_stream_no_forget_gate_score_last": lambda: prob(_stream_scores("no_forget_gate")[-1]),
    "whatif_stream_standard_score_first": lambda: prob(_stream_scores("standard")[0]),
    "whatif_stream_standard_norm_end": lambda: fmt(_stream_norms("standard")[-1], 1),
    "whatif_stream_standard_people_end": lambda: fmt(_standard_end("people"), 1),
    "whatif_stream_standard_country_max": lambda: fmt(max(_standard_end(u) for u in weights.COUNTRY_UNITS), 1),
    "whatif_stream_reset_at_in_food_last": lambda: prob(_food_scores("reset_at_in")[-LAST_FOODS:].mean()),
    # the people unit keeps sigma(b_f) of its value per word: it leaks 1 - sigma(b_f)
    "whatif_people_leak_per_word": lambda: f"{fmt(100 * _leak('people'))} %",
    # a memory kept with f per step fades as f^n: to 1/e after 1 / (1 - f) steps
    "whatif_memory_time_constant": lambda: fmt(1 / (1 - float(sigmoid(np.float64(weights.FORGET_BIAS)))), 0),
}
"""Every number the what-if page quotes: name -> the function that computes it, as the prose shows it."""


FIGURES = [
    # each side-by-side figure: the variant, the word, and the walkthrough's columns it shows
    FigureSpec("whatif-forget-at-but",
               compute=partial(comparison, "forget_kept_at_but", "but", ("c_prev", "f", "fc", "ig", "c")),
               table=compare_table, alt=compare_alt, draw=compare_figure),
    FigureSpec("whatif-forget-at-the", compute=partial(comparison, "forget_kept_at_but", "the", ("c", "o", "h")),
               table=compare_table, alt=compare_alt, draw=compare_figure),
    FigureSpec("whatif-output-at-mary", compute=partial(comparison, "no_output_gate", "mary", ("c", "o", "h")),
               table=compare_table, alt=compare_alt, draw=compare_figure),
    FigureSpec("whatif-recurrent-at-france",
               compute=partial(comparison, "no_recurrence", "france", ("c_prev", "i", "g", "ig", "c")),
               table=compare_table, alt=compare_alt, draw=compare_figure),
    FigureSpec("whatif-recurrent-at-her", compute=partial(comparison, "no_recurrence", "her", ("i", "ig", "c", "o", "h")),
               table=compare_table, alt=compare_alt, draw=compare_figure),
    FigureSpec("whatif-guesses", compute=guesses_data, table=guesses_table, alt=guesses_alt, draw=guesses_figure),
    FigureSpec("whatif-stream", compute=stream, table=stream_table, alt=stream_alt, draw=stream_figure),
]  # fmt: skip

TABLES = {
    "whatif-prefix-guesses": prefix_table,
    "whatif-recurrent-guesses": recurrent_table,
    "whatif-stream-end": stream_end_table,
}


CLAIMS = (
    Claim(
        "whatif_norec_her_near_tie",
        "falls into a near tie of all {foods} foods, at {p} each",
        "without recurrent weights, the foods are the likeliest words after 'her' and the largest "
        "food probability is within 2 % of the smallest (spread < 0.02)",
        values=lambda: foods_after("no_recurrence", "her"),
        holds=lambda v: v["foods_first"] and v["spread"] < 0.02,
        formats={"foods": spelled, "p": prob, "spread": sci},
    ),
    Claim(
        "whatif_norec_countries_alike",
        "every food at about {p}, France and Italy alike (no probability differs by more than {difference})",
        "without recurrent weights, after 'In France, I ate' the foods are the likeliest words, within "
        "2 % of each other (spread < 0.02), and no probability after 'In Italy, I ate' differs from it "
        "by 0.005 or more (alike to the two decimals shown)",
        values=lambda: foods_without_recurrence(("In France, I ate", "In Italy, I ate")),
        holds=lambda v: v["foods_first"] and v["spread"] < 0.02 and v["difference"] < 0.005,
        formats={"p": prob, "spread": sci, "difference": sci},
    ),

    Claim(
        "whatif_stream_no_forget_straight",
        "grows in a straight line",
        "without a forget gate, a straight line over the words explains at least 99 % of the variance of "
        "the cell state's norm (R² ≥ 0.99)",
        values=_shape("no_forget_gate_r2"),
        holds=lambda v: v["no_forget_gate_r2"] >= 0.99,
        formats={"no_forget_gate_r2": lambda r: fmt(r, 4)},
    ),
    Claim(
        "whatif_stream_no_forget_poor",
        "Its guesses are poor from the first pair of sentences on",
        "without a forget gate the first pair's score is below half the standard cell's, and every pair's "
        "score is below the standard cell's (worse_pairs = 1)",
        values=_shape("no_forget_gate_score_first", "standard_score_first", "no_forget_gate_worse_pairs"),
        holds=lambda v: v["no_forget_gate_score_first"] < v["standard_score_first"] / 2
        and v["no_forget_gate_worse_pairs"] == 1,
        formats={"no_forget_gate_score_first": prob, "standard_score_first": prob},
    ),
    Claim(
        "whatif_stream_standard_drifts",
        "the standard cell drifts too",
        "the standard cell's norm at the end of the stream is more than 5 times its norm after the first pair",
        values=_shape("standard_norm_first_pair", "standard_norm_end"),
        holds=lambda v: v["standard_norm_end"] > 5 * v["standard_norm_first_pair"],
    ),
    Claim(
        "whatif_stream_standard_food_falls",
        "falls from {standard_food_first} at the first food to {standard_food_last}",
        "the standard cell's mean probability of the actual food over the last foods is below half its "
        "probability at the first food",
        values=_shape("standard_food_first", "standard_food_last"),
        holds=lambda v: v["standard_food_last"] < v["standard_food_first"] / 2,
        formats={"standard_food_first": prob, "standard_food_last": prob},
    ),
    Claim(
        "whatif_stream_reset_flat",
        "the norm never passes {reset_at_in_norm_max} in the whole stream",
        "with the forget gate also shut by 'in', the norm's largest value is below 1.5 times its value "
        "after the first pair, and a straight line explains under 10 % of its variance",
        values=_shape("reset_at_in_norm_max", "reset_at_in_norm_first_pair", "reset_at_in_r2"),
        holds=lambda v: v["reset_at_in_norm_max"] < 1.5 * v["reset_at_in_norm_first_pair"] and v["reset_at_in_r2"] < 0.1,
        formats={"reset_at_in_norm_max": lambda x: fmt(x, 1), "reset_at_in_r2": lambda r: fmt(r, 4)},
    ),
)
