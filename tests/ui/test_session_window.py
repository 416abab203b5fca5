"""Issue 12's three scenarios, driven through the real window.

The same rules are tested on the session alone, with Qt blocked, in
tests/core/test_session.py; here the point is that the window shows what the
session decides.
"""

from __future__ import annotations

from tests.ui.conftest import shot, wait_idle


def _train_briefly(qtbot, window, epochs: int = 3) -> None:
    doc = window.document
    doc.set_config(doc.config.with_(epochs=epochs), "short run")
    qtbot.waitUntil(
        lambda: window.training_panel.run.train_button.isEnabled(), timeout=60_000
    )
    assert window.start_training()
    wait_idle(qtbot, window)


def test_preset_after_a_run_does_not_claim_the_old_accuracy(
    main_window, qtbot, artifacts
) -> None:
    window = main_window()
    panel = window.training_panel
    _train_briefly(qtbot, window)
    finished = panel.run.stats_label.text()
    assert "accuracy" in finished.lower(), finished
    assert window.load_preset("spiral-linear")
    assert "accuracy" not in panel.run.stats_label.text().lower()
    assert "another network" in panel.run.stats_label.text()
    assert panel.run.progress.value() == 0
    shot(window, artifacts / "session-preset-after-run.png")
    window.document.undo_stack.undo()  # back to the trained spiral-relu
    assert panel.run.stats_label.text() == finished
    assert panel.run.progress.value() == panel.run.progress.maximum()


def test_import_after_a_failed_download(main_window, qtbot, shared_mnist, artifacts):
    window = main_window()
    panel, bar, stack = window.training_panel, window.message_bar, window.network_panel
    assert window.load_preset("cnn-mnist")  # the mirror is a closed local port
    qtbot.waitUntil(
        lambda: bar.isVisible() and "mnist" in bar.last_text.lower(), timeout=60_000
    )
    assert [b.text() for b in bar.buttons()] == ["Retry"]
    session = window.document.session
    assert session.facts.status == "failed"
    assert session.problems == (), "a failed dataset judges nothing"
    assert not stack.fix_button.isVisible()
    panel.data_box.choose_dataset(str(shared_mnist))
    qtbot.waitUntil(lambda: panel.data_source.data is not None, timeout=120_000)
    qtbot.waitUntil(lambda: panel.run.train_button.isEnabled(), timeout=60_000)
    assert session.facts.status == "loaded" and session.facts.num_outputs == 10
    assert session.problems == ()
    assert not stack.fix_button.isVisible(), stack.fix_button.text()
    assert "needs 3" not in stack.problem_label.text()
    assert not bar.isVisible(), "the download banner goes once the import loaded"
    shot(window, artifacts / "session-import-after-failed-download.png")


def test_one_undo_takes_a_dataset_choice_back_whole(main_window, qtbot) -> None:
    window = main_window()
    panel, doc = window.training_panel, window.document
    qtbot.waitUntil(lambda: panel.run.train_button.isEnabled(), timeout=60_000)
    steps = doc.undo_stack.count()
    panel.data_box.choose_dataset("digits")
    qtbot.waitUntil(lambda: panel.data_source.data is not None, timeout=60_000)
    assert doc.spec.input_shape == (1, 8, 8)
    assert doc.undo_stack.count() == steps + 1, "one user action, one step"
    assert doc.undo_stack.undoText() == "Use dataset digits"
    doc.undo_stack.undo()
    assert doc.config.dataset == "spiral" and doc.spec.input_shape == (2,)
    qtbot.waitUntil(lambda: panel.run.train_button.isEnabled(), timeout=60_000)
    assert not panel.run.blocked_label.isVisible()


def test_edit_menu_names_the_step(main_window, qtbot) -> None:
    window = main_window()
    undo = window.findChild(type(window.menuBar().actions()[0]), "undoAction")
    assert undo is not None and not undo.isEnabled()
    window.load_preset("deep-sigmoid")
    assert undo.isEnabled() and "Load preset deep-sigmoid" in undo.text()
    undo.trigger()
    assert window.document.spec.layers[-1].params.get("out_features") == 3
    assert not undo.isEnabled()


def test_an_imported_folder_is_offered_in_later_sessions(
    main_window, qtbot, shared_mnist, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from nnstudio.ui.data_box import DataBox

    window = main_window()
    box = window.training_panel.data_box
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *a, **k: str(shared_mnist)
    )
    box.import_button.click()
    assert window.document.config.dataset == str(shared_mnist)
    later = DataBox(window.document, window.training_panel.data_source)
    offered = [
        later.dataset_combo.itemData(i) for i in range(later.dataset_combo.count())
    ]
    assert str(shared_mnist) in offered
    later.deleteLater()
