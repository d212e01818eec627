"""Tables the pages show whole (not as a figure's numbers): the hand-set weights, the benchmark,
the glossary."""

from __future__ import annotations

import re
from pathlib import Path

from .. import turnstile
from ..figures.base import Table
from ..france_weights import rules
from . import build_numbers

BLOCKS = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate", "readout": "readout"}


def france_weights() -> Table:
    """Every nonzero weight of the France LSTM with its reason (all others are 0)."""
    rows = [[BLOCKS[r.block], r.row, r.column, r.value, r.why] for r in rules()]
    return Table("Every nonzero weight of the France LSTM", ["block", "row", "column", "value", "why"], rows)


def turnstile_weights() -> Table:
    """The turnstile RNN's weights and readouts, one row per hidden unit."""
    columns = ["unit", *(f"W_hh[{u}]" for u in turnstile.UNITS), "W_ih[coin]", "W_ih[push]", "bias"]
    columns += [f"readout {name}" for name in turnstile.READOUT]
    rows = [
        [unit, *turnstile.W_HH[k], *turnstile.W_IH[k], turnstile.BIAS[k], *(w[k] for w in turnstile.READOUT.values())]
        for k, unit in enumerate(turnstile.UNITS)
    ]
    return Table("The whole turnstile RNN: weights, bias and readouts", columns, rows)


GLOSSARY = Path(__file__).resolve().parents[2] / "snippets" / "glossary.md"
"""The glossary: one ``*[term]: definition`` line per term (Python-Markdown's abbreviations),
appended to every page, which shows a term's definition on hover."""

_ENTRY = re.compile(r"^\*\[(.+?)\]: (.+)$", re.MULTILINE)


def glossary() -> Table:
    """Every term of `GLOSSARY` once (a capitalised or plural form with the same definition is
    listed under its first form), in alphabetical order: the hover definitions, visible."""
    seen_terms, seen_definitions, rows = set(), set(), []
    for term, definition in _ENTRY.findall(GLOSSARY.read_text(encoding="utf-8")):
        if term.lower() in seen_terms or definition in seen_definitions:
            continue
        seen_terms.add(term.lower())
        seen_definitions.add(definition)
        rows.append([term, definition])
    rows.sort(key=lambda row: row[0].lower())
    return Table("Every term the pages define on hover", ["term", "meaning"], rows)


TABLES = {"glossary": glossary, "france-weights": france_weights, "turnstile-weights": turnstile_weights, **build_numbers.TABLES}
