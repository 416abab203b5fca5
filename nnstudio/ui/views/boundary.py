"""Decision boundary: the input plane coloured by predicted class, live.

As in TensorFlow Playground: colour = the predicted class, strength = confidence,
training points as dots and test points as squares on top. For 1-D regression the
fitted curve over the data. Clicking the plane shows the prediction there; with
"click adds points" on, it adds a training point of the chosen class instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.training.events import Probe, Started
from nnstudio.ui.studio import current_data
from nnstudio.ui.views.base import CLASS_COLORS, View, class_color
from nnstudio.ui.views.points import with_added_points

MAX_POINTS = 3000  # scatter points drawn: beyond this the dots hide the colours anyway


def boundary_rgb(probs: np.ndarray) -> np.ndarray:
    """H x W x C probabilities -> H x W x 3 uint8: class colour faded by doubt."""
    # a diverging model can be probed before its NaN loss stops the run: draw neutral
    probs = np.nan_to_num(np.asarray(probs, dtype=float), nan=0.0, posinf=1.0)
    if probs.shape[-1] == 1:
        probs = np.concatenate([1 - probs, probs], axis=-1)
    c = probs.shape[-1]
    colors = CLASS_COLORS[np.arange(c) % len(CLASS_COLORS)] / 255.0
    mix = probs @ colors
    sure = (probs.max(axis=-1) - 1.0 / c) / (1.0 - 1.0 / c)
    alpha = (0.15 + 0.75 * np.clip(sure, 0, 1))[..., None]
    return ((1 - alpha * (1 - mix)) * 255).astype(np.uint8)


class DecisionBoundaryView(View):
    PROBES = frozenset({"boundary"})
    TITLE = "Decision boundary"
    MIN_INTERVAL_S = 0.2
    FROM_WEIGHTS = frozenset({"boundary"})  # an opened project shows its boundary
    sig_point_added = Signal(float, float, int)
    sig_retrain_requested = Signal(object)  # the Data with the added points

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionBoundary")
        self.data: Any = None
        self.class_names: tuple[str, ...] = ()
        self.probs: np.ndarray | None = None
        self.extent: tuple[float, float, float, float] | None = None
        self.curve: tuple[np.ndarray, np.ndarray] | None = None
        self.rgb: np.ndarray | None = None
        self.added: list[tuple[float, float, int]] = []
        self.frames = 0  # boundary images drawn: tests watch it change
        self._build()

    def _build(self) -> None:
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("decisionBoundaryPlot")
        self.image = pg.ImageItem(axisOrder="row-major")  # row i is y = y0 + i dy
        self.plot.addItem(self.image)
        self.fit_curve = self.plot.plot(pen=pg.mkPen("w", width=3))
        self.train_dots = pg.ScatterPlotItem(size=6, pen=pg.mkPen(30, 30, 30, 200))
        self.test_dots = pg.ScatterPlotItem(
            size=8, symbol="s", pen=pg.mkPen("w", width=1.5)
        )
        self.added_dots = pg.ScatterPlotItem(size=14, symbol="star", pen=pg.mkPen("k"))
        self.marker = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(0, 0, 0, 170))
        for item in (self.train_dots, self.test_dots, self.added_dots, self.marker):
            self.plot.addItem(item)
        self.marker.hide()
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.class_box = QComboBox()
        self.class_box.setObjectName("boundaryClass")
        self.add_mode = QCheckBox(self.tr("Click adds points of class"))
        self.add_mode.setObjectName("boundaryAddMode")
        self.retrain = QPushButton(self.tr("Retrain with added points"))
        self.retrain.setObjectName("boundaryRetrain")
        self.retrain.setEnabled(False)
        self.retrain.clicked.connect(self._on_retrain_clicked)
        self.prediction = QLabel(
            self.tr("Click the plane to see the prediction there.")
        )
        self.prediction.setObjectName("boundaryPrediction")
        self.legend_label = QLabel(
            self.tr("dots: training points, squares: test points")
        )
        self.legend_label.setWordWrap(True)  # long text must not widen the window
        controls = QHBoxLayout()
        for w in (self.add_mode, self.class_box, self.retrain):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.legend_label)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.prediction)

    # --- data -------------------------------------------------------------------------
    def set_data(self, data: Any) -> None:
        """Show the points of `data` (a core Data) under the boundary."""
        self.data = data
        self.added = []
        self.retrain.setEnabled(False)
        if data is not None:
            self._set_classes(tuple(data.class_names))
        self._explain(data)
        self._draw_points()

    def _explain(self, data: Any) -> None:
        shape = tuple(data.input_shape) if data is not None else ()
        plane = shape == (2,) and data.task == "classification"
        self.prediction.setVisible(plane)
        self.plot.setVisible(plane or shape == (1,))
        if shape == (2,) and not plane:
            self.legend_label.setText(
                self.tr(
                    "The decision boundary shows classification datasets with 2 "
                    "inputs; this one is a regression."
                )
            )
        elif shape == (1,):
            self.legend_label.setText(
                self.tr("dots: training data, line: what the network predicts")
            )
        elif shape == (2,):
            self.legend_label.setText(
                self.tr("dots: training points, squares: test points")
            )
        else:
            self.legend_label.setText(
                self.tr(
                    "The decision boundary needs a dataset with 2 inputs (or 1 input "
                    "for a fitted curve); this one has {n}."
                ).format(n=" x ".join(map(str, shape)) or "none")
            )

    def _set_classes(self, names: tuple[str, ...]) -> None:
        if names != self.class_names:
            self.class_names = names
            self.class_box.clear()
            self.class_box.addItems(list(names))
        two_d = self.data is not None and tuple(self.data.input_shape) == (2,)
        for w in (self.add_mode, self.class_box, self.retrain):
            w.setVisible(two_d and bool(names))

    def reset(self, started: Started | None = None) -> None:
        self.probs, self.curve = None, None
        data = current_data(self.studio)
        if data is not None and data is not self.data:  # a new dataset for this run
            self.set_data(data)
        if started is not None and started.class_names:
            self._set_classes(tuple(started.class_names))

    def _on_probe(self, e: Probe) -> bool:
        if e.boundary is not None:
            self.probs, self.extent = e.boundary, e.boundary_extent
            return True
        if e.curve is not None:
            self.curve = e.curve
            return True
        return False

    # --- drawing ----------------------------------------------------------------------
    def draw(self) -> None:
        if self.probs is not None and self.extent is not None:
            self.rgb = boundary_rgb(self.probs)
            self.image.setImage(self.rgb, autoLevels=False, levels=(0, 255))
            x0, x1, y0, y1 = self.extent
            self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.frames += 1
        if self.curve is not None:
            self.fit_curve.setData(*self.curve)
            self.frames += 1

    def _draw_points(self) -> None:
        data = self.data
        for item in (self.train_dots, self.test_dots, self.added_dots):
            item.setData([], [])
        if data is None or tuple(data.input_shape) not in ((2,), (1,)):
            return
        if tuple(data.input_shape) == (1,):  # regression: x against the target
            x = data.x_train[:MAX_POINTS, 0].cpu().numpy()
            y = data.y_train[:MAX_POINTS, 0].float().cpu().numpy()
            self.train_dots.setData(x, y, brush=pg.mkBrush(120, 170, 255, 160))
            return
        self._scatter(self.train_dots, data.x_train, data.y_train)
        self._scatter(self.test_dots, data.x_val, data.y_val)
        self._draw_added()

    def _scatter(self, item: pg.ScatterPlotItem, x: Any, y: Any) -> None:
        xy = x[:MAX_POINTS].float().cpu().numpy()
        labels = y[:MAX_POINTS].cpu().numpy()
        if labels.ndim != 1:  # regression targets on 2-D inputs: no classes to colour
            item.setData(xy[:, 0], xy[:, 1], brush=pg.mkBrush(120, 170, 255, 200))
            return
        brushes = [pg.mkBrush(*class_color(int(c))) for c in labels]
        item.setData(xy[:, 0], xy[:, 1], brush=brushes)

    def _draw_added(self) -> None:
        if self.added:
            pts = np.array(self.added, dtype=float)
            self.added_dots.setData(
                pts[:, 0],
                pts[:, 1],
                brush=[pg.mkBrush(*class_color(int(c))) for c in pts[:, 2]],
            )

    # --- clicks -----------------------------------------------------------------------
    @Slot(object)
    def _on_scene_clicked(self, event: Any) -> None:
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = vb.mapSceneToView(event.scenePos())
        self.click_at(p.x(), p.y())

    def click_at(self, x: float, y: float) -> None:
        """What a click at plane point (x, y) does: add a point, or explain it."""
        two_d = self.data is not None and tuple(self.data.input_shape) == (2,)
        if self.add_mode.isChecked() and two_d:
            self.add_point(x, y, self.class_box.currentIndex())
        else:
            self.show_prediction(x, y)

    def add_point(self, x: float, y: float, cls: int) -> None:
        self.added.append((float(x), float(y), max(0, int(cls))))
        self.retrain.setEnabled(True)
        self._draw_added()
        self.sig_point_added.emit(float(x), float(y), int(cls))

    def predict_at(self, x: float, y: float) -> np.ndarray | None:
        """Class probabilities at (x, y) from the latest boundary grid."""
        if self.probs is None or self.extent is None:
            return None
        x0, x1, y0, y1 = self.extent
        h, w = self.probs.shape[:2]
        col = int(round((x - x0) / (x1 - x0) * (w - 1)))
        row = int(round((y - y0) / (y1 - y0) * (h - 1)))
        if not (0 <= col < w and 0 <= row < h):
            return None
        return np.asarray(self.probs[row, col], dtype=float)

    def show_prediction(self, x: float, y: float) -> None:
        probs = self.predict_at(x, y)
        if probs is None:
            return
        names = self.class_names or tuple(str(i) for i in range(len(probs)))
        best = int(np.argmax(probs))
        ranked = ", ".join(f"{names[i]} {probs[i]:.0%}" for i in np.argsort(-probs)[:5])
        text = self.tr("at ({x}, {y}): predicted {name} — {ranked}").format(
            x=f"{x:.2f}", y=f"{y:.2f}", name=names[best], ranked=ranked
        )
        self.prediction.setText(text)
        self.marker.setText(f"{names[best]} {probs[best]:.0%}")
        self.marker.setPos(x, y)
        self.marker.show()

    @Slot()
    def _on_retrain_clicked(self) -> None:
        if self.data is not None and self.added:
            self.sig_retrain_requested.emit(with_added_points(self.data, self.added))
