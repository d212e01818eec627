"""The France figures: every one draws in both themes as small, valid, reproducible SVG, and
its table says what the model computes."""

import functools
import hashlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from lstm_explainer import france_weights as weights
from lstm_explainer.figures import france as figures
from lstm_explainer.figures.base import THEMES, Table, to_svg
from lstm_explainer.france import SENTENCE, FranceLSTM

SPECS = {spec.name: spec for spec in figures.FIGURES}
CASES = [(name, theme) for name in SPECS for theme in THEMES]


# Every figure is drawn twice: here, and at the same time in a second Python process (the
# machines have two cores), which is also how a site build on another day draws it.
OTHER_PROCESS = """
import hashlib, json
from lstm_explainer.figures import france
from lstm_explainer.figures.base import THEMES, to_svg
print(json.dumps({f"{spec.name} {theme}": hashlib.sha256(to_svg(spec.figure(THEMES[theme]))).hexdigest()
                  for spec in france.FIGURES for theme in THEMES}))
"""


@pytest.fixture(scope="module", autouse=True)
def other_process():
    """The SHA-256 of every figure's SVG as drawn by a second process, started first thing."""
    process = subprocess.Popen([sys.executable, "-W", "error", "-c", OTHER_PROCESS], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip

    @functools.cache
    def digests() -> dict:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        return json.loads(out)

    yield digests
    if process.poll() is None:
        process.kill()
        process.communicate()


@functools.cache
def svg(name: str, theme: str) -> bytes:
    """The figure's SVG, drawn once in this process."""
    return to_svg(SPECS[name].figure(THEMES[theme]))


@pytest.fixture(scope="module")
def trace():
    return FranceLSTM().trace(SENTENCE)


def column(table: Table, header: str) -> list:
    k = table.columns.index(header)
    return [row[k] for row in table.rows]


# --- every figure ---------------------------------------------------------------------


def test_the_expected_figures_with_unique_names():
    names = [spec.name for spec in figures.FIGURES]
    assert len(names) == len(set(names))
    assert set(names) == {
        "phase-input-france", "phase-input-frank", "phase-forget-but", "phase-output-ate",
        "sentence-i", "sentence-f", "sentence-o", "sentence-c", "sentence-h",
        "next-word-france-vs-italy", "next-word-along-sentence",
    }  # fmt: skip


@pytest.mark.parametrize("name", SPECS)
def test_alt_text_and_table(name):
    spec = SPECS[name]
    alt = spec.alt_text()
    assert alt.strip() and alt.count(". ") <= 2
    table = spec.numbers_table()
    assert isinstance(table, Table) and table.caption and table.rows
    assert all(len(row) == len(table.columns) for row in table.rows)
    assert table.to_markdown().count("\n") == len(table.rows) + 1


@pytest.mark.parametrize(("name", "theme"), CASES)
def test_draws_small_valid_svg_with_text(name, theme):
    data = svg(name, theme)
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert b"<text" in data  # text stays text
    assert b"<image" not in data or data.count(b"<image") <= 2  # heatmap and colour bar only
    assert len(data) < 100_000


@pytest.mark.parametrize(("name", "theme"), CASES)
def test_same_bytes_when_drawn_twice(other_process, name, theme):
    assert hashlib.sha256(svg(name, theme)).hexdigest() == other_process()[f"{name} {theme}"]


def test_same_bytes_when_drawn_twice_in_one_process():
    spec = SPECS["phase-output-ate"]
    assert to_svg(spec.figure(THEMES["dark"])) == svg(spec.name, "dark")


def test_the_themes_differ():
    assert svg("sentence-c", "light") != svg("sentence-c", "dark")


# --- the numbers agree with the model ------------------------------------------------------


@pytest.mark.parametrize("token", ["france", "frank", "but", "ate"])
def test_phase_table_is_the_trace(trace, token):
    t = trace.tokens.index(token)
    table = figures.phase_table(figures.phase_data(token))
    assert column(table, "unit") == list(weights.UNITS)
    cell = trace.cell
    expected = {
        "c(t-1)": cell.c_prev[t], "i": cell.i[t], "g": cell.g[t], "i⊙g": cell.i[t] * cell.g[t],
        "f": cell.f[t], "f⊙c(t-1)": cell.f[t] * cell.c_prev[t], "c(t)": cell.c[t], "o": cell.o[t], "h(t)": cell.h[t],
    }  # fmt: skip
    for header, values in expected.items():
        np.testing.assert_allclose(column(table, header), values, atol=5e-3, err_msg=header)
    # the step adds up: c_t = f * c_{t-1} + i * g
    np.testing.assert_allclose(
        np.add(column(table, "f⊙c(t-1)"), column(table, "i⊙g")), column(table, "c(t)"), atol=1e-12
    )
    on = [weights.INPUTS[k] for k in np.flatnonzero(cell.x[t])]
    assert f"x(t) switches on: {', '.join(on)}." in table.caption


@pytest.mark.parametrize("token", ["france", "frank", "but", "ate"])
def test_phase_terms_add_up_to_the_pre_activations(trace, token):
    t = trace.tokens.index(token)
    table = figures.phase_table(figures.phase_data(token))
    for gate in "ifgo":
        parts = [column(table, f"{gate} {figures.TERM_HEADERS[key]}") for key in ("x", "h", "b")]
        np.testing.assert_allclose(np.sum(parts, axis=0), getattr(trace.cell, f"pre_{gate}")[t], atol=1e-12)
    h_terms = np.array([column(table, f"{gate} from h(t-1)") for gate in "ifgo"])
    if token == "france":  # the previous output opens the gate that writes the country
        assert column(table, "i from h(t-1)")[weights.UNITS.index("seen_france")] > 12
    else:
        assert np.abs(h_terms).max() < 0.005, "h(t-1) adds nothing there (to two decimals)"


def test_phase_alt_says_what_drove_the_gate():
    alt = figures.FIGURES[0].alt_text()
    assert "What drove the input gate" in alt and "seen_france (12 from the word, 12.14 from h(t-1), -18 bias" in alt
    assert "h(t-1) adds nothing to any forget gate" in next(s for s in figures.FIGURES if s.name == "phase-forget-but").alt_text()


def test_phase_at_france_lets_only_france_in():
    table = figures.phase_table(figures.phase_data("france"))
    gated = dict(zip(column(table, "unit"), column(table, "i⊙g")))
    assert gated["seen_france"] > 0.9
    assert all(abs(v) < 0.01 for unit, v in gated.items() if unit != "seen_france")
    assert "x(t) switches on: france." in table.caption and "expect_place = 0.76" in table.caption


def test_phase_at_but_erases_the_eating_context():
    table = figures.phase_table(figures.phase_data("but"))
    row = table.rows[weights.UNITS.index("eating")]
    k = table.columns.index
    assert row[k("c(t-1)")] > 0.9 and row[k("f")] < 0.01 and abs(row[k("c(t)")]) < 0.01


def test_bad_token_names_the_allowed_words(trace):
    with pytest.raises(ValueError) as error:
        figures.phase_data("paris")
    message = str(error.value)
    assert "'paris'" in message and all(token in message for token in trace.tokens)
    with pytest.raises(ValueError, match="input, forget, output"):
        figures.phase_figure(figures.phase_data("ate"), THEMES["light"], phase="remember")
    with pytest.raises(ValueError, match="i, f, o, c, h"):
        figures.sentence_data("g")


@pytest.mark.parametrize("name", ["i", "f", "o", "c", "h"])
def test_sentence_table_is_the_trace(trace, name):
    table = figures.sentence_table(figures.sentence_data(name))
    assert table.columns == ["unit", *trace.tokens]
    values = np.array([row[1:] for row in table.rows], dtype=float)
    np.testing.assert_allclose(values, getattr(trace.cell, name).T, atol=5e-3)
    assert [row[0] for row in table.rows] == list(weights.UNITS)


def test_france_against_italy():
    table = figures.next_word_table(figures.prefix_guesses())
    france, italy = table.columns[1], table.columns[3]
    assert "In France, I ate" in france and "In Italy, I ate" in italy
    assert column(table, "rank") == [1, 2, 3, 4, 5, 6]
    assert column(table, france)[:3] == ["croissant", "baguette", "cheese"]
    assert column(table, italy)[:3] == ["pizza", "pasta", "bruschetta"]
    model = FranceLSTM()
    for k, prefix in ((2, "In France, I ate"), (4, "In Italy, I ate")):
        expected = [p for _, p in model.predict(prefix, k=6)]
        np.testing.assert_allclose([row[k] for row in table.rows], expected, atol=5e-3)


def test_guesses_along_the_sentence(trace):
    table = figures.along_sentence_table(figures.along_sentence())
    assert column(table, "word") == trace.tokens
    assert column(table, "actual next word") == [*trace.tokens[1:], "(end)"]
    for t, row in enumerate(table.rows[:-1]):
        actual = trace.tokens[t + 1]
        assert row[2] == pytest.approx(trace.probs[t, weights.VOCAB.index(actual)], abs=5e-3)
        guesses = [(row[3 + 2 * r], row[4 + 2 * r]) for r in range(3)]
        assert [w for w, _ in guesses] == [w for w, _ in trace.top(t, k=3)]
        assert row[-1] == ("yes" if actual in dict(guesses) else "no")
    after_ate = table.rows[trace.tokens.index("ate")]
    assert after_ate[1] == "her" and after_ate[3] == "her" and after_ate[-1] == "yes"
    # after "like" the model expects Frank's "his", not "the"
    assert table.rows[trace.tokens.index("like")][-1] == "no"


@pytest.mark.parametrize("name", ["phase-input-france", "phase-input-frank"])
def test_the_input_phase_alt_text_credits_each_erased_value_to_the_forget_gate(name):
    """A value that falls at this word falls because the forget gate erased it: the alt text
    must not say the input gate wrote it (it said so of `female` at "Frank")."""
    spec = SPECS[name]
    data = spec.result()
    c_prev, c = data.column("c_prev"), data.column("c")
    alt = spec.alt_text()
    written, _, erased = alt.partition("the forget gate, not the input gate, erases")
    for u, unit in enumerate(weights.UNITS):
        if c[u] < c_prev[u] - 0.5:
            assert f"{unit} (" in erased and f"{unit} (" not in written.split("What drove")[0], (unit, alt)
