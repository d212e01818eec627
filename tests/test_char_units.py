"""The cells of the character LSTM: how units are chosen and scored, and what the cached measurement says.

The first tests need no trained model; those that read `char_units.results()` use the cached
experiment (a cold cache trains the character model first).
"""

import itertools

import numpy as np
import pytest

from lstm_explainer import char_corpus, char_features
from lstm_explainer.checks import InputError
from lstm_explainer.experiments import char_units
from lstm_explainer.figures import real_text


def random_state(hidden, seed, readout=True):
    rng = np.random.default_rng(seed)
    state = {"weight_ih": rng.normal(0, 0.5, (4 * hidden, 97)), "weight_hh": rng.normal(0, 0.5, (4 * hidden, hidden)),
             "bias_ih": rng.normal(0, 0.5, 4 * hidden), "bias_hh": rng.normal(0, 0.5, 4 * hidden)}  # fmt: skip
    if readout:
        state |= {"readout_weight": rng.normal(0, 1, (97, hidden)), "readout_bias": rng.normal(0, 1, 97)}
    return {k: v.astype(np.float32) for k, v in state.items()}


def test_auc_is_the_share_of_ordered_pairs_ties_counting_half():
    rng = np.random.default_rng(0)
    values = rng.integers(0, 5, (60, 3)).astype(float)  # many ties
    positive = rng.random(60) < 0.3
    aucs = char_units.auc_from_ranks(char_units._ranks(values), positive)
    for column in range(3):
        pos, neg = values[positive, column], values[~positive, column]
        pairs = [(p > n) + 0.5 * (p == n) for p, n in itertools.product(pos, neg)]
        assert aucs[column] == pytest.approx(np.mean(pairs))
    with pytest.raises(ValueError, match="both inside and outside"):
        char_units.auc_from_ranks(char_units._ranks(values), np.zeros(60))


def test_correlations_are_pearsons_r():
    rng = np.random.default_rng(1)
    values, target = rng.normal(size=(200, 4)), rng.normal(size=200)
    values[:, 1] += 2 * target
    values[:, 3] = 7.0  # constant: r = 0, not NaN
    r = char_units.correlations(values, target)
    assert r[:3] == pytest.approx([np.corrcoef(values[:, k], target)[0, 1] for k in range(3)])
    assert r[3] == 0


def test_the_direction_is_fixed_where_the_unit_is_chosen():
    """A unit that is low inside on the choosing text is scored as low inside on the other text."""
    chosen_on = {name: np.array([0.5, 0.1, 0.6]) if name in char_features.BINARY else np.array([0.1, -0.8, 0.3])
                 for name in char_features.FEATURES}  # fmt: skip
    scored_on = {name: np.array([0.5, 0.7, 0.6]) if name in char_features.BINARY else np.array([0.1, 0.4, 0.3])
                 for name in char_features.FEATURES}  # fmt: skip
    out = char_units.choose_and_score(chosen_on, scored_on)
    assert out["in_brackets"] == {"unit": 1, "sign": -1, "chosen": pytest.approx(0.9), "held_out": pytest.approx(0.3)}
    assert out["indent"] == {"unit": 1, "sign": -1, "chosen": pytest.approx(0.8), "held_out": pytest.approx(-0.4)}
    only = char_units.choose_and_score(chosen_on, scored_on, allowed=[0, 2])
    assert only["in_brackets"]["unit"] == 2


def test_side_by_side_is_both_cells_at_once():
    a = char_units.CharLSTM(random_state(5, 0))
    b = char_units.CharLSTM(random_state(5, 1, readout=False))
    pair = char_units.side_by_side(a, b)
    indices = char_corpus.encode("def f(x):\n    return [x, 'y']  # z\n")
    ta, tb, tp = a.run(indices), b.run(indices), pair.run(indices)
    for name in ("i", "f", "g", "o", "c", "h"):
        np.testing.assert_allclose(getattr(tp, name)[:, :5], getattr(ta, name), rtol=0, atol=1e-6)
        np.testing.assert_allclose(getattr(tp, name)[:, 5:], getattr(tb, name), rtol=0, atol=1e-6)


def test_sampling_is_seeded_and_checked():
    state = random_state(6, 2)
    one = char_units.sample(state, "def ", 40, 0.8, seed=7)
    assert one == char_units.sample(state, "def ", 40, 0.8, seed=7) and len(one) == 40
    assert one != char_units.sample(state, "def ", 40, 0.8, seed=8)
    assert set(one) <= set(char_corpus.VOCAB)
    for args, message in [(("", 5, 1.0, 0), "non-empty"), (("x", 0, 1.0, 0), "from 1 to 2000"),
                          (("x", 5, -1.0, 0), "temperature"), (("x", 5, 1.0, -3), "seed"),
                          (("x" * 2001, 5, 1.0, 0), "at most 2000")]:  # fmt: skip
        with pytest.raises(InputError, match=message):
            char_units.sample(state, *args)


def test_the_snippet_is_whole_short_lines_of_code():
    files = char_units._text_part(char_corpus.corpus()["test"], 30_000)
    offset, text, path, file_offset = char_units._snippet(files, 6, 60)
    assert dict(files)[path][file_offset : file_offset + len(text)] == text
    joined = "".join(t for _, t in files)
    assert joined[offset : offset + len(text)] == text
    assert text.count("\n") == 6 and text.endswith("\n") and (offset == 0 or joined[offset - 1] == "\n")
    assert max(len(line) for line in text.split("\n")) <= 60


# --- the cached measurement -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def results():
    return char_units.results()


def test_a_unit_is_never_chosen_and_scored_on_the_same_text(results):
    splits = char_corpus.corpus()
    validation, test = {p for p, _ in splits["validation"]}, {p for p, _ in splits["test"]}
    assert set(results["choose"]["files"]) <= validation and set(results["score"]["files"]) <= test
    assert not set(results["choose"]["files"]) & set(results["score"]["files"])
    assert results["choose"]["chars"] == char_units.CONFIG.choose_chars
    assert results["score"]["chars"] == char_units.CONFIG.score_chars


def test_every_feature_is_reported_with_its_baselines(results):
    assert [f["name"] for f in results["features"]] == list(char_features.FEATURES)
    for f in results["features"]:
        assert f["unit"] == char_units.unit_name(f["index"], results["hidden"])
        low = 0.5 if f["binary"] else 0.0
        assert low <= f["chosen"] <= 1 and -1 <= f["held_out"] <= 1 and -1 <= f["untrained"] <= 1


def test_the_bracket_unit_beats_the_untrained_network_by_a_wide_margin(results):
    brackets = next(f for f in results["features"] if f["name"] == "in_brackets")
    assert brackets["held_out"] - brackets["untrained"] >= real_text.WIDE
    assert brackets["held_out"] > brackets["random_best"]


def test_the_measurement_matches_a_fresh_trace(results):
    """The cached unit values along the snippet and the samples are what the model gives now."""
    state = char_units.state()
    model = char_units.CharLSTM(state)
    snippet = results["snippet"]
    file = dict(char_corpus.corpus()["test"])[snippet["file"]]
    run = model.run(char_corpus.encode(file[: snippet["file_offset"] + len(snippet["text"])]))  # a file is read whole
    both = np.hstack([run.c, run.h])[snippet["file_offset"] :]
    for entry in results["features"]:
        np.testing.assert_allclose(both[:, entry["index"]], snippet["units"][entry["name"]]["value"], atol=2e-4)
    first = results["samples"][0]
    cfg = char_units.CONFIG
    exported = char_units.exported_state()  # the samples are the page's: float16 weights, float64 arithmetic
    assert char_units.sample(exported, cfg.prompt, cfg.sample_chars, first["temperature"], first["seed"]) == first["text"]


def test_trace_gives_every_unit_and_sorted_guesses(results):
    out = char_units.trace("def f(x):", k=4)
    assert out["chars"] == list("def f(x):")
    assert [u["feature"] for u in out["units"]] == list(char_features.FEATURES)
    assert all(len(u["values"]) == 9 for u in out["units"])
    for guesses in out["next"]:
        probabilities = [p for _, p in guesses]
        assert len(guesses) == 4 and probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1 + 1e-9
    with pytest.raises(InputError, match="k must be"):
        char_units.trace("x", k=0)


def test_every_claim_of_the_page_holds(results):
    for claim in real_text.CLAIMS:
        assert claim.sentence()
