"""Gradient norms per layer over time: the view no notebook gives a student.

Left: one line per parameter layer on a log axis, coloured by depth. Right: the latest
norm per layer as bars and a layer x time heat map. Above: a plain-language banner when
the early layers stop learning (vanishing) or the norms run away (exploding).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from nnstudio.core.training.events import Epoch, Probe, Started
from nnstudio.core.training.gradient_diagnosis import MIN_PROBES, Diagnosis, diagnose
from nnstudio.ui.plot_style import (
    fit_legend_columns,
    legend_below,
    thinned_ticks,
    use_tidy_log_axis,
)
from nnstudio.ui.provenance import banner
from nnstudio.ui.views.base import EPS, View, depth_colors, layer_label
from nnstudio.ui.views.buffers import SeriesBuffer


class GradientsView(View):
    PROBES = frozenset({"gradients"})
    TITLE = "Gradients"
    MIN_INTERVAL_S = 0.2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientsView")
        self.layers: tuple[str, ...] = ()
        self.frozen: frozenset[str] = frozenset()  # legend marks them "(frozen)"
        self.buffer = SeriesBuffer(1)  # per probe: every ~0.3 s while visible
        self.epochs = SeriesBuffer(1)  # per-epoch means: always sent, nearly free
        self.steps_per_epoch = 1
        self.diagnosis = Diagnosis(None)
        self._curves: list[pg.PlotDataItem] = []
        self.banner = banner("gradientBanner")
        self._build()

    def _build(self) -> None:
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("gradientPlot")
        use_tidy_log_axis(self.plot)
        self.plot.setLabel("left", self.tr("gradient norm (log scale)"))
        self.plot.setLabel("bottom", self.tr("training step"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = legend_below(self.plot)
        self.bars = pg.PlotWidget()
        self.bars.setObjectName("gradientBars")
        self.bars.setTitle(self.tr("latest gradient norm per layer"))
        use_tidy_log_axis(self.bars)  # bars carry log10 values; the labels match
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.bars.addItem(self.bar_item)
        self.heat = pg.PlotWidget()
        self.heat.setObjectName("gradientHeatmap")
        self.heat.setTitle(self.tr("log10 gradient norm: layer x time"))
        self.heat.setLabel("bottom", self.tr("training step"))
        self.heat_item = pg.ImageItem(axisOrder="col-major")
        self.heat_item.setColorMap(pg.colormap.get("inferno"))
        self.heat.addItem(self.heat_item)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.bars)
        right.addWidget(self.heat)
        for widget in (self.plot, self.bars, self.heat):
            widget.getAxis("left").enableAutoSIPrefix(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

    # --- data -------------------------------------------------------------------------
    def reset(self, started: Started | None = None) -> None:
        self.steps_per_epoch = max(1, started.steps_per_epoch) if started else 1
        self.frozen = frozenset(getattr(started, "frozen_layers", ()) or ())
        self._set_layers(tuple(started.param_layers) if started else ())

    def _set_layers(self, layers: tuple[str, ...]) -> None:
        self.layers = layers
        self.buffer.reset(max(1, len(layers)))
        self.epochs.reset(max(1, len(layers)))
        self.diagnosis = Diagnosis(None)
        self._rebuild_items()

    def _on_probe(self, e: Probe) -> bool:
        if e.grad_norm is None:
            return False
        if e.param_layers and tuple(e.param_layers) != self.layers:
            self._set_layers(tuple(e.param_layers))
        self.buffer.append(e.step, np.clip(e.grad_norm, EPS, None))
        self.diagnosis = self._diagnose()
        return True

    def _on_epoch(self, e: Epoch) -> bool:
        norms = getattr(e, "grad_norms", None)
        if norms is None or len(norms) != self.epochs.width:
            return False
        self.epochs.append(e.epoch * self.steps_per_epoch, np.clip(norms, EPS, None))
        self.diagnosis = self._diagnose()
        return True

    def _diagnose(self) -> Diagnosis:
        """Vanishing/exploding among the layers that learn: a frozen layer's zero
        gradient is by design, not a vanishing one (issue 15)."""
        ys = self.series()[1]
        keep = [i for i, name in enumerate(self.layers) if name not in self.frozen]
        if self.frozen and ys.ndim == 2 and len(keep) < ys.shape[1]:
            ys = ys[:, keep]
        return diagnose(ys)

    def series(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, looks x layers): the probes when there are a few, else the epoch
        means (the view was hidden, or the run was too short for probes)."""
        if self.buffer.n >= MIN_PROBES or self.buffer.n >= self.epochs.n:
            return self.buffer.xs, self.buffer.ys
        return self.epochs.xs, self.epochs.ys

    # --- drawing ----------------------------------------------------------------------
    def _rebuild_items(self) -> None:
        for curve in self._curves:
            self.plot.removeItem(curve)
        self.legend.clear()
        colors = depth_colors(len(self.layers))
        self._curves = []
        for name, color in zip(self.layers, colors, strict=True):
            curve = self.plot.plot(
                pen=pg.mkPen(color, width=2),
                name=layer_label(name, self.frozen),
                connect="finite",
            )
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self._curves.append(curve)
        self.bar_item.setOpts(
            x=np.arange(len(self.layers)),
            height=np.zeros(len(colors)),
            brushes=[pg.mkBrush(c) for c in colors],
        )
        self._layout_labels()
        self.heat_item.clear()
        self._show_banner()

    def _layout_labels(self) -> None:
        """Layer numbers under the bars and beside the heat map, thinned when they
        would overprint (31 layers); legend entries side by side as width allows."""
        numbers = [n.split("_")[0] for n in self.layers]  # as the legend and stack
        self.bars.getAxis("bottom").setTicks(
            [thinned_ticks(numbers, self.bars.width() * 0.85)]
        )
        rows = thinned_ticks(numbers, self.heat.height() * 0.6, per_label_px=14)
        self.heat.getAxis("left").setTicks([[(i + 0.5, t) for i, t in rows]])
        fit_legend_columns(self.legend, self.plot.width() * 0.9)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._layout_labels()

    def draw(self) -> None:
        xs, ys = self.series()
        if not len(xs):
            return
        dots = "o" if len(xs) < 3 else None  # a line of one point is invisible
        colors = depth_colors(len(self._curves))
        for i, curve in enumerate(self._curves):
            curve.setData(
                xs,
                ys[:, i],
                symbol=dots,
                symbolSize=7,
                symbolBrush=colors[i],
                symbolPen=colors[i],
            )
        self._draw_bars(ys[-1])
        self._draw_heat(xs, ys)
        self._show_banner()

    def _draw_bars(self, latest: np.ndarray) -> None:
        logs = np.log10(np.clip(np.nan_to_num(latest, nan=EPS), EPS, None))
        floor = float(np.floor(logs.min())) - 0.5
        self.bar_item.setOpts(y0=floor, height=logs - floor)

    def _draw_heat(self, xs: np.ndarray, ys: np.ndarray) -> None:
        logs = np.log10(np.clip(np.nan_to_num(ys, nan=EPS, posinf=1e12), EPS, None))
        lo, hi = float(logs.min()), float(logs.max())
        self.heat_item.setImage(logs, autoLevels=False, levels=(lo, max(hi, lo + 1e-3)))
        width = max(float(xs[-1] - xs[0]), 1.0)
        self.heat_item.setRect(QRectF(float(xs[0]), 0.0, width, float(ys.shape[1])))

    def _show_banner(self) -> None:
        """The diagnosis of the result shown; none while that result is stale (the
        advice about deep-sigmoid must not stand over deep-relu-bn)."""
        text = "" if self.stale else self.banner_text(self.diagnosis)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def show_stale(self, stale: bool) -> None:
        self._show_banner()

    def banner_text(self, d: Diagnosis) -> str:
        if d.kind == "vanishing":
            return self.tr(
                "The early layers are barely learning: the first layer's gradient is "
                "{ratio} of the last layer's (under 1/100). This is the vanishing-"
                "gradient problem: each Sigmoid or Tanh layer shrinks the gradient on "
                "its way back. Cures: ReLU activations, He initialisation, BatchNorm, "
                "residual connections."
            ).format(ratio=f"1/{1 / d.ratio:,.0f}" if d.ratio > 0 else "0")
        if d.kind == "exploding":
            return self.tr(
                "The gradients are exploding: their norms keep growing, so every step "
                "throws the weights further off. Lower the learning rate, or clip the "
                "gradients (gradient clipping in the training settings)."
            )
        return ""
