"""Weights: each layer's weight histogram over time, and the first conv layer's filters.

Histograms of a few moments spread over the run are overlaid, faint (early) to bright
(now), so a student sees weights spread out, shrink under weight decay, or not move.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from nnstudio.core.training.events import Probe, Started
from nnstudio.ui.studio import Studio
from nnstudio.ui.views.base import ProbeDemand, View, short_layer
from nnstudio.ui.views.buffers import SnapshotBuffer
from nnstudio.ui.views.miniplot import MiniPlot
from nnstudio.ui.views.tiles import TileGrid

SNAPSHOTS = 6  # histograms overlaid per layer: enough for a trend, few enough to read
COLUMNS = 3
ROW_PX = 160


class WeightsView(View):
    PROBES = frozenset({"weights"})
    TITLE = "Weights"
    MIN_INTERVAL_S = 0.5
    FROM_WEIGHTS = frozenset({"weights"})  # an opened project: at once

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightsView")
        self.layers: tuple[str, ...] = ()
        self.history: list[SnapshotBuffer] = []
        self.filters: np.ndarray | None = None
        self.curves: list[list[pg.PlotDataItem]] = []
        self._shown: tuple[str, ...] = ()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("weightPlots")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.graphics)
        self.filter_label = QLabel(self.tr("First convolution layer's filters"))
        self.filter_grid = TileGrid(
            "filters", columns=16, size=40, tile_name="filterTile"
        )
        self.filter_grid.setObjectName("filterGrid")
        bottom = QWidget()
        box = QVBoxLayout(bottom)
        box.addWidget(self.filter_label)
        box.addWidget(self.filter_grid, 1)
        bottom.hide()
        self.filter_panel = bottom
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Weight histograms per layer: faint = early in training, "
                    "bright = now."
                )
            )
        )
        layout.addWidget(split, 1)

    def bind(self, studio: Studio, demand: ProbeDemand | None = None) -> None:
        super().bind(studio, demand)
        # the weights probe samples a bounded number of weights: cheap enough to
        # ask for always, so the history is there when the tab is opened after
        # training (it was empty unless the tab had been open all along)
        if self._demand is not None:
            self._demand.want("weights-history", self.PROBES)

    def reset(self, started: Started | None = None) -> None:
        self._set_layers(tuple(started.param_layers) if started else ())
        self.filters = None

    def _set_layers(self, layers: tuple[str, ...]) -> None:
        self.layers = layers
        self.history = [SnapshotBuffer(SNAPSHOTS) for _ in layers]

    def _on_probe(self, e: Probe) -> bool:
        if not e.weight_hist:
            return False
        if e.param_layers and tuple(e.param_layers) != self.layers:
            self._set_layers(tuple(e.param_layers))
        for buf, hist in zip(self.history, e.weight_hist, strict=False):
            buf.append(e.progress, hist)
        if e.first_conv_filters is not None:
            self.filters = e.first_conv_filters
        return True

    def draw(self) -> None:
        if self.layers != self._shown:
            self._rebuild()
        for buf, curves in zip(self.history, self.curves, strict=False):
            shown = buf.spread()
            first = len(curves) - len(shown)  # newest always on the brightest curve
            for i, curve in enumerate(curves):
                if i >= first:
                    curve.setData(*density(*shown[i - first][1]))
                curve.setVisible(i >= first)
        self.filter_panel.setVisible(self.filters is not None)
        if self.filters is not None:
            self.filter_grid.set_images(self.filters)

    def _rebuild(self) -> None:
        self.graphics.clear()
        self.curves = []
        for i, name in enumerate(self.layers):
            plot = MiniPlot(
                self.graphics.ci, i // COLUMNS, i % COLUMNS, short_layer(name)
            )
            curves = []
            for k in range(SNAPSHOTS):
                newest = k == SNAPSHOTS - 1
                alpha = int(50 + 205 * (k + 1) / SNAPSHOTS)
                pen = pg.mkPen((90, 170, 255, alpha), width=2 if newest else 1)
                curves.append(plot.step_curve(pen))
            self.curves.append(curves)
        self.graphics.setMinimumHeight(-(-len(self.layers) // COLUMNS) * ROW_PX)
        self._shown = self.layers


def density(counts: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts as a density, so histograms with different bin widths compare."""
    counts, edges = np.asarray(counts, dtype=float), np.asarray(edges, dtype=float)
    area = float((counts * np.diff(edges)).sum()) or 1.0
    return edges, counts / area
