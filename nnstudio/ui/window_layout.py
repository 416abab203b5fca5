"""The main window's docks and geometry: the four docks in two columns, the saved
layout restored, never larger than the screen, and the default layout on request."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QLabel

DEFAULT_SIZE = (1440, 900)
FRAME_ALLOWANCE = (16, 40)  # title bar and borders the window manager adds around us
DOCK_NAMES = (
    "layerPaletteDock",
    "networkEditorDock",
    "layerPropertiesDock",
    "trainingPanelDock",
)


class WindowLayout(QObject):
    """Makes `window`'s docks and keeps its layout (the window is its parent)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._default_state: Any = None
        self.docks = {name: self._make_dock(name) for name in DOCK_NAMES}
        self._arrange_docks()

    def _dock_title(self, name: str) -> str:
        return {
            "layerPaletteDock": self.tr("Layers"),
            "networkEditorDock": self.tr("Network"),
            "layerPropertiesDock": self.tr("Properties"),
            "trainingPanelDock": self.tr("Data and training"),
        }[name]

    def _make_dock(self, name: str) -> QDockWidget:
        dock = QDockWidget(self._dock_title(name), self.window)
        dock.setObjectName(name)
        placeholder = QLabel(self.tr("Loading PyTorch…"), dock)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dock.setWidget(placeholder)
        self.window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _arrange_docks(self) -> None:
        """Two columns on the left: palette over properties, network over training."""
        d = self.docks
        self.window.splitDockWidget(
            d["layerPaletteDock"], d["networkEditorDock"], Qt.Orientation.Horizontal
        )
        self.window.splitDockWidget(
            d["layerPaletteDock"], d["layerPropertiesDock"], Qt.Orientation.Vertical
        )
        self.window.splitDockWidget(
            d["networkEditorDock"], d["trainingPanelDock"], Qt.Orientation.Vertical
        )
        self.window.resizeDocks(
            [d["layerPaletteDock"], d["networkEditorDock"]],
            [230, 400],
            Qt.Orientation.Horizontal,
        )
        self.window.resizeDocks(
            [d["networkEditorDock"], d["trainingPanelDock"]],
            [340, 520],
            Qt.Orientation.Vertical,
        )
        self.window.resizeDocks(
            [d["layerPaletteDock"], d["layerPropertiesDock"]],
            [440, 420],
            Qt.Orientation.Vertical,
        )

    def restore(self) -> None:
        """The saved geometry and dock state (else the defaults), fitted to the
        screen."""
        geometry, state = (
            self.window.settings.window_geometry(),
            self.window.settings.window_state(),
        )
        if geometry is None or not self.window.restoreGeometry(geometry):
            self.window.resize(*DEFAULT_SIZE)
        self._fit_screen()
        self._default_state = self.window.saveState()
        if state is not None:
            self.window.restoreState(state)

    def _fit_screen(self) -> None:
        """Never larger than the screen's free area (a 1366x768 laptop had Train
        and the status bar off screen), whatever the default or the saved size."""
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        width, height = fit_size(
            (self.window.width(), self.window.height()), (area.width(), area.height())
        )
        if (width, height) != (self.window.width(), self.window.height()):
            self.window.resize(width, height)
            self.window.move(area.topLeft())

    def restore_default(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.window.restoreState(self._default_state)


def fit_size(wanted: tuple[int, int], available: tuple[int, int]) -> tuple[int, int]:
    """The window size: `wanted`, shrunk to the available screen area less the frame
    the window manager adds (title bar, borders)."""
    frame_w, frame_h = FRAME_ALLOWANCE
    return (
        max(1, min(wanted[0], available[0] - frame_w)),
        max(1, min(wanted[1], available[1] - frame_h)),
    )
