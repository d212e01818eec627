"""The what-if page: each held gate breaks what the page says it breaks, and the stream without
resets grows as Gers, Schmidhuber & Cummins (2000) describe, with margins."""

import re
from pathlib import Path

import numpy as np
import pytest

from lstm_explainer import france_weights as weights
from lstm_explainer.experiments import stream
from lstm_explainer.figures import what_if as figures
from lstm_explainer.france import SENTENCE, VARIANTS, FranceLSTM

PAGE = Path(__file__).resolve().parents[1] / "docs" / "further" / "what-if.md"
STREAM_PAGE = PAGE.with_name("stream.md")
U = {unit: k for k, unit in enumerate(weights.UNITS)}


def trace(variant):
    return figures.sentence_trace(variant)


# --- forget gate held at 1 at 'but' ------------------------------------------------------


def test_keeping_the_memory_at_but_keeps_eating():
    but = trace("standard").tokens.index("but")
    assert trace("standard").cell.c[but, U["eating"]] < 0.01
    assert trace("forget_kept_at_but").cell.c[but, U["eating"]] > 0.95
    # and it is still shown at 'the', where a food may come next
    assert trace("forget_kept_at_but").cell.h[-2, U["eating"]] > 0.5


def test_keeping_the_memory_at_but_turns_wine_into_a_french_food():
    guesses = figures.prefix_guesses()
    assert guesses["standard"][0][0] == "wine"
    assert guesses["forget_kept_at_but"][0][0] in weights.FOODS["france"]
    wine = weights.VOCAB.index("wine")
    p = {v: FranceLSTM().trace(figures.PREFIX, variant=v).probs[-1, wine] for v in ("standard", "forget_kept_at_but")}
    assert p["forget_kept_at_but"] < p["standard"] / 2


def test_keeping_every_unit_at_but_keeps_expect_but_too():
    but = trace("standard").tokens.index("but")
    assert trace("forget_kept_at_but").cell.c[but, U["expect_but"]] > 0.9
    assert trace("standard").cell.c[but, U["expect_but"]] < 0.01


# --- no output gate --------------------------------------------------------------------


def test_no_output_gate_leaves_the_cell_state_nearly_alone():
    # only the recurrent reads of expect_place and expect_object feed h back, and their o is open anyway
    np.testing.assert_allclose(trace("no_output_gate").cell.c, trace("standard").cell.c, rtol=0, atol=1e-3)
    assert np.all(trace("no_output_gate").cell.o == 1.0)


def test_no_output_gate_shows_female_at_mary_and_her_ties_with_the_verbs():
    mary = trace("standard").tokens.index("mary")
    assert trace("standard").cell.h[mary, U["female"]] < 0.01
    assert trace("no_output_gate").cell.h[mary, U["female"]] > 0.5
    words, p = figures.first_guesses(trace("no_output_gate"), mary)
    assert {"ate", "did", "her"} <= set(words)
    std_words, std_p = figures.first_guesses(trace("standard"), mary)
    assert "her" not in std_words and std_p > p + 0.1


def test_no_output_gate_makes_the_guesses_vaguer():
    std, nog = trace("standard").probs.max(axis=1), trace("no_output_gate").probs.max(axis=1)
    assert np.mean(nog < std - 0.05) > 0.5, "most words lose confidence"


# --- all what-ifs ----------------------------------------------------------------------


def test_no_forget_gate_breaks_most_of_the_sentence():
    assert len(figures.differing_guesses("no_forget_gate")) > len(trace("standard").tokens) / 2
    assert trace("no_forget_gate").cell.c[-1, U["expect_food"]] > 1.5


def test_ties_are_named_by_group():
    assert figures.tied_text(["france", "italy", "germany", "england"]) == "any country"
    assert figures.tied_text(["ate", "did", "her"]) == "ate / did / her"
    assert figures.tied_text(["i", "mary", "frank", "but"]) == "any person / but"


# --- the stream ------------------------------------------------------------------------


def test_the_stream_is_the_experiment_module_s():
    data = figures.stream()
    assert data["sentences"] == stream.stream_sentences()
    assert len(data["starts"]) == len(data["sentences"]) == stream.CONFIG.sentences
    assert set(data["cells"]) == set(figures.STREAMS)


def test_without_a_forget_gate_the_norm_grows_in_a_straight_line():
    data = figures.stream()
    norms = figures.stream_norms(data, "no_forget_gate")
    n = len(norms)
    assert 1.8 < norms[-1] / norms[n // 2] < 2.2
    assert np.all(np.diff(norms[::20]) > 0)
    assert norms[-1] > 3 * figures.stream_norms(data, "standard")[-1]


def test_the_standard_cell_drifts_and_the_reset_does_not():
    data = figures.stream()
    standard, reset = figures.stream_norms(data, "standard"), figures.stream_norms(data, "reset_at_in")
    n = len(standard)
    assert standard[-1] > 10 * reset.max()
    assert standard[-1] > 1.2 * standard[n // 2], "still climbing in the second half"
    assert reset.max() < 5
    assert abs(reset[n // 2 :].mean() - reset[: n // 2].mean()) < 0.5


def test_the_guesses_collapse_without_a_forget_gate_and_drift_without_a_reset():
    data = figures.stream()
    assert figures.stream_scores(data, "no_forget_gate")[-5:].mean() < 0.05
    assert figures.stream_scores(data, "reset_at_in")[-5:].mean() > 0.3
    last = figures.LAST_FOODS
    standard, reset = figures.food_scores(data, "standard"), figures.food_scores(data, "reset_at_in")
    assert reset[-last:].mean() > 2 * standard[-last:].mean()
    assert standard[0] > 2 * standard[-last:].mean()


def test_people_is_a_leaking_count_of_the_stream_s_persons():
    people = figures.stream()["cells"]["standard"]["c_end"][U["people"]]
    named = figures.stream()["person_words"]
    assert 0.3 * named < people < 0.8 * named, "counts most of the people named, not all"
    leak = float(figures.NUMBERS["whatif_people_leak_per_word"]().rstrip(" %")) / 100
    assert 0.001 < leak < 0.01


# --- figures and page ------------------------------------------------------------------


def test_tables_and_numbers_are_prefixed_and_cover_the_page():
    assert all(name.startswith("whatif-") for name in figures.TABLES)
    assert all(table().rows for table in figures.TABLES.values())
    numbers = figures.NUMBERS
    assert all(name.startswith("whatif_") for name in numbers)
    assert all(isinstance(number(), str) and number() for number in numbers.values())
    text = PAGE.read_text() + STREAM_PAGE.read_text()  # the stream what-if has a page of its own
    used = set(re.findall(r"\{\{\s*(whatif_[a-z0-9_]+)\s*\}\}", text))
    claims = {claim.name for claim in figures.CLAIMS}
    assert all(name.startswith("whatif_") for name in claims)
    assert used and used <= numbers.keys() | claims, sorted(used - numbers.keys() - claims)
    placed = set(re.findall(r'\{\{\s*(?:figure|table)\("(whatif-[a-z0-9-]+)"\)', text))
    assert placed == {spec.name for spec in figures.FIGURES} | set(figures.TABLES)
    assert all(callable(spec.alt) and len(spec.alt_text()) > 80 for spec in figures.FIGURES)


def test_every_variant_has_a_label():
    assert set(figures.LABELS) == set(figures.WHATIFS) == set(figures.HEADERS) == set(VARIANTS) | {"no_recurrence"}


# --- no recurrent weights ----------------------------------------------------------------


def test_no_recurrence_is_the_cell_with_weight_hh_zero():
    flat = trace("no_recurrence")
    np.testing.assert_array_equal(flat.cell.c, FranceLSTM(recurrent=False).trace(SENTENCE).cell.c)
    france = flat.tokens.index("france")
    assert trace("standard").cell.i[france, U["seen_france"]] > 0.99 > 0.01 > flat.cell.i[france, U["seen_france"]]
    assert all(flat.cell.c[-1, U[unit]] < 0.01 for unit in weights.COUNTRY_UNITS)


def test_without_recurrence_the_country_no_longer_picks_the_food():
    guesses = figures.recurrent_guesses()
    for prefix, country in (("In France, I ate", "france"), ("In Italy, I ate", "italy")):
        assert [w for w, _ in guesses[prefix]["standard"]] == list(weights.FOODS[country])
        assert guesses[prefix]["standard"][0][1] > 3 * guesses[prefix]["no_recurrence"][0][1]
        flat = [p for _, p in guesses[prefix]["no_recurrence"]]
        assert max(flat) - min(flat) < 1e-3, "the foods tie"
