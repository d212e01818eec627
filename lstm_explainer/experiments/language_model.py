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
  cell state (and hidden state) with the feature over the held-out words, as LSTMVis
  (Strobelt, Gehrmann, Pfister & Rush, IEEE VIS 2017) invites one to look for by hand. So
  that picking the best of many units does not flatter it, the correlations are also
  computed on two halves of the held-out sentences (``correlation_split``): a unit is
  *selected* on the first half and its $r$ *reported* on the second. A linear probe of all
  the units together is fitted on the first half and measured on the second in the same way;
* gate saturation as in Karpathy, Johnson & Fei-Fei, "Visualizing and Understanding
  Recurrent Networks" (2015): for each unit and each of the input, forget and output gates,
  the fraction of words at which the gate is below ``low`` = 0.1 (left-saturated) or above
  ``high`` = 0.9 (right-saturated);
* next-word guesses after a few prefixes (`PREFIXES`), and every unit over the walkthrough
  sentence;
* sampled sentences (`sample_sentences`): the model writes, word by word, drawing each word
  from $p_i \propto \exp(z_i / T)$ for the logits $z$ and a temperature $T$ (Hinton, Vinyals &
  Dean, "Distilling the Knowledge in a Neural Network", 2015, write the softmax with a
  temperature this way); $T = 1$ is the model's own distribution, $T < 1$ sharpens it
  towards its likeliest words. The model has no end-of-sentence word (it was never asked
  where a sentence stops), so a sample stops after ``sample_clauses`` foods or at
  ``sample_max_words`` words; each is checked against the grammar.

Every setting (seeds, corpus, sizes, training, thresholds) is a field of one frozen
`LanguageModelConfig`; `CONFIG` is the page's. Each job (`train`, `analyse_trained`,
`analyse_handset`, `analyse_grammar`) gets ``dataclasses.asdict`` of it as keyword settings,
so they are its cache key (`lstm_explainer.experiments.cache`), and `results` gathers them.
Every reader of held-out text (trained, hand-set, the grammar) is scored by one loop,
`read_sentences`.

For the measurements the trained weights are copied, in float64, into the site's NumPy
`lstm_explainer.cells.LSTMCell` (`TrainedLM`), which keeps every gate of every step;
``tests/test_language_model.py`` checks it against the torch modules.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..cells import GATES, LSTMCell
from ..checks import InputError
from ..france import SENTENCE, FranceLSTM, softmax
from . import cache, seeding, world


@dataclass(frozen=True)
class LanguageModelConfig:
    """Every setting of the experiment: the runs, the corpus, the model, training, measuring.

    ``dataclasses.asdict`` of it is what each job gets as keyword settings (with ``seed`` for
    the jobs of one run), so it is part of every cache key; the page quotes it.
    """

    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    """Training seeds (initial weights and batch order), one trained model each; the page's model is the first's."""
    train_sentences: int = 4000
    """Sentences of the training corpus (`world.generate` with ``corpus_seed``)."""
    heldout_sentences: int = 500
    """Held-out sentences every model is measured on (`world.generate` with ``heldout_seed``)."""
    corpus_seed: int = 1
    heldout_seed: int = 2
    embedding: int = 16
    """Size of a word's embedding vector."""
    hidden: int = 32
    """Units of the one-layer LSTM."""
    batch: int = 64
    """Sentences per update."""
    updates: int = 800
    """Adam updates."""
    lr: float = 0.05
    """Adam's peak learning rate, decayed linearly to 0 over the updates."""
    clip: float = 1.0
    """The gradient norm is clipped to this before each update."""
    eval_every: int = 25
    """Updates between two measurements of the held-out loss during training."""
    low: float = 0.1
    """Gate saturation (Karpathy et al. 2015): a gate below this is left-saturated."""
    high: float = 0.9
    """Gate saturation: a gate above this is right-saturated."""
    sample_temperatures: tuple[float, ...] = (0.5, 1.0)
    """Temperatures T of the sampled sentences: p_i proportional to exp(z_i / T)."""
    sample_seed: int = 12
    """Seed of the sampling (the same random numbers at every temperature)."""
    sample_count: int = 200
    """Sentences sampled per temperature and model, to count how many are the grammar's and how many differ."""
    sample_shown: int = 6
    """The first this many samples of each temperature are shown on the page, as they come."""
    sample_first: str = "in"
    """Every sample starts from this word (the model reads a first word before it guesses)."""
    sample_clauses: int = 2
    """A sample stops after this many foods (the end of this many clauses) ..."""
    sample_max_words: int = 16
    """... or at this many words."""


CONFIG = LanguageModelConfig()
"""The settings of the page's experiment."""

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


def train(seed: int, **settings) -> dict:
    """Train the model of run ``seed``; return its weights (as lists) and its held-out loss along the way.

    ``settings`` are the fields of `LanguageModelConfig` (``dataclasses.asdict``); the curve is
    ``[update, mean held-out cross-entropy in nats]`` every ``eval_every`` updates and at the end.
    """
    config = LanguageModelConfig(**settings)
    torch = seeding.deterministic(seed)
    x = padded(torch, corpus(config.train_sentences, config.corpus_seed))
    x_heldout = padded(torch, corpus(config.heldout_sentences, config.heldout_seed))
    lengths = (x != PAD).sum(1)
    modules = build(torch, config.embedding, config.hidden)
    params = [p for m in modules for p in m.parameters()]
    optimiser = torch.optim.Adam(params, lr=config.lr)
    curve = []

    def heldout_loss() -> float:
        with torch.no_grad():
            return float(mean_loss(torch, modules, x_heldout))

    batches = []
    for update in range(config.updates):
        if not batches:
            batches = length_buckets(torch, lengths, config.batch)
        if update % config.eval_every == 0:
            curve.append([update, heldout_loss()])
        # lr_k = lr (1 - k / updates): a linear decay to 0, for a steady end
        for group in optimiser.param_groups:
            group["lr"] = config.lr * (1 - update / config.updates)
        rows = batches.pop()
        longest = int(lengths[rows].max())
        loss = mean_loss(torch, modules, x[rows, :longest])
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, config.clip)
        optimiser.step()
    curve.append([config.updates, heldout_loss()])
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

    def step(self, word: str, h: np.ndarray | None = None, c: np.ndarray | None = None):
        """Read one ``word`` from the state ``(h, c)`` (zeros if ``None``): ``(logits z (V,), h, c)``."""
        cell = self.cell.run(self.embedding[[VOCAB.index(word)]], h0=h, c0=c)
        # z = W_y h_t + b_y
        return cell.h[0] @ self.readout_weight.T + self.readout_bias, cell.h[0], cell.c[0]


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


def saturation(gates: dict[str, np.ndarray], low: float, high: float) -> dict:
    """For each gate (words x units): per unit and overall, the fraction of words below ``low`` and above ``high``."""
    out = {}
    for name, values in gates.items():
        out[name] = {
            "low": float((values < low).mean()),
            "high": float((values > high).mean()),
            "per_unit": [[float(lo), float(hi)] for lo, hi in zip((values < low).mean(0), (values > high).mean(0))],
        }
    return out


def split_correlations(values: np.ndarray, features: np.ndarray, split: int) -> dict:
    """`correlations` on the words before ``split`` (``"select"``) and from it on (``"test"``)."""
    return {"select": correlations(values[:split], features[:split]).tolist(),
            "test": correlations(values[split:], features[split:]).tolist()}  # fmt: skip


def tempered(logits: np.ndarray, temperature: float) -> np.ndarray:
    r"""The next-word distribution at ``temperature`` T: $p_i = e^{z_i / T} / \sum_j e^{z_j / T}$.

    T = 1 is the model's softmax; T < 1 sharpens it, T > 1 flattens it; T must be positive
    (`ValueError` otherwise).
    """
    if not temperature > 0:
        raise ValueError(f"the temperature must be positive; got {temperature!r}.")
    return softmax(np.asarray(logits, dtype=np.float64) / temperature)


def sample_sentence(model: TrainedLM, rng: np.random.Generator, temperature: float, config: LanguageModelConfig):
    """One sentence written by ``model``: from ``config.sample_first``, each next word drawn
    from `tempered` logits, until ``config.sample_clauses`` foods or ``config.sample_max_words`` words."""
    words = [config.sample_first]
    logits, h, c = model.step(words[0])
    foods = 0
    while len(words) < config.sample_max_words:
        # p_i = exp(z_i / T) / sum_j exp(z_j / T)
        word = VOCAB[rng.choice(len(VOCAB), p=tempered(logits, temperature))]
        words.append(word)
        foods += world.KINDS.get(word) == "FOOD"
        if foods == config.sample_clauses:
            break
        logits, h, c = model.step(word, h, c)
    return tuple(words)


def is_grammatical(words) -> bool:
    """Whether ``words`` begin a sentence of the grammar (`world.annotate` with ``prefix``)."""
    try:
        world.annotate(words, prefix=True)
    except InputError:
        return False
    return True


def sample_sentences(model: TrainedLM, config: LanguageModelConfig) -> list[dict]:
    """Per temperature of ``config.sample_temperatures``: the first ``sample_shown`` samples as
    text, and over ``sample_count`` samples how many are the grammar's and how many differ.

    Every temperature draws from a fresh ``numpy.random.default_rng(config.sample_seed)``.
    """
    out = []
    for temperature in config.sample_temperatures:
        rng = np.random.default_rng(config.sample_seed)
        samples = [sample_sentence(model, rng, temperature, config) for _ in range(config.sample_count)]
        out.append({
            "temperature": temperature,
            "shown": [" ".join(words) for words in samples[: config.sample_shown]],
            "shown_grammatical": [is_grammatical(words) for words in samples[: config.sample_shown]],
            "grammatical": sum(map(is_grammatical, samples)),
            "distinct": len(set(samples)),
            "count": len(samples),
        })  # fmt: skip
    return out


def read_sentences(reader, sentences) -> dict:
    r"""The one evaluation loop: read every sentence with ``reader`` and score its next words.

    ``reader`` maps a sentence's words to ``(trace, next-word probabilities (T, V))``; the
    trace may be anything (``None`` for the grammar). Returns lists with one entry per
    sentence, in order: ``log_p``, $\log p(w_{t+1} \mid w_{\le t})$ of each word that has a next
    word (T - 1 values); ``hits``, whether that next word was the reader's likeliest guess;
    ``features``, the grammar's ground truth after every word (T x `world.FEATURES`);
    ``traces``, the readers' traces.
    """
    out = {"log_p": [], "hits": [], "features": [], "traces": []}
    for sentence in sentences:
        trace, probs = reader(sentence)
        nxt = [VOCAB.index(word) for word in sentence[1:]]
        out["log_p"].append(np.log(probs[np.arange(len(nxt)), nxt]))
        out["hits"].append(probs[: len(nxt)].argmax(1) == nxt)
        out["features"].append(world.annotate(sentence).features)
        out["traces"].append(trace)
    return out


def perplexity(log_p: list[np.ndarray]) -> float:
    r"""$\exp(-\frac{1}{N}\sum \log p)$ over every value of the per-sentence arrays ``log_p``."""
    return math.exp(-float(np.mean(np.concatenate(log_p))))


def prediction(reading: dict, seen: list[bool] | None = None) -> dict:
    """How well a reader predicts the next word, from `read_sentences`'s ``reading``.

    Perplexity and top-1 accuracy over every scored word, how many words were scored and read;
    with ``seen`` (one flag per sentence, `seen_in_training`), also the perplexity over the
    sentences not seen in training.
    """
    out = {
        "perplexity": perplexity(reading["log_p"]),
        "accuracy": float(np.mean(np.concatenate(reading["hits"]))),
        "scored_words": sum(map(len, reading["log_p"])),
        "words": sum(map(len, reading["features"])),
    }
    if seen is not None:
        out["unseen_perplexity"] = perplexity([lp for lp, was_seen in zip(reading["log_p"], seen) if not was_seen])
    return out


def measure(reader, sentences, config: LanguageModelConfig, seen: list[bool] | None = None) -> dict:
    """Read every held-out sentence with ``reader`` (words -> (cell trace, probs)) and measure it.

    Returns `prediction` (perplexity and accuracy of the next word; over the unseen sentences
    too, given ``seen``), every unit's correlation with every feature (cell state ``c`` and
    hidden state ``h``), the linear probe of all units, and gate saturation (``config.low``,
    ``config.high``).
    """
    reading = read_sentences(reader, sentences)
    traces = reading["traces"]
    split = sum(map(len, sentences[: len(sentences) // 2]))  # the probe is fitted on the first half
    features = np.vstack(reading["features"])
    states = {name: np.vstack([getattr(cell, name) for cell in traces]) for name in ("c", "h")}
    gates = {name: np.vstack([getattr(cell, name) for cell in traces]) for name in GATES if name != "g"}
    return {
        **prediction(reading, seen),
        "correlation": {name: correlations(v, features).tolist() for name, v in states.items()},
        "correlation_split": {name: split_correlations(v, features, split) for name, v in states.items()},
        "gate_mean": {name: float(values.mean()) for name, values in gates.items()},
        "probe": {name: probe(v, features, split) for name, v in states.items()},
        "probe_weights": fit_probe(states["c"][:split], features[:split]).tolist(),
        "saturation": saturation(gates, config.low, config.high),
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


def grammar_reader(sentence):
    """The grammar as a reader: words -> (None, true next-word probabilities)."""
    return None, world.annotate(sentence).next_probs


def handset_reader(model: FranceLSTM):
    """The hand-set model as a reader: words -> (cell trace, next-word probabilities)."""

    def read_words(tokens):
        trace = model.trace(" ".join(tokens))
        return trace.cell, trace.probs

    return read_words


# --- the jobs (each gets ``dataclasses.asdict`` of a `LanguageModelConfig` as its settings) ---


def analyse_trained(seed: int, **settings) -> dict:
    """Train run ``seed`` (cached) and measure its model on the held-out sentences."""
    config = LanguageModelConfig(**settings)
    seeding.deterministic(seed)
    weights = cache.run_job(train, seed=seed, **settings)
    model = TrainedLM(weights)
    heldout = corpus(config.heldout_sentences, config.heldout_seed)
    seen = seen_in_training(heldout, config.train_sentences, config.corpus_seed)
    out = {"seed": seed, "curve": weights["curve"], **measure(model.trace, heldout, config, seen)}
    out.update(guesses(model.trace))
    # what the probe of all cell-state units reads from the walkthrough, feature by feature
    c = np.array(out["walkthrough"]["c"])
    out["walkthrough"]["probe"] = apply_probe(np.array(out["probe_weights"]), c).tolist()
    return out


def sample_trained(seed: int, **settings) -> list[dict]:
    """`sample_sentences` of run ``seed``'s model (its training cached)."""
    config = LanguageModelConfig(**settings)
    return sample_sentences(TrainedLM(cache.run_job(train, seed=seed, **settings)), config)


def analyse_handset(**settings) -> dict:
    """The hand-set France LSTM measured on the same held-out sentences."""
    config = LanguageModelConfig(**settings)
    model = FranceLSTM()
    heldout = corpus(config.heldout_sentences, config.heldout_seed)
    return {"units": list(model.units), **measure(handset_reader(model), heldout, config),
            **guesses(handset_reader(model))}  # fmt: skip


def analyse_grammar(**settings) -> dict:
    """The grammar itself as a language model: the true next-word distribution, the best possible.

    Also what the held-out text is made of: sentences, words, the share of each feature, and
    the share of sentences that also occur in the training corpus.
    """
    config = LanguageModelConfig(**settings)
    heldout = corpus(config.heldout_sentences, config.heldout_seed)
    seen = seen_in_training(heldout, config.train_sentences, config.corpus_seed)
    reading = read_sentences(grammar_reader, heldout)
    prefixes = {prefix: world.annotate(prefix, prefix=True).next_probs[-1].tolist() for prefix in PREFIXES}
    walk = world.annotate(SENTENCE)
    return {
        **prediction(reading, seen),
        "sentences": len(heldout),
        "seen_in_training": sum(seen),
        "longest": max(map(len, heldout)),
        "feature_mean": dict(zip(world.FEATURES, np.vstack(reading["features"]).mean(0).tolist())),
        "walkthrough_structure_share": float(np.mean([world.structure(s) == world.structure(SENTENCE) for s in heldout])),
        "prefixes": prefixes,
        "walkthrough": {"tokens": list(walk.tokens), "features": walk.features.tolist(),
                        "probs": walk.next_probs.tolist(), "probability": walk.probability},  # fmt: skip
    }


def results(config: LanguageModelConfig = CONFIG) -> dict:
    """Everything the page needs, for ``config`` (the page's `CONFIG` by default).

    ``settings`` (``dataclasses.asdict(config)``), ``features`` and ``vocab``; ``grammar``,
    ``handset`` (`analyse_grammar`, `analyse_handset`) and ``trained`` (`analyse_trained`, one
    per seed, in the order of ``config.seeds``); ``samples``, `sample_trained` of the first
    seed's model (the page's). Each job is cached (`cache.run_jobs`).
    """
    settings = dataclasses.asdict(config)
    return {
        "settings": settings,
        "features": list(world.FEATURES),
        "vocab": list(VOCAB),
        "grammar": cache.run_job(analyse_grammar, **settings),
        "handset": cache.run_job(analyse_handset, **settings),
        "trained": cache.run_jobs(analyse_trained, [{"seed": seed, **settings} for seed in config.seeds]),
        "samples": cache.run_job(sample_trained, seed=config.seeds[0], **settings),
    }
