"""Training faults: NaN/Inf loss, exploding gradients, CUDA out of memory at the first
batch and mid-epoch (simulated), CUDA chosen but absent, an exception inside the
worker, double-clicking Train, Stop during the first batch, closing mid-training.

Each fault ends the run with exactly one Finished("failed") in plain words; the
weights handed back are finite; and the next run trains normally.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import load_project
from nnstudio.core.training import config as core_config
from nnstudio.core.training import loop as train
from nnstudio.core.training import run_setup
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.events import Finished, Started

from .helpers import assert_user_message, has_cjk, run_cli

ROOT = Path(__file__).resolve().parents[2]
PRESET = PRESETS["spiral-relu"]
OOM = "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity)"


class FaultyLoss(torch.nn.CrossEntropyLoss):
    """Cross-entropy that misbehaves at training call `at` (validation calls, made
    without gradients, are not counted)."""

    plan: dict = {}

    def forward(self, out, target):
        plan = FaultyLoss.plan
        if torch.is_grad_enabled():
            plan["calls"] = plan.get("calls", 0) + 1
            if plan["calls"] >= plan["at"] and (
                plan["calls"] == plan["at"] or plan.get("sticky")
            ):
                return plan["do"](super().forward(out, target))
        return super().forward(out, target)


def install_fault(monkeypatch, at: int, do, sticky: bool = False) -> dict:
    FaultyLoss.plan = {"at": at, "do": do, "sticky": sticky}
    kind = core_config.LOSSES["cross-entropy"]
    monkeypatch.setitem(
        core_config.LOSSES, "cross-entropy", dataclasses.replace(kind, make=FaultyLoss)
    )
    return FaultyLoss.plan


def raise_(exc):
    def do(loss):
        raise exc

    return do


# (case id, step the fault hits, what the loss does then, keeps going?, fragments)
FAULTS = [
    (
        "nan-at-step-1",
        1,
        lambda loss: loss * math.nan,
        True,
        ("NaN at step 1", "learning rate"),
    ),
    ("nan-mid-epoch", 5, lambda loss: loss * math.nan, True, ("NaN at step 5",)),
    ("inf-mid-epoch", 4, lambda loss: loss * math.inf, True, ("Inf at step 4",)),
    (
        "oom-first-batch",
        1,
        raise_(torch.cuda.OutOfMemoryError(OOM)),
        False,
        ("out of memory", "batch size"),
    ),
    (
        "oom-mid-epoch",
        5,
        raise_(torch.cuda.OutOfMemoryError(OOM)),
        False,
        ("out of memory", "lower the batch size (e.g. to 16)"),
    ),
    (
        "worker-exception",
        3,
        raise_(RuntimeError("boom in the loss")),
        False,
        ("RuntimeError", "boom in the loss"),
    ),
    ("worker-key-error", 2, raise_(KeyError("missing")), False, ("KeyError",)),
]
IDS = [f[0] for f in FAULTS]


@pytest.fixture(scope="module")
def spiral():
    return load_dataset("spiral", size=60)  # 144 training points: 5 batches of 32


def finite(weights) -> bool:
    return all(
        torch.isfinite(v).all() for v in weights.values() if v.is_floating_point()
    )


def events_of(spec, data, config, **kw):
    events = list(train.run(spec, data, config, **kw))
    assert sum(isinstance(e, Finished) for e in events) == 1
    assert isinstance(events[-1], Finished)
    return events


@pytest.mark.parametrize("name,at,do,sticky,fragments", FAULTS, ids=IDS)
def test_core_fault_ends_the_run_plainly(
    name, at, do, sticky, fragments, spiral, monkeypatch
) -> None:
    install_fault(monkeypatch, at, do, sticky)
    config = PRESET.train_config(epochs=2, probes=False)
    end = events_of(PRESET.spec, spiral, config)[-1]
    assert end.reason == "failed"
    assert_user_message(end.message, *fragments)
    assert end.metrics["stopped_reason"] == end.message
    assert end.weights is not None and finite(end.weights)  # from before the fault
    monkeypatch.undo()  # the fault is gone: the same process trains normally
    again = train.fit(PRESET.spec, spiral, config)
    assert again.finished.reason == "finished", again.finished.message


def test_core_nan_keeps_the_weights_from_before(spiral, monkeypatch) -> None:
    """The weights handed back are those of the last good snapshot: finite, and the
    same network (the step that went wrong did not leak in)."""
    install_fault(monkeypatch, 3, lambda loss: loss * math.nan, sticky=True)
    end = events_of(PRESET.spec, spiral, PRESET.train_config(epochs=3, probes=True))[-1]
    assert end.reason == "failed" and end.metrics["error"] == "non-finite"
    model = build_model(PRESET.spec)
    model.load_state_dict(end.weights)  # loads into the same architecture
    out = model(spiral.inputs(spiral.x_val))
    assert torch.isfinite(out).all()


def test_core_exploding_gradients(spiral) -> None:
    config = PRESET.train_config(optimizer="sgd", lr=1e5, epochs=3, probes=False)
    end = events_of(PRESET.spec, spiral, config)[-1]
    assert end.reason == "failed"
    assert_user_message(
        end.message, "learning rate (100000) is probably too high", "clip"
    )
    assert finite(end.weights)
    clipped = train.fit(PRESET.spec, spiral, config.with_(lr=0.05, clip_norm=1.0))
    assert clipped.finished.reason == "finished"


def test_core_exception_in_forward(spiral, monkeypatch) -> None:
    model = build_model(PRESET.spec, seed=0)
    calls = [0]
    forward = model.forward

    def failing(x):
        calls[0] += 1
        if calls[0] == 3:
            raise torch.cuda.OutOfMemoryError(OOM)
        return forward(x)

    monkeypatch.setattr(model, "forward", failing)
    end = events_of(
        PRESET.spec, spiral, PRESET.train_config(probes=False), model=model
    )[-1]
    assert end.reason == "failed"
    assert_user_message(end.message, "ran out of memory", "batch size")
    assert end.metrics["error"] == "out-of-memory"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
@pytest.mark.parametrize(
    "device,fragment",
    [("cuda", "no CUDA GPU"), ("cuda:3", "no CUDA GPU"), ("tpu", "unknown device")],
)
def test_core_and_cli_device_absent(device, fragment, spiral, capsys) -> None:
    end = events_of(PRESET.spec, spiral, PRESET.train_config(device=device))[-1]
    assert end.reason == "failed" and end.steps == 0
    assert_user_message(end.message, fragment)
    result = run_cli(capsys, "train", "spiral-relu", "--device", device)
    assert result.rc == 2 and result.err_lines == [f"nnstudio: {end.message}"]


@pytest.mark.parametrize("name,at,do,sticky,fragments", FAULTS[::3], ids=IDS[::3])
def test_cli_fault_exit_1_one_line(
    name, at, do, sticky, fragments, capsys, monkeypatch
) -> None:
    install_fault(monkeypatch, at, do, sticky)
    result = run_cli(
        capsys, "train", "spiral-relu", "--epochs", "2", "--no-probes", "--json"
    )
    assert result.rc == 1
    last = result.err_lines[-1]
    assert last.startswith("nnstudio: ")
    assert_user_message(last, *fragments)
    assert "Traceback" not in result.err + result.out
    assert '"stopped_reason"' in result.out.splitlines()[-1]  # JSON still printed


def test_cli_failed_run_does_not_replace_the_saved_project(tmp_path, capsys) -> None:
    path = tmp_path / "mine.nnstudio"
    result = run_cli(
        capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes", "--save", path
    )
    assert result.rc == 0
    before = path.read_bytes()
    result = run_cli(
        capsys,
        "train",
        "spiral-relu",
        "--optimizer",
        "sgd",
        "--lr",
        "1e5",
        "--epochs",
        "2",
        "--no-probes",
        "--save",
        path,
    )
    assert result.rc == 1
    assert path.read_bytes() == before


def test_failure_messages_in_chinese(spiral, monkeypatch, zh) -> None:
    install_fault(monkeypatch, 1, lambda loss: loss * math.nan, sticky=True)
    end = events_of(PRESET.spec, spiral, PRESET.train_config(epochs=1, probes=False))[
        -1
    ]
    assert has_cjk(end.message), end.message


# --- the window -----------------------------------------------------------------------
def quick(window, **changes) -> None:
    doc = window.document
    doc.set_config(
        doc.config.with_(**{"epochs": 2, "dataset_options": {"size": 60}, **changes}),
        "quick",
    )


def wait_idle(qtbot, window, timeout=60_000) -> None:
    qtbot.waitUntil(lambda: not window.controller.running, timeout=timeout)


@pytest.mark.parametrize("name,at,do,sticky,fragments", FAULTS, ids=IDS)
def test_window_fault_is_a_message_and_training_goes_on(
    name, at, do, sticky, fragments, studio, qtbot, monkeypatch, shots
) -> None:
    window, doc = studio, studio.document
    quick(window)
    with monkeypatch.context() as patch:
        install_fault(patch, at, do, sticky)
        assert window.start_training()
        wait_idle(qtbot, window)
    finished = window.controller.finished
    assert finished.reason == "failed"
    bar = window.message_bar
    assert bar.isVisible() and bar.last_level == "error"
    assert_user_message(bar.last_text, *fragments)
    assert_user_message(window.training_panel.run.stats_label.text(), *fragments)
    assert doc.weights is None or finite(doc.weights)  # never NaN weights kept
    panel = window.training_panel
    assert panel.run.train_button.isEnabled() and not panel.run.stop_button.isEnabled()
    if name in ("nan-mid-epoch", "oom-first-batch"):
        window.grab().save(str(shots / f"train_{name}.png"))
    assert window.start_training()  # and the studio trains again, normally
    wait_idle(qtbot, window)
    assert window.controller.finished.reason == "finished"
    assert doc.weights is not None and finite(doc.weights)
    assert window.modals.calls == []


def test_window_nan_is_marked_on_the_curve(studio, qtbot, monkeypatch) -> None:
    window = studio
    quick(window)
    install_fault(monkeypatch, 5, lambda loss: loss * math.nan, sticky=True)
    assert window.start_training()
    wait_idle(qtbot, window)
    items = window.curves.loss_plot.getPlotItem().items
    standard = set(window.curves.items.values())
    assert [i for i in items if i not in standard], "no marker on the loss plot"


def test_window_exception_escaping_the_generator(studio, qtbot, monkeypatch) -> None:
    """Even a failure outside the core's own net (run() itself raising) ends as a
    message, and the worker thread is joined."""

    def broken(*args, **kwargs):
        raise MemoryError("cannot allocate the data")
        yield  # pragma: no cover

    monkeypatch.setattr(train, "run", broken)
    assert studio.start_training()
    wait_idle(qtbot, studio)
    assert studio.controller.finished.reason == "failed"
    assert_user_message(studio.message_bar.last_text, "memory")
    assert studio.controller._thread is None
    monkeypatch.undo()
    assert studio.start_training()
    wait_idle(qtbot, studio)
    assert studio.controller.finished.reason == "finished"


def test_window_failure_is_not_said_twice(studio, qtbot, monkeypatch) -> None:
    quick(studio)
    install_fault(monkeypatch, 1, raise_(RuntimeError("boom")))
    studio.start_training()
    wait_idle(qtbot, studio)
    assert studio.message_bar.last_text.lower().count("failed") == 1, (
        studio.message_bar.last_text
    )


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_window_cuda_chosen_but_absent(studio, qtbot) -> None:
    """A project saved on a GPU machine asks for cuda: Train explains, choosing the
    CPU (or Automatic) in the device box fixes it."""
    window, doc, panel = studio, studio.document, studio.training_panel
    doc.set_config(doc.config.with_(device="cuda"), "from a GPU machine")
    assert not panel.run.train_button.isEnabled()
    assert_user_message(panel.run.blocked_label.text(), "no CUDA GPU")
    assert not window.start_training()
    combo = panel.form.device_combo
    combo.setCurrentIndex(combo.findData("cpu"))
    combo.activated.emit(combo.currentIndex())
    assert doc.config.device == "cpu" and panel.run.train_button.isEnabled()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_window_cuda_absent_is_worded_for_the_window(studio) -> None:
    doc, panel = studio.document, studio.training_panel
    doc.set_config(doc.config.with_(device="cuda"), "from a GPU machine")
    assert "--device" not in panel.run.blocked_label.text()
    assert panel.form.device_combo.currentData() != "auto"


def test_window_double_click_train_starts_one_run(studio, qtbot) -> None:
    window = studio
    quick(window, epochs=3)
    started = []

    def on_event(event) -> None:
        if isinstance(event, Started):
            started.append(event)

    window.controller.sig_event.connect(on_event)
    button = window.training_panel.run.train_button
    try:
        qtbot.mouseDClick(button, qtbot_button())
        button.click()  # and a third, for good measure
        window.start_training()  # the F5 key at the same moment
        wait_idle(qtbot, window)
    finally:
        window.controller.sig_event.disconnect(on_event)
    assert len(started) == 1, started
    assert window.controller.finished.reason == "finished"


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_window_stop_during_the_first_batch(studio, qtbot, monkeypatch) -> None:
    window = studio
    quick(window, epochs=50)
    inside, release = threading.Event(), threading.Event()

    def hold(loss):
        inside.set()
        release.wait(20)
        return loss

    install_fault(monkeypatch, 1, hold)
    assert window.start_training()
    qtbot.waitUntil(inside.is_set, timeout=30_000)
    window.training_panel.run.stop_button.click()
    assert window.controller.state == "stopping"
    release.set()
    wait_idle(qtbot, window, 20_000)
    finished = window.controller.finished
    assert finished.reason == "stopped" and finished.steps <= 1
    assert window.training_panel.run.train_button.isEnabled()
    assert window.document.weights is not None and finite(window.document.weights)


def test_window_closing_mid_training_keeps_the_work(main_window, qtbot, modals) -> None:
    from nnstudio.ui.autosave import autosave_dir

    window = main_window()
    doc = window.document
    doc.remove_layer(1)
    doc.insert_layer(1, PRESET.spec.layers[1])  # a change, so there is work to keep
    quick(window, epochs=500, dataset_options={})
    assert window.start_training()
    qtbot.waitUntil(lambda: window.controller.last_step is not None, timeout=30_000)
    thread = window.controller._thread
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 6
    assert not thread.isRunning() and not window.isVisible()
    saved = load_project(autosave_dir() / "autosave.nnstudio")  # closing autosaves
    assert saved.spec == doc.spec and saved.config["epochs"] == 500
    assert not (autosave_dir() / "session.lock").exists()  # a clean exit
    assert modals.calls == []


STUCK = textwrap.dedent("""
    import os, sys, time, types
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    import nnstudio.core.training
    fake = types.ModuleType("nnstudio.core.training.loop")  # a slow batch
    def run(spec, data, config, *, stop=None, pause=None, probe_request=None,
            model=None):
        time.sleep(3)  # one batch; the stop flag is only read between batches
        yield from ()
    fake.run = run
    sys.modules["nnstudio.core.training.loop"] = nnstudio.core.training.loop = fake
    from nnstudio.ui.training import TrainingController
    controller = TrainingController()
    controller.start(None, None, None)
    time.sleep(0.3)
    # what MainWindow.shutdown does on close (JOIN_MS = 5 s, here 0.3 s < the batch)
    print("joined", controller.shutdown(timeout_ms=300), flush=True)
    del controller
    app.processEvents()
    print("exit", flush=True)
""")


@pytest.mark.slow
def test_closing_while_a_batch_outlasts_the_join_does_not_crash(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", STUCK],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "joined False" in proc.stdout  # the situation this test is about
    assert proc.returncode == 0, proc.stderr.strip().splitlines()[-1:]


REAL_LONG_BATCH = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from nnstudio.ui.app import create_application
    app = create_application([])
    import torch
    from nnstudio.core.datasets.base import Data
    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.core.network.spec import NetworkSpec
    from nnstudio.core.training.config import TrainConfig
    from nnstudio.ui.main_window import MainWindow
    from nnstudio.ui.training import abandoned_running, exit_process
    WIDTH, BATCH = {width}, {batch}  # one batch: several seconds of real matmuls
    window = MainWindow()
    window.show()
    window.document.set_config(window.document.config.with_(epochs=3), "edit")
    x = torch.randn(BATCH, WIDTH)  # one batch per epoch
    data = Data("noise", "classification", (WIDTH,), ("a", "b"), x,
                (x[:, 0] > 0).long(), x[:8], (x[:8, 0] > 0).long())
    spec = NetworkSpec((WIDTH,), (LayerSpec("Linear", {{"out_features": WIDTH}}),
                                  LayerSpec("ReLU"),
                                  LayerSpec("Linear", {{"out_features": 2}})))
    config = TrainConfig(epochs=50, batch_size=BATCH, probes=False, device="cpu")
    controller = window.controller
    state = {{}}

    def close_inside_a_batch():
        if controller.started is None:  # still building: look again soon
            QTimer.singleShot(50, close_inside_a_batch)
            return
        time.sleep(0.5)  # well inside the first forward/backward pass
        started = time.perf_counter()
        window.close()
        state["close"] = time.perf_counter() - started
        state["left"] = abandoned_running()
        print(f"close-s {{state['close']:.3f}} abandoned {{state['left']}}", flush=True)
        app.quit()

    assert controller.start(spec, data, config)
    QTimer.singleShot(50, close_inside_a_batch)
    code = app.exec()
    window.shutdown()  # what run_app does after the event loop
    sys.exit(exit_process(int(code)))
""")


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGABRT is what this guards against")
def test_closing_during_a_real_long_batch_exits_cleanly_within_a_second(
    tmp_path,
) -> None:
    """A real batch of several seconds (issue 13 §2: SIGABRT on exit in 5 of 8
    tries, closes of 38 s and 112 s): the close returns in under a second, the
    process exits 0 soon after and nothing aborts."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NNSTUDIO_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    # ~1.6e12 multiply-adds a batch: 3-20 s on a laptop CPU, ~1 GB of memory
    script = REAL_LONG_BATCH.format(width=4096, batch=16384)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    wall = time.perf_counter() - started
    out, err = proc.stdout, proc.stderr
    print(out, err[-2000:], f"wall {wall:.1f} s")
    assert proc.returncode == 0, err.strip().splitlines()[-3:]
    for text in ("terminate called", "Aborted", "Destroyed while thread", "Fatal"):
        assert text not in err, err[-2000:]
    fields = out.split("close-s ")[1].split()
    close_s, abandoned = float(fields[0]), int(fields[2])
    assert abandoned == 1  # the batch really outlasted the close's wait
    assert close_s < 1.0


def test_the_last_autosave_is_bounded(ui_env, qtbot) -> None:
    """Closing writes nothing when nothing changed, and stores weights uncompressed
    (a close once spent 76 s deflating 800 MB)."""
    import zipfile

    from nnstudio.ui.autosave import AutoSaver
    from nnstudio.ui.document import Document

    document = Document()
    saver = AutoSaver(document)
    saver.start()
    saver.end_session()
    assert not saver.project_path.exists()  # unchanged: no write at all
    saver.start()
    weights = build_model(document.spec, seed=0).state_dict()
    document.set_trained(document.spec, dict(weights), [])
    started = time.perf_counter()
    saver.end_session()
    print(f"autosave on close {time.perf_counter() - started:.3f} s")
    with zipfile.ZipFile(saver.project_path) as archive:
        entry = archive.getinfo("weights.safetensors")
    assert entry.compress_type == zipfile.ZIP_STORED
    assert load_project(saver.project_path).weights is not None


def test_boundary_of_a_diverged_model_is_drawn_neutral() -> None:
    import warnings

    import numpy as np

    from nnstudio.ui.views.boundary import boundary_rgb

    probs = np.full((4, 4, 3), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rgb = boundary_rgb(probs)
    assert rgb.dtype == np.uint8 and rgb.shape == (4, 4, 3)


# --- issue 13: the exported script follows nnstudio at every epoch, Dropout too -------
EPOCH_LINE = re.compile(r"epoch (\d+)/\d+\s+train loss ([0-9.]+)\s+test loss ([0-9.]+)")


def test_exported_script_matches_every_epoch_with_dropout(
    tmp_path, monkeypatch, capsys
) -> None:
    """Its test DataLoader drew a worker seed from the global RNG, so from epoch 2
    the script's dropout masks (and losses) drifted from the app's."""
    import runpy

    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.export.formats import export
    from nnstudio.core.network.resolve import Resolved
    from nnstudio.core.training.loop import fit

    spec = NetworkSpec((2,), (
        LayerSpec("Linear", {"out_features": 16}), LayerSpec("ReLU"),
        LayerSpec("Dropout", {"p": 0.5}), LayerSpec("Linear", {"out_features": 3}),
    ))
    config = TrainConfig(dataset="spiral", epochs=3, seed=5, batch_size=16,
                         dataset_options={"size": 60}, probes=False, device="cpu")
    data = load_dataset(config.dataset, seed=config.seed, **config.dataset_options)
    app = fit(spec, data, config).epochs
    path = tmp_path / "dropout.py"
    export(Resolved(spec, config), path)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(path), "--device", "cpu"])
    capsys.readouterr()
    runpy.run_path(str(path), run_name="__main__")
    script = EPOCH_LINE.findall(capsys.readouterr().out)
    assert [int(e) for e, _, _ in script] == [1, 2, 3]
    for (_, train_loss, test_loss), mine in zip(script, app, strict=True):
        assert float(train_loss) == pytest.approx(mine["train_loss"], rel=1e-6)
        assert float(test_loss) == pytest.approx(mine["val_loss"], rel=1e-5)


# --- issue 13: a trainer that fails while setting up; CPU out of memory ---------------
CPU_OOM = ("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't "
           "allocate memory: you tried to allocate 40000000000000 bytes. Error code 12")


def _fail_setup(monkeypatch, exc: BaseException) -> None:
    """The trainer's model build raises, before any device is chosen."""
    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(run_setup, "build_model", broken)


@pytest.mark.parametrize(
    ("exc", "fragments"),
    [
        (RuntimeError(CPU_OOM), ("out of memory", "RAM", "batch size")),
        (MemoryError(), ("out of memory", "batch size")),
        (ValueError("could not convert string to float: 'x'"), ("ValueError",)),
    ],
    ids=["cpu-oom", "memory-error", "bad-initial-weights"],
)
def test_issue13_cli_survives_a_setup_failure(exc, fragments, monkeypatch,
                                             capsys) -> None:
    """`nnstudio train` died with KeyError: 'device' (set-up failed: no device yet)."""
    _fail_setup(monkeypatch, exc)
    result = run_cli(capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes")
    assert result.rc == 1, result.err
    assert "Traceback" not in result.err and "KeyError" not in result.err
    assert len(result.err_lines) == 1, result.err
    assert_user_message(result.err_lines[0], *fragments)
    assert "device" not in result.out  # no device was chosen: none is reported
    result = run_cli(capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes",
                     "--json")
    assert result.rc == 1 and json.loads(result.out.splitlines()[-1])["error"]


def test_issue13_cpu_oom_is_worded_like_cuda_oom_in_the_core() -> None:
    from nnstudio.core.training.evaluate import is_out_of_memory, memory_phrase

    cpu, cuda = RuntimeError(CPU_OOM), torch.cuda.OutOfMemoryError(OOM)
    assert is_out_of_memory(cpu) and is_out_of_memory(cuda)
    assert is_out_of_memory(MemoryError())
    assert not is_out_of_memory(RuntimeError("shape mismatch"))
    assert "RAM" in memory_phrase(cpu, 64) and "GPU" in memory_phrase(cuda, 64)
    assert "32" in memory_phrase(cpu, 64)
    assert_user_message(memory_phrase(cpu), "out of memory")  # the window's words


def test_issue13_seed_beyond_64_bits_is_refused(capsys) -> None:
    result = run_cli(capsys, "train", "spiral-relu", "--epochs", "1",
                     "--seed", str(10**30))
    assert result.rc == 2 and "KeyError" not in result.err
    assert len(result.err_lines) == 1 and "seed" in result.err_lines[0]


# --- issue 13 §5: torch threads on the command line -----------------------------------
def test_issue13_threads_option(monkeypatch, capsys) -> None:
    from nnstudio.core import threads

    monkeypatch.setattr(threads, "available_cores", lambda: 4)
    seen = []
    real = torch.set_num_threads
    monkeypatch.setattr(torch, "set_num_threads",
                        lambda n: (seen.append(n), real(n))[1])
    torch.set_num_threads(1)
    seen.clear()
    assert run_cli(capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes",
                   "--json").rc == 0
    assert seen == [3]  # the default leaves one core to the rest of the machine
    assert run_cli(capsys, "train", "spiral-relu", "--epochs", "1", "--no-probes",
                   "--threads", "1", "--json").rc == 0
    assert seen[-1] == 1
    for bad in ("0", "two", "-1"):
        result = run_cli(capsys, "train", "spiral-relu", "--threads", bad)
        assert result.rc == 2 and "--threads" in result.err_lines[0]
