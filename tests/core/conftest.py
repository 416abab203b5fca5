"""Core test fixtures."""

from __future__ import annotations

import pytest
import torch

TRAINING_MODULES = (
    "test_bench",
    "test_cli_train",
    "test_probes",
    "test_sequences",
    "test_train",
    "test_train_failures",
)


@pytest.fixture(autouse=True, scope="module")
def _one_thread(request: pytest.FixtureRequest):
    """Training tests run on one torch thread: small models gain nothing from a
    second, and while other tests keep the cores busy its waiting made these runs
    5-10x slower."""
    if request.module.__name__.rsplit(".", 1)[-1] not in TRAINING_MODULES:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
