r"""Training and reading the character models: how the text is read, the models, the training job.

The machinery of `lstm_explainer.experiments.char_model` (which holds the settings, runs the
jobs and gathers the results), in a module of its own so that editing the experiment's other
parts does not retrain the models (a job's cache key hashes its module's code).

The models: a one-layer ``torch.nn.LSTM``, ``torch.nn.GRU`` or ``torch.nn.RNN`` (tanh) reads
one-hot characters (the 97 symbols of `lstm_explainer.char_corpus.VOCAB`, so ``weight_ih`` has
one column per character) and a ``torch.nn.Linear`` readout gives the next character's
distribution, $p_t = \mathrm{softmax}(W_y h_t + b_y)$. Training uses ``torch.optim.Adam`` for a
fixed number of updates, deterministically: one torch thread and fixed seeds
(`seeding.deterministic`), so two runs give bitwise-identical weights.

How the text is read (`Blocks`), in training and in measuring alike: every file is read from
its own start with a zero state, in blocks of ``length`` characters, several files side by
side (one per *slot*); the state is carried from one block to the next of the same file
(truncated back-propagation through time) and set to zero where a slot starts a new file.
Every character of a file but its first is scored, with $-\log_2 p(x_{t+1} \mid x_{\le t})$ in
bits; bits per character is their mean over the scored characters. Training deals the
training files to the slots in a new seeded order on each pass over them.
"""

from __future__ import annotations

import functools
import math
import sys
import time

import numpy as np

from .. import char_corpus
from . import seeding

V = len(char_corpus.VOCAB)
"""Symbols of the vocabulary (97): input size and readout size of every model."""

KINDS = ("lstm", "gru", "rnn")
"""The recurrent layers: ``torch.nn.LSTM``, ``torch.nn.GRU``, ``torch.nn.RNN`` (tanh)."""


# --- the text --------------------------------------------------------------------------------


@functools.cache
def encoded(split: str) -> tuple[np.ndarray, ...]:
    """The files of ``split`` as vocabulary indices, in the manifest's order."""
    return tuple(char_corpus.encode(text) for _, text in char_corpus.corpus()[split])


class Blocks:
    """The files of a split read ``slots`` at a time, in blocks of ``length`` characters.

    ``order`` yields file indices (into ``files``); a slot that finishes its file takes the
    next one, and when ``order`` runs out it stays empty. Each `next` gives ``inputs``
    ``(slots, length)`` (0 past a file's end), ``targets`` ``(slots, length)``, the next
    character of each input or -100 where there is none (past the end, and after a file's last
    character), ``fresh`` ``(slots,)``, True where the slot starts a file (its state must be
    zero), and ``where``, per slot ``(file index, position of the block's first input)`` or
    ``None``. Files shorter than two characters (nothing to score) are skipped.
    """

    def __init__(self, files, slots: int, length: int, order):
        self.files, self.length, self.order = files, length, iter(order)
        self.current: list = [None] * slots

    def _take(self):
        for index in self.order:
            if len(self.files[index]) >= 2:
                return [index, 0]
        return None

    def next(self):
        slots, length = len(self.current), self.length
        inputs = np.zeros((slots, length), dtype=np.int64)
        targets = np.full((slots, length), -100, dtype=np.int64)
        fresh = np.zeros(slots, dtype=bool)
        where = []
        for s in range(slots):
            if self.current[s] is None:
                self.current[s] = self._take()
                fresh[s] = True
            if self.current[s] is None:
                where.append(None)
                continue
            index, start = self.current[s]
            text = self.files[index]
            piece = text[start : start + length]
            inputs[s, : len(piece)] = piece
            after = text[start + 1 : start + length + 1]
            targets[s, : len(after)] = after
            where.append((index, start))
            self.current[s][1] += length
            if self.current[s][1] >= len(text) - 1:  # no target left in this file
                self.current[s] = None
        return inputs, targets, fresh, where

    def done(self) -> bool:
        """True once every slot is empty and no file is left (never, for an endless ``order``)."""
        return all(c is None for c in self.current) and self._peek_empty()

    def _peek_empty(self) -> bool:
        nxt = self._take()
        if nxt is None:
            return True
        self.order = iter([nxt[0], *self.order])
        return False


def training_order(torch, count: int, generator):
    """File indices without end: every pass over the ``count`` files in a new seeded order."""
    while True:
        yield from torch.randperm(count, generator=generator).tolist()


# --- the models ------------------------------------------------------------------------------


def parameters(kind: str, hidden: int) -> int:
    """Trainable parameters of model ``kind`` with ``hidden`` units and the readout.

    G blocks of rows (4 for the LSTM, 3 for the GRU, 1 for the RNN):
    ``G H (V + H + 2)`` in the recurrent layer (``weight_ih``, ``weight_hh``, two biases) and
    ``V H + V`` in the readout, with V = 97.
    """
    blocks = {"lstm": 4, "gru": 3, "rnn": 1}[kind]
    return blocks * hidden * (V + hidden + 2) + V * hidden + V


def build(torch, kind: str, hidden: int):
    """The two modules: a one-layer ``torch.nn.LSTM``/``GRU``/``RNN`` (tanh) on one-hot input, and a ``Linear`` readout."""
    layer = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    return layer(V, hidden, batch_first=True), torch.nn.Linear(hidden, V)


def zero_state(torch, kind: str, slots: int, hidden: int, dtype=None):
    """The zero state of ``slots`` sequences: ``(h, c)`` for the LSTM, ``h`` otherwise, each ``(1, slots, hidden)``."""
    h = torch.zeros(1, slots, hidden, dtype=dtype)
    return (h, h.clone()) if kind == "lstm" else h


def restart(torch, state, fresh):
    """The state with the slots in ``fresh`` (a bool array) set to zero; detached from the graph."""
    keep = torch.from_numpy(~fresh).to(state[0].dtype if isinstance(state, tuple) else state.dtype).view(1, -1, 1)
    if isinstance(state, tuple):
        return tuple(s.detach() * keep for s in state)
    return state.detach() * keep


def forward(torch, modules, inputs, state):
    """Logits ``(slots, length, V)`` and the state after the block, from vocabulary indices ``inputs``."""
    layer, readout = modules
    x = torch.nn.functional.one_hot(torch.from_numpy(inputs), V).to(readout.weight.dtype)
    h, state = layer(x, state)
    return readout(h), state


LN2 = math.log(2)


def surprisal(kind: str, weights: dict, split: str, slots: int = 8, length: int = 1024) -> list[np.ndarray]:
    """For each file of ``split``: $-\\log_2 p(x_t \\mid x_{<t})$ of every character under the model (bits).

    ``weights`` are the model's parameters as `train` returns them; position 0 of each file is
    NaN (not scored: there is nothing before it). Read with `Blocks` (each file from a zero
    state, ``slots`` files side by side, longest first, in blocks of ``length`` characters:
    these change only the speed), float32 as trained.
    """
    import torch

    files = encoded(split)
    modules = torch_modules(kind, weights)
    hidden = modules[0].hidden_size
    out = [np.full(len(f), np.nan) for f in files]
    longest_first = sorted(range(len(files)), key=lambda k: -len(files[k]))
    blocks = Blocks(files, slots, length, longest_first)
    state = zero_state(torch, kind, slots, hidden)
    with torch.no_grad():
        while not blocks.done():
            inputs, targets, fresh, where = blocks.next()
            state = restart(torch, state, fresh)
            logits, state = forward(torch, modules, inputs, state)
            logp = torch.log_softmax(logits, -1).numpy()
            for s, spot in enumerate(where):
                if spot is None:
                    continue
                index, start = spot
                valid = targets[s] >= 0
                bits = -logp[s, np.flatnonzero(valid), targets[s, valid]] / LN2
                out[index][start + 1 : start + 1 + len(bits)] = bits
    return out


def bits_per_character(per_file: list[np.ndarray]) -> float:
    """The mean of the scored characters' bits (NaN positions skipped) over every file."""
    scored = np.concatenate([f[1:] for f in per_file])
    return float(scored.mean())


def torch_modules(kind: str, weights: dict, dtype: str = "float32"):
    """The torch modules (layer, readout) with ``weights`` (names as in `train`'s result), in ``dtype``."""
    import torch

    hidden = len(weights["weight_hh"][0])
    modules = build(torch, kind, hidden)
    layer, readout = modules
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(layer, f"{name}_l0").copy_(torch.tensor(np.asarray(weights[name], dtype=np.float32)))
        readout.weight.copy_(torch.tensor(np.asarray(weights["readout_weight"], dtype=np.float32)))
        readout.bias.copy_(torch.tensor(np.asarray(weights["readout_bias"], dtype=np.float32)))
    return tuple(m.to(getattr(torch, dtype)) for m in modules)


def weights_of(modules) -> dict:
    """The parameters of (layer, readout) as nested lists: weight_ih, weight_hh, bias_ih, bias_hh, readout_weight, readout_bias."""
    layer, readout = modules
    out = {name: getattr(layer, f"{name}_l0").detach().tolist() for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    out["readout_weight"] = readout.weight.detach().tolist()
    out["readout_bias"] = readout.bias.detach().tolist()
    return out


# --- the jobs --------------------------------------------------------------------------------


def initial(kind: str, hidden: int, seed: int):
    """Seed everything (`seeding.deterministic`) and build model ``kind``: the initial modules of run ``seed``."""
    torch = seeding.deterministic(seed)
    return torch, build(torch, kind, hidden)


def train(kind: str, hidden: int, seed: int, batch: int, length: int, updates: int, lr: float, clip: float,
          log_every: int, eval_every: int, eval_slots: int, eval_length: int, corpus: str) -> dict:  # fmt: skip
    """Train model ``kind`` with ``hidden`` units for ``updates`` Adam updates; its weights and curves.

    Prints a progress line on stderr every ``log_every`` updates. Returns ``weights``
    (`weights_of`), ``train_curve`` (``[update, mean training bits per character of the last
    log_every updates]``), ``validation_curve`` (``[update, validation bits per character]``
    every ``eval_every`` updates and at the end), ``validation`` and ``test`` (bits per
    character at the end), ``parameters``, ``seconds`` (wall clock) and ``cpu_seconds`` (this
    process). ``corpus`` is `char_corpus.digest` (it only keys the cache). The settings are
    those of ``lstm_explainer.experiments.char_model.CharModelConfig`` (``train_settings`` there).
    """
    wall, cpu = time.perf_counter(), time.process_time()
    torch, modules = initial(kind, hidden, seed)
    generator = torch.Generator().manual_seed(seed)
    files = encoded("train")
    params = [p for m in modules for p in m.parameters()]
    optimiser = torch.optim.Adam(params, lr=lr)
    blocks = Blocks(files, batch, length, training_order(torch, len(files), generator))
    state = zero_state(torch, kind, batch, hidden)
    train_curve, validation_curve, recent = [], [], []
    label = f"char_model {kind} {hidden} units seed {seed}"

    def validation() -> float:
        with torch.no_grad():
            return bits_per_character(surprisal(kind, weights_of(modules), "validation", eval_slots, eval_length))

    for update in range(updates):
        if update % eval_every == 0:
            validation_curve.append([update, validation()])
        # lr_k = lr (1 - k / updates): a linear decay to 0
        for group in optimiser.param_groups:
            group["lr"] = lr * (1 - update / updates)
        inputs, targets, fresh, _ = blocks.next()
        state = restart(torch, state, fresh)
        logits, state = forward(torch, modules, inputs, state)
        # mean of -log p(x_{t+1} | x_<=t) over the scored characters, in nats
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), torch.from_numpy(targets).reshape(-1), ignore_index=-100)
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, clip)
        optimiser.step()
        recent.append(loss.item() / LN2)
        if (update + 1) % log_every == 0 or update + 1 == updates:
            train_curve.append([update + 1, float(np.mean(recent))])
            recent = []
            print(f"{label}: update {update + 1:,}/{updates:,}, training {train_curve[-1][1]:.3f} bits/char, "
                  f"{time.perf_counter() - wall:.0f} s", file=sys.stderr, flush=True)  # fmt: skip
    weights = weights_of(modules)
    validation_curve.append([updates, validation()])
    return {
        "kind": kind,
        "hidden": hidden,
        "seed": seed,
        "parameters": sum(p.numel() for p in params),
        "weights": weights,
        "train_curve": train_curve,
        "validation_curve": validation_curve,
        "validation": validation_curve[-1][1],
        "test": bits_per_character(surprisal(kind, weights, "test", eval_slots, eval_length)),
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
    }
