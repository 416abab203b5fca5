"""The backprop lab view: Mazur's numbers on screen, every control edits the lab,
Run N steps moves the outputs to the targets; screenshots for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt

from nnstudio.core.lessons.backprop import LabNetwork
from nnstudio.core.network.presets import PRESETS
from nnstudio.ui.views.backprop_graph import SELECTED
from nnstudio.ui.views.backprop_lab import BackpropLab

SIZE = (1400, 850)


@pytest.fixture
def lab(qtbot) -> BackpropLab:
    view = BackpropLab()
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.show()
    qtbot.waitExposed(view)
    return view


def _cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _shot(view: BackpropLab, artifacts: Path, name: str) -> None:
    assert view.grab().save(str(artifacts / f"backprop_lab_{name}.png"))


def test_opens_on_mazurs_example(lab: BackpropLab, artifacts: Path) -> None:
    assert lab.objectName() == "backpropLab"
    assert lab.lab.sizes == [2, 2, 2] and lab.lab.inputs == [0.05, 0.1]
    assert lab.lab.targets == [0.01, 0.99]
    outs = dict(
        zip(_cells(lab.forward_table, 0), _cells(lab.forward_table, 2), strict=True)
    )
    assert outs["h1"] == "0.59327000" and outs["o1"] == "0.75136507"
    assert _cells(lab.loss_table, 3)[-1] == "0.29837111"
    assert "net 0.3775" in lab.graph.unit_labels["h1"].text()
    assert lab.graph.edge_labels["w5"].text().startswith("w5 = 0.4000")
    _shot(lab, artifacts, "forward")


def test_backward_writes_the_chain_rule_of_the_clicked_edge(
    lab, qtbot, artifacts
) -> None:
    lab.backward()
    edge = lab.graph.edges["w6"]
    line = edge.line()
    point = line.p1() + (line.p2() - line.p1()) * 0.85  # away from the labels
    pos = lab.graph.mapFromScene(QPointF(point))
    qtbot.mouseClick(lab.graph.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert lab.selected == "w6"
    lab.select_weight("w5")
    text = lab.chain_rule_text()
    assert "dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5" in text
    assert "0.74136508 * 0.18681560 * 0.59327000 = 0.08216704" in text
    assert "dE/dw5 = 0.08216704" in text  # autograd's own number
    assert "dE/dw5 = 0.08217" in lab.graph.edge_labels["w5"].text()
    lab.select_weight("w1")
    assert "dE/dout_h1 = dE/dnet_o1 * dnet_o1/dout_h1" in lab.chain_rule_text()
    _shot(lab, artifacts, "backward_w1")


def test_update_applies_sgd_and_shows_old_and_new(lab, artifacts) -> None:
    lab.select_weight("w5")
    lab.update_step()
    assert lab.lab.value("w5") == pytest.approx(0.35891648, abs=1e-7)
    assert lab.lab.value("w1") == pytest.approx(0.14978072, abs=1e-7)
    row = _cells(lab.weights_table, 0).index("w5")
    assert lab.weights_table.item(row, 4).text() == "0.4"
    assert "0.4 − 0.5 * 0.08216704" in lab.chain_rule_text()
    assert "w5: 0.4000 → 0.3589" in lab.graph.edge_labels["w5"].text()
    _shot(lab, artifacts, "update")


def test_run_n_steps_approaches_the_targets(lab, qtbot, artifacts) -> None:
    lab.steps_spin.setValue(1500)
    qtbot.mouseClick(lab.run_button, Qt.MouseButton.LeftButton)
    assert lab.running and not lab.buttons["updateButton"].isEnabled()
    qtbot.waitUntil(lambda: not lab.running, timeout=60_000)
    assert len(lab.losses) == 1500 and lab.losses[-1] < lab.losses[0] / 5
    assert lab.lab.outputs() == pytest.approx([0.01, 0.99], abs=0.06)
    lab.tabs.setCurrentIndex(3)
    _shot(lab, artifacts, "after_run")


def test_tables_edit_inputs_targets_and_weights(lab, qtbot) -> None:
    lab.values_table.item(0, 1).setText("１．０")  # full-width digits are numbers too
    qtbot.waitUntil(lambda: lab.lab.inputs[0] == 1.0)
    lab.values_table.item(3, 1).setText("0,5")  # decimal comma
    qtbot.waitUntil(lambda: lab.lab.targets[1] == 0.5)
    row = _cells(lab.weights_table, 0).index("w5")
    lab.weights_table.item(row, 2).setText("-1")
    qtbot.waitUntil(lambda: lab.lab.value("w5") == -1.0)
    qtbot.waitUntil(lambda: "w5 = -1.0000" in lab.graph.edge_labels["w5"].text())
    lab.values_table.item(1, 1).setText("abc")
    qtbot.waitUntil(lambda: lab.message.isVisible())
    assert "not a number" in lab.message.text()
    assert lab.lab.inputs[1] == 0.1


def test_settings_edit_the_network(lab, qtbot, artifacts) -> None:
    lab.activation_combo.setCurrentIndex(lab.activation_combo.findData("tanh"))
    qtbot.waitUntil(lambda: lab.lab.activations == ["tanh", "tanh"])
    lab.loss_combo.setCurrentIndex(lab.loss_combo.findData("mse"))
    qtbot.waitUntil(lambda: lab.lab.loss_name == "mse")
    lab.bias_combo.setCurrentIndex(lab.bias_combo.findData("per-unit"))
    qtbot.waitUntil(lambda: lab.lab.bias == "per-unit")
    assert [w.name for w in lab.lab.weights() if w.is_bias] == ["b1", "b2", "b3", "b4"]
    lab.train_bias_check.setChecked(True)
    qtbot.waitUntil(lambda: lab.lab.train_bias)
    lab.lr_spin.setValue(0.1)
    qtbot.waitUntil(lambda: lab.lab.lr == pytest.approx(0.1))
    lab.select_weight("b3")
    assert "dnet_o1/db3" in lab.chain_rule_text()
    _shot(lab, artifacts, "tanh_per_unit_bias")
    lab.layers_edit.setText("2-9")
    lab.layers_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: lab.message.isVisible())
    assert "up to 8 units" in lab.message.text() or "1 to 8" in lab.message.text()
    lab.layers_edit.setText("3-4-4-2")
    lab.layers_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: lab.lab.sizes == [3, 4, 4, 2])
    assert not lab.message.isVisible()
    lab.backward()
    _shot(lab, artifacts, "3-4-4-2")


def test_largest_network_stays_readable(qtbot, artifacts) -> None:
    view = BackpropLab(lab=LabNetwork([8, 8, 8, 8, 8], activation="relu", seed=1))
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.set_lab(view.lab)
    assert not view.labels_check.isChecked()  # only the selected edge is labelled
    view.select_weight("w70")
    assert set(view.graph.edge_labels) <= {"w70", "b1", "b2", "b3", "b4"}
    _shot(view, artifacts, "8x4_relu")


def _lightness(color) -> int:
    return color.lightness()


def test_a_switch_to_the_dark_theme_redraws_the_numbers_light(qtbot, artifacts) -> None:
    """Issue 13: after a theme switch the numbers were black on dark grey."""
    from nnstudio.ui.app import _dark_palette  # the studio's own dark theme

    view = BackpropLab()
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.backward()  # drawn in the light theme first
    view.setPalette(_dark_palette())  # as apply_theme("dark") does to every widget
    graph = view.graph
    base = graph.palette().base().color()
    labels = [*graph.edge_labels.values(), *graph.unit_labels.values()]
    assert labels
    for label in labels:
        if label.brush().color() == SELECTED:
            continue  # the selected edge's label is red on purpose
        contrast = abs(_lightness(label.brush().color()) - _lightness(base))
        assert contrast > 100, (label.text(), label.brush().color().name())
    _shot(view, artifacts, "dark")


def test_after_update_another_weight_shows_its_own_chain_rule(lab) -> None:
    """Issue 13: after Update, clicking another weight showed the previous weight's
    chain rule next to the new weight's update."""
    lab.select_weight("w5")
    lab.update_step()
    lab.select_weight("w6")
    text = lab.chain_rule_text()
    assert "dE/dw6 = dE/dout_o1" in text and "dE/dw5" not in text
    assert "w6⁺ = w6 − η * dE/dw6" in text
    # the rule is the one the update used: the numbers from before the step
    before = LabNetwork.from_preset("backprop-2-2-2").chain_rule("w6")
    assert before.numbers(8) in text
    assert lab.lab.chain_rule("w6").numbers(8) not in text  # not the new numbers
    assert "out of h2, the input this weight multiplies" in text


def test_open_spec_takes_fitting_networks_only(lab) -> None:
    assert not lab.open_spec(PRESETS["spiral-relu"].spec)
    assert lab.message.isVisible() and "does not fit" in lab.message.text()
    assert lab.lab.sizes == [2, 2, 2]
    preset = PRESETS["backprop-2-2-2"]
    assert lab.open_spec(preset.spec, preset.train_config())
    assert not lab.message.isVisible()
    assert lab.lab.value("w5") == pytest.approx(0.4)
    lab.update_step()
    lab.reset_button.click()
    assert lab.lab.value("w5") == pytest.approx(0.4)


def test_follows_the_studio_document(lab, qtbot, fake_studio) -> None:
    """bind() with a studio (a real Document, no window)."""
    studio = fake_studio()
    doc = studio.document
    lab.bind(studio)
    assert "does not fit" in lab.message.text()  # the default spiral network
    doc.apply_preset(PRESETS["backprop-2-2-2"])
    qtbot.waitUntil(lambda: not lab.message.isVisible())
    assert lab.lab.inputs == [0.05, 0.1] and lab.lab.targets == [0.01, 0.99]
    assert lab.lab.value("w5") == pytest.approx(0.4)
    lab.update_step()
    doc.set_config(doc.config.with_(lr=0.1), "learning rate")  # not a spec change
    assert lab.lab.value("w5") != pytest.approx(0.4)
