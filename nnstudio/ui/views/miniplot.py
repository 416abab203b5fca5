"""Small histogram cells for grids of plots (one per layer).

A full pg.PlotItem builds its context menu and settings UI on creation (~20-60 ms
each); a deep network shows dozens of layers, built while training runs. A title, a
ViewBox without menu and one bottom axis cost a quarter of that and show the same.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class MiniPlot:
    """Title + ViewBox + bottom axis inside a GraphicsLayout cell."""

    def __init__(
        self, layout: pg.GraphicsLayout, row: int, col: int, title: str
    ) -> None:
        cell = layout.addLayout(row=row, col=col)
        self.title = cell.addLabel(title, row=0, col=0, size="8pt")
        self._title_text = title
        self.view = pg.ViewBox(enableMenu=False, enableMouse=False)
        cell.addItem(self.view, row=1, col=0)
        self.axis = pg.AxisItem("bottom")
        self.axis.linkToView(self.view)
        self.axis.enableAutoSIPrefix(False)
        cell.addItem(self.axis, row=2, col=0)

    def step_curve(self, pen: object, brush: object = None) -> pg.PlotCurveItem:
        """A histogram outline (x: bin edges, y: counts), filled when `brush` is set.

        The fill level is 0 either way, so the y range always starts at zero.
        """
        curve = pg.PlotCurveItem(
            np.zeros(2),
            np.zeros(1),
            stepMode="center",
            pen=pen,
            fillLevel=0,
            brush=brush,
        )
        self.view.addItem(curve)
        return curve

    def set_title(self, text: str) -> None:
        """Only when it changed: setting rich text re-lays the label out."""
        if text != self._title_text:
            self._title_text = text
            self.title.setText(text, size="8pt")
