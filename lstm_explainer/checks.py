"""Input checks shared by the cells and the worked examples.

Every check raises `InputError` (a ``ValueError``) with one sentence that says what
is wrong and what is allowed, so that the command line can print it as a single line.
"""

from __future__ import annotations

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


class InputError(ValueError):
    """Bad input from a user or a caller: the message is one sentence, fit to show as is."""


def float_array(name: str, value, shape: tuple, dtype=None) -> np.ndarray:
    """Return a copy of ``value`` as a finite float array of ``shape``, or raise `InputError`.

    ``shape`` holds ints, or ``None`` for "any length". With ``dtype`` given the array is
    converted to it; without, it must already be float32 or float64.
    """
    try:
        array = np.asarray(value)
    except ValueError:  # ragged nested lists
        raise InputError(f"{name} must be a rectangular array of real numbers; its rows differ in length.") from None
    if array.dtype.kind not in "fiub":
        raise InputError(f"{name} must hold real numbers; got an array of {array.dtype}.")
    if dtype is None:
        if array.dtype not in FLOAT_DTYPES:
            raise InputError(f"{name} must be float32 or float64; got {array.dtype}.")
    else:
        with np.errstate(over="ignore"):  # too large for dtype: becomes inf, reported below
            array = array.astype(dtype, copy=False)
    wanted = "(" + ", ".join("T" if n is None else str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
    if array.ndim != len(shape) or any(n is not None and n != m for n, m in zip(shape, array.shape)):
        raise InputError(f"{name} must have shape {wanted}; got {tuple(array.shape)}.")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name} must be finite; it holds NaN, infinity or a value too large for {array.dtype}.")
    return np.array(array, order="C")  # a copy of our own: later changes to value do not reach it
