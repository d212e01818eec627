"""The NumPy cells against PyTorch: every step, every gate, both dtypes; conversion; input errors.

The references are the real ``torch.nn`` modules. Where a module does not expose an
intermediate value (pre-activations, gates), it is recomputed from the module's own
parameters with torch ops, and that recomputation is itself checked against the module's
output, so the intermediate values are tied to what PyTorch actually computes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_explainer.cells import GATES, GRU_GATES, GRUCell, LSTMCell, RNNCell
from lstm_explainer.checks import InputError

torch.set_num_threads(1)

NUMPY_DTYPE = {torch.float64: np.float64, torch.float32: np.float32}
ATOL = {torch.float64: 1e-12, torch.float32: 1e-5}
DTYPES = [pytest.param(torch.float64, id="float64"), pytest.param(torch.float32, id="float32")]
NONLINEARITIES = ["tanh", "relu"]
LSTM_STEPS = tuple(f"pre_{gate}" for gate in GATES) + GATES + ("c", "h")
"""Every per-step array of an LSTMTrace."""
GRU_STEPS = ("pre_r", "pre_z", "pre_n_x", "pre_n_h") + GRU_GATES + ("h",)
"""Every per-step array of a GRUTrace."""

parity = settings(max_examples=25, deadline=None, derandomize=True, database=None)


class Case(NamedTuple):
    """Sizes and a seed for one parity example; ``with_state`` asks for random nonzero h0/c0."""

    input_size: int
    hidden_size: int
    steps: int
    seed: int
    with_state: bool


cases = st.builds(
    Case,
    input_size=st.integers(1, 6),
    hidden_size=st.integers(1, 6),
    steps=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
    with_state=st.booleans(),
)


# --- helpers -------------------------------------------------------------------------------


def make_module(torch_class, case: Case, dtype: torch.dtype, **kwargs):
    """A freshly initialised torch module for ``case``, reproducible from its seed."""
    torch.manual_seed(case.seed)
    return torch_class(case.input_size, case.hidden_size, dtype=dtype, **kwargs)


def make_inputs(case: Case, dtype: torch.dtype, n_states: int):
    """``xs`` of shape (T, input_size) and ``n_states`` initial states (all None unless with_state)."""
    rng = np.random.default_rng(case.seed)
    np_dtype = NUMPY_DTYPE[dtype]
    xs = (2.0 * rng.standard_normal((case.steps, case.input_size))).astype(np_dtype)
    states = [
        rng.standard_normal(case.hidden_size).astype(np_dtype) if case.with_state else None
        for _ in range(n_states)
    ]
    return xs, states


def state_tensor(state, hidden_size: int, dtype: torch.dtype) -> torch.Tensor:
    """A state as a torch tensor, zeros for None (the cells' default)."""
    return torch.zeros(hidden_size, dtype=dtype) if state is None else torch.from_numpy(state)


def assert_close(actual, expected, atol: float, what: str = "") -> None:
    """``actual`` (numpy or torch) equals ``expected`` within ``atol``, with the same dtype."""
    actual = actual.detach().numpy() if isinstance(actual, torch.Tensor) else actual
    expected = expected.detach().numpy() if isinstance(expected, torch.Tensor) else expected
    assert actual.dtype == expected.dtype, what
    np.testing.assert_allclose(actual, expected, rtol=0, atol=atol, err_msg=what)


@torch.no_grad()
def torch_rnn_steps(module, xs: np.ndarray, h0) -> dict[str, torch.Tensor]:
    """Step a ``torch.nn.RNNCell`` over ``xs``: its hidden states and the pre-activations.

    The pre-activation comes from the module's parameters; its nonlinearity is checked
    against the module's own output at every step.
    """
    phi = torch.relu if module.nonlinearity == "relu" else torch.tanh
    atol = ATOL[module.weight_ih.dtype]
    h = state_tensor(h0, module.hidden_size, module.weight_ih.dtype)
    pres, hs = [], []
    for x in torch.from_numpy(xs):
        pre = F.linear(x, module.weight_ih, module.bias_ih) + F.linear(h, module.weight_hh, module.bias_hh)
        h = module(x, h)
        assert_close(phi(pre), h, atol, "recomputed h differs from torch.nn.RNNCell")
        pres.append(pre)
        hs.append(h)
    return {"pre": torch.stack(pres), "h": torch.stack(hs)}


@torch.no_grad()
def torch_lstm_steps(module, xs: np.ndarray, h0, c0) -> dict[str, torch.Tensor]:
    """Step a ``torch.nn.LSTMCell`` over ``xs``: every pre-activation, gate, c and h.

    Gates are recomputed from the module's parameters (chunk(4) in the order i, f, g, o);
    the c and h they give are checked against the module's own output at every step.
    """
    dtype = module.weight_ih.dtype
    h, c = (state_tensor(s, module.hidden_size, dtype) for s in (h0, c0))
    steps = {name: [] for name in LSTM_STEPS}
    for x in torch.from_numpy(xs):
        pre = F.linear(x, module.weight_ih, module.bias_ih) + F.linear(h, module.weight_hh, module.bias_hh)
        pre_i, pre_f, pre_g, pre_o = pre.chunk(4)
        i, f, g, o = torch.sigmoid(pre_i), torch.sigmoid(pre_f), torch.tanh(pre_g), torch.sigmoid(pre_o)
        c_gates = f * c + i * g
        h_gates = o * torch.tanh(c_gates)
        h, c = module(x, (h, c))
        assert_close(c_gates, c, ATOL[dtype], "c from recomputed gates differs from torch.nn.LSTMCell")
        assert_close(h_gates, h, ATOL[dtype], "h from recomputed gates differs from torch.nn.LSTMCell")
        for name, value in zip(LSTM_STEPS, (pre_i, pre_f, pre_g, pre_o, i, f, g, o, c, h)):
            steps[name].append(value)
    return {name: torch.stack(values) for name, values in steps.items()}


@torch.no_grad()
def torch_gru_steps(module, xs: np.ndarray, h0) -> dict[str, torch.Tensor]:
    """Step a ``torch.nn.GRUCell`` over ``xs``: every pre-activation, gate and h.

    Gates are recomputed from the module's parameters (chunk(3) in the order r, z, n, the
    reset gate scaling W_hn h + b_hn as torch documents); the h they give is checked against
    the module's own output at every step.
    """
    dtype = module.weight_ih.dtype
    h = state_tensor(h0, module.hidden_size, dtype)
    steps = {name: [] for name in GRU_STEPS}
    for x in torch.from_numpy(xs):
        x_r, x_z, x_n = F.linear(x, module.weight_ih, module.bias_ih).chunk(3)
        h_r, h_z, h_n = F.linear(h, module.weight_hh, module.bias_hh).chunk(3)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        h_gates = (1 - z) * n + z * h
        h = module(x, h)
        assert_close(h_gates, h, ATOL[dtype], "h from recomputed gates differs from torch.nn.GRUCell")
        for name, value in zip(GRU_STEPS, (x_r + h_r, x_z + h_z, x_n, h_n, r, z, n, h)):
            steps[name].append(value)
    return {name: torch.stack(values) for name, values in steps.items()}


def assert_trace_matches(trace, expected: dict[str, torch.Tensor], atol: float) -> None:
    """Every array named in ``expected`` matches the trace's array of that name."""
    for name, value in expected.items():
        assert_close(getattr(trace, name), value, atol, f"trace.{name}")


# --- parity with PyTorch ----------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
@parity
@given(case=cases)
def test_rnn_cell_matches_torch_every_step(case, nonlinearity, dtype):
    module = make_module(torch.nn.RNNCell, case, dtype, nonlinearity=nonlinearity)
    xs, (h0,) = make_inputs(case, dtype, 1)
    trace = RNNCell.from_torch(module).run(xs, h0)
    assert_trace_matches(trace, torch_rnn_steps(module, xs, h0), ATOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@parity
@given(case=cases)
def test_lstm_cell_matches_torch_every_step_and_gate(case, dtype):
    module = make_module(torch.nn.LSTMCell, case, dtype)
    xs, (h0, c0) = make_inputs(case, dtype, 2)
    trace = LSTMCell.from_torch(module).run(xs, h0, c0)
    assert_trace_matches(trace, torch_lstm_steps(module, xs, h0, c0), ATOL[dtype])
    # the states before each step are the initial states, then the previous step's
    assert_close(trace.h_prev[0], trace.h0, 0.0)
    assert_close(trace.c_prev[1:], trace.c[:-1], 0.0)


@pytest.mark.parametrize("dtype", DTYPES)
@parity
@given(case=cases)
def test_lstm_cell_matches_one_layer_torch_lstm(case, dtype):
    lstm = make_module(torch.nn.LSTM, case, dtype)
    xs, states = make_inputs(case, dtype, 2)
    trace = LSTMCell.from_torch(lstm).run(xs, *states)
    # an unbatched LSTM takes states of shape (num_layers, hidden_size)
    hx = None if states[0] is None else tuple(torch.from_numpy(s)[None] for s in states)
    with torch.no_grad():
        output, (h_n, c_n) = lstm(torch.from_numpy(xs), hx)
    atol = ATOL[dtype]
    assert_close(trace.h, output, atol, "output")
    assert_close(trace.h[-1], h_n[0], atol, "h_n")
    assert_close(trace.c[-1], c_n[0], atol, "c_n")


@pytest.mark.parametrize("dtype", DTYPES)
@parity
@given(case=cases)
def test_gru_cell_matches_torch_every_step_and_gate(case, dtype):
    module = make_module(torch.nn.GRUCell, case, dtype)
    xs, (h0,) = make_inputs(case, dtype, 1)
    trace = GRUCell.from_torch(module).run(xs, h0)
    assert_trace_matches(trace, torch_gru_steps(module, xs, h0), ATOL[dtype])
    assert_close(trace.h_prev[1:], trace.h[:-1], 0.0)


@pytest.mark.parametrize("dtype", DTYPES)
@parity
@given(case=cases)
def test_gru_cell_matches_one_layer_torch_gru(case, dtype):
    gru = make_module(torch.nn.GRU, case, dtype)
    xs, (h0,) = make_inputs(case, dtype, 1)
    trace = GRUCell.from_torch(gru).run(xs, h0)
    hx = None if h0 is None else torch.from_numpy(h0)[None]
    with torch.no_grad():
        output, h_n = gru(torch.from_numpy(xs), hx)
    assert_close(trace.h, output, ATOL[dtype], "output")
    assert_close(trace.h[-1], h_n[0], ATOL[dtype], "h_n")


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_rnn_cell_from_one_layer_torch_rnn(nonlinearity):
    case = Case(input_size=3, hidden_size=4, steps=5, seed=7, with_state=True)
    rnn = make_module(torch.nn.RNN, case, torch.float64, nonlinearity=nonlinearity)
    xs, (h0,) = make_inputs(case, torch.float64, 1)
    cell = RNNCell.from_torch(rnn)
    assert cell.nonlinearity == nonlinearity
    with torch.no_grad():
        output, h_n = rnn(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    trace = cell.run(xs, h0)
    assert_close(trace.h, output, 1e-12, "output")
    assert_close(trace.h[-1], h_n[0], 1e-12, "h_n")


# --- to_torch ---------------------------------------------------------------------------------


def numpy_cell(kind: str, dtype: torch.dtype, input_size: int = 3, hidden_size: int = 4):
    """A cell built from plain random numpy arrays: kind is "lstm", "gru", "tanh" or "relu"."""
    rng = np.random.default_rng(1)
    rows = hidden_size * {"lstm": 4, "gru": 3}.get(kind, 1)
    shapes = {
        "weight_ih": (rows, input_size),
        "weight_hh": (rows, hidden_size),
        "bias_ih": (rows,),
        "bias_hh": (rows,),
    }
    params = {name: rng.uniform(-1, 1, shape).astype(NUMPY_DTYPE[dtype]) for name, shape in shapes.items()}
    if kind in ("lstm", "gru"):
        return {"lstm": LSTMCell, "gru": GRUCell}[kind](**params)
    return RNNCell(**params, nonlinearity=kind)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["lstm", "gru", "tanh", "relu"])
def test_to_torch_round_trip(kind, dtype):
    cell = numpy_cell(kind, dtype)
    module = cell.to_torch()
    assert type(module) is getattr(torch.nn, cell.torch_class)
    assert all(p.dtype == dtype for p in module.parameters())
    case = Case(cell.input_size, cell.hidden_size, steps=6, seed=3, with_state=True)
    xs, states = make_inputs(case, dtype, 2 if kind == "lstm" else 1)
    trace = cell.run(xs, *states)
    if kind == "lstm":
        expected = torch_lstm_steps(module, xs, *states)
    elif kind == "gru":
        expected = torch_gru_steps(module, xs, *states)
    else:
        assert module.nonlinearity == kind
        expected = torch_rnn_steps(module, xs, *states)
    states_checked = ("h", "c") if kind == "lstm" else ("h",)
    assert_trace_matches(trace, {name: expected[name] for name in states_checked}, ATOL[dtype])
    back = type(cell).from_torch(module)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        np.testing.assert_array_equal(getattr(back, name), getattr(cell, name), err_msg=name)
        assert getattr(back, name).dtype == cell.dtype


# --- input errors -----------------------------------------------------------------------------


def lstm_params(**overrides):
    """Valid float64 LSTM parameters (input_size 3, hidden_size 2), with some replaced."""
    rng = np.random.default_rng(0)
    params = {
        "weight_ih": rng.standard_normal((8, 3)),
        "weight_hh": rng.standard_normal((8, 2)),
        "bias_ih": rng.standard_normal(8),
        "bias_hh": rng.standard_normal(8),
    }
    return params | overrides


def with_value(array, value: float) -> np.ndarray:
    """A float copy of ``array`` with its first element replaced by ``value``."""
    array = np.array(array, dtype=float)
    array.flat[0] = value
    return array


def build(**overrides):
    """A call that builds an LSTM cell from valid parameters with some replaced."""
    return lambda: LSTMCell(**lstm_params(**overrides))


def poison(name: str, value: float):
    """A call that builds an LSTM cell whose parameter ``name`` holds ``value`` (NaN, inf)."""
    return build(**{name: with_value(lstm_params()[name], value)})


def run(xs=((1.0, 2.0, 3.0),), **states):
    """A call that runs a valid LSTM cell (input_size 3, hidden_size 2) on ``xs``."""
    return lambda: LSTMCell(**lstm_params()).run(np.asarray(xs), **states)


def copy(cell_class, module_factory):
    """A call that copies a torch module (built lazily) with ``cell_class.from_torch``."""
    return lambda: cell_class.from_torch(module_factory())


ERRORS = {  # id: (call, regex the message must match)
    "weight_ih-rows": (build(weight_ih=np.ones((7, 3))), r"^weight_ih must be a 2-D array .* got shape \(7, 3\)"),
    "weight_ih-1d": (build(weight_ih=np.ones(8)), r"^weight_ih must be a 2-D array"),
    "weight_hh-shape": (build(weight_hh=np.ones((8, 3))), r"^weight_hh must have shape \(8, 2\); got \(8, 3\)"),
    "bias_hh-shape": (build(bias_hh=np.ones(4)), r"^bias_hh must have shape"),
    "weight_hh-dtype": (
        build(weight_hh=np.ones((8, 2), np.float32)),
        r"^weight_hh must have the dtype of weight_ih \(float64\); got float32",
    ),
    "weight_ih-int": (build(weight_ih=np.ones((8, 3), int)), r"^weight_ih must be float32 or float64; got int"),
    "weight_ih-str": (build(weight_ih=np.full((8, 3), "a")), r"^weight_ih must hold real numbers"),
    "weight_hh-nan": (poison("weight_hh", np.nan), r"^weight_hh must be finite"),
    "bias_ih-inf": (poison("bias_ih", np.inf), r"^bias_ih must be finite"),
    "nonlinearity": (
        lambda: RNNCell(np.eye(2), np.eye(2), nonlinearity="sigmoid"),
        r"^nonlinearity must be 'tanh' or 'relu'; got 'sigmoid'",
    ),
    "xs-nan": (run(with_value(np.ones((2, 3)), np.nan)), r"^xs must be finite"),
    "xs-inf": (run(with_value(np.ones((2, 3)), -np.inf)), r"^xs must be finite"),
    "xs-width": (run(np.ones((2, 4))), r"^xs must have shape \(T, 3\); got \(2, 4\)"),
    "xs-1d": (run(np.ones(3)), r"^xs must have shape \(T, 3\); got \(3,\)"),
    "xs-empty": (run(np.ones((0, 3))), r"^xs is an empty sequence"),
    "h0-shape": (run(h0=np.ones(3)), r"^h0 must have shape \(2,\); got \(3,\)"),
    "c0-shape": (run(c0=np.ones((1, 2))), r"^c0 must have shape .*; got \(1, 2\)"),
    "c0-nan": (run(c0=[np.nan, 0.0]), r"^c0 must be finite"),
    "xs-ragged": (lambda: LSTMCell(**lstm_params()).run([[1.0, 2.0, 3.0], [1.0]]), r"^xs must be a rectangular array of real numbers"),
    "xs-too-large-for-float32": (
        lambda: RNNCell(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32)).run([[1e300, 0.0]]),
        r"^xs must be finite; it holds NaN, infinity or a value too large for float32",
    ),
    "from_torch-bfloat16": (
        copy(LSTMCell, lambda: torch.nn.LSTMCell(3, 2, dtype=torch.bfloat16)),
        r"^weight_ih must be float32 or float64; got torch.bfloat16",
    ),
    "from_torch-2-layer-lstm": (copy(LSTMCell, lambda: torch.nn.LSTM(3, 2, num_layers=2)), r"one-layer.*num_layers=2"),
    "from_torch-2-layer-rnn": (copy(RNNCell, lambda: torch.nn.RNN(3, 2, num_layers=2)), r"one-layer"),
    "from_torch-bidirectional": (copy(LSTMCell, lambda: torch.nn.LSTM(3, 2, bidirectional=True)), r"one-direction"),
    "from_torch-projection": (copy(LSTMCell, lambda: torch.nn.LSTM(3, 2, proj_size=1)), r"without projection"),
    "from_torch-gru": (
        copy(LSTMCell, lambda: torch.nn.GRUCell(3, 2)),
        r"^from_torch needs a torch\.nn\.LSTMCell; got GRUCell",
    ),
    "from_torch-lstm-as-rnn": (
        copy(RNNCell, lambda: torch.nn.LSTMCell(3, 2)),
        r"^from_torch needs a torch\.nn\.RNNCell; got LSTMCell",
    ),
}


@pytest.mark.parametrize(("call", "match"), ERRORS.values(), ids=ERRORS.keys())
def test_bad_input_raises_one_line_input_error(call, match):
    with pytest.raises(InputError, match=match) as excinfo:
        call()
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.endswith(".")
    assert isinstance(excinfo.value, ValueError)


def test_a_cell_owns_a_contiguous_copy_of_its_weights():
    weight = np.eye(2)[::-1]  # a view with a negative stride
    weight.setflags(write=False)
    cell = RNNCell(weight, np.eye(2))
    assert cell.weight_ih.flags.c_contiguous and cell.weight_ih.flags.writeable
    assert not np.shares_memory(cell.weight_ih, weight)
    assert torch.equal(cell.to_torch().weight_ih, torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.float64))


def test_held_gates_replace_the_computed_ones_where_given():
    cell = LSTMCell(**lstm_params())  # hidden_size 2
    xs = np.random.default_rng(0).normal(size=(5, 3))
    free = cell.run(xs)
    assert_close(cell.run(xs, held={"f": np.full((5, 2), np.nan)}).c, free.c, 0)
    kept = cell.run(xs, held={"f": np.ones((5, 2))})
    # with f_t = 1: c_t = c_{t-1} + i_t * g_t, and the pre-activations stay as computed
    assert_close(kept.c, np.cumsum(kept.i * kept.g, axis=0), 1e-12)
    assert_close(kept.pre_f[0], free.pre_f[0], 0)
    one_step = np.full((5, 2), np.nan)
    one_step[2, 1] = 0.0
    cut = cell.run(xs, held={"o": one_step})
    assert cut.o[2, 1] == 0.0 and cut.h[2, 1] == 0.0
    assert_close(cut.o[:2], free.o[:2], 0)


@pytest.mark.parametrize(
    "held, match",
    [
        ({"x": np.ones((1, 2))}, "held must map gate names"),
        ({"f": np.ones((2, 2))}, r"held\['f'\] must have shape \(1, 2\)"),
        ({"o": np.full((1, 2), np.inf)}, "must be finite"),
        ([1.0], "held must map gate names"),
    ],
)
def test_bad_held_gates_raise_one_line_input_error(held, match):
    with pytest.raises(InputError, match=match):
        run(held=held)()
