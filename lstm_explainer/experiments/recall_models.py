r"""The recurrent models compared on the recall task: the LSTM, three of its variants, a GRU.

Every model reads a sequence and answers from its last hidden state through a linear
readout. All five run their loop over time inside PyTorch's C++ kernels (`torch.lstm`,
`torch.gru`, the functions behind ``torch.nn.LSTM`` and ``torch.nn.GRU``): a Python loop
over time would cost more than the whole training budget. A variant is made by building
the weights the kernel receives from the variant's own parameters, in PyTorch's layout
(``weight_ih`` ``4H x D``, ``weight_hh`` ``4H x H``, ``bias_ih``, ``bias_hh``; blocks in
the order i, f, g, o, as in `lstm_explainer.cells.LSTMCell`):

``lstm``
    The LSTM with a forget gate (Gers, Schmidhuber & Cummins 2000), as in ``torch.nn.LSTM``:
    $c_t = f_t \odot c_{t-1} + i_t \odot g_t$, $h_t = o_t \odot \tanh(c_t)$.
``no_forget``
    The 1997 LSTM (Hochreiter & Schmidhuber), with no forget gate: $f_t = 1$, so
    $c_t = c_{t-1} + i_t \odot g_t$. The f block's weights are the constant 0 and its bias
    the constant `OPEN`, whose sigmoid is exactly 1.0 in float32.
``cifg``
    Coupled input and forget gate (Greff et al. 2017): $f_t = 1 - i_t$, so
    $c_t = (1 - i_t) \odot c_{t-1} + i_t \odot g_t$. Made with $1 - \sigma(a) = \sigma(-a)$:
    the f block is the negated i block (weights and both biases), so the kernel computes
    $f_t = \sigma(-a^i_t)$. This equals $1 - i_t$ up to float rounding.
``no_output``
    No output gate (Greff et al.'s NOG): $o_t = 1$, so $h_t = \tanh(c_t)$; the o block is
    constant like ``no_forget``'s f block.
``lstm_low_input``
    The LSTM with its input gate's bias also set, to ``input_bias`` (the control of the
    variants study: -1, so that, like CIFG and the GRU with a memory bias of 1, it starts by
    writing about a quarter of its candidate, $\sigma(-1) \approx 0.27$, where the LSTM
    writes about half, $\sigma(0) = 0.5$). Otherwise the same as ``lstm``.
``gru``
    The GRU (Cho et al. 2014) in ``torch.nn.GRU``'s form, blocks r, z, n:
    $r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})$,
    $z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})$,
    $n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn}))$,
    $h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$. Its update gate $z_t$ plays the forget
    gate's part: $z_t = 1$ keeps $h$ unchanged.

Initialisation is PyTorch's for every parameter, ``U(-1/sqrt(H), 1/sqrt(H))`` (that of
``torch.nn.LSTM``, ``torch.nn.GRU`` and of the ``torch.nn.Linear`` readout), except the
*memory bias*: the bias of the gate that keeps the memory (f; for ``cifg`` the f that is
``1 - i``; for ``gru`` z) is set to exactly ``memory_bias``, all of it in ``bias_ih`` and 0 in
``bias_hh``. For ``cifg`` that means ``bias_ih`` of i is ``-memory_bias``. ``lstm_low_input``
also has its input gate's bias set, to ``input_bias``, the same way.

A model computes in float32 unless ``dtype`` is ``torch.float64`` (the float64 control of
the forget-bias page): every parameter, and the constants of the held gates, in that dtype.
Its initial weights are drawn in float32 whatever the dtype, so a seed gives a float64 model
the very same starting weights as the float32 one.

All of a model's parameters live in one flat tensor, viewed as its blocks: one tensor makes
Adam's step about twice as cheap as a handful of small ones, which matters here, where a
whole update takes a couple of milliseconds.
"""

from __future__ import annotations

import math

import torch

from ..checks import InputError

VARIANTS = ("lstm", "no_forget", "cifg", "no_output", "lstm_low_input", "gru")
"""The models, by name."""

LEARNED_BLOCKS = {
    "lstm": "ifgo",
    "no_forget": "igo",
    "cifg": "igo",
    "no_output": "ifg",
    "lstm_low_input": "ifgo",
    "gru": "rzn",
}
"""The gate blocks each model learns (each has weight_ih, weight_hh, bias_ih, bias_hh rows)."""

MEMORY_GATE = {"lstm": "f", "no_forget": None, "cifg": "f", "no_output": "f", "lstm_low_input": "f", "gru": "z"}
"""The gate whose bias is set to ``memory_bias``; ``no_forget`` has none."""

OPEN = 40.0
"""The pre-activation of a gate that is always open: ``sigmoid(40.0)`` is exactly 1.0 in
float32 (and float64: 1 - 4e-18 rounds to 1), in torch's kernels as in NumPy."""


def _uniform_init(flat: torch.Tensor, hidden: int) -> None:
    """Fill ``flat`` in place with ``U(-1/sqrt(hidden), 1/sqrt(hidden))``."""
    # PyTorch's RNN and Linear(hidden, .) initialisation: U(-1/sqrt(H), 1/sqrt(H))
    bound = 1.0 / math.sqrt(hidden)
    with torch.no_grad():
        flat.uniform_(-bound, bound)


KINDS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
"""The four parameter tensors of one recurrent layer, in the order the kernels take them."""


class RecallNet(torch.nn.Module):
    """One recurrent layer of ``variant`` (see `VARIANTS`) and a linear readout of its last state.

    ``forward(x)`` takes one-hot inputs of shape ``(T, batch, inputs)`` (in the model's
    ``dtype``) and returns the readout's logits ``(batch, classes)`` after step ``T``, from
    zero initial states. ``input_bias`` is the input gate's bias of ``lstm_low_input`` (required
    there, refused elsewhere: `InputError`).
    The learned tensors hold only the learned blocks, stacked in kernel order
    (``weight_ih`` is ``3H x D`` for a variant with three learned blocks); `kernel_weights`
    makes the kernel's four-block tensors from them.
    """

    def __init__(self, variant: str, inputs: int, hidden: int, classes: int, memory_bias: float,
                 input_bias: float | None = None, dtype: torch.dtype = torch.float32):  # fmt: skip
        super().__init__()
        if variant not in VARIANTS:
            raise InputError(f"variant must be one of {', '.join(VARIANTS)}; got {variant!r}.")
        if (input_bias is None) != (variant != "lstm_low_input"):
            raise InputError(f"an input-gate bias is set for lstm_low_input only, and there it is required; "
                             f"got {input_bias!r} for {variant!r}.")  # fmt: skip
        self.variant, self.hidden = variant, hidden
        learned = LEARNED_BLOCKS[variant]
        rows = len(learned) * hidden
        self.shapes = {
            "weight_ih": (rows, inputs),
            "weight_hh": (rows, hidden),
            "bias_ih": (rows,),
            "bias_hh": (rows,),
            "readout_weight": (classes, hidden),
            "readout_bias": (classes,),
        }
        self.sizes = [math.prod(s) for s in self.shapes.values()]
        # drawn in float32 whatever the dtype, so a float64 model starts from the very same weights
        start = torch.empty(sum(self.sizes))
        _uniform_init(start, hidden)
        self.flat = torch.nn.Parameter(start.to(dtype))
        gate = MEMORY_GATE[variant]
        if gate is not None:
            # the memory gate's whole bias in bias_ih, none in bias_hh; for cifg, f = 1 - i
            # has pre-activation -a_i, so a bias of memory_bias on f is -memory_bias on i
            sign, block = (-1.0, "i") if variant == "cifg" else (1.0, gate)
            rows_of = slice(learned.index(block) * hidden, (learned.index(block) + 1) * hidden)
            with torch.no_grad():
                self.tensors()["bias_ih"][rows_of] = sign * memory_bias
                self.tensors()["bias_hh"][rows_of] = 0.0
        if input_bias is not None:
            # lstm_low_input: the input gate's whole bias in bias_ih too
            with torch.no_grad():
                self.tensors()["bias_ih"][:hidden] = input_bias
                self.tensors()["bias_hh"][:hidden] = 0.0
        self._make_kernel = None
        if learned != "ifgo" and variant != "gru":
            # kernel block k is learned block source[k], times scale[k], plus constant[k]
            source = [learned.index(b) if b in learned else learned.index("i") for b in "ifgo"]
            scale = [1.0 if b in learned else -1.0 if variant == "cifg" else 0.0 for b in "ifgo"]
            index = torch.cat([torch.arange(hidden) + s * hidden for s in source])
            scale_rows = torch.tensor(scale, dtype=dtype).repeat_interleave(hidden)
            # no_forget (f) and no_output (o): pre-activation OPEN, so the gate is exactly 1.0
            open_rows = torch.tensor([OPEN if b not in learned and variant != "cifg" else 0.0 for b in "ifgo"],
                                     dtype=dtype)  # fmt: skip
            self._make_kernel = (index, scale_rows, open_rows.repeat_interleave(hidden))

    @property
    def parameter_count(self) -> int:
        """How many numbers the model learns (recurrent layer and readout)."""
        return self.flat.numel()

    def tensors(self) -> dict[str, torch.Tensor]:
        """The learned tensors by name, as views of the one flat tensor."""
        parts = self.flat.split(self.sizes)
        return {name: part.view(shape) for (name, shape), part in zip(self.shapes.items(), parts)}

    def kernel_weights(self, tensors: dict | None = None) -> list[torch.Tensor]:
        """``[weight_ih, weight_hh, bias_ih, bias_hh]`` as ``torch.lstm`` / ``torch.gru`` take them."""
        p = self.tensors() if tensors is None else tensors
        if self._make_kernel is None:
            return [p[kind] for kind in KINDS]
        index, scale, constant = self._make_kernel
        out = []
        for kind in KINDS:
            # cifg: f rows = -(i rows), so f_t = sigma(-a^i_t) = 1 - i_t;
            # no_forget / no_output: the missing gate's rows are 0, and bias_ih there is OPEN
            rows = p[kind][index] * (scale if kind.startswith("bias") else scale[:, None])
            out.append(rows + constant if kind == "bias_ih" else rows)
        return out

    def final_state(self, x: torch.Tensor, tensors: dict | None = None) -> torch.Tensor:
        """The hidden state after the last step, ``(batch, hidden)``, from zero states."""
        zeros = x.new_zeros(1, x.shape[1], self.hidden)
        weights = self.kernel_weights(tensors)
        if self.variant == "gru":
            _, h = torch.gru(x, zeros, weights, True, 1, 0.0, self.training, False, False)
        else:
            _, h, _ = torch.lstm(x, (zeros, zeros), weights, True, 1, 0.0, self.training, False, False)
        return h[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = self.tensors()
        # logits = W_out h_T + b_out
        return torch.nn.functional.linear(self.final_state(x, p), p["readout_weight"], p["readout_bias"])
