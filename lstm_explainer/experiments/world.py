"""The world of the France example as a grammar: sentences in the hand-set LSTM's vocabulary,
with what is true after every word.

A sentence is set in a country (or nowhere), names one to three people, and says what each
of them ate or did not like::

    sentence := [in COUNTRY] clause (but clause)*
    clause   := PERSON ate OBJECT | PERSON did not like OBJECT
    OBJECT   := [her | his | the] FOOD

and the world has rules: each clause names a new person (so at most three clauses: I, Mary,
Frank); "her" is Mary's and "his" is Frank's (nobody here says "I ate her croissant"); a
food comes from the country the sentence is set in (any country's, if none); wine is French,
and is liked or not, never eaten. Every word is one of `lstm_explainer.france_weights.VOCAB`.

The grammar is a probabilistic automaton: `next_words` gives the distribution of the word
after a `State`, `advance` reads one word. `generate` samples sentences from it, and
`annotate` follows it along a given sentence and returns, after every word, the ground
truth (`FEATURES`, the same facts the hand-set model keeps in its named units) and the true
distribution of the next word: the best any language model of this world can do.

Examples
--------
>>> walk = annotate("In France, Mary ate her croissant but Frank did not like the wine.")
>>> walk.truth("mary")
{'seen_france': 1, 'seen_italy': 0, 'seen_germany': 0, 'seen_england': 0, 'female': 1, 'male': 0, 'people': 1, 'eating': 0}
>>> walk.truth("frank")["people"], walk.truth("frank")["female"], walk.truth("but")["eating"]
(2, 0, 0)
>>> [(w, round(p, 3)) for w, p in walk.guesses("ate")]
[('her', 0.333), ('the', 0.333), ('croissant', 0.111), ('baguette', 0.111), ('cheese', 0.111)]
>>> [" ".join(words) for words in generate(2, seed=0)]
['i did not like croissant but frank ate the pretzel', 'in italy frank did not like bruschetta']
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, replace

import numpy as np

from .. import france_weights as weights
from ..checks import InputError
from ..france import FranceLSTM

VOCAB = weights.VOCAB
COUNTRIES = weights.COUNTRIES
FOODS = weights.FOODS
ALL_FOODS = weights.ALL_FOODS
WINE = "wine"

PEOPLE = {"i": None, "mary": "female", "frank": "male"}
"""The people of the world and their gender (none for the speaker)."""

POSSESSIVE = {"female": "her", "male": "his"}

END = "<end>"
"""Not a word: where `next_words` allows it, the sentence may stop."""

P_PLACE = 0.8
"""How often a sentence starts by saying where it is set ("In France, ...")."""
P_ATE = 0.5
"""How often a clause is "... ate ..." rather than "... did not like ..."."""
P_BUT = 0.5
"""How often a sentence goes on with "but" after a clause, while someone is left to name."""
P_WINE = 0.25
"""How often what is not liked in France is the wine."""

FEATURES = ("seen_france", "seen_italy", "seen_germany", "seen_england", "female", "male", "people", "eating")
"""The ground truth after each word: a country has been named (one flag each); the person in
focus (the last one named) is female, or male; how many people have been named; the current
clause is about eating (its verb "ate" has been read)."""

HANDSET_UNIT = {
    "seen_france": "seen_france", "seen_italy": "seen_italy", "seen_germany": "seen_germany",
    "seen_england": "englishness", "female": "female", "male": "male", "people": "people", "eating": "eating",
}  # fmt: skip
"""The hand-set model's named unit that keeps each feature."""

KINDS = {
    **{country: "COUNTRY" for country in COUNTRIES},
    **{person: "PERSON" for person in PEOPLE},
    **{word: "POSSESSIVE" for word in POSSESSIVE.values()},
    **{food: "FOOD" for food in (*ALL_FOODS, WINE)},
}
"""The grammar's word classes; a word not listed is its own class ("in", "ate", "but", ...)."""


@dataclass(frozen=True)
class State:
    """Where a sentence is: what kind of word comes next, and what has been said.

    ``expect`` is one of ``start``, ``country``, ``person``, ``verb``, ``not``, ``like``,
    ``object``, ``food``, ``more``; ``verb`` is the current clause's verb once read
    (``"ate"`` or ``"like"``).
    """

    expect: str = "start"
    country: str | None = None
    named: tuple[str, ...] = ()
    verb: str | None = None

    def features(self) -> tuple[int, ...]:
        """The values of `FEATURES` in this state."""
        focus = PEOPLE[self.named[-1]] if self.named else None
        seen = tuple(int(self.country == country) for country in COUNTRIES)
        return (*seen, int(focus == "female"), int(focus == "male"), len(self.named), int(self.verb == "ate"))


def _foods(state: State) -> dict[str, float]:
    """The distribution of a food: the setting's own foods (any food if none), wine when France is not liked."""
    foods = FOODS[state.country] if state.country else ALL_FOODS
    wine = P_WINE if state.verb == "like" and state.country == "france" else 0.0
    return {**{food: (1 - wine) / len(foods) for food in foods}, **({WINE: wine} if wine else {})}


def next_words(state: State) -> dict[str, float]:
    """The distribution of the next word after ``state`` (with `END` where the sentence may stop).

    Examples
    --------
    >>> {word: round(p, 3) for word, p in next_words(State()).items()}
    {'in': 0.8, 'i': 0.067, 'mary': 0.067, 'frank': 0.067}
    """
    kind = state.expect
    if kind == "start":
        return {"in": P_PLACE, **{person: (1 - P_PLACE) / len(PEOPLE) for person in PEOPLE}}
    if kind == "country":
        return {country: 1 / len(COUNTRIES) for country in COUNTRIES}
    if kind == "person":
        left = [person for person in PEOPLE if person not in state.named]
        return {person: 1 / len(left) for person in left}
    if kind == "verb":
        return {"ate": P_ATE, "did": 1 - P_ATE}
    if kind in ("not", "like"):
        return {kind: 1.0}
    if kind == "object":
        owner = PEOPLE[state.named[-1]]
        openers = ([POSSESSIVE[owner]] if owner else []) + ["the"]
        share = 1 / (len(openers) + 1)  # each opener, and a bare food, equally likely
        return {**{word: share for word in openers}, **{w: share * p for w, p in _foods(state).items()}}
    if kind == "food":
        return _foods(state)
    if kind == "more":
        return {"but": P_BUT, END: 1 - P_BUT} if len(state.named) < len(PEOPLE) else {END: 1.0}
    raise ValueError(f"unknown state {kind!r}")


def advance(state: State, word: str) -> State:
    """The state after reading ``word``; `InputError` if the grammar does not allow it there."""
    allowed = next_words(state)
    if allowed.get(word, 0.0) <= 0.0:
        words = [w for w in allowed if w != END]
        raise InputError(f"the grammar does not allow {word!r} here; it allows: {', '.join(words) or 'the end'}.")
    kind = KINDS.get(word, word)
    if kind == "in":
        return replace(state, expect="country")
    if kind == "COUNTRY":
        return replace(state, expect="person", country=word)
    if kind == "PERSON":
        return replace(state, expect="verb", named=(*state.named, word))
    if word == "did":
        return replace(state, expect="not")
    if word == "not":
        return replace(state, expect="like")
    if word in ("ate", "like"):
        return replace(state, expect="object", verb=word)
    if kind in ("POSSESSIVE", "the"):
        return replace(state, expect="food")
    if kind == "FOOD":
        return replace(state, expect="more")
    # "but": a new clause, about someone new; what was eaten belongs to the last one
    return replace(state, expect="person", verb=None)


@dataclass(frozen=True)
class Annotated:
    """A sentence of the grammar and what is true after each of its words.

    ``features[t]`` holds `FEATURES` after ``tokens[t]``; ``next_probs[t]`` is the true
    distribution over `VOCAB` of the word after ``tokens[t]``, given that there is one
    (all zeros where the sentence must stop); ``end[t]`` is the probability that it stops
    there; ``probability`` is the probability of the whole sentence.
    """

    tokens: tuple[str, ...]
    features: np.ndarray
    next_probs: np.ndarray
    end: np.ndarray
    probability: float

    def truth(self, token: str) -> dict[str, int]:
        """The features after the first ``token``, by name."""
        row = self.features[self.tokens.index(token)]
        return {name: int(value) for name, value in zip(FEATURES, row)}

    def guesses(self, token: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` likeliest words after the first ``token``, by the grammar (ties in vocabulary order)."""
        probs = self.next_probs[self.tokens.index(token)]
        order = np.argsort(-probs, kind="stable")[:k]
        return [(VOCAB[w], float(probs[w])) for w in order if probs[w] > 0]


@functools.cache
def _reader() -> FranceLSTM:
    return FranceLSTM()


def tokenize(sentence) -> tuple[str, ...]:
    """A sentence as text (tokenized like the hand-set model does) or as a sequence of words."""
    if isinstance(sentence, (list, tuple)) and all(isinstance(word, str) for word in sentence):
        sentence = " ".join(sentence)
    elif not isinstance(sentence, str):
        raise InputError(f"a sentence must be text or a list of words; got {type(sentence).__name__}.")
    return tuple(_reader().tokenize(sentence))


def annotate(sentence, prefix: bool = False) -> Annotated:
    """Follow the grammar along a whole sentence; `InputError` if it is not one of the grammar's.

    With ``prefix`` the words need only begin a sentence of the grammar (``probability`` is
    then that of the prefix).
    """
    tokens = tokenize(sentence)
    state, probability = State(), 1.0
    features, next_probs, end = [], [], []
    for word in tokens:
        probability *= next_words(state).get(word, 0.0)
        state = advance(state, word)
        after = next_words(state)
        # p(w | prefix, the sentence goes on) = p(w | prefix) / (1 - p(end | prefix))
        going_on = 1.0 - after.get(END, 0.0)
        row = np.zeros(len(VOCAB))
        for w, p in after.items():
            if w != END:
                row[VOCAB.index(w)] = p / going_on
        features.append(state.features())
        next_probs.append(row)
        end.append(after.get(END, 0.0))
    if end[-1] == 0.0 and not prefix:
        words = ", ".join(next_words(state))
        raise InputError(f"the sentence stops too early, after {tokens[-1]!r}; the grammar expects one of: {words}.")
    return Annotated(
        tokens=tokens,
        features=np.array(features, dtype=float),
        next_probs=np.array(next_probs),
        end=np.array(end),
        probability=probability if prefix else probability * end[-1],
    )


def sample_word(distribution: dict[str, float], rng: random.Random) -> str:
    """One word of ``distribution`` (in its insertion order, so a seed gives the same word everywhere)."""
    u, total = rng.random(), 0.0
    for word, p in distribution.items():
        total += p
        if u < total:
            return word
    return word  # u within rounding of 1: the last word


def generate(count: int, seed: int) -> list[tuple[str, ...]]:
    """``count`` sentences sampled from the grammar; the same seed gives the same sentences."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InputError(f"count must be a positive whole number of sentences; got {count!r}.")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InputError(f"seed must be a whole number; got {seed!r}.")
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        state, words = State(), []
        while True:
            word = sample_word(next_words(state), rng)
            if word == END:
                break
            words.append(word)
            state = advance(state, word)
        sentences.append(tuple(words))
    return sentences


def structure(sentence) -> tuple[str, ...]:
    """The sentence with each word replaced by its class in `KINDS`.

    Examples
    --------
    >>> " ".join(structure("In Italy, I ate pasta"))
    'in COUNTRY PERSON ate FOOD'
    """
    return tuple(KINDS.get(word, word) for word in tokenize(sentence))
