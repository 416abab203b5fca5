"""Files: save and reopen (same spec and weights), title and unsaved marker, recent
files, unsaved-changes question, autosave and the restore offer after a crash."""

from __future__ import annotations

import os

import pytest
import torch
from PySide6.QtWidgets import QMessageBox

from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.project.files import load_project
from nnstudio.ui.autosave import autosave_dir
from tests.ui.conftest import shot, wait_idle


def quick_train(window, qtbot, epochs: int = 1) -> None:
    doc = window.document
    doc.set_config(doc.config.with_(epochs=epochs), "quick")
    assert window.start_training()
    wait_idle(qtbot, window, 120_000)
    assert window.controller.finished.reason == "finished"


def test_save_reopen_same_spec_and_weights(main_window, qtbot, tmp_path) -> None:
    window = main_window()
    window.document.insert_layer(2, LayerSpec("Dropout", {"p": 0.1}))
    quick_train(window, qtbot)
    path = tmp_path / "mine.nnstudio"
    assert window.save_file(path)
    assert not window.document.dirty and not window.isWindowModified()
    assert "mine" in window.windowTitle() and "nnstudio" in window.windowTitle()
    saved = load_project(path)
    assert saved.spec == window.document.spec
    assert saved.history and saved.history[-1]["epochs"]
    other = main_window(str(path))
    assert other.document.spec == window.document.spec
    assert other.document.config == window.document.config
    a, b = other.document.weights, window.document.weights
    assert a is not None and set(a) == set(b)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert other.curves.epoch["train"].n == 1  # the history is shown again
    assert other.settings.recent_files()[0] == str(path.resolve())


def test_predict_tab_gets_the_trained_model(main_window, qtbot, tmp_path) -> None:
    window = main_window()
    if window.predict_panel is None:
        pytest.skip("no Predict panel in this checkout")
    window.training_panel.data_box.choose_dataset("digits")
    window.network_panel.fix_button.click()  # Flatten
    window.network_panel.fix_button.click()  # 10 outputs
    assert window.predict_panel._model is None
    quick_train(window, qtbot)
    assert window.predict_panel._model is not None
    path = tmp_path / "digits.nnstudio"
    window.save_file(path)
    other = main_window(str(path))
    assert other.predict_panel._model is not None


def test_title_marks_unsaved_changes(main_window, tmp_path) -> None:
    window = main_window()
    assert "spiral-relu" in window.windowTitle()
    assert "nnstudio" in window.windowTitle()
    assert not window.isWindowModified()
    window.document.remove_layer(1)
    assert window.isWindowModified() and window.document.dirty
    window.document.undo_stack.undo()
    assert not window.isWindowModified()


def test_open_a_bad_file_says_why_and_keeps_the_project(main_window, tmp_path) -> None:
    window = main_window()
    bad = tmp_path / "broken.nnstudio"
    bad.write_bytes(b"not a zip")
    spec = window.document.spec
    assert not window.open_file(bad)
    assert "broken.nnstudio" in window.message_bar.last_text
    assert window.message_bar.last_level == "error"
    assert window.document.spec == spec


def test_close_asks_about_unsaved_changes(main_window, monkeypatch) -> None:
    window = main_window()
    window.files.can_ask = lambda: True
    window.document.remove_layer(1)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or answers.pop(0)
    )
    window.close()
    assert window.isVisible() and len(asked) == 1  # Cancel keeps the window open
    window.close()
    assert not window.isVisible() and len(asked) == 2


def test_autosave_writes_the_project(main_window) -> None:
    window = main_window()
    window.document.insert_layer(0, LayerSpec("Flatten"))
    assert window.autosaver.save_now()
    assert not window.autosaver.save_now()  # nothing changed since
    saved = load_project(autosave_dir() / "autosave.nnstudio")
    assert saved.spec == window.document.spec
    window.close()
    assert not (autosave_dir() / "session.lock").exists()


def test_autosave_failure_is_told_once_until_it_works_again(
    main_window, monkeypatch
) -> None:
    import errno

    from nnstudio.core import fileio

    window = main_window()
    window.message_bar.hide()
    real_fsync = fileio.os.fsync

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    window.document.insert_layer(0, LayerSpec("Flatten"))
    assert not window.autosaver.save_now()
    assert window.message_bar.isVisible()
    assert "Autosave failed" in window.message_bar.last_text
    assert "disk is full" in window.message_bar.last_text
    window.message_bar.hide()
    assert not window.autosaver.save_now(force=True)
    assert not window.message_bar.isVisible()  # once, not every minute
    monkeypatch.setattr(fileio.os, "fsync", real_fsync)
    assert window.autosaver.save_now(force=True)
    monkeypatch.setattr(fileio.os, "fsync", full)
    assert not window.autosaver.save_now(force=True)
    assert window.message_bar.isVisible()  # a new failure after a success: told


def test_crash_restore_is_offered_and_works(main_window, qtbot, artifacts) -> None:
    first = main_window()
    first.document.insert_layer(0, LayerSpec("Flatten"))
    first.document.insert_layer(3, LayerSpec("Dropout"))
    first.autosaver.save_now()
    spec = first.document.spec
    first.autosaver._timer.stop()
    first._closed = True  # simulate a crash: no clean close, the lock stays
    lock = autosave_dir() / "session.lock"
    assert lock.exists()
    lock.write_text("999999999")  # a pid that is not running
    second = main_window()
    assert second.message_bar.isVisible()
    assert "Restore" in [b.text() for b in second.message_bar.buttons()]
    shot(second, artifacts / "main_window_restore_offer.png")
    restore = next(b for b in second.message_bar.buttons() if b.text() == "Restore")
    restore.click()
    assert second.document.spec == spec
    assert second.document.dirty


def test_clean_close_offers_nothing(main_window) -> None:
    first = main_window()
    first.document.insert_layer(0, LayerSpec("Flatten"))
    first.close()
    second = main_window()
    assert not second.message_bar.isVisible()


def test_new_during_a_run_says_why(main_window, qtbot) -> None:
    window = main_window()
    doc = window.document
    doc.set_config(doc.config.with_(epochs=500), "long")
    window.start_training()
    window.files.new()
    assert "Stop the training" in window.message_bar.last_text
    window.controller.stop()
    wait_idle(qtbot, window, 60_000)


def test_new_project_returns_to_the_default(main_window) -> None:
    window = main_window()
    window.load_preset("deep-sigmoid")
    assert len(window.document.spec.layers) == 21
    window.files.new()
    assert window.document.name == "spiral-relu"
    assert len(window.document.spec.layers) == 3
    assert not window.document.undo_stack.canUndo()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_saving_to_a_read_only_folder_says_why(main_window, tmp_path) -> None:
    window = main_window()
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user that can write anywhere")
        assert not window.save_file(folder / "x.nnstudio")
        assert "could not save" in window.message_bar.last_text
    finally:
        folder.chmod(0o700)
