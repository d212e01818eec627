"""The grammar of the France example's world: its words, its rules, its ground truth."""

import functools

import numpy as np
import pytest

from lstm_explainer import france_weights as weights
from lstm_explainer.checks import InputError
from lstm_explainer.experiments import world
from lstm_explainer.france import SENTENCE

@functools.cache
def sample() -> list:
    """600 sentences of the grammar, generated on first use (not at import)."""
    return world.generate(600, seed=7)


@pytest.fixture(scope="module")
def annotated():
    return [world.annotate(sentence) for sentence in sample()]


def truth_by_rule(tokens) -> np.ndarray:
    """The features written out again from the words alone, without the grammar's automaton."""
    rows = []
    for t in range(len(tokens)):
        read = tokens[: t + 1]
        people = [w for w in read if w in world.PEOPLE]
        clause = read[len(read) - read[::-1].index("but") :] if "but" in read else read
        rows.append([
            *(int(country in read) for country in weights.COUNTRIES),
            int(bool(people) and people[-1] == "mary"),
            int(bool(people) and people[-1] == "frank"),
            len(people),
            int("ate" in clause),
        ])  # fmt: skip
    return np.array(rows, dtype=float)


def test_the_walkthrough_is_a_sentence_of_the_grammar():
    walk = world.annotate(SENTENCE)
    assert walk.tokens == tuple("in france mary ate her croissant but frank did not like the wine".split())
    assert walk.probability > 0
    assert " ".join(world.structure(SENTENCE)) == "in COUNTRY PERSON ate POSSESSIVE FOOD but PERSON did not like the FOOD"


def test_the_walkthrough_ground_truth():
    walk = world.annotate(SENTENCE)
    assert walk.truth("in") == dict.fromkeys(world.FEATURES, 0)
    assert walk.truth("france")["seen_france"] == 1
    assert walk.truth("mary") == {**walk.truth("france"), "female": 1, "people": 1}
    assert walk.truth("ate")["eating"] == 1
    assert walk.truth("but")["eating"] == 0 and walk.truth("but")["female"] == 1
    assert {k: walk.truth("frank")[k] for k in ("female", "male", "people")} == {"female": 0, "male": 1, "people": 2}
    last = dict(zip(world.FEATURES, walk.features[-1]))
    assert last == {**dict.fromkeys(world.FEATURES, 0), "seen_france": 1, "male": 1, "people": 2}


def test_the_grammar_makes_sentences_shaped_like_the_walkthrough():
    shape = world.structure(SENTENCE)
    assert any(world.structure(s) == shape for s in sample())


def test_same_seed_same_sentences_other_seed_others():
    assert world.generate(50, seed=7) == sample()[:50]
    assert world.generate(50, seed=8) != sample()[:50]


def test_only_words_of_the_vocabulary():
    used = {word for sentence in sample() for word in sentence}
    assert used <= set(weights.VOCAB)
    assert len(used) >= 25  # nearly every word is used: the corpus covers the vocabulary


def test_every_generated_sentence_parses(annotated):
    assert all(a.tokens == s for a, s in zip(annotated, sample()))
    assert all(a.probability > 0 for a in annotated)


def test_ground_truth_agrees_with_the_words(annotated):
    for a in annotated:
        np.testing.assert_array_equal(a.features, truth_by_rule(a.tokens))


def test_next_word_distributions_are_distributions(annotated):
    for a in annotated:
        sums = a.next_probs.sum(1)
        np.testing.assert_allclose(sums[:-1], 1.0)
        assert sums[-1] in (0.0, pytest.approx(1.0))  # may stop, or must
        actual = [weights.VOCAB.index(w) for w in a.tokens[1:]]
        assert (a.next_probs[np.arange(len(actual)), actual] > 0).all()
        assert a.end[-1] > 0


def test_the_rules_of_the_world():
    for sentence in sample():
        people = [w for w in sentence if w in world.PEOPLE]
        assert len(people) == len(set(people)) == sentence.count("but") + 1
        country = sentence[1] if sentence[0] == "in" else None
        subject = None
        for t, word in enumerate(sentence):
            subject = word if word in world.PEOPLE else subject
            if word in ("her", "his"):
                assert world.POSSESSIVE[world.PEOPLE[subject]] == word
            if word in weights.ALL_FOODS and country:
                assert word in weights.FOODS[country]
            if word == "wine":
                assert country == "france" and "like" in sentence[:t]


def test_every_kind_of_sentence_appears():
    starts = {s[0] for s in sample()}
    assert starts == {"in", "i", "mary", "frank"}
    assert {len([w for w in s if w in world.PEOPLE]) for s in sample()} == {1, 2, 3}
    assert any("wine" in s for s in sample()) and any("his" in s for s in sample())


@pytest.mark.parametrize(
    "sentence, message",
    [
        ("In France, Mary ate her croissant but Mary ate pizza", "does not allow 'mary'"),
        ("In France, I ate her croissant", "does not allow 'her'"),
        ("In France, Mary ate her pizza", "does not allow 'pizza'"),
        ("In Italy, Mary ate the wine", "does not allow 'wine'"),
        ("France in", "does not allow 'france'"),
        ("In France, Mary ate", "stops too early"),
        ("In Paris, Mary ate", "unknown word 'paris'"),
        (42, "must be text"),
    ],
)
def test_bad_sentences_are_refused_in_one_sentence(sentence, message):
    with pytest.raises(InputError, match=message) as error:
        world.annotate(sentence)
    assert str(error.value).count(".") <= 2 or "vocabulary" in str(error.value)


def test_a_prefix_may_stop_anywhere():
    a = world.annotate("In France, Mary ate", prefix=True)
    assert dict(a.guesses("ate", k=2)) == {"her": pytest.approx(1 / 3), "the": pytest.approx(1 / 3)}


@pytest.mark.parametrize("count, seed", [(0, 1), (-3, 1), (2.5, 1), (True, 1), (3, "x")])
def test_generate_refuses_bad_arguments(count, seed):
    with pytest.raises(InputError):
        world.generate(count, seed)
