"""How many CPU threads torch may use for training and scoring (no Qt).

Torch's default is one thread per core. Its threads wait for each other at the end of
every operation, so when any other program wants a core (a browser, an IDE, the
studio's own GUI thread) the whole step waits for the one thread that lost its core:
on a busy 2-core machine `nnstudio train cnn-mnist` ran at 730 samples/s with 2
threads against 5,197 with 1. The command line and the window therefore both leave
one core to everything else.
"""

from __future__ import annotations

import os

SPARE_CORES = 1  # left to the rest of the machine: one busy program then costs
# nothing, where all-cores threads lost 7x; on a dedicated N-core box it costs 1/N


def available_cores() -> int:
    """Cores this process may run on (its affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_threads() -> int:
    """Torch threads when the user chooses none: all cores but SPARE_CORES."""
    return max(1, available_cores() - SPARE_CORES)


def use_threads(count: int | None = None) -> int:
    """Set torch's intra-op threads (None: `default_threads()`); returns the count."""
    import torch

    wanted = default_threads() if count is None else max(1, int(count))
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)
    return wanted
