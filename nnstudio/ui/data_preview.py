"""The data box's preview: a few samples of the chosen dataset, drawn as it suits.

A scatter for 2-D points (coloured by class) and 1-D curves, a grid of labelled
images, or the first rows of a table. It lives beside the dataset chooser
(ui/data_box.py), not with the training curves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnstudio.ui.sequence_preview import (
    SEQUENCE_KINDS,
    clear_sequences,
    draw_sequences,
)

CLASS_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)  # tab10, as the views use
MAX_SCATTER = 3000  # points drawn in the preview; more only blur into each other
TILES = 12  # image samples in the preview grid


class DataPreview(QWidget):
    """A few samples of the dataset: a scatter for 2-D points and 1-D curves, a grid
    of labelled images, or the first rows of a table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPreview")
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("dataScatter")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(120)
        self.plot.setMaximumHeight(170)
        self.plot.getPlotItem().setAspectLocked(False)
        self.scatter = pg.ScatterPlotItem(size=4, pen=None)
        self.plot.addItem(self.scatter)
        self.grid = QWidget(self)
        self.grid_layout = QGridLayout(self.grid)
        self.grid_layout.setContentsMargins(0, 0, 0, 0)
        self.grid_layout.setSpacing(4)
        self.augment_row = QWidget(self)  # one image and its augmented copies
        self.augment_row.setObjectName("augmentPreview")
        self.augment_layout = QHBoxLayout(self.augment_row)
        self.augment_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QLabel(self)
        self.table.setObjectName("dataTable")
        self.table.setWordWrap(True)
        self.table.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.plot, self.grid, self.augment_row, self.table):
            layout.addWidget(widget)
        self.kind = ""
        self.augment_tiles = 0  # augmented copies shown (0: augmentation is off)
        self.show_data(None)

    def show_data(self, data: Any) -> None:
        self.kind = (
            "" if data is None else ("image" if data.is_image else data.preview_kind)
        )
        clear_sequences(self.plot)
        self._show_augmented(data if self.kind == "image" else None)
        if data is None:
            self.table.clear()  # the panel's info line says why (loading, failed)
        elif self.kind in SEQUENCE_KINDS:  # lines over time, or token strips
            self.scatter.setData([], [])
            draw_sequences(self.plot, data)
        elif self.kind in ("points", "curve"):
            self._show_points(data)
        elif self.kind == "image":
            self._show_images(data)
        else:
            self._show_table(data)
        # after filling: children added to a widget already shown would stay hidden
        self.plot.setVisible(self.kind in ("points", "curve", *SEQUENCE_KINDS))
        self.grid.setVisible(self.kind == "image")
        self.augment_row.setVisible(self.augment_tiles > 0)
        self.table.setVisible(self.kind == "table")

    def changeEvent(self, event: Any) -> None:
        if event.type() == event.Type.PaletteChange:
            self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        super().changeEvent(event)

    def _show_points(self, data: Any) -> None:
        x = data.x_train[:MAX_SCATTER].numpy()
        y = data.y_train[:MAX_SCATTER].numpy()
        self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        # 2-D points keep their shape (a spiral stays round); a curve fills the box
        self.plot.getPlotItem().setAspectLocked(self.kind == "points", ratio=1.0)
        if self.kind == "curve":
            self.scatter.setData(
                x[:, 0], y.reshape(len(y), -1)[:, 0], brush=pg.mkBrush(CLASS_COLORS[0])
            )
            return
        palette = [pg.mkBrush(c) for c in CLASS_COLORS]  # one brush per class
        brushes = [palette[int(c) % len(palette)] for c in y]
        self.scatter.setData(
            x[:, 0], x[:, 1] if x.shape[1] > 1 else np.zeros(len(x)), brush=brushes
        )
        self.plot.setToolTip(self.tr("Training points; colour = class"))

    def _show_images(self, data: Any) -> None:
        _clear(self.grid_layout)
        # the augmented row takes the second row's place: the box keeps its height
        count = TILES // 2 if self.augment_tiles else TILES
        for i, (image, label) in enumerate(data.preview(count)):
            tile = QLabel(self.grid)
            tile.setPixmap(_pixmap(image, 40))
            tile.setToolTip(label)
            caption = QLabel(label, self.grid)
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.grid_layout.addWidget(
                tile, (i // 6) * 2, i % 6, Qt.AlignmentFlag.AlignHCenter
            )
            self.grid_layout.addWidget(caption, (i // 6) * 2 + 1, i % 6)
            tile.show()
            caption.show()

    def _show_augmented(self, data: Any) -> None:
        """With augmentation on: the first training image and the copies the model
        also trains on, so the student sees what "augment" does to a picture."""
        from nnstudio.core.datasets.folder_options import augment_on, copies_of

        _clear(self.augment_layout)
        self.augment_tiles = 0
        if data is None or not augment_on(dict(getattr(data, "options", {}) or {})):
            return
        copies = [i for i in copies_of(len(data.x_train), 0) if i < len(data.x_train)]
        if not copies:
            return
        caption = QLabel(self.tr("Augmented copies:"), self.augment_row)
        caption.setToolTip(
            self.tr("Each training image is also learned shifted, slightly turned "
                    "and sometimes mirrored; validation images stay as they are")
        )
        self.augment_layout.addWidget(caption)
        for n, i in enumerate([0, *copies]):
            image, label = _image_at(data, i)
            tile = QLabel(self.augment_row)
            tile.setPixmap(_pixmap(image, 40))
            tile.setToolTip(label if n == 0 else self.tr("{label}, augmented").format(
                label=label))
            self.augment_layout.addWidget(tile)
            if n == 0:
                self.augment_layout.addWidget(QLabel("→", self.augment_row))
        self.augment_layout.addStretch(1)
        self.augment_tiles = len(copies)

    def _show_table(self, data: Any) -> None:
        rows = [
            ", ".join(f"{v:.3g}" for v in np.ravel(x)[:6]) + f"  →  {label}"
            for x, label in data.preview(6)
        ]
        self.table.setText("\n".join(rows))


def _image_at(data: Any, i: int) -> tuple[np.ndarray, str]:
    """Training image `i` as H x W or H x W x 3 uint8, with its class name."""
    img = data.x_train[i].detach().cpu().numpy()
    label = data.class_names[int(data.y_train[i])] if data.class_names else ""
    return (img[0] if img.shape[0] == 1 else img.transpose(1, 2, 0)), label


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()  # deleteLater waits for the event loop: gone now
            item.widget().deleteLater()


def _pixmap(image: np.ndarray, size: int) -> QPixmap:
    """uint8 H x W (gray) or H x W x 3 as a pixmap scaled (crisply) to `size`."""
    image = np.ascontiguousarray(image)
    h, w = image.shape[:2]
    if image.ndim == 2:
        qimage = QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        qimage = QImage(image.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(qimage.copy()).scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )
