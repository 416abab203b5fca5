"""Evaluation after each epoch: confusion matrix, per-class accuracy, the mistakes.

Clicking a cell of the matrix lists the validation samples in it, most confidently
wrong first, each with its true and predicted label: the fastest way for a student to
see *why* the network errs (a sloppy 4 that really looks like a 9).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.training.events import EpochEval, Started
from nnstudio.ui.studio import current_data
from nnstudio.ui.views.base import View, class_color
from nnstudio.ui.views.tiles import to_qimage

MAX_LISTED = 64  # samples listed for a cell (the trainer sends at most this many)
MAX_TEXT_CLASSES = 20  # beyond this, cell counts would be unreadable: colour only
ICON_PX = 48


class EvaluationView(View):
    PROBES: frozenset[str] = frozenset()  # EpochEval comes with every epoch anyway
    TITLE = "Evaluation"
    MIN_INTERVAL_S = 0.5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationView")
        self.class_names: tuple[str, ...] = ()
        self.latest: EpochEval | None = None
        self.cell: tuple[int, int] | None = None
        self._texts: list[pg.TextItem] = []
        self._build()

    def _build(self) -> None:
        self.matrix = pg.PlotWidget()
        self.matrix.setObjectName("confusionMatrix")
        self.matrix.setLabel("left", self.tr("true class"))
        self.matrix.setLabel("bottom", self.tr("predicted class"))
        self.matrix.invertY(True)
        self.matrix.setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.matrix.addItem(self.image)
        self.matrix.scene().sigMouseClicked.connect(self._on_matrix_clicked)
        self.accuracy = pg.PlotWidget()
        self.accuracy.setObjectName("perClassAccuracy")
        self.accuracy.setTitle(self.tr("accuracy per class"))
        self.accuracy.setYRange(0, 1)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.accuracy.addItem(self.bars)
        self.caption = QLabel(self._waiting_text())
        self.caption.setWordWrap(True)
        self.samples = QListWidget()
        self.samples.setObjectName("evaluationSamples")
        self.samples.setIconSize(QSize(ICON_PX, ICON_PX))
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.matrix)
        top.addWidget(self.accuracy)
        bottom = QWidget()
        box = QVBoxLayout(bottom)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.caption)
        box.addWidget(self.samples, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _waiting_text(self) -> str:
        return self.tr(
            "The confusion matrix appears after the first epoch. "
            "Click a cell to see its samples."
        )

    def reset(self, started: Started | None = None) -> None:
        self.latest, self.cell = None, None
        self.class_names = tuple(started.class_names) if started else ()
        self.samples.clear()
        self.caption.setText(self._waiting_text())

    def _on_epoch_eval(self, e: EpochEval) -> bool:
        self.latest = e
        return True

    def _names(self, n: int) -> tuple[str, ...]:
        names = self.class_names
        return names if len(names) == n else tuple(str(i) for i in range(n))

    def draw(self) -> None:
        e = self.latest
        if e is None:
            return
        cm = np.asarray(e.confusion, dtype=float)
        n = cm.shape[0]
        rows = cm.sum(axis=1, keepdims=True)
        share = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)
        self.image.setImage(share, autoLevels=False, levels=(0, 1))
        self.image.setRect(QRectF(0, 0, n, n))
        self._draw_counts(cm)
        self._draw_axes(n)
        acc = np.nan_to_num(np.asarray(e.per_class_accuracy, dtype=float))
        self.bars.setOpts(
            x=np.arange(n),
            height=acc,
            brushes=[pg.mkBrush(*class_color(i)) for i in range(n)],
        )
        if self.cell is not None:
            self.select_cell(*self.cell)
        else:
            self._summarize(cm)
            self._list_samples(self.worst_mistakes())

    def _summarize(self, cm: np.ndarray) -> None:
        """Until a cell is picked: how many are right, and the most confident
        mistakes of every cell below (they were there only after a click)."""
        right, total = int(np.trace(cm)), int(cm.sum())
        self.caption.setText(
            self.tr(
                "{right} of {total} validation samples classified correctly. The most "
                "confident mistakes are listed below; click a cell to see its samples."
            ).format(right=f"{right:,}", total=f"{total:,}")
        )

    def worst_mistakes(self) -> list[tuple[int, int, int, float]]:
        """Every mistake the run sent, most confident first."""
        if self.latest is None:
            return []
        return sorted(self.latest.mistakes, key=lambda m: -m[3])[:MAX_LISTED]

    def _draw_counts(self, cm: np.ndarray) -> None:
        n = cm.shape[0]
        wanted = n * n if n <= MAX_TEXT_CLASSES else 0
        while len(self._texts) > wanted:
            self.matrix.removeItem(self._texts.pop())
        while len(self._texts) < wanted:
            item = pg.TextItem(anchor=(0.5, 0.5))
            self.matrix.addItem(item)
            self._texts.append(item)
        rows = cm.sum(axis=1)
        for k, item in enumerate(self._texts):
            t, p = divmod(k, n)
            item.setText(f"{int(cm[t, p])}")
            dark = rows[t] > 0 and cm[t, p] / rows[t] > 0.6  # yellow cell: dark text
            item.setColor((20, 20, 20) if dark else (230, 230, 230))
            item.setPos(p + 0.5, t + 0.5)

    def _draw_axes(self, n: int) -> None:
        names = self._names(n)
        ticks = [[(i + 0.5, names[i][:8]) for i in range(n)]]
        self.matrix.getAxis("left").setTicks(ticks)
        self.matrix.getAxis("bottom").setTicks(ticks)
        self.accuracy.getAxis("bottom").setTicks(
            [[(i, names[i][:8]) for i in range(n)]]
        )

    # --- the samples in a cell --------------------------------------------------------
    @Slot(object)
    def _on_matrix_clicked(self, event: Any) -> None:
        vb = self.matrix.getPlotItem().vb
        if self.latest is None or not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = vb.mapSceneToView(event.scenePos())
        n = len(self.latest.confusion)
        if 0 <= p.x() < n and 0 <= p.y() < n:
            self.select_cell(int(p.y()), int(p.x()))

    def cell_samples(self, true: int, pred: int) -> list[tuple[int, int, int, float]]:
        """(val index, true, pred, confidence) in the cell, most confident first."""
        if self.latest is None:
            return []
        picked = [m for m in self.latest.mistakes if m[1] == true and m[2] == pred]
        return sorted(picked, key=lambda m: -m[3])[:MAX_LISTED]

    def select_cell(self, true: int, pred: int) -> None:
        self.cell = (true, pred)
        self.samples.clear()
        if self.latest is None:
            return
        names = self._names(len(self.latest.confusion))
        count = int(self.latest.confusion[true][pred])
        if true == pred:
            self.caption.setText(
                self.tr("{n} samples of {name} classified correctly.").format(
                    n=count, name=names[true]
                )
            )
            return
        listed = self.cell_samples(true, pred)
        self.caption.setText(
            self.tr(
                "{n} samples of {t} taken for {p}; "
                "the {k} most confident mistakes first:"
            ).format(n=count, t=names[true], p=names[pred], k=len(listed))
        )
        self._list_samples(listed)

    def _list_samples(self, listed: list[tuple[int, int, int, float]]) -> None:
        self.samples.clear()
        if self.latest is None:
            return
        names = self._names(len(self.latest.confusion))
        for index, t, p, conf in listed:
            text = self.tr("#{i}  true: {t}  predicted: {p} ({c})").format(
                i=index, t=names[t], p=names[p], c=f"{conf:.0%}"
            )
            item = QListWidgetItem(text)
            icon = self._icon(index)
            if icon is not None:
                item.setIcon(icon)
            self.samples.addItem(item)

    def _icon(self, index: int) -> QIcon | None:
        data = current_data(self.studio)
        if data is None or not data.is_image or index >= len(data.x_val):
            return None
        img = data.x_val[index].cpu().numpy()
        gray = img[0] if img.shape[0] == 1 else img.mean(axis=0).astype(np.uint8)
        return QIcon(QPixmap.fromImage(to_qimage(gray, "CET-L1")))
