r"""A small LSTM language model trained on the France example's world, beside the hand-set one.

The corpus comes from the grammar of `lstm_explainer.experiments.world`: sentences in the
hand-set model's vocabulary, each word annotated with the ground truth (a country seen, the
gender of the person in focus, how many people, eating). A ``torch.nn.Embedding``, a
one-layer ``torch.nn.LSTM`` and a ``torch.nn.Linear`` readout learn next-word prediction on
it, every sentence from a zero state like the hand-set model's. The jobs then measure, on
held-out sentences of the same grammar:

* held-out perplexity $\exp(-\frac{1}{N}\sum \log p(w_{t+1} \mid w_{\le t}))$ and top-1
  accuracy, for the trained model, the hand-set model and the grammar itself (the true
  next-word distribution: the best any model can do). The grammar is small, so many held-out
  sentences also occur word for word in the training corpus: the share is measured
  (`seen_in_training`), and perplexity is also given over the held-out sentences that do not;
* the units that best track each ground-truth feature: Pearson correlation of every unit's
  cell state (and hidden state) with the feature over every held-out word, as LSTMVis
  (Strobelt, Gehrmann, Pfister & Rush, IEEE VIS 2017) invites one to look for by hand;
  and a linear probe of all the units together, fitted on half the held-out words and
  measured on the other half;
* gate saturation as in Karpathy, Johnson & Fei-Fei, "Visualizing and Understanding
  Recurrent Networks" (2015): for each unit and each of the input, forget and output gates,
  the fraction of words at which the gate is below 0.1 (left-saturated) or above 0.9
  (right-saturated);
* next-word guesses after a few prefixes (`PREFIXES`), and every unit over the walkthrough
  sentence.

For the measurements the trained weights are copied, in float64, into the site's NumPy
`lstm_explainer.cells.LSTMCell` (`TrainedLM`), which keeps every gate of every step;
``tests/test_language_model.py`` checks it against the torch modules.
"""

from __future__ import annotations

import math

import numpy as np

from ..cells import GATES, LSTMCell
from ..france import SENTENCE, FranceLSTM, softmax
from . import cache, seeding, world

SETTINGS = {
    "train_sentences": 4000,
    "heldout_sentences": 500,
    "corpus_seed": 1,
    "heldout_seed": 2,
    "embedding": 16,
    "hidden": 32,
    "batch": 64,
    "updates": 800,
    "lr": 0.05,
}
"""The training run: corpus sizes and seeds, model sizes, Adam's batch, updates and peak learning rate."""

SEEDS = (0, 1)
"""Training seeds (initial weights and batch order); the page's model is the first."""

PREFIXES = (
    "In France, I ate",
    "In Italy, I ate",
    "In France, Mary ate",
    "In France, Mary ate her",
    "In France, Mary ate her croissant but",
    "In France, Mary ate her croissant but Frank did not like the",
)
"""The prefixes whose next-word guesses are compared: France against Italy, then the walkthrough."""

TRACKED = ("seen_france", "female", "people")
"""The features whose best units the page shows over the walkthrough sentence."""

LOW, HIGH = 0.1, 0.9
"""Gate saturation thresholds (Karpathy et al. 2015): left-saturated below, right-saturated above."""

CLIP = 1.0
"""The gradient norm is clipped to this before each update."""

EVAL_EVERY = 25
"""Updates between two measurements of the held-out loss during training."""

VOCAB = world.VOCAB
PAD = len(VOCAB)
"""The padding index: one embedding row past the vocabulary, never a target."""


# --- the corpus ------------------------------------------------------------------------------


def corpus(count: int, seed: int) -> list[tuple[str, ...]]:
    """``count`` sentences of the grammar (``world.generate``)."""
    return world.generate(count, seed)


def padded(torch, sentences) -> "torch.Tensor":
    """Word indices, one row per sentence, padded on the right with `PAD`."""
    rows = np.full((len(sentences), max(map(len, sentences))), PAD, dtype=np.int64)
    for k, sentence in enumerate(sentences):
        rows[k, : len(sentence)] = [VOCAB.index(word) for word in sentence]
    return torch.from_numpy(rows)


# --- the model -------------------------------------------------------------------------------


def build(torch, embedding: int, hidden: int):
    """The three modules: ``Embedding`` (with a padding row), one-layer ``LSTM``, ``Linear`` readout."""
    return (
        torch.nn.Embedding(len(VOCAB) + 1, embedding, padding_idx=PAD),
        torch.nn.LSTM(embedding, hidden, batch_first=True),
        torch.nn.Linear(hidden, len(VOCAB)),
    )


def mean_loss(torch, modules, x):
    r"""Mean next-word cross-entropy $-\log p(w_{t+1} \mid w_{\le t})$ over every real word of ``x``."""
    embed, lstm, readout = modules
    h, _ = lstm(embed(x[:, :-1]))  # every sentence from h_0 = c_0 = 0
    targets = x[:, 1:].masked_fill(x[:, 1:] == PAD, -100)  # no target past a sentence's end
    return torch.nn.functional.cross_entropy(readout(h).reshape(-1, len(VOCAB)), targets.reshape(-1), ignore_index=-100)


def length_buckets(torch, lengths, batch: int) -> list:
    """One epoch of batches, in random order, each of sentences of about the same length.

    Sentences are shuffled, sorted by length (a stable sort keeps the shuffle among equals) and
    cut into batches, so a batch pads little: the LSTM runs about as many steps as the words
    it has.
    """
    order = torch.randperm(len(lengths))
    order = order[torch.sort(lengths[order], stable=True).indices]
    chunks = list(torch.split(order, batch))
    return [chunks[k] for k in torch.randperm(len(chunks)).tolist()]


def train(seed: int, train_sentences: int, heldout_sentences: int, corpus_seed: int, heldout_seed: int,
          embedding: int, hidden: int, batch: int, updates: int, lr: float) -> dict:  # fmt: skip
    """Train one model; return its weights (as lists) and its held-out loss along the way."""
    torch = seeding.deterministic(seed)
    x = padded(torch, corpus(train_sentences, corpus_seed))
    x_heldout = padded(torch, corpus(heldout_sentences, heldout_seed))
    lengths = (x != PAD).sum(1)
    modules = build(torch, embedding, hidden)
    params = [p for m in modules for p in m.parameters()]
    optimiser = torch.optim.Adam(params, lr=lr)
    curve = []

    def heldout_loss() -> float:
        with torch.no_grad():
            return float(mean_loss(torch, modules, x_heldout))

    batches = []
    for update in range(updates):
        if not batches:
            batches = length_buckets(torch, lengths, batch)
        if update % EVAL_EVERY == 0:
            curve.append([update, heldout_loss()])
        # lr_k = lr (1 - k / updates): a linear decay to 0, for a steady end
        for group in optimiser.param_groups:
            group["lr"] = lr * (1 - update / updates)
        rows = batches.pop()
        longest = int(lengths[rows].max())
        loss = mean_loss(torch, modules, x[rows, :longest])
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, CLIP)
        optimiser.step()
    curve.append([updates, heldout_loss()])
    embed, lstm, readout = modules
    return {
        "curve": curve,
        "embedding": embed.weight.detach()[: len(VOCAB)].tolist(),
        **{name: getattr(lstm, f"{name}_l0").detach().tolist() for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")},
        "readout_weight": readout.weight.detach().tolist(),
        "readout_bias": readout.bias.detach().tolist(),
    }


class TrainedLM:
    """A trained model's weights in NumPy (float64): embedding, the site's ``LSTMCell``, readout.

    It reads a sentence like `FranceLSTM.trace` does: every gate and state, then the
    next-word distribution $p_t = \\mathrm{softmax}(W_y h_t + b_y)$.
    """

    def __init__(self, weights: dict):
        self.embedding = np.array(weights["embedding"], dtype=np.float64)
        self.cell = LSTMCell(*(np.array(weights[name], dtype=np.float64)
                               for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))  # fmt: skip
        self.readout_weight = np.array(weights["readout_weight"], dtype=np.float64)
        self.readout_bias = np.array(weights["readout_bias"], dtype=np.float64)

    def trace(self, tokens):
        """``(cell trace, next-word probabilities (T, V))`` for the words ``tokens``, from a zero state."""
        cell = self.cell.run(self.embedding[[VOCAB.index(word) for word in tokens]])
        # p_t = softmax(W_y h_t + b_y)
        return cell, softmax(cell.h @ self.readout_weight.T + self.readout_bias)


# --- measuring -----------------------------------------------------------------------------


def correlations(values: np.ndarray, features: np.ndarray) -> np.ndarray:
    r"""Pearson $r$ of every feature (columns of ``features``) with every unit (columns of ``values``).

    $r = \frac{\sum (x - \bar x)(y - \bar y)}{\sqrt{\sum (x - \bar x)^2 \sum (y - \bar y)^2}}$; a
    constant column gets $r = 0$. Returns features x units.
    """
    x = values - values.mean(0)
    y = features - features.mean(0)
    norms = np.outer(np.sqrt((y**2).sum(0)), np.sqrt((x**2).sum(0)))
    return np.divide(y.T @ x, norms, out=np.zeros(norms.shape), where=norms > 0)


def fit_probe(values: np.ndarray, features: np.ndarray) -> np.ndarray:
    r"""A linear probe: least squares $w$ for $\hat y = [v, 1]\,w$, one column per feature."""
    design = np.hstack([values, np.ones((len(values), 1))])
    w, *_ = np.linalg.lstsq(design, features, rcond=None)
    return w


def apply_probe(w: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The probe's estimate of every feature, ``[values, 1] @ w``."""
    return np.hstack([values, np.ones((len(values), 1))]) @ w


def probe(values: np.ndarray, features: np.ndarray, split: int) -> list[float]:
    """How well *all* units together track each feature: Pearson r of a linear probe fitted
    on the first ``split`` words, measured on the remaining words."""
    fitted = apply_probe(fit_probe(values[:split], features[:split]), values[split:])
    return [float(correlations(fitted[:, [k]], features[split:, [k]])[0, 0]) for k in range(features.shape[1])]


def saturation(gates: dict[str, np.ndarray]) -> dict:
    """For each gate: per unit and overall, the fraction of words below `LOW` and above `HIGH`."""
    out = {}
    for name, values in gates.items():
        out[name] = {
            "low": float((values < LOW).mean()),
            "high": float((values > HIGH).mean()),
            "per_unit": [[float(lo), float(hi)] for lo, hi in zip((values < LOW).mean(0), (values > HIGH).mean(0))],
        }
    return out


def measure(reader, sentences) -> dict:
    """Read every held-out sentence with ``reader`` (words -> (cell trace, probs)) and measure it.

    Returns perplexity and accuracy of the next word, every unit's correlation with every
    feature (cell state ``c`` and hidden state ``h``), the linear probe of all units, and gate
    saturation.
    """
    states = {"c": [], "h": []}
    gates = {gate: [] for gate in GATES if gate != "g"}
    features, log_p, hits = [], [], []
    for sentence in sentences:
        truth = world.annotate(sentence)
        cell, probs = reader(sentence)
        nxt = [VOCAB.index(word) for word in sentence[1:]]
        # log p(w_{t+1} | w_<=t), for every word that has a next word
        log_p.extend(np.log(probs[np.arange(len(nxt)), nxt]))
        hits.extend(probs[: len(nxt)].argmax(1) == nxt)
        features.append(truth.features)
        for name in states:
            states[name].append(getattr(cell, name))
        for name in gates:
            gates[name].append(getattr(cell, name))
    split = sum(map(len, sentences[: len(sentences) // 2]))  # the probe is fitted on the first half
    features = np.vstack(features)
    states = {name: np.vstack(v) for name, v in states.items()}
    return {
        # perplexity = exp(-mean log p)
        "perplexity": math.exp(-float(np.mean(log_p))),
        "accuracy": float(np.mean(hits)),
        "scored_words": len(log_p),
        "words": len(features),
        "correlation": {name: correlations(v, features).tolist() for name, v in states.items()},
        "probe": {name: probe(v, features, split) for name, v in states.items()},
        "probe_weights": fit_probe(states["c"][:split], features[:split]).tolist(),
        "saturation": saturation({name: np.vstack(v) for name, v in gates.items()}),
    }


def guesses(reader) -> dict:
    """The next-word distribution (over `VOCAB`) after each of `PREFIXES`, and along the walkthrough."""
    walk = world.tokenize(SENTENCE)
    cell, probs = reader(walk)
    return {
        "prefixes": {prefix: reader(world.tokenize(prefix))[1][-1].tolist() for prefix in PREFIXES},
        "walkthrough": {"tokens": list(walk), "probs": probs.tolist(), "c": cell.c.tolist(), "h": cell.h.tolist()},
    }


def seen_in_training(heldout, train_sentences: int, corpus_seed: int) -> list[bool]:
    """For each held-out sentence: does it also occur, word for word, in the training corpus?"""
    seen = set(corpus(train_sentences, corpus_seed))
    return [sentence in seen for sentence in heldout]


def unseen_perplexity(reader, heldout, seen: list[bool]) -> float:
    """Perplexity over the held-out sentences not in the training corpus; ``reader`` gives
    words -> (anything, next-word probabilities)."""
    log_p = []
    for sentence, was_seen in zip(heldout, seen):
        if not was_seen:
            probs = reader(sentence)[1]
            nxt = [VOCAB.index(word) for word in sentence[1:]]
            # log p(w_{t+1} | w_<=t)
            log_p.extend(np.log(probs[np.arange(len(nxt)), nxt]))
    return math.exp(-float(np.mean(log_p)))


def grammar_reader(sentence):
    """The grammar as a reader: words -> (None, true next-word probabilities)."""
    return None, world.annotate(sentence).next_probs


def analyse_trained(seed: int, **settings) -> dict:
    """Train (cached) and measure one model on the held-out sentences."""
    seeding.deterministic(seed)
    weights = cache.run_job(train, seed=seed, **settings)
    model = TrainedLM(weights)
    heldout = corpus(settings["heldout_sentences"], settings["heldout_seed"])
    seen = seen_in_training(heldout, settings["train_sentences"], settings["corpus_seed"])
    out = {"seed": seed, "curve": weights["curve"], **measure(model.trace, heldout), **guesses(model.trace)}
    out["unseen_perplexity"] = unseen_perplexity(model.trace, heldout, seen)
    # what the probe of all cell-state units reads from the walkthrough, feature by feature
    c = np.array(out["walkthrough"]["c"])
    out["walkthrough"]["probe"] = apply_probe(np.array(out["probe_weights"]), c).tolist()
    return out


def handset_reader(model: FranceLSTM):
    """The hand-set model as a reader: words -> (cell trace, next-word probabilities)."""

    def read(tokens):
        trace = model.trace(" ".join(tokens))
        return trace.cell, trace.probs

    return read


def analyse_handset(heldout_sentences: int, heldout_seed: int) -> dict:
    """The hand-set France LSTM measured on the same held-out sentences."""
    model = FranceLSTM()
    heldout = corpus(heldout_sentences, heldout_seed)
    return {"units": list(model.units), **measure(handset_reader(model), heldout), **guesses(handset_reader(model))}


def analyse_grammar(heldout_sentences: int, heldout_seed: int, train_sentences: int, corpus_seed: int) -> dict:
    """The grammar itself as a language model: the true next-word distribution, the best possible.

    Also what the held-out text is made of: sentences, words, the share of each feature, and
    the share of sentences that also occur in the training corpus.
    """
    heldout = corpus(heldout_sentences, heldout_seed)
    seen = seen_in_training(heldout, train_sentences, corpus_seed)
    log_p, hits, features = [], [], []
    for sentence in heldout:
        truth = world.annotate(sentence)
        nxt = [VOCAB.index(word) for word in sentence[1:]]
        log_p.extend(np.log(truth.next_probs[np.arange(len(nxt)), nxt]))
        hits.extend(truth.next_probs[: len(nxt)].argmax(1) == nxt)
        features.append(truth.features)
    features = np.vstack(features)
    prefixes = {prefix: world.annotate(prefix, prefix=True).next_probs[-1].tolist() for prefix in PREFIXES}
    walk = world.annotate(SENTENCE)
    return {
        "perplexity": math.exp(-float(np.mean(log_p))),
        "accuracy": float(np.mean(hits)),
        "sentences": len(heldout),
        "seen_in_training": sum(seen),
        "unseen_perplexity": unseen_perplexity(grammar_reader, heldout, seen),
        "scored_words": len(log_p),
        "words": len(features),
        "longest": max(map(len, heldout)),
        "feature_mean": dict(zip(world.FEATURES, features.mean(0).tolist())),
        "walkthrough_structure_share": float(np.mean([world.structure(s) == world.structure(SENTENCE) for s in heldout])),
        "prefixes": prefixes,
        "walkthrough": {"tokens": list(walk.tokens), "features": walk.features.tolist(),
                        "probs": walk.next_probs.tolist(), "probability": walk.probability},  # fmt: skip
    }


def results() -> dict:
    """Everything the page needs: the settings, the grammar's, hand-set and trained measurements."""
    held = {key: SETTINGS[key] for key in ("heldout_sentences", "heldout_seed")}
    trained = cache.run_jobs(analyse_trained, [{"seed": seed, **SETTINGS} for seed in SEEDS])
    corpus_settings = {key: SETTINGS[key] for key in ("train_sentences", "corpus_seed")}
    return {
        "settings": dict(SETTINGS),
        "seeds": list(SEEDS),
        "features": list(world.FEATURES),
        "vocab": list(VOCAB),
        "grammar": cache.run_job(analyse_grammar, **held, **corpus_settings),
        "handset": cache.run_job(analyse_handset, **held),
        "trained": trained,
    }
