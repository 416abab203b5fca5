"""A kernel larger than its feature map: three fix buttons under the stack."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from tests.ui.conftest import shot


def test_three_fix_buttons_each_one_undo_step(main_window, qtbot, artifacts) -> None:
    window = main_window()
    doc = window.document
    conv = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 13})
    spec = NetworkSpec((1, 28, 28), (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 5}),
        LayerSpec("MaxPool2d", {"kernel_size": 2}), conv, LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 3})))
    doc.set_spec(spec, "too large")
    buttons = [window.findChild(QPushButton, n)
               for n in ("fixButton", "fixButton2", "fixButton3")]
    qtbot.waitUntil(lambda: all(b.isVisible() for b in buttons), timeout=5_000)
    assert [b.text() for b in buttons] == ["Padding 1", "Kernel 12x12",
                                           "One pooling layer fewer"]
    shot(window, artifacts / "kernel_fixes.png")
    buttons[2].click()
    assert "MaxPool2d" not in [x.kind for x in doc.spec.layers]
    assert doc.report.ok and not buttons[1].isVisible()
    doc.undo_stack.undo()
    assert doc.spec == spec
