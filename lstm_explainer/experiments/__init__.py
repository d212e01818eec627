"""Experiments for the "Going further" pages: real cells trained and measured at build time.

Each experiment module runs *jobs* (one training run, one measurement) through
`lstm_explainer.experiments.cache.run_jobs`, which keeps each job's result on disk, keyed by
a hash of the code that computes it and of its settings: a rebuild with nothing changed
trains nothing, and a change retrains only the jobs it affects. Each module keeps its settings
in one frozen dataclass (its ``CONFIG``) and offers ``results()``. Drawing and prose live in
`lstm_explainer.figures`, never here.

``python -m lstm_explainer.experiments`` runs them all and prints the time of each.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXPERIMENTS = ("char_model", "char_units", "gradient_flow", "language_model", "recall", "stream", "trained_turnstile")
"""Every experiment, by the name of its module in this package (each has ``results()``)."""


def experiment(name: str) -> ModuleType:
    """The module of experiment ``name`` (one of `EXPERIMENTS`); ``ValueError`` for another name."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; the experiments are: {', '.join(EXPERIMENTS)}.")
    return importlib.import_module(f"{__name__}.{name}")
