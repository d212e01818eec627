"""Claims: sentences that summarise a measured result, each with the condition that makes it true.

A page may say "the GRU solved more seeds than the LSTM" only if the numbers say so, now and
after any change. Such a sentence is a `Claim`: its text, the numbers it rests on (computed
when asked), and the condition on those numbers that it asserts. A page places it like a
number, ``{{ claim_name }}``; placing it evaluates the condition, and a claim that no longer
holds raises `ClaimError`, which stops the site's build with the claim, its condition and its
values. The page "How this site is built" lists every claim with its current values, so every
build checks them all, placed or not.

A module offers its claims as ``CLAIMS: tuple[Claim, ...]`` beside its ``NUMBERS``, every
name written out; `lstm_explainer.sitegen.pages.claims` collects them.

A "clear difference" between two counts of solved runs comes with Fisher's exact test
(`fisher_p`, two-sided, from SciPy), the usual test for a 2 x 2 table of small counts.

>>> claim = Claim(
...     "demo_more_solved",
...     "The GRU solved {gru} of {seeds} seeds, the LSTM {lstm}.",
...     "gru > lstm",
...     values=lambda: {"gru": 9, "lstm": 4, "seeds": 10},
...     holds=lambda v: v["gru"] > v["lstm"],
... )
>>> claim.sentence()
'The GRU solved 9 of 10 seeds, the LSTM 4.'
>>> round(fisher_p(9, 10, 4, 10), 3)
0.057
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from .formatting import count, fmt

Values = Mapping[str, object]


class ClaimError(ValueError):
    """A claim that its own numbers no longer support (the message names it, its condition
    and its values)."""


def shown(value: object) -> str:
    """A value as a claim's text shows it by default: counts as counts, floats with two
    decimals (`lstm_explainer.formatting`), text as it is."""
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        return count(value)
    return fmt(value)


@dataclass(frozen=True)
class Claim:
    """One summary sentence and the condition on measured numbers that makes it true.

    * ``name``: the placeholder name (lower case, written out where the claim is defined);
    * ``text``: the sentence as the page says it, a `str.format` template whose fields are
      keys of the values (shown by `shown`, or by ``formats[key]`` where given);
    * ``condition``: the condition in words or as an expression, as "How this site is built"
      lists it, e.g. ``"p < 0.05 (Fisher's exact test)"``;
    * ``values``: a function returning the numbers the claim rests on, by name (computed only
      when the claim is placed or listed);
    * ``holds``: a function of those values, true when the sentence is true;
    * ``formats``: key -> function turning that value into the text's string.
    """

    name: str
    text: str
    condition: str
    values: Callable[[], Values]
    holds: Callable[[Values], bool]
    formats: Mapping[str, Callable[[object], str]] = field(default_factory=dict)

    def evaluate(self) -> tuple[Values, bool]:
        """The claim's values and whether its condition holds for them."""
        values = self.values()
        return values, bool(self.holds(values))

    def shown_values(self, values: Values) -> dict[str, str]:
        """Each value as the text shows it."""
        return {key: self.formats.get(key, shown)(value) for key, value in values.items()}

    def sentence(self) -> str:
        """The text with its values filled in; `ClaimError` if the condition does not hold."""
        values, holds = self.evaluate()
        strings = self.shown_values(values)
        if not holds:
            listed = ", ".join(f"{key} = {text}" for key, text in strings.items())
            raise ClaimError(
                f"claim {self.name!r} no longer holds: it asserts {self.condition}, but {listed}; "
                f"change the sentence or the condition in the module that defines it."
            )
        return self.text.format(**strings)


def fisher_p(successes_a: int, runs_a: int, successes_b: int, runs_b: int) -> float:
    """Two-sided p-value of Fisher's exact test that two success rates differ.

    The 2 x 2 table is [[successes_a, runs_a - successes_a], [successes_b, runs_b -
    successes_b]] (e.g. seeds solved and not solved by two models); the counts are integers
    with ``0 <= successes <= runs``, else `ValueError`. Follows ``scipy.stats.fisher_exact``.
    """
    for successes, runs in ((successes_a, runs_a), (successes_b, runs_b)):
        if not 0 <= successes <= runs:
            raise ValueError(f"a count of successes must lie between 0 and its runs; got {successes} of {runs}.")
    from scipy.stats import fisher_exact

    table = [[successes_a, runs_a - successes_a], [successes_b, runs_b - successes_b]]
    return float(fisher_exact(table, alternative="two-sided").pvalue)
