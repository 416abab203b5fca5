"""GUI test fixtures: an offscreen main window with its own settings and data folder.

`main_window()` builds windows whose QSettings and autosave folder live in the test's
tmp_path; at teardown every window is shut down (training stopped, threads joined)
and the test fails if a worker thread was still running afterwards (napari's habit).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import platformdirs  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

WINDOW_SIZE = (1440, 900)  # the size screenshots are judged at


@pytest.fixture
def ui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary QSettings and user-data folder (autosave, crash lock)."""
    data = tmp_path / "user-data"
    monkeypatch.setenv("NNSTUDIO_DATA_DIR", str(data))
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(data))
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(tmp_path / "settings"),
    )
    return tmp_path


def _threads_left(window: Any) -> list[str]:
    left = []
    try:
        thread = window.controller._thread
        if thread is not None and thread.isRunning():
            left.append("training")
        for thread, _ in window.data_source._jobs.values():
            if thread.isRunning():
                left.append("dataset")
    except RuntimeError:  # the C++ objects are already gone: nothing can run
        pass
    return left


@pytest.fixture
def main_window(qtbot: Any, ui_env: Path) -> Iterator[Callable[..., Any]]:
    """Factory: main_window(file=None, show=True) -> MainWindow."""
    from nnstudio.ui.main_window import MainWindow

    windows: list[Any] = []

    def make(file: str | None = None, show: bool = True) -> Any:
        window = MainWindow(file)
        qtbot.addWidget(window)
        if show:
            window.show()
            window.resize(*WINDOW_SIZE)
            qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    leftovers = []
    for window in windows:
        try:
            window.shutdown()
        except RuntimeError:
            continue
        leftovers += _threads_left(window)
    assert not leftovers, f"worker threads still running after teardown: {leftovers}"


def wait_idle(qtbot: Any, window: Any, timeout_ms: int = 240_000) -> None:
    """Wait (on GUI-side state, DESIGN §3) until the run has ended."""
    qtbot.waitUntil(lambda: not window.controller.running, timeout=timeout_ms)


def shot(window, path) -> None:
    """Screenshot after pending layouts ran (grab() alone can catch stale sizes)."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    window.grab().save(str(path))


class FakeStudio:
    """The smallest `ui.studio.Studio`: a real Document, a controller that only
    re-emits the events a test sends, a data source whose data a test sets, a
    FrameClock, and tabs to add views to. What views may use, nothing more."""

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, Signal
        from PySide6.QtWidgets import QTabWidget

        from nnstudio.core.training.events import ProbeRequest
        from nnstudio.ui.document import Document
        from nnstudio.ui.frame_clock import FrameClock

        class Controller(QObject):
            sig_event = Signal(object)

            def __init__(self, document: Any) -> None:
                super().__init__()
                self.probe_request = ProbeRequest()
                self.running = False
                self.recorder = None
                self.run_fingerprint: str | None = None
                self._document = document

            def emit_run(self, events: list) -> None:
                """Feed a run's events, stamped with the document's network now."""
                self.run_fingerprint = self._document.fingerprint
                for event in events:
                    self.sig_event.emit(event)

        class Source(QObject):
            sig_data_changed = Signal(object)

            def __init__(self) -> None:
                super().__init__()
                self.data = None

            def set(self, data: Any) -> None:
                self.data = data
                self.sig_data_changed.emit(data)

        self.tabs = QTabWidget()
        self.document = Document(self.tabs)
        self.controller = Controller(self.document)
        self.data_source = Source()
        self.frame_clock = FrameClock(self.tabs)
        self.selected: list[str] = []
        self.started: list[tuple] = []

    def add_view(self, widget: Any, title: str) -> None:
        self.tabs.addTab(widget, title)

    def select_view(self, name: str) -> bool:
        self.selected.append(name)
        return True

    def start_training(self, spec: Any = None, config: Any = None, data: Any = None):
        self.started.append((spec, config, data))
        return True


@pytest.fixture
def fake_studio(qtbot: Any) -> Callable[[], FakeStudio]:
    """Factory: fake_studio() -> FakeStudio, its tab widget owned by qtbot."""

    def make() -> FakeStudio:
        studio = FakeStudio()
        qtbot.addWidget(studio.tabs)
        return studio

    return make
