r"""A trained turnstile: small ReLU RNN, tanh RNN and GRU networks learn the two-coin machine.

**The data.** Every sequence is drawn at random (coin or push, one half each) and labelled
by the reference machine, `lstm_explainer.turnstile.TRANSITIONS`: after each input, the
machine's state $s_t \in \{0, 1, 2\}$ (coins in) and the number of passes so far $n_t$.
Inputs are the one-hot vectors of `lstm_explainer.turnstile.INPUTS`.

**The networks.** One layer of ``torch.nn.RNN`` (``nonlinearity="relu"`` or ``"tanh"``) or
``torch.nn.GRU`` with `HIDDEN` units, PyTorch's default initialisation, from $h_0 = 0$,
and one ``torch.nn.Linear`` readout of the hidden state: three logits for the state and
one number for the pass count,

$$
[z_t; \hat n_t] = W_{out} h_t + b_{out}.
$$

**Training** (one job per kind and seed, `train_network`) sees sequences of `TRAIN_LENGTH`
inputs, with a loss at every step, so it has seen every length from 1 to `TRAIN_LENGTH`
and none longer. It has two stages, a curriculum: first the state alone (cross-entropy,
`STATE_STEPS` updates), then the state and the count together (plus the squared count
error, `COUNT_STEPS` more updates). The network as it stands after the first stage is the
*state network*; after the second, the *counting network*. Adam (Kingma & Ba, "Adam: A
Method for Stochastic Optimization", ICLR 2015; `adam_update`), gradients clipped to norm
`CLIP`.

**Testing** uses `TEST_SEQUENCES` fresh sequences of `TEST_LENGTH` inputs (ten times the
longest seen in training) and one long sequence of `LONG_LENGTH`. The answer after $t$
inputs is the answer for a sequence of length $t$, so accuracy by step is accuracy by
sequence length; it is averaged over windows of `WINDOW` steps. A count is right when
$\hat n_t$ rounds to $n_t$. The hand-set network of `lstm_explainer.turnstile`
runs on the same sequences (`handset_network`), and the hidden states of both are projected
on their first three principal axes (`pca`, NumPy SVD) for the pictures.

**What to expect.** Weiss, Goldberg & Yahav ("On the Practical Computational Power of
Finite Precision RNNs for Language Recognition", ACL 2018) prove that ReLU RNNs and LSTMs
can count while tanh RNNs and GRUs cannot: with finite precision, a state bounded in
$[-1, 1]$ has finitely many values. Here it is even simpler: a linear readout of such a
state is bounded by $\lVert w \rVert_1 + |b|$ (`count_ceiling`), whatever the weights.
Karpathy, Johnson & Fei-Fei ("Visualizing and Understanding Recurrent Networks", 2015)
read trained hidden states in the same spirit as the projections here.
"""

from __future__ import annotations

import copy

import numpy as np

from .. import turnstile
from ..checks import InputError
from . import seeding
from .cache import run_job, run_jobs

KINDS = {"relu": "ReLU RNN", "tanh": "tanh RNN", "gru": "GRU"}
"""The network kinds trained, with their names on the page."""

SEEDS = (0, 1, 2)
"""Training runs per kind: the seed draws the initial weights and the training sequences."""

HIDDEN = 16
"""Hidden units of every trained network (the hand-set one has `lstm_explainer.turnstile.UNITS`)."""

TRAIN_LENGTH = 20
"""Inputs per training sequence: the longest sequence training ever sees."""

BATCH = 64
"""Training sequences per update."""

STATE_STEPS = 50
"""Updates on the state alone: the state network."""

COUNT_STEPS = 100
"""Further updates on the state and the count together: the counting network."""

STATE_RATE = 0.03
"""Adam's step size in the state stage."""

COUNT_RATE = 0.01
"""Adam's step size in the counting stage."""

COUNT_WEIGHT = 1.0
"""Weight of the count's squared error next to the state's cross-entropy in the second stage."""

CLIP = 1.0
"""Gradients are clipped to this norm before each update."""

TEST_SEED = 2018
"""Seed of the test sequences (training draws from the run's own seed)."""

TEST_SEQUENCES = 100
"""Held-out test sequences."""

TEST_LENGTH = 200
"""Inputs per test sequence: ten times the longest training sequence."""

WINDOW = 10
"""Accuracy is averaged over windows of this many steps: steps 1-10, 11-20, ..."""

LONG_LENGTH = 500
"""Inputs of the one long sequence whose pass count is followed step by step."""

LONG_SEED = 500
"""Seed of the long sequence."""

PCA_POINTS = 120
"""Hidden states drawn (sequence, step) at random from the test set for the projection."""

PCA_SEED = 7
"""Seed of that draw."""

RUNAWAY = 1e100
"""Outputs and states beyond this size are held at it (a count that runs away, not a number)."""

STATES = 3
"""The machine's states: 0, 1 or 2 coins in."""

SYMBOLS = tuple(turnstile.INPUTS)
"""The inputs in the order of the one-hot units: coin, push."""


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


def held_out_data() -> dict[str, np.ndarray]:
    """The held-out sequences and the long one, with the machine's labels."""
    keys = random_inputs(np.random.default_rng(TEST_SEED), TEST_SEQUENCES, TEST_LENGTH)
    long_keys = random_inputs(np.random.default_rng(LONG_SEED), 1, LONG_LENGTH)
    states, counts = machine_labels(keys)
    long_states, long_counts = machine_labels(long_keys)
    rng = np.random.default_rng(PCA_SEED)
    pick = rng.choice(TEST_SEQUENCES * TEST_LENGTH, size=PCA_POINTS, replace=False)
    return {
        "keys": keys, "states": states, "counts": counts,
        "long_keys": long_keys, "long_states": long_states, "long_counts": long_counts,
        "pca_rows": np.sort(pick),
    }  # fmt: skip


# --- measuring any network: outputs against the machine ---------------------------------


def windowed(values: np.ndarray) -> list[float]:
    """The mean of ``values`` ``(sequences, steps)`` over each window of `WINDOW` steps."""
    sequences, steps = values.shape
    return values.reshape(sequences, steps // WINDOW, WINDOW).mean(axis=(0, 2)).tolist()


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


def measure(state_guess, count_guess, hidden, long_count, data) -> dict:
    """Everything the page reports about one network, from its outputs on `held_out_data`.

    ``state_guess`` and ``count_guess`` are ``(sequences, steps)``, ``hidden`` is
    ``(sequences, steps, units)`` and ``long_count`` the count over the long sequence.
    """
    state_right = state_guess == data["states"]
    count_right = np.rint(count_guess) == data["counts"]
    long_true = data["long_counts"][0]
    # the share of the passes after step TRAIN_LENGTH that the count follows: 1 counts, 0 stalls
    gain = (long_count[-1] - long_count[TRAIN_LENGTH - 1]) / (long_true[-1] - long_true[TRAIN_LENGTH - 1])
    flat = hidden.reshape(-1, hidden.shape[-1])
    return {
        "state_accuracy": windowed(state_right),
        "count_accuracy": windowed(count_right),
        "state_unseen": float(state_right[:, TRAIN_LENGTH:].mean()),
        "count_seen": float(count_right[:, :TRAIN_LENGTH].mean()),
        "count_unseen": float(count_right[:, TRAIN_LENGTH:].mean()),
        "count_first_miss": float(np.median(first_miss(count_right))),
        "long_count": [float(v) for v in long_count],
        "count_gain": float(gain),
        "pca": pca(flat, data["pca_rows"]),
        "pca_states": data["states"].reshape(-1)[data["pca_rows"]].tolist(),
    }


# --- the trained networks -----------------------------------------------------------------


def build_network(kind: str, torch):
    """The recurrent layer of ``kind`` (one of `KINDS`) and its linear readout (3 logits + 1 count)."""
    if kind not in KINDS:
        raise InputError(f"unknown network kind {kind!r}; the kinds are: {', '.join(KINDS)}.")
    if kind == "gru":
        rnn = torch.nn.GRU(len(SYMBOLS), HIDDEN, batch_first=True)
    else:
        rnn = torch.nn.RNN(len(SYMBOLS), HIDDEN, nonlinearity=kind, batch_first=True)
    return rnn, torch.nn.Linear(HIDDEN, STATES + 1)


def count_ceiling(kind: str, readout) -> float | None:
    r"""The largest count a bounded network can ever output: $\lVert w \rVert_1 + |b|$.

    tanh RNN and GRU states stay in $[-1, 1]$ (the GRU's is a mix of $h_0 = 0$ and tanh
    values), so $\hat n = w^\top h + b \le \lVert w \rVert_1 + |b|$. ``None`` for the ReLU
    RNN, whose state has no upper bound.
    """
    if kind == "relu":
        return None
    w, b = readout.weight[STATES].detach().double(), readout.bias[STATES].detach().double()
    return float(w.abs().sum() + b.abs())


def evaluate(torch, rnn, readout, data) -> dict:
    """`measure` a trained network on the held-out data, in float64 on copies of its modules.

    Float64 keeps a count that runs away finite for longer; anything beyond `RUNAWAY` is
    held there, so that the results stay finite numbers.
    """
    rnn, readout = copy.deepcopy(rnn).double(), copy.deepcopy(readout).double()
    with torch.no_grad():
        hidden, _ = rnn(torch.from_numpy(one_hot(data["keys"]).astype(np.float64)))
        out = readout(hidden)
        long_hidden, _ = rnn(torch.from_numpy(one_hot(data["long_keys"]).astype(np.float64)))
        long_count = readout(long_hidden)[0, :, STATES]
    finite = lambda a: np.clip(np.nan_to_num(a.numpy(), nan=RUNAWAY), -RUNAWAY, RUNAWAY)  # noqa: E731
    return measure(out[..., :STATES].argmax(-1).numpy(), finite(out[..., STATES]), finite(hidden),
                   finite(long_count), data)  # fmt: skip


def adam_update(torch, params, moments, t: int, lr: float, betas=(0.9, 0.999), eps: float = 1e-8) -> None:
    r"""Update ``params`` in place by one step of Adam (Kingma & Ba, 2015), update number ``t`` (from 1).

    ``moments`` holds each parameter's running $(m, v)$, updated in place too. The same
    update as ``torch.optim.Adam`` with its defaults (the tests check it against it); written
    out because constructing a ``torch.optim`` optimiser imports ``torch._dynamo``, which
    costs more than all the training of this page.
    """
    beta1, beta2 = betas
    with torch.no_grad():
        for p, (m, v) in zip(params, moments):
            g = p.grad
            # m_t = beta1 m_{t-1} + (1 - beta1) g_t
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            # v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            # p_t = p_{t-1} - lr (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + eps)
            denominator = (v.sqrt() / (1 - beta2**t) ** 0.5).add_(eps)
            p.addcdiv_(m, denominator, value=-lr / (1 - beta1**t))


def train_network(kind: str, seed: int) -> dict:
    """Train one network of ``kind`` with ``seed`` (see the module docstring) and measure it twice.

    Returns ``state`` (the network after the state stage), ``count`` (after the counting
    stage), ``losses`` (state and count loss at the end of each stage) and ``ceiling``
    (`count_ceiling` of the counting network).
    """
    torch = seeding.deterministic(seed)
    rng = np.random.default_rng(seed)
    rnn, readout = build_network(kind, torch)
    params = list(rnn.parameters()) + list(readout.parameters())
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    data = held_out_data()
    # every update's fresh batch, drawn and labelled at once: (updates, BATCH, TRAIN_LENGTH)
    updates = STATE_STEPS + COUNT_STEPS
    keys = random_inputs(rng, updates * BATCH, TRAIN_LENGTH)
    all_states, all_counts = (torch.from_numpy(a.reshape(updates, BATCH, TRAIN_LENGTH)) for a in machine_labels(keys))
    all_inputs = torch.from_numpy(one_hot(keys).reshape(updates, BATCH, TRAIN_LENGTH, len(SYMBOLS)))
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
        counting = step >= STATE_STEPS
        # L = L_state (first stage), L_state + lambda L_count (second stage)
        loss = state_loss + COUNT_WEIGHT * count_loss if counting else state_loss
        for p in params:
            p.grad = None
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, CLIP, foreach=True)
        adam_update(torch, params, moments, step + 1, COUNT_RATE if counting else STATE_RATE)
        if step + 1 in (STATE_STEPS, updates):
            stage = "count" if counting else "state"
            losses[stage] = {"state": state_loss.item(), "count": count_loss.item()}
            out[stage] = evaluate(torch, rnn, readout, data)
    return {**out, "losses": losses, "ceiling": count_ceiling(kind, readout)}


# --- the hand-set network ---------------------------------------------------------------------


def handset_hidden(xs: np.ndarray) -> np.ndarray:
    """The hand-set cell (`turnstile.turnstile_cell`) over many sequences at once: ``(N, T, 5)``.

    The very step of `lstm_explainer.cells.RNNCell.run`, with the cell's own parameters, for
    every sequence of ``xs`` ``(N, T, 2)`` together (the tests check it against ``run``).
    """
    cell = turnstile.turnstile_cell()
    h = np.zeros((len(xs), cell.hidden_size))
    hs = []
    for t in range(xs.shape[1]):
        # h_t = max(0, W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
        h = np.maximum(0.0, xs[:, t] @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh)
        hs.append(h)
    return np.stack(hs, axis=1)


def handset_network() -> dict:
    """The hand-set ReLU RNN of `lstm_explainer.turnstile` on the same held-out data, measured alike."""
    data = held_out_data()
    readout = np.array([turnstile.READOUT["coins"], turnstile.READOUT["passes"]], dtype=float)

    def run(keys):
        hidden = handset_hidden(one_hot(keys).astype(np.float64))
        # coins and passes are linear readouts of h_t (turnstile.READOUT)
        coins, passes = np.moveaxis(hidden @ readout.T, -1, 0)
        return hidden, np.rint(coins).astype(np.int64), passes

    hidden, coins, passes = run(data["keys"])
    _, _, long_passes = run(data["long_keys"])
    return measure(coins, passes, hidden, long_passes[0], data)


# --- everything the page needs ------------------------------------------------------------------


RUNAWAY_FACTOR = 2.0
"""A count that ends above twice the true count has run away; below half of it, it has stalled."""


def outcome(long_count: list[float], true_end: float) -> str:
    """What a counting network's count does over the long sequence: follows, runs away or stalls."""
    end = long_count[-1]
    if end > RUNAWAY_FACTOR * true_end:
        return "runs away"
    if end < true_end / RUNAWAY_FACTOR:
        return "stalls"
    return "follows"


def growth_factor(long_count: list[float]) -> float:
    """The count's factor of growth per step over the second half of the long sequence.

    A count that runs away grows geometrically: $\\hat n_T = \\hat n_{T/2}\\, g^{T - T/2}$.
    """
    half = len(long_count) // 2
    # g = (n_T / n_{T/2}) ^ (1 / (T - T/2))
    return (long_count[-1] / long_count[half - 1]) ** (1 / (len(long_count) - half))


def results() -> dict:
    """``runs[kind]``: one `train_network` result per seed; ``handset``: `handset_network`;
    ``machine``: the reference machine's pass count over the long sequence; ``outcomes`` and
    ``growth``: per kind and seed, what the count does over the long sequence (`outcome`) and
    its growth per step (`growth_factor`); ``settings``: the constants the page quotes."""
    settings = [{"kind": kind, "seed": seed} for kind in KINDS for seed in SEEDS]
    trained = run_jobs(train_network, settings)
    runs = {kind: [r for s, r in zip(settings, trained) if s["kind"] == kind] for kind in KINDS}
    handset = run_job(handset_network)
    true_end = handset["long_count"][-1]
    return {
        "runs": runs,
        "outcomes": {kind: [outcome(r["count"]["long_count"], true_end) for r in rs] for kind, rs in runs.items()},
        "growth": {kind: [growth_factor(r["count"]["long_count"]) for r in rs] for kind, rs in runs.items()},
        "handset": handset,
        "machine": {"long_count": held_out_data()["long_counts"][0].tolist()},
        "settings": {
            "hidden": HIDDEN, "train_length": TRAIN_LENGTH, "batch": BATCH, "state_steps": STATE_STEPS,
            "count_steps": COUNT_STEPS, "state_rate": STATE_RATE, "count_rate": COUNT_RATE, "count_weight": COUNT_WEIGHT,
            "test_sequences": TEST_SEQUENCES, "test_length": TEST_LENGTH, "window": WINDOW,
            "long_length": LONG_LENGTH, "pca_points": PCA_POINTS, "seeds": len(SEEDS),
        },
    }  # fmt: skip
