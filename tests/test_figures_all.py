"""Every figure of the site, whatever module draws it: alt text, numbers, small SVG, per palette.

Reads each figure as the build does (`figure_svg`, from the disk cache when its module is
unchanged), so it costs little after a build.
"""

import pytest

from lstm_explainer.figures.base import THEMES
from lstm_explainer.sitegen.pages import figure_svg, figures

MAX_BYTES = 100_000  # issue budget: no figure over 100 KB


@pytest.mark.parametrize("name", sorted(figures()))
def test_a_figure_has_alt_text_numbers_and_small_svg_in_both_palettes(name):
    spec = figures()[name]
    assert len(spec.alt_text()) >= 80, "alt text should say what the figure shows and what to take from it"
    table = spec.numbers_table()
    assert table.caption and table.rows
    for theme in THEMES:
        svg = figure_svg(name, theme)
        assert svg.startswith(b"<?xml") and b"<text" in svg  # text kept as text
        assert len(svg) <= MAX_BYTES, f"{name}-{theme}.svg is {len(svg):,} bytes"


def test_a_figure_computes_its_numbers_once():
    spec = figures()["sentence-i"]
    calls = []
    counted = type(spec)(spec.name, lambda: calls.append(1) or spec.compute(), spec.table, spec.alt, spec.draw)
    counted.alt_text(), counted.numbers_table(), counted.figure(THEMES["light"]), counted.figure(THEMES["dark"])
    assert calls == [1]
