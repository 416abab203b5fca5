"""The main window as a student meets it: the named widgets, docks and their layout,
menus and shortcuts, presets, the dataset panel, number fields, themes, the first
paint without torch, and `nnstudio --self-test`."""

from __future__ import annotations

import os
import subprocess
import sys

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

from nnstudio.core.network.presets import PRESETS
from tests.ui.conftest import shot

NAMES = {
    "layerPalette": QTreeWidget,
    "networkEditor": QListView,
    "layerProperties": QWidget,
    "datasetCombo": QComboBox,
    "trainButton": QPushButton,
    "pauseButton": QPushButton,
    "stopButton": QPushButton,
    "trainProgress": QProgressBar,
    "lossPlot": pg.PlotWidget,
    "accuracyPlot": pg.PlotWidget,
    "viewTabs": QTabWidget,
}


def test_widgets_carry_the_contract_object_names(main_window) -> None:
    window = main_window(show=False)
    assert QApplication.activeModalWidget() is None
    for name, kind in NAMES.items():
        assert isinstance(window.findChild(kind, name), kind), name
    assert "nnstudio" in window.windowTitle() and "spiral-relu" in window.windowTitle()
    tabs = window.findChild(QTabWidget, "viewTabs")
    assert tabs.tabText(0) == "Curves"
    assert window.controller and window.frame_clock and window.document
    assert window.data is not None and window.data.name == "spiral"


def test_default_project_is_ready_to_train(main_window, artifacts) -> None:
    window = main_window()
    assert window.document.spec.input_shape == (2,)
    assert window.findChild(QPushButton, "trainButton").isEnabled()
    assert not window.findChild(QPushButton, "pauseButton").isEnabled()
    assert not window.findChild(QPushButton, "stopButton").isEnabled()
    assert "603" in window.network_panel.total_label.text().replace(",", "")
    assert (
        window.statusBar()
        .findChild(QWidget, "deviceStatus")
        .text()
        .startswith("Device: cpu")
        or "cuda" in window.training_panel.run.device_status.text()
    )
    assert window.training_panel.data_box.preview.kind == "points"
    shot(window, artifacts / "main_window_default.png")
    window.select_view("curves")
    shot(window, artifacts / "main_window_curves_empty.png")


def test_docks_close_and_come_back_from_the_view_menu(main_window) -> None:
    window = main_window()
    view_menu = window.menus["view"]
    dock = window.findChild(QDockWidget, "layerPropertiesDock")
    toggle = next(a for a in view_menu.actions() if a.text() == dock.windowTitle())
    assert dock.isVisible() and toggle.shortcut().toString()
    toggle.trigger()
    assert not dock.isVisible()
    toggle.trigger()
    assert dock.isVisible()
    dock.close()
    window.restore_default_layout()
    assert dock.isVisible()


def test_dock_layout_is_remembered(main_window) -> None:
    first = main_window()
    first.findChild(QDockWidget, "layerPaletteDock").close()
    first.close()
    second = main_window()
    assert not second.findChild(QDockWidget, "layerPaletteDock").isVisible()
    assert second.findChild(QDockWidget, "networkEditorDock").isVisible()


def test_every_menu_action_has_a_shortcut_where_the_platform_has_one(
    main_window,
) -> None:
    window = main_window(show=False)
    wanted = {
        "newAction",
        "openAction",
        "saveAction",
        "saveAsAction",
        "quitAction",
        "undoAction",
        "redoAction",
        "deleteLayerAction",
        "duplicateLayerAction",
        "trainAction",
        "pauseAction",
        "stopAction",
    }
    found = {}
    for menu in window.menus.values():
        for action in menu.actions():
            found[action.objectName()] = action
    for name in wanted:
        assert found[name].shortcut().toString(), name
    assert found["duplicateLayerAction"].shortcut().toString() == "Ctrl+D"
    assert "Ctrl+Shift+Z" in [k.toString() for k in found["redoAction"].shortcuts()]
    menus = [m.title().replace("&", "") for m in window.menus.values()]
    assert menus == ["File", "Edit", "View", "Presets", "Train", "Help"]


def test_presets_menu_lists_every_preset_and_loads_it(main_window) -> None:
    window = main_window()
    actions = {a.text(): a for a in window.menus["presets"].actions()}
    assert set(PRESETS) <= set(actions)
    for name in PRESETS:
        assert len(actions[name].toolTip()) > 20  # the explanation
    actions["sincos"].trigger()
    doc = window.document
    assert doc.config.dataset == "sincos" and doc.config.loss == "mse"
    assert doc.spec == PRESETS["sincos"].spec
    assert window.data.name == "sincos"
    assert window.training_panel.run.train_button.isEnabled()
    assert window.training_panel.data_box.preview.kind == "curve"
    doc.undo_stack.undo()
    assert doc.config.dataset == "spiral"


def test_changing_the_dataset_updates_the_input_shape(main_window, artifacts) -> None:
    window = main_window()
    combo = window.findChild(QComboBox, "datasetCombo")
    combo.setCurrentIndex(combo.findData("digits"))
    combo.activated.emit(combo.currentIndex())
    assert window.document.spec.input_shape == (1, 8, 8)
    assert window.network_panel.input_label.text().startswith("Input  1x8x8")
    assert not window.training_panel.run.train_button.isEnabled()
    assert window.training_panel.data_box.preview.kind == "image"
    shot(window, artifacts / "main_window_digits_preview.png")
    combo.setCurrentIndex(combo.findData("iris"))
    combo.activated.emit(combo.currentIndex())
    assert window.document.spec.input_shape == (4,)
    assert window.training_panel.data_box.preview.kind == "table"


def test_number_fields_read_full_width_digits_and_decimal_commas(main_window) -> None:
    window = main_window()
    lr = window.findChild(QLineEdit, "lrEdit")
    lr.setText("０．０５")
    lr.editingFinished.emit()
    assert window.document.config.lr == pytest.approx(0.05)
    lr.setText("0,002")
    lr.editingFinished.emit()
    assert window.document.config.lr == pytest.approx(0.002)
    lr.setText("fast")
    lr.editingFinished.emit()
    assert window.document.config.lr == pytest.approx(0.002) and lr.error
    batch = window.findChild(QLineEdit, "batchSizeEdit")
    batch.setText("６４")
    batch.editingFinished.emit()
    assert window.document.config.batch_size == 64
    for typed in ("2.5", "inf", "nan", "1e400"):
        batch.setText(typed)
        batch.editingFinished.emit()
        assert window.document.config.batch_size == 64
        assert "whole number" in batch.error
    window.document.undo_stack.undo()
    assert window.document.config.batch_size == 32 and batch.text() == "32"


def test_combos_change_the_settings(main_window) -> None:
    window = main_window()
    optimizer = window.findChild(QComboBox, "optimizerCombo")
    optimizer.setCurrentIndex(optimizer.findData("sgd"))
    optimizer.activated.emit(optimizer.currentIndex())
    assert window.document.config.optimizer == "sgd"
    assert window.findChild(QLineEdit, "momentumEdit").isEnabled()
    init = window.findChild(QComboBox, "initCombo")
    init.setCurrentText("kaiming_normal")
    init.activated.emit(init.currentIndex())
    assert window.document.spec.init == "kaiming_normal"
    device = window.findChild(QComboBox, "deviceCombo")
    assert [device.itemData(i) for i in range(2)] == ["auto", "cpu"]


def test_log_scale_and_readout(main_window) -> None:
    window = main_window()
    curves = window.curves
    curves.log_check.setChecked(True)
    assert curves.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()
    curves.load_history(
        [
            {"epoch": 1, "train_loss": 1.0, "val_loss": 1.2, "val_accuracy": 0.5},
            {"epoch": 2, "train_loss": 0.5, "val_loss": 0.7, "val_accuracy": 0.8},
        ]
    )
    curves.refresh()
    assert curves.epoch["val_acc"].nearest(2.1) == (2.0, 80.0)


def test_dark_theme_keeps_text_readable(main_window, qtbot, artifacts) -> None:
    window = main_window()
    window.set_theme("dark")
    try:
        window.select_view("curves")
        qtbot.wait(50)  # palette changes reach the widgets through the event loop
        shot(window, artifacts / "main_window_dark.png")
        pal = window.palette()
        assert pal.color(pal.ColorRole.Window).lightness() < 100
        assert pal.color(pal.ColorRole.WindowText).lightness() > 180
        plot_bg = window.curves.loss_plot.backgroundBrush().color()
        assert plot_bg.lightness() < 100  # the plots follow the theme
    finally:
        window.set_theme("system")
        qtbot.wait(50)


def test_first_paint_needs_no_torch() -> None:
    code = (
        "import sys; from nnstudio.ui.app import create_application; "
        "from nnstudio.ui.main_window import MainWindow; app = create_application();"
        "w = MainWindow(deferred=True); w.show(); app.processEvents();"
        "print('torch' in sys.modules)"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.slow
def test_self_test_command(tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "nnstudio", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test: ok" in out.stdout


def test_core_text_follows_the_ui_language(main_window, monkeypatch) -> None:
    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    window = main_window(show=False)
    window.training_panel.data_box.choose_dataset("digits")
    assert "第 1 层" in window.training_panel.run.train_button.toolTip()
    item = window.palette_panel.palette.item_for("ReLU")
    assert "保留正值" in item.toolTip(0)


def test_menu_shortcuts_work_from_the_keyboard(main_window, qtbot) -> None:
    from PySide6.QtCore import Qt

    from nnstudio.core.network.layers import LayerSpec

    window = main_window()
    window.document.insert_layer(0, LayerSpec("Flatten"))
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, ctrl)
    assert window.document.spec.layers[0].kind == "Linear"
    qtbot.keyClick(
        window.layer_editor, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.document.spec.layers[0].kind == "Flatten"
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.controller.running
    qtbot.keyClick(window, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=60_000)
    assert window.controller.finished.reason in ("stopped", "finished")
