"""Live training curves: loss per batch (raw, faint, and smoothed), per epoch, and the
validation loss and accuracy per epoch.

Events are only buffered (`on_event`, cheap, any rate); the FrameClock calls
`refresh()` at most 20 times a second, which calls `setData` on the existing items.
Per-batch buffers are bounded: when full they keep every other point and from then on
store every other step, so a 20-minute run costs the same memory as a 20-second one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.training.events import Epoch, Finished, Started, Step
from nnstudio.ui.plot_style import TidyLogAxis
from nnstudio.ui.provenance import Stamped
from nnstudio.ui.studio import Studio
from nnstudio.ui.views.buffers import SeriesBuffer

BATCH_CAPACITY = 4096  # per-batch points kept; decimated by 2 when full
LOSS_ITEMS = ("raw", "smooth", "train", "val")
ACCURACY_ITEMS = ("val_acc", "train_acc")
SYMBOL_MAX = 40  # epoch markers only while they can be told apart (and are cheap)
EPOCH_CAPACITY = 2048  # epoch points kept; longer runs decimate like batches
# EMA weight per training batch (a ~20-batch window). A Step already averages the
# batches since the previous one, so a point standing for many batches moves it more.
SMOOTHING = 0.95
COLORS = {
    "raw": "#90a4ae",
    "smooth": "#1e88e5",
    "train": "#3949ab",
    "val": "#e53935",
    "val_acc": "#43a047",
    "train_acc": "#8e24aa",
}


class Series(SeriesBuffer):
    """One growing (x, y) line of fixed capacity, thinned by the core's rule (the
    views' SeriesBuffer with one column); `version` changes with every change, so
    unchanged items are not redrawn."""

    def __init__(self, capacity: int) -> None:
        self.version = 0
        super().__init__(1, capacity)

    def clear(self) -> None:
        self.reset()

    def reset(self, width: int | None = None) -> None:
        super().reset(width)
        self.version += 1

    def append(self, x: float, values: np.ndarray | float) -> bool:
        n_before = self.n
        kept = super().append(x, values)
        if kept or self.n != n_before:
            self.version += 1
        return kept

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        return self.xs, self.y[: self.n, 0]

    def nearest(self, x: float) -> tuple[float, float] | None:
        if self.n == 0:
            return None
        xs = self.xs
        i = int(np.nanargmin(np.abs(xs - x)))
        return float(xs[i]), float(self.y[i, 0])


def _plot(name: str, title: str, left: str, bottom: str) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    widget.setObjectName(name)
    item = widget.getPlotItem()
    item.setAxisItems({"left": TidyLogAxis("left")})  # the loss may go log scale
    item.setTitle(title)
    item.setLabel("left", left)
    item.setLabel("bottom", bottom)
    item.showGrid(x=True, y=True, alpha=0.25)
    for axis in ("left", "bottom"):  # grid at major ticks only: half the paint time
        item.getAxis(axis).setStyle(maxTickLevel=0)
        item.getAxis(axis).enableAutoSIPrefix(False)  # "0.3", not "300 (x0.001)"
    item.addLegend(offset=(-10, 10))
    item.setClipToView(True)
    item.setDownsampling(auto=True, mode="peak")
    widget.setMenuEnabled(False)
    return widget


def _curve(
    plot: pg.PlotWidget,
    color: str,
    name: str,
    width: float = 2.0,
    symbol: str | None = None,
    alpha: int = 255,
) -> pg.PlotDataItem:
    pen_color = QColor(color)
    pen_color.setAlpha(alpha)
    item = plot.plot(
        [],
        [],
        pen=pg.mkPen(pen_color, width=width),
        name=name,
        connect="finite",
        symbol=symbol,
        symbolSize=6,
        symbolBrush=color,
        symbolPen=None,
    )
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")
    return item


class CurvesView(Stamped, QWidget):
    """objectName `curvesView`; holds `lossPlot` and `accuracyPlot`."""

    view_id = "curves"
    probe_kinds: frozenset[str] = frozenset()
    refresh_when_hidden = True  # data only (no paint) while hidden: tabs stay current

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvesView")
        self.dirty = False
        self.studio: Studio | None = None
        self._init_stamp()
        self._drawn: dict[str, tuple[int, bool]] = {}
        self._x_limit = 0.0
        self._turn = 0
        self._steps_per_epoch = 1
        self.divergence: pg.InfiniteLine | None = None
        self.epochs = 0
        self._symbols = {"train": "o", "val": "o", "val_acc": "o", "train_acc": "t"}
        self.task = "classification"
        self._ema = self._ema_norm = 0.0
        self._ema_step = 0
        self.raw = Series(BATCH_CAPACITY)
        self.smooth = Series(BATCH_CAPACITY)
        self.epoch = {
            k: Series(EPOCH_CAPACITY) for k in ("train", "val", "val_acc", "train_acc")
        }
        epoch = self.tr("epoch")
        self.loss_plot = _plot("lossPlot", self.tr("Loss"), self.tr("loss"), epoch)
        self.accuracy_plot = _plot(
            "accuracyPlot", self.tr("Validation accuracy"), self.tr("accuracy %"), epoch
        )
        self.loss_plot.setToolTip(
            self.tr(
                "Training loss per batch (faint: raw, solid: "
                "smoothed) and per epoch, validation loss per "
                "epoch. Lower is better."
            )
        )
        self.accuracy_plot.setToolTip(
            self.tr(
                "Share of validation samples classified correctly after each epoch."
            )
        )
        self.items = self._make_items()
        self.log_check = QCheckBox(self.tr("Log scale"), self)
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setToolTip(
            self.tr(
                "Show the loss on a logarithmic axis: small "
                "late improvements become visible."
            )
        )
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.log_action = QAction(self.tr("&Log-Scale Loss"), self)  # the View menu's
        self.log_action.setObjectName("logScaleAction")
        self.log_action.setCheckable(True)
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.toggled.connect(self.log_check.setChecked)
        self.log_check.toggled.connect(self.log_action.setChecked)
        self.readout = QLabel(
            self.tr("Move the mouse over a plot to read values."), self
        )
        self.readout.setObjectName("curveReadout")
        self.epoch_one_note = QLabel(self)  # why epoch 1 trains worse than it validates
        self.epoch_one_note.setObjectName("epochOneNote")
        self.epoch_one_note.setWordWrap(True)
        self.epoch_one_note.hide()
        self._build_layout()
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.scene().sigMouseMoved.connect(
                lambda pos, p=plot: self._on_plot_mouse_moved(p, pos)
            )
        self.apply_palette()

    def _make_items(self) -> dict[str, pg.PlotDataItem]:
        lp, ap = self.loss_plot, self.accuracy_plot
        return {
            # 1-px pens: Qt's raster engine draws wide pens many times slower
            "raw": _curve(lp, COLORS["raw"], self.tr("batch (raw)"), 1.0, alpha=110),
            "smooth": _curve(lp, COLORS["smooth"], self.tr("batch (smoothed)"), 1.0),
            "train": _curve(lp, COLORS["train"], self.tr("train / epoch"), 2.0, "o"),
            "val": _curve(lp, COLORS["val"], self.tr("validation / epoch"), 2.0, "o"),
            "val_acc": _curve(ap, COLORS["val_acc"], self.tr("validation"), 2.0, "o"),
            "train_acc": _curve(ap, COLORS["train_acc"], self.tr("train"), 1.5, "t"),
        }

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.log_check)
        bar.addStretch(1)
        bar.addWidget(self.readout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stale_notice)
        layout.addLayout(bar)
        layout.addWidget(self.epoch_one_note)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)

    # --- data in ----------------------------------------------------------------------
    def bind(self, studio: Studio) -> None:
        """Follow the studio's runs (drawn even while hidden) and compare them with
        the network in the editor."""
        self.studio = studio
        studio.controller.sig_event.connect(self._on_controller_event)
        studio.frame_clock.register(self)
        studio.document.sig_fingerprint_changed.connect(
            self._on_document_fingerprint_changed
        )

    @Slot(object)
    def _on_controller_event(self, event: object) -> None:
        self.on_event(event)

    @Slot(str)
    def _on_document_fingerprint_changed(self, fingerprint: str) -> None:
        self.check_stamp(fingerprint)

    def on_event(self, event: Any) -> None:
        if isinstance(event, Step):
            self._add_step(event)
        elif isinstance(event, Epoch):
            if event.epoch == 1:
                self._note_epoch_one(event.train_loss, event.val_loss)
            self._add_epoch(
                event.epoch,
                event.train_loss,
                event.val_loss,
                event.val_accuracy,
                event.val_r2,
                event.train_accuracy,
            )
        elif isinstance(event, Started):
            self.epoch_one_note.hide()
            self.clear()
            if self.studio is not None:
                self.stamp(self.studio.controller.run_fingerprint)
            self.task, self.epochs = event.task, event.epochs
            self._steps_per_epoch = max(1, event.steps_per_epoch)
            self._retitle()
        elif isinstance(event, Finished):
            if event.metrics.get("error") == "non-finite":
                self.mark_divergence(event.steps / self._steps_per_epoch)
            self.refresh(both=True)  # even when hidden: the plots keep the final curves

    def _note_epoch_one(self, train_loss: float, val_loss: float) -> None:
        from nnstudio.core.training.coach import EPOCH_ONE_NOTE, epoch_one_note
        from nnstudio.ui.messages import core_text

        show = epoch_one_note(train_loss, val_loss)
        if show:
            self.epoch_one_note.setText(core_text(EPOCH_ONE_NOTE))
        self.epoch_one_note.setVisible(show)

    def mark_divergence(self, x: float) -> None:
        """A red line where the loss became NaN/Inf: the curve itself just stops."""
        if self.divergence is not None:
            return
        line = pg.InfiniteLine(
            pos=x,
            angle=90,
            pen=pg.mkPen(COLORS["val"], width=1, style=Qt.PenStyle.DashLine),
            label=self.tr("loss became NaN/Inf"),
            labelOpts={"position": 0.85, "color": COLORS["val"]},
        )
        line.setObjectName("divergenceMarker")
        self.loss_plot.addItem(line)
        self.divergence = line

    def _add_step(self, event: Step) -> None:
        loss = float(event.loss)
        self.raw.append(event.progress, loss)
        if not np.isfinite(loss):
            self.mark_divergence(event.progress)
        else:
            keep = SMOOTHING ** max(1, event.step - self._ema_step)
            self._ema_step = event.step
            self._ema = keep * self._ema + (1 - keep) * loss
            self._ema_norm = keep * self._ema_norm + (1 - keep)  # debiasing
            self.smooth.append(event.progress, self._ema / self._ema_norm)
        self.dirty = True

    def _add_epoch(
        self,
        epoch: float,
        train: float,
        val: float,
        acc: float | None,
        r2: float | None,
        train_acc: float | None,
    ) -> None:
        self.epoch["train"].append(epoch, train)
        self.epoch["val"].append(epoch, val)
        score = acc if acc is not None else r2
        if score is not None:
            self.epoch["val_acc"].append(
                epoch, 100.0 * score if acc is not None else score
            )
        if train_acc is not None:
            self.epoch["train_acc"].append(epoch, 100.0 * train_acc)
        self.dirty = True

    def load_history(self, history: list[dict[str, Any]]) -> None:
        """Show the per-epoch curves of a saved project."""
        self.clear()
        for row in history:
            if "epoch" in row and "train_loss" in row:
                self._add_epoch(
                    row["epoch"],
                    row["train_loss"],
                    row.get("val_loss", np.nan),
                    row.get("val_accuracy"),
                    row.get("val_r2"),
                    row.get("train_accuracy"),
                )
        self.dirty = True

    def clear(self) -> None:
        for series in (self.raw, self.smooth, *self.epoch.values()):
            series.clear()
        self._ema = self._ema_norm = 0.0
        self._ema_step = 0
        self._x_limit = 0.0
        if self.divergence is not None:
            self.loss_plot.removeItem(self.divergence)
            self.divergence = None
        self.dirty = True

    def _retitle(self) -> None:
        item = self.accuracy_plot.getPlotItem()
        if self.task == "regression":
            item.setTitle(self.tr("Validation R² (1 = perfect fit)"))
            item.setLabel("left", "R²")
            item.enableAutoRange(y=True)
        else:
            item.setTitle(self.tr("Validation accuracy"))
            item.setLabel("left", self.tr("accuracy %"))
            item.setYRange(0.0, 100.0, padding=0.02)  # fixed: no re-layout per epoch

    # --- drawing ----------------------------------------------------------------------
    def refresh(self, both: bool = False) -> None:
        """Called by the FrameClock: push the buffers into the existing items.

        One plot per frame, taking turns (unless `both`): Qt paints every dirty
        widget of a window in one go, so updating both plots at once would double
        the longest stall of the GUI thread.
        """
        log = self.log_check.isChecked()
        pending = [
            names
            for names in (LOSS_ITEMS, ACCURACY_ITEMS)
            if any(self._drawn.get(n) != (self._series(n).version, log) for n in names)
        ]
        if len(pending) == 2 and not both and self.isVisible():
            pending = [pending[self._turn % 2]]
            self._turn += 1
            self.dirty = True  # the other plot waits for the next frame
        else:
            self.dirty = False
        for names in pending:
            for name in names:
                self._draw(name, log)
        self._update_x_range()

    def _series(self, name: str) -> Series:
        return self.epoch.get(name) or (self.raw if name == "raw" else self.smooth)

    def _draw(self, name: str, log: bool) -> None:
        series = self._series(name)
        if self._drawn.get(name) == (series.version, log):
            return  # untouched: no setData, no repaint
        self._drawn[name] = (series.version, log)
        x, y = series.view()
        if log and name in LOSS_ITEMS:
            y = np.where(y > 0, y, np.nan)
        item = self.items[name]
        if name in self.epoch and (len(x) > SYMBOL_MAX) != (
            item.opts["symbol"] is None
        ):
            item.setSymbol(None if len(x) > SYMBOL_MAX else self._symbols[name])
        item.setData(x, y, connect="finite")

    def _update_x_range(self) -> None:
        """Grow the epoch axis in steps (x1.5) rather than every frame: an axis
        whose range is unchanged is not re-laid out, which halves the redraw cost."""
        furthest = max(
            self.raw.x[self.raw.n - 1] if self.raw.n else 0.0,
            self.epoch["train"].x[self.epoch["train"].n - 1]
            if self.epoch["train"].n
            else 0.0,
        )
        if self._x_limit and furthest <= self._x_limit:
            return
        limit = max(1.0, furthest * 1.5)
        self._x_limit = min(limit, self.epochs) if self.epochs else limit
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getPlotItem().setXRange(0.0, self._x_limit, padding=0.02)

    def point_count(self) -> int:
        """Points the loss plot holds (tests check the curves really received data)."""
        return sum(
            len(item.xData) if item.xData is not None else 0
            for name, item in self.items.items()
            if name in ("raw", "train")
        )

    @Slot(bool)
    def _on_log_check_toggled(self, on: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=on)
        self.refresh(both=True)

    def _on_plot_mouse_moved(self, plot: pg.PlotWidget, pos: QPointF) -> None:
        view = plot.getPlotItem().vb
        if not view.sceneBoundingRect().contains(pos):
            return
        x = view.mapSceneToView(pos).x()
        names = (
            ("smooth", "train", "val")
            if plot is self.loss_plot
            else ("val_acc", "train_acc")
        )
        parts = [self.tr("epoch {x}").format(x=f"{x:.2f}")]
        sources = {"smooth": self.smooth, **self.epoch}
        for name in names:
            hit = sources[name].nearest(x)
            if hit is not None:
                label = self.items[name].name() or name
                parts.append(f"{label}: {hit[1]:.4g}")
        self.readout.setText("   ".join(parts))

    # --- theme ------------------------------------------------------------------------
    def apply_palette(self) -> None:
        """Plots follow the window palette (light or dark)."""
        pal = self.palette()
        background = pal.color(QPalette.ColorRole.Base)
        foreground = pal.color(QPalette.ColorRole.Text)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setBackground(background)
            item = plot.getPlotItem()
            for axis in ("left", "bottom"):
                item.getAxis(axis).setPen(foreground)
                item.getAxis(axis).setTextPen(foreground)
            item.titleLabel.setText(item.titleLabel.text, color=foreground.name())
            if item.legend is not None:
                item.legend.setLabelTextColor(foreground)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.dirty:
            self.refresh()

    def changeEvent(self, event: Any) -> None:
        if event.type() == event.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)
