"""What the sequence views share: the validation sample they look at, its tokens as
axis labels, and a hint shown while the network has no sequence layers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

MAX_LABELS = 40  # tick labels on a sequence axis; longer sequences label every n-th


class SampleChooser(QWidget):
    """'Validation sample [n]': which sample the sequence probes look at. Writes the
    trainer's ProbeRequest so the next probe is about that sample."""

    sig_changed = Signal(int)

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio: Any = None  # the ui.studio.Studio of the view it sits in
        self.spin = QSpinBox(self)
        self.spin.setObjectName(object_name)
        self.spin.setRange(0, 0)
        self.spin.valueChanged.connect(self._on_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Validation sample"), self))
        layout.addWidget(self.spin)
        layout.addStretch(1)

    def set_count(self, count: int) -> None:
        self.spin.setRange(0, max(0, count - 1))

    def value(self) -> int:
        return self.spin.value()

    @Slot(int)
    def _on_changed(self, index: int) -> None:
        controller = getattr(self.studio, "controller", None)
        request = getattr(controller, "probe_request", None)
        if request is not None:
            request.set(sequence_index=index)
        self.sig_changed.emit(index)


def step_labels(sample: np.ndarray | None, steps: int) -> list[str]:
    """The tokens of a token sample ("3", "1", ...), else the step numbers."""
    if (
        sample is not None
        and sample.ndim == 1
        and np.issubdtype(sample.dtype, np.integer)
    ):
        return [str(int(v)) for v in sample[:steps]]
    return [str(t) for t in range(steps)]


def label_axis(axis: pg.AxisItem, labels: list[str]) -> None:
    """Tick i at the middle of cell i, labelled `labels[i]`."""
    every = max(1, -(-len(labels) // MAX_LABELS))
    ticks = [(i + 0.5, text) for i, text in enumerate(labels) if i % every == 0]
    axis.setTicks([ticks, []])


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sequenceHint")
    label.setWordWrap(True)
    return label
