"""Through time: how much of the loss's gradient reaches each time step's input.

For the chosen validation sample, |∂loss/∂x_t| per step (the embedded input for a
token network), first step on the left, on a log axis. A plain RNN's gradient fades
back through time: the first steps barely learn (the banner says so when they get
under 1/1000 of the last). The previous run stays drawn dashed, so an RNN and an
LSTM can be compared by training one after the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnstudio.core.training.events import Finished, Probe, Started
from nnstudio.ui.provenance import banner
from nnstudio.ui.views.base import EPS, View
from nnstudio.ui.views.sequence_sample import SampleChooser, hint

VANISHED = 1e-3  # first steps under 1/1000 of the last: they learn nothing useful
FIRST_STEPS = 3  # "the first steps": the mean over these many


def vanishing_ratio(grads: np.ndarray | None) -> float | None:
    """Mean gradient of the first steps over the last step's, or None."""
    if grads is None or len(grads) < 2 or not np.isfinite(grads).all():
        return None
    last = float(grads[-1])
    if last <= 0:
        return None
    return float(np.mean(grads[: min(FIRST_STEPS, len(grads) - 1)])) / last


class ThroughTimeView(View):
    PROBES = frozenset({"through_time"})
    FROM_WEIGHTS = frozenset({"through_time"})  # an opened project: at once
    TITLE = "Through time"
    MIN_INTERVAL_S = 0.2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("throughTimeView")
        self.grads: np.ndarray | None = None
        self.previous: np.ndarray | None = None
        self.banner = banner("throughTimeBanner")
        self.chooser = SampleChooser("throughTimeSample", self)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("throughTimePlot")
        self.plot.setLogMode(y=True)
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # no "(x0.001)"
        self.plot.setLabel("left", self.tr("gradient norm at the input (log scale)"))
        self.plot.setLabel("bottom", self.tr("time step (first step on the left)"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self.before = self.plot.plot(
            pen=pg.mkPen(
                (160, 160, 160), width=2, style=pg.QtCore.Qt.PenStyle.DashLine
            ),
            name=self.tr("previous run"),
        )
        self.now = self.plot.plot(
            pen=pg.mkPen((255, 140, 0), width=3),
            symbol="o",
            symbolSize=6,
            name=self.tr("this run"),
        )
        self.hint = hint(
            self.tr(
                "The gradient per time step appears while a recurrent or attention "
                "network "
                "trains (try the presets rnn-parity, then lstm-parity)."
            )
        )
        self.caption = QLabel()
        self.caption.setObjectName("throughTimeCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        layout.addWidget(self.banner)
        layout.addWidget(self.hint)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)

    def set_data(self, data: Any) -> None:
        self.chooser.studio = self.studio  # the chooser writes its probe request
        self.chooser.set_count(len(data.x_val) if data is not None else 0)

    def reset(self, started: Started | None = None) -> None:
        if self.grads is not None:
            self.previous = self.grads
        self.grads = None

    def _on_probe(self, e: Probe) -> bool:
        if e.grad_through_time is None:
            return False
        self.grads = np.asarray(e.grad_through_time, dtype=float)
        return True

    def _on_finished(self, e: Finished) -> bool:
        return True

    def draw(self) -> None:
        self.hint.setVisible(self.grads is None and self.previous is None)
        for item, grads in ((self.now, self.grads), (self.before, self.previous)):
            if grads is None:
                item.setData([], [])
            else:
                item.setData(np.arange(len(grads)), np.clip(grads, EPS, None))
        text = self.banner_text(vanishing_ratio(self.grads))
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        ratio = vanishing_ratio(self.grads)
        self.caption.setText(
            ""
            if ratio is None
            else self.tr("first steps / last step: {ratio:.2g}").format(ratio=ratio)
        )

    def banner_text(self, ratio: float | None) -> str:
        if ratio is None or ratio >= VANISHED:
            return ""
        return self.tr(
            "The gradient vanishes back through time: the first steps get {ratio} of "
            "what the last step gets (under 1/1000), so what the network sees early "
            "in the sequence can hardly change its answer. A plain RNN multiplies the "
            "gradient by its recurrent weights at every step; an LSTM or GRU carries "
            "it along its gated cell state instead."
        ).format(ratio=f"1/{1 / ratio:,.0f}" if ratio > 0 else "0")
