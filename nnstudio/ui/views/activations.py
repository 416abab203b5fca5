"""Activation histograms per layer, with the saturated and dead fractions as numbers.

A Sigmoid stuck near 0 or 1 passes almost no gradient back; a ReLU whose output is 0
for every sample never learns again. Both are invisible in the loss curve and obvious
here, so the numbers turn red when they are large.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from nnstudio.core.training.events import Probe, Started
from nnstudio.ui.views.base import WARN_COLOR, View, depth_colors, short_layer
from nnstudio.ui.views.miniplot import MiniPlot

WARN_FRACTION = (
    0.3  # a third of the units saturated/dead is worth a student's attention
)
COLUMNS = 4
ROW_PX = 150


class ActivationsView(View):
    PROBES = frozenset({"activations"})
    TITLE = "Activations"
    MIN_INTERVAL_S = 0.5
    FROM_WEIGHTS = frozenset({"activations"})  # an opened project: at once

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationsView")
        self.layers: tuple[str, ...] = ()
        self.latest: Probe | None = None
        self.plots: list[MiniPlot] = []
        self.curves: list[pg.PlotCurveItem] = []
        self._shown_layers: tuple[str, ...] = ()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("activationPlots")
        self.note = QLabel(
            self.tr(
                "Histogram of each layer's outputs on a fixed batch. 'saturated': "
                "Sigmoid/Tanh outputs pinned near their limits (they pass back almost "
                "no gradient); 'dead': ReLU units that output 0 for every sample (they "
                "stop learning)."
            )
        )
        self.note.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.graphics)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)

    def reset(self, started: Started | None = None) -> None:
        self.latest = None

    def _on_probe(self, e: Probe) -> bool:
        if not e.act_hist:
            return False
        self.latest = e
        return True

    def stats(self) -> dict[str, tuple[float, float]]:
        """{layer: (saturated fraction, dead fraction)}; NaN where it doesn't apply."""
        e = self.latest
        if e is None or e.act_saturated is None or e.act_dead is None:
            return {}
        return {
            n: (float(s), float(d))
            for n, s, d in zip(e.act_layers, e.act_saturated, e.act_dead, strict=False)
        }

    def draw(self) -> None:
        e = self.latest
        if e is None:
            return
        if tuple(e.act_layers) != self._shown_layers:
            self._rebuild(tuple(e.act_layers))
        stats = self.stats()
        for i, (name, (counts, edges)) in enumerate(
            zip(e.act_layers, e.act_hist, strict=False)
        ):
            self.curves[i].setData(np.asarray(edges), np.asarray(counts))
            sat, dead = stats.get(name, (math.nan, math.nan))
            self.plots[i].set_title(self._title(name, sat, dead))

    def _title(self, name: str, saturated: float, dead: float) -> str:
        parts = [short_layer(name)]
        for value, word in ((saturated, self.tr("saturated")), (dead, self.tr("dead"))):
            if math.isfinite(value):
                color = WARN_COLOR if value >= WARN_FRACTION else "#bbbbbb"
                weight = "bold" if value >= WARN_FRACTION else "normal"
                parts.append(
                    f"<span style='color:{color}; font-weight:{weight}'>"
                    f"{word} {value:.0%}</span>"
                )
        return " &nbsp; ".join(parts)

    def _rebuild(self, layers: tuple[str, ...]) -> None:
        self.graphics.clear()
        self.plots, self.curves = [], []
        colors = depth_colors(len(layers))
        for i, (name, color) in enumerate(zip(layers, colors, strict=True)):
            plot = MiniPlot(
                self.graphics.ci, i // COLUMNS, i % COLUMNS, short_layer(name)
            )
            self.curves.append(
                plot.step_curve(pg.mkPen(color), pg.mkBrush(*color, 120))
            )
            self.plots.append(plot)
        rows = -(-len(layers) // COLUMNS)
        self.graphics.setMinimumHeight(rows * ROW_PX)
        self._shown_layers = layers
