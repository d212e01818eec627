"""Pre-activations to gates and probabilities, exact to float64 relative precision over the
whole range, checked against an independent oracle: mpmath at 50 significant digits."""

import mpmath
import numpy as np
import pytest

from lstm_explainer.cells import sigmoid
from lstm_explainer.france import softmax

mpmath.mp.dps = 50
EPS64, EPS32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps


def exact_sigmoid(x: float) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


def relative_error(value: float, exact: mpmath.mpf) -> float:
    return float(abs((mpmath.mpf(value) - exact) / exact))


# every scale from tiny to the edge of the normal range (sigma(-708) is about 3e-308)
ARGUMENTS = np.concatenate([
    -np.logspace(-12, np.log10(708), 400), [0.0], np.logspace(-12, np.log10(708), 400),
    np.random.default_rng(0).uniform(-60, 60, 400),
])  # fmt: skip


def test_sigmoid_is_exact_to_float64_relative_precision_in_both_tails():
    values = sigmoid(ARGUMENTS)
    worst = max(relative_error(v, exact_sigmoid(x)) for x, v in zip(ARGUMENTS, values))
    assert worst <= 2 * EPS64, f"worst relative error {worst:.2e}"


def test_sigmoid_of_very_negative_inputs_is_not_rounded_to_zero():
    # the tanh form returned exactly 0 here; the true values are about 2e-22 and 5e-305
    for x in (-50.0, -700.0):
        assert sigmoid(np.float64(x)) > 0
        assert relative_error(float(sigmoid(np.float64(x))), exact_sigmoid(x)) <= 2 * EPS64


def test_sigmoid_keeps_float32_and_is_exact_to_its_precision():
    x = np.linspace(-80, 80, 1601, dtype=np.float32)
    values = sigmoid(x)
    assert values.dtype == np.float32
    worst = max(relative_error(float(v), exact_sigmoid(float(a))) for a, v in zip(x, values))
    assert worst <= 2 * EPS32, f"worst relative error {worst:.2e}"


def test_sigmoid_saturates_without_overflow():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sigmoid(np.array([-1e308, 1e308])).tolist() == [0.0, 1.0]


def test_softmax_shifts_logits_without_losing_the_small_probabilities():
    # z - max rounds to a multiple of 2^-44 near 700; without putting the rounding back,
    # the smallest probability here would be off by about 1e-14 relative
    logits = np.array([700.0, 700.0 - 699.9999999999999, 0.1])
    exps = [mpmath.exp(mpmath.mpf(z)) for z in logits]
    for value, e in zip(softmax(logits), exps):
        assert relative_error(value, e / mpmath.fsum(exps)) <= 4 * EPS64


@pytest.mark.parametrize("spread", [1.0, 30.0, 300.0, 700.0])
def test_softmax_is_exact_to_float64_relative_precision(spread):
    logits = np.random.default_rng(int(spread)).uniform(-spread, spread, size=(5, 29))
    probs = softmax(logits)
    for row, p in zip(logits, probs):
        exps = [mpmath.exp(mpmath.mpf(z)) for z in row]
        total = mpmath.fsum(exps)
        for value, e in zip(p, exps):
            exact = e / total
            if exact > mpmath.mpf(np.finfo(np.float64).tiny):  # a normal float64, not subnormal
                # one exp, one sum of 29 terms, one division: well within 32 ulps
                assert relative_error(value, exact) <= 32 * EPS64


def test_the_tanh_form_the_docstring_warns_about_does_lose_the_tail():
    x = np.linspace(-60.0, -38.0, 221)
    assert not (0.5 * (1.0 + np.tanh(0.5 * x))).any()  # 0 for every x <= -38, as sigmoid's docstring says
    assert (sigmoid(x) > 0).all()


def test_softmax_gives_a_logit_of_minus_infinity_probability_zero():
    with np.errstate(all="raise"):
        p = softmax(np.array([0.0, -np.inf, 1.0]))
    assert p[1] == 0 and abs(p.sum() - 1) < 1e-15 and np.isfinite(p).all()
