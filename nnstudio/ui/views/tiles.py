"""Small image tiles and heat strips painted with QPainter: cheap, clickable widgets.

A feature-map grid has up to 64 tiles per layer, redrawn twice a second at most; a
plain QWidget that paints one QImage is the lightest thing that can also be clicked.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from nnstudio.ui.views.base import lut

_LUTS: dict[str, np.ndarray] = {}


def to_qimage(a: np.ndarray, cmap: str = "viridis") -> QImage:
    """uint8 H x W -> RGB QImage through a colour map (a copy: numpy may move on)."""
    table = _LUTS.setdefault(cmap, lut(cmap))
    rgb = np.ascontiguousarray(table[np.asarray(a, dtype=np.uint8)])
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def scale_to_uint8(v: np.ndarray, symmetric: bool = False) -> np.ndarray:
    v = np.nan_to_num(np.asarray(v, dtype=float))
    if symmetric:
        m = float(np.abs(v).max()) or 1.0
        return ((v / m + 1) * 127.5).astype(np.uint8)
    lo, hi = float(v.min(initial=0.0)), float(v.max(initial=0.0))
    return ((v - lo) / ((hi - lo) or 1.0) * 255).astype(np.uint8)


class ImageTile(QWidget):
    """One small image; emits `sig_clicked(key)` when clicked."""

    sig_clicked = Signal(object)

    def __init__(
        self,
        key: object,
        size: int = 56,
        cmap: str = "viridis",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("featureTile")
        self.key = key
        self.cmap = cmap
        self.image: QImage | None = None
        self.selected = False
        self._size = size
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._size, self._size)

    def set_array(self, a: np.ndarray) -> None:
        self.image = to_qimage(a, self.cmap)
        self.update()

    def set_selected(self, on: bool) -> None:
        self.selected = on
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        rect = self.rect().adjusted(1, 1, -1, -1)
        if self.image is None:
            painter.fillRect(rect, QColor(40, 40, 40))
        else:
            painter.drawImage(_fit(rect, self.image.size()), self.image)
        if self.selected:
            painter.setPen(QPen(QColor("#ff7f0e"), 2))
            painter.drawRect(rect)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.sig_clicked.emit(self.key)
        super().mousePressEvent(event)


def _fit(rect: QRect, size: QSize) -> QRect:
    """The largest rect of the image's aspect centred in `rect`: square pixels."""
    scaled = size.scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = rect.x() + (rect.width() - scaled.width()) // 2
    y = rect.y() + (rect.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


class HeatStrip(QWidget):
    """A vector as one row of coloured cells (Linear layer activations)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationStrip")
        self.image: QImage | None = None
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(300, 22)

    def set_vector(self, v: np.ndarray) -> None:
        self.image = to_qimage(scale_to_uint8(v, symmetric=True)[None, :], "CET-D1")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if self.image is not None:
            painter = QPainter(self)
            painter.drawImage(self.rect(), self.image)
            painter.end()


class TileGrid(QWidget):
    """A grid of ImageTiles, resized to the number of channels it is given."""

    sig_tile_clicked = Signal(object)

    def __init__(
        self,
        name: str,
        columns: int = 10,
        size: int = 56,
        tile_name: str = "featureTile",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name, self.columns, self.size = name, columns, size
        self.tile_name = tile_name
        self.tiles: list[ImageTile] = []
        self._layout = QGridLayout(self)
        self._layout.setSpacing(2)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )

    def set_images(self, images: np.ndarray) -> None:
        """images: N x H x W uint8; one tile per image."""
        self._ensure(len(images))
        for tile, a in zip(self.tiles, images, strict=False):
            tile.set_array(a)

    def _ensure(self, n: int) -> None:
        while len(self.tiles) > n:
            tile = self.tiles.pop()
            self._layout.removeWidget(tile)
            tile.deleteLater()
        while len(self.tiles) < n:
            i = len(self.tiles)
            tile = ImageTile((self.name, i), self.size, parent=self)
            tile.setObjectName(self.tile_name)
            tile.setToolTip(f"{self.name}: channel {i + 1}")
            tile.sig_clicked.connect(self.sig_tile_clicked)
            self._layout.addWidget(tile, i // self.columns, i % self.columns)
            self.tiles.append(tile)
