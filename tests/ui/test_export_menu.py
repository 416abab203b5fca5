"""File > Export writes the open project; the Backprop lab is a tab of the window."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMenu, QTabWidget
from safetensors.torch import load_file

from nnstudio.core.network.spec import NetworkSpec
from nnstudio.ui.export_menu import export_to


def test_export_menu_lists_every_format(main_window) -> None:
    window = main_window(show=False)
    menu = window.findChild(QMenu, "exportMenu")
    assert menu is not None
    names = {a.objectName() for a in menu.actions()}
    assert names == {
        "exportScriptAction",
        "exportOnnxAction",
        "exportWeightsAction",
        "exportJsonAction",
    }


def test_export_writes_spec_weights_and_script(main_window, tmp_path) -> None:
    window = main_window(show=False)
    assert export_to(window, str(tmp_path / "net.json"))
    spec = NetworkSpec.from_json((tmp_path / "net.json").read_text(encoding="utf-8"))
    assert spec == window.document.spec
    assert export_to(window, str(tmp_path / "w.safetensors"))
    keys = set(load_file(str(tmp_path / "w.safetensors")))
    assert keys == {
        "1_linear.weight",
        "1_linear.bias",
        "3_linear.weight",
        "3_linear.bias",
    }
    assert export_to(window, str(tmp_path / "train.py"))
    script = (tmp_path / "train.py").read_text(encoding="utf-8")
    imports = [
        line for line in script.splitlines() if line.startswith(("import", "from"))
    ]
    assert "import torch" in imports
    assert not any("nnstudio" in line for line in imports)


def test_export_to_an_unknown_extension_is_a_message(main_window, tmp_path) -> None:
    window = main_window(show=False)
    assert not export_to(window, str(tmp_path / "net.docx"))
    assert window.message_bar.last_level == "error"
    assert ".py" in window.message_bar.last_text
    assert not (tmp_path / "net.docx").exists()


def test_backprop_lab_is_a_tab(main_window) -> None:
    window = main_window(show=False)
    tabs = window.findChild(QTabWidget, "viewTabs")
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert "Backprop lab" in titles
    assert window.select_view("backprop")
    assert tabs.currentWidget().objectName() == "backpropLab"


@pytest.mark.parametrize("preset", ["backprop-2-2-2"])
def test_backprop_preset_opens_the_lab(main_window, qtbot, preset) -> None:
    window = main_window(show=False)
    action = next(a for a in window.menus["presets"].actions() if preset in a.text())
    action.trigger()
    tabs = window.findChild(QTabWidget, "viewTabs")
    qtbot.waitUntil(
        lambda: tabs.currentWidget().objectName() == "backpropLab", timeout=10_000
    )
    labels = json.dumps(window.document.spec.to_dict())
    assert "shared" in labels
