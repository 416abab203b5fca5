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


def test_start_from_a_trained_project(main_window, tmp_path) -> None:
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


def test_import_refuses_a_wrong_file_in_the_window(main_window, tmp_path) -> None:
    window = main_window()
    bad = tmp_path / "resnet18-f37072fd.pth"
    bad.write_bytes(b"not weights")
    assert not import_file(window, str(bad))
    assert "SHA-256" in window.message_bar.last_text
    assert window.message_bar.last_level == "error"
    names = {a.objectName() for a in window.menus["file"].actions()}
    assert {"startFromAction", "importPretrainedAction"} <= names
