"""The Predict tab's two display widgets: the prediction bars (a bar per class,
the top one highlighted) and "what the model sees" (the prepared model input as
pixels). Painted with QPainter in the palette's colours, so both themes read well.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnstudio.core.predict.predictor import Prediction, class_labels

PREVIEW_SIZE = 140  # 5x a 28 px input: every pixel the model sees stays visible
MAX_BARS = 20  # more classes (CIFAR-100) show the 20 most likely


class PredictionBars(QWidget):
    """A bar per class: name, softmax probability; the top class highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionBars")
        self.setMinimumSize(220, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip(
            self.tr("The model's probability for every class (softmax of its outputs)")
        )
        self._names: list[str] = []
        self._probs: np.ndarray | None = None
        self._top: int | None = None

    def set_classes(self, names: Sequence[str]) -> None:
        """Show the class names with empty bars (no prediction yet)."""
        self._names = list(names)
        self.clear()

    def set_prediction(self, prediction: Prediction, names: Sequence[str]) -> None:
        self._names = class_labels(names, len(prediction.probabilities))
        self._probs = prediction.probabilities.copy()
        self._top = prediction.top
        self.update()

    def clear(self) -> None:
        self._probs = None
        self._top = None
        self.update()

    def probabilities(self) -> np.ndarray | None:
        """The probabilities shown (None when there is no prediction)."""
        return None if self._probs is None else self._probs.copy()

    def top_label(self) -> str | None:
        return None if self._top is None else self._names[self._top]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(280, 24 * max(len(self._names), 10))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        rows = self._rows()
        if not rows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        name_w = max(metrics.horizontalAdvance(self._names[i]) for i in rows) + 8
        value_w = metrics.horizontalAdvance("100.0%") + 8
        row_h = self.height() / len(rows)
        bar_w = max(self.width() - name_w - value_w, 10)
        for row, index in enumerate(rows):
            self._paint_row(painter, index, QRectF(0, row * row_h, self.width(), row_h),
                            name_w, bar_w)  # fmt: skip
        painter.end()

    def _rows(self) -> list[int]:
        if self._probs is None or len(self._names) <= MAX_BARS:
            return list(range(min(len(self._names), MAX_BARS)))
        return sorted(np.argsort(self._probs)[::-1][:MAX_BARS].tolist())

    def _paint_row(
        self, painter: QPainter, index: int, rect: QRectF, name_w: float, bar_w: float
    ) -> None:
        top = index == self._top
        p = 0.0 if self._probs is None else float(self._probs[index])
        palette = self.palette()
        font = QFont(self.font())
        font.setBold(top)
        painter.setFont(font)
        painter.setPen(palette.windowText().color())
        align = Qt.AlignmentFlag.AlignVCenter
        name_rect = QRectF(rect.x(), rect.y(), name_w - 6, rect.height())
        painter.drawText(
            name_rect, align | Qt.AlignmentFlag.AlignRight, self._names[index]
        )
        track = QRectF(
            name_w, rect.y() + rect.height() * 0.2, bar_w, rect.height() * 0.6
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_faint(palette.mid().color()))
        painter.drawRoundedRect(track, 3, 3)
        if p > 0:
            fill = palette.highlight().color() if top else palette.mid().color()
            painter.setBrush(fill)
            painter.drawRoundedRect(
                QRectF(track.x(), track.y(), bar_w * p, track.height()), 3, 3
            )
        if self._probs is not None:
            painter.setPen(palette.windowText().color())
            value_rect = QRectF(
                name_w + bar_w + 6, rect.y(), rect.width(), rect.height()
            )
            painter.drawText(value_rect, align | Qt.AlignmentFlag.AlignLeft, f"{p:.1%}")


class InputPreview(QWidget):
    """The exact model input, de-normalized and blown up with nearest neighbours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelInputPreview")
        self.setFixedSize(PREVIEW_SIZE, PREVIEW_SIZE)
        self.setToolTip(
            self.tr(
                "What the model sees: your drawing cropped, scaled to fit 20x20 and "
                "centred by its centre of mass in 28x28, like the MNIST digits"
            )
        )
        self._image: QImage | None = None

    def set_pixels(self, pixels: np.ndarray | None) -> None:
        """pixels: H x W or H x W x 3 in [0, 1], or None for an empty field."""
        if pixels is None:
            self._image = None
        else:
            self._image = _to_qimage(
                np.round(np.clip(pixels, 0, 1) * 255).astype(np.uint8)
            )
        self.update()

    def pixels(self) -> np.ndarray | None:
        if self._image is None:
            return None
        return _from_qimage(self._image)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(QRectF(self.rect()), self._image)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()


def _faint(color: QColor) -> QColor:
    faint = QColor(color)
    faint.setAlphaF(0.25)
    return faint


def _to_qimage(pixels: np.ndarray) -> QImage:
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    if pixels.ndim == 2:
        image = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        image = QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: the numpy buffer goes away


def _from_qimage(image: QImage) -> np.ndarray:
    gray = image.format() == QImage.Format.Format_Grayscale8
    channels = 1 if gray else 3
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine()
    )
    pixels = rows[:, : image.width() * channels].reshape(
        image.height(), image.width(), channels
    )
    return pixels[:, :, 0].copy() if gray else pixels.copy()
