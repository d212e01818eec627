"""The trained language model beside the hand-set one: the page's claims, with margins.

Everything reads ``language_model.results()`` (trained once per machine, then cached).
"""

import dataclasses
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_explainer.experiments import language_model as lm
from lstm_explainer.experiments import world
from lstm_explainer.figures import language_model as figures
from lstm_explainer.figures.base import THEMES, to_svg
from lstm_explainer.france import SENTENCE, FranceLSTM

GATES = ("i", "f", "o")


@pytest.fixture(scope="module")
def results():
    return lm.results()


@pytest.fixture(scope="module", params=lm.CONFIG.seeds)
def trained(request, results):
    return results["trained"][lm.CONFIG.seeds.index(request.param)]


def food_probs(probs, country):
    return [probs[world.VOCAB.index(food)] for food in world.FOODS[country]]


def best_abs_r(model, feature, state="c"):
    return float(np.abs(model["correlation"][state][world.FEATURES.index(feature)]).max())


# --- how well it predicts ----------------------------------------------------------------


def test_trained_model_nearly_reaches_the_grammar(results, trained):
    best = results["grammar"]["perplexity"]
    assert best <= trained["perplexity"] < 1.06 * best
    assert trained["perplexity"] < results["handset"]["perplexity"] - 0.5


def test_many_heldout_sentences_were_seen_in_training_but_the_unseen_ones_score_as_well(results, trained):
    """The page says held-out is not never-seen (a sizeable share occurs in the training corpus),
    and that on the unseen rest the trained model is still close to the grammar."""
    grammar = results["grammar"]
    assert 0.2 < grammar["seen_in_training"] / grammar["sentences"] < 0.8
    best = grammar["unseen_perplexity"]
    assert best <= trained["unseen_perplexity"] < 1.1 * best


def test_seen_in_training_finds_exact_copies_only():
    heldout = [("in", "italy", "i", "ate", "pasta"), ("mary", "ate", "her", "croissant")]
    corpus = set(lm.corpus(100, 1))
    assert lm.seen_in_training(heldout, 100, 1) == [s in corpus for s in heldout]
    assert lm.seen_in_training(lm.corpus(5, 1), 100, 1) == [True] * 5


def test_accuracy_separates_the_models_less_than_perplexity(results, trained):
    """The page quotes the accuracies and says they separate the models far less than perplexity."""
    models = (results["grammar"], results["handset"], trained)
    accuracy = [m["accuracy"] for m in models]
    perplexity = [m["perplexity"] for m in models]
    assert max(accuracy) / min(accuracy) < 1.25
    assert max(perplexity) / min(perplexity) > 1.35


def test_the_grammar_gives_wine_as_much_as_any_french_food(results):
    probs = results["grammar"]["prefixes"][lm.PREFIXES[5]]
    wine = probs[world.VOCAB.index("wine")]
    assert wine > 0
    for food in world.FOODS["france"]:
        assert probs[world.VOCAB.index(food)] == pytest.approx(wine, rel=1e-9)


def test_numpy_perplexity_agrees_with_the_torch_training_loss(trained):
    assert math.exp(trained["curve"][-1][1]) == pytest.approx(trained["perplexity"], rel=1e-4)


def test_training_lowers_the_loss(trained):
    losses = [loss for _, loss in trained["curve"]]
    assert losses[-1] < 0.3 * losses[0]


# --- units that track the world --------------------------------------------------------------

MIN_BEST_R = {"seen_france": 0.4, "female": 0.4, "people": 0.35}
"""The best single trained unit tracks each feature at least this well (|r|, cell state)."""


@pytest.mark.parametrize("feature", lm.TRACKED)
def test_a_trained_unit_tracks_each_feature(trained, feature):
    assert best_abs_r(trained, feature) > MIN_BEST_R[feature]


@pytest.mark.parametrize("feature", world.FEATURES)
def test_hand_set_named_units_are_the_features(results, feature):
    handset = results["handset"]
    unit = handset["units"].index(world.HANDSET_UNIT[feature])
    assert handset["correlation"]["c"][world.FEATURES.index(feature)][unit] > 0.99


@pytest.mark.parametrize("feature", world.FEATURES)
def test_trained_units_are_messier_than_hand_set_ones(trained, feature):
    """No single trained unit is a clean copy of a feature, but all of them together hold it."""
    single, together = abs(figures.best_unit(trained, feature)[1]), trained["probe"]["c"][world.FEATURES.index(feature)]
    assert single < 0.95
    assert together > max(single + 0.05, 0.65)


# --- next-word guesses --------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["grammar", "handset", "trained"])
def test_france_and_italy_get_their_own_foods(results, model):
    source = results["trained"][0] if model == "trained" else results[model]
    france, italy = (np.array(source["prefixes"][p]) for p in lm.PREFIXES[:2])
    assert min(food_probs(france, "france")) > 3 * max(food_probs(france, "italy"))
    assert min(food_probs(italy, "italy")) > 3 * max(food_probs(italy, "france"))


def test_trained_model_learned_that_each_clause_names_someone_new(results, trained):
    mary = world.VOCAB.index("mary")
    assert results["grammar"]["prefixes"][lm.PREFIXES[4]][mary] == 0
    assert trained["prefixes"][lm.PREFIXES[4]][mary] < 0.05
    assert results["handset"]["prefixes"][lm.PREFIXES[4]][mary] > 0.3


def test_hand_set_guesses_in_the_results_are_the_models(results):
    model = FranceLSTM()
    for prefix in lm.PREFIXES:
        np.testing.assert_allclose(results["handset"]["prefixes"][prefix], model.trace(prefix).probs[-1])


# --- gate saturation ------------------------------------------------------------------------------


@pytest.mark.parametrize("gate", GATES)
def test_hand_set_gates_are_more_saturated(results, trained, gate):
    handset = results["handset"]["saturation"][gate]
    ours = trained["saturation"][gate]
    assert handset["low"] + handset["high"] > 0.99
    assert ours["low"] + ours["high"] < handset["low"] + handset["high"] - 0.1


def test_saturation_per_unit_adds_up(results, trained):
    for model in (results["handset"], trained):
        for gate in GATES:
            s = model["saturation"][gate]
            per_unit = np.array(s["per_unit"])
            assert per_unit[:, 0].mean() == pytest.approx(s["low"])
            assert per_unit[:, 1].mean() == pytest.approx(s["high"])
            assert (per_unit.sum(1) <= 1 + 1e-12).all()


# --- the NumPy cell reads the trained weights as torch does -------------------------------------------


def small(**changes) -> dict:
    """The settings of a quick run: `lm.CONFIG` with ``changes``, as a job gets them."""
    return dataclasses.asdict(dataclasses.replace(lm.CONFIG, **changes))


def test_numpy_cell_matches_torch_on_the_walkthrough():
    weights = lm.train(seed=0, **small(train_sentences=200, updates=5))
    model = lm.TrainedLM(weights)
    tokens = world.tokenize(SENTENCE)
    cell, probs = model.trace(tokens)
    embed, lstm, readout = lm.build(torch, lm.CONFIG.embedding, lm.CONFIG.hidden)
    with torch.no_grad():
        embed.weight[: len(world.VOCAB)] = torch.tensor(weights["embedding"])
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(lstm, f"{name}_l0").copy_(torch.tensor(weights[name]))
        readout.weight.copy_(torch.tensor(weights["readout_weight"]))
        readout.bias.copy_(torch.tensor(weights["readout_bias"]))
        x = lm.padded(torch, [tokens])
        h, (_, c) = lstm(embed(x))
        p = torch.softmax(readout(h), -1)
    np.testing.assert_allclose(cell.h, h[0].numpy(), atol=1e-5)
    np.testing.assert_allclose(cell.c[-1], c[0, 0].numpy(), atol=1e-5)
    np.testing.assert_allclose(probs, p[0].numpy(), atol=1e-5)


def test_training_is_deterministic():
    settings = small(train_sentences=200, heldout_sentences=20, updates=5)
    assert lm.train(seed=3, **settings) == lm.train(seed=3, **settings)


def test_correlation_and_probe_on_known_data():
    x = np.array([[0.0, 1.0, 5.0], [1.0, 1.0, 3.0], [2.0, 1.0, 1.0], [3.0, 1.0, -1.0]])
    y = np.array([[0.0], [2.0], [4.0], [6.0]])
    np.testing.assert_allclose(lm.correlations(x, y), [[1.0, 0.0, -1.0]])  # a constant unit gets r = 0
    assert lm.probe(np.vstack([x, x]), np.vstack([y, y]), split=4) == [pytest.approx(1.0)]


# --- the figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", figures.FIGURES, ids=lambda spec: spec.name)
def test_figures_draw_small_valid_svg_in_both_themes(spec):
    assert spec.name.startswith("lm-") and callable(spec.alt) and len(spec.alt_text()) > 80
    assert spec.numbers_table().rows
    for theme in THEMES.values():
        svg = to_svg(spec.figure(theme))
        assert len(svg) < 100_000
        ET.fromstring(svg)
        assert b"<image" not in svg


PAGE = Path(__file__).resolve().parents[1] / "docs" / "further" / "trained-language.md"


def test_numbers_and_tables_are_named_for_this_page():
    assert all(name.startswith("lm_") for name in figures.NUMBERS)
    assert all(name.startswith("lm-") for name in figures.TABLES)
    assert all(table().rows for table in figures.TABLES.values())


def test_every_number_the_page_quotes_is_here_and_written_out():
    """Each placeholder of the page is a key of NUMBERS, written literally in the module (so a grep finds
    it), and gives a short text."""
    quoted = set(re.findall(r"\{\{ *(lm_[a-z0-9_]+) *\}\}", PAGE.read_text()))
    claims = {claim.name for claim in figures.CLAIMS}
    assert quoted and quoted <= set(figures.NUMBERS) | claims
    assert claims <= quoted  # every claim is placed on the page
    source = Path(figures.__file__).read_text()
    for name, number in figures.NUMBERS.items():
        assert source.count(f'"{name}"') == 1, name
        text = number()
        assert isinstance(text, str) and 0 < len(text) < 60, name


def test_the_page_quotes_the_config():
    assert figures.NUMBERS["lm_hidden"]() == str(lm.CONFIG.hidden)
    assert figures.NUMBERS["lm_seeds"]() == str(len(lm.CONFIG.seeds))
    assert figures.NUMBERS["lm_lr"]() == "0.05" and figures.NUMBERS["lm_clip"]() == "1"
    assert figures.NUMBERS["lm_low"]() == "0.1" and figures.NUMBERS["lm_high"]() == "0.9"


def test_the_jobs_settings_are_the_config(results):
    assert results["settings"] == dataclasses.asdict(lm.CONFIG)
    assert [t["seed"] for t in results["trained"]] == list(lm.CONFIG.seeds)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lm.CONFIG.hidden = 8


def test_one_loop_scores_every_reader():
    """A reader that spreads its guesses evenly over the vocabulary has perplexity the vocabulary's size,
    on every sentence and on the unseen ones alone."""
    sentences = lm.corpus(20, 5)

    def uniform(sentence):
        return None, np.full((len(sentence), len(world.VOCAB)), 1 / len(world.VOCAB))

    reading = lm.read_sentences(uniform, sentences)
    scores = lm.prediction(reading, seen=[k % 2 == 0 for k in range(len(sentences))])
    assert scores["perplexity"] == pytest.approx(len(world.VOCAB))
    assert scores["unseen_perplexity"] == pytest.approx(len(world.VOCAB))
    assert scores["scored_words"] == sum(len(s) - 1 for s in sentences)
    assert scores["words"] == sum(map(len, sentences))
    assert "unseen_perplexity" not in lm.prediction(reading)


def test_one_trained_unit_serves_several_countries(results):
    """The page says the page's model keeps 'which country' along shared units, not a flag each."""
    model = results["trained"][0]
    countries = [f for f in world.FEATURES if f.startswith("seen_")]
    best = [int(np.argmax(np.abs(model["correlation"]["c"][world.FEATURES.index(f)]))) for f in countries]
    assert max(best.count(unit) for unit in best) >= 2


def test_hidden_state_tracks_seen_france_less_well_than_cell_state(trained):
    """Units selected on the first half of the held-out sentences, measured on the second."""
    h, c = (abs(figures.best_unit(trained, "seen_france", state)[1]) for state in ("h", "c"))
    assert h < c


def test_trained_forget_gates_split_into_keepers_and_forgetters(results, trained):
    """Several units keep (forget gate above 0.9 at most words), several forget (below 0.1), as the hand-set
    memory and expect units do."""
    for model in (trained, results["handset"]):
        per_unit = np.array(model["saturation"]["f"]["per_unit"])
        assert (per_unit[:, 1] > 0.5).sum() >= 3
        assert (per_unit[:, 0] > 0.5).sum() >= 3


# --- units selected on one half, reported on the other ---------------------------------------------


def test_split_correlations_are_the_halves(results):
    """``correlation_split`` is `correlations` on the first half of the held-out sentences and on the rest."""
    heldout = lm.corpus(lm.CONFIG.heldout_sentences, lm.CONFIG.heldout_seed)
    features = np.vstack([world.annotate(s).features for s in heldout])
    split = sum(map(len, heldout[: len(heldout) // 2]))
    model = lm.TrainedLM(lm.cache.run_job(lm.train, seed=lm.CONFIG.seeds[0], **dataclasses.asdict(lm.CONFIG)))
    c = np.vstack([model.trace(s)[0].c for s in heldout])
    split_r = results["trained"][0]["correlation_split"]["c"]
    np.testing.assert_allclose(split_r["select"], lm.correlations(c[:split], features[:split]), atol=1e-12)
    np.testing.assert_allclose(split_r["test"], lm.correlations(c[split:], features[split:]), atol=1e-12)


def test_best_unit_is_chosen_on_one_half_and_reported_on_the_other(trained):
    for feature in world.FEATURES:
        unit, reported = figures.best_unit(trained, feature)
        select = np.abs(figures.split_r(trained, feature, "select"))
        assert unit == int(np.argmax(select))
        assert reported == figures.split_r(trained, feature, "test")[unit]


# --- sampling with a temperature --------------------------------------------------------------------


def test_temperature_one_is_the_softmax_and_lower_sharpens():
    z = np.array([2.0, 1.0, -1.0])
    np.testing.assert_allclose(lm.tempered(z, 1.0), np.exp(z) / np.exp(z).sum())
    assert lm.tempered(z, 0.5)[0] > lm.tempered(z, 1.0)[0] > lm.tempered(z, 2.0)[0]
    np.testing.assert_allclose(lm.tempered(z, 0.5), np.exp(2 * z) / np.exp(2 * z).sum())
    with pytest.raises(ValueError, match="positive"):
        lm.tempered(z, 0.0)


def test_stepping_the_model_word_by_word_is_reading_the_sentence():
    model = lm.TrainedLM(lm.cache.run_job(lm.train, seed=lm.CONFIG.seeds[0], **dataclasses.asdict(lm.CONFIG)))
    tokens = world.tokenize(SENTENCE)
    _, probs = model.trace(tokens)
    h = c = None
    for t, word in enumerate(tokens):
        logits, h, c = model.step(word, h, c)
        np.testing.assert_allclose(lm.tempered(logits, 1.0), probs[t], atol=1e-12)


def test_samples_follow_the_stopping_rule_and_are_seeded():
    config = lm.CONFIG
    model = lm.TrainedLM(lm.cache.run_job(lm.train, seed=config.seeds[0], **dataclasses.asdict(config)))
    first = [lm.sample_sentence(model, np.random.default_rng(4), 1.0, config) for _ in range(3)]
    again = [lm.sample_sentence(model, np.random.default_rng(4), 1.0, config) for _ in range(3)]
    assert first == again
    for words in first:
        foods = sum(world.KINDS.get(w) == "FOOD" for w in words)
        assert words[0] == config.sample_first
        assert foods == config.sample_clauses or len(words) == config.sample_max_words


def test_the_samples_on_the_page_are_counted_right(results):
    for block in results["samples"]:
        assert len(block["shown"]) == lm.CONFIG.sample_shown
        assert block["shown_grammatical"] == [lm.is_grammatical(text.split()) for text in block["shown"]]
        assert 0 <= block["grammatical"] <= block["count"] == lm.CONFIG.sample_count
    assert [b["temperature"] for b in results["samples"]] == list(lm.CONFIG.sample_temperatures)
    assert lm.is_grammatical(world.tokenize(SENTENCE))
    assert not lm.is_grammatical(["in", "france", "mary", "ate", "pizza"])


# --- claims ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", figures.CLAIMS, ids=lambda claim: claim.name)
def test_every_claim_holds(claim):
    assert claim.sentence()


def test_the_forget_gate_claim_fails_when_forget_gates_are_mostly_open(monkeypatch):
    """If the trained forget gates were above 0.9 most of the time, the page's sentence would be false."""
    from lstm_explainer.claims import ClaimError

    flipped = [dict(t, saturation={**t["saturation"], "f": {**t["saturation"]["f"], "high": 0.8}})
               for t in figures.data()["trained"]]  # fmt: skip
    monkeypatch.setattr(figures, "trained_models", lambda: flipped)
    claim = next(c for c in figures.CLAIMS if c.name == "lm_claim_forget_not_mostly_open")
    with pytest.raises(ClaimError, match="lm_claim_forget_not_mostly_open"):
        claim.sentence()
