"""nnstudio.core must never import Qt: it is used headless by the CLI and tests."""

import pkgutil
import subprocess
import sys

import nnstudio.core


def test_core_modules_import_without_qt() -> None:
    names = [
        m.name for m in pkgutil.walk_packages(nnstudio.core.__path__, "nnstudio.core.")
    ]
    assert "nnstudio.core.network.shapes" in names and len(names) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=240
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"core imported Qt: {out.stdout}"
