"""The only place that creates the QApplication: translators, theme, first paint.

Launch order keeps the window's first paint ahead of `import torch` (1.5-3 s on a
small machine): the window skeleton is shown first, torch and the core are imported
in a background thread, then the panels are filled in (`MainWindow.finish_loading`).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger(__name__)
SELF_TEST_STEPS = 5  # enough Step events to prove the loop, the worker and the signals
SELF_TEST_TIMEOUT_S = 120.0
_ORIGINAL: dict[str, Any] = {}


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made once), named so QSettings finds its file."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    from nnstudio import __version__
    from nnstudio.ui.icons import app_icon
    from nnstudio.ui.settings import APPLICATION, ORGANIZATION

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    _ORIGINAL.setdefault("style", app.style().name())
    _ORIGINAL.setdefault("palette", QPalette(app.palette()))
    from nnstudio.ui.preferences import apply_language_preference

    apply_language_preference()
    install_translators(app)
    return app  # type: ignore[return-value]


def install_translators(app: QCoreApplication, language: str | None = None) -> list:
    """nnstudio_<lang>.qm from nnstudio/translations, plus Qt's own (dialog buttons)."""
    from nnstudio.core.i18n import lang

    language = language or lang()
    if language == "en":
        return []
    locale = QLocale("zh_CN" if language == "zh" else language)
    from nnstudio.paths import ensure_translations, qt_translations_dir

    installed = []
    qt_folder = qt_translations_dir() or Path(
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    )
    folders = [(ensure_translations(), "nnstudio"), (qt_folder, "qtbase")]
    for folder, name in folders:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def apply_theme(name: str) -> None:
    """'system' (the platform's look), 'light' or 'dark' (Fusion with a palette)."""
    app = QApplication.instance()
    if app is None:
        return
    _ORIGINAL.setdefault("style", app.style().name())
    _ORIGINAL.setdefault("palette", QPalette(app.palette()))
    if name == "system" or name not in ("light", "dark"):
        if "style" in _ORIGINAL:
            app.setStyle(_ORIGINAL["style"])
            app.setPalette(_ORIGINAL["palette"])
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(_dark_palette() if name == "dark" else app.style().standardPalette())


def _dark_palette() -> QPalette:
    pal = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#2b2d30",
        role.WindowText: "#e6e6e6",
        role.Base: "#1e1f22",
        role.AlternateBase: "#2b2d30",
        role.ToolTipBase: "#3c3f41",
        role.ToolTipText: "#e6e6e6",
        role.Text: "#e6e6e6",
        role.Button: "#3c3f41",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Highlight: "#2f65ca",
        role.HighlightedText: "#ffffff",
        role.Link: "#6ea8fe",
        role.PlaceholderText: "#9aa0a6",
        role.Mid: "#55585c",
    }
    for r, c in colors.items():
        pal.setColor(r, QColor(c))
    for r in (role.Text, role.ButtonText, role.WindowText):
        pal.setColor(group.Disabled, r, QColor("#7a7e85"))
    return pal


class CoreLoader(QObject):
    """Imports torch and the core in a background thread; `sig_loaded(devices)`.

    Only what the window needs to be ready to train is imported before
    `sig_loaded`. The rest (scipy for the canvas, the meta device's first use, which
    imports torch._dynamo: 2-3 s together) is paid in the same thread once the
    window says it is ready (`window_ready`), so it never competes with filling
    the window in. The meta warm-up holds shapes' first-use lock: a check of a big
    layer meanwhile waits for it instead of importing torch._dynamo in a second
    thread (two threads doing that first use at once hung a test sequence).
    """

    sig_loaded = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ready = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="nnstudio-import", daemon=True).start()

    @Slot()
    def window_ready(self) -> None:
        self._ready.set()

    def _run(self) -> None:
        devices = None
        try:
            import nnstudio.core.datasets  # noqa: F401
            import nnstudio.core.network.presets  # noqa: F401
            import nnstudio.core.project.files  # noqa: F401
            import nnstudio.core.training.loop  # noqa: F401
            from nnstudio.ui.training_form import available_devices

            for name in (
                "nnstudio.core.predict.predictor",
                "nnstudio.core.predict.preprocess",
                "nnstudio.core.training.evaluate",
                "nnstudio.core.training.probes",
            ):
                _import_quietly(name)  # plain Python, no Qt: safe here
            devices = available_devices()
        except Exception:  # noqa: BLE001 - finish_loading reports the import error itself
            log.exception("importing the core failed")
        self.sig_loaded.emit(devices)
        if self._ready.wait(WARM_UP_AFTER_S):
            _after_ready()


WARM_UP_AFTER_S = 120.0  # a window that never gets ready (a failed import) skips it


def _after_ready() -> None:
    """One-time costs the first minutes may need, paid off the GUI thread."""
    try:
        warm_up()
    except Exception:  # noqa: BLE001 - a later check pays it, and says what failed
        log.exception("warming up torch failed")


def _import_quietly(name: str) -> None:
    """Import a module the views need, if it exists in this checkout."""
    import importlib

    try:
        importlib.import_module(name)
    except ImportError:
        pass


def warm_up() -> None:
    """scipy.ndimage (the canvas's preprocessing) and the meta device's first use
    (shape checks of big layers), both seconds on a small machine."""
    from nnstudio.core.network.dry_run import warm_torch_imports, warm_up_meta
    from nnstudio.core.predict import field

    field._ndimage()
    warm_torch_imports()  # torch._dynamo with the GC paused (dry_run.py says why)
    warm_up_meta()


def run_app(file: str | None = None, self_test: bool = False) -> int:
    """Open the studio (on `file`), run until closed; or run the self-test."""
    if self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_application()
    if self_test:
        return _self_test()
    window = launch(file)
    code = app.exec()
    window.shutdown()
    from nnstudio.ui.training import exit_process

    return exit_process(int(code))  # ends the process at once if a batch still runs


def launch(file: str | None = None) -> Any:
    """Show the window skeleton now; import the core behind it, then fill it in.

    With NNSTUDIO_LAUNCH_PROBE set (benchmarks/bench_window.py), the seconds since
    that value (a time.time() stamp) at the first paint and when ready are printed
    and the studio quits once ready.
    """
    from nnstudio.ui.main_window import MainWindow
    from nnstudio.ui.settings import Settings

    apply_theme(Settings().theme())
    window = MainWindow(file, deferred=True)
    probe = os.environ.get("NNSTUDIO_LAUNCH_PROBE")
    if probe:
        _LaunchProbe(window, float(probe))
    window.show()
    loader = CoreLoader(window)
    loader.sig_loaded.connect(window.on_core_loaded)  # a slot: runs in the GUI thread
    window.sig_ready.connect(loader.window_ready)
    loader.start()
    return window


class _LaunchProbe(QObject):
    """Prints when the window first paints and when it is ready, then quits."""

    def __init__(self, window: Any, t0: float) -> None:
        super().__init__(window)
        self.t0, self.painted = t0, False
        window.installEventFilter(self)
        window.sig_ready.connect(self._on_window_ready)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and event.type() == QEvent.Type.Paint:
            self.painted = True
            print(f"first-paint-s {time.time() - self.t0:.3f}", flush=True)
        return False

    @Slot()
    def _on_window_ready(self) -> None:
        print(f"ready-s {time.time() - self.t0:.3f}", flush=True)
        from PySide6.QtWidgets import QPushButton

        button = self.parent().findChild(QPushButton, "trainButton")
        enabled = button is not None and button.isEnabled()
        print(f"train-enabled {int(enabled)}", flush=True)
        QTimer.singleShot(0, QApplication.instance().quit)


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until `predicate()` holds or the time is up."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(
        lambda: loop.quit() if predicate() or time.monotonic() > deadline else None
    )
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    return predicate()


def _self_test() -> int:
    """Window, a few training batches, save and reload a project: 0 if all worked."""
    with tempfile.TemporaryDirectory(prefix="nnstudio-selftest-") as tmp:
        os.environ["NNSTUDIO_DATA_DIR"] = str(Path(tmp) / "data")
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        try:
            ok = _self_test_steps(Path(tmp))
        except Exception as exc:  # noqa: BLE001 - a failed self-test says why, exits 1
            log.exception("self-test failed")
            print(
                f"nnstudio self-test: FAILED ({type(exc).__name__}: {exc})",
                file=sys.stderr,
            )
            return 1
    print(
        "nnstudio self-test: " + ("ok" if ok else "FAILED"),
        file=sys.stdout if ok else sys.stderr,
    )
    return 0 if ok else 1


def _self_test_steps(folder: Path) -> bool:
    from nnstudio.ui.document import Document
    from nnstudio.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    checks: dict[str, bool] = {}
    ctl = window.controller
    checks["train started"] = window.start_training()
    wait_until(
        lambda: ctl.events > SELF_TEST_STEPS or not ctl.running, SELF_TEST_TIMEOUT_S
    )
    ctl.stop()
    checks["run ended"] = wait_until(lambda: not ctl.running, SELF_TEST_TIMEOUT_S)
    finished = ctl.finished
    checks["run did not fail"] = finished is not None and finished.reason != "failed"
    path = folder / "self-test.nnstudio"
    checks["saved"] = window.save_file(path)
    reopened = Document()
    reopened.open(path)
    checks["same spec"] = reopened.spec == window.document.spec
    checks["weights kept"] = _same_weights(reopened.weights, window.document.weights)
    window.close()
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    return all(checks.values())


def _same_weights(a: Any, b: Any) -> bool:
    if a is None or b is None or set(a) != set(b):
        return False
    return all(bool((a[k].cpu() == b[k].cpu()).all()) for k in a)
