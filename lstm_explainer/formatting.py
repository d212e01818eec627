"""Numbers as the site's text shows them: one rule for each kind of number.

Every sentence, caption, alt text and figure label formats its numbers here, so the same
value reads the same everywhere:

* `fmt`: a value, with fixed decimals (2 unless asked), and ``0`` for anything that rounds to
  zero (never ``-0.00``): ``0.98``, ``-1.96``, ``0``;
* `compact`: a small vector entry, at most two decimals and no trailing zeros: ``1``, ``0.5``;
* `prob`: a probability, two decimals, ``<0.01`` for a small one, ``0`` only for exactly 0;
* `sci`: a ratio over many orders of magnitude, two decimals from 0.01 up, one-decimal
  scientific below: ``0.52``, ``8.6e-13``;
* `pct`: a share as a percentage, one decimal at most, never rounded up to ``100 %`` nor
  down to ``0 %``: ``99.9 %``, ``<0.1 %``;
* `count`: a count or a size, thousands separated, a power of ten from a million up:
  ``242,436``, ``1.5 × 10¹⁵``;
* `join`: words, ``a``, ``a and b``, ``a, b and c``;
* `spelled`: a small count in a sentence, as a word: ``two``, ``twelve``, ``13``.

>>> fmt(0.98765), fmt(-0.0004), fmt(2.5, 3)
('0.99', '0', '2.500')
>>> prob(0.004), prob(0.3149), sci(3e-13), pct(0.9996), count(242436)
('<0.01', '0.31', '3.0e-13', '99.9 %', '242,436')
"""

from __future__ import annotations

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def fmt(value: float, digits: int = 2) -> str:
    """A value with ``digits`` decimals; ``0`` when that rounds to zero (never ``-0.00``)."""
    text = f"{float(value):.{digits}f}"
    return "0" if float(text) == 0 else text


def compact(value: float) -> str:
    """A vector entry, compactly: ``1`` not ``1.00``, at most two decimals, never ``-0``."""
    value = round(float(value), 2)
    return f"{value + 0.0:g}"  # + 0.0 turns -0.0 into 0.0


def prob(p: float) -> str:
    """A probability with two decimals; ``<0.01`` for a small one (never a misleading ``0``)."""
    p = float(p)
    return "0" if p == 0 else "<0.01" if p < 0.005 else f"{p:.2f}"


def sci(value: float) -> str:
    """A ratio that may be tiny: ``0.52`` from 0.01 up, ``8.6e-13`` below, ``0`` for 0."""
    value = float(value)
    if value == 0:
        return "0"
    return f"{value:.2f}" if abs(value) >= 0.01 else f"{value:.1e}"


def pct(share: float) -> str:
    """A share in [0, 1] as a percentage: ``100 %``, ``99.4 %``, ``0 %``, ``<0.1 %``.

    One decimal at most; a share that is not exactly 1 never shows as ``100 %`` and one that
    is not exactly 0 never as ``0 %``.
    """
    value = 100 * float(share)
    text = f"{value:.1f}".removesuffix(".0")
    if text == "100" and value < 100:
        return "99.9 %"
    if text == "0" and value > 0:
        return "<0.1 %"
    return f"{text} %"


def count(value: float) -> str:
    """A count or size: ``84``, ``3.4``, ``242,436``, ``1.5 × 10¹⁵`` (a power of ten from 10⁶)."""
    value = float(value)
    if abs(value) >= 1e6:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value.is_integer():
        return f"{value:.0f}"
    return fmt(value, 1)


def join(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def spelled(value: int) -> str:
    """A count from 0 to 12 as a word (``no`` for 0), a larger one in digits: ``two``, ``13``."""
    value = int(value)
    return _WORDS[value] if 0 <= value < len(_WORDS) else count(value)
