"""Training from the window: the worker thread, pause/resume/stop, errors as messages,
closing mid-run, the redraw budget, and spiral-relu trained to >= 95 %.

Waits use qtbot.waitUntil on GUI-side state (DESIGN §3), never waitSignal on a signal
emitted from the worker thread.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6.QtWidgets import QProgressBar, QPushButton

from nnstudio.core.training import loop as train
from nnstudio.core.training.events import Epoch, Finished, Started, Step
from nnstudio.ui.curves import Series
from tests.ui.conftest import shot, wait_idle


def fake_run(steps: int = 50, delay: float = 0.0, fail_at: int | None = None):
    """A stand-in for core.train.run with the same signature and events."""

    def run(
        spec, data, config, *, stop=None, pause=None, probe_request=None, model=None
    ):
        yield Started(
            "fake",
            "cpu",
            2,
            steps // 2,
            100,
            20,
            "classification",
            ("0", "1", "2"),
            ("1_linear",),
            ("1_linear",),
        )
        for i in range(1, steps + 1):
            while pause is not None and pause.is_set() and not stop.is_set():
                time.sleep(0.005)
            if stop is not None and stop.is_set():
                yield Finished("stopped", "stopped by the user", 0, i, 0.1)
                return
            if fail_at == i:
                raise RuntimeError("boom in the worker")
            time.sleep(delay)
            yield Step(
                i,
                (i - 1) // (steps // 2),
                i / (steps / 2),
                1.0 / i,
                i * 32,
                1000.0,
                i * 0.01,
                0.01,
            )
            if i % (steps // 2) == 0:
                yield Epoch(i // (steps // 2), 0.5, 0.6, 0.7, None, 0.8, 1000.0, 0.1)
        yield Finished("finished", "done", 2, steps, 0.5, {}, None)

    return run


def buttons(window):
    return [
        window.findChild(QPushButton, n)
        for n in ("trainButton", "pauseButton", "stopButton")
    ]


def test_fake_run_reaches_the_views(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(train, "run", fake_run(60))
    window = main_window()
    received = []
    window.controller.sig_event.connect(received.append)
    train_b, pause_b, stop_b = buttons(window)
    assert train_b.isEnabled() and not pause_b.isEnabled() and not stop_b.isEnabled()
    train_b.click()
    wait_idle(qtbot, window, 20_000)
    assert isinstance(received[0], Started) and isinstance(received[-1], Finished)
    assert sum(isinstance(e, Epoch) for e in received) == 2
    progress = window.findChild(QProgressBar, "trainProgress")
    assert progress.value() == progress.maximum()
    assert window.curves.point_count() > 0
    assert train_b.isEnabled() and not pause_b.isEnabled()


def test_worker_exception_becomes_a_message(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(train, "run", fake_run(40, fail_at=5))
    window = main_window()
    assert window.start_training()
    wait_idle(qtbot, window, 20_000)
    assert window.controller.finished.reason == "failed"
    assert "boom in the worker" in window.message_bar.last_text
    assert window.message_bar.isVisible() and window.message_bar.last_level == "error"
    assert window.controller._thread is None  # joined, not dead


def test_pause_resume_stop_keep_the_weights(main_window, qtbot, artifacts) -> None:
    window = main_window()
    doc = window.document
    doc.set_config(doc.config.with_(epochs=500), "long run")
    train_b, pause_b, stop_b = buttons(window)
    train_b.click()
    ctl = window.controller
    qtbot.waitUntil(lambda: ctl.last_step is not None, timeout=60_000)
    assert not train_b.isEnabled() and pause_b.isEnabled() and stop_b.isEnabled()
    pause_b.click()
    assert ctl.state == "paused" and pause_b.text() == "Resume"
    qtbot.wait(300)  # one batch may finish, then nothing
    frozen = ctl.last_step.step
    qtbot.wait(600)
    assert ctl.last_step.step == frozen
    shot(window, artifacts / "main_window_paused.png")
    pause_b.click()
    qtbot.waitUntil(lambda: ctl.last_step.step > frozen, timeout=30_000)
    stop_b.click()
    wait_idle(qtbot, window, 30_000)
    assert ctl.finished.reason == "stopped"
    assert doc.weights is not None and doc.dirty
    assert train_b.isEnabled() and not pause_b.isEnabled() and not stop_b.isEnabled()


def test_stop_while_paused(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(train, "run", fake_run(10_000, delay=0.002))
    window = main_window()
    window.start_training()
    qtbot.waitUntil(lambda: window.controller.last_step is not None, timeout=10_000)
    window.controller.pause(True)
    window.controller.stop()
    wait_idle(qtbot, window, 10_000)
    assert window.controller.finished.reason == "stopped"


def test_close_mid_training_joins_the_thread(main_window, qtbot, qtlog) -> None:
    window = main_window()
    doc = window.document
    doc.set_config(doc.config.with_(epochs=500), "long run")
    window.start_training()
    qtbot.waitUntil(lambda: window.controller.last_step is not None, timeout=60_000)
    thread = window.controller._thread
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 5.0
    assert not thread.isRunning()
    assert window.controller._thread is None
    assert not window.isVisible()
    assert window.controller.finished.reason == "stopped"
    assert doc.weights is not None  # the stopped run's weights reached the document
    from nnstudio.core.project.files import load_project
    from nnstudio.ui.autosave import autosave_dir

    assert load_project(autosave_dir() / "autosave.nnstudio").weights is not None
    messages = [record.message for record in qtlog.records]
    assert not any("Destroyed while thread" in m for m in messages), messages


def test_nan_loss_arrives_as_a_message(main_window, qtbot) -> None:
    window = main_window()
    doc = window.document
    doc.set_config(doc.config.with_(optimizer="sgd", lr=1e5, epochs=5), "too fast")
    window.start_training()
    wait_idle(qtbot, window, 120_000)
    finished = window.controller.finished
    if finished.reason != "failed":
        pytest.skip("this seed did not diverge")
    assert (
        "NaN" in window.message_bar.last_text or "Inf" in window.message_bar.last_text
    )


def test_plots_redraw_at_most_20_times_a_second(
    main_window, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(train, "run", fake_run(4000, delay=0.0005))
    window = main_window()
    window.select_view("curves")
    calls = []
    original = window.curves.refresh
    monkeypatch.setattr(
        window.curves,
        "refresh",
        lambda **kw: (calls.append(time.perf_counter()), original(**kw)),
    )
    started = time.perf_counter()
    window.start_training()
    wait_idle(qtbot, window, 60_000)
    elapsed = time.perf_counter() - started
    assert len(calls) <= elapsed * 20 * 1.25 + 3
    gaps = np.diff(calls[:-1])  # the last one is the final frame at Finished
    assert len(gaps) == 0 or np.percentile(gaps, 10) >= 0.03


def test_series_stays_bounded() -> None:
    series = Series(64)
    for i in range(10_000):
        series.append(float(i), float(i))
    x, y = series.view()
    assert len(x) <= 64 and x[0] >= 0 and x[-1] > 9000
    assert np.all(np.diff(x) > 0)


@pytest.mark.slow
def test_train_spiral_relu_to_95_percent(main_window, qtbot, artifacts) -> None:
    window = main_window()
    assert window.document.name == "spiral-relu"
    window.select_view("curves")
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: window.controller.last_step is not None, timeout=60_000)
    shot(window, artifacts / "main_window_training.png")
    wait_idle(qtbot, window)
    finished = window.controller.finished
    assert finished.reason == "finished", finished.message
    assert window.controller.last_epoch.val_accuracy >= 0.95
    assert window.curves.point_count() > 20
    progress = window.findChild(QProgressBar, "trainProgress")
    assert progress.value() == progress.maximum()
    assert window.document.weights is not None
    shot(window, artifacts / "main_window_trained_curves.png")
    if window.select_view("boundary"):
        shot(window, artifacts / "main_window_trained_boundary.png")


def test_dataset_worker_reports_progress_and_cancels(
    main_window, qtbot, monkeypatch
) -> None:
    import nnstudio.core.datasets as datasets
    from nnstudio.ui.data_source import DataSource

    gate = threading.Event()

    def slow_load(name, *, seed=0, progress=None, cancel=None, **options):
        for i in range(1000):
            if cancel is not None and cancel.is_set():
                raise datasets.DownloadError("cancelled")
            if progress is not None:
                progress(i, 1000)
            gate.wait(0.01)
        raise AssertionError("not cancelled")

    monkeypatch.setattr(datasets, "load_dataset", slow_load)
    monkeypatch.setattr(DataSource, "_is_quick", staticmethod(lambda name: False))
    window = main_window()
    source = window.data_source
    seen = []
    source.sig_progress.connect(lambda done, total: seen.append(done))
    window.training_panel.data_box.choose_dataset("mnist")
    assert source.loading and source.data is None
    assert not window.training_panel.run.train_button.isEnabled()
    qtbot.waitUntil(lambda: len(seen) > 3, timeout=10_000)
    dialog = window.training_panel.data_box._progress_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)  # shown after its short delay
    dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert not source.loading
    qtbot.waitUntil(lambda: not source._jobs, timeout=10_000)
    assert "still loading" not in window.training_panel.run.train_button.toolTip()
    assert not window.training_panel.run.train_button.isEnabled()


def test_fake_run_keeps_numbers_in_the_status(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(train, "run", fake_run(400, delay=0.002))
    window = main_window()
    window.start_training()
    qtbot.waitUntil(
        lambda: "samples/s" in window.training_panel.run.stats_label.text(),
        timeout=10_000,
    )
    assert window.training_panel.run.state_status.text() == "Training"
    wait_idle(qtbot, window, 20_000)
    assert window.training_panel.run.state_status.text() == "Ready"


def test_curves_fill_while_another_tab_is_shown(
    main_window, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(train, "run", fake_run(4000, delay=0.001))
    window = main_window()
    window.select_view("boundary") or window.view_tabs.setCurrentIndex(1)
    assert not window.curves.isVisible()
    window.start_training()
    qtbot.waitUntil(lambda: window.curves.point_count() > 5, timeout=10_000)
    assert window.controller.running
    window.controller.stop()
    wait_idle(qtbot, window, 10_000)
    window.curves.log_action.trigger()
    assert window.curves.log_check.isChecked()


def test_a_failed_download_is_a_message_not_a_dead_thread(
    main_window, qtbot, artifacts
) -> None:
    window = main_window()  # tests/conftest.py points the mirror at a closed port
    window.training_panel.data_box.choose_dataset("kmnist")
    source = window.data_source
    qtbot.waitUntil(lambda: not source.loading, timeout=60_000)
    if source.data is not None:
        pytest.skip("kmnist is cached on this machine")
    assert source.error and window.message_bar.last_level == "error"
    assert "kmnist" in window.message_bar.last_text.lower() or source.error
    assert not window.training_panel.run.train_button.isEnabled()
    assert source.error in window.training_panel.run.train_button.toolTip()
    qtbot.waitUntil(lambda: not source._jobs, timeout=10_000)
    shot(window, artifacts / "main_window_download_failed.png")


STUCK_RUN = """
import os, sys, time, types
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
import nnstudio.core.training
fake = types.ModuleType("nnstudio.core.training.loop")
def run(spec, data, config, *, stop=None, pause=None, probe_request=None, model=None):
    time.sleep(3)  # one batch longer than the join
    yield from ()
fake.run = run
sys.modules["nnstudio.core.training.loop"] = nnstudio.core.training.loop = fake
from nnstudio.ui.training import TrainingController
controller = TrainingController()
controller.start(None, None, None)
time.sleep(0.3)
print("joined", controller.shutdown(timeout_ms=200), flush=True)
del controller
app.processEvents()
print("exit", flush=True)
"""


def test_a_batch_longer_than_the_join_does_not_crash_the_exit() -> None:
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", STUCK_RUN],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert "joined False" in out.stdout and "exit" in out.stdout
    assert out.returncode == 0, out.stderr[-500:]
