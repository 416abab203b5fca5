"""The Presets menu: grouped by lesson, each preset with its one-line description."""

from __future__ import annotations

from nnstudio.core.network.presets import PRESETS
from tests.ui.conftest import shot


def test_presets_are_grouped_with_their_descriptions(main_window, artifacts) -> None:
    window = main_window()
    menu = window.menus["presets"]
    group, where = None, {}
    for action in menu.actions():
        if action.isSeparator():
            group = action.text()
        elif action.text() in PRESETS:
            where[action.text()] = group
            assert action.toolTip() == action.statusTip() != action.text()
    assert set(where) == set(PRESETS)
    assert where["spiral-relu"] == where["spiral-linear"] == "Basics"
    assert where["cnn-mnist"] == where["lenet5"] == "Images"
    assert where["deep-sigmoid"] == where["deep-relu-bn"] == "Gradients"
    label = next(a for a in menu.actions() if a.text() == "sincos").defaultWidget()
    assert "sin(x)" in label.text()  # the description, in the menu itself
    menu.popup(window.mapToGlobal(window.rect().center()))
    shot(menu, artifacts / "presets_menu.png")
    menu.hide()
