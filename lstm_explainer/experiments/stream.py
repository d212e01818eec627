"""A continual stream, as in Gers, Schmidhuber & Cummins (2000), "Learning to Forget:
Continual Prediction with LSTM" (Neural Computation 12(10)): input that is not cut into
separate sequences, so nothing resets the cell state to zero. Two experiments:

**The hand-set cell.** `stream_sentences` writes a stream from the vocabulary, and three
cells of `CELLS` read it: without a forget gate (the 1997 LSTM, the what-if
``no_forget_gate`` of `lstm_explainer.france.VARIANTS`), the standard cell, and a cell whose
forget gate is also shut by "in" (`reset_model`), a what-if of ours built with
``FranceLSTM.set_weight``. For each cell, `read_stream` keeps the norm of the cell state
after every word, the probability the cell gave the actual next word, and every unit's cell
state at the end. Its weights were designed by hand, so this shows what those weights do,
not what a forget gate is worth.

**Trained cells** (`train_stream`, Gers et al.'s setting): an LSTM with a forget gate and the
1997 LSTM without one (`TRAINED`, the models of `lstm_explainer.experiments.recall_models`),
each trained with ``torch.optim.Adam`` on a stream of sentences sampled from the grammar of
`lstm_explainer.experiments.world`, predicting every next word, with the state carried from
one update to the next and never reset (truncated backpropagation through time). Then each
reads a long test stream from the grammar, once without a reset and once reset to zero at
every sentence start (a reset nobody gives it in training). The measure is the probability
the model gives to words the grammar rules out at that point (`impossible_mass`): 0 for a
model that keeps track of the sentence it is in, whatever came before.

Every setting is a field of `CONFIG`, a `StreamConfig`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .. import france_weights as weights
from ..checks import InputError
from ..france import FranceLSTM
from . import cache
from .recall_models import RecallNet
from .seeding import deterministic


@dataclass(frozen=True)
class StreamConfig:
    """The settings of the stream experiment: what the cache key of its jobs is built from
    (``asdict(CONFIG)``), and what the what-if page quotes."""

    sentences: int = 60
    """Sentences in the stream (an even number: they come in pairs, a long one and a short one)."""
    reset_weight: float = -2 * weights.S
    """The weight from 'in' into the memory units' forget gates in `reset_model`: the weight
    'but' has on ``eating``."""
    # --- the trained cells: a continual recall stream ---
    symbols: tuple[str, ...] = ("A", "B")
    """The symbols an episode of the trained stream starts with and its query asks for."""
    filler: str = "."
    """The filler between an episode's symbol and its query."""
    query: str = "?"
    """The input that asks for the episode's symbol."""
    min_lag: int = 5
    """The fewest fillers of an episode."""
    max_lag: int = 15
    """The most fillers of an episode."""
    hidden: int = 8
    """Hidden units of each trained model."""
    forget_bias: float = 1.0
    """The forget-gate bias the LSTM with a forget gate starts with (all in ``bias_ih``)."""
    streams: int = 8
    """Training streams read side by side (the batch); each is its own never-reset stream."""
    train_episodes: int = 1000
    """Episodes in each training stream, read once, in order."""
    window: int = 40
    """Steps per update: gradients flow back this far (truncated backpropagation through
    time); the state itself is carried on, never reset."""
    learning_rate: float = 0.01
    """Adam's step size (its other settings PyTorch's defaults)."""
    data_seed: int = 1000
    """Training stream k is `recall_stream` with seed ``data_seed + k``."""
    test_episodes: int = 300
    """Episodes of the test stream."""
    test_seed: int = 2000
    """The seed of the test stream, none of the training streams'."""
    block: int = 50
    """The test stream is reported in blocks of this many episodes."""
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    """The seeds of the trained models: each fixes a model's initial weights."""


CONFIG = StreamConfig()
"""The settings the site uses."""

PERSONS = ("I", "Mary", "Frank")
DETERMINER = {"I": "the", "Mary": "her", "Frank": "his"}

SETTINGS = tuple(
    (country, eater, food) for country in weights.COUNTRIES for eater in PERSONS for food in weights.FOODS[country]
)
"""Every (country, eater, food) a stream sentence can have."""

_FOODS_PER_COUNTRY = len(weights.FOODS[weights.COUNTRIES[0]])
STRIDE = len(PERSONS) * _FOODS_PER_COUNTRY + _FOODS_PER_COUNTRY + 1
"""Sentence k takes setting ``(STRIDE * k) % len(SETTINGS)``: one step of this stride moves
country, eater and food on by one each, and since it shares no factor with the number of
settings, every setting comes once before any repeats."""

assert all(len(foods) == _FOODS_PER_COUNTRY for foods in weights.FOODS.values())
assert math.gcd(STRIDE, len(SETTINGS)) == 1

WINE_COUNTRY = "france"
"""Wine is French (as in the grammar of `lstm_explainer.experiments.world`): only a French
sentence's second clause may dislike it."""

CELLS = {
    "no_forget_gate": "no forget gate (the 1997 LSTM)",
    "standard": "standard cell",
    "reset_at_in": "forget gate also shut by 'in'",
}
"""The three cells that read the stream: two variants of `VARIANTS` and `reset_model`."""


def stream_sentences(n: int = CONFIG.sentences) -> list[str]:
    """``n`` sentences of the vocabulary, the same on every run.

    Sentence ``k`` takes the ``(STRIDE * k) % len(SETTINGS)``-th of `SETTINGS`. Even-numbered
    sentences have a second clause, in which the next person does not like another food of
    the country (or, in France, possibly the wine); odd-numbered ones stop after the food.

    Examples
    --------
    >>> for sentence in stream_sentences(3):
    ...     print(sentence)
    In France, I ate the croissant but Mary did not like the wine.
    In Italy, Mary ate her pasta.
    In Germany, Frank ate his strudel but I did not like the pretzel.
    """
    out = []
    for k in range(n):
        country, eater, food = SETTINGS[(STRIDE * k) % len(SETTINGS)]
        sentence = f"In {country.title()}, {eater} ate {DETERMINER[eater]} {food}"
        if k % 2 == 0:
            other = PERSONS[(PERSONS.index(eater) + 1) % len(PERSONS)]
            choices = (("wine",) if country == WINE_COUNTRY else ()) + tuple(
                f for f in weights.FOODS[country] if f != food
            )
            sentence += f" but {other} did not like the {choices[(k // 2) % len(choices)]}"
        out.append(sentence + ".")
    return out


def reset_model(reset_weight: float = CONFIG.reset_weight) -> FranceLSTM:
    """The France LSTM with one more weight per memory unit: 'in' shuts its forget gate.

    Each of `MEMORY_UNITS` gets ``reset_weight`` (`StreamConfig.reset_weight`) from the input
    feature ``in`` into its forget gate, which outweighs the forget bias:
    $f = \\sigma(b_f + w)$ is nearly 0 at every 'in', so a new sentence starts from an empty
    memory.
    """
    model = FranceLSTM()
    for unit in weights.MEMORY_UNITS:
        model.set_weight("f", unit, "in", reset_weight)
    return model


def read_stream(cell: str, sentences: int, reset_weight: float) -> dict:
    """The stream of ``sentences`` sentences through the cell ``cell`` of `CELLS` (a job: its
    settings are ``cell`` and the fields of `StreamConfig`).

    Returns the norm $\\lVert c_t \\rVert$ after every word, the probability given to the
    actual next word after every word but the last (lists of floats, one per word), and every
    unit's cell state at the end (16 floats). Raises `InputError` for an unknown ``cell``.
    """
    if cell not in CELLS:
        raise InputError(f"unknown cell {cell!r}; the cells are: {', '.join(CELLS)}.")
    text = " ".join(stream_sentences(sentences))
    if cell == "reset_at_in":
        trace = reset_model(reset_weight).trace(text)
    else:
        trace = FranceLSTM().trace(text, variant=cell)
    tokens = trace.tokens
    nxt = [weights.VOCAB.index(word) for word in tokens[1:]]
    return {
        "norms": np.linalg.norm(trace.cell.c, axis=1).tolist(),
        "next_word_p": trace.probs[np.arange(len(nxt)), nxt].tolist(),
        "c_end": trace.cell.c[-1].tolist(),
    }


def results(config: StreamConfig = CONFIG) -> dict:
    """The stream of ``config`` (sentences, words, where each sentence starts, how many words
    name a person) and what each cell of `CELLS` made of it (`read_stream`, cached)."""
    sentences = stream_sentences(config.sentences)
    model = FranceLSTM()
    lengths = [len(model.tokenize(s)) for s in sentences]
    reads = cache.run_jobs(read_stream, [{"cell": cell, "sentences": config.sentences,
                                          "reset_weight": config.reset_weight} for cell in CELLS])  # fmt: skip
    tokens = model.tokenize(" ".join(sentences))
    persons = {person.lower() for person in PERSONS}
    return {
        "sentences": sentences,
        "tokens": tokens,
        "starts": [int(s) for s in np.cumsum([0] + lengths[:-1])],
        "person_words": sum(token in persons for token in tokens),
        "cells": dict(zip(CELLS, reads)),
        "trained": trained_results(config),
    }


# --- trained cells on a stream -------------------------------------------------------------

TRAINED = {"lstm": "LSTM with a forget gate", "no_forget": "no forget gate (as in 1997)"}
"""The trained models, by their name in `lstm_explainer.experiments.recall_models`."""


def recall_stream(episodes: int, seed: int, config: StreamConfig = CONFIG) -> tuple[np.ndarray, np.ndarray]:
    """A continual recall stream: ``episodes`` episodes, one after the other, never reset.

    An episode is one of ``config.symbols``, then a random number of ``config.filler`` (from
    ``min_lag`` to ``max_lag``), then ``config.query``, where the answer is the episode's
    symbol. Returns the input indices into `stream_vocabulary` ``(T,)`` and the answer at every
    step ``(T,)`` (the symbol's index at a query, -1 elsewhere). The same seed (NumPy's
    ``default_rng``) gives the same stream.
    """
    rng = np.random.default_rng(seed)
    ids, answers = [], []
    filler, query = len(config.symbols), len(config.symbols) + 1
    for _ in range(episodes):
        symbol, lag = int(rng.integers(len(config.symbols))), int(rng.integers(config.min_lag, config.max_lag + 1))
        ids += [symbol] + [filler] * lag + [query]
        answers += [-1] * (lag + 1) + [symbol]
    return np.array(ids), np.array(answers)


def stream_vocabulary(config: StreamConfig = CONFIG) -> tuple[str, ...]:
    """The inputs of the recall stream, in one-hot order: the symbols, the filler, the query."""
    return (*config.symbols, config.filler, config.query)


class Reader:
    """A trained ``net`` (a `RecallNet`) as our NumPy cell (`lstm_explainer.cells.LSTMCell`,
    float64, the very weights its kernel receives) and its readout."""

    def __init__(self, net: RecallNet):
        from ..cells import LSTMCell

        self.cell = LSTMCell(*[w.detach().double().numpy() for w in net.kernel_weights()])
        tensors = {k: v.detach().double().numpy() for k, v in net.tensors().items()}
        self.readout_weight, self.readout_bias = tensors["readout_weight"], tensors["readout_bias"]
        self.eye = np.eye(net.shapes["weight_ih"][1])

    def __call__(self, ids: np.ndarray) -> dict[str, np.ndarray]:
        """The inputs ``ids`` ``(T,)`` read from a zero state: the answer probabilities
        ``(T, symbols)``, the cell states ``(T, H)`` and the forget gates ``(T, H)``."""
        trace = self.cell.run(self.eye[ids])
        # logits = W_out h_t + b_out; probabilities by softmax
        logits = trace.h @ self.readout_weight.T + self.readout_bias
        probs = np.exp(logits - logits.max(-1, keepdims=True))
        return {"probs": probs / probs.sum(-1, keepdims=True), "c": trace.c, "f": trace.f}


def train_stream(*, config: dict, model: str, seed: int) -> dict:
    """Train ``model`` (a key of `TRAINED`) on never-reset recall streams, then read the test
    stream; one job. ``config`` is ``dataclasses.asdict`` of a `StreamConfig`.

    Training: ``streams`` streams side by side, ``window`` steps per update, the state carried
    on from update to update (truncated backpropagation through time), the loss the
    cross-entropy of the answer at every query. Returns, for the test stream read without a
    reset: the share of queries answered right (the likelier symbol is the episode's) in each
    block of ``block`` episodes (``blocks``) and over all (``accuracy``), and the largest |c|
    of each block (``c_max``); read with a reset to zero at every episode start:
    ``accuracy_reset``; and the mean forget gate at the first step of an episode and at every
    other step (``f_start``, ``f_other``). `InputError` for an unknown ``model``.
    """
    if model not in TRAINED:
        raise InputError(f"unknown model {model!r}; the trained models are: {', '.join(TRAINED)}.")
    cfg = StreamConfig(**config)
    torch = deterministic(seed)
    pieces = [recall_stream(cfg.train_episodes, cfg.data_seed + k, cfg) for k in range(cfg.streams)]
    length = min(len(ids) for ids, _ in pieces)
    ids = torch.as_tensor(np.stack([p[0][:length] for p in pieces], axis=1))  # (T, streams)
    answers = torch.as_tensor(np.stack([p[1][:length] for p in pieces], axis=1))
    vocab = len(stream_vocabulary(cfg))
    net = RecallNet(model, vocab, cfg.hidden, len(cfg.symbols), cfg.forget_bias)
    optimizer = torch.optim.Adam(net.parameters(), lr=cfg.learning_rate)
    h = c = torch.zeros(1, cfg.streams, cfg.hidden)
    x_all = torch.nn.functional.one_hot(ids, vocab).float()
    updates = 0
    for start in range(0, length, cfg.window):
        stop = min(start + cfg.window, length)
        tensors = net.tensors()
        out, h, c = torch.lstm(x_all[start:stop], (h, c), net.kernel_weights(tensors), True, 1, 0.0, True, False,
                               False)  # fmt: skip
        logits = torch.nn.functional.linear(out, tensors["readout_weight"], tensors["readout_bias"])
        target = answers[start:stop].reshape(-1)
        if (target >= 0).any():
            # loss = mean over the window's queries of -log p(right symbol)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(cfg.symbols)), target, ignore_index=-1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            updates += 1
        h, c = h.detach(), c.detach()  # carried on: the stream is never reset
    test, truth = recall_stream(cfg.test_episodes, cfg.test_seed, cfg)
    queries = np.flatnonzero(truth >= 0)
    starts = np.concatenate([[0], queries[:-1] + 1])
    read = Reader(net)
    whole = read(test)
    right = whole["probs"][queries].argmax(-1) == truth[queries]
    reset_right = np.array([read(test[a:q + 1])["probs"][-1].argmax() == truth[q]
                            for a, q in zip(starts, queries)])  # fmt: skip
    first = np.zeros(len(test), dtype=bool)
    first[starts] = True
    blocks = range(0, len(queries), cfg.block)
    return {
        "blocks": [float(right[b:b + cfg.block].mean()) for b in blocks],
        "accuracy": float(right.mean()),
        "accuracy_reset": float(reset_right.mean()),
        "c_max": [float(np.abs(whole["c"][starts[b]:queries[min(b + cfg.block, len(queries)) - 1] + 1]).max())
                  for b in blocks],  # fmt: skip
        "f_start": float(whole["f"][first].mean()),
        "f_other": float(whole["f"][~first].mean()),
        "updates": updates,
        "parameters": net.parameter_count,
    }


def trained_results(config: StreamConfig = CONFIG) -> dict:
    """Each model of `TRAINED` by name: its runs (`train_stream`, cached), one per seed, in
    ``config.seeds`` order, each with its ``seed``."""
    out = {}
    for model in TRAINED:
        settings = [{"config": asdict(config), "model": model, "seed": seed} for seed in config.seeds]
        out[model] = [{"seed": seed, **r} for seed, r in zip(config.seeds, cache.run_jobs(train_stream, settings))]
    return out
