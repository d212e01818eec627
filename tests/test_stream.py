"""The continual stream of the what-if page (`lstm_explainer.experiments.stream`): its
sentences keep the world's rules, and the cached results are what a fresh run gives."""

from dataclasses import FrozenInstanceError, asdict

import numpy as np
import pytest

from lstm_explainer import france_weights as weights
from lstm_explainer.checks import InputError
from lstm_explainer.experiments import stream, world
from lstm_explainer.france import SENTENCE, FranceLSTM


def test_the_stream_is_a_few_hundred_vocabulary_words():
    sentences = stream.stream_sentences()
    tokens = FranceLSTM().tokenize(" ".join(sentences))  # raises on any word outside the vocabulary
    assert 300 <= len(tokens) <= 1000
    assert len(set(sentences)) > len(sentences) / 2
    assert stream.results()["starts"][1] == len(FranceLSTM().tokenize(sentences[0]))


def test_every_setting_comes_once_before_any_repeats():
    firsts = [s.split(" but ")[0] for s in stream.stream_sentences(len(stream.SETTINGS))]
    assert len(set(firsts)) == len(stream.SETTINGS)


def test_every_stream_sentence_is_one_of_the_world_s():
    for sentence in stream.stream_sentences():
        world.annotate(sentence)  # raises if the grammar does not allow it
        if "wine" in sentence:
            assert sentence.startswith("In France")


def test_cached_results_equal_a_fresh_run():
    cached = stream.results()["cells"]
    for cell in stream.CELLS:
        fresh = stream.read_stream(cell=cell, sentences=stream.CONFIG.sentences, reset_weight=stream.CONFIG.reset_weight)
        assert fresh == cached[cell], cell


def test_the_person_count_is_the_persons_named():
    data = stream.results()
    assert data["person_words"] == sum(token in ("i", "mary", "frank") for token in data["tokens"])


def test_reset_model_adds_one_weight_per_memory_unit():
    designed, reset = FranceLSTM().cell.weight_ih, stream.reset_model().cell.weight_ih
    changed = np.argwhere(designed != reset)
    column = weights.INPUTS.index("in")
    assert sorted(map(tuple, changed)) == sorted((weights.gate_row("f", u), column) for u in weights.MEMORY_UNITS)
    assert FranceLSTM().trace(SENTENCE).cell.c.tolist() == stream.reset_model().trace(SENTENCE).cell.c.tolist()


def test_an_unknown_cell_is_refused():
    with pytest.raises(InputError):
        stream.read_stream(cell="lstm", sentences=2, reset_weight=stream.CONFIG.reset_weight)


def test_the_settings_are_one_frozen_config_that_the_jobs_read(tmp_path, monkeypatch):
    assert asdict(stream.CONFIG)["sentences"] == 60 and stream.CONFIG.reset_weight == -2 * weights.S
    assert stream.CONFIG.sentences % 2 == 0, "sentences come in pairs"
    with pytest.raises(FrozenInstanceError):
        stream.CONFIG.sentences = 2
    monkeypatch.setenv("LSTM_EXPLAINER_CACHE", str(tmp_path))  # a config of our own, cached apart
    short = stream.results(stream.StreamConfig(sentences=2, reset_weight=0.0))
    assert short["sentences"] == stream.stream_sentences(2)
    assert len(short["cells"]["standard"]["norms"]) == len(short["tokens"])
    # with a reset weight of 0 the reset cell is the standard cell
    assert short["cells"]["reset_at_in"] == short["cells"]["standard"]


# --- the trained stream ----------------------------------------------------------------------


def test_the_recall_stream_has_one_answer_per_episode_at_its_query():
    ids, answers = stream.recall_stream(50, seed=3)
    vocab = stream.stream_vocabulary()
    query = vocab.index(stream.CONFIG.query)
    assert np.array_equal(np.flatnonzero(answers >= 0), np.flatnonzero(ids == query))
    starts = np.concatenate([[0], np.flatnonzero(ids == query)[:-1] + 1])
    # each episode: its symbol, min_lag to max_lag fillers, the query asking for that symbol
    for a, q in zip(starts, np.flatnonzero(ids == query)):
        assert ids[a] == answers[q] < len(stream.CONFIG.symbols)
        assert stream.CONFIG.min_lag <= q - a - 1 <= stream.CONFIG.max_lag
    assert np.array_equal(stream.recall_stream(50, seed=3)[0], ids)


def test_an_unknown_trained_model_is_refused():
    with pytest.raises(InputError, match="unknown model"):
        stream.train_stream(config=asdict(stream.CONFIG), model="gru", seed=0)


def test_the_reader_is_the_kernel():
    import torch

    from lstm_explainer.experiments.recall_models import RecallNet

    torch.manual_seed(1)
    net = RecallNet("lstm", 4, 8, 2, 1.0)
    ids, _ = stream.recall_stream(5, seed=0)
    read = stream.Reader(net)(ids)
    x = torch.nn.functional.one_hot(torch.as_tensor(ids), 4).float()[:, None]
    zeros = torch.zeros(1, 1, 8)
    out, _, _ = torch.lstm(x, (zeros, zeros), net.kernel_weights(), True, 1, 0.0, False, False, False)
    t = net.tensors()
    logits = torch.nn.functional.linear(out[:, 0], t["readout_weight"], t["readout_bias"])
    assert np.allclose(read["probs"], logits.softmax(-1).detach().numpy(), atol=1e-5)


def test_the_trained_runs_cover_every_model_and_seed():
    runs = stream.trained_results()
    assert set(runs) == set(stream.TRAINED)
    for model, rows in runs.items():
        assert [r["seed"] for r in rows] == list(stream.CONFIG.seeds)
        assert all(len(r["blocks"]) == len(r["c_max"]) for r in rows)
    assert all(r["f_start"] == r["f_other"] == 1.0 for r in runs["no_forget"])
