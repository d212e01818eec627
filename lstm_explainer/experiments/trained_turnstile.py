r"""A trained turnstile: small ReLU RNN, tanh RNN, GRU and LSTM networks learn the two-coin machine.

Every setting below is a field of `TrainedTurnstileConfig` (the module's `CONFIG`); the
jobs receive it as ``dataclasses.asdict(CONFIG)``, so it is part of their cache key, and the
page quotes it from there.

**The data.** Every sequence is drawn at random (coin or push, one half each) and labelled
by the reference machine, `lstm_explainer.turnstile.TRANSITIONS`: after each input, the
machine's state $s_t \in \{0, 1, 2\}$ (coins in) and the number of passes so far $n_t$.
Inputs are the one-hot vectors of `lstm_explainer.turnstile.INPUTS`.

**The networks.** One layer of ``torch.nn.RNN`` (``nonlinearity="relu"`` or ``"tanh"``) or
``torch.nn.GRU`` or ``torch.nn.LSTM`` with ``hidden`` units, PyTorch's default initialisation, from $h_0 = 0$,
and one ``torch.nn.Linear`` readout of the hidden state: three logits for the state and
one number for the pass count,

$$
[z_t; \hat n_t] = W_{out} h_t + b_{out}.
$$

**Training** (one job per kind and seed, `train_network`) sees sequences of ``train_length``
inputs, with a loss at every step, so it has seen every length from 1 to ``train_length``
and none longer. It has two stages, a curriculum: first the state alone (cross-entropy,
``state_steps`` updates), then the state and the count together (plus the squared count
error, ``count_steps`` more updates). The network as it stands after the first stage is the
*state network*; after the second, the *counting network*. ``torch.optim.Adam`` (Kingma &
Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), one optimiser for both stages
(its step size changed between them), gradients clipped to norm ``clip``.

**Testing** uses ``test_sequences`` fresh sequences of ``test_length`` inputs (ten times the
longest seen in training) and one long sequence of ``long_length``. The answer after $t$
inputs is the answer for a sequence of length $t$, so accuracy by step is accuracy by
sequence length; it is averaged over windows of ``window`` steps. A count is right when
$\hat n_t$ rounds to $n_t$. The hand-set network of `lstm_explainer.turnstile`
(`lstm_explainer.turnstile.turnstile_cell`, run by `lstm_explainer.cells.RNNCell`) runs on
the same sequences (`handset_network`), and both are measured by the same code (`measure`).
The hidden states of both are projected on their first three principal axes (`pca`, NumPy
SVD) for the pictures.

**What to expect.** Weiss, Goldberg & Yahav ("On the Practical Computational Power of
Finite Precision RNNs for Language Recognition", ACL 2018) prove that ReLU RNNs and LSTMs
can count while tanh RNNs and GRUs cannot: with finite precision, a state bounded in
$[-1, 1]$ has finitely many values. Here it is even simpler: a linear readout of such a
state is bounded by $\lVert w \rVert_1 + |b|$ (`count_ceiling`), whatever the weights, and
the LSTM's output $h_t = o_t \odot \tanh(c_t)$ is such a state: its cell state $c_t$ may
count, but a linear readout of $h_t$ cannot say a large count.

**The coin box: a count behind a bounded answer** (`train_credit`). So that the test is of
the memory and not of the readout, a second task asks for an accept-or-reject answer that
only a count can give, as Weiss et al.'s $a^n b^n$ does. The *coin box* is the turnstile
that keeps every coin instead of refusing the third: its credit $k_t$ grows by one per coin
and a push with $k_{t-1} \ge 2$ lets one person through and takes two,

$$
k_t = k_{t-1} + [x_t = \text{coin}] - 2\,[x_t = \text{push}][k_{t-1} \ge 2],
$$

and the answer after every input is whether it is unlocked, $k_t \ge 2$ (one logit, binary
cross-entropy). Sequences are $n$ coins and then pushes (`coins_then_pushes`): training sees
$n \le$ ``credit_train_max``, the test every $n$ up to ``credit_test_max``. A network
*counts to* $N$ when it is right at every step of every sequence with $n \le N$
(`counts_to`); one that counts past ``credit_train_max`` has carried a count further than
training ever asked. It is measured with the site's NumPy cells
(`lstm_explainer.cells`, ``from_torch``, float64), which also give the unit that follows
the credit best (`credit_trace`).
Karpathy, Johnson & Fei-Fei ("Visualizing and Understanding Recurrent Networks", 2015)
read trained hidden states in the same spirit as the projections here.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import asdict, dataclass

import numpy as np

from .. import turnstile
from ..checks import InputError
from . import seeding
from .cache import run_job, run_jobs

KINDS = {"relu": "ReLU RNN", "tanh": "tanh RNN", "gru": "GRU", "lstm": "LSTM"}
"""The network kinds trained, with their names on the page."""

STATES = 3
"""The machine's states: 0, 1 or 2 coins in."""

SYMBOLS = tuple(turnstile.INPUTS)
"""The inputs in the order of the one-hot units: coin, push."""


@dataclass(frozen=True)
class TrainedTurnstileConfig:
    """Every setting of the experiment (lengths in inputs, rates as Adam's step size)."""

    seeds: tuple[int, ...] = (0, 1, 2)
    """Training runs per kind: the seed draws the initial weights and the training sequences."""
    hidden: int = 16
    """Hidden units of every trained network (the hand-set one has `lstm_explainer.turnstile.UNITS`)."""
    train_length: int = 20
    """Inputs per training sequence: the longest sequence training ever sees."""
    batch: int = 64
    """Training sequences per update."""
    state_steps: int = 50
    """Updates on the state alone: the state network."""
    count_steps: int = 100
    """Further updates on the state and the count together: the counting network."""
    state_rate: float = 0.03
    """Adam's step size in the state stage."""
    count_rate: float = 0.01
    """Adam's step size in the counting stage."""
    count_weight: float = 1.0
    """Weight of the count's squared error next to the state's cross-entropy in the second stage."""
    clip: float = 1.0
    """Gradients are clipped to this norm before each update."""
    test_seed: int = 2018
    """Seed of the test sequences (training draws from the run's own seed)."""
    test_sequences: int = 100
    """Held-out test sequences."""
    test_length: int = 200
    """Inputs per test sequence: ten times the longest training sequence."""
    window: int = 10
    """Accuracy is averaged over windows of this many steps: steps 1-10, 11-20, ..."""
    long_length: int = 500
    """Inputs of the one long sequence whose pass count is followed step by step."""
    long_seed: int = 500
    """Seed of the long sequence."""
    pca_points: int = 120
    """Hidden states drawn (sequence, step) at random from the test set for the projection."""
    pca_seed: int = 7
    """Seed of that draw."""
    runaway: float = 1e100
    """Outputs and states beyond this size are held at it (a count that runs away, not a number)."""
    runaway_factor: float = 2.0
    """A count that ends above this many times the true count has run away; below the true
    count divided by it, it has stalled."""
    credit_seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    """Coin-box runs per kind (`train_credit`)."""
    credit_hidden: int = 8
    """Hidden units of every coin-box network."""
    credit_train_max: int = 12
    """The most coins in a row of any coin-box training sequence."""
    credit_extra: int = 4
    """Pushes after the coin box has locked again, at the end of every coin-box sequence."""
    credit_batch: int = 64
    """Coin-box training sequences per update (n drawn uniformly from 1 to ``credit_train_max``)."""
    credit_updates: int = 400
    """Adam updates of a coin-box network."""
    credit_rate: float = 0.02
    """Adam's step size for the coin box."""
    credit_test_max: int = 60
    """The coin-box test runs every n from 1 to this (five times ``credit_train_max``)."""

    @classmethod
    def from_settings(cls, settings: dict) -> TrainedTurnstileConfig:
        """The config a job receives as ``dataclasses.asdict`` (lists, after JSON, read as tuples)."""
        return cls(**{name: tuple(v) if isinstance(v, list) else v for name, v in settings.items()})


CONFIG = TrainedTurnstileConfig()
"""The settings the page's results are computed with."""


# --- the data, labelled by the reference machine ----------------------------------------


def machine_tables() -> tuple[np.ndarray, np.ndarray]:
    """`TRANSITIONS` as two arrays indexed ``[coins before, input]``: coins after, and walk (0 or 1)."""
    after = np.zeros((STATES, len(SYMBOLS)), dtype=np.int64)
    walk = np.zeros((STATES, len(SYMBOLS)), dtype=np.int64)
    for (before, symbol), (coins, walked) in turnstile.TRANSITIONS.items():
        after[before, SYMBOLS.index(symbol)] = coins
        walk[before, SYMBOLS.index(symbol)] = walked
    return after, walk


def random_inputs(rng: np.random.Generator, sequences: int, length: int) -> np.ndarray:
    """Input indices ``(sequences, length)``: 0 for coin, 1 for push, each with probability 1/2."""
    if sequences < 1 or length < 1:
        raise InputError(f"need at least one sequence of at least one input; got {sequences} of length {length}.")
    return rng.integers(0, len(SYMBOLS), size=(sequences, length))


def machine_labels(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The machine's state $s_t$ and passes so far $n_t$ after every input of every sequence."""
    after, walk = machine_tables()
    state = np.zeros(len(keys), dtype=np.int64)
    passes = np.zeros(len(keys), dtype=np.int64)
    states, counts = np.zeros_like(keys), np.zeros_like(keys)
    for t in range(keys.shape[1]):
        # n_t = n_{t-1} + walk(s_{t-1}, x_t)
        passes = passes + walk[state, keys[:, t]]
        # s_t = after(s_{t-1}, x_t)
        state = after[state, keys[:, t]]
        states[:, t], counts[:, t] = state, passes
    return states, counts


def one_hot(keys: np.ndarray) -> np.ndarray:
    """The one-hot inputs ``(sequences, length, 2)`` of `turnstile.INPUTS`, as float32."""
    return np.array([turnstile.INPUTS[s] for s in SYMBOLS], dtype=np.float32)[keys]


def held_out_data(config: TrainedTurnstileConfig = CONFIG) -> dict[str, np.ndarray]:
    """The held-out sequences and the long one, with the machine's labels, and the rows drawn for `pca`."""
    keys = random_inputs(np.random.default_rng(config.test_seed), config.test_sequences, config.test_length)
    long_keys = random_inputs(np.random.default_rng(config.long_seed), 1, config.long_length)
    states, counts = machine_labels(keys)
    long_states, long_counts = machine_labels(long_keys)
    rng = np.random.default_rng(config.pca_seed)
    pick = rng.choice(config.test_sequences * config.test_length, size=config.pca_points, replace=False)
    return {
        "keys": keys, "states": states, "counts": counts,
        "long_keys": long_keys, "long_states": long_states, "long_counts": long_counts,
        "pca_rows": np.sort(pick),
    }  # fmt: skip


# --- measuring any network: outputs against the machine ---------------------------------


def windowed(values: np.ndarray, window: int) -> list[float]:
    """The mean of ``values`` ``(sequences, steps)`` over each window of ``window`` steps."""
    sequences, steps = values.shape
    return values.reshape(sequences, steps // window, window).mean(axis=(0, 2)).tolist()


def first_miss(right: np.ndarray) -> np.ndarray:
    """For each sequence, the first step (from 1) whose answer is wrong; length + 1 if none is."""
    wrong = ~right
    return np.where(wrong.any(axis=1), wrong.argmax(axis=1) + 1, right.shape[1] + 1)


def pca(hidden: np.ndarray, rows: np.ndarray, axes: int = 3) -> dict:
    r"""Project ``hidden[rows]`` on the first ``axes`` principal axes of all of ``hidden`` ``(N, H)``.

    With $X$ centred, $X = U S V^\top$: the principal axes are the columns of $V$, the
    projection is $X V_{:, :k}$ and axis $k$ holds the share $S_k^2 / \sum_j S_j^2$ of the
    variance. $V$ and $S^2$ come from the SVD of the small matrix $X^\top X = V S^2 V^\top$
    (``H x H``), the same axes for far less work than the SVD of $X$ itself. Each axis's sign
    is fixed so that its largest loading is positive, so the picture cannot flip.
    """
    centred = hidden - hidden.mean(axis=0)
    # X^T X = V S^2 V^T
    v, s2, _ = np.linalg.svd(centred.T @ centred)
    v = v[:, :axes] * np.sign([v[np.argmax(np.abs(v[:, k])), k] for k in range(axes)])
    shares = s2 / max(float(np.sum(s2)), 1e-300)
    # X V[:, :k] for the points drawn
    return {"xy": (centred[rows] @ v).tolist(), "variance": shares[:axes].tolist()}


def measure(state_guess, count_guess, hidden, long_count, data, config: TrainedTurnstileConfig) -> dict:
    """Everything the page reports about one network (trained or hand-set), from its outputs on
    `held_out_data`: the one evaluation of accuracy on the test sequences.

    ``state_guess`` and ``count_guess`` are ``(sequences, steps)``, ``hidden`` is
    ``(sequences, steps, units)`` and ``long_count`` the count over the long sequence.
    Accuracies are shares in [0, 1], by window of ``config.window`` steps or over the steps
    up to (``seen``) or after (``unseen``) ``config.train_length``.
    """
    train = config.train_length
    state_right = state_guess == data["states"]
    count_right = np.rint(count_guess) == data["counts"]
    long_true = data["long_counts"][0]
    # the share of the passes after step train_length that the count follows: 1 counts, 0 stalls
    gain = (long_count[-1] - long_count[train - 1]) / (long_true[-1] - long_true[train - 1])
    flat = hidden.reshape(-1, hidden.shape[-1])
    return {
        "state_accuracy": windowed(state_right, config.window),
        "count_accuracy": windowed(count_right, config.window),
        "state_unseen": float(state_right[:, train:].mean()),
        "count_seen": float(count_right[:, :train].mean()),
        "count_unseen": float(count_right[:, train:].mean()),
        "count_first_miss": float(np.median(first_miss(count_right))),
        "long_count": [float(v) for v in long_count],
        "count_gain": float(gain),
        "pca": pca(flat, data["pca_rows"]),
        "pca_states": data["states"].reshape(-1)[data["pca_rows"]].tolist(),
    }


# --- the trained networks -----------------------------------------------------------------


def build_network(kind: str, torch, hidden: int = CONFIG.hidden, outputs: int = STATES + 1):
    """The recurrent layer of ``kind`` (one of `KINDS`) with ``hidden`` units, and its linear
    readout of ``outputs`` numbers (by default 3 logits + 1 count); `InputError` for another kind."""
    if kind not in KINDS:
        raise InputError(f"unknown network kind {kind!r}; the kinds are: {', '.join(KINDS)}.")
    if kind == "gru":
        rnn = torch.nn.GRU(len(SYMBOLS), hidden, batch_first=True)
    elif kind == "lstm":
        rnn = torch.nn.LSTM(len(SYMBOLS), hidden, batch_first=True)
    else:
        rnn = torch.nn.RNN(len(SYMBOLS), hidden, nonlinearity=kind, batch_first=True)
    return rnn, torch.nn.Linear(hidden, outputs)


def count_ceiling(kind: str, readout) -> float | None:
    r"""The largest count a bounded network can ever output: $\lVert w \rVert_1 + |b|$.

    tanh RNN and GRU states stay in $[-1, 1]$ (the GRU's is a mix of $h_0 = 0$ and tanh
    values), and so does the LSTM's output $h_t = o_t \odot \tanh(c_t)$, so
    $\hat n = w^\top h + b \le \lVert w \rVert_1 + |b|$. ``None`` for the ReLU RNN, whose
    state has no upper bound.
    """
    if kind == "relu":
        return None
    w, b = readout.weight[STATES].detach().double(), readout.bias[STATES].detach().double()
    return float(w.abs().sum() + b.abs())


def evaluate(torch, rnn, readout, data, config: TrainedTurnstileConfig) -> dict:
    """`measure` a trained network on the held-out data, in float64 on copies of its modules.

    Float64 keeps a count that runs away finite for longer; anything beyond ``config.runaway``
    is held there, so that the results stay finite numbers.
    """
    rnn, readout = copy.deepcopy(rnn).double(), copy.deepcopy(readout).double()
    with torch.no_grad():
        hidden, _ = rnn(torch.from_numpy(one_hot(data["keys"]).astype(np.float64)))
        out = readout(hidden)
        long_hidden, _ = rnn(torch.from_numpy(one_hot(data["long_keys"]).astype(np.float64)))
        long_count = readout(long_hidden)[0, :, STATES]
    cap = config.runaway
    finite = lambda a: np.clip(np.nan_to_num(a.numpy(), nan=cap), -cap, cap)  # noqa: E731
    return measure(out[..., :STATES].argmax(-1).numpy(), finite(out[..., STATES]), finite(hidden),
                   finite(long_count), data, config)  # fmt: skip


def train_network(kind: str, seed: int, config: dict) -> dict:
    """Train one network of ``kind`` with ``seed`` (see the module docstring) and measure it twice.

    ``config`` is ``dataclasses.asdict`` of a `TrainedTurnstileConfig`. Returns ``state``
    (the network after the state stage, as `measure` gives it), ``count`` (after the counting
    stage), ``losses`` (state and count loss at the end of each stage) and ``ceiling``
    (`count_ceiling` of the counting network).

    The optimiser is ``torch.optim.Adam`` with its defaults, one for both stages. What a
    ReLU counting network's count does (`outcome`) hangs on float32 rounding in it: with
    Adam's running mean $m_t$ rounded as a multiply and an add instead of PyTorch's
    ``lerp_`` (the same update to float64 rounding), the last-bit differences grow over the
    updates into a network with another outcome; ``tests/test_trained_turnstile.py`` trains
    one run both ways. The page's results are those of ``torch.optim.Adam``.
    """
    config = TrainedTurnstileConfig.from_settings(config)
    torch = seeding.deterministic(seed)
    rng = np.random.default_rng(seed)
    rnn, readout = build_network(kind, torch, config.hidden)
    params = list(rnn.parameters()) + list(readout.parameters())
    optimiser = torch.optim.Adam(params, lr=config.state_rate)
    data = held_out_data(config)
    # every update's fresh batch, drawn and labelled at once: (updates, batch, train_length)
    updates, shape = config.state_steps + config.count_steps, (-1, config.batch, config.train_length)
    keys = random_inputs(rng, updates * config.batch, config.train_length)
    all_states, all_counts = (torch.from_numpy(a.reshape(shape)) for a in machine_labels(keys))
    all_inputs = torch.from_numpy(one_hot(keys).reshape(*shape, len(SYMBOLS)))
    out, losses = {}, {}
    for step in range(updates):
        states, counts = all_states[step], all_counts[step]
        hidden, _ = rnn(all_inputs[step])
        # [z_t; n_hat_t] = W_out h_t + b_out
        outputs = readout(hidden)
        # L_state = mean over steps of -log softmax(z_t)[s_t]
        state_loss = torch.nn.functional.cross_entropy(outputs[..., :STATES].reshape(-1, STATES), states.reshape(-1))
        # L_count = mean over steps of (n_hat_t - n_t)^2
        count_loss = torch.nn.functional.mse_loss(outputs[..., STATES], counts.float())
        counting = step >= config.state_steps
        if step == config.state_steps:  # the counting stage: same moments, new step size
            for group in optimiser.param_groups:
                group["lr"] = config.count_rate
        # L = L_state (first stage), L_state + lambda L_count (second stage)
        loss = state_loss + config.count_weight * count_loss if counting else state_loss
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, config.clip, foreach=True)
        optimiser.step()
        if step + 1 in (config.state_steps, updates):
            stage = "count" if counting else "state"
            losses[stage] = {"state": state_loss.item(), "count": count_loss.item()}
            out[stage] = evaluate(torch, rnn, readout, data, config)
    return {**out, "losses": losses, "ceiling": count_ceiling(kind, readout)}


# --- the hand-set network ---------------------------------------------------------------------


def handset_network(config: dict) -> dict:
    """The hand-set ReLU RNN of `lstm_explainer.turnstile` on the same held-out data, measured alike.

    ``config`` is ``dataclasses.asdict`` of a `TrainedTurnstileConfig`. Each sequence runs
    through `lstm_explainer.turnstile.turnstile_cell` (an `lstm_explainer.cells.RNNCell`),
    and coins and passes are its linear readouts (`lstm_explainer.turnstile.read_out`).
    """
    config = TrainedTurnstileConfig.from_settings(config)
    data = held_out_data(config)
    cell = turnstile.turnstile_cell()

    def run(keys):
        # h_t = max(0, W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), sequence by sequence: (N, T, 5)
        hidden = np.stack([cell.run(xs).h for xs in one_hot(keys)])
        # coins and passes are linear readouts of h_t (turnstile.READOUT)
        read = turnstile.read_out(hidden)
        return hidden, np.rint(read["coins"]).astype(np.int64), read["passes"]

    hidden, coins, passes = run(data["keys"])
    _, _, long_passes = run(data["long_keys"])
    return measure(coins, passes, hidden, long_passes[0], data, config)


# --- the coin box: a count behind an accept-or-reject answer -------------------------------------


def coins_then_pushes(ns, length: int) -> np.ndarray:
    """Input indices ``(len(ns), length)``: ``n`` coins (0), then pushes (1) to ``length``;
    `InputError` if some ``n`` is below 1 or leaves no push."""
    ns = np.asarray(ns, dtype=np.int64)
    if ns.size == 0 or ns.min() < 1 or ns.max() >= length:
        raise InputError(f"every n must lie between 1 and length - 1 = {length - 1}; got {ns.tolist()[:5]}.")
    return (np.arange(length)[None, :] >= ns[:, None]).astype(np.int64)


def credit_labels(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The coin box's credit $k_t$ and its answer, unlocked ($k_t \\ge 2$: 1) or locked (0),
    after every input of every sequence of ``keys`` (0 coin, 1 push)."""
    credit = np.zeros(len(keys), dtype=np.int64)
    credits = np.zeros_like(keys)
    for t in range(keys.shape[1]):
        coin = keys[:, t] == 0
        # k_t = k_{t-1} + [coin] - 2 [push][k_{t-1} >= 2]
        credit = credit + coin - 2 * (~coin & (credit >= 2))
        credits[:, t] = credit
    return credits, (credits >= 2).astype(np.int64)


def credit_length(n: int, extra: int) -> int:
    """Inputs of a coin-box sequence with at most ``n`` coins: the coins, a push per pass, ``extra`` more."""
    return n + n // 2 + extra


def counts_to(right: list[bool]) -> int:
    """The largest N such that the first N answers (for n = 1 ... N) are all right; 0 if the first is wrong."""
    wrong = [index for index, ok in enumerate(right) if not ok]
    return wrong[0] if wrong else len(right)


def numpy_cell(kind: str, rnn):
    """The site's NumPy cell (`lstm_explainer.cells`) with the weights of the torch layer ``rnn``, in float64."""
    from .. import cells

    cell = {"lstm": cells.LSTMCell, "gru": cells.GRUCell}.get(kind, cells.RNNCell).from_torch(rnn)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        setattr(cell, name, getattr(cell, name).astype(np.float64))
    cell.dtype = np.dtype(np.float64)
    return cell


def credit_trace(kind: str, trace, credits: np.ndarray) -> dict:
    """The unit whose memory follows the credit best along one sequence: the cell state $c$ for
    the LSTM, the hidden state $h$ otherwise; its index, Pearson r with ``credits`` and values,
    and for the LSTM that unit's forget gate $f_t$ at every step (``forget``, else ``None``)."""
    memory = trace.c if kind == "lstm" else trace.h
    x = memory - memory.mean(0)
    y = credits - credits.mean()
    norms = np.sqrt((x**2).sum(0) * (y**2).sum())
    # r_j = sum (x_j - mean)(y - mean) / sqrt(sum (x_j - mean)^2 sum (y - mean)^2)
    r = np.divide(y @ x, norms, out=np.zeros(len(norms)), where=norms > 0)
    unit = int(np.argmax(np.abs(r)))
    return {"unit": unit, "r": float(r[unit]), "state": "c" if kind == "lstm" else "h",
            "values": memory[:, unit].tolist(), "credit": credits.tolist(),
            "forget": trace.f[:, unit].tolist() if kind == "lstm" else None}  # fmt: skip


def train_credit(kind: str, seed: int, config: dict) -> dict:
    """Train one coin-box network of ``kind`` with ``seed`` and test it on every n (module docstring).

    ``config`` is ``dataclasses.asdict`` of a `TrainedTurnstileConfig`. Returns ``right`` (per
    n from 1 to ``credit_test_max``, whether every answer of that sequence is right),
    ``counts_to`` (`counts_to`), ``step_accuracy`` (the share of right answers over every
    test step), ``loss`` (the last update's) and ``trace`` (`credit_trace` on the longest test
    sequence). ``torch.optim.Adam``, gradients clipped to ``clip``.
    """
    config = TrainedTurnstileConfig.from_settings(config)
    torch = seeding.deterministic(seed)
    rng = np.random.default_rng(seed)
    rnn, readout = build_network(kind, torch, config.credit_hidden, outputs=1)
    params = list(rnn.parameters()) + list(readout.parameters())
    optimiser = torch.optim.Adam(params, lr=config.credit_rate)
    length = credit_length(config.credit_train_max, config.credit_extra)
    shape = (config.credit_updates, config.credit_batch, length)
    keys = coins_then_pushes(rng.integers(1, config.credit_train_max + 1, size=shape[0] * shape[1]), length)
    inputs = torch.from_numpy(one_hot(keys).reshape(*shape, len(SYMBOLS)))
    targets = torch.from_numpy(credit_labels(keys)[1].reshape(shape).astype(np.float32))
    for step in range(config.credit_updates):
        hidden, _ = rnn(inputs[step])
        # L = mean over steps of binary cross-entropy(sigmoid(w^T h_t + b), [k_t >= 2])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(readout(hidden)[..., 0], targets[step])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, config.clip, foreach=True)
        optimiser.step()
    cell = numpy_cell(kind, rnn)
    w = readout.weight.detach().double().numpy()[0]
    b = float(readout.bias.detach().double()[0])
    right, hits, steps, trace = [], 0, 0, None
    for n in range(1, config.credit_test_max + 1):
        test = coins_then_pushes([n], credit_length(n, config.credit_extra))
        credits, answers = credit_labels(test)
        run = cell.run(one_hot(test)[0].astype(np.float64))
        # unlocked when w^T h_t + b > 0, i.e. sigmoid(...) > 1/2
        said = (run.h @ w + b > 0).astype(np.int64)
        right.append(bool((said == answers[0]).all()))
        hits, steps = hits + int((said == answers[0]).sum()), steps + len(said)
        trace = credit_trace(kind, run, credits[0].astype(np.float64))
    return {"right": right, "counts_to": counts_to(right), "step_accuracy": hits / steps, "loss": loss.item(),
            "trace": trace}  # fmt: skip


# --- everything the page needs ------------------------------------------------------------------


def outcome(long_count: list[float], true_end: float, factor: float = CONFIG.runaway_factor) -> str:
    """What a counting network's count does over the long sequence: ``"follows"``, ``"runs away"``
    (ends above ``factor`` times ``true_end``) or ``"stalls"`` (below ``true_end / factor``)."""
    end = long_count[-1]
    if end > factor * true_end:
        return "runs away"
    if end < true_end / factor:
        return "stalls"
    return "follows"


def growth_factor(long_count: list[float]) -> float:
    """The count's factor of growth per step over the second half of the long sequence.

    A count that runs away grows geometrically: $\\hat n_T = \\hat n_{T/2}\\, g^{T - T/2}$.
    """
    half = len(long_count) // 2
    # g = (n_T / n_{T/2}) ^ (1 / (T - T/2))
    return (long_count[-1] / long_count[half - 1]) ** (1 / (len(long_count) - half))


@functools.cache
def results() -> dict:
    """Everything the page shows, computed with `CONFIG` (cached on disk, and read once per process).

    ``runs[kind]``: one `train_network` result per seed; ``handset``: `handset_network`;
    ``machine``: the reference machine's pass count over the long sequence; ``outcomes`` and
    ``growth``: per kind and seed, what the count does over the long sequence (`outcome`) and
    its growth per step (`growth_factor`); ``credit[kind]``: one `train_credit` result per seed
    of ``CONFIG.credit_seeds``.
    """
    config = asdict(CONFIG)
    settings = [{"kind": kind, "seed": seed, "config": config} for kind in KINDS for seed in CONFIG.seeds]
    trained = run_jobs(train_network, settings)
    runs = {kind: [r for s, r in zip(settings, trained) if s["kind"] == kind] for kind in KINDS}
    handset = run_job(handset_network, config=config)
    true_end = handset["long_count"][-1]
    ends = {kind: [r["count"]["long_count"] for r in rs] for kind, rs in runs.items()}
    return {
        "runs": runs,
        "outcomes": {kind: [outcome(c, true_end, CONFIG.runaway_factor) for c in cs] for kind, cs in ends.items()},
        "growth": {kind: [growth_factor(c) for c in cs] for kind, cs in ends.items()},
        "handset": handset,
        "machine": {"long_count": held_out_data(CONFIG)["long_counts"][0].tolist()},
        "credit": {kind: run_jobs(train_credit, [{"kind": kind, "seed": seed, "config": config}
                                                  for seed in CONFIG.credit_seeds]) for kind in KINDS},
    }
