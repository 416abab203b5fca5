"""The current dataset, loaded off the GUI thread: generated sets at once, others
(downloads, folders) by a DatasetWorker on its own QThread, cancellable, with
progress. The shutdown rules are ui/training.py's (bounded join, then abandon).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nnstudio.ui.training import JOIN_MS, abandon, failure_text

log = logging.getLogger(__name__)


class DatasetWorker(QObject):
    """Loads one dataset in a worker thread, reporting progress; cancellable."""

    sig_progress = Signal(int, int)  # done, total (-1 when unknown)
    sig_loaded = Signal(object)
    sig_failed = Signal(str)
    sig_done = Signal()

    def __init__(
        self, name: str, seed: int, options: dict[str, Any], cancel: threading.Event
    ) -> None:
        super().__init__()
        self._args, self._cancel = (name, seed, options), cancel

    def _progress(self, done: int, total: int | None) -> None:
        self.sig_progress.emit(int(done), -1 if total is None else int(total))

    @Slot()
    def run(self) -> None:
        name, seed, options = self._args
        try:
            from nnstudio.core.datasets import load_dataset

            data = load_dataset(
                name, seed=seed, progress=self._progress, cancel=self._cancel, **options
            )
            if self._cancel.is_set():
                raise InterruptedError
            self.sig_loaded.emit(data)
        except BaseException as exc:  # noqa: BLE001 - reported, never a dead thread
            if self._cancel.is_set():
                self.sig_failed.emit("")
            else:
                log.exception("dataset %s failed to load", name)
                self.sig_failed.emit(failure_text(exc))
        self.sig_done.emit()


class DataSource(QObject):
    """The current dataset: generated sets load at once, others in a worker thread.

    `data` is the loaded `Data` (CPU tensors) the runs and the views read. A newer
    request cancels an older load; a cancelled or failed load leaves `data` None
    and `error` set, and the Train button says so.
    """

    sig_data_changed = Signal(object)  # Data | None
    sig_loading = Signal(str)  # the dataset name being loaded, "" when none
    sig_progress = Signal(int, int)  # done, total (-1 when unknown)
    sig_failed = Signal(str)  # plain sentence; "" when the user cancelled

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data: Any = None
        self.key: tuple | None = None
        self.loading_key: tuple | None = None
        self.error = ""
        self.failed_key: tuple | None = None  # a load that failed: not retried alone
        self._jobs: dict[DatasetWorker, tuple[QThread, threading.Event]] = {}
        self._current: DatasetWorker | None = None

    @property
    def loading(self) -> bool:
        return self.loading_key is not None

    def request(self, name: str, seed: int = 0, options: dict | None = None) -> None:
        options = dict(options or {})
        key = (name, seed, tuple(sorted(options.items(), key=lambda kv: kv[0])))
        if (key == self.key and self.data is not None) or key == self.loading_key:
            return
        if key == self.failed_key:
            # the same dataset failed to load (a download with no connection): every
            # settings change used to start that download again. Choosing another
            # dataset and this one again, or `reload()`, retries.
            return
        self.failed_key = None
        self.cancel()
        self.error, self.data, self.key = "", None, key
        self.sig_data_changed.emit(None)
        if self._is_quick(name):
            self._load_now(key)
        else:
            self._load_async(key)

    def reload(self) -> None:
        """Load the current dataset again, also after a failure (a Retry)."""
        key, self.key, self.failed_key = self.key, None, None
        if key is not None:
            self.request(key[0], key[1], dict(key[2]))

    @staticmethod
    def _is_quick(name: str) -> bool:
        from nnstudio.core.datasets import DATASETS

        info = DATASETS.get(name)
        return info is not None and info.source in ("generated", "sklearn")

    def _load_now(self, key: tuple) -> None:
        from nnstudio.core.datasets import load_dataset

        try:
            data = load_dataset(key[0], seed=key[1], **dict(key[2]))
        except Exception as exc:  # noqa: BLE001 - shown in the window
            self._fail(failure_text(exc))
            return
        self.data = data
        self.sig_data_changed.emit(data)

    def _load_async(self, key: tuple) -> None:
        cancel = threading.Event()
        thread = QThread(self)
        thread.setObjectName("nnstudio-dataset")
        worker = DatasetWorker(key[0], key[1], dict(key[2]), cancel)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.sig_progress.connect(self._on_worker_progress)
        worker.sig_loaded.connect(self._on_worker_loaded)
        worker.sig_failed.connect(self._on_worker_failed)
        worker.sig_done.connect(self._on_worker_done)
        self._jobs[worker] = (thread, cancel)
        self._current, self.loading_key = worker, key
        self.sig_loading.emit(key[0])
        thread.start()

    def cancel(self) -> None:
        """Cancel the load in progress (its thread ends on its own, soon)."""
        if self._current is not None:
            self._jobs[self._current][1].set()
            self._current, self.loading_key = None, None
            self.sig_loading.emit("")

    def shutdown(self, timeout_ms: int = JOIN_MS) -> bool:
        """Cancel every load and join their threads within `timeout_ms` in all."""
        self.cancel()
        ok, deadline = True, time.monotonic() + timeout_ms / 1000
        for worker, (thread, cancel) in list(self._jobs.items()):
            cancel.set()
            thread.quit()
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            if not thread.wait(left_ms):  # a download stalled in a socket read
                abandon(thread, worker)
                ok = False
            self._jobs.pop(worker, None)
        return ok

    def _fail(self, message: str) -> None:
        self.error = message
        self.sig_failed.emit(message)

    @Slot(int, int)
    def _on_worker_progress(self, done: int, total: int) -> None:
        if self.sender() is self._current:
            self.sig_progress.emit(done, total)

    @Slot(object)
    def _on_worker_loaded(self, data: Any) -> None:
        if self.sender() is self._current:
            self._current, self.loading_key = None, None
            self.data = data
            self.sig_loading.emit("")
            self.sig_data_changed.emit(data)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        if self.sender() is self._current:
            if message:  # a failure, not a cancel: wait for reload() to try again
                self.failed_key = self.loading_key
            self._current, self.loading_key = None, None
            self.sig_loading.emit("")
            self._fail(message or tr_cancelled())

    @Slot()
    def _on_worker_done(self) -> None:
        worker = self.sender()
        job = self._jobs.pop(worker, None)  # type: ignore[call-overload]
        if job is not None:
            job[0].quit()
            job[0].wait(JOIN_MS)
            job[0].deleteLater()
            worker.deleteLater()


def tr_cancelled() -> str:
    from nnstudio.ui.messages import tr

    return tr("loading was cancelled — choose the dataset again to retry")
