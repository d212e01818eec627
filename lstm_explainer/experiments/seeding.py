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
    # torch.use_deterministic_algorithms(True) also configures torch.compile, whose import
    # costs seconds; nothing here is compiled, so set only the flag the kernels read
    set_flag = getattr(torch._C, "_set_deterministic_algorithms", None)
    if set_flag is None:
        torch.use_deterministic_algorithms(True)
    else:
        set_flag(True, warn_only=False)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    return torch
