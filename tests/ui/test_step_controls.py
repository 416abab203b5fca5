"""Step (F10) while paused, Train N more epochs, the coach banner in the window."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.events import StepDetail
from tests.ui.conftest import shot, wait_idle


def test_step_runs_one_batch_and_shows_its_numbers(main_window, qtbot,
                                                    artifacts) -> None:
    window = main_window()
    doc = window.document
    doc.set_config(doc.config.with_(epochs=500), "long run")
    run = window.training_panel.run
    parts = run.step_controls
    step_b = window.findChild(QPushButton, "stepButton")
    assert step_b is parts.step_button and not step_b.isEnabled()
    run.train_button.click()
    ctl = window.controller
    qtbot.waitUntil(lambda: ctl.last_step is not None, timeout=60_000)
    run.pause_button.click()
    qtbot.waitUntil(step_b.isEnabled, timeout=5_000)
    step_b.click()
    qtbot.waitUntil(lambda: parts.table.detail is not None, timeout=10_000)
    detail = parts.table.detail
    assert isinstance(detail, StepDetail)
    qtbot.waitUntil(lambda: ctl.last_step.step == detail.step, timeout=10_000)
    assert parts.table.table.rowCount() == 2  # two Linear layers
    assert "loss" in parts.table.title.text()
    window.findChild(type(parts.step_action), "stepAction").trigger()  # F10
    qtbot.waitUntil(lambda: parts.table.detail.step != detail.step, timeout=10_000)
    assert parts.table.detail.step == detail.step + 1  # exactly one batch per press
    assert parts.step_action.shortcut().toString() == "F10"
    qtbot.wait(300)
    assert ctl.last_step.step == detail.step + 1  # and nothing after it
    shot(window, artifacts / "main_window_step.png")
    run.stop_button.click()
    wait_idle(qtbot, window, 30_000)


def test_train_more_epochs_continues_the_same_run(main_window, qtbot) -> None:
    window = main_window()
    doc = window.document
    doc.set_config(doc.config.with_(epochs=3), "short")
    parts = window.training_panel.run.step_controls
    assert not parts.more_button.isEnabled()  # nothing trained yet
    window.training_panel.run.train_button.click()
    wait_idle(qtbot, window, 60_000)
    qtbot.waitUntil(parts.more_button.isEnabled, timeout=5_000)
    first_loss = window.controller.last_epoch.train_loss
    parts.more_spin.setValue(2)
    assert "2" in parts.more_button.text()
    parts.more_button.click()
    wait_idle(qtbot, window, 60_000)
    history = doc.history
    assert len(history) == 1 and history[0]["epochs_done"] == 5
    assert [e["epoch"] for e in history[0]["epochs"]] == [1, 2, 3, 4, 5]
    assert window.controller.last_epoch.train_loss < first_loss  # went on


def test_the_coach_banner_shows_after_a_linear_spiral(main_window, qtbot,
                                                      artifacts) -> None:
    window = main_window()
    doc = window.document
    doc.set_spec(PRESETS["spiral-linear"].spec, "linear")
    doc.set_config(doc.config.with_(epochs=25), "short")
    window.training_panel.run.train_button.click()
    wait_idle(qtbot, window, 60_000)
    banner = window.training_panel.run.step_controls.banner
    qtbot.waitUntil(lambda: banner.current is not None, timeout=5_000)
    assert banner.current.code == "underfitting" and banner.isVisible()
    shot(window, artifacts / "main_window_coach.png")
    banner.label.linkActivated.emit("why:underfitting")  # the "Why?" link
    dialog = window.learn_more.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert dialog.panel.name == "underfitting"
    assert dialog.panel.experiment_id == "relu"  # its one-click experiment
    shot(dialog, artifacts / "learn_more_underfitting.png")
    dialog.close()
    banner.cure_button.click()
    assert [layer.kind for layer in doc.spec.layers] == ["Linear", "ReLU", "Linear"]
    assert banner.isHidden()


def test_train_samples_field_is_one_undo_step(main_window, qtbot) -> None:
    from PySide6.QtCore import Qt

    window = main_window()
    doc = window.document
    edit = window.training_panel.form.numbers["train_samples"]
    assert edit.objectName() == "trainSamplesEdit"
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "50")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert doc.config.train_samples == 50
    doc.undo_stack.undo()
    assert doc.config.train_samples == 0
