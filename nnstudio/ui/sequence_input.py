"""The Predict tab for sequence networks: type a sequence, read the answer and see
the attention the network pays while it answers.

"3 1 4 1 5 9 2 6 ..." for a token task (the answer is the output tokens), numbers
for a series (the answer is a number, or a class such as odd/even). The Predict
panel shows this widget instead of its drawing canvas when the model takes a
sequence; `set_model` says whether it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.errors import PredictError
from nnstudio.core.predict.sequence import (
    SequencePrediction,
    model_takes_sequence,
    predict_sequence,
    token_count,
)
from nnstudio.ui.views.sequence_sample import label_axis


class SequenceInput(QWidget):
    """Typed sequence in, prediction and attention map out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sequencePredict")
        self._model: Any = None
        self._shape: tuple[int, ...] = ()
        self._names: list[str] = []
        self.result: SequencePrediction | None = None
        self.edit = QLineEdit(self)
        self.edit.setObjectName("sequenceInput")
        self.edit.returnPressed.connect(self.predict)
        self.button = QPushButton(self.tr("Predict"), self)
        self.button.setObjectName("sequencePredictButton")
        self.button.clicked.connect(self.predict)
        self.answer = QLabel(self)
        self.answer.setObjectName("sequenceAnswer")
        self.answer.setWordWrap(True)
        font = self.answer.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.answer.setFont(font)
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("sequenceAttention")
        self.plot.setTitle(self.tr("attention of the last attention layer (heads "
                                   "averaged)"))
        self.plot.setLabel("left", self.tr("query"))
        self.plot.setLabel("bottom", self.tr("key"))
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.plot.addItem(self.image)
        self.plot.hide()
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Type a sequence (numbers separated by spaces "
                                        "or commas):"), self))
        layout.addLayout(row)
        layout.addWidget(self.answer)
        layout.addWidget(self.plot, 1)

    def set_model(self, model: Any, input_shape: Sequence[int] | None,
                  class_names: Sequence[str] | None = None) -> bool:
        """Use `model` if it takes a sequence; return whether it does."""
        shape = tuple(input_shape or ())
        if model is None or not model_takes_sequence(model, shape):
            self._model = None
            return False
        self._model, self._shape = model, shape
        self._names = [str(n) for n in class_names or ()]
        tokens = token_count(model)
        steps = shape[0] if shape else 0
        if tokens is not None:
            example = " ".join(str(v % tokens) for v in (3, 1, 4, 1, 5, 9, 2, 6) * 4)
            example = " ".join(example.split()[:steps])
            self.edit.setPlaceholderText(self.tr("{n} token ids from 0 to {top}, e.g. "
                                                 "{example}").format(
                n=steps, top=tokens - 1, example=example))
        else:
            self.edit.setPlaceholderText(self.tr("{n} numbers ({shape})").format(
                n=int(np.prod(shape)), shape=" x ".join(map(str, shape))))
        self.answer.setText(self.tr("Type a sequence and press Enter."))
        return True

    @Slot()
    def predict(self) -> SequencePrediction | None:
        """Predict the typed sequence; a problem becomes the answer line."""
        if self._model is None or not self.edit.text().strip():
            return None
        task = "classification" if self._names else "regression"
        try:
            self.result = predict_sequence(self._model, self._shape, self.edit.text(),
                                           task=task, class_names=self._names)
        except PredictError as exc:
            self.result = None
            self.answer.setText(str(exc))
            self.plot.hide()
            return None
        self.answer.setText(self._words(self.result))
        self._draw_attention(self.result)
        return self.result

    def _words(self, result: SequencePrediction) -> str:
        if isinstance(result.prediction, list):
            tokens = " ".join(str(v) for v in result.prediction)
            return self.tr("Output tokens: {tokens}").format(tokens=tokens)
        if isinstance(result.prediction, float):
            return self.tr("Prediction: {value:.4g}").format(value=result.prediction)
        best = max(result.probabilities or [0.0])
        return self.tr("Prediction: {label} ({p:.0%})").format(
            label=result.prediction, p=best)

    def _draw_attention(self, result: SequencePrediction) -> None:
        if result.attention is None:
            self.plot.hide()
            return
        matrix = np.asarray(result.attention, dtype=float)
        self.image.setImage(matrix, autoLevels=False, levels=(0.0, 1.0))
        self.image.setRect(QRectF(0, 0, matrix.shape[1], matrix.shape[0]))
        words = self.edit.text().replace(",", " ").split()
        label_axis(self.plot.getAxis("bottom"), words[: matrix.shape[1]])
        label_axis(self.plot.getAxis("left"), words[: matrix.shape[0]])
        self.plot.show()
