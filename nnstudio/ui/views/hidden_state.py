"""Hidden state: what a recurrent layer holds at each time step, as a heat map.

Units down, time steps across (first on the left), for the chosen validation sample:
on the sine forecast the units oscillate with the signal; on parity an LSTM unit
flips with every 1 it reads.
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


class HiddenStateView(View):
    PROBES = frozenset({"hidden_state"})
    FROM_WEIGHTS = frozenset({"hidden_state"})  # an opened project: at once
    TITLE = "Hidden state"
    MIN_INTERVAL_S = 0.2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hiddenStateView")
        self.states: dict[str, np.ndarray] = {}  # layer -> units x time
        self.sample: np.ndarray | None = None
        self.chooser = SampleChooser("hiddenStateSample", self)
        self.layer_box = QComboBox(self)
        self.layer_box.setObjectName("hiddenStateLayer")
        self.layer_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_box.currentIndexChanged.connect(self._on_choice)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("hiddenStatePlot")
        self.plot.setLabel("left", self.tr("unit"))
        self.plot.setLabel("bottom", self.tr("time step"))
        self.plot.invertY(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("CET-D1"))  # diverging: sign shows
        self.plot.addItem(self.image)
        self.hint = hint(
            self.tr(
                "The hidden state appears while a network with an RNN, LSTM or GRU "
                "trains "
                "(try the preset lstm-sine)."
            )
        )
        controls = QHBoxLayout()
        controls.addWidget(self.chooser)
        controls.addWidget(QLabel(self.tr("Layer")))
        controls.addWidget(self.layer_box)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.hint)
        layout.addWidget(self.plot, 1)

    def set_data(self, data: Any) -> None:
        self.chooser.studio = self.studio  # the chooser writes its probe request
        self.chooser.set_count(len(data.x_val) if data is not None else 0)

    def reset(self, started: Started | None = None) -> None:
        self.states = {}
        self.image.clear()

    def _on_probe(self, e: Probe) -> bool:
        if not e.hidden_state:
            return False
        self.states = dict(e.hidden_state)
        self.sample = e.sequence_input
        return True

    @Slot(int)
    def _on_choice(self, _index: int) -> None:
        self.dirty = True
        self.refresh()

    def draw(self) -> None:
        self.hint.setVisible(not self.states)
        if not self.states:
            return
        layers = list(self.states)
        if [
            self.layer_box.itemData(i) for i in range(self.layer_box.count())
        ] != layers:
            self.layer_box.blockSignals(True)
            self.layer_box.clear()
            for name in layers:
                self.layer_box.addItem(short_layer(name), name)
            self.layer_box.blockSignals(False)
        state = self.states[self.layer_box.currentData() or layers[0]]
        units, steps = state.shape
        top = float(np.nanmax(np.abs(state))) if state.size else 1.0
        self.image.setImage(
            state, autoLevels=False, levels=(-max(top, 1e-6), max(top, 1e-6))
        )
        self.image.setRect(QRectF(0, 0, steps, units))
        label_axis(self.plot.getAxis("bottom"), step_labels(self.sample, steps))
