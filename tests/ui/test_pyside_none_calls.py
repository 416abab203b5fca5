"""PySide6 6.12 aborts on Python 3.11 after ~30,000 Qt calls that return None
("Fatal Python error: none_dealloc"); pyproject pins < 6.12. This guards the pin."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

CALLS = 50_000


def test_fifty_thousand_none_returning_calls(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    for i in range(CALLS):
        result = widget.setToolTip("x" if i % 2 else "y")
        assert result is None
    assert widget.toolTip() == "x"
