"""The output layer's card names the classes of the chosen dataset."""

from __future__ import annotations

from nnstudio.ui.stack_model import ClassesRole, LayerStackModel
from nnstudio.ui.stack_view import NetworkEditor
from tests.ui.conftest import shot


def test_output_row_names_the_classes(main_window, qtbot, artifacts) -> None:
    window = main_window()
    window.document.choose_dataset("iris")  # offline, with named classes
    model = window.findChildren(LayerStackModel)[0]

    def last():
        return model.index(model.rowCount() - 1)

    qtbot.waitUntil(lambda: "virginica" in (model.data(last(), ClassesRole) or ""),
                    timeout=20_000)
    assert model.data(last(), ClassesRole) == "0 setosa, 1 versicolor, 2 virginica"
    assert model.data(model.index(0), ClassesRole) == ""  # only the output layer
    assert "virginica" in model.data(last(), 3)  # the tooltip too (ToolTipRole)
    window.findChildren(NetworkEditor)[0].scrollToBottom()
    shot(window, artifacts / "output_classes.png")
    window.document.set_spec(window.document.spec.remove(2), "no output layer")
    assert model.data(last(), ClassesRole) == ""  # 100 wide: not the classes
