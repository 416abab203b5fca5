"""The PySide6 studio. `MainWindow` is imported on first use so that importing this
package costs nothing (the CLI imports it only to open the window)."""

from __future__ import annotations

from typing import Any

__all__ = ["MainWindow", "run_app"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from nnstudio.ui.main_window import MainWindow

        return MainWindow
    if name == "run_app":
        from nnstudio.ui.app import run_app

        return run_app
    raise AttributeError(f"module 'nnstudio.ui' has no attribute {name!r}")
