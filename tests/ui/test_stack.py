"""Building a network with the mouse: palette drops, reordering, delete, duplicate,
undo/redo, problems on the cards, one-click fixes, the properties editor.

Drags go through the models' mimeData/dropMimeData or synthesized QDropEvents:
qtbot.mouseMove does not start a QDrag (pytest-qt#260).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QTreeWidget

from nnstudio.core.network.layers import LAYER_KINDS, LayerSpec
from nnstudio.ui.stack_model import (
    LAYER_MIME,
    ProblemRole,
    SeverityRole,
    diff_layers,
    layers_from_mime,
)
from tests.ui.conftest import shot

COPY, MOVE = Qt.DropAction.CopyAction, Qt.DropAction.MoveAction


def kinds(window) -> list[str]:
    return [layer.kind for layer in window.document.spec.layers]


def palette_mime(window, kind: str) -> QMimeData:
    palette = window.findChild(QTreeWidget, "layerPalette")
    return palette.mimeData([palette.item_for(kind)])


def test_palette_lists_the_catalog_with_icons_and_tooltips(main_window) -> None:
    window = main_window()
    palette = window.findChild(QTreeWidget, "layerPalette")
    assert palette.kinds() == [
        k.kind
        for k in sorted(
            LAYER_KINDS.values(),
            key=lambda k: list(
                dict.fromkeys(x.category for x in LAYER_KINDS.values())
            ).index(k.category),
        )
    ]
    assert palette.topLevelItemCount() >= 8  # one group per category
    for kind in LAYER_KINDS:
        item = palette.item_for(kind)
        assert not item.icon(0).isNull()
        assert kind in item.toolTip(0) and len(item.toolTip(0)) > 40
    assert bytes(palette_mime(window, "ReLU").data(LAYER_MIME).data()) == b"ReLU"


def test_drop_from_palette_at_any_position_then_undo_redo(main_window) -> None:
    window = main_window()
    model = window.findChild(QListView, "networkEditor").model()
    assert kinds(window) == ["Linear", "ReLU", "Linear"]
    assert model.dropMimeData(
        palette_mime(window, "Dropout"), COPY, 1, 0, QModelIndex()
    )
    assert kinds(window) == ["Linear", "Dropout", "ReLU", "Linear"]
    assert model.rowCount() == 4
    assert model.dropMimeData(palette_mime(window, "Tanh"), COPY, -1, 0, QModelIndex())
    assert kinds(window)[-1] == "Tanh"
    stack = window.document.undo_stack
    stack.undo()
    stack.undo()
    assert kinds(window) == ["Linear", "ReLU", "Linear"] and model.rowCount() == 3
    stack.redo()
    assert kinds(window) == ["Linear", "Dropout", "ReLU", "Linear"]


def test_a_hand_made_mime_payload_is_accepted(main_window) -> None:
    window = main_window()
    model = window.findChild(QListView, "networkEditor").model()
    mime = QMimeData()
    mime.setData(LAYER_MIME, b"GELU")
    assert model.canDropMimeData(mime, COPY, 0, 0, QModelIndex())
    assert model.dropMimeData(mime, COPY, 0, 0, QModelIndex())
    assert kinds(window)[0] == "GELU"
    bad = QMimeData()
    bad.setData(LAYER_MIME, b"NoSuchLayer")
    assert not model.canDropMimeData(bad, COPY, 0, 0, QModelIndex())
    assert not model.dropMimeData(bad, COPY, 0, 0, QModelIndex())


def test_drop_event_on_the_view_inserts_where_dropped(main_window, qtbot) -> None:
    window = main_window()
    editor = window.findChild(QListView, "networkEditor")
    viewport = editor.viewport()
    rect = editor.visualRect(editor.model().index(1, 0))
    pos = QPointF(rect.center().x(), rect.top() + 3)  # upper edge of card 2
    mime = palette_mime(window, "BatchNorm")
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(pos.toPoint(), COPY, mime, buttons, mods),
        QDragMoveEvent(pos.toPoint(), COPY, mime, buttons, mods),
    ):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()
    drop = QDropEvent(pos, COPY, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    assert kinds(window) == ["Linear", "BatchNorm", "ReLU", "Linear"]
    assert editor.currentIndex().row() == 1  # the new card is selected


def test_reorder_by_dragging_a_card(main_window) -> None:
    window = main_window()
    model = window.findChild(QListView, "networkEditor").model()
    mime = model.mimeData([model.index(2, 0)])
    assert model.dropMimeData(mime, MOVE, 0, 0, QModelIndex())
    assert kinds(window) == ["Linear", "Linear", "ReLU"]
    mime = model.mimeData([model.index(0, 0)])  # first card to the end
    assert model.dropMimeData(mime, MOVE, 3, 0, QModelIndex())
    assert kinds(window) == ["Linear", "ReLU", "Linear"]
    assert window.document.spec.layers[2]["out_features"] == 3
    window.document.undo_stack.undo()
    assert [layer.kind for layer in window.document.spec.layers] == [
        "Linear",
        "Linear",
        "ReLU",
    ]
    # Qt's own internal move (QListView -> moveRows) lands in the same place
    assert model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 1)
    assert kinds(window) == ["Linear", "ReLU", "Linear"]


def test_delete_duplicate_undo_redo_keys(main_window, qtbot) -> None:
    window = main_window()
    editor = window.findChild(QListView, "networkEditor")
    editor.setFocus()
    editor.select_row(1)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert kinds(window) == ["Linear", "Linear"]
    editor.select_row(0)
    qtbot.keyClick(editor, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == ["Linear", "Linear", "Linear"]
    assert editor.currentIndex().row() == 1
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert kinds(window) == ["Linear", "ReLU", "Linear"]
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor, Qt.Key.Key_Z, redo)
    assert kinds(window) == ["Linear", "Linear"]


def test_menu_actions_delete_and_duplicate(main_window) -> None:
    window = main_window()
    actions = window.network_panel.actions_by_name
    window.network_panel.editor.select_row(2)
    actions["duplicate"].trigger()
    assert kinds(window) == ["Linear", "ReLU", "Linear", "Linear"]
    actions["move_up"].trigger()
    actions["delete"].trigger()
    assert kinds(window) == ["Linear", "ReLU", "Linear"]
    assert window.findChild(type(actions["delete"]), "undoAction").shortcut().toString()


def test_invalid_stack_disables_train_and_names_the_layer(
    main_window, artifacts
) -> None:
    window = main_window()
    train = window.training_panel.run.train_button
    assert train.isEnabled()
    window.document.insert_layer(1, LayerSpec("Conv2d"))
    assert not train.isEnabled()
    assert "layer 2 Conv2d" in train.toolTip()
    assert "layer 2 Conv2d" in window.training_panel.run.blocked_label.text()
    model = window.network_panel.model
    index = model.index(1, 0)
    assert index.data(SeverityRole) == "error"
    assert any("Conv2d" in m for m in index.data(ProblemRole))
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None  # drawn red
    assert not model.index(0, 0).data(ProblemRole)
    shot(window, artifacts / "main_window_invalid_stack.png")
    window.document.undo_stack.undo()
    assert train.isEnabled()


def test_missing_flatten_is_fixed_in_one_click(main_window, artifacts) -> None:
    window = main_window()
    panel = window.network_panel
    window.training_panel.data_box.choose_dataset("digits")  # 1x8x8 images, 10 classes
    assert window.document.spec.input_shape == (1, 8, 8)
    assert panel.fix_button.isVisible() and "Flatten" in panel.fix_button.text()
    shot(window, artifacts / "main_window_flatten_fix.png")
    panel.fix_button.click()
    assert kinds(window)[0] == "Flatten"
    # the output width (3) does not fit 10 classes: also one click
    assert "10" in panel.fix_button.text()
    panel.fix_button.click()
    assert window.document.report.ok
    assert window.training_panel.run.train_button.isEnabled()


def test_cards_show_shape_and_parameters(main_window) -> None:
    window = main_window()
    model = window.network_panel.model
    text = model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert "Linear" in text and "100" in text and "300" in text
    assert (
        window.network_panel.total_label.text()
        .replace("\u00a0", " ")
        .endswith("603 parameters")
    )
    assert window.network_panel.input_label.text().startswith("Input  2")


def test_properties_edit_rechecks_shapes(main_window) -> None:
    window = main_window()
    window.network_panel.editor.select_row(2)
    props = window.findChild(type(window.layer_editor), "layerProperties")
    edit = props.findChild(QLineEdit, "param_out_features")
    edit.setText("５")  # full-width digit from a Chinese IME
    edit.editingFinished.emit()
    assert window.document.spec.layers[2]["out_features"] == 5
    assert not window.document.report.ok
    assert not window.training_panel.run.train_button.isEnabled()
    edit.setText("0")  # out of range: refused on the spot, nothing changes
    edit.editingFinished.emit()
    assert window.document.spec.layers[2]["out_features"] == 5
    assert edit.error and "1" in edit.toolTip()


def test_properties_follow_the_selection_after_undo(main_window) -> None:
    window = main_window()
    editor = window.network_panel.editor
    window.document.insert_layer(0, LayerSpec("Dropout"))
    assert window.layer_editor.row == 0
    window.document.undo_stack.undo()
    assert window.layer_editor.row == editor.current_row()
    row = editor.current_row()
    assert window.layer_editor.title.text().endswith(
        f"{row + 1}. {window.document.spec.layers[row].kind}</b>"
    )


def test_palette_double_click_appends_after_the_selection(main_window) -> None:
    window = main_window()
    window.network_panel.editor.select_row(0)
    window.palette_panel.palette.sig_add_requested.emit("Sigmoid")
    assert kinds(window) == ["Linear", "Sigmoid", "ReLU", "Linear"]


def test_diff_layers_names_the_change() -> None:
    a, b, c = "abc"
    assert diff_layers([a, b], [a, c, b]) == ("insert", 1)
    assert diff_layers([a, b, c], [a, c]) == ("remove", 1)
    assert diff_layers([a, b, c], [b, c, a]) == ("move", 0, 2)
    assert diff_layers([a, b, c], [c, a, b]) == ("move", 2, 0)
    assert diff_layers([a, b], [a, c]) == ("changed", 1)
    assert diff_layers([a, b], [a, b]) == ("same",)


def test_layers_from_mime_reads_names_and_json() -> None:
    mime = QMimeData()
    mime.setData(LAYER_MIME, b'{"kind": "Linear", "params": {"out_features": 7}}')
    assert layers_from_mime(mime) == [LayerSpec("Linear", {"out_features": 7})]
    mime.setData(LAYER_MIME, b"Flatten ReLU")
    assert [layer.kind for layer in layers_from_mime(mime)] == ["Flatten", "ReLU"]


def test_palette_search_filters(main_window) -> None:
    window = main_window()
    panel = window.palette_panel
    panel.search.setText("pool")
    palette = panel.palette
    visible = [k for k in palette.kinds() if not palette.item_for(k).isHidden()]
    assert visible and all(
        "Pool" in k or "pool" in palette.item_for(k).statusTip(0) for k in visible
    )


def test_edit_menu_inserts_every_layer_kind(main_window) -> None:
    window = main_window()
    menu = window.menus["edit"].findChild(type(window.menus["edit"]), "insertLayerMenu")
    actions = [a for sub in menu.actions() for a in sub.menu().actions()]
    assert {a.data() for a in actions} == set(LAYER_KINDS)
    window.network_panel.editor.select_row(0)
    next(a for a in actions if a.data() == "Dropout").trigger()
    assert kinds(window) == ["Linear", "Dropout", "ReLU", "Linear"]
    window.training_panel.data_box.choose_dataset("digits")
    fix = window.network_panel.actions_by_name["fix"]
    assert fix.isEnabled()
    fix.trigger()
    assert kinds(window)[0] == "Flatten"
