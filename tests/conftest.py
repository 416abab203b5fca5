"""Test-wide set-up: no screen, no internet, no real user folders, seeded randomness.

This runs before any test module imports Qt, so the offscreen platform is always used.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import pytest

if os.environ.get("NNSTUDIO_BLOCK_QT") == "1":  # tests/test_headless.py's run
    import sys

    for _name in ("PySide6", "shiboken6", "pyqtgraph"):
        sys.modules[_name] = None  # type: ignore[assignment]  # import -> ImportError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NNSTUDIO_LANG", "en")
_HOME = tempfile.mkdtemp(prefix="nnstudio-test-home-")
for _var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = os.path.join(_HOME, _var.lower())
os.environ["NNSTUDIO_MIRROR"] = "http://127.0.0.1:9/"  # closed port: never the internet

REPO = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(autouse=True)
def _seed() -> None:
    random.seed(0)
    try:
        import numpy as np

        np.random.seed(0)
    except ImportError:  # pragma: no cover
        pass


@pytest.fixture
def shared_mnist() -> Path:
    """The 8,000 real MNIST digits beside the checkout, or a clear skip."""
    if not (SHARED_MNIST / "mnist-8k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"shared MNIST data not found at {SHARED_MNIST} (CI provides it)")
    return SHARED_MNIST


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots and other files a person should look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
