r"""The cells a character LSTM grows on Python's source, measured as a referee would.

Karpathy, Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks" (2015), report
"interpretable cells that keep track of long-range dependencies such as line lengths, quotes
and brackets" in character LSTMs trained on the Linux kernel and on War and Peace. This module
measures whether the model of `lstm_explainer.experiments.char_model` (trained on Python
standard-library files) grows such cells, with held-out files and two baselines:

* **tracing**: every held-out file is read from a zero state by the site's NumPy
  `lstm_explainer.cells.LSTMCell`, built from ``char_model.lstm_state`` (PyTorch's layout,
  one-hot input), which keeps every gate of every step; the next-character probabilities are
  $\mathrm{softmax}(W_{hy} h_t + b_y)$ with the model's readout. The trained model and its
  untrained twin run in one cell, side by side (`side_by_side`: block-diagonal weights, each
  half exactly its own cell), which halves the time;
* **units**: the candidates are the ``2 H`` numbers of a step, each cell-state unit $c_j$ and
  each hidden unit $h_j$. For each feature of `lstm_explainer.char_features` (ground truth per
  character), the best candidate is *chosen* on the validation files (the first
  ``choose_chars`` characters, whole files in manifest order, the last one cut) and *scored*
  on the test files (``score_chars`` characters): never chosen and scored on the same text.
  A binary feature is scored by the AUC, the chance that a random character inside ranks above
  a random one outside (Mann-Whitney, ties counting half); a unit that is *low* inside counts
  too, by choosing on ``max(AUC, 1 - AUC)`` and keeping that direction for the score. A graded
  feature is scored by Pearson's r, the sign likewise fixed on the choosing files (so the
  score is |r| when the direction holds);
* **baselines**: the same choice among the units of the untrained network of the same shape
  (``char_model.untrained_state``: what a unit tracks by chance, as the paper's comparisons
  lack), and the best of ``random_units`` units drawn at random from the trained network
  (chosen and scored the same way; the median over ``random_draws`` draws);
* **gate saturation** as in the paper: per unit, the share of test characters at which the
  input, forget and output gates are below ``low`` = 0.1 (left-saturated) or above ``high`` =
  0.9 (right-saturated), for the trained and the untrained network;
* **closing brackets by distance** (the paper compares the LSTM with an n-gram model on
  closing braces): for every matched closing bracket in the test characters, the bits
  $-\log_2 p$ the model gave it, by the distance in characters to its opening bracket, beside
  the same for the Kneser-Ney n-gram model of ``char_baselines`` (the order ``char_model``
  chose on validation);
* **samples** at two temperatures from a prompt, seeded with `lstm_explainer.sampling`
  (mulberry32 and inverse-CDF draws, the same in the browser).

Settings are one frozen `CharUnitsConfig` (`CONFIG`); the job `measure` gets
``dataclasses.asdict`` of it and is cached (`lstm_explainer.experiments.cache`), as is the
n-gram model's part, `ngram_closing_bits`; `results` returns what the page needs, `trace` and
`sample` what the command line ``lstm-explainer chars`` prints. Cold, both jobs take about
30 s on one core of a busy 2-core machine (20 s tracing and scoring, 10 s counting the
n-gram model).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .. import char_corpus, char_features, sampling
from ..cells import LSTMCell
from ..checks import InputError
from . import cache, char_baselines


@dataclass(frozen=True)
class CharUnitsConfig:
    """Every setting of the measurement (``dataclasses.asdict`` of it is the job's cache key)."""

    model_seed: int = 0
    """The seed of the trained model measured (``char_model.lstm_state(seed=...)``) and of its untrained twin."""
    choose_chars: int = 60_000
    """Characters of validation files on which each feature's unit is chosen."""
    score_chars: int = 60_000
    """Characters of test files on which the chosen unit is scored (and everything else measured)."""
    random_units: int = 8
    """The random baseline: the best of this many units drawn at random from the trained network."""
    random_draws: int = 25
    """Draws of the random baseline; the median score is reported."""
    random_seed: int = 0
    low: float = 0.1
    """A gate below this is left-saturated (the paper's threshold)."""
    high: float = 0.9
    """A gate above this is right-saturated (the paper's threshold)."""
    distance_edges: tuple[int, ...] = (1, 3, 6, 11, 21, 41, 81, 10**9)
    """Bins of the distance from an opening to its closing bracket: [1, 3), [3, 6), ..., [81, ...)."""
    snippet_lines: int = 7
    """Lines of test code shown coloured by each unit."""
    snippet_width: int = 64
    """The longest line the shown snippet may have."""
    prompt: str = "def "
    """The text the samples start from."""
    sample_chars: int = 300
    temperatures: tuple[float, ...] = (0.5, 1.0)
    sample_seed: int = 1


CONFIG = CharUnitsConfig()

MAX_TEXT = 2000
"""The longest text `trace` and `sample` accept (characters), so a caller cannot ask for minutes of work."""


def _char_model():
    from . import char_model

    return char_model


# --- the model as our cell ------------------------------------------------------------------


class CharLSTM:
    """The character model as the site's `LSTMCell` plus its readout.

    ``state`` is a dict of arrays in PyTorch's layout (``weight_ih`` 4H x 97, ``weight_hh``
    4H x H, ``bias_ih``, ``bias_hh`` 4H, ``readout_weight`` 97 x H, ``readout_bias`` 97), as
    ``char_model.lstm_state`` returns; the readout may be absent (an untrained twin is only traced).
    It computes in float64 if ``state``'s ``weight_ih`` is float64 (as `exported_state` gives
    it, for the browser's page), else in float32 (as the model was trained).
    """

    def __init__(self, state: dict):
        dtype = np.float64 if np.asarray(state["weight_ih"]).dtype == np.float64 else np.float32
        arrays = {name: np.asarray(value, dtype=dtype) for name, value in state.items()}
        self.cell = LSTMCell(arrays["weight_ih"], arrays["weight_hh"], arrays["bias_ih"], arrays["bias_hh"])
        self.hidden = self.cell.hidden_size
        self.readout_weight = arrays.get("readout_weight")
        self.readout_bias = arrays.get("readout_bias")

    def run(self, indices: np.ndarray, h0=None, c0=None):
        """The `lstm_explainer.cells.LSTMTrace` of reading vocabulary ``indices`` (one-hot inputs)."""
        xs = np.zeros((len(indices), self.cell.input_size), self.cell.dtype)
        xs[np.arange(len(indices)), indices] = 1.0
        return self.cell.run(xs, h0, c0)

    def logits(self, h: np.ndarray) -> np.ndarray:
        r"""Next-character scores $W_{hy} h + b_y$ for hidden states ``h`` (T x H or H): T x 97."""
        # $$z_t = W_{hy} h_t + b_y$$
        return h @ self.readout_weight.T + self.readout_bias


def side_by_side(a: CharLSTM, b: CharLSTM) -> CharLSTM:
    """One cell that runs the cells of ``a`` and ``b`` (same input and hidden size) at once on the same input.

    Its units are ``a``'s (0 to H - 1) then ``b``'s (H to 2H - 1): each gate's rows of
    ``weight_ih`` and the biases are ``a``'s stacked on ``b``'s, and ``weight_hh`` is
    block-diagonal, so no unit of one reads a unit of the other and each half of every step
    is what its own cell computes (up to float32 rounding in the order of the sums). A step
    costs about what one small cell's does (NumPy's per-call overhead dominates at H = 128),
    so tracing the trained model and its untrained twin together halves the time.
    """
    H = a.hidden
    if b.hidden != H or b.cell.input_size != a.cell.input_size:
        raise ValueError("side_by_side needs two cells of the same shape.")

    def blocks(name):
        return [np.split(getattr(m.cell, name), 4) for m in (a, b)]

    weight_ih = np.vstack([np.vstack(pair) for pair in zip(*blocks("weight_ih"))])
    bias_ih = np.concatenate([np.concatenate(pair) for pair in zip(*blocks("bias_ih"))])
    bias_hh = np.concatenate([np.concatenate(pair) for pair in zip(*blocks("bias_hh"))])
    weight_hh = np.zeros((8 * H, 2 * H), a.cell.dtype)
    for gate, (wa, wb) in enumerate(zip(*blocks("weight_hh"))):
        weight_hh[2 * H * gate : 2 * H * gate + H, :H] = wa
        weight_hh[2 * H * gate + H : 2 * H * (gate + 1), H:] = wb
    return CharLSTM({"weight_ih": weight_ih, "weight_hh": weight_hh, "bias_ih": bias_ih, "bias_hh": bias_hh})


def _text_part(files: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """Whole files in order until ``limit`` characters, the last one cut at the limit (empty files skipped)."""
    out, total = [], 0
    for path, text in files:
        if total >= limit:
            break
        if not text:
            continue
        out.append((path, text[: limit - total]))
        total += len(out[-1][1])
    return out


def _trace_files(model: CharLSTM, files: list[tuple[str, str]], with_gates: bool) -> dict:
    """Every file from a zero state; the steps of all files one after the other.

    ``c``, ``h`` (T x H float32); with ``with_gates`` also ``i``, ``f``, ``o``; ``starts``, the
    offset of each file's first step.
    """
    names = ("c", "h", "i", "f", "o") if with_gates else ("c", "h")
    parts = {name: [] for name in names}
    starts, offset = [], 0
    for _, text in files:
        trace = model.run(char_corpus.encode(text))
        for name in names:
            parts[name].append(getattr(trace, name).astype(np.float32))
        starts.append(offset)
        offset += len(text)
    out = {name: np.concatenate(values) for name, values in parts.items()}
    out["starts"] = np.array(starts)
    return out


def _features(files: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    per_file = [char_features.features(text) for _, text in files]
    return {name: np.concatenate([f[name] for f in per_file]) for name in char_features.FEATURES}


# --- scores ---------------------------------------------------------------------------------


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks (1 = smallest, ties averaged) of each column of ``values`` (T x U), float64."""
    from scipy.stats import rankdata

    return rankdata(values, axis=0)


def auc_from_ranks(ranks: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """AUC of every column: (sum of the positives' ranks - n1 (n1 + 1) / 2) / (n1 n0) (Mann-Whitney U).

    ``ranks`` is T x U (from `_ranks`), ``positive`` a 0/1 array of length T with both values
    present, else `ValueError`.
    """
    positive = np.asarray(positive).astype(bool)
    n1, n0 = int(positive.sum()), int((~positive).sum())
    if n1 == 0 or n0 == 0:
        raise ValueError("an AUC needs characters both inside and outside the feature.")
    # $$\mathrm{AUC} = \frac{\sum_{k \in +} \mathrm{rank}_k - n_1 (n_1 + 1)/2}{n_1 n_0}$$
    return (ranks[positive].sum(axis=0) - n1 * (n1 + 1) / 2) / (n1 * n0)


def correlations(values: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pearson's r of every column of ``values`` (T x U) with ``target`` (T); 0 for a constant column."""
    x = values.astype(np.float64) - values.mean(axis=0)
    y = np.asarray(target, np.float64) - np.mean(target)
    norms = np.sqrt((x * x).sum(axis=0) * (y * y).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (x.T @ y) / norms
    return np.nan_to_num(r)


def _scores(candidates: np.ndarray, feats: dict) -> dict[str, np.ndarray]:
    """Per feature, the score of every candidate column: AUC (binary) or r (graded)."""
    ranks = _ranks(candidates)
    out = {}
    for name in char_features.FEATURES:
        if name in char_features.BINARY:
            out[name] = auc_from_ranks(ranks, feats[name])
        else:
            out[name] = correlations(candidates, feats[name])
    return out


AUC_CHANCE = 0.5
"""The AUC of a score that does not separate the two classes at all (a coin toss)."""


def _oriented(score: np.ndarray, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    """(strength, sign): for an AUC ``max(a, 1 - a)`` and the direction; for r ``|r|`` and its sign."""
    if binary:
        return np.maximum(score, 1 - score), np.where(score >= AUC_CHANCE, 1, -1)
    return np.abs(score), np.where(score >= 0, 1, -1)


def _held(score: np.ndarray, sign: int, binary: bool) -> float:
    """A chosen unit's score on other text, in the direction fixed where it was chosen."""
    if binary:
        return float(score if sign > 0 else 1 - score)
    return float(sign * score)


def choose_and_score(chosen_on: dict, scored_on: dict, allowed=None) -> dict[str, dict]:
    """Per feature: the best candidate on ``chosen_on`` (among ``allowed`` indices, all if None)
    and its score on ``scored_on`` in the same direction.

    Both are `_scores` results over the same candidates. Each entry: ``unit`` (candidate
    index), ``sign``, ``chosen`` (its strength where chosen), ``held_out`` (its score on the
    other text).
    """
    out = {}
    for name, score in chosen_on.items():
        binary = name in char_features.BINARY
        strength, sign = _oriented(score, binary)
        pool = np.arange(len(score)) if allowed is None else np.asarray(allowed)
        best = int(pool[np.argmax(strength[pool])])
        out[name] = {"unit": best, "sign": int(sign[best]), "chosen": float(strength[best]),
                     "held_out": _held(scored_on[name][best], int(sign[best]), binary)}  # fmt: skip
    return out


def unit_name(index: int, hidden: int) -> str:
    """A candidate's name: ``c17`` (cell-state unit 17) or ``h17`` (hidden unit 17), from 0."""
    return f"c{index}" if index < hidden else f"h{index - hidden}"


# --- gate saturation, brackets, samples -------------------------------------------------------


def saturation(trace: dict, low: float, high: float) -> dict:
    """Per gate i, f, o: per unit, the share of steps below ``low`` and above ``high``."""
    return {gate: {"low": (trace[gate] < low).mean(axis=0).tolist(), "high": (trace[gate] > high).mean(axis=0).tolist()}
            for gate in ("i", "f", "o")}  # fmt: skip


def bits_per_character(model: CharLSTM, files: list[tuple[str, str]], trace: dict) -> np.ndarray:
    r"""$-\log_2 p(x_t \mid x_{<t})$ for every character of ``files`` (the first of each file read from a zero state)."""
    indices = np.concatenate([char_corpus.encode(text) for _, text in files])
    h_before = np.vstack([np.zeros((1, model.hidden), np.float32), trace["h"][:-1]])
    h_before[trace["starts"]] = 0.0  # each file starts from a zero state
    z = model.logits(h_before).astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    # $$-\log_2 p = (\log \sum_j e^{z_j} - z_x) / \ln 2$$
    log_total = np.log(np.exp(z).sum(axis=1))
    return (log_total - z[np.arange(len(indices)), indices]) / math.log(2)


def closing_brackets(files: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(offset of every matched closing bracket, distance to its opening one) over ``files`` joined."""
    offsets, distances, base = [], [], 0
    for _, text in files:
        for opening, closing in char_features.bracket_pairs(text):
            offsets.append(base + closing)
            distances.append(closing - opening)
        base += len(text)
    return np.array(offsets, dtype=np.int64), np.array(distances, dtype=np.int64)


def by_distance(bits: np.ndarray, distances: np.ndarray, edges) -> list[dict]:
    """Mean bits per bin of distance: ``lo``, ``hi`` (exclusive), ``count``, ``mean``."""
    out = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (distances >= lo) & (distances < hi)
        out.append({"lo": int(lo), "hi": int(hi), "count": int(inside.sum()),
                    "mean": float(bits[inside].mean()) if inside.any() else None})  # fmt: skip
    return out


def check_sample(prompt: str, count: int, temperature: float, seed: int) -> None:
    """`InputError` for what `sample` refuses: an empty or too long prompt, a count outside 1 to
    `MAX_TEXT`, a temperature that is not positive, a seed outside 0 to 2^32 - 1."""
    if not isinstance(prompt, str) or not prompt:
        raise InputError("the prompt must be a non-empty text.")
    if len(prompt) > MAX_TEXT:
        raise InputError(f"the prompt may have at most {MAX_TEXT} characters; it has {len(prompt)}.")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_TEXT:
        raise InputError(f"the number of characters to sample must be a whole number from 1 to {MAX_TEXT}; got {count!r}.")
    sampling.softmax(np.zeros(1), temperature)  # checks the temperature
    sampling.Mulberry32(seed)  # checks the seed


def check_text(text: str, k: int) -> None:
    """`InputError` for what `trace` refuses: an empty or too long text, ``k`` outside 1 to 97."""
    if not isinstance(text, str) or not text:
        raise InputError("the text must be a non-empty string.")
    if len(text) > MAX_TEXT:
        raise InputError(f"the text may have at most {MAX_TEXT} characters; it has {len(text)}.")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= len(char_corpus.VOCAB):
        raise InputError(f"k must be a whole number from 1 to {len(char_corpus.VOCAB)}; got {k!r}.")


def sample(state: dict, prompt: str, count: int, temperature: float, seed: int) -> str:
    """``count`` characters drawn one by one after ``prompt``, each fed back in.

    The model reads the prompt from a zero state, in the dtype of ``state`` (`CharLSTM`); each
    next character is drawn from ``sampling.softmax(logits, temperature)`` (float64) with
    `sampling.choose` and one number of ``sampling.Mulberry32(seed)``. With `exported_state`
    (float64) these are the characters the site's page draws (``docs/javascripts/chars-model.js``
    computes the same float64 arithmetic from the same weights). `InputError` for an empty or too long prompt, a count
    outside 1 to `MAX_TEXT`, a bad temperature or seed.
    """
    check_sample(prompt, count, temperature, seed)
    rng = sampling.Mulberry32(seed)
    model = CharLSTM(state)
    trace = model.run(char_corpus.encode(prompt))
    h, c = trace.h[-1], trace.c[-1]
    out = []
    for _ in range(count):
        k = sampling.choose(sampling.softmax(model.logits(h), temperature), rng.random())
        out.append(char_corpus.VOCAB[k])
        step = model.run(np.array([k]), h, c)
        h, c = step.h[-1], step.c[-1]
    return "".join(out)


def _snippet(files: list[tuple[str, str]], lines: int, width: int) -> tuple[int, str, str, int]:
    """(offset in the joined files, text, path of its file, offset in that file) of the first
    window of ``lines`` whole lines (none longer than ``width``) in the joined files that shows
    the most of: a comment, a string, a bracket open across a line end, an indented line; ties
    go to the earliest."""
    best, base = (-1, 0, "", "", 0), 0
    for path, text in files:
        starts = [0] + [k + 1 for k, ch in enumerate(text) if ch == "\n"]
        feats = char_features.features(text)
        for first in range(0, max(len(starts) - lines, 0)):
            lo, hi = starts[first], starts[first + lines]
            window = text[lo:hi]
            if max(len(line) for line in window.split("\n")) > width:
                continue
            newline_inside = [k for k in range(lo, hi) if text[k] == "\n"]
            score = (int(feats["in_comment"][lo:hi].any()) + int(feats["in_string"][lo:hi].any())
                     + int(any(feats["in_brackets"][k] for k in newline_inside[:-1]))
                     + int(feats["indent"][lo:hi].max() >= 8))  # fmt: skip
            if score > best[0]:
                best = (score, base + lo, window, path, lo)
        base += len(text)
    return best[1:]


# --- the jobs -----------------------------------------------------------------------------------


def ngram_closing_bits(order: int, score_chars: int) -> list[float]:
    r"""Bits $-\log_2 p$ of the Kneser-Ney n-gram model of ``order`` (counted on the training
    files, `char_baselines.ngram_surprisal`) on every matched closing bracket of the scored test
    characters, in the order of `closing_brackets`. Its own job: counting the model costs
    seconds, and its result does not change with the LSTM.
    """
    splits = char_corpus.corpus()
    score_files = _text_part(splits["test"], score_chars)
    per_file = dict(zip((p for p, _ in splits["test"]), char_baselines.ngram_surprisal(order, "test")))
    bits = np.concatenate([per_file[path][: len(text)] for path, text in score_files])
    offsets, _ = closing_brackets(score_files)
    return bits[offsets].tolist()



def measure(**settings) -> dict:
    """Trace, choose, score and sample (see the module docstring); a JSON-able dict."""
    config = CharUnitsConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in settings.items()})
    char_model = _char_model()
    trained = CharLSTM(char_model.lstm_state(seed=config.model_seed))
    untrained = CharLSTM(char_model.untrained_state(seed=config.model_seed))
    splits = char_corpus.corpus()
    choose_files = _text_part(splits["validation"], config.choose_chars)
    score_files = _text_part(splits["test"], config.score_chars)
    feats_choose, feats_score = _features(choose_files), _features(score_files)
    H = trained.hidden

    pair = side_by_side(trained, untrained)  # units 0..H-1 trained, H..2H-1 untrained
    t_choose = _trace_files(pair, choose_files, with_gates=False)
    t_score = _trace_files(pair, score_files, with_gates=True)
    halves = {"trained": slice(0, H), "untrained": slice(H, 2 * H)}
    traces = {label: {name: (v[:, half] if v.ndim == 2 else v) for name, v in t_score.items()}
              for label, half in halves.items()}  # fmt: skip
    del t_score

    chosen = {}
    for label, half in halves.items():
        candidates = np.hstack([t_choose["c"][:, half], t_choose["h"][:, half]])
        s_choose = _scores(candidates, feats_choose)
        held = np.hstack([traces[label]["c"], traces[label]["h"]])
        chosen[label] = (s_choose, held)
    del t_choose

    def held_out_scores(held: np.ndarray, units) -> dict:
        """Scores on the test characters of the candidate columns ``units`` only (ranking all would cost seconds)."""
        units = sorted(set(int(u) for u in units))
        part = _scores(held[:, units], feats_score)
        full = {name: np.full(held.shape[1], np.nan) for name in part}
        for name in part:
            full[name][units] = part[name]
        return full

    s_choose, held = chosen["untrained"]
    best = {name: int(np.argmax(_oriented(v, name in char_features.BINARY)[0])) for name, v in s_choose.items()}
    baseline = choose_and_score(s_choose, held_out_scores(held, best.values()))

    s_choose, held = chosen["trained"]
    rng = np.random.default_rng(config.random_seed)
    pools = [rng.choice(2 * H, config.random_units, replace=False) for _ in range(config.random_draws)]
    needed = set()
    for pool in [None] + pools:
        for name, v in s_choose.items():
            strength = _oriented(v, name in char_features.BINARY)[0]
            index = np.arange(2 * H) if pool is None else pool
            needed.add(int(index[np.argmax(strength[index])]))
    s_held = held_out_scores(held, needed)
    found = choose_and_score(s_choose, s_held)
    draws = [choose_and_score(s_choose, s_held, pool) for pool in pools]
    random_best = {name: float(np.median([d[name]["held_out"] for d in draws])) for name in char_features.FEATURES}
    del chosen, held

    features_out = []
    for name in char_features.FEATURES:
        unit = found[name]["unit"]
        features_out.append({
            "name": name, "label": char_features.LABELS[name], "binary": name in char_features.BINARY,
            "unit": unit_name(unit, H), "index": unit, "sign": found[name]["sign"],
            "chosen": found[name]["chosen"], "held_out": found[name]["held_out"],
            "untrained_unit": unit_name(baseline[name]["unit"], H), "untrained": baseline[name]["held_out"],
            "random_best": random_best[name],
            "share_on": float(np.mean(feats_score[name] > 0)) if name in char_features.BINARY else None,
        })  # fmt: skip

    # the snippet the figures colour, with each found unit and its gates along it
    offset, text, path, file_offset = _snippet(score_files, config.snippet_lines, config.snippet_width)
    span = slice(offset, offset + len(text))
    t = traces["trained"]
    both = np.hstack([t["c"], t["h"]])
    snippet = {"text": text, "offset": offset, "file": path, "file_offset": file_offset, "units": {},
               "truth": {name: feats_score[name][span].tolist() for name in char_features.FEATURES}}  # fmt: skip
    for entry in features_out:
        j = entry["index"] % H
        snippet["units"][entry["name"]] = {
            "value": np.round(both[span, entry["index"]], 4).tolist(),
            **{gate: np.round(t[gate][span, j], 4).tolist() for gate in ("i", "f", "o")},
        }

    # closing brackets by distance, and bits per character on the scored text
    bits = bits_per_character(trained, score_files, t)
    offsets, distances = closing_brackets(score_files)
    brackets = {"lstm": by_distance(bits[offsets], distances, config.distance_edges), "ngram": None,
                "count": int(len(offsets))}  # fmt: skip
    order = char_model.results()["baselines"]["ngram"]["order"]
    ngram_bits = np.array(cache.run_job(ngram_closing_bits, order=order, score_chars=config.score_chars))
    brackets["ngram"] = by_distance(ngram_bits, distances, config.distance_edges)
    brackets["ngram_order"] = order

    return {
        "hidden": H,
        "choose": {"files": [p for p, _ in choose_files], "chars": sum(len(x) for _, x in choose_files)},
        "score": {"files": [p for p, _ in score_files], "chars": sum(len(x) for _, x in score_files)},
        "bits_per_character": float(bits.mean()),
        "features": features_out,
        "saturation": {label: saturation(traces[label], config.low, config.high) for label in traces},
        "snippet": snippet,
        "brackets": brackets,
        "samples": [{"temperature": temperature, "seed": config.sample_seed,
                     "text": sample(exported_state(config), config.prompt, config.sample_chars,
                                    temperature, config.sample_seed)}
                    for temperature in config.temperatures],  # fmt: skip
    }


def results(config: CharUnitsConfig = CONFIG) -> dict:
    """Everything the page needs: ``settings`` and the cached `measure` of ``config``."""
    settings = dataclasses.asdict(config)
    return {"settings": settings, **cache.run_job(measure, **settings)}


def state(config: CharUnitsConfig = CONFIG) -> dict:
    """The measured model's weights (``char_model.lstm_state`` of ``config.model_seed``)."""
    return _char_model().lstm_state(seed=config.model_seed)


def exported_state(config: CharUnitsConfig = CONFIG) -> dict[str, np.ndarray]:
    """The weights the site's page runs: `state` rounded to float16 (IEEE half precision, round
    to nearest even), as float64 arrays of the same shapes.

    The page (``lstm_explainer.sitegen.export_chars``) receives these float16 numbers and
    computes in float64, so the package computing in float64 from this state gives the page's
    numbers (to summation order) and its samples. Rounding moves a weight by at most 2^-11 of
    its size (about 2e-3 for the largest, 7) and the bits per character on held-out text by
    about 1e-5 (``tests/test_export_chars.py`` bounds it).
    """
    return {name: np.asarray(value, np.float32).astype(np.float16).astype(np.float64)
            for name, value in state(config).items()}  # fmt: skip


def trace(text: str, config: CharUnitsConfig = CONFIG, k: int = 5) -> dict:
    """The found units and the next-character guesses along ``text`` (at most `MAX_TEXT` characters).

    ``chars`` (the text's characters), ``units`` (per feature: ``feature``, ``label``, ``unit``,
    ``direction``: ``"high"`` if the unit is high where the feature holds (or rises with it),
    ``"low"`` if low, as fixed where it was chosen; and its ``values`` along the text),
    ``next`` (per character, the ``k`` likeliest next characters as ``[character,
    probability]``), from the model (`exported_state`, in float64, as the site's page runs
    it) read from a zero state. `InputError` for
    an empty or too long text, or ``k`` outside 1 to 97.
    """
    check_text(text, k)
    found = results(config)["features"]
    model = CharLSTM(exported_state(config))  # float64, as the site's page computes
    run = model.run(char_corpus.encode(text))
    both = np.hstack([run.c, run.h])
    z = model.logits(run.h).astype(np.float64)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    order = np.argsort(-p, axis=1, kind="stable")[:, :k]
    return {
        "chars": list(text),
        "units": [{"feature": f["name"], "label": f["label"], "unit": f["unit"],
                   "direction": "high" if f["sign"] > 0 else "low",
                   "values": [float(v) for v in both[:, f["index"]]]} for f in found],  # fmt: skip
        "next": [[[char_corpus.VOCAB[j], float(p[t, j])] for j in order[t]] for t in range(len(text))],
    }
