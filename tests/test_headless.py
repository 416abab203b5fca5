"""The core's tests pass with Qt unimportable: the headless promise, checked.

The CLI, scripts and CI machines without a screen use the core alone; a Qt import
slipping into it (even a lazy one on some code path) fails here, where a plain
import test would only catch module-level imports.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def test_core_suite_passes_with_qt_blocked() -> None:
    env = {**os.environ, "NNSTUDIO_BLOCK_QT": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/core",
        "-q",
        "-x",
        "-p",
        "no:pytest-qt",  # the plugin itself imports Qt
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::pytest.PytestConfigWarning",  # qt_api is pytest-qt's ini key
    ]
    out = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1200
    )
    tail = out.stdout[-3000:] + out.stderr[-2000:]
    assert out.returncode == 0, tail
    assert " passed" in out.stdout, tail
