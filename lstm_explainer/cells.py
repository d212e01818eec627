r"""Recurrent cells in NumPy, step by step, in PyTorch's layout.

Three cells, each a few equations long, that keep every intermediate value of every step:

* `RNNCell`, the Elman cell, with a ReLU or tanh;
* `LSTMCell`, Hochreiter & Schmidhuber (1997) with the forget gate of Gers,
  Schmidhuber & Cummins (2000);
* `GRUCell`, the gated recurrent unit of Cho et al. (2014), as ``torch.nn.GRUCell`` computes it.

Parameters follow ``torch.nn.RNNCell``, ``torch.nn.LSTMCell`` and ``torch.nn.GRUCell``
exactly: ``weight_ih`` (``G*H x D``), ``weight_hh`` (``G*H x H``), ``bias_ih`` and ``bias_hh``
(``G*H``), with G = 1 for the RNN, the LSTM's four blocks in PyTorch's order i, f, g, o
(input gate, forget gate, candidate, output gate) and the GRU's three in the order r, z, n
(reset gate, update gate, candidate). The equation above each line of a step is the one it
computes. ``from_torch`` and ``to_torch`` convert both ways; ``tests/test_cells.py`` checks
every step and every gate against PyTorch.

Examples
--------
>>> import numpy as np
>>> cell = RNNCell(np.eye(2), np.eye(2), nonlinearity="relu")
>>> cell.run(np.array([[1.0, 0.0], [1.0, 0.0]])).h.tolist()
[[1.0, 0.0], [2.0, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import InputError, float_array

GATES = ("i", "f", "g", "o")
"""The LSTM's four blocks, in the order of PyTorch's weight rows."""

GRU_GATES = ("r", "z", "n")
"""The GRU's three blocks, in the order of PyTorch's weight rows."""


def sigmoid(x: np.ndarray) -> np.ndarray:
    r"""The logistic function $\sigma(x) = 1 / (1 + e^{-x})$, element by element, in ``x``'s float dtype.

    Exact to a few units in the last place *relative* to the result wherever that result is a
    normal float (``x`` above about -708; below, it is subnormal and then 0), both tails
    included: ``1 / (1 + e)`` for ``x >= 0`` and ``e / (1 + e)`` for ``x < 0``, with
    ``e = exp(-|x|)``, so ``exp`` never overflows and no result is the difference of two
    numbers near 1 (the form ``0.5 * (1 + tanh(x / 2))`` is exact only in absolute terms: it
    returns 0 for every ``x < -38``). ``tests/test_numerics.py`` checks it against mpmath.

    >>> float(sigmoid(np.float64(0.0))), float(sigmoid(np.float64(6.0)))
    (0.5, 0.9975273768433653)
    >>> float(sigmoid(np.float64(-50.0)))
    1.9287498479639178e-22
    """
    x = np.asarray(x)
    # e = e^{-|x|} <= 1: no overflow
    e = np.exp(-np.abs(x))
    # sigma(x) = 1 / (1 + e^{-x}) for x >= 0, and e^{x} / (1 + e^{x}) for x < 0
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def relu(x: np.ndarray) -> np.ndarray:
    r"""``max(0, x)``, element by element."""
    return np.maximum(x, 0.0)


@dataclass(frozen=True)
class RNNTrace:
    """Every step of an `RNNCell` run: arrays of shape ``(T, hidden_size)``.

    ``pre`` is the pre-activation ``W_ih x_t + b_ih + W_hh h_{t-1} + b_hh`` and ``h`` the
    new hidden state; ``x`` is the input ``(T, input_size)`` and ``h0`` the state before step 0.
    """

    x: np.ndarray
    h0: np.ndarray
    pre: np.ndarray
    h: np.ndarray


@dataclass(frozen=True)
class LSTMTrace:
    """Every step of an `LSTMCell` run: arrays of shape ``(T, hidden_size)``.

    ``i``, ``f``, ``o`` are the gates after their sigmoid, ``g`` the candidate after its
    tanh, ``c`` the cell state and ``h`` the hidden state after the step; ``pre_i`` ...
    ``pre_o`` are the four pre-activations. ``x`` is the input ``(T, input_size)``; ``h0``
    and ``c0`` are the states before step 0.
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    pre_i: np.ndarray
    pre_f: np.ndarray
    pre_g: np.ndarray
    pre_o: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray

    @property
    def c_prev(self) -> np.ndarray:
        """The cell state before each step: ``c0`` then ``c[:-1]``."""
        return np.vstack([self.c0, self.c[:-1]])

    @property
    def h_prev(self) -> np.ndarray:
        """The hidden state before each step: ``h0`` then ``h[:-1]``."""
        return np.vstack([self.h0, self.h[:-1]])


class _Cell:
    """What the three cells share: parameters in PyTorch's layout, checked once, and conversion."""

    blocks: int  # rows of weight_ih per hidden unit: 1 for the RNN, 4 for the LSTM, 3 for the GRU
    torch_class: str  # the torch.nn cell this one mirrors

    def __init__(self, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
        weight_ih = np.asarray(weight_ih)
        if weight_ih.ndim != 2 or weight_ih.shape[0] % self.blocks or weight_ih.shape[0] == 0:
            raise InputError(
                f"weight_ih must be a 2-D array with a positive multiple of {self.blocks} rows "
                f"({self.blocks} x hidden_size); got shape {weight_ih.shape}."
            )
        rows, input_size = weight_ih.shape
        hidden_size = rows // self.blocks
        self.weight_ih = float_array("weight_ih", weight_ih, (rows, input_size))
        dtype = self.weight_ih.dtype
        self.weight_hh = float_array("weight_hh", weight_hh, (rows, hidden_size))
        if self.weight_hh.dtype != dtype:
            raise InputError(f"weight_hh must have the dtype of weight_ih ({dtype}); got {self.weight_hh.dtype}.")
        zeros = np.zeros(rows, dtype)
        self.bias_ih = float_array("bias_ih", zeros if bias_ih is None else bias_ih, (rows,), dtype)
        self.bias_hh = float_array("bias_hh", zeros if bias_hh is None else bias_hh, (rows,), dtype)
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype

    def _inputs(self, xs) -> np.ndarray:
        xs = float_array("xs", xs, (None, self.input_size), self.dtype)
        if len(xs) == 0:
            raise InputError("xs is an empty sequence; give at least one step.")
        return xs

    def _state(self, name: str, value) -> np.ndarray:
        if value is None:
            return np.zeros(self.hidden_size, self.dtype)
        return float_array(name, value, (self.hidden_size,), self.dtype)

    @classmethod
    def from_torch(cls, module):
        """Copy the parameters of a torch cell (or a one-layer, one-direction torch RNN)."""
        import torch

        suffix = ""
        if isinstance(module, getattr(torch.nn, cls.torch_class.removesuffix("Cell"))):
            shape = (module.num_layers, module.bidirectional, getattr(module, "proj_size", 0))
            if shape != (1, False, 0):
                raise InputError(
                    "only a one-layer, one-direction torch module without projection can be copied; got "
                    f"num_layers={shape[0]}, bidirectional={shape[1]}, proj_size={shape[2]}."
                )
            suffix = "_l0"
        elif not isinstance(module, getattr(torch.nn, cls.torch_class)):
            raise InputError(f"from_torch needs a torch.nn.{cls.torch_class}; got {type(module).__name__}.")

        def get(name):
            tensor = getattr(module, name + suffix, None)
            if tensor is not None and tensor.dtype not in (torch.float32, torch.float64):
                raise InputError(f"{name} must be float32 or float64; got {tensor.dtype}.")
            return None if tensor is None else tensor.detach().cpu().numpy().copy()

        extra = {"nonlinearity": module.nonlinearity} if hasattr(module, "nonlinearity") else {}
        return cls(get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), **extra)

    def to_torch(self):
        """A ``torch.nn`` cell of the same class with these parameters (and this dtype)."""
        import torch

        cls = getattr(torch.nn, self.torch_class)
        extra = {"nonlinearity": self.nonlinearity} if self.torch_class == "RNNCell" else {}
        module = cls(self.input_size, self.hidden_size, dtype=getattr(torch, self.dtype.name), **extra)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(module, name).copy_(torch.tensor(getattr(self, name)))
        return module


class RNNCell(_Cell):
    r"""Elman cell: $h_t = \phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$.

    ``nonlinearity`` is ``"tanh"`` (PyTorch's default) or ``"relu"``.
    """

    blocks = 1
    torch_class = "RNNCell"

    def __init__(self, weight_ih, weight_hh, bias_ih=None, bias_hh=None, nonlinearity="tanh"):
        if nonlinearity not in ("tanh", "relu"):
            raise InputError(f"nonlinearity must be 'tanh' or 'relu'; got {nonlinearity!r}.")
        super().__init__(weight_ih, weight_hh, bias_ih, bias_hh)
        self.nonlinearity = nonlinearity

    def run(self, xs, h0=None) -> RNNTrace:
        """Run over ``xs`` of shape ``(T, input_size)`` from ``h0`` (zeros if ``None``)."""
        xs, h0 = self._inputs(xs), self._state("h0", h0)
        h = h0
        phi = relu if self.nonlinearity == "relu" else np.tanh
        pre, hs = [], []
        for x in xs:
            # $$a_t = W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}$$
            a = self.weight_ih @ x + self.bias_ih + self.weight_hh @ h + self.bias_hh
            # $$h_t = \phi(a_t)$$
            h = phi(a)
            pre.append(a)
            hs.append(h)
        return RNNTrace(x=xs, h0=h0, pre=np.array(pre), h=np.array(hs))


class LSTMCell(_Cell):
    r"""LSTM cell with a forget gate, in PyTorch's notation.

    With ``W_ii`` (``W_if``, ``W_ig``, ``W_io``) the rows of gate i (f, g, o) in ``weight_ih`` (likewise for ``weight_hh``
    and the biases), each step computes

    $$
    \begin{aligned}
    i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) && \text{input gate}\\
    f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) && \text{forget gate}\\
    g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) && \text{candidate}\\
    o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) && \text{output gate}\\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t && \text{cell state}\\
    h_t &= o_t \odot \tanh(c_t) && \text{hidden state}
    \end{aligned}
    $$
    """

    blocks = 4
    torch_class = "LSTMCell"

    def run(self, xs, h0=None, c0=None, held=None) -> LSTMTrace:
        """Run over ``xs`` of shape ``(T, input_size)`` from ``h0`` and ``c0`` (zeros if ``None``).

        ``held`` is for what-ifs: it maps a gate (``"i"``, ``"f"``, ``"g"``, ``"o"``) to a
        ``(T, hidden_size)`` array; where that array is not NaN, the gate takes its value
        instead of the computed one (the trace's pre-activations stay as computed). Holding
        ``"f"`` at 1 everywhere gives the 1997 LSTM, which had no forget gate.
        """
        xs, h0, c0 = self._inputs(xs), self._state("h0", h0), self._state("c0", c0)
        held = self._held(held, len(xs))
        h, c = h0, c0
        steps = {name: [] for name in ("pre_i", "pre_f", "pre_g", "pre_o", "i", "f", "g", "o", "c", "h")}
        for t, x in enumerate(xs):
            # the four pre-activations at once, stacked in PyTorch's order i, f, g, o:
            # $$a_t = W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}$$
            pre = self.weight_ih @ x + self.bias_ih + self.weight_hh @ h + self.bias_hh
            pre_i, pre_f, pre_g, pre_o = np.split(pre, 4)
            # $$i_t = \sigma(a^i_t), \quad f_t = \sigma(a^f_t), \quad g_t = \tanh(a^g_t), \quad o_t = \sigma(a^o_t)$$
            i, f, g, o = sigmoid(pre_i), sigmoid(pre_f), np.tanh(pre_g), sigmoid(pre_o)
            if held:
                gates = {"i": i, "f": f, "g": g, "o": o}
                for name, values in held.items():
                    gates[name] = np.where(np.isnan(values[t]), gates[name], values[t])
                i, f, g, o = gates.values()
            # $$c_t = f_t \odot c_{t-1} + i_t \odot g_t$$
            c = f * c + i * g
            # $$h_t = o_t \odot \tanh(c_t)$$
            h = o * np.tanh(c)
            for name, value in zip(steps, (pre_i, pre_f, pre_g, pre_o, i, f, g, o, c, h)):
                steps[name].append(value)
        return LSTMTrace(
            x=xs,
            h0=h0,
            c0=c0,
            **{name: np.array(values) for name, values in steps.items()},
        )

    def _held(self, held, steps: int) -> dict:
        if held is None:
            return {}
        if not isinstance(held, dict) or not set(held) <= set(GATES):
            raise InputError(f"held must map gate names ({', '.join(GATES)}) to arrays; got {held!r:.60}.")
        out = {}
        for name, values in held.items():
            values = np.array(values, dtype=self.dtype)
            if values.shape != (steps, self.hidden_size):
                raise InputError(f"held[{name!r}] must have shape ({steps}, {self.hidden_size}), one row per step; got {values.shape}.")
            if np.isinf(values).any():
                raise InputError(f"held[{name!r}] must be finite numbers (NaN meaning 'as computed').")
            out[name] = values
        return out


@dataclass(frozen=True)
class GRUTrace:
    """Every step of a `GRUCell` run: arrays of shape ``(T, hidden_size)``.

    ``r`` and ``z`` are the reset and update gates after their sigmoid, ``n`` the candidate
    after its tanh and ``h`` the hidden state after the step; ``pre_r`` and ``pre_z`` are
    the gates' pre-activations, ``pre_n_x`` the candidate's input part ``W_in x_t + b_in``
    and ``pre_n_h`` its recurrent part ``W_hn h_{t-1} + b_hn`` (which the reset gate
    scales). ``x`` is the input ``(T, input_size)``; ``h0`` the state before step 0.
    """

    x: np.ndarray
    h0: np.ndarray
    pre_r: np.ndarray
    pre_z: np.ndarray
    pre_n_x: np.ndarray
    pre_n_h: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    h: np.ndarray

    @property
    def h_prev(self) -> np.ndarray:
        """The hidden state before each step: ``h0`` then ``h[:-1]``."""
        return np.vstack([self.h0, self.h[:-1]])


class GRUCell(_Cell):
    r"""Gated recurrent unit (Cho et al., 2014), exactly as ``torch.nn.GRUCell`` computes it.

    With ``W_ir`` (``W_iz``, ``W_in``) the rows of block r (z, n) in ``weight_ih`` (likewise for ``weight_hh``
    and the biases), in PyTorch's order r, z, n, each step computes

    $$
    \begin{aligned}
    r_t &= \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})\\
    z_t &= \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})\\
    n_t &= \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn}))\\
    h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
    \end{aligned}
    $$

    with r the reset gate, z the update gate and n the candidate. The reset gate scales the
    recurrent term *after* its matrix product, as PyTorch (and cuDNN) do; Cho et al. apply it to ``h_{t-1}`` before the product. ``z`` near 1 keeps the
    old state, so ``z`` plays the role of the LSTM's forget gate, and ``1 - z`` of its input gate.
    """

    blocks = 3
    torch_class = "GRUCell"

    def run(self, xs, h0=None) -> GRUTrace:
        """Run over ``xs`` of shape ``(T, input_size)`` from ``h0`` (zeros if ``None``)."""
        xs, h0 = self._inputs(xs), self._state("h0", h0)
        h = h0
        steps = {name: [] for name in ("pre_r", "pre_z", "pre_n_x", "pre_n_h", "r", "z", "n", "h")}
        for x in xs:
            # the input and recurrent parts, each stacked in PyTorch's order r, z, n
            from_x = self.weight_ih @ x + self.bias_ih
            from_h = self.weight_hh @ h + self.bias_hh
            (x_r, x_z, x_n), (h_r, h_z, h_n) = np.split(from_x, 3), np.split(from_h, 3)
            # $$r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})$$
            r = sigmoid(x_r + h_r)
            # $$z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})$$
            z = sigmoid(x_z + h_z)
            # $$n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn}))$$
            n = np.tanh(x_n + r * h_n)
            # $$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$$
            h = (1.0 - z) * n + z * h
            for name, value in zip(steps, (x_r + h_r, x_z + h_z, x_n, h_n, r, z, n, h)):
                steps[name].append(value)
        return GRUTrace(x=xs, h0=h0, **{name: np.array(values) for name, values in steps.items()})
