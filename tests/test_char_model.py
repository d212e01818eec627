"""The character models: determinism, how the text is read, parity with our cell, the baselines.

The tests of the trained models read ``char_model.results()`` and ``lstm_state()`` (trained
once per machine, then cached); determinism is checked on tiny trainings of a few updates.
"""

import dataclasses
from collections import Counter, defaultdict

import numpy as np
import pytest
import torch

from lstm_explainer import char_corpus, char_ngram
from lstm_explainer.cells import LSTMCell
from lstm_explainer.checks import InputError
from lstm_explainer.experiments import char_baselines, char_model, char_training

TINY = {"hidden": 8, "seed": 3, "batch": 4, "length": 16, "updates": 6, "lr": 1e-2, "clip": 1.0,
        "log_every": 3, "eval_every": 100, "eval_slots": 8, "eval_length": 1024, "corpus": "test"}  # fmt: skip


@pytest.fixture(scope="module")
def results():
    return char_model.results()


@pytest.fixture(scope="module")
def state():
    return char_model.lstm_state()


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", char_training.KINDS)
def test_two_trainings_give_bitwise_identical_weights(kind):
    first, second = (char_training.train(kind=kind, **TINY) for _ in range(2))
    assert first["weights"] == second["weights"]
    assert first["validation_curve"] == second["validation_curve"]
    other = char_training.train(kind=kind, **{**TINY, "seed": 4})
    assert other["weights"]["weight_hh"] != first["weights"]["weight_hh"]


def test_untrained_state_is_the_trained_runs_start(state):
    untrained = char_model.untrained_state()
    assert untrained.keys() == state.keys()
    for name, array in untrained.items():
        assert array.shape == state[name].shape and array.dtype == np.float32
    assert not np.array_equal(untrained["weight_hh"], state["weight_hh"])
    np.testing.assert_array_equal(untrained["weight_hh"], char_model.untrained_state()["weight_hh"])
    # torch's initialisation: every parameter uniform in [-1/sqrt(H), 1/sqrt(H)]
    bound = 1 / np.sqrt(char_model.CONFIG.hidden)
    assert all(np.abs(a).max() <= bound for a in untrained.values())


# --- how the text is read --------------------------------------------------------------------


def test_blocks_score_every_character_but_each_files_first_once():
    rng = np.random.default_rng(0)
    files = [rng.integers(0, 97, size) for size in (1, 2, 5, 40, 17, 0, 33)]
    blocks = char_training.Blocks(files, slots=3, length=8, order=range(len(files)))
    seen = Counter()
    while not blocks.done():
        inputs, targets, fresh, where = blocks.next()
        for s, spot in enumerate(where):
            if spot is None:
                assert (targets[s] == -100).all()
                continue
            index, start = spot
            assert fresh[s] == (start == 0)
            text = files[index]
            n = min(8, len(text) - 1 - start)
            assert inputs[s, :n].tolist() == text[start : start + n].tolist()
            assert targets[s, :n].tolist() == text[start + 1 : start + 1 + n].tolist()
            assert (targets[s, n:] == -100).all()
            seen.update((index, start + 1 + k) for k in range(n))
    assert seen == Counter((i, t) for i, f in enumerate(files) for t in range(1, len(f)))


def test_parameter_counts_match_torch_and_the_comparisons_are_equal_and_smaller():
    """The GRU and the RNN have about equal parameter counts, about half the LSTM's (the issue
    allows smaller comparison models, equal among themselves; the page says so)."""
    for kind in char_training.KINDS:
        hidden = char_model.hidden_of(kind)
        modules = char_training.build(torch, kind, hidden)
        assert char_training.parameters(kind, hidden) == sum(p.numel() for m in modules for p in m.parameters())
    lstm, gru, rnn = (char_training.parameters(kind, char_model.hidden_of(kind)) for kind in ("lstm", "gru", "rnn"))
    assert max(gru, rnn) / min(gru, rnn) < 1.01
    assert 0.45 < gru / lstm < 0.55


# --- parity with our cell --------------------------------------------------------------------


def trace(state, text):
    """Our NumPy cell (float64) over ``text`` from a zero state, and the readout's log2-probabilities."""
    cell = LSTMCell(*(state[n].astype(np.float64) for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
    run = cell.run(np.eye(97)[char_corpus.encode(text)])
    logits = run.h @ state["readout_weight"].astype(np.float64).T + state["readout_bias"]
    return run, (logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)) / np.log(2)


def test_our_cell_traces_the_trained_model_as_torch_does(state):
    """LSTMCell.from_torch copies the trained nn.LSTM; step by step it gives torch's h and c
    (float64: to 1e-12) and, with the readout, torch's next-character log-probabilities."""
    path, text = char_corpus.corpus()["test"][0]
    text = text[:400]
    weights = {name: state[name].tolist() for name in char_model.STATE_NAMES}
    layer, readout = char_training.torch_modules("lstm", weights, dtype="float64")
    cell = LSTMCell.from_torch(layer)
    ours = cell.run(np.eye(97)[char_corpus.encode(text)])
    with torch.no_grad():
        h, (_, c_last) = layer(torch.nn.functional.one_hot(torch.from_numpy(char_corpus.encode(text)), 97).double()[None])
        logp = torch.log_softmax(readout(h), -1)[0].numpy() / np.log(2)
    np.testing.assert_allclose(ours.h, h[0].numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.c[-1], c_last[0, 0].numpy(), rtol=0, atol=1e-12)
    _, ours_logp = trace(state, text)
    np.testing.assert_allclose(ours_logp, logp, rtol=0, atol=1e-10)


def test_the_batched_float32_reading_equals_our_cell_file_by_file(state):
    """`char_training.surprisal` (float32 torch, files side by side in blocks) gives the bits of
    our float64 cell reading each file alone, to 1e-3 bits."""
    weights = {name: state[name].tolist() for name in char_model.STATE_NAMES}
    bits = char_training.surprisal("lstm", weights, "test")
    for (path, text), got in list(zip(char_corpus.corpus()["test"], bits))[:3]:
        text = text[:1500]
        _, logp = trace(state, text)
        want = -logp[np.arange(len(text) - 1), char_corpus.encode(text)[1:]]
        assert np.isnan(got[0])
        np.testing.assert_allclose(got[1 : len(text)], want, rtol=0, atol=1e-3)


# --- the trained models and the baselines ------------------------------------------------


def test_every_model_trained_the_same_updates_with_the_seed_shown(results):
    config = char_model.CONFIG
    for kind, model in results["models"].items():
        assert model["seed"] == config.seed and model["hidden"] == char_model.hidden_of(kind)
        assert model["train_curve"][-1][0] == model["validation_curve"][-1][0] == config.updates
        assert model["validation"] == model["validation_curve"][-1][1]
        # it learned: far below its start, and below the unigram model
        assert model["validation"] < model["validation_curve"][0][1] - 3
        assert model["test"] < results["baselines"]["unigram_cross_entropy"] - 1


def test_the_lstm_is_in_the_range_measured_for_it(results):
    """TOOLCHAIN.md: a small model trained for minutes is about n-gram quality (2.0-2.3 bits)."""
    assert 1.7 < results["models"]["lstm"]["validation"] < 2.6


def test_baselines_are_consistent(results):
    base = results["baselines"]
    validation = {int(k): v for k, v in base["ngram"]["validation"].items()}
    assert base["ngram"]["order"] == min(validation, key=validation.get)
    assert validation[1] > validation[2] > validation[3]
    assert base["unigram_entropy"] <= base["unigram_cross_entropy"] < 5
    assert base["xz_given_train"] < base["xz"] < base["unigram_entropy"]
    assert base["ngram"]["test"] < base["xz"]
    assert base["test_scored"] == sum(len(t) - 1 for _, t in char_corpus.corpus()["test"] if t)


# --- the n-gram model ------------------------------------------------------------------------


def reference_kneser_ney(files, order, vocab, history, w):
    """Interpolated Kneser-Ney written plainly with dictionaries (Chen & Goodman 1998), for one probability."""
    bos = vocab
    grams = [Counter() for _ in range(order + 1)]  # raw counts per length
    for f in files:
        text = [bos] * (order - 1) + list(f)
        for t in range(order - 1, len(text)):
            for k in range(1, order + 1):
                grams[k][tuple(text[t - k + 1 : t + 1])] += 1
    counts = {order: grams[order]}
    for k in range(1, order):  # continuation counts
        counts[k] = Counter(g[1:] for g in grams[k + 1])

    def discount(k):
        n1 = sum(1 for c in counts[k].values() if c == 1)
        n2 = sum(1 for c in counts[k].values() if c == 2)
        return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5

    def p(k, h):
        lower = 1 / vocab if k == 1 else p(k - 1, h[1:])
        by_h = defaultdict(float)
        types = Counter()
        for g, c in counts[k].items():
            if g[:-1] == h:
                by_h[g[-1]] += c
                types[g[:-1]] += 1
        total = sum(by_h.values())
        if total == 0:
            return lower
        d = discount(k)
        return max(by_h.get(w, 0) - d, 0) / total + d * types[h] / total * lower

    history = tuple([bos] * (order - 1 - len(history)) + list(history[-(order - 1) :] if order > 1 else []))
    return p(order, history)


def test_kneser_ney_equals_the_plain_definition_and_sums_to_one():
    rng = np.random.default_rng(1)
    files = [rng.integers(0, 5, n) for n in (30, 12, 25)]
    for order in (1, 2, 3, 4):
        model = char_ngram.KneserNey(files, order, vocab=5)
        for history in ([], [2], [1, 2], [4, 4, 0], [0, 1, 2, 3]):
            probs = model.distribution(np.array(history, dtype=np.int64))
            assert probs.sum() == pytest.approx(1, abs=1e-12)
            want = [reference_kneser_ney(files, order, 5, history, w) for w in range(5)]
            np.testing.assert_allclose(probs, want, rtol=1e-12)


def test_kneser_ney_scores_each_file_from_its_start():
    model = char_ngram.KneserNey([np.array([1, 2, 3, 1, 2, 3])], 3, vocab=4)
    alone = model.probabilities([np.array([1, 2, 3])])[0]
    joined = model.probabilities([np.array([0, 0, 1, 2, 3]), np.array([1, 2, 3])])
    assert np.isnan(alone[0]) and np.isnan(joined[1][0])
    np.testing.assert_array_equal(alone, joined[1])
    with pytest.raises(InputError, match="order"):
        char_ngram.KneserNey([np.array([1])], 0)
    with pytest.raises(InputError, match="symbols"):
        model.probabilities([np.array([4])])


def test_ngram_surprisal_gives_the_baseline_test_bits(results):
    order = results["baselines"]["ngram"]["order"]
    bits = char_baselines.ngram_surprisal(order, "test")
    assert char_training.bits_per_character(bits) == pytest.approx(results["baselines"]["ngram"]["test"], abs=1e-9)
