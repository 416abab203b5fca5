"""Presets menu entries that show the preset's one-line description under its name.

A QWidgetAction whose text stays the preset's name (menus, tests and the status bar
read it) and whose widget is a two-line label; a click or Enter triggers it.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QLabel, QMenu, QWidgetAction

DESCRIPTION_WIDTH = 440  # px: a menu as wide as a short paragraph, not the screen
STYLE = (
    "QLabel { padding: 4px 24px 4px 24px; }"
    "QLabel:hover { background: palette(highlight); color: palette(highlighted-text); }"
)


class _EntryLabel(QLabel):
    def __init__(self, action: QAction, menu: QMenu, text: str) -> None:
        super().__init__(text, menu)
        self._action, self._menu = action, menu
        self.setWordWrap(True)
        self.setFixedWidth(DESCRIPTION_WIDTH)
        self.setStyleSheet(STYLE)
        self.setTextFormat(Qt.TextFormat.RichText)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._menu.close()
            self._action.trigger()


def preset_entry(menu: QMenu, name: str, description: str, slot: Any,
                 object_name: str) -> QWidgetAction:
    """One Presets menu entry: the name in bold, the description below it."""
    action = QWidgetAction(menu)
    action.setText(name)
    action.setObjectName(object_name)
    action.setToolTip(description)
    action.setStatusTip(description)
    action.triggered.connect(slot)
    label = _EntryLabel(action, menu, f"<b>{html.escape(name)}</b><br>"
                        f"<span style='font-size: small'>{html.escape(description)}"
                        "</span>")
    action.setDefaultWidget(label)
    return action
