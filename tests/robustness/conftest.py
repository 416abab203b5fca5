"""Fixtures of the robustness suite.

Reuses the GUI engineer's window factory (`main_window`, `ui_env`) from tests/ui, and
adds: a guard that records (instead of showing) any modal dialog, a small local HTTP
server for download faults, tiny datasets, and the folder where screenshots of error
states go.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `from tests.ui.conftest import ...` under plain pytest
    sys.path.insert(0, str(ROOT))

try:
    from tests.ui.conftest import (  # noqa: E402, F401 - reused fixtures
        _threads_left,
        main_window,
        ui_env,
    )
except ImportError:  # Qt blocked (NNSTUDIO_BLOCK_QT=1): the Qt-free cases still run
    pass

from .helpers import ModalRecorder, Server  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts" / "robustness"


@pytest.fixture
def shots() -> Path:
    """Folder for grab() PNGs of error states (look at a few)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def modals(monkeypatch: pytest.MonkeyPatch) -> ModalRecorder:
    """Every QMessageBox/QFileDialog static call is recorded, never shown.

    Errors must reach the user without blocking (the message bar), so most tests
    assert `modals.calls == []` at the end.
    """
    return ModalRecorder.install(monkeypatch)


@pytest.fixture
def window(main_window, modals):  # noqa: F811 - the reused factory
    """One studio window on the default project, dialogs intercepted."""
    win = main_window()
    win.modals = modals
    return win


@pytest.fixture(scope="module")
def _studio(qapp, tmp_path_factory):
    """One studio window shared by a module's cases: every bad input of a table is
    thrown at the same window, which must stay usable throughout."""
    import platformdirs
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    patch = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("studio")
    data = folder / "user-data"
    patch.setenv("NNSTUDIO_DATA_DIR", str(data))
    patch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(data))
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings")
    )
    modals = ModalRecorder.install(patch)
    from nnstudio.ui.main_window import MainWindow

    window = MainWindow()
    window.modals = modals
    window.show()
    window.resize(1440, 900)
    QTest.qWaitForWindowExposed(window)
    yield window
    window.shutdown()
    left = _threads_left(window)
    window.close()
    window.deleteLater()
    patch.undo()
    assert not left, f"worker threads still running: {left}"


@pytest.fixture
def studio(_studio, qtbot):
    """The shared window, back on the default project, message bar and dialog log
    cleared, ready to train."""
    win = _studio
    if win.controller.running:
        win.controller.stop()
        qtbot.waitUntil(lambda: not win.controller.running, timeout=30_000)
    win.data_source.cancel()
    win.document.new()
    win.message_bar.hide()
    win.resize(1440, 900)  # a case may have made it grow
    win.modals.calls.clear()
    qtbot.waitUntil(lambda: win.data is not None, timeout=30_000)
    assert win.training_panel.run.train_button.isEnabled(), (
        win.training_panel.run.blocked_label.text()
    )
    return win


@pytest.fixture
def server():
    """A local HTTP server (127.0.0.1, random port) with switchable misbehaviour."""
    httpd = Server.start()
    yield httpd
    httpd.stop()


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Core messages in Chinese for the duration of the test."""
    monkeypatch.setenv("NNSTUDIO_LANG", "zh")


@pytest.fixture(autouse=True)
def _one_thread():
    """Two cores shared with the GUI and other tests: one torch thread is faster."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
