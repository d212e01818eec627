"""Seeded sampling that a browser can repeat exactly: the mulberry32 generator and inverse-CDF draws.

The site's character model samples text on the page (in JavaScript) and in the package (here);
for the same seed and temperature both must pick the same characters. So the random numbers
come from mulberry32 (Tommy Ettinger's 32-bit generator, public domain), whose JavaScript is
four lines of 32-bit integer arithmetic::

    function mulberry32(seed) {
      let a = seed >>> 0;
      return function () {
        let t = (a = (a + 0x6D2B79F5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

`Mulberry32.random` is the same arithmetic on Python integers kept to 32 bits, so both yield the
same floats in [0, 1) (multiples of 2^-32, exact in float64).

A draw (`choose`) from probabilities ``p`` (float64, summing to about 1) takes one number ``u``
and returns the first index ``k`` with ``p[0] + ... + p[k] > u``, summing left to right in
float64 (the last index with ``p > 0`` if rounding leaves the total at or below ``u``).
`softmax` turns logits into such probabilities at a temperature ``T``:
``p_k = exp((z_k - max z) / T) / sum_j exp((z_j - max z) / T)``, in float64. A page that
computes its probabilities with the same float64 operations picks the same characters; a
difference in the last bit of a probability changes a draw only if ``u`` falls within that
bit of a boundary.

>>> rng = Mulberry32(42)
>>> [rng.random() for _ in range(3)]
[0.6011037519201636, 0.44829055899754167, 0.8524657934904099]
>>> choose([0.25, 0.5, 0.25], 0.6011037519201636), choose([0.25, 0.5, 0.25], 0.1)
(1, 0)
"""

from __future__ import annotations

import numpy as np

from .checks import InputError

_MASK = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    """``Math.imul``: the low 32 bits of the product, as an unsigned integer."""
    return (a * b) & _MASK


class Mulberry32:
    """The mulberry32 generator: 32 bits of state, one float in [0, 1) per call of `random`.

    ``seed`` is an integer in [0, 2^32), else `InputError`.
    """

    def __init__(self, seed: int):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= _MASK:
            raise InputError(f"the seed must be a whole number from 0 to {_MASK}; got {seed!r}.")
        self.state = int(seed)

    def random(self) -> float:
        """The next number in [0, 1): a multiple of 2^-32."""
        self.state = (self.state + 0x6D2B79F5) & _MASK
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        # t ^= t + imul(...): JavaScript adds as doubles, then ^ keeps the low 32 bits
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & _MASK
        return ((t ^ (t >> 14)) & _MASK) / 4294967296


def softmax(logits, temperature: float) -> np.ndarray:
    """Probabilities ``exp((z - max z) / T) / sum(...)`` in float64; `InputError` unless ``T > 0``."""
    if not (isinstance(temperature, (int, float)) and np.isfinite(temperature) and temperature > 0):
        raise InputError(f"the temperature must be a positive number; got {temperature!r}.")
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp((z - z.max()) / float(temperature))
    return e / e.sum()


def choose(probabilities, u: float) -> int:
    """The first index whose running total (float64, left to right) exceeds ``u`` in [0, 1)."""
    total = 0.0
    last = 0
    for k, p in enumerate(np.asarray(probabilities, dtype=np.float64).tolist()):
        total += p
        if p > 0:
            last = k
        if total > u:
            return k
    return last
