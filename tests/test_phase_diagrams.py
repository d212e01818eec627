"""The cell diagrams drawn from the trace (per phase, unrolled) and the heatmaps' colour legends."""

import numpy as np
import pytest

from lstm_explainer import france_weights as weights
from lstm_explainer.figures import cell_diagram, grid, phase_diagrams, unrolled
from lstm_explainer.figures.base import THEMES, new_figure
from lstm_explainer.figures.cell_heatmap import step_key
from lstm_explainer.formatting import fmt
from lstm_explainer.france import SENTENCE, FranceLSTM

TRACE = FranceLSTM().trace(SENTENCE)


def texts(fig) -> list[str]:
    """Every text drawn on a figure, on all its axes."""
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.mark.parametrize("name, token, unit, phase", [(s.name, *s.compute.args) for s in phase_diagrams.FIGURES])
def test_a_phase_diagram_carries_the_traces_values_for_its_unit(name, token, unit, phase):
    spec = {s.name: s for s in phase_diagrams.FIGURES}[name]
    step = spec.result()
    t, u = TRACE.tokens.index(token), weights.UNITS.index(unit)
    for key in ("c_prev", "i", "f", "g", "o", "c", "h"):
        assert step.values[key] == pytest.approx(getattr(TRACE.cell, key)[t, u], abs=1e-12)
    v = step.values
    assert v["c"] == pytest.approx(v["f"] * v["c_prev"] + v["i"] * v["g"], abs=1e-12)  # c_t = f c_(t-1) + i g
    assert v["h"] == pytest.approx(v["o"] * np.tanh(v["c"]), abs=1e-12)  # h_t = o tanh(c_t)
    for gate in "ifgo":  # the three terms add up to the trace's pre-activation
        assert step.pre(gate) == pytest.approx(getattr(TRACE.cell, f"pre_{gate}")[t, u], abs=1e-9)
    drawn = texts(spec.figure(THEMES["light"]))
    for key in ("c_prev", "i", "f", "g", "o", "fc", "ig", "c", "tanh", "h"):
        assert fmt(v[key]) in drawn, f"{key} = {fmt(v[key])} is on no wire"
    assert f"'{token}'" in drawn
    alt = spec.alt_text()
    assert unit in alt and f"c(t) = {fmt(v['c'])}" in alt and f"{phase} phase" in alt
    assert spec.numbers_table().rows[-1] == ["h_t", "o_t * tanh(c_t)", "–", "–", "–", v["h"]]


def test_the_france_diagram_shows_the_and_of_word_and_previous_output():
    step = phase_diagrams.cell_step("france", "seen_france", "input")
    x, h, b = step.terms["i"]
    assert x > 0 and h > 0 and b < 0 and x + b < 0 and h + b < 0 < x + h + b  # each alone shuts, both open
    assert step.h_prev == (("expect_place", pytest.approx(weights.SHOWN, abs=1e-3)),)
    assert "σ(12 + 12.14 − 18)" in " ".join(texts(phase_diagrams.FIGURES[0].figure(THEMES["dark"])))


def test_the_path_at_work_is_drawn_in_full_and_the_rest_faded():
    def faded(active):
        fig = new_figure(THEMES["light"], 4, 3)
        ax = fig.add_axes((0, 0, 1, 1))
        cell_diagram.draw_lstm(ax, THEMES["light"], active=active)
        return sum(1 for artist in [*ax.lines, *ax.patches] if artist.get_alpha() == 0.4)

    assert faded(None) == 0
    assert faded(cell_diagram.PHASE_PARTS["output"]) > faded(cell_diagram.PHASE_PARTS["input"]) > 0


@pytest.mark.parametrize(
    "args, message",
    [(("paris", "seen_france", "input"), "not a word"), (("france", "seen_paris", "input"), "unknown unit"),
     (("france", "seen_france", "recall"), "phase must be")],
)  # fmt: skip
def test_a_diagram_of_an_unknown_word_unit_or_phase_says_what_is_allowed(args, message):
    with pytest.raises(ValueError, match=message):
        phase_diagrams.cell_step(*args)


def test_the_unrolled_diagram_carries_c_and_h_from_step_to_step():
    spec = unrolled.FIGURES[0]
    data = spec.result()
    assert data.tokens == ("in", "france", "mary", "ate")
    cols = [weights.UNITS.index(unit) for unit in data.units]
    for q in unrolled.QUANTITIES:
        np.testing.assert_allclose(data.values[q], getattr(TRACE.cell, q)[:4][:, cols], atol=0)
    # what a step hands on is what the next one reads
    np.testing.assert_allclose(data.values["c"][:-1], TRACE.cell.c_prev[1:4][:, cols], atol=0)
    assert data.c0 == data.h0 == (0.0, 0.0)
    drawn = texts(spec.figure(THEMES["light"]))
    for q in ("c", "h"):
        for value in data.values[q].ravel():
            assert fmt(value) in drawn
    assert "expect_place has cell state 1.00, 0, 0, 0 and output 0.76, 0, 0, 0" in spec.alt_text()
    with pytest.raises(ValueError, match="not all in the sentence"):
        unrolled.unrolled_data(10, 4)


def test_every_colour_scale_says_what_its_colours_mean():
    theme = THEMES["dark"]
    assert grid.meaning(grid.gate_cmap(theme)) == ("shut", "open")
    assert grid.meaning(grid.signed_cmap(theme)) == ("negative", "positive")
    with pytest.raises(ValueError, match="not a map of the grid kit"):
        grid.meaning(type(grid.gate_cmap(theme)).from_list("other", ["red", "blue"]))
    fig, ax = grid.canvas(theme, (0, 10), (0, 6), (0.5, 0.3))
    grid.colour_bar(ax, theme, (0, 0, 0.3, 4), grid.gate_cmap(theme), 0, 1, "input gate i")
    assert {"shut", "open", "input gate i"} <= set(texts(fig))
    fig, ax = grid.canvas(theme, (0, 10), (0, 6), (0.5, 0.3))
    step_key(ax, theme, 0, 0, ("c_prev", "f", "c"))
    assert {"shut", "open", "negative", "positive", "≤ -1.00", "≥ 1.00"} <= set(texts(fig))
    fig, ax = grid.canvas(theme, (0, 10), (0, 6), (0.5, 0.3))
    step_key(ax, theme, 0, 0, ("f",))
    assert "negative" not in texts(fig)
