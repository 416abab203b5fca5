"""The window under odd handling: garbage dropped on the layer stack, every layer
deleted with the keyboard, run controls pressed at the wrong time, File actions during
a run — and the studio in Chinese: core problems reach a Chinese window in Chinese.

Throughout: no modal dialog pops up for an error, no exception escapes a Qt slot
(pytest-qt fails the test if one does), and the window still trains afterwards.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMimeData, Qt

from nnstudio.core.network.layers import LayerSpec
from nnstudio.ui.stack_model import LAYER_MIME, ROW_MIME

from .helpers import assert_user_message, has_cjk


def mime(fmt: str, payload: bytes) -> QMimeData:
    data = QMimeData()
    data.setData(fmt, QByteArray(payload))
    return data


# (case id, the drop, layers added)
DROPS = [
    ("unknown-kind", mime(LAYER_MIME, b"Quantum"), 0),
    ("empty", mime(LAYER_MIME, b""), 0),
    ("not-utf8", mime(LAYER_MIME, b"\xff\xfe\x00Linear"), 0),
    ("json-list-of-numbers", mime(LAYER_MIME, b"[1, 2, 3]"), 0),
    ("json-broken", mime(LAYER_MIME, b'{"kind": '), 0),
    (
        "json-negative-width",
        mime(LAYER_MIME, b'{"kind": "Linear", "params": {"out_features": -5}}'),
        1,
    ),
    ("plain-text-only", mime("text/plain", b"Linear"), 0),
    ("foreign-row", mime(ROW_MIME, b"someone-else:0"), 0),
    ("row-not-utf8", mime(ROW_MIME, b"\xff\xfe:1"), 0),  # fixed: was a traceback
    ("row-out-of-range", mime(ROW_MIME, b"x:99999"), 0),
    ("three-kinds", mime(LAYER_MIME, b"Dropout ReLU Tanh"), 3),
]


DROP_PARAMS = [d if type(d) is not tuple else pytest.param(*d, id=d[0]) for d in DROPS]


@pytest.mark.parametrize("name,data,added", DROP_PARAMS)
def test_drop_on_the_stack(name, data, added, studio) -> None:
    doc = studio.document
    model = studio.network_panel.editor.model()
    before = len(doc.spec.layers)
    for action in (Qt.DropAction.CopyAction, Qt.DropAction.MoveAction):
        model.dropMimeData(data, action, 1, 0, model.index(-1, 0).parent())
        if len(doc.spec.layers) != before:
            break
    assert len(doc.spec.layers) == before + added
    panel = studio.training_panel
    if name == "json-negative-width":  # inserted, and explained on the card
        assert_user_message(panel.run.blocked_label.text(), "outside")
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert panel.run.train_button.isEnabled()
    assert studio.modals.calls == []


def test_delete_every_layer_with_the_keyboard(studio, qtbot) -> None:
    view = studio.network_panel.editor
    doc = studio.document
    view.setFocus()
    for _ in range(5):  # more presses than layers
        view.select_row(0)
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert doc.spec.layers == ()
    panel = studio.training_panel
    assert not panel.run.train_button.isEnabled()
    assert_user_message(panel.run.blocked_label.text(), "no layers", "drag a layer")
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for _ in range(5):  # more undos than there is history
        doc.undo_stack.undo()
    assert len(doc.spec.layers) == 3 and panel.run.train_button.isEnabled()


def test_run_controls_at_the_wrong_time(studio, qtbot) -> None:
    panel, ctl = studio.training_panel, studio.controller
    panel.run.stop_action.trigger()  # Stop with nothing running
    panel.run.pause_action.trigger()  # Pause with nothing running
    assert ctl.state == "idle" and not panel.run.pause_button.isChecked()
    studio.document.remove_layer(2)  # now the output width is wrong
    panel.run.train_action.trigger()  # F5 while Train is disabled
    assert not ctl.running
    studio.document.undo_stack.undo()
    doc = studio.document
    doc.set_config(doc.config.with_(epochs=2, dataset_options={"size": 30}), "quick")
    panel.run.train_action.trigger()
    panel.run.pause_action.trigger()
    panel.run.pause_action.trigger()  # pause, resume
    panel.run.stop_action.trigger()
    panel.run.stop_action.trigger()  # stop twice
    qtbot.waitUntil(lambda: not ctl.running, timeout=30_000)
    assert ctl.finished.reason in ("stopped", "finished")
    assert panel.run.train_button.isEnabled()


def test_file_actions_during_a_run(studio, qtbot, tmp_path) -> None:
    doc, ctl = studio.document, studio.controller
    path = tmp_path / "p.nnstudio"
    assert studio.save_file(path)
    doc.set_config(doc.config.with_(epochs=500), "long")
    assert studio.start_training()
    qtbot.waitUntil(lambda: ctl.last_step is not None, timeout=30_000)
    spec = doc.spec
    assert not studio.open_file(path)
    assert_user_message(studio.message_bar.last_text, "Stop the training")
    assert not studio.load_preset("deep-sigmoid")
    assert studio.save_file(path)  # saving during a run is fine
    studio.files.new()
    assert doc.spec == spec and ctl.running  # New did nothing while training
    ctl.stop()
    qtbot.waitUntil(lambda: not ctl.running, timeout=30_000)
    assert studio.modals.calls == []


def test_new_during_a_run_says_why(studio, qtbot) -> None:
    doc, ctl = studio.document, studio.controller
    doc.set_config(doc.config.with_(epochs=500), "long")
    assert studio.start_training()
    qtbot.waitUntil(lambda: ctl.last_step is not None, timeout=30_000)
    studio.message_bar.hide()
    studio.files.new()
    ctl.stop()
    qtbot.waitUntil(lambda: not ctl.running, timeout=30_000)
    assert studio.message_bar.isVisible()
    assert_user_message(studio.message_bar.last_text, "Stop the training")


# --- the studio in Chinese ------------------------------------------------------------
def test_core_problems_reach_a_chinese_window_in_chinese(
    main_window, monkeypatch, modals, tmp_path, qtbot
) -> None:
    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    window = main_window()
    panel = window.training_panel
    window.document.set_spec(window.document.spec.with_layers(()), "empty")
    assert has_cjk(panel.run.blocked_label.text()), panel.run.blocked_label.text()
    window.document.undo_stack.undo()
    bad = tmp_path / "坏.csv"
    bad.write_text("a,b,label\n1,2,0\n3,4,0\n", encoding="utf-8")
    panel.data_box.choose_dataset(str(bad))
    qtbot.waitUntil(lambda: not window.data_source.loading, timeout=30_000)
    assert has_cjk(window.message_bar.last_text)
    assert "只有一个类别" in window.message_bar.last_text
    assert modals.calls == []


def test_window_chrome_in_chinese(main_window, monkeypatch, modals, qapp) -> None:
    """With the translator installed, the window's own words are Chinese too."""
    from nnstudio.ui.app import install_translators

    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    installed = install_translators(qapp, "zh")
    try:
        window = main_window()
        panel = window.training_panel
        window.document.set_spec(window.document.spec.with_layers(()), "empty")
        run = panel.run
        texts = [run.train_button.text(), run.blocked_label.text().split(":")[0]]
        assert all(has_cjk(t) for t in texts), texts
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def test_dropping_a_spec_layer_list_then_training(studio, qtbot) -> None:
    """A JSON list of layers (what copying cards gives) builds a trainable network."""
    doc = studio.document
    doc.set_spec(doc.spec.with_layers(()), "clear")
    payload = (
        b'[{"kind": "Linear", "params": {"out_features": 16}}, {"kind": "Tanh"},'
        b' {"kind": "Linear", "params": {"out_features": 3}}]'
    )
    model = studio.network_panel.editor.model()
    assert model.dropMimeData(
        mime(LAYER_MIME, payload),
        Qt.DropAction.CopyAction,
        0,
        0,
        model.index(-1, 0).parent(),
    )
    assert [layer.kind for layer in doc.spec.layers] == ["Linear", "Tanh", "Linear"]
    doc.set_config(doc.config.with_(epochs=1, dataset_options={"size": 30}), "quick")
    assert studio.start_training()
    qtbot.waitUntil(lambda: not studio.controller.running, timeout=30_000)
    assert studio.controller.finished.reason == "finished"
    doc.insert_layer(0, LayerSpec("Flatten"))  # and editing goes on as usual
    assert studio.training_panel.run.train_button.isEnabled()


def test_file_error_in_a_chinese_window(
    main_window, monkeypatch, modals, qapp, tmp_path
) -> None:
    from nnstudio.ui.app import install_translators

    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    installed = install_translators(qapp, "zh")
    try:
        window = main_window()
        path = tmp_path / "坏的.nnstudio"
        path.write_bytes(b"")
        assert not window.open_file(path)
        assert has_cjk(window.message_bar.last_text.replace("坏的", "")), (
            window.message_bar.last_text
        )
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
