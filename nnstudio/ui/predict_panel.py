"""Predict: draw a digit (or open an image) and watch the model's answer.

Canvas -> core.preprocess (the MNIST recipe) -> "what the model sees" preview ->
core.predict -> prediction bars. A cnn-mnist forward pass on one image takes about a
millisecond, so it runs in the GUI thread; a single-shot timer coalesces the updates
that arrive while a stroke is still being drawn, and a finished stroke is answered at
once (budget: 50 ms from pen-up to the bars).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.errors import PredictError
from nnstudio.core.predict.predictor import Prediction, class_labels, predict_array
from nnstudio.core.predict.preprocess import (
    denormalize,
    image_shape,
    layout_for,
    load_image,
    prepare_image,
    to_mnist_like,
)
from nnstudio.core.predict.sequence import model_takes_sequence
from nnstudio.ui.canvas import DEFAULT_PEN, PEN_RANGE, DigitCanvas
from nnstudio.ui.predict_widgets import InputPreview, PredictionBars
from nnstudio.ui.provenance import Stamped
from nnstudio.ui.sequence_input import SequenceInput
from nnstudio.ui.studio import (
    Studio,
    current_data,
    is_dataset_of,
    weights_fingerprint,
)

DEBOUNCE_MS = 30  # coalesce the canvas's live updates; well inside the 50 ms budget


class PredictPanel(Stamped, QWidget):
    """Canvas, what-the-model-sees preview and prediction bars for one model.

    `set_model(model, input_shape, mean, std, class_names)` takes a CPU eval copy of
    the model (training may go on with the original); `set_model(None)` asks the
    user to train first. `sig_send_to_feature_maps(np.ndarray)` carries the prepared
    model input (C x H x W float32, normalized) to the feature-map view.
    """

    sig_send_to_feature_maps = Signal(object)
    sig_predicted = Signal(object)  # Prediction, or None when the canvas is blank

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictPanel")
        self.setAcceptDrops(True)
        self._model: Any = None
        self._shape: tuple[int, int, int] = (1, 28, 28)
        self._mean: Any = 0.0
        self._std: Any = 1.0
        self._names: list[str] = [str(i) for i in range(10)]
        self._layout_kind = "digit"
        self._input: np.ndarray | None = None
        self._refusal: str | None = None  # why this model cannot predict, if it can't
        self.studio: Studio | None = None
        self._args: tuple | None = None  # set_model's arguments, kept while stale
        self._init_stamp()
        self.last_latency_ms: float | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._build()
        self.set_model(None)

    # --- public -----------------------------------------------------------------------

    def set_model(
        self,
        model: Any,
        input_shape: Sequence[int] | None = None,
        mean: Any = 0.0,
        std: Any = 1.0,
        class_names: Sequence[str] | None = None,
        source: str | None = None,
    ) -> None:
        """Predict with `model` from now on (None: no trained model yet); `source`
        (the dataset's path) tells drawn datasets apart, framed as they were saved."""
        self._args = (
            None
            if model is None
            else (model, input_shape, mean, std, class_names, source)
        )
        self._install(model, input_shape, mean, std, class_names, source)

    def _install(
        self,
        model: Any,
        input_shape: Sequence[int] | None = None,
        mean: Any = 0.0,
        std: Any = 1.0,
        class_names: Sequence[str] | None = None,
        source: str | None = None,
    ) -> None:
        if self._use_sequence_input(model, input_shape, class_names):
            return
        self._model, self._refusal = None, None
        if model is not None:
            try:
                self._shape = image_shape(input_shape)
            except PredictError as e:
                self._refusal = str(e)
                model = None
        if model is not None:
            self._model = _cpu_eval_copy(model)
            self._mean, self._std = mean, std
            self._names = class_labels(class_names, len(class_names or ()) or 10)
            self._layout_kind = layout_for(class_names, source)
        self._bars.set_classes(self._names if self._model is not None else ())
        self._canvas.set_placeholder(self._draw_hint_short())
        self._predict_canvas()

    # --- the studio's trained model ---------------------------------------------------

    def bind(self, studio: Studio) -> None:
        """Predict with the document's trained network; follow its changes."""
        self.studio = studio
        doc = studio.document
        doc.sig_weights_changed.connect(self.reload_model)
        doc.sig_loaded.connect(self.reload_model)
        doc.sig_fingerprint_changed.connect(self._on_document_fingerprint_changed)
        studio.data_source.sig_data_changed.connect(self.reload_model)
        self.reload_model()

    @Slot()
    def reload_model(self, *_: Any) -> None:
        """The trained weights for the network now in the editor, on its data."""
        studio = self.studio
        if studio is None:
            return
        doc, data = studio.document, current_data(studio)
        if doc.weights is None:
            if not self.stale:  # a stale model is kept for an undo
                self.made_with = None
                self.set_model(None)
            return
        if not is_dataset_of(data, doc.config):
            return  # the project's data is still loading
        from nnstudio.core.project.files import Project

        model = Project(doc.spec, weights=doc.weights).model()
        self.set_model(
            model, doc.spec.input_shape, data.mean, data.std, data.class_names,
            data.source_path,
        )
        self.stamp(weights_fingerprint(doc))

    @Slot(str)
    def _on_document_fingerprint_changed(self, fingerprint: str) -> None:
        self.check_stamp(fingerprint)

    def show_stale(self, stale: bool) -> None:
        """Another network or data: predict with nothing (the notice says why)
        until an undo brings the trained one back."""
        if stale:
            self._install(None)
        elif self._args is not None:
            self._install(*self._args)

    def predict_file(self, path: str | Path) -> Prediction | None:
        """Predict an image file the same way as a drawing; errors become the hint."""
        path = Path(path)
        try:
            img = load_image(path)
        except PredictError as e:
            self._show_problem(str(e))
            return None
        self._canvas.blockSignals(True)
        self._canvas.clear()  # the bars now answer for the file, not the old drawing
        self._canvas.blockSignals(False)
        return self._predict_image(img, source=path.name)

    def canvas(self) -> DigitCanvas:
        return self._canvas

    def bars(self) -> PredictionBars:
        return self._bars

    def preview(self) -> InputPreview:
        return self._preview

    def hint_text(self) -> str:
        return self._hint.text()

    def model_input(self) -> np.ndarray | None:
        """The last prepared model input (C x H x W float32), or None."""
        return None if self._input is None else self._input.copy()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self._canvas = DigitCanvas(self)
        self._canvas.sig_changed.connect(self._on_canvas_changed)
        self._preview = InputPreview(self)
        self._bars = PredictionBars(self)
        self._hint = QLabel(self)
        self._hint.setObjectName("predictHint")
        self._hint.setWordWrap(True)
        font = self._hint.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)  # the line a student reads first
        self._hint.setFont(font)
        self._latency = QLabel(self)
        self._latency.setObjectName("predictLatency")
        self._latency.setToolTip(self.tr("Time from the drawing to the answer"))

        draw = QVBoxLayout()
        draw.addWidget(self._canvas)
        draw.addLayout(self._pen_row())
        draw.addLayout(self._button_row())
        draw.addStretch(1)

        sees = QVBoxLayout()
        self._sees_label = QLabel(self.tr("What the model sees"), self)
        sees.addWidget(self._sees_label)
        sees.addWidget(self._preview)
        self._send = self._button(
            "sendToFeatureMapsButton",
            self.tr("Show feature maps"),
            self.tr("See what each convolution layer makes of this input"),
            self._on_send_clicked,
        )
        self._send.setEnabled(False)
        sees.addWidget(self._send)
        sees.addStretch(1)

        answer = QVBoxLayout()
        answer.addWidget(self.stale_notice)
        self._sequence = SequenceInput(self)  # shown instead of the canvas for
        answer.addWidget(self._sequence, 1)  # networks that take a sequence
        answer.addWidget(self._hint)  # first thing read: what to do, or the answer
        answer.addWidget(self._bars, 1)
        answer.addWidget(self._latency)

        row = QHBoxLayout(self)
        row.addLayout(draw)
        row.addLayout(sees)
        row.addLayout(answer, 1)

    def _use_sequence_input(self, model: Any, input_shape: Any, names: Any) -> bool:
        """A sequence network gets the typed-sequence input instead of the canvas."""
        shape = tuple(input_shape or ())
        on = model is not None and model_takes_sequence(model, shape)
        self._sequence.set_model(_cpu_eval_copy(model) if on else None, shape, names)
        self._sequence.setVisible(on)
        for widget in (self._canvas, self._preview, self._send, self._bars,
                       self._hint, self._latency, self._pen, self._pen_label,
                       self._undo, self._clear, self._open, self._sees_label,
                       self._pen_title):
            widget.setVisible(not on)
        return on

    def _pen_row(self) -> QHBoxLayout:
        self._pen = QSlider(Qt.Orientation.Horizontal, self)
        self._pen.setObjectName("penWidth")
        self._pen.setRange(*PEN_RANGE)
        self._pen.setValue(DEFAULT_PEN)
        self._pen.setToolTip(self.tr("Pen width for the next strokes"))
        self._pen.valueChanged.connect(self._on_pen_value_changed)
        self._pen_label = QLabel(self)
        self._on_pen_value_changed(DEFAULT_PEN)
        row = QHBoxLayout()
        self._pen_title = QLabel(self.tr("Pen"), self)
        row.addWidget(self._pen_title)
        row.addWidget(self._pen, 1)
        row.addWidget(self._pen_label)
        return row

    def _button_row(self) -> QHBoxLayout:
        self._undo = self._button(
            "undoStrokeButton",
            self.tr("Undo stroke"),
            self.tr("Remove the last stroke (Ctrl+Z while drawing)"),
            self._on_undo_clicked,
        )
        self._clear = self._button(
            "clearButton",
            self.tr("Clear"),
            self.tr("Start again on a blank canvas (Delete while drawing)"),
            self._on_clear_clicked,
        )
        self._open = self._button(
            "openImageButton",
            self.tr("Open image…"),
            self.tr("Predict a PNG, JPEG or BMP file (or drop one here)"),
            self._on_open_clicked,
        )
        row = QHBoxLayout()
        for button in (self._undo, self._clear, self._open):
            row.addWidget(button)
        return row

    def _button(self, name: str, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # --- prediction -------------------------------------------------------------------

    def _predict_canvas(self) -> None:
        self._timer.stop()
        if self._canvas.is_empty():
            self._show_blank()
        elif self._model is None:
            self._show_untrained(self._canvas.to_array())
        else:
            self._predict_image(self._canvas.to_array(), source=None)

    def _predict_image(self, img: np.ndarray, source: str | None) -> Prediction | None:
        if self._model is None:
            self._show_untrained(img)
            return None
        start = time.perf_counter()
        try:
            x = prepare_image(
                img, self._shape, self._mean, self._std, layout=self._layout_kind
            )
            prediction = predict_array(self._model, x, self._names)
        except PredictError as e:
            if e.code == "blank" and source is None:
                self._show_blank()  # an empty canvas: invite a drawing
            else:
                self._show_problem(f"{source}: {e}" if source else str(e))
            return None
        self.last_latency_ms = (time.perf_counter() - start) * 1000
        self._show_prediction(x, prediction, source)
        return prediction

    def _show_prediction(
        self, x: np.ndarray, prediction: Prediction, source: str | None
    ) -> None:
        self._input = x
        self._preview.set_pixels(self._denormalize(x))
        self._bars.set_prediction(prediction, self._names)
        self._send.setEnabled(True)
        if source:
            self._hint.setText(
                self.tr("Prediction for {0}: {1}").format(source, prediction.label)
            )
        else:
            self._hint.setText(self.tr("The model says: {0}").format(prediction.label))
        self._latency.setText(
            self.tr("answered in {0:.1f} ms").format(self.last_latency_ms)
        )
        self.sig_predicted.emit(prediction)

    def _show_blank(self) -> None:
        self._forget_input()
        self._hint.setText(
            self._draw_hint() if self._model is not None else self._train_hint()
        )
        self.sig_predicted.emit(None)

    def _show_untrained(self, img: np.ndarray) -> None:
        """No model yet: still show what preprocessing makes of the drawing."""
        self._forget_input()
        if self._refusal is None:  # a model that reads no images sees nothing
            self._preview.set_pixels(to_mnist_like(img))
        self._hint.setText(self._train_hint())

    def _show_problem(self, message: str) -> None:
        self._forget_input()
        self._hint.setText(message)

    def _forget_input(self) -> None:
        self._input = None
        self._preview.set_pixels(None)
        self._bars.clear()
        self._send.setEnabled(False)
        self._latency.clear()

    def _denormalize(self, x: np.ndarray) -> np.ndarray:
        """The model input as pixels: H x W gray or H x W x 3 colour, in [0, 1]."""
        pixels = denormalize(x, self._mean, self._std)
        return pixels[0] if pixels.shape[0] == 1 else pixels.transpose(1, 2, 0)

    def _draw_hint(self) -> str:
        if self._layout_kind == "digit" and self._shape[0] == 1:
            return self.tr(
                "Draw a digit on the canvas (or open an image): "
                "the model guesses as you draw."
            )
        return self.tr(
            "Draw something on the canvas or open an image: "
            "the model guesses as you draw."
        )

    def _draw_hint_short(self) -> str:
        if self._model is not None and self._layout_kind != "digit":
            return self.tr("Draw here")
        return self.tr("Draw a digit here")

    def _train_hint(self) -> str:
        if self.stale:  # the staleNotice above says why, and what to do
            return ""
        if self._refusal:  # a model that cannot read images: say why instead
            return self._refusal
        return self.tr(
            "Train a model first: the prediction appears here "
            "once a model has been trained."
        )

    # --- slots ------------------------------------------------------------------------

    @Slot()
    def _on_canvas_changed(self) -> None:
        if self._canvas.is_drawing():
            self._timer.start()  # live update: wait for a short pause in the stream
        else:
            self._predict_canvas()  # pen up, undo, clear: answer at once

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._predict_canvas()

    @Slot(int)
    def _on_pen_value_changed(self, value: int) -> None:
        self._canvas.set_pen_width(value)
        self._pen_label.setText(self.tr("{0} px").format(value))

    @Slot()
    def _on_undo_clicked(self) -> None:
        self._canvas.undo_stroke()

    @Slot()
    def _on_clear_clicked(self) -> None:
        self._canvas.clear()

    @Slot()
    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open image"),
            "",
            self.tr(
                "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;"
                "All files (*)"
            ),
        )
        if path:
            self.predict_file(path)

    @Slot()
    def _on_send_clicked(self) -> None:
        if self._input is not None:
            self.sig_send_to_feature_maps.emit(self._input.copy())

    # --- drop an image file -----------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if _local_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        path = _local_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.predict_file(path)


def _cpu_eval_copy(model: Any) -> Any:
    """A private CPU copy in eval mode: predicting never touches the model that is
    training (its device, its train/eval mode, its weights mid-step)."""
    clone = copy.deepcopy(model)
    return clone.to("cpu").eval()


def _local_file(mime) -> str | None:
    urls = [u for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
    return urls[0].toLocalFile() if urls else None
