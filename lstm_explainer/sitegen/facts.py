"""Every number the site's prose quotes, computed from the package.

A page writes ``{{ name }}`` and the MkDocs hook puts ``facts()[name]`` there, so no number in
the prose is typed by hand. Names say where the number comes from: ``walk_`` for the
walkthrough sentence (token, quantity, unit), ``predict_`` for next-word guesses.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import turnstile
from ..cells import sigmoid
from ..france import SENTENCE, FranceLSTM
from ..france_weights import FORGET_BIAS, S, UNITS
from . import build_numbers


def fmt(value: float, digits: int = 3) -> str:
    """A value for prose: ``digits`` decimals, with ``-0.000`` shown as ``0.000``."""
    text = f"{value:.{digits}f}"
    return text.lstrip("-") if float(text) == 0 else text


def sci(value: float) -> str:
    """A tiny value for prose, like ``2.8e-17`` (or ``0`` when exactly zero)."""
    return "0" if value == 0 else f"{value:.1e}"


def _walkthrough() -> dict[str, str]:
    model = FranceLSTM()
    trace = model.trace(SENTENCE)
    cell = trace.cell
    out = {"walk_sentence": SENTENCE, "walk_tokens": str(len(trace.tokens))}

    def value(name, token, unit):
        return float(getattr(cell, name)[trace.tokens.index(token), UNITS.index(unit)])

    for token, name, unit in [
        ("france", "i", "seen_france"), ("france", "g", "seen_france"), ("france", "g", "englishness"),
        ("france", "c_prev", "seen_france"), ("france", "c", "seen_france"),
        ("france", "c_prev", "englishness"), ("france", "c", "englishness"),
        ("france", "o", "seen_france"),
        ("mary", "c", "female"), ("mary", "c", "people"),
        ("frank", "c_prev", "people"), ("frank", "c", "people"), ("frank", "c", "male"),
        ("frank", "c", "female"), ("frank", "i", "people"),
        ("but", "f", "eating"), ("but", "f", "seen_france"), ("but", "f", "female"), ("but", "f", "people"),
        ("but", "c_prev", "eating"), ("but", "c", "eating"),
        ("ate", "o", "female"), ("ate", "h", "female"), ("ate", "c", "female"), ("mary", "o", "female"),
        ("ate", "o", "seen_france"), ("ate", "h", "seen_france"),
    ]:  # fmt: skip
        out[f"walk_{token}_{name}_{unit}"] = fmt(value(name, token, unit))
    t = trace.tokens.index("france")
    others = [u for u in range(len(UNITS)) if UNITS[u] != "seen_france"]
    out["walk_france_i_max_other"] = fmt(cell.i[t, others].max())
    out["walk_france_englishness_change"] = fmt(abs(value("c", "france", "englishness") - value("c_prev", "france", "englishness")))
    out["walk_wine_c_seen_france"] = fmt(value("c", "wine", "seen_france"))
    out["walk_wine_c_people"] = fmt(value("c", "wine", "people"))
    return out


def _predictions() -> dict[str, str]:
    model = FranceLSTM()
    out = {}
    for key, prefix in [
        ("france_i_ate", "In France, I ate"),
        ("italy_i_ate", "In Italy, I ate"),
        ("mary_ate", "In France, Mary ate"),
        ("mary_ate_her", "In France, Mary ate her"),
        ("after_in", "In"),
    ]:
        for rank, (word, prob) in enumerate(model.predict(prefix, k=3), 1):
            out[f"predict_{key}_{rank}"] = word
            out[f"predict_{key}_{rank}_p"] = fmt(prob)
    return out


def _gates() -> dict[str, str]:
    forgetful = FranceLSTM(forget_bias=0.0).trace(SENTENCE)
    return {
        "gate_open": fmt(float(sigmoid(np.float64(S)))),
        "gate_shut": fmt(float(sigmoid(np.float64(-S)))),
        "forget_bias": fmt(FORGET_BIAS, 0),
        "forget_keep_per_step": fmt(float(sigmoid(np.float64(FORGET_BIAS))), 4),
        "forgetful_wine_c_seen_france": fmt(forgetful.cell.c[-1, UNITS.index("seen_france")]),
    }


def _turnstile() -> dict[str, str]:
    longest = 12
    count = sum(len(turnstile.INPUTS) ** n for n in range(1, longest + 1))  # every sequence of length 1..12
    return {"turnstile_longest": str(longest), "turnstile_sequences": f"{count:,}"}


def _parity() -> dict[str, str]:
    """The largest difference between our NumPy cells and torch's on each worked example."""
    import torch

    def torch_steps(module, xs, state=None):
        outs = []
        with torch.no_grad():
            for x in torch.tensor(xs):
                state = module(x[None], state)
                outs.append(state)
        return outs

    inputs = ["coin", "coin", "coin", "push", "push", "coin"]
    xs = turnstile.encode(inputs)
    cell = turnstile.turnstile_cell()
    ours = cell.run(xs).h
    theirs = np.array([h[0].numpy() for h in torch_steps(cell.to_torch(), xs)])
    model = FranceLSTM()
    trace = model.trace(SENTENCE)
    states = torch_steps(model.cell.to_torch(), model.encode(trace.tokens))
    h = np.array([s[0][0].numpy() for s in states])
    c = np.array([s[1][0].numpy() for s in states])
    return {
        "parity_turnstile": sci(np.abs(ours - theirs).max()),
        "parity_france": sci(max(np.abs(h - trace.cell.h).max(), np.abs(c - trace.cell.c).max())),
        "torch_version": torch.__version__.split("+")[0],
    }


@functools.cache
def facts() -> dict[str, str]:
    """All the numbers, by name, as the prose shows them."""
    return {**_walkthrough(), **_predictions(), **_gates(), **_turnstile(), **_parity(), **build_numbers.facts()}
