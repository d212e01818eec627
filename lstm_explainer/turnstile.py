r"""The two-coin turnstile: a plain machine, the explainer's counter RNN, and a whole ReLU RNN.

The turnstile wants two coins before it lets one person walk through. Inputs are one-hot:
``coin`` = [1, 0] and ``push`` = [0, 1].

* `TRANSITIONS` is the machine itself, in plain Python: the reference for everything
  else here (and what the site's machine diagram is drawn from).
* `counter_cell` is the explainer's first step: memory $h = [\text{coins},
  \text{walked}]$ and $h_{t} = \max(0, W_{hh} h_{t-1} + W_{x} x_t)$ with
  $W_{hh} = W_x = I$. It counts, and nothing more: it never relocks.
* `turnstile_cell` is the whole machine as a hand-set ReLU RNN (five units, with
  biases), and `READOUT` reads coins, passes and walk out of its hidden state
  linearly. ``tests/test_turnstile.py`` checks it against the machine on every input
  sequence up to length 12 and on long random ones.

Examples
--------
>>> [step["h"] for step in run(["coin", "coin"], counter=True)]
[[1.0, 0.0], [2.0, 0.0]]
>>> [(s["coins"], s["passes"], s["walk"]) for s in run(["coin", "coin", "coin", "push", "push"])]
[(1, 0, False), (2, 0, False), (2, 0, False), (0, 1, True), (0, 1, False)]
"""

from __future__ import annotations

import numpy as np

from .cells import RNNCell
from .checks import InputError

INPUTS = {"coin": (1.0, 0.0), "push": (0.0, 1.0)}
"""One-hot input vectors, in the order of the input units."""

TRANSITIONS = {
    # (coins before, input): (coins after, walk)
    (0, "coin"): (1, False),
    (1, "coin"): (2, False),
    (2, "coin"): (2, False),  # a third coin is refused: nothing changes
    (0, "push"): (0, False),  # blocked
    (1, "push"): (1, False),  # blocked
    (2, "push"): (0, True),  # one person walks; the turnstile locks again
}
"""The machine: its states are the coins inserted (0, 1, 2); passes count the walks."""


def machine_run(inputs) -> list[tuple[int, int, bool]]:
    """The reference machine: ``(coins, passes, walk)`` after each input."""
    coins, passes, out = 0, 0, []
    for symbol in check_inputs(inputs):
        coins, walk = TRANSITIONS[coins, symbol]
        passes += walk
        out.append((coins, passes, walk))
    return out


def check_inputs(inputs) -> list[str]:
    """The inputs as a list, or `InputError` naming every one that is not allowed at once."""
    inputs = [str(symbol).lower() for symbol in inputs]
    if not inputs:
        raise InputError("the input sequence is empty; give one or more of: coin, push.")
    unknown = list(dict.fromkeys(symbol for symbol in inputs if symbol not in INPUTS))
    if len(unknown) == 1:
        raise InputError(f"unknown turnstile input {unknown[0]!r}; the inputs are: coin, push.")
    if unknown:
        named = ", ".join(repr(symbol) for symbol in unknown)
        raise InputError(f"{len(unknown)} unknown turnstile inputs: {named}; the inputs are: coin, push.")
    return inputs


def encode(inputs, dtype=np.float64) -> np.ndarray:
    """The one-hot input rows, shape ``(T, 2)``."""
    return np.array([INPUTS[symbol] for symbol in check_inputs(inputs)], dtype=dtype)


def counter_cell(dtype=np.float64) -> RNNCell:
    r"""The explainer's counter: $h_t = \max(0, I h_{t-1} + I x_t)$, no bias.

    Unit 0 counts coins, unit 1 counts pushes ("times walked through").

    Examples
    --------
    >>> cell = counter_cell()
    >>> cell.run(encode(["coin"]), h0=[1.0, 0.0]).h[0].tolist()
    [2.0, 0.0]
    """
    eye = np.eye(2, dtype=dtype)
    return RNNCell(weight_ih=eye, weight_hh=eye, nonlinearity="relu")


UNITS = ("one_coin_new", "one_coin_kept", "two_coins", "walk", "passes_before")
"""The hidden units of `turnstile_cell`.

* ``one_coin_new``: 1 when this step's coin was the first;
* ``one_coin_kept``: 1 when the turnstile held one coin and a push was blocked;
* ``two_coins``: 1 while two coins are in;
* ``walk``: 1 when this step's push let someone through;
* ``passes_before``: the walks before this step (it lags ``walk`` by one step).

With one coin in, exactly one of the first two units is 1: their sum is "one coin".
Zero coins is the state where the first three units are all 0, so ``h0 = 0`` is the
machine's start.
"""

# Rows: the units above. Columns of W_HH: the same units at t-1; of W_IH: coin, push.
# Three units are an AND of a condition on h_{t-1} and one input, made with a ReLU:
# relu(a + b - 1) is 1 only when a = b = 1 (both are 0 or 1 here). one_coin_new is
# "a coin AND NOT one or two coins in"; passes_before is a running sum.
W_HH = [
    # one_coin_new = relu(coin - one_coin - two_coins): a coin with no coin in
    [-1, -1, -1, 0, 0],
    # one_coin_kept = relu(one_coin + push - 1): a push with one coin is blocked
    [1, 1, 0, 0, 0],
    # two_coins = relu(one_coin + two_coins + coin - 1): a coin with one or two in
    [1, 1, 1, 0, 0],
    # walk = relu(two_coins + push - 1): a push with two coins in
    [0, 0, 1, 0, 0],
    # passes_before = relu(passes_before + walk): add the previous step's walk
    [0, 0, 0, 1, 1],
]
W_IH = [[1, 0], [0, 1], [1, 0], [0, 1], [0, 0]]
BIAS = [0, -1, -1, -1, 0]

READOUT = {
    "coins": [1, 1, 2, 0, 0],  # one coin (either way) + 2 x two_coins
    "passes": [0, 0, 0, 1, 1],  # the earlier walks + this step's
    "walk": [0, 0, 0, 1, 0],
}
"""Linear readouts of the hidden state: ``READOUT[name] @ h``."""


def turnstile_cell(dtype=np.float64) -> RNNCell:
    """The whole two-coin turnstile as a ReLU RNN cell (see `UNITS`)."""
    return RNNCell(
        weight_ih=np.array(W_IH, dtype=dtype),
        weight_hh=np.array(W_HH, dtype=dtype),
        bias_ih=np.array(BIAS, dtype=dtype),
        nonlinearity="relu",
    )


def read_out(h: np.ndarray) -> dict[str, np.ndarray]:
    """``coins``, ``passes`` and ``walk`` for each row of ``h`` (shape ``(T, 5)``)."""
    return {name: np.asarray(h) @ np.array(weights, dtype=float) for name, weights in READOUT.items()}


def run(inputs, counter: bool = False) -> list[dict]:
    """Run a model over ``inputs`` and return one plain dict per step.

    With ``counter=True`` the explainer's counter (each step: ``input``, ``h``), else the
    whole turnstile (each step: ``input``, ``h``, ``coins``, ``passes``, ``walk``).
    """
    inputs = check_inputs(inputs)
    xs = encode(inputs)
    cell = counter_cell() if counter else turnstile_cell()
    h = cell.run(xs).h
    steps = [{"input": symbol, "h": row.tolist()} for symbol, row in zip(inputs, h)]
    if not counter:
        values = read_out(h)
        for t, step in enumerate(steps):
            step["coins"] = int(round(values["coins"][t]))
            step["passes"] = int(round(values["passes"][t]))
            step["walk"] = bool(values["walk"][t] > 0.5)
    return steps
