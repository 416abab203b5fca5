"""The Data box of the training panel: which dataset, a preview, its loading.

Choosing a dataset is an undoable document edit; the DataSource then loads it, and
what arrives is previewed here and adopted by the document (input shape, outputs).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QProgressDialog,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.config import LOSSES
from nnstudio.core.datasets import DATASETS
from nnstudio.ui.curves import DataPreview
from nnstudio.ui.document import Document
from nnstudio.ui.messages import WrapLabel, core_text, tr
from nnstudio.ui.training import DataSource


class DatasetBox(QGroupBox):
    """The "Data" group box; `sig_data_state_changed` when the data loaded, started
    loading or failed, so the panel can re-decide whether Train is possible."""

    sig_message = Signal(str, str)  # text, level ("info" | "warning" | "error")
    sig_data_state_changed = Signal()

    def __init__(
        self, document: Document, data_source: DataSource, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Data"))
        self.document, self.data_source = document, data_source
        self._progress_dialog: QProgressDialog | None = None
        self.preview = DataPreview(self)
        self._make_widgets()
        self._build_layout()
        self._connect()

    def _make_widgets(self) -> None:
        self.dataset_combo = QComboBox(self)
        self.dataset_combo.setObjectName("datasetCombo")
        for name, info in DATASETS.items():
            label = name if info.offline else tr("{name} (download)").format(name=name)
            self.dataset_combo.addItem(label, name)
            self.dataset_combo.setItemData(
                self.dataset_combo.count() - 1,
                core_text(info.description),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.dataset_combo.setToolTip(
            self.tr(
                "The data to learn from; its input shape becomes the network's input."
            )
        )
        self.import_button = QToolButton(self)
        self.import_button.setObjectName("datasetImportButton")
        self.import_button.setText("…")
        self.import_button.setToolTip(
            self.tr(
                "Use your own data: a folder of images "
                "(one folder per class), IDX files or CSV"
            )
        )
        self.data_info = WrapLabel(parent=self)
        self.data_info.setObjectName("datasetInfo")
        self.data_info.setWordWrap(True)

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.dataset_combo, 1)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        layout.addWidget(self.data_info)
        layout.addWidget(self.preview, 1)

    def _connect(self) -> None:
        src = self.data_source
        self.dataset_combo.activated.connect(self._on_dataset_combo_activated)
        self.import_button.clicked.connect(self.choose_folder)
        src.sig_data_changed.connect(self._on_data_source_data_changed)
        src.sig_loading.connect(self._on_data_source_loading)
        src.sig_progress.connect(self._on_data_source_progress)
        src.sig_failed.connect(self._on_data_source_failed)

    # --- choosing -----------------------------------------------------------------
    def choose_dataset(self, name: str) -> None:
        """Use dataset `name`: input shape follows, and a loss for the other task
        (cross-entropy on a regression set) is swapped for that task's usual one."""
        info = DATASETS.get(name)
        doc = self.document
        config = doc.config.with_(dataset=name)
        spec = doc.spec
        if info is not None:
            spec = spec.with_input_shape(info.input_shape)
            if LOSSES[config.loss].task not in ("any", info.task):
                loss = "mse" if info.task == "regression" else "cross-entropy"
                config = config.with_(loss=loss)
        doc.edit(spec, config, tr("Use dataset {name}").format(name=name))

    @Slot()
    def choose_folder(self) -> None:
        """Ask for a folder of the user's own data and use it."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a data folder"))
        if folder:
            self.choose_dataset(folder)

    @Slot(int)
    def _on_dataset_combo_activated(self, index: int) -> None:
        self.choose_dataset(self.dataset_combo.itemData(index))

    def show_dataset(self, name: str) -> None:
        """Select `name` without emitting; a folder or unknown name gets an item."""
        combo = self.dataset_combo
        combo.blockSignals(True)
        if combo.findData(name) < 0:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(name)))
        combo.blockSignals(False)

    # --- what the DataSource reports --------------------------------------------------
    @Slot(object)
    def _on_data_source_data_changed(self, data: Any) -> None:
        self.preview.show_data(data)
        if data is not None:
            self.data_info.setText(_data_summary(data))
            spec = self.document.spec
            if tuple(data.input_shape) != tuple(spec.input_shape):
                self.document.set_spec(
                    spec.with_input_shape(data.input_shape),
                    tr("Input shape from the dataset"),
                )
            self.document.set_num_outputs(data.num_outputs)
        self.sig_data_state_changed.emit()

    @Slot(str)
    def _on_data_source_loading(self, name: str) -> None:
        if name:
            self.data_info.setText(tr("Loading {name}…").format(name=name))
            self._progress_dialog = self._make_progress_dialog(name)
        elif self._progress_dialog is not None:
            self._progress_dialog.blockSignals(True)
            self._progress_dialog.close()
            self._progress_dialog.deleteLater()
            self._progress_dialog = None
        self.sig_data_state_changed.emit()

    def _make_progress_dialog(self, name: str) -> QProgressDialog:
        dialog = QProgressDialog(
            tr("Loading {name}…").format(name=name), self.tr("Cancel"), 0, 0, self
        )
        dialog.setObjectName("datasetProgress")
        dialog.setWindowTitle(self.tr("Dataset"))
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self._on_progress_dialog_canceled)
        return dialog

    @Slot(int, int)
    def _on_data_source_progress(self, done: int, total: int) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.setMaximum(max(total, 0))
            self._progress_dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot()
    def _on_progress_dialog_canceled(self) -> None:
        self.data_source.cancel()
        self.data_info.setText(
            tr("Loading cancelled — choose the dataset again to retry")
        )

    @Slot(str)
    def _on_data_source_failed(self, message: str) -> None:
        # the whole story once, in the message bar; a short line here
        self.data_info.setText(
            tr("Could not load this dataset (see the message above).")
        )
        self.data_info.setToolTip(message)
        self.sig_message.emit(
            tr("The dataset could not be loaded: {m}").format(m=message), "error"
        )
        self.sig_data_state_changed.emit()


def _data_summary(data: Any) -> str:
    """'720 training / 180 validation samples, 3 classes' (or ', regression')."""
    count = tr("{n} training / {m} validation samples").format(
        n=f"{len(data.x_train):,}", m=f"{len(data.x_val):,}"
    )
    classes = (
        tr(", {k} classes").format(k=len(data.class_names))
        if data.task == "classification"
        else tr(", regression")
    )
    return count + classes
