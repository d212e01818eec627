"""The numbers of the page "Any text" (``docs/chars.md``): the bounds of the in-browser character model.

The page draws no figure of its own (its text is coloured by the page's script, from the
files of `lstm_explainer.sitegen.export_chars`); this module gives the numbers its prose
quotes, from the same settings the export writes, so prose and page cannot disagree.
"""

from __future__ import annotations

from .. import char_corpus
from ..formatting import count
from ..sitegen import export_chars

FIGURES: list = []
"""None: the page's only picture is the text the reader types, coloured in the browser."""

NUMBERS = {
    "chars_page_symbols": lambda: count(len(char_corpus.VOCAB)),
    "chars_page_max_chars": lambda: count(export_chars.MAX_CHARS),
    "chars_page_top": lambda: count(export_chars.TOP),
    "chars_page_held_out_chars": lambda: count(len(export_chars.corpus()["text"])),
    "chars_page_threshold": lambda: f"{export_chars.THRESHOLD:g}",
}
