r"""A character-level LSTM trained on Python's own source, with a GRU, a tanh RNN and baselines beside it.

After Karpathy, Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks" (2015),
at small scale: a one-layer ``torch.nn.LSTM`` of `CharModelConfig.hidden` units reads the
standard-library files of `lstm_explainer.char_corpus` one character at a time and predicts
the next one; it is trained with Adam for a fixed number of updates, deterministically
(`lstm_explainer.experiments.char_training` has the models, how the text is read and the
training job). Beside it, at about the same parameter count and the same number of updates
(the paper's comparison), a ``torch.nn.GRU`` and a ``torch.nn.RNN`` (tanh), with the same seed
(`CharModelConfig.seed`); and the baselines of `lstm_explainer.experiments.char_baselines`
(a Kneser-Ney character n-gram model with n chosen on validation, xz, the unigram entropy)
on the same test characters.

Jobs that are not in the cache yet run in parallel processes, one per core, each with one
torch thread (`run_parallel`): the results are the same as in one process.

``lstm_state()`` gives the trained LSTM's weights in PyTorch's layout (gate order i, f, g, o),
``untrained_state()`` the same network at initialisation (the same seed, before its first
update); ``char_training.torch_modules`` rebuilds torch modules from such weights, and
``tests/test_char_model.py`` checks that `lstm_explainer.cells.LSTMCell` traces the trained
model step by step as torch does.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from .. import char_corpus, disk_cache
from . import cache, char_baselines, char_training
from .char_training import KINDS, initial, parameters, surprisal, weights_of  # noqa: F401 (the page's imports)

STATE_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "readout_weight", "readout_bias")
"""The arrays of `lstm_state`, in PyTorch's layout."""


@dataclass(frozen=True)
class CharModelConfig:
    """Every setting of the experiment: the models, training, measuring, the baselines.

    The LSTM's 64 units are what the browser can run: 2,000 characters with next-character
    probabilities take about 50-70 ms in JavaScript with 64 units and 170-210 ms with 128
    (measured, ``shared/TOOLCHAIN.md``). The GRU and the RNN are smaller, at about half the
    LSTM's parameter count and equal to each other's (`char_training.parameters`): at the
    LSTM's size (GRU 77 units, RNN 142) they cost 147 and 103 CPU seconds against the LSTM's
    88, which put a cold build over its 300 s on two cores (measured: 357 s).
    """

    hidden: int = 64
    """Units of the LSTM (48,033 parameters with the readout)."""
    gru_hidden: int = 46
    """Units of the GRU (24,569 parameters with the readout)."""
    rnn_hidden: int = 86
    """Units of the tanh RNN (24,349 parameters with the readout)."""
    seed: int = 0
    """The seed of every model (its initial weights and the order of the training files)."""
    batch: int = 32
    """Files read side by side (slots) per update."""
    length: int = 128
    """Characters per block: the span of truncated back-propagation through time."""
    updates: int = 3500
    """Adam updates, a fixed number (not a time budget), the same for every model."""
    lr: float = 1.2e-2
    """Adam's peak learning rate, decayed linearly to 0 over the updates.

    Measured (LSTM, this schedule, 750 updates in): training bits per character 2.51 with
    1.2e-2, 2.80 with 6e-3, 3.07 with 3e-3 (which ended at 2.55 on validation after 3,500)."""
    clip: float = 1.0
    """The gradient norm is clipped to this before each update."""
    log_every: int = 250
    """Updates between two progress lines on stderr (and two points of the training curve)."""
    eval_every: int = 1000
    """Updates between two measurements of validation bits per character (and one at the end)."""
    eval_slots: int = 32
    """Files read side by side when measuring (changes only the speed)."""
    eval_length: int = 1024
    """Characters per block when measuring (changes only the speed: the state carries on)."""
    ngram_orders: tuple[int, ...] = tuple(range(1, 17))
    """The n-gram orders tried; the one with the lowest validation bits per character is used on test.

    Measured: the validation bits per character keep falling with the order (code repeats long
    strings): 1.775 at 16, 1.767 at 24, about 0.004 less again at 40, while the counting costs
    more with every order (53 s for 1 to 24); 16 keeps the build within its budget."""


CONFIG = CharModelConfig()
"""The settings of the page's experiment."""


def hidden_of(kind: str, config: CharModelConfig = CONFIG) -> int:
    """The units of model ``kind`` (`KINDS`) in ``config``."""
    return {"lstm": config.hidden, "gru": config.gru_hidden, "rnn": config.rnn_hidden}[kind]


def train_settings(kind: str, config: CharModelConfig = CONFIG, seed: int | None = None) -> dict:
    """The settings of model ``kind``'s training job: only what it depends on, so changing another model retrains nothing."""
    return {
        "kind": kind,
        "hidden": hidden_of(kind, config),
        "seed": config.seed if seed is None else seed,
        "batch": config.batch,
        "length": config.length,
        "updates": config.updates,
        "lr": config.lr,
        "clip": config.clip,
        "log_every": config.log_every,
        "eval_every": config.eval_every,
        "eval_slots": config.eval_slots,
        "eval_length": config.eval_length,
        "corpus": char_corpus.digest(),
    }


def baseline_settings(config: CharModelConfig = CONFIG) -> dict:
    """The settings of the baselines job."""
    return {"orders": list(config.ngram_orders), "corpus": char_corpus.digest()}


def _cached(job, settings: dict) -> bool:
    return (disk_cache.cache_dir() / f"{job.__name__}-{cache.job_key(job, settings)}.json").exists()


def _run_in_worker(module: str, name: str, settings: dict) -> None:
    import importlib

    cache.run_job(getattr(importlib.import_module(module), name), **settings)


def run_parallel(jobs: list[tuple]) -> None:
    """Run the ``(job, settings)`` pairs that are not in the cache yet, in parallel processes.

    One process per core (``os.cpu_count()``), started fresh (``spawn``); each job seeds
    itself and uses one torch thread, so its result is the one a single process would give.
    The results land in the cache, from which the caller reads them.
    """
    todo = [(job, settings) for job, settings in jobs if not _cached(job, settings)]
    workers = min(len(todo), os.cpu_count() or 1)
    if workers <= 1:
        for job, settings in todo:
            cache.run_job(job, **settings)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(_run_in_worker, job.__module__, job.__name__, settings) for job, settings in todo]
        for future in futures:
            future.result()


def jobs(config: CharModelConfig = CONFIG) -> list[tuple]:
    """Every job of the experiment as ``(job, settings)``: the three trainings (the costliest first) and the baselines."""
    # the LSTM first (the page's model); on two cores the GRU, which costs most per update,
    # runs beside the LSTM and then the RNN, and the baselines take the first free core
    trainings = [(char_training.train, train_settings(kind, config)) for kind in ("lstm", "gru", "rnn")]
    return trainings + [(char_baselines.baselines, baseline_settings(config))]


def training(kind: str = "lstm", seed: int | None = None, config: CharModelConfig = CONFIG) -> dict:
    """Model ``kind``'s training result (cached; trained here if it is not): weights, curves, bits per character."""
    return cache.run_job(char_training.train, **train_settings(kind, config, seed))


def _state(weights: dict) -> dict[str, np.ndarray]:
    return {name: np.asarray(weights[name], dtype=np.float32) for name in STATE_NAMES}


def lstm_state(seed: int | None = None) -> dict[str, np.ndarray]:
    """The trained LSTM's parameters: float32, PyTorch's layout, gate order i, f, g, o (H = ``CONFIG.hidden``).

    ``weight_ih`` (4H x 97, one column per symbol of `char_corpus.VOCAB`), ``weight_hh``
    (4H x H), ``bias_ih``, ``bias_hh`` (4H), ``readout_weight`` (97 x H), ``readout_bias`` (97).
    ``seed`` defaults to ``CONFIG.seed``; another seed trains (and caches) another run.
    """
    return _state(training("lstm", seed)["weights"])


def untrained_state(seed: int | None = None) -> dict[str, np.ndarray]:
    """The same LSTM at initialisation, before its first update (the same seed), as `lstm_state` gives it."""
    _, modules = initial("lstm", CONFIG.hidden, CONFIG.seed if seed is None else seed)
    return _state(weights_of(modules))


def results(config: CharModelConfig = CONFIG) -> dict:
    """Everything the page needs, for ``config`` (the page's `CONFIG` by default).

    ``settings`` (``dataclasses.asdict(config)``); ``models``: per kind (``lstm``, ``gru``,
    ``rnn``) ``hidden``, ``seed``, ``parameters``, ``validation`` and ``test`` (bits per
    character), ``train_curve`` and ``validation_curve`` (``[update, bits per character]``),
    ``seconds`` and ``cpu_seconds`` of training (weights left out: `lstm_state` has the
    LSTM's); ``baselines`` (`char_baselines.baselines`). Jobs not in the cache run first, in
    parallel (`run_parallel`).
    """
    every = jobs(config)
    run_parallel(every)
    models = {}
    for job, settings in every[:-1]:
        result = cache.run_job(job, **settings)
        models[settings["kind"]] = {k: v for k, v in result.items() if k != "weights"}
    return {
        "settings": dataclasses.asdict(config),
        "models": {kind: models[kind] for kind in KINDS},
        "baselines": cache.run_job(every[-1][0], **every[-1][1]),
    }
