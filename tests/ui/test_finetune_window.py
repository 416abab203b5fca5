"""Frozen layers in the window: the Properties switch, the padlock on the card, the
trainable/frozen counts, File > Start from Weights… and Import Pretrained Weights…"""

from __future__ import annotations

from pathlib import Path

import torch
from PySide6.QtWidgets import QCheckBox, QLineEdit

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.project.files import Project, save_project
from nnstudio.core.training.loop import fit
from nnstudio.ui.finetune_actions import import_file, start_from
from tests.ui.conftest import shot

SHOTS = Path("/tmp/shots_fine")


def test_frozen_switch_lock_and_counts(main_window) -> None:
    window = main_window()
    window.network_panel.editor.select_row(0)
    props = window.layer_editor
    box = props.findChild(QCheckBox, "layerFrozen")
    assert box is not None and not box.isChecked()
    box.setChecked(True)
    assert window.document.spec.layers[0].frozen
    text = window.network_panel.total_label.text().replace("\u00a0", " ")
    assert "300 frozen" in text and "303 trainable" in text
    factor = props.findChild(QLineEdit, "layerLrFactor")
    assert not factor.isEnabled()  # a frozen layer does not learn at any rate
    tip = window.network_panel.model.index(0, 0).data(3)  # ToolTipRole
    assert "Frozen" in tip
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot(window.network_panel, SHOTS / "frozen_card.png")
    window.document.undo_stack.undo()
    assert not window.document.spec.layers[0].frozen
    assert "frozen" not in window.network_panel.total_label.text()


def test_lr_factor_is_committed(main_window) -> None:
    window = main_window()
    window.network_panel.editor.select_row(2)
    edit = window.layer_editor.findChild(QLineEdit, "layerLrFactor")
    edit.setText("0,1")  # decimal comma
    edit.editingFinished.emit()
    assert window.document.spec.layers[2].lr_factor == 0.1


def test_start_from_a_trained_project(main_window, qtbot, tmp_path) -> None:
    preset = PRESETS["spiral-relu"]
    summary = fit(preset.spec, load_dataset("spiral"),
                  preset.train_config(epochs=2, probes=False))
    source = tmp_path / "trained.nnstudio"
    save_project(source, Project(preset.spec, {}, summary.weights))
    window = main_window()
    assert start_from(window, str(source))
    weights = window.document.weights
    assert weights is not None
    assert torch.equal(weights["1_linear.weight"], summary.weights["1_linear.weight"])
    said = window.message_bar.last_text
    assert "1 linear" in said and "took weights" in said
    shot(window, SHOTS / "start_from_message.png")
    # freezing the first layer keeps the start point (same architecture); a run
    # started from it (run_controls' hook) leaves that layer bit-identical
    from nnstudio.core.network.frozen import freeze_first
    from tests.ui.conftest import wait_idle

    window.document.set_spec(freeze_first(window.document.spec, 1), "freeze")
    point = window.document.session.start_point
    model = point.model_for(window.document.spec, window.document.config.seed)
    assert model is not None and window.document.weights is not None
    assert window.controller.start(window.document.spec, window.data,
                                   window.document.config.with_(epochs=3), model)
    wait_idle(qtbot, window)
    after = window.document.weights
    assert torch.equal(after["1_linear.weight"], summary.weights["1_linear.weight"])
    assert not torch.equal(after["3_linear.weight"], summary.weights["3_linear.weight"])
    window.document.new()  # another project: the start point is forgotten
    assert window.document.session.start_point is None


def test_import_refuses_a_wrong_file_in_the_window(main_window, tmp_path) -> None:
    window = main_window()
    bad = tmp_path / "resnet18-f37072fd.pth"
    bad.write_bytes(b"not weights")
    assert not import_file(window, str(bad))
    assert "SHA-256" in window.message_bar.last_text
    assert window.message_bar.last_level == "error"
    names = {a.objectName() for a in window.menus["file"].actions()}
    assert {"startFromAction", "importPretrainedAction"} <= names


def test_drawn_dataset_in_the_real_window(main_window, qtbot, tmp_path,
                                          monkeypatch) -> None:
    """File > New Drawn Dataset…: draw two classes, use them, train in the window."""
    from nnstudio.core.network.frozen import freeze_first
    from nnstudio.ui.finetune_actions import open_drawn_dataset
    from tests.ui.conftest import wait_idle
    from tests.ui.test_drawn_dataset import _row, draw

    monkeypatch.setenv("NNSTUDIO_DRAWN_DIR", str(tmp_path / "drawn"))
    window = main_window()
    window.document.set_spec(PRESETS["cnn-mnist"].spec, "a CNN")  # offline
    dialog = open_drawn_dataset(window)
    for name, kind in (("圆", "circle"), ("十字", "cross")):
        dialog.add_class(name)
        dialog.classes.setCurrentRow(_row(dialog, name))
        for i in range(6):
            draw(dialog.canvas, kind, wobble=3 * i - 8)
            assert dialog.add_drawing() is not None
    draw(dialog.canvas, "circle")
    shot(dialog, SHOTS / "drawn_dialog_in_window.png")
    dialog.use_button.click()
    folder = str(tmp_path / "drawn" / dialog.dataset.name)
    assert window.document.config.dataset == folder
    qtbot.waitUntil(lambda: window.data is not None
                    and window.data.class_names == ("十字", "圆"), timeout=20_000)
    spec = window.document.spec
    assert spec.input_shape == (1, 28, 28)
    head = spec.layers[-1].with_params(out_features=2)  # the card's one-click fix
    spec = spec.replace_layer(len(spec.layers) - 1, head)
    window.document.set_spec(freeze_first(spec, 6), "freeze the body")
    assert window.start_training()
    wait_idle(qtbot, window)
    assert window.document.weights is not None
    shot(window, SHOTS / "drawn_trained_in_window.png")


def test_backbone_card_opens_into_its_stages(main_window) -> None:
    """A pretrained backbone is one card; its stages show in the Properties."""
    from PySide6.QtWidgets import QTreeWidget

    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.core.network.spec import NetworkSpec

    window = main_window()
    spec = NetworkSpec((3, 64, 64), (
        LayerSpec("ResNet18", {"weights": "none"}, frozen=True),
        LayerSpec("Linear", {"out_features": 3})))
    window.document.set_spec(spec, "a backbone")
    window.network_panel.editor.select_row(0)
    tree = window.layer_editor.findChild(QTreeWidget, "backboneStages")
    assert tree.isVisibleTo(window.layer_editor)
    top = tree.topLevelItem(0)
    assert top.childCount() == 6 and top.child(5).text(0) == "layer4"
    assert top.child(5).text(1) == "512x2x2"
    total = sum(int(top.child(i).text(2).replace(",", "")) for i in range(6))
    assert total == window.document.report.layers[0].params
    summary = window.network_panel.model.index(0, 0).data()
    assert "random weights" in summary
    tree.expandAll()
    shot(window, SHOTS / "backbone_stages.png")
    window.network_panel.editor.select_row(1)
    assert not tree.isVisibleTo(window.layer_editor)


def test_house_price_shows_least_squares_in_the_window(main_window, qtbot) -> None:
    from tests.ui.conftest import wait_idle

    window = main_window()
    assert window.load_preset("house-price")
    qtbot.waitUntil(lambda: window.data is not None
                    and window.data.name == "house-prices", timeout=20_000)
    assert window.start_training()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "least squares" in window.statusBar().currentMessage()
                    or "least squares" in window.training_panel.run.stats_label.text(),
                    timeout=10_000)
    shot(window, SHOTS / "house_price_least_squares.png")
