"""Autosave every minute and on close, and offer a restore after a crash.

Files live in the user data folder (platformdirs, or NNSTUDIO_DATA_DIR):
`autosave/autosave.nnstudio` is the last autosaved project, `autosave/origin.json`
names the file it came from, and `autosave/session.lock` holds the pid of a running
studio. A clean close removes the lock; finding a lock whose process is gone means
the last session crashed, and its autosave is offered back.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)
AUTOSAVE_MS = 60_000  # once a minute: at most a minute of work lost
APP_NAME = "nnstudio"


def data_dir() -> Path:
    """The per-user data folder; NNSTUDIO_DATA_DIR overrides it (tests, portable)."""
    override = os.environ.get("NNSTUDIO_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def autosave_dir() -> Path:
    return data_dir() / "autosave"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no cheap check without extra packages: assume it crashed
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class AutoSaver(QObject):
    """Writes the document to the autosave file when it changed since the last write.

    A failure is told once (`sig_failed` with the reason), not every minute; after a
    success the next failure is told again."""

    sig_failed = Signal(str)

    def __init__(
        self,
        document: Any,
        parent: QObject | None = None,
        interval_ms: int = AUTOSAVE_MS,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.folder = autosave_dir()
        self._saved_revision: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.last_error = ""

    @property
    def project_path(self) -> Path:
        return self.folder / "autosave.nnstudio"

    @property
    def lock_path(self) -> Path:
        return self.folder / "session.lock"

    def start(self) -> None:
        """Begin the session: take the lock and start the minute timer.

        The document as it is now needs no autosave (it is the default, a file or
        a restore): only what changes after this is written."""
        self._saved_revision = self.document.revision
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            self.lock_path.write_text(str(os.getpid()), encoding="utf-8")
        self._timer.start()

    def crashed_session(self) -> Path | None:
        """The autosave left by a session that did not close cleanly, else None.

        Call before `start()`, which takes the lock for this session.
        """
        try:
            pid = int(self.lock_path.read_text(encoding="utf-8").strip() or 0)
        except (OSError, ValueError):
            return None
        if _pid_alive(pid):
            return None  # a studio is running (maybe this one): not a crash
        return self.project_path if self.project_path.is_file() else None

    def origin(self) -> str | None:
        """The file the autosaved project was opened from, if any."""
        try:
            value = json.loads((self.folder / "origin.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return value.get("path") if isinstance(value, dict) else None

    def save_now(self, force: bool = False) -> bool:
        """Write the autosave if the document changed (or `force`); never raises."""
        doc = self.document
        if not force and self._saved_revision == doc.revision:
            return False
        from nnstudio.core.project.files import save_project

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            save_project(self.project_path, doc.to_project())
            origin = {"path": str(doc.path) if doc.path else None, "name": doc.name}
            (self.folder / "origin.json").write_text(json.dumps(origin), "utf-8")
        except Exception as exc:  # noqa: BLE001 - autosave must never break the studio
            log.warning("autosave failed: %s", exc)
            if not self.last_error:
                self.sig_failed.emit(str(exc))
            self.last_error = str(exc)
            return False
        self._saved_revision = doc.revision
        self.last_error = ""
        return True

    def end_session(self) -> None:
        """Clean close: save what changed since the last autosave, release the lock.

        Bounded: nothing is written when nothing changed or everything is saved in
        the project's own file, and weights are stored uncompressed (a close once
        spent 76 s compressing 800 MB)."""
        self._timer.stop()
        if getattr(self.document, "dirty", True):
            self.save_now()
        with contextlib.suppress(OSError):
            self.lock_path.unlink()

    def discard(self) -> None:
        """The user declined the restore: forget the crashed session's autosave."""
        for name in ("autosave.nnstudio", "origin.json"):
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.save_now()


class ProjectFiles(QObject):
    """The File menu's work: new, open, save, save as, recent files, unsaved changes.

    Errors (a corrupt file, a read-only folder) become a line in the window's message
    bar; the current project stays as it was.
    """

    FILE_FILTER = "nnstudio projects (*.nnstudio)"

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.confirm = True  # ask about unsaved changes (never on offscreen platforms)

    @property
    def document(self) -> Any:
        return self.window.document

    def open(self, path: str | Path) -> bool:
        """Open a project; a bad file leaves the current one and says why."""
        from nnstudio.core.errors import NNStudioError
        from nnstudio.ui.messages import tr

        if self.window.controller.running:
            self.window.show_message(
                tr("Stop the training before opening a project."), "warning"
            )
            return False
        try:
            self.document.open(path)
        except NNStudioError as exc:
            self.window.show_message(str(exc), "error")
            return False
        self.window.settings.add_recent_file(str(path))
        self.window.settings.set_last_folder(str(Path(path).resolve().parent))
        return True

    def save(self, path: str | Path | None = None) -> bool:
        """Save to `path` (or the current file, else ask); False if not saved."""
        from nnstudio.core.errors import NNStudioError
        from nnstudio.ui.messages import tr

        if path is None and self.document.path is None:
            return self.save_as()
        try:
            saved = self.document.save(path)
        except NNStudioError as exc:
            self.window.show_message(str(exc), "error")
            return False
        self.window.settings.add_recent_file(str(saved))
        self.window.statusBar().showMessage(tr("Saved {path}").format(path=saved), 5000)
        return True

    def save_as(self) -> bool:
        from PySide6.QtWidgets import QFileDialog

        from nnstudio.ui.messages import tr

        folder = Path(self.window.settings.last_folder())
        start = str(folder / f"{self.document.name}.nnstudio")
        path, _ = QFileDialog.getSaveFileName(
            self.window, tr("Save project"), start, self.FILE_FILTER
        )
        return bool(path) and self.save(path)

    def choose_and_open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from nnstudio.ui.messages import tr

        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            tr("Open project"),
            self.window.settings.last_folder(),
            self.FILE_FILTER,
        )
        if path:
            self.open(path)

    def new(self) -> None:
        from nnstudio.ui.messages import tr

        if self.window.controller.running:
            self.window.show_message(
                tr("Stop the training before starting a new project."), "warning"
            )
            return
        if self.maybe_save():
            self.document.new()

    def can_ask(self) -> bool:
        """Nobody can answer a dialog on an offscreen platform (tests, self-test)."""
        from PySide6.QtGui import QGuiApplication

        return self.confirm and QGuiApplication.platformName() not in (
            "offscreen",
            "minimal",
        )

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; True when it is fine to go on."""
        from PySide6.QtWidgets import QMessageBox

        from nnstudio.ui.messages import tr

        doc = self.document
        if doc is None or not doc.dirty or not self.can_ask():
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window,
            tr("Unsaved changes"),
            tr("{name} has unsaved changes. Save them?").format(name=doc.name),
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def build_menu(self, menu: Any) -> None:
        """File menu entries, with the platform's shortcuts."""
        from PySide6.QtGui import QKeySequence

        from nnstudio.ui.messages import tr

        keys = QKeySequence.StandardKey
        make = self.window.make_action
        menu.addAction(make(tr("&New"), self.new, keys.New, name="newAction"))
        menu.addAction(
            make(tr("&Open…"), self.choose_and_open, keys.Open, name="openAction")
        )
        self.recent_menu = menu.addMenu(tr("Open &Recent"))
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        menu.addAction(
            make(tr("&Save"), lambda: self.save(), keys.Save, name="saveAction")
        )
        menu.addAction(
            make(tr("Save &As…"), self.save_as, keys.SaveAs, name="saveAsAction")
        )
        menu.addSeparator()
        menu.addAction(
            make(tr("&Quit"), self.window.close, keys.Quit, name="quitAction")
        )

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        from nnstudio.ui.messages import tr

        self.recent_menu.clear()
        files = self.window.settings.recent_files()
        for path in files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setData(path)
            action.triggered.connect(self._on_recent_action_triggered)
        if not files:
            self.recent_menu.addAction(tr("(none yet)")).setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(
            tr("Clear the list"), self.window.settings.clear_recent_files
        )

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        path = self.sender().data()
        if path and self.maybe_save():
            self.open(path)

    def offer_restore(self, path: Path) -> None:
        """After a crash, offer the autosaved project (non-modal: the message bar)."""
        from nnstudio.ui.messages import tr

        self._crashed = path
        self.window.message_bar.show_message(
            tr(
                "nnstudio did not close properly last time. "
                "Restore the autosaved project?"
            ),
            "warning",
            [
                (tr("Restore"), self.restore),
                (tr("Discard"), self.window.autosaver.discard),
            ],
        )

    def restore(self) -> bool:
        """Load the crashed session's autosave; it stays unsaved (dirty)."""
        from nnstudio.core.errors import NNStudioError
        from nnstudio.core.project.files import load_project

        path, self._crashed = getattr(self, "_crashed", None), None
        if path is None:
            return False
        try:
            project = load_project(path)
        except NNStudioError as exc:
            self.window.show_message(str(exc), "error")
            return False
        origin = self.window.autosaver.origin()
        self.document.load(project, Path(origin) if origin else None, dirty=True)
        return True
