"""`nnstudio` on a machine without PySide6 says so in one sentence, exit 2."""

from __future__ import annotations

import subprocess
import sys


def test_studio_without_pyside6_says_so_in_one_line() -> None:
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None  # as if it were not installed\n"
        "from nnstudio.cli import main\n"
        "sys.exit(main([]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "PySide6" in lines[0] and "pip install" in lines[0]
    assert "Traceback" not in out.stderr
