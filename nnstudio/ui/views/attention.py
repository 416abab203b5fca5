"""Attention: the query x key weights of every attention layer and head, live.

For the validation sample chosen above the map: rows are queries (the step that
looks), columns are keys (the step looked at), the sample's tokens label both axes.
On `reverse` the anti-diagonal forms as each output step learns to look at its mirror
position. A click on a cell explains its number: softmax(q·k/√d) over the row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnstudio.core.training.events import Probe, Started
from nnstudio.ui.views.base import View, short_layer
from nnstudio.ui.views.sequence_sample import (
    SampleChooser,
    hint,
    label_axis,
    step_labels,
)

AVERAGE = -1  # the head box's "average of the heads"


class AttentionView(View):
    PROBES = frozenset({"attention"})
    FROM_WEIGHTS = frozenset({"attention"})  # an opened project: at once
    TITLE = "Attention"
    MIN_INTERVAL_S = 0.2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionView")
        self.maps: dict[str, np.ndarray] = {}  # layer -> heads x query x key
        self.sample: np.ndarray | None = None
        self.shown: np.ndarray | None = None  # the query x key matrix drawn
        self.frames = 0
        self._build()

    def _build(self) -> None:
        self.chooser = SampleChooser("attentionSample", self)
        self.layer_box = QComboBox(self)
        self.layer_box.setObjectName("attentionLayer")
        self.layer_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.head_box = QComboBox(self)
        self.head_box.setObjectName("attentionHead")
        for box in (self.layer_box, self.head_box):
            box.currentIndexChanged.connect(self._on_choice)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("attentionPlot")
        self.plot.setLabel("left", self.tr("query (the step that looks)"))
        self.plot.setLabel("bottom", self.tr("key (the step looked at)"))
        self.plot.invertY(True)  # first query at the top, as a matrix is written
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.plot.addItem(self.image)
        self.plot.scene().sigMouseClicked.connect(self._on_clicked)
        self.hint = hint(
            self.tr(
                "Attention maps appear while a network with a MultiheadAttention or "
                "TransformerEncoderLayer trains (try the preset attention-reverse)."
            )
        )
        self.explain = QLabel(self.tr("Click a cell to see what its number means."))
        self.explain.setObjectName("attentionExplain")
        self.explain.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(self.chooser)
        controls.addWidget(QLabel(self.tr("Layer")))
        controls.addWidget(self.layer_box)
        controls.addWidget(QLabel(self.tr("Head")))
        controls.addWidget(self.head_box)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.hint)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.explain)

    # --- data ----------------------------------------------------------------------
    def set_data(self, data: Any) -> None:
        self.chooser.studio = self.studio  # the chooser writes its probe request
        self.chooser.set_count(len(data.x_val) if data is not None else 0)

    def reset(self, started: Started | None = None) -> None:
        self.maps, self.shown = {}, None
        self.image.clear()

    def _on_probe(self, e: Probe) -> bool:
        if not e.attention:
            return False
        self.maps = dict(e.attention)
        self.sample = e.sequence_input
        return True

    def _sync_boxes(self) -> None:
        layers = list(self.maps)
        if [
            self.layer_box.itemData(i) for i in range(self.layer_box.count())
        ] != layers:
            self.layer_box.blockSignals(True)
            self.layer_box.clear()
            for name in layers:
                self.layer_box.addItem(short_layer(name), name)
            self.layer_box.setCurrentIndex(len(layers) - 1)  # the last: nearest out
            self.layer_box.blockSignals(False)
        heads = self.maps[self.layer_box.currentData()].shape[0]
        if self.head_box.count() != heads + 1:
            self.head_box.blockSignals(True)
            self.head_box.clear()
            self.head_box.addItem(self.tr("average of the heads"), AVERAGE)
            for h in range(heads):
                self.head_box.addItem(self.tr("head {n}").format(n=h + 1), h)
            self.head_box.setCurrentIndex(0 if heads > 1 else 1)
            self.head_box.blockSignals(False)

    def draw(self) -> None:
        self.hint.setVisible(not self.maps)
        if not self.maps:
            return
        self._sync_boxes()
        maps = self.maps[self.layer_box.currentData()]
        head = self.head_box.currentData()
        self.shown = maps.mean(axis=0) if head in (None, AVERAGE) else maps[head]
        queries, keys = self.shown.shape
        self.image.setImage(self.shown, autoLevels=False, levels=(0.0, 1.0))
        self.image.setRect(QRectF(0, 0, keys, queries))
        labels = step_labels(self.sample, keys)
        label_axis(self.plot.getAxis("bottom"), labels)
        label_axis(self.plot.getAxis("left"), labels[:queries])
        self.frames += 1

    @Slot(int)
    def _on_choice(self, _index: int) -> None:
        self.dirty = True
        self.refresh()

    # --- explaining a cell -----------------------------------------------------------
    def _on_clicked(self, event: Any) -> None:
        if self.shown is None:
            return
        point = self.image.mapFromScene(event.scenePos())
        self.explain_cell(int(point.y()), int(point.x()))

    def explain_cell(self, query: int, key: int) -> str:
        """Say what the weight of (query, key) is, in the user's language."""
        if self.shown is None:
            return ""
        queries, keys = self.shown.shape
        if not (0 <= query < queries and 0 <= key < keys):
            return ""
        row = self.shown[query]
        weight = float(row[key])
        best = int(row.argmax())
        labels = step_labels(self.sample, keys)
        gap = np.log(max(float(row[best]), 1e-12) / max(weight, 1e-12))
        text = self.tr(
            "Query step {q} (token {qt}) gives key step {k} (token {kt}) the weight "
            "{w:.3f}: softmax over the row of the scores q·k/√d (the query's vector "
            "dotted with each key's, divided by the square root of the head width), "
            "so the {n} weights of the row add up to 1. Its score is {gap:.2f} below "
            "the row's highest, at key step {b} (token {bt})."
        ).format(
            q=query,
            qt=labels[query] if query < len(labels) else query,
            k=key,
            kt=labels[key],
            w=weight,
            n=keys,
            gap=gap,
            b=best,
            bt=labels[best],
        )
        if self.head_box.currentData() in (None, AVERAGE) and self.head_box.count() > 2:
            text += " " + self.tr("(Shown: the average of the heads' weights.)")
        self.explain.setText(text)
        return text
