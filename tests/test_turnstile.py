"""The turnstile: the explainer's counter, and the whole machine as a ReLU RNN, against the machine."""

import itertools

import numpy as np
import pytest
import torch

from lstm_explainer import turnstile
from lstm_explainer.checks import InputError

COIN, PUSH = turnstile.INPUTS["coin"], turnstile.INPUTS["push"]


def torch_run(cell, xs, h0=None):
    """Step a torch.nn.RNNCell over a (T, D) or (T, B, D) array and stack its outputs."""
    xs = torch.from_numpy(np.asarray(xs))
    h = None if h0 is None else torch.as_tensor(np.asarray(h0), dtype=xs.dtype)
    out = []
    with torch.no_grad():
        for x in xs:
            h = cell(x, h)
            out.append(h)
    return torch.stack(out).numpy()


def test_counter_does_the_explainers_two_computations():
    """[0, 0] with a coin gives [1, 0]; [1, 0] with a coin gives [2, 0]: in our cell and in torch's."""
    cell = turnstile.counter_cell()
    module = cell.to_torch()
    for h, expected in (([0.0, 0.0], [1.0, 0.0]), ([1.0, 0.0], [2.0, 0.0])):
        assert cell.run([COIN], h0=h).h[0].tolist() == expected
        assert torch_run(module, [COIN], h0=h)[0].tolist() == expected


def test_counter_is_a_real_relu_rnn_cell_with_identity_weights():
    module = turnstile.counter_cell().to_torch()
    assert isinstance(module, torch.nn.RNNCell) and module.nonlinearity == "relu"
    for name in ("weight_ih", "weight_hh"):
        assert torch.equal(getattr(module, name), torch.eye(2, dtype=torch.float64))
    for name in ("bias_ih", "bias_hh"):
        assert not getattr(module, name).any()


def machine_rows(sequence):
    return [(float(c), float(p), float(w)) for c, p, w in turnstile.machine_run(sequence)]


def rnn_rows(h):
    values = turnstile.read_out(h)
    return list(zip(values["coins"].tolist(), values["passes"].tolist(), values["walk"].tolist()))


def test_machine_follows_the_rules():
    # a coin adds up to 2, a third is refused; a push with 2 coins lets one walk and relocks
    assert turnstile.machine_run(["coin", "coin", "coin", "push", "push", "coin", "push"]) == [
        (1, 0, False), (2, 0, False), (2, 0, False), (0, 1, True), (0, 1, False), (1, 1, False), (1, 1, False),
    ]  # fmt: skip


def all_sequences(length):
    return list(itertools.product(turnstile.INPUTS, repeat=length))


def test_whole_turnstile_matches_the_machine_on_every_sequence_up_to_length_12():
    """Every sequence of length <= 12 is a prefix of one of length 12, and every prefix is checked."""
    sequences = all_sequences(12)
    xs = np.stack([turnstile.encode(s) for s in sequences], axis=1)  # (T, B, 2)
    h = torch_run(turnstile.turnstile_cell().to_torch(), xs)  # a real torch.nn.RNNCell, batched
    cell = turnstile.turnstile_cell()
    for b, sequence in enumerate(sequences):
        expected = machine_rows(sequence)
        assert rnn_rows(h[:, b]) == expected, sequence
        assert rnn_rows(cell.run(xs[:, b]).h) == expected, sequence


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_long_random_sequences_keep_an_exact_count(seed):
    rng = np.random.default_rng(seed)
    sequence = rng.choice(list(turnstile.INPUTS), size=5000, p=[0.6, 0.4]).tolist()
    h = turnstile.turnstile_cell().run(turnstile.encode(sequence)).h
    expected = machine_rows(sequence)
    assert expected[-1][1] > 500  # many passes: the counter really counts
    assert rnn_rows(h) == expected


def test_inputs_may_be_any_iterable_in_any_case():
    assert turnstile.run(iter(["COIN", "Coin", "push"]))[-1]["walk"] is True


def test_run_gives_plain_steps():
    steps = turnstile.run(["coin", "coin", "push"])
    assert steps[-1] == {"input": "push", "h": [0.0, 0.0, 0.0, 1.0, 0.0], "coins": 0, "passes": 1, "walk": True}
    assert turnstile.run(["coin", "push"], counter=True) == [
        {"input": "coin", "h": [1.0, 0.0]},
        {"input": "push", "h": [1.0, 1.0]},
    ]


@pytest.mark.parametrize(
    "inputs, message",
    [([], "empty"), (["coin", "kick"], "unknown turnstile input 'kick'; the inputs are: coin, push")],
)
def test_bad_inputs_are_named(inputs, message):
    with pytest.raises(InputError, match=message):
        turnstile.run(inputs)


def test_every_unknown_input_is_named_at_once():
    with pytest.raises(InputError, match=r"^2 unknown turnstile inputs: 'con', 'psh'; the inputs are: coin, push\.$"):
        turnstile.run(["coin", "con", "psh", "con"])
