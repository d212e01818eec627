"""Every weight of the hand-set France LSTM, each with the reason it has its value.

The model reads words through an embedding of named input features (`EMBEDDING`),
runs a ``torch.nn.LSTMCell``-shaped cell whose cell-state units have names
(`UNITS`), and guesses the next word with a linear readout and a softmax.

Two kinds of unit:

* **memory** units hold what the sentence has said so far, for as long as it matters:
  ``seen_france``, ``seen_italy``, ``seen_germany``, ``englishness`` (the setting),
  ``female``, ``male`` (the person in focus), ``people`` (a count), ``eating``;
* **expect** units hold, for a word or two, what kind of word comes next (a place, a
  person, a verb ...). They are what lets the readout guess grammatical words.

Every weight is a `Rule`: which block (``i``, ``f``, ``g``, ``o`` of the cell, or
``readout``), which row, which column, the value, and why. A gate's column is an input
feature (``weight_ih``), ``"bias"`` (``bias_ih``) or ``"h:<unit>"``, a unit of the previous
output $h_{t-1}$ (``weight_hh``). `rules` lists them all; the site shows them as a table.
Nothing is set anywhere else: every entry not named by a rule is 0.

The cell is recurrent where the story needs the previous output (`READS_PREVIOUS`): a
country is written only right after "in" (its input gate needs the country word AND a
previous output that expected a place), and "her", "his" and "the" announce a food only
right after a verb (the input gate of ``expect_food`` needs the word AND a previous output
that expected an object). Both are ANDs of the word and $h_{t-1}$: a bias of $-3S$, $+2S$
from the word and `RECUR` from the expect unit, whose output is `SHOWN` (about 0.76) when it
is shown, so that only both together reach $+S$.

The scale is `S` = 6: $\\sigma(6) = 0.9975$ and $\\tanh(6) = 0.99999$, so a gate whose
pre-activation is $+6$ is open, one at $-6$ is shut, and a candidate at $\\pm 6$ proposes
$\\pm 1$. A gate that must open on one word gets a bias of $-6$ and $+12$ from that word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

S = 6.0
"""A saturating pre-activation: sigmoid(6) = 0.9975, tanh(6) = 0.99999."""

FORGET_BIAS = S
"""The default forget-gate bias of the memory units: they keep 99.75 % of their value a step."""

VOTE = 8.0
"""Readout weight of an expect unit for the words it expects."""

SHOWN = float(1 / (1 + np.exp(-S)) * np.tanh(1 / (1 + np.exp(-S)) * np.tanh(S)))
"""The output $h = \\sigma(S) \\tanh(\\sigma(S) \\tanh(S)) \\approx 0.759$ of an expect unit the word
before wrote and showed: what a recurrent weight multiplies."""

RECUR = 16.0
"""Weight from a shown expect unit of $h_{t-1}$ into a gate: 16 x 0.759 = 12.1, about 2S, so
it counts as much as a word does."""

AND_BIAS = -3 * S
"""The bias of a gate that opens on a word AND a previous output: -18 + 12 (word) + 12.1
(h) = +6.1, open; -18 + 12 = -6 or -18 + 12.1 = -5.9 alone, shut."""

READS_PREVIOUS = (
    ("france", "i", "seen_france", "expect_place"),
    ("her", "i", "expect_food", "expect_object"),
    ("the", "i", "expect_food", "expect_object"),
)
"""Where the walkthrough says a gate reads the previous output: (word of the walkthrough
sentence, gate, unit, unit of $h_{t-1}$ it reads). The prose quotes these steps, and the tests
check that setting ``weight_hh`` to 0 changes each of these gates at its word by 0.5 or more."""


FOODS = {
    "france": ("croissant", "baguette", "cheese"),
    "italy": ("pizza", "pasta", "bruschetta"),
    "germany": ("sausage", "pretzel", "strudel"),
    "england": ("pie", "scones", "crumpets"),
}
"""Each country's foods, best guess first."""

FOOD_PREFERENCE = (3.0, 2.8, 2.6)
"""Readout weights from a country unit to its three foods: apart by 0.2 so the order is fixed."""

COUNTRIES = tuple(FOODS)
ALL_FOODS = tuple(food for foods in FOODS.values() for food in foods)

INPUTS = (
    "in", *COUNTRIES, "person", "female", "male",
    "ate", "did", "not", "like", "possessive", "the", "food", "but",
)  # fmt: skip
"""The input features: the columns of ``weight_ih``."""

EMBEDDING = {
    "in": ("in",),
    **{country: (country,) for country in COUNTRIES},
    "i": ("person",),
    "mary": ("person", "female"),
    "frank": ("person", "male"),
    "ate": ("ate",),
    "did": ("did",),
    "not": ("not",),
    "like": ("like",),
    "her": ("possessive", "female"),
    "his": ("possessive", "male"),
    "the": ("the",),
    "but": ("but",),
    **{food: ("food",) for food in ALL_FOODS},
    "wine": ("food",),
}
"""Each word of the vocabulary and the input features it switches on (to 1)."""

VOCAB = tuple(EMBEDDING)
"""The vocabulary, in the order of the readout's rows."""

COUNTRY_UNITS = {"seen_france": "france", "seen_italy": "italy", "seen_germany": "germany", "englishness": "england"}
EXPECT = {
    "expect_place": ("in",),
    "expect_subject": ("in", "but"),
    "expect_verb": ("person",),
    "expect_object": ("ate", "like"),
    "expect_food": ("possessive", "the"),
    "expect_not": ("did",),
    "expect_like": ("not",),
    "expect_but": ("food",),
}
"""Each expect unit and the input features that switch it on."""

UNITS = (*COUNTRY_UNITS, "female", "male", "people", "eating", *EXPECT)
"""The cell-state units (hidden size 16), in order."""

MEMORY_UNITS = UNITS[: -len(EXPECT)]

FOOD_CUES = ("ate", "like", "possessive", "the")
"""Input features after which a food (or her/his) may be the next word."""

EXPECTED_WORDS = {
    "expect_place": COUNTRIES,
    "expect_subject": ("i", "mary", "frank"),
    "expect_verb": ("ate", "did"),
    "expect_object": ("her", "his", "the", *ALL_FOODS),
    "expect_food": (*ALL_FOODS, "wine"),
    "expect_not": ("not",),
    "expect_like": ("like",),
    "expect_but": ("but",),
}
"""The words each expect unit votes for in the readout."""


@dataclass(frozen=True)
class Rule:
    """One weight: ``block`` is ``"i"``, ``"f"``, ``"g"``, ``"o"`` or ``"readout"``.

    For a gate, ``row`` is a unit and ``column`` an input feature (a column of
    ``weight_ih``), ``"bias"`` (``bias_ih``) or ``"h:<unit>"``, a unit of the previous output
    (a column of ``weight_hh``); for the readout, ``row`` is a word and ``column`` a unit.
    """

    block: str
    row: str
    column: str
    value: float
    why: str


def rules(forget_bias: float = FORGET_BIAS) -> list[Rule]:
    """All the weights of the model, with ``forget_bias`` on the memory units' forget gates."""
    out: list[Rule] = []

    def add(block, rows, columns, value, why):
        out.extend(Rule(block, row, column, float(value), why) for row in rows for column in columns)

    shut = "shut (-6) unless a word below opens it"
    keep = f"keep the memory: bias {forget_bias:g}"

    # The setting: one flag per country, and an Englishness unit that only England writes.
    for unit, country in COUNTRY_UNITS.items():
        add("i", [unit], ["bias"], AND_BIAS, "shut (-18) unless the word AND the previous output below open it")
        add("i", [unit], [country], 2 * S, f"'{country}' gives +12: not enough alone (-6)")
        add("i", [unit], ["h:expect_place"], RECUR,
            f"the previous output expected a place (h = 0.76 after 'in'): +12.1, so '{country}' right after 'in' "
            "opens it (+6.1)")  # fmt: skip
        add("g", [unit], [country], S, f"proposes +1: '{country}' was named")
        add("f", [unit], ["bias"], forget_bias, keep)
        add("o", [unit], ["bias"], -S, "hidden unless a food may come next")
        add("o", [unit], FOOD_CUES, 2 * S, "shown where a food may come next, to pick the country's food")
    others = [country for country in COUNTRIES if country != "england"]
    add("g", ["englishness"], others, -S, "another country proposes 'less English'; the shut input gate keeps it out")

    # The person in focus: every person word rewrites both gender units.
    for unit, feature in (("female", "female"), ("male", "male")):
        add("i", [unit], ["bias"], -S, shut)
        add("i", [unit], ["person"], 2 * S, "opens on every person word, to write that person's gender")
        add("g", [unit], [feature], S, f"proposes +1 for a {feature} person (0 for 'i')")
        add("f", [unit], ["bias"], forget_bias, keep)
        add("f", [unit], ["person"], -2 * S, "a new person erases the previous person's gender")
        add("o", [unit], ["bias"], -S, "hidden unless 'her' or 'his' may come next")
        add("o", [unit], ["ate", "like"], 2 * S, "shown after a verb, where 'her' or 'his' may follow")

    # The number of people: a count, not a flag.
    add("i", ["people"], ["bias"], -S, shut)
    add("i", ["people"], ["person"], 2 * S, "opens on every person word")
    add("g", ["people"], ["person"], S, "proposes +1: one more person")
    add("f", ["people"], ["bias"], forget_bias, keep)
    add("o", ["people"], ["bias"], -S, "always hidden: no word of the vocabulary depends on the count")

    # The eating context: set by 'ate', faded by 'but'.
    add("i", ["eating"], ["bias"], -S, shut)
    add("i", ["eating"], ["ate"], 2 * S, "opens on 'ate'")
    add("g", ["eating"], ["ate"], S, "proposes +1: we are eating")
    add("f", ["eating"], ["bias"], forget_bias, keep)
    add("f", ["eating"], ["but"], -2 * S, "'but' starts a new clause: the eating context is forgotten")
    add("o", ["eating"], ["bias"], -S, "hidden unless a food may come next")
    add("o", ["eating"], FOOD_CUES, 2 * S, "shown where a food may come next, to favour foods")

    # What comes next: each expect unit is written by its words and lasts one step ...
    for unit, triggers in EXPECT.items():
        if unit == "expect_food":  # a determiner announces a food only where an object is expected
            add("i", [unit], ["bias"], AND_BIAS, "shut (-18) unless the word AND the previous output below open it")
            add("i", [unit], triggers, 2 * S, "'her', 'his' or 'the' gives +12: not enough alone (-6)")
            add("i", [unit], ["h:expect_object"], RECUR,
                "the previous output expected an object (h = 0.76 after a verb): +12.1, so a determiner right "
                "after a verb opens it (+6.1)")  # fmt: skip
        else:
            add("i", [unit], ["bias"], -S, shut)
            add("i", [unit], triggers, 2 * S, "opens on the words that announce this kind of word")
        add("g", [unit], triggers, S, "proposes +1 on those words")
        add("f", [unit], ["bias"], -S, "lasts one word: erased at the next")
        if unit != "expect_subject":
            add("o", [unit], ["bias"], S, "shown at once")
    # ... except the subject, which 'in' plans ahead: it waits, hidden, while the place is read.
    add("f", ["expect_subject"], COUNTRIES, 2 * S, "kept while the place after 'in' is read")
    add("o", ["expect_subject"], ["bias"], -S, "hidden after 'in': the place comes first")
    add("o", ["expect_subject"], [*COUNTRIES, "but"], 2 * S, "shown once the place is read, or at 'but'")

    # The readout: expect units vote for their words; memory units pick among them.
    for unit, words in EXPECTED_WORDS.items():
        add("readout", words, [unit], VOTE, f"{unit} votes for these words")
    for unit, country in COUNTRY_UNITS.items():
        for food, weight in zip(FOODS[country], FOOD_PREFERENCE):
            add("readout", [food], [unit], weight, f"a food of {country.title()}")
    add("readout", ["wine"], ["seen_france"], 3.5, "French wine: above the foods when nobody is eating")
    add("readout", ["her"], ["female"], VOTE, "a female person: 'her' beats any food")
    add("readout", ["his"], ["male"], VOTE, "a male person: 'his' beats any food")
    add("readout", ALL_FOODS, ["eating"], 2.0, "while eating, foods beat wine")
    return out


RECURRENT_PREFIX = "h:"
"""A gate rule's column ``"h:<unit>"`` names a unit of the previous output $h_{t-1}$."""


def gate_row(block: str, unit: str) -> int:
    """The row of ``weight_ih`` and ``bias_ih`` for gate ``block`` of ``unit`` (order i, f, g, o)."""
    return "ifgo".index(block) * len(UNITS) + UNITS.index(unit)


def matrices(forget_bias: float = FORGET_BIAS) -> dict[str, np.ndarray]:
    """The rules as arrays: ``embedding`` (V x D), ``weight_ih`` (4H x D), ``bias_ih`` (4H),
    ``weight_hh`` (4H x H: the rules whose column is ``"h:<unit>"``) and ``readout`` (V x H).

    Examples
    --------
    >>> m = matrices()
    >>> {name: array.shape for name, array in m.items()}
    {'embedding': (29, 16), 'weight_ih': (64, 16), 'bias_ih': (64,), 'weight_hh': (64, 16), 'readout': (29, 16)}
    """
    H = len(UNITS)
    embedding = np.zeros((len(VOCAB), len(INPUTS)))
    for w, word in enumerate(VOCAB):
        for feature in EMBEDDING[word]:
            embedding[w, INPUTS.index(feature)] = 1.0
    weight_ih = np.zeros((4 * H, len(INPUTS)))
    bias_ih = np.zeros(4 * H)
    weight_hh = np.zeros((4 * H, H))
    readout = np.zeros((len(VOCAB), H))
    for rule in rules(forget_bias):
        if rule.block == "readout":
            readout[VOCAB.index(rule.row), UNITS.index(rule.column)] = rule.value
            continue
        row = gate_row(rule.block, rule.row)
        if rule.column == "bias":
            bias_ih[row] = rule.value
        elif rule.column.startswith(RECURRENT_PREFIX):
            weight_hh[row, UNITS.index(rule.column.removeprefix(RECURRENT_PREFIX))] = rule.value
        else:
            weight_ih[row, INPUTS.index(rule.column)] = rule.value
    return {
        "embedding": embedding,
        "weight_ih": weight_ih,
        "bias_ih": bias_ih,
        "weight_hh": weight_hh,
        "readout": readout,
    }
