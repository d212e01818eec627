"""Numbers the core pages' prose quotes, computed from the package.

A page writes ``{{ name }}`` and the MkDocs hook puts ``NUMBERS[name]()`` there, so no number
in the prose is typed by hand. Names say where the number comes from: ``walk_`` for the
walkthrough sentence (token, quantity, unit), ``predict_`` for next-word guesses,
``parity_`` for the largest difference between our NumPy cells and PyTorch's.

Each number is computed only when a page asks for it; what several share (the walkthrough's
trace, a prefix's guesses, the parity check, which imports torch) is computed once per
process.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from .. import turnstile
from ..cells import sigmoid
from ..claims import Claim
from ..formatting import compact, count, fmt, join, prob, sci, spelled
from ..france import SENTENCE, FranceLSTM, SentenceTrace, tied_first as france_tied_first
from ..france_weights import AND_BIAS, FORGET_BIAS, READS_PREVIOUS, RECUR, S, SHOWN, UNITS

TURNSTILE_LONGEST = 12
"""The turnstile page counts every input sequence of 1 to this many steps."""

PARITY_INPUTS = ("coin", "coin", "coin", "push", "push", "coin")
"""The turnstile inputs of the parity check."""


# --- the shared parts, computed once -------------------------------------------------------


@functools.cache
def walkthrough() -> SentenceTrace:
    """`SENTENCE` through the designed France LSTM. Read, never modify."""
    return FranceLSTM().trace(SENTENCE)


@functools.cache
def flat() -> SentenceTrace:
    """`SENTENCE` through the France LSTM without recurrent weights (``weight_hh`` = 0). Read,
    never modify."""
    return FranceLSTM(recurrent=False).trace(SENTENCE)


@functools.cache
def forgetful() -> SentenceTrace:
    """`SENTENCE` through the France LSTM with a forget bias of 0. Read, never modify."""
    return FranceLSTM(forget_bias=0.0).trace(SENTENCE)


@functools.cache
def guesses(prefix: str) -> list[tuple[str, float]]:
    """The three likeliest next words after ``prefix``, with their probabilities."""
    return FranceLSTM().predict(prefix, k=3)


@functools.cache
def parity() -> dict[str, float]:
    """The largest absolute difference between our NumPy cells and torch's (``torch.nn``
    modules made by ``to_torch``), run step by step on each worked example: the turnstile
    (hidden state over `PARITY_INPUTS`) and the France LSTM (hidden and cell state over
    `SENTENCE`)."""
    import torch

    def torch_steps(module, xs, state=None):
        outs = []
        with torch.no_grad():
            for x in torch.tensor(xs):
                state = module(x[None], state)
                outs.append(state)
        return outs

    xs = turnstile.encode(list(PARITY_INPUTS))
    cell = turnstile.turnstile_cell()
    ours = cell.run(xs).h
    theirs = np.array([h[0].numpy() for h in torch_steps(cell.to_torch(), xs)])
    model = FranceLSTM()
    trace = walkthrough()
    states = torch_steps(model.cell.to_torch(), model.encode(trace.tokens))
    h = np.array([s[0][0].numpy() for s in states])
    c = np.array([s[1][0].numpy() for s in states])
    return {
        "turnstile": float(np.abs(ours - theirs).max()),
        "france": float(max(np.abs(h - trace.cell.h).max(), np.abs(c - trace.cell.c).max())),
    }


# --- one number each -------------------------------------------------------------------------


def walk(token: str, name: str, unit: str) -> str:
    """``name`` (a field of the cell's trace: i, g, f, o, c, c_prev, h) of ``unit`` at the word
    ``token`` of the walkthrough, to three decimals."""
    trace = walkthrough()
    return fmt(getattr(trace.cell, name)[trace.tokens.index(token), UNITS.index(unit)], 3)


def reads_previous(token: str, gate: str, unit: str) -> str:
    """The gate ``gate`` of ``unit`` at ``token`` with ``weight_hh`` = 0, to three decimals: the
    walkthrough quotes it beside the designed value. Raises ``ValueError`` unless (token, gate,
    unit) is a step of `READS_PREVIOUS`, so the prose names only the steps the tests check."""
    if not any(step[:3] == (token, gate, unit) for step in READS_PREVIOUS):
        raise ValueError(f"({token!r}, {gate!r}, {unit!r}) is not a step of READS_PREVIOUS.")
    trace = flat()
    return fmt(getattr(trace.cell, gate)[trace.tokens.index(token), UNITS.index(unit)], 3)


def term(token: str, gate: str, unit: str, part: str) -> str:
    """One term of the pre-activation of ``gate`` of ``unit`` at ``token``: ``"x"`` (from the
    word, $W_{ih} x_t$), ``"h"`` (from the previous output, $W_{hh} h_{t-1}$) or ``"b"`` (the
    biases), compactly."""
    model, trace = FranceLSTM(), walkthrough()
    t, row = trace.tokens.index(token), "ifgo".index(gate) * len(UNITS) + UNITS.index(unit)
    cell = model.cell
    value = {
        "x": cell.weight_ih[row] @ trace.cell.x[t],
        "h": cell.weight_hh[row] @ trace.cell.h_prev[t],
        "b": cell.bias_ih[row] + cell.bias_hh[row],
    }[part]
    return compact(value)


def shared_last_words(first: str, second: str) -> int:
    """How many words the two prefixes share at their end ("In France, I ate" and "In Italy, I
    ate": 2)."""
    a, b = FranceLSTM().tokenize(first), FranceLSTM().tokenize(second)
    shared = 0
    while shared < min(len(a), len(b)) and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    return shared


def words_back(prefix: str, word: str) -> int:
    """How many words before the last word of ``prefix`` its (first) ``word`` was read."""
    tokens = FranceLSTM().tokenize(prefix)
    return len(tokens) - 1 - tokens.index(word)


def unit_read(unit: str) -> dict[str, float]:
    """How much of ``unit`` anything downstream sees along `SENTENCE`: its largest output gate
    and largest |h|, and the largest readout weight on it (in absolute value)."""
    u = UNITS.index(unit)
    cell = walkthrough().cell
    return {
        "o": float(cell.o[:, u].max()),
        "h": float(np.abs(cell.h[:, u]).max()),
        "w": float(np.abs(FranceLSTM().readout[:, u]).max()),
    }


ENGLAND_SENTENCE = "In England, Frank ate his scones but Mary did not like the pie."
"""A sentence set in England, where `englishness` is written."""


def flag_distance(unit: str, sentences: tuple[str, ...]) -> dict[str, float]:
    """How far ``unit`` of the cell state strays from a flag's values along ``sentences``: the
    largest distance from the nearer of 0 and 1, and its largest value."""
    cells = np.concatenate([FranceLSTM().trace(sentence).cell.c[:, UNITS.index(unit)] for sentence in sentences])
    return {"distance": float(np.minimum(np.abs(cells), np.abs(cells - 1)).max()), "largest": float(cells.max())}


def tied_first(prefix: str) -> str:
    """The likeliest next words after ``prefix``, every word tied with the first (equal to
    1e-9) named: ``*france*, *italy*, *germany* and *england*, tied at 0.246``."""
    tied, first = france_tied_first(FranceLSTM().trace(prefix).probs[-1])
    words = join([f"*{w}*" for w in tied])
    return f"{words}, tied at {fmt(first, 3)}" if len(tied) > 1 else f"{words} ({fmt(first, 3)})"


def word(prefix: str, rank: int) -> str:
    """The ``rank``-th (1 to 3) likeliest next word after ``prefix``."""
    return guesses(prefix)[rank - 1][0]


def word_p(prefix: str, rank: int) -> str:
    """The probability of the ``rank``-th likeliest next word after ``prefix``, to three decimals."""
    return fmt(guesses(prefix)[rank - 1][1], 3)


def _france_i_max_other() -> str:
    """The largest input gate at 'france' of any unit but ``seen_france``."""
    trace = walkthrough()
    others = [u for u, unit in enumerate(UNITS) if unit != "seen_france"]
    return fmt(trace.cell.i[trace.tokens.index("france"), others].max(), 3)


def _france_englishness_change() -> str:
    """How far ``englishness`` moves at 'france': |c_t - c_{t-1}|."""
    trace = walkthrough()
    t, u = trace.tokens.index("france"), UNITS.index("englishness")
    return fmt(abs(trace.cell.c[t, u] - trace.cell.c_prev[t, u]), 3)


def _turnstile_sequences() -> str:
    """How many input sequences of 1 to `TURNSTILE_LONGEST` steps there are."""
    return count(sum(len(turnstile.INPUTS) ** n for n in range(1, TURNSTILE_LONGEST + 1)))


NUMBERS: dict[str, Callable[[], str]] = {
    "walk_sentence": lambda: SENTENCE,
    # the input phase at 'france'
    "walk_france_i_seen_france": lambda: walk("france", "i", "seen_france"),
    "walk_france_i_max_other": _france_i_max_other,
    "walk_france_g_seen_france": lambda: walk("france", "g", "seen_france"),
    "walk_france_g_englishness": lambda: walk("france", "g", "englishness"),
    "walk_france_c_prev_seen_france": lambda: walk("france", "c_prev", "seen_france"),
    "walk_france_c_seen_france": lambda: walk("france", "c", "seen_france"),
    "walk_france_englishness_change": _france_englishness_change,
    # what drove the input gate of seen_france at 'france': the word AND the previous output
    "walk_in_h_expect_place": lambda: walk("in", "h", "expect_place"),
    "walk_france_i_seen_france_from_x": lambda: term("france", "i", "seen_france", "x"),
    "walk_france_i_seen_france_from_h": lambda: term("france", "i", "seen_france", "h"),
    "walk_france_i_seen_france_bias": lambda: term("france", "i", "seen_france", "b"),
    "walk_france_i_seen_france_norec": lambda: reads_previous("france", "i", "seen_france"),
    "recur_weight": lambda: compact(RECUR),
    "recur_shown": lambda: fmt(SHOWN, 3),
    "recur_and_bias": lambda: compact(AND_BIAS),
    "recur_word_weight": lambda: compact(2 * S),
    "recur_word_alone": lambda: compact(AND_BIAS + 2 * S),
    "recur_h_alone": lambda: compact(AND_BIAS + RECUR * SHOWN),
    "recur_both": lambda: compact(AND_BIAS + 2 * S + RECUR * SHOWN),
    # 'her' and 'the' announce a food only right after a verb
    "walk_ate_h_expect_object": lambda: walk("ate", "h", "expect_object"),
    "walk_her_i_expect_food": lambda: walk("her", "i", "expect_food"),
    "walk_her_i_expect_food_norec": lambda: reads_previous("her", "i", "expect_food"),
    "walk_the_i_expect_food": lambda: walk("the", "i", "expect_food"),
    "walk_the_i_expect_food_norec": lambda: reads_previous("the", "i", "expect_food"),
    "predict_france_her_1": lambda: word("In France, her", 1),
    "predict_france_her_1_p": lambda: word_p("In France, her", 1),
    "predict_france_her_2": lambda: word("In France, her", 2),
    "predict_france_her_2_p": lambda: word_p("In France, her", 2),
    # the input phase at 'frank'
    "walk_frank_i_people": lambda: walk("frank", "i", "people"),
    "walk_frank_c_prev_people": lambda: walk("frank", "c_prev", "people"),
    "walk_frank_c_people": lambda: walk("frank", "c", "people"),
    "walk_frank_c_male": lambda: walk("frank", "c", "male"),
    "walk_frank_c_female": lambda: walk("frank", "c", "female"),
    # the forget phase at 'but'
    "walk_but_f_eating": lambda: walk("but", "f", "eating"),
    "walk_but_c_prev_eating": lambda: walk("but", "c_prev", "eating"),
    "walk_but_c_eating": lambda: walk("but", "c", "eating"),
    "walk_but_f_seen_france": lambda: walk("but", "f", "seen_france"),
    "walk_but_f_female": lambda: walk("but", "f", "female"),
    "walk_but_f_people": lambda: walk("but", "f", "people"),
    # the output phase at 'ate'
    "walk_mary_c_female": lambda: walk("mary", "c", "female"),
    "walk_ate_c_female": lambda: walk("ate", "c", "female"),
    "walk_mary_o_female": lambda: walk("mary", "o", "female"),
    "walk_ate_o_female": lambda: walk("ate", "o", "female"),
    "walk_ate_h_female": lambda: walk("ate", "h", "female"),
    "walk_ate_o_seen_france": lambda: walk("ate", "o", "seen_france"),
    # the end of the sentence
    "walk_wine_c_seen_france": lambda: walk("wine", "c", "seen_france"),
    "walk_wine_c_people": lambda: walk("wine", "c", "people"),
    # next-word guesses
    "predict_after_in_tied": lambda: tied_first("In"),
    "memory_shared_last_words": lambda: spelled(shared_last_words("In France, I ate", "In Italy, I ate")),
    "memory_country_words_back": lambda: spelled(words_back("In France, I ate", "france")),
    "predict_france_i_ate_1": lambda: word("In France, I ate", 1),
    "predict_france_i_ate_1_p": lambda: word_p("In France, I ate", 1),
    "predict_france_i_ate_2": lambda: word("In France, I ate", 2),
    "predict_france_i_ate_2_p": lambda: word_p("In France, I ate", 2),
    "predict_france_i_ate_3": lambda: word("In France, I ate", 3),
    "predict_france_i_ate_3_p": lambda: word_p("In France, I ate", 3),
    "predict_italy_i_ate_1": lambda: word("In Italy, I ate", 1),
    "predict_italy_i_ate_1_p": lambda: word_p("In Italy, I ate", 1),
    "predict_italy_i_ate_2": lambda: word("In Italy, I ate", 2),
    "predict_italy_i_ate_2_p": lambda: word_p("In Italy, I ate", 2),
    "predict_italy_i_ate_3": lambda: word("In Italy, I ate", 3),
    "predict_italy_i_ate_3_p": lambda: word_p("In Italy, I ate", 3),
    "predict_mary_ate_1": lambda: word("In France, Mary ate", 1),
    "predict_mary_ate_1_p": lambda: word_p("In France, Mary ate", 1),
    "predict_mary_ate_2": lambda: word("In France, Mary ate", 2),
    "predict_mary_ate_2_p": lambda: word_p("In France, Mary ate", 2),
    "predict_mary_ate_her_1": lambda: word("In France, Mary ate her", 1),
    "predict_mary_ate_her_1_p": lambda: word_p("In France, Mary ate her", 1),
    # the gates' scale and the forget bias
    "gate_strength": lambda: fmt(S, 0),
    "gate_open": lambda: fmt(sigmoid(np.float64(S)), 3),
    "gate_shut": lambda: fmt(sigmoid(np.float64(-S)), 3),
    "forget_bias": lambda: fmt(FORGET_BIAS, 0),
    "forget_keep_per_step": lambda: fmt(sigmoid(np.float64(FORGET_BIAS)), 4),
    "forgetful_wine_c_seen_france": lambda: sci(forgetful().cell.c[-1, UNITS.index("seen_france")]),
    # the turnstile
    "turnstile_longest": lambda: count(TURNSTILE_LONGEST),
    "turnstile_sequences": _turnstile_sequences,
    # our cells against PyTorch's
    "parity_turnstile": lambda: sci(parity()["turnstile"]),
    "parity_france": lambda: sci(parity()["france"]),
}
"""Every number of the core pages: name -> the function that computes it, as the prose shows it."""


CLAIMS = (
    Claim(
        "walk_people_unread",
        "nothing on this page reads it: its output gate stays below 0.01 along the sentence (at most "
        "{o}), so its output does too (at most {h}), and the readout's weights on it are {w}",
        "along the walkthrough sentence the output gate of `people` stays below 0.01 and the readout has "
        "no weight on it (|weight| = 0)",
        values=lambda: unit_read("people"),
        holds=lambda v: v["o"] < 0.01 and v["w"] == 0,
        formats={"o": sci, "h": sci, "w": fmt},
    ),
    Claim(
        "walk_englishness_flag",
        "it acts as a flag: along this sentence and \"{england}\" it stays within {distance} of 0 or of 1",
        "along the walkthrough sentence and the England sentence `englishness` never strays more than 0.05 "
        "from 0 or 1, and reaches 1 (largest > 0.9)",
        values=lambda: {"england": ENGLAND_SENTENCE, **flag_distance("englishness", (SENTENCE, ENGLAND_SENTENCE))},
        holds=lambda v: v["distance"] < 0.05 and v["largest"] > 0.9,
        formats={"distance": lambda d: fmt(d, 3)},
    ),
)

