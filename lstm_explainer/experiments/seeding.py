"""Same numbers on every run: one seed, one thread, deterministic algorithms."""

from __future__ import annotations

import random

import numpy as np


def deterministic(seed: int):
    """Seed Python, NumPy and torch, use one thread and deterministic kernels; return torch.

    Call it at the start of every job, so a job's result depends on its settings only.
    """
    import torch

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    return torch
