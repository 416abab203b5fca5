"""Training and dataset loading off the GUI thread.

A worker QObject lives on its own QThread and consumes the core's generator
(`core.train.run`); every event goes out as `sig_event(object)` and the controller,
which lives in the GUI thread, re-emits it there. Stop and pause are
`threading.Event`s the loop checks every batch. Every exception inside the worker
becomes a `Finished(reason="failed")` event with one plain sentence.

Shutdown (DESIGN.md §3): set stop, clear pause, `thread.quit()` directly, then a
bounded `wait()`; `worker.finished` is never connected to `thread.quit`. Closing the
window waits at most `CLOSE_JOIN_MS`; a batch that outlasts it is abandoned and the
process leaves through `exit_process` (see there why).
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from nnstudio.core.provenance import fingerprint
from nnstudio.core.training.events import Epoch, Finished, ProbeRequest, Started, Step
from nnstudio.core.training.runs import RunRecorder

log = logging.getLogger(__name__)
JOIN_MS = 5000  # longest an ordinary stop waits for the worker thread to end
CLOSE_JOIN_MS = 400  # closing waits this long for the batch: the close stays < 1 s


def failure_text(exc: BaseException) -> str:
    """One sentence for an exception raised inside a run or a dataset load."""
    from nnstudio.core.errors import NNStudioError
    from nnstudio.core.training.evaluate import is_out_of_memory, memory_phrase

    if isinstance(exc, NNStudioError):
        return str(exc)
    if is_out_of_memory(exc):  # worded in the core: the CLI says the same
        return memory_phrase(exc)
    return f"{type(exc).__name__}: {exc}"


_ABANDONED: list[tuple[QThread, QObject]] = []


def abandon(thread: QThread, worker: QObject | None) -> None:
    """Leave a worker that outlasts its join (a batch longer than JOIN_MS, a download
    stalled in a socket read) to end on its own, without crashing the studio.

    Destroying a running QThread aborts the process, and on exit PySide destroys every
    QObject Python owns; so the thread is handed to Qt's main-thread object, which is
    never destroyed, and the process exit ends it. Its signals are cut first.
    """
    if worker is not None:
        for name in (
            "sig_event",
            "sig_done",
            "sig_progress",
            "sig_loaded",
            "sig_failed",
        ):
            signal = getattr(worker, name, None)
            if signal is not None:
                try:
                    signal.disconnect()
                except (RuntimeError, TypeError):  # nothing connected
                    pass
    app = QCoreApplication.instance()
    if app is not None:
        thread.setParent(app.thread())
    _ABANDONED.append((thread, worker))
    log.warning("a worker thread did not stop in time; it is left to end by itself")


def abandoned_running() -> int:
    """How many abandoned worker threads are still inside their batch or read."""
    return sum(1 for thread, _ in _ABANDONED if thread.isRunning())


def exit_process(code: int) -> int:
    """Return `code` when no abandoned worker is left; otherwise end the process now.

    Why `os._exit` and not a plain daemon `threading.Thread` for the worker: a
    thread still inside a long torch op when the interpreter exits cannot be made
    safe from Python. Qt aborts when a running QThread is destroyed ("QThread:
    Destroyed while thread is still running"); a daemon Python thread that comes back
    from the op after finalization started is ended with `pthread_exit`, whose
    forced unwinding through torch's C++ frames calls `std::terminate` ("terminate
    called without an active exception", the SIGABRT seen in 5 of 8 closes); and
    torch's static destructors may run under the op. Skipping finalization is the
    one exit that races with none of them. Everything worth keeping is already on
    disk by then (the autosave and the settings were written and synced in the
    window's close), so only the standard streams and the log need a flush.
    """
    if abandoned_running() == 0:
        return code
    import os
    import sys

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):  # closed or a broken pipe: nothing to keep
                pass
    os._exit(code)


def _leave_a_core_for_the_gui() -> None:
    """Torch's CPU threads default to one per core; on a 2-core laptop they starve the
    GUI thread (and each other: measured 100x slower on a busy machine). Keep one
    core free; a no-op where torch was already limited further (or not loaded)."""
    import sys

    from nnstudio.core.threads import default_threads

    torch = sys.modules.get("torch")
    if torch is None:
        return
    wanted = default_threads()  # the command line's default too
    if torch.get_num_threads() > wanted:
        torch.set_num_threads(wanted)


class TrainingWorker(QObject):
    """Runs one training generator to its end in the worker thread."""

    sig_event = Signal(object)
    sig_done = Signal()

    def __init__(
        self,
        spec: Any,
        data: Any,
        config: Any,
        model: Any,
        stop: threading.Event,
        pause: threading.Event,
        probe_request: ProbeRequest,
        step: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self._job = (spec, data, config, model)
        self._stop, self._pause, self._probe = stop, pause, probe_request
        self._step = step  # one batch while paused (Step, F10)

    def _events(self) -> Any:
        from nnstudio.core.training import loop as train

        _leave_a_core_for_the_gui()
        from nnstudio.core.network.dry_run import warm_torch_imports

        warm_torch_imports()  # before the optimizer imports it here, GC running
        spec, data, config, model = self._job
        kwargs = {"stop": self._stop, "pause": self._pause,
                  "probe_request": self._probe, "model": model}
        try:  # binding the arguments is all a generator call does
            return train.run(spec, data, config, step=self._step, **kwargs)
        except TypeError:  # a stand-in loop (tests) without one-step support
            return train.run(spec, data, config, **kwargs)

    @Slot()
    def run(self) -> None:
        finished, started = False, time.perf_counter()
        try:  # every event goes on: the loop already paces them (ui/frame_clock.py)
            for event in self._events():
                finished = finished or isinstance(event, Finished)
                self.sig_event.emit(event)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes an event
            log.exception("training failed")
            finished = True
            self.sig_event.emit(
                Finished(
                    "failed", failure_text(exc), 0, 0, time.perf_counter() - started
                )
            )
        if not finished:
            reason = "stopped" if self._stop.is_set() else "finished"
            self.sig_event.emit(
                Finished(reason, "", 0, 0, time.perf_counter() - started)
            )
        self.sig_done.emit()


class TrainingController(QObject):
    """Owns the run: start, pause, stop, shutdown; re-emits events in the GUI thread.

    `probe_request` is what the visible views ask the loop to collect.
    """

    sig_event = Signal(object)  # every core event, in the GUI thread
    sig_state_changed = Signal(str)  # "idle" | "running" | "paused" | "stopping"
    sig_finished = Signal(object)  # the Finished event, after the thread ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.probe_request = ProbeRequest(kinds=frozenset())
        self.state = "idle"
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._stop, self._pause = threading.Event(), threading.Event()
        self._step = threading.Event()  # set: run one batch while paused
        self.spec: Any = None
        self.config: Any = None  # the run's TrainConfig, as started
        self.run_fingerprint: str | None = None  # network+data of the current run
        self.started: Started | None = None
        self.last_step: Step | None = None
        self.last_epoch: Epoch | None = None
        self.finished: Finished | None = None
        self.recorder = RunRecorder()
        self.events = 0

    @property
    def running(self) -> bool:
        return self.state != "idle"

    def start(self, spec: Any, data: Any, config: Any, model: Any = None) -> bool:
        """Start a run on a snapshot of the spec (frozen, so it is safe to share)."""
        if self._thread is not None:
            return False
        self._stop.clear()
        self._pause.clear()
        self._step.clear()
        if "torch._dynamo" not in sys.modules:
            # Qt garbage is freed here, in the GUI thread (warm_torch_imports says why)
            gc.collect()
        self.spec, self.started, self.last_step = spec, None, None
        self.config = config
        self.run_fingerprint = (
            fingerprint(spec, config.dataset, config.dataset_options)
            if config is not None
            else None
        )
        self.last_epoch, self.finished, self.events = None, None, 0
        self.recorder = RunRecorder(spec, config)
        self._thread = QThread(self)
        self._thread.setObjectName("nnstudio-training")
        self._worker = TrainingWorker(
            spec, data, config, model, self._stop, self._pause, self.probe_request,
            self._step,
        )
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sig_event.connect(self._on_worker_event)
        self._worker.sig_done.connect(self._on_worker_done)
        self._set_state("running")
        self._thread.start()
        return True

    def pause(self, paused: bool) -> None:
        if self.state not in ("running", "paused"):
            return
        if paused:
            self._pause.set()
        else:
            self._pause.clear()
        self._set_state("paused" if paused else "running")

    def step_once(self) -> bool:
        """Run exactly one batch while paused (its StepDetail, Step and Probe follow);
        False when not paused."""
        if self.state != "paused":
            return False
        self._step.set()
        return True

    def stop(self) -> None:
        """Ask the loop to stop after the current batch (it also leaves a pause)."""
        if self.state in ("running", "paused"):
            self._stop.set()
            self._pause.clear()
            self._set_state("stopping")

    def shutdown(self, timeout_ms: int = JOIN_MS) -> bool:
        """Stop and join the worker thread; True when no thread is left running."""
        thread = self._thread
        if thread is None:
            return True
        self._stop.set()
        self._pause.clear()
        thread.quit()  # thread-safe; takes effect as soon as the run slot returns
        joined = thread.wait(timeout_ms)
        if joined:
            # deliver the worker's last queued events (Finished with the weights)
            QCoreApplication.sendPostedEvents(self, 0)
        else:
            abandon(thread, self._worker)
        if self._thread is not None:
            self._cleanup(delete=joined)
        return joined

    @Slot(object)
    def _on_worker_event(self, event: Any) -> None:
        self.events += 1
        self.recorder.feed(event)
        if isinstance(event, Step):
            self.last_step = event
        elif isinstance(event, Epoch):
            self.last_epoch = event
        elif isinstance(event, Started):
            self.started = event
        elif isinstance(event, Finished):
            self.finished = event
        self.sig_event.emit(event)

    @Slot()
    def _on_worker_done(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait(JOIN_MS)
        self._cleanup()

    def _cleanup(self, delete: bool = True) -> None:
        thread, worker = self._thread, self._worker
        self._thread, self._worker = None, None
        if delete and worker is not None:
            worker.deleteLater()
        if delete and thread is not None:
            thread.deleteLater()
        if self.state != "idle":
            self._set_state("idle")
            if self.finished is None:
                self.finished = Finished("stopped", "", 0, 0, 0.0)
            self.sig_finished.emit(self.finished)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_state_changed.emit(state)

    def record(self) -> dict[str, Any]:
        """The JSON-ready history record of the current (or last) run."""
        return self.recorder.finish()

    def eta(self) -> float:
        """Seconds left, from the pace so far (NaN before the first step)."""
        step, started = self.last_step, self.started
        if step is None or started is None or step.progress <= 0:
            return float("nan")
        return step.elapsed / step.progress * max(0.0, started.epochs - step.progress)
