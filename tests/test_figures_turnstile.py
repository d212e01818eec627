"""The turnstile and LSTM-cell figures: they draw, serialise well, and show the package's numbers."""

import functools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from lstm_explainer import cells, turnstile
from lstm_explainer.figures import cell_diagram, turnstile as turnstile_figures
from lstm_explainer.figures.base import THEMES, Table, to_svg

SPECS = turnstile_figures.FIGURES + cell_diagram.FIGURES
CASES = [(spec, theme) for spec in SPECS for theme in THEMES]
IDS = [f"{spec.name}-{theme}" for spec, theme in CASES]


@functools.cache
def rendered(name: str, theme: str):
    """The figure, and its SVG from it and from a second drawing from scratch, numbers computed
    again (drawing is slow: once)."""
    spec = next(s for s in SPECS if s.name == name)
    fig = spec.figure(THEMES[theme])
    return fig, to_svg(fig), to_svg(spec.draw(spec.compute(), THEMES[theme]))


def test_names_are_unique_kebab_case_with_alt_text():
    names = [spec.name for spec in SPECS]
    assert names == ["turnstile-machine", "counter-computations", "turnstile-hidden-state", "lstm-cell-diagram"]
    assert len(set(names)) == len(names)
    for spec in SPECS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.name)
        assert len(spec.alt_text().split()) >= 10, spec.name


@pytest.mark.parametrize(("spec", "theme"), CASES, ids=IDS)
def test_svg_is_small_valid_text_and_reproducible(spec, theme):
    _, first, second = rendered(spec.name, theme)
    assert first == second, "not byte-identical when drawn twice"
    assert len(first) < 100_000
    root = ET.fromstring(first)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<text" in first  # text stays text
    assert b"<image" not in first  # nothing rasterised
    colours = set(re.findall(rb"#[0-9a-f]{6}", first))
    palette = {c.encode() for c in vars(THEMES[theme]).values() if isinstance(c, str) and c.startswith("#")}
    palette |= {c.encode() for c in THEMES[theme].palette}
    assert colours <= palette, f"colours outside the theme: {colours - palette}"


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_tables_are_tables(spec):
    table = spec.numbers_table()
    assert isinstance(table, Table) and table.caption and table.rows
    assert all(len(row) == len(table.columns) for row in table.rows)
    assert table.to_markdown().count("\n") == len(table.rows) + 1


@pytest.mark.parametrize(("spec", "theme"), CASES, ids=IDS)
def test_text_is_legible_text(spec, theme):
    fig, _, _ = rendered(spec.name, theme)
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert texts
    for text in texts:
        assert "$" not in text.get_text()  # no mathtext: its SVG names one font without fallback
        assert text.get_fontsize() >= 9, (text.get_text(), text.get_fontsize())


def test_machine_figure_is_the_transitions():
    rows = turnstile_figures.machine_table(turnstile_figures.machine_rows()).rows
    assert {(b, s): (a, w == "yes") for b, s, a, w in rows} == turnstile.TRANSITIONS
    assert len(rows) == len(turnstile.TRANSITIONS)
    fig = turnstile_figures.draw_machine(turnstile_figures.machine_rows(), THEMES["light"])
    arrows = fig.findobj(FancyArrowPatch)
    assert len(arrows) == len(turnstile.TRANSITIONS) + 1  # one per transition, plus "start"
    labels = [t.get_text() for t in fig.findobj(Text)]
    assert labels.count("push / WALK") == sum(walk for _, walk in turnstile.TRANSITIONS.values())
    assert {"0 coins", "1 coin", "2 coins"} <= set(labels)


def test_counter_figure_is_the_explainers_two_computations():
    trace = turnstile_figures.counter_trace()
    table = turnstile_figures.counter_table(trace)
    column = {name: k for k, name in enumerate(table.columns)}
    assert [row[column["h_(t-1)"]] for row in table.rows] == ["[0, 0]", "[1, 0]"]
    assert [row[column["x_t"]] for row in table.rows] == ["[1, 0]", "[1, 0]"]
    assert [row[column["h_t = max(0, a_t)"]] for row in table.rows] == ["[1, 0]", "[2, 0]"]
    np.testing.assert_array_equal(trace["W_hh"], np.eye(2))
    np.testing.assert_array_equal(trace["W_x"], np.eye(2))
    np.testing.assert_array_equal(trace["W_hh h"] + trace["W_x x"], trace["a"])
    np.testing.assert_array_equal(np.maximum(trace["a"], 0), trace["h"])
    np.testing.assert_array_equal(trace["h"], [[1, 0], [2, 0]])


def test_hidden_state_figure_agrees_with_the_machine():
    sequence = list(turnstile_figures.SEQUENCE)
    table = turnstile_figures.hidden_state_table(turnstile_figures.hidden_state_run())
    column = {name: k for k, name in enumerate(table.columns)}
    assert [row[column["input"]] for row in table.rows] == sequence
    units = np.array([[row[column[u]] for u in turnstile.UNITS] for row in table.rows])
    np.testing.assert_array_equal(units, turnstile.turnstile_cell().run(turnstile.encode(sequence)).h)
    machine = turnstile.machine_run(sequence)
    for who in ("RNN", "machine"):
        got = [(row[column[f"coins ({who})"]], row[column[f"passes ({who})"]], row[column[f"walk ({who})"]] == "yes")
               for row in table.rows]  # fmt: skip
        assert got == machine, who
    # the sequence shows what it is meant to: a blocked push, a refused coin, two walks
    coins_before = [0] + [coins for coins, _, _ in machine[:-1]]
    steps = list(zip(coins_before, sequence, machine))
    assert any(s == "push" and not walk for _, s, (_, _, walk) in steps)
    assert any(s == "coin" and before == after for before, s, (after, _, _) in steps)
    assert sum(walk for _, _, walk in machine) == 2


def plain(latex: str) -> str:
    """A line of the LSTMCell docstring's aligned block as plain text."""
    text = latex.split("&&")[0].replace("&", "")
    for tex, word in (("\\sigma", "sigmoid"), ("\\tanh", "tanh"), ("\\odot", "*"), ("_{t-1}", "_(t-1)")):
        text = text.replace(tex, word)
    return re.sub(r"_\{(\w+)\}", r"_\1", " ".join(text.split()))


def test_cell_formulas_match_the_lstm_cell_docstring():
    documented = {
        plain(line).split(" = ")[0]: plain(line) for line in cells.LSTMCell.__doc__.splitlines() if "&=" in line
    }
    table = cell_diagram.cell_table(cell_diagram.cell_rows())
    formulas = {row[0]: row[1] for row in table.rows}
    assert set(documented) == {"i_t", "f_t", "g_t", "o_t", "c_t", "h_t"}
    for name, formula in documented.items():
        assert formulas[name] == formula
    gate_rows = [row[0] for row in table.rows if row[0][0] in cells.GATES and row[0].endswith("_t")]
    assert gate_rows == [f"{gate}_t" for gate in cells.GATES]  # PyTorch's order


def test_cell_shapes_match_a_real_lstm_cell():
    hidden, inputs = 3, 2
    rng = np.random.default_rng(0)
    cell = cells.LSTMCell(rng.normal(size=(4 * hidden, inputs)), rng.normal(size=(4 * hidden, hidden)))
    trace = cell.run(rng.normal(size=(1, inputs)))
    actual = {"x_t": trace.x[0].shape, "h_(t-1)": trace.h0.shape, "c_(t-1)": trace.c0.shape}
    actual |= {f"{name}_t": getattr(trace, name)[0].shape for name in ("i", "f", "g", "o", "c", "h")}
    actual |= {"weight_ih": cell.weight_ih.shape, "weight_hh": cell.weight_hh.shape,
               "bias_ih, bias_hh": cell.bias_ih.shape}  # fmt: skip
    assert cell.bias_hh.shape == cell.bias_ih.shape

    def size(text: str) -> tuple[int, ...]:
        text = text.removesuffix(" each")
        sizes = {"D": inputs, "H": hidden, "4H": 4 * hidden}
        return tuple(sizes[part] for part in text.split(" x "))

    rows = cell_diagram.cell_table(cell_diagram.cell_rows()).rows
    assert {row[0]: size(row[2]) for row in rows} == actual
