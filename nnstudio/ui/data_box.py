"""The Data box: which dataset, what it holds (a preview), its loading and failure.

It shows what the session knows; choosing a dataset goes to the document (the
session fits the network to it as one undo step), loading goes through the
DataSource in the background with a cancellable progress dialog.
"""

from __future__ import annotations

from pathlib import Path
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

from nnstudio.core.datasets import DATASETS
from nnstudio.core.datasets.drawn import drawn_datasets
from nnstudio.core.training.config import TrainConfig
from nnstudio.ui.data_preview import DataPreview
from nnstudio.ui.data_source import DataSource
from nnstudio.ui.document import Document
from nnstudio.ui.folder_options import FolderOptions
from nnstudio.ui.messages import WrapLabel, core_text, tr
from nnstudio.ui.settings import Settings


class DataBox(QGroupBox):
    """objectName `dataBox`; see the module docstring."""

    # the dataset's load failure for the message bar; "" takes it back
    sig_data_message = Signal(str)
    sig_changed = Signal()  # loading started/ended: whether Train may start changed

    def __init__(
        self, document: Document, data_source: DataSource, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Data"))
        self.setObjectName("dataBox")
        self.document, self.data_source = document, data_source
        self._progress_dialog: QProgressDialog | None = None
        self.preview = DataPreview(self)
        self.folder_options = FolderOptions(document, self)  # image folders only
        self._make_widgets()
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.dataset_combo, 1)
        row.addWidget(self.import_button)
        row.addWidget(self.draw_button)
        layout.addLayout(row)
        layout.addWidget(self.folder_options)
        layout.addWidget(self.data_info)
        layout.addWidget(self.preview, 1)
        self.dataset_combo.activated.connect(self._on_dataset_combo_activated)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.draw_button.clicked.connect(self._on_draw_clicked)
        data_source.sig_data_changed.connect(self._on_data_source_data_changed)
        data_source.sig_loading.connect(self._on_data_source_loading)
        data_source.sig_progress.connect(self._on_data_source_progress)
        data_source.sig_failed.connect(self._on_data_source_failed)

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
        for path in Settings().dataset_folders():  # imported in earlier sessions
            label = tr("{name} (imported)").format(name=Path(path).name)
            self.dataset_combo.addItem(label, path)
            self.dataset_combo.setItemData(
                self.dataset_combo.count() - 1, path, Qt.ItemDataRole.ToolTipRole
            )
        for folder in drawn_datasets():  # the student's own, from earlier sessions
            label = tr("{name} (drawn)").format(name=folder.name)
            self.dataset_combo.addItem(label, str(folder))
        self.draw_button = QToolButton(self)
        self.draw_button.setObjectName("newDrawnDatasetButton")
        self.draw_button.setText(self.tr("Draw…"))
        self.draw_button.setToolTip(
            self.tr("New drawn dataset…: name classes and draw examples of each")
        )
        self.data_info = WrapLabel(parent=self)
        self.data_info.setObjectName("datasetInfo")
        self.data_info.setWordWrap(True)

    @Slot(int)
    def _on_dataset_combo_activated(self, index: int) -> None:
        self.choose_dataset(self.dataset_combo.itemData(index))

    def choose_dataset(self, name: str) -> None:
        """Use dataset `name` (the session fits the network to it, one undo step)."""
        self.document.choose_dataset(name)

    @Slot()
    def _on_draw_clicked(self) -> None:
        from nnstudio.ui.drawn_dataset import DrawnDatasetDialog

        dialog = DrawnDatasetDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_use_dataset.connect(self.choose_dataset)
        dialog.open()

    @Slot()
    def pick_folder(self) -> None:
        self._on_import_clicked()

    @Slot()
    def _on_import_clicked(self) -> None:
        settings = Settings()
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a data folder"), settings.dataset_start_folder()
        )
        if folder:
            settings.add_dataset_folder(folder)  # offered again in later sessions
            self.choose_dataset(folder)

    def show_config(self, config: TrainConfig) -> None:
        """Show the chosen dataset and ask the DataSource for it (a no-op when it
        is the one already loaded)."""
        self.dataset_combo.blockSignals(True)
        if self.dataset_combo.findData(config.dataset) < 0:
            self.dataset_combo.addItem(config.dataset, config.dataset)
        self.dataset_combo.setCurrentIndex(
            max(0, self.dataset_combo.findData(config.dataset))
        )
        self.dataset_combo.blockSignals(False)
        self.folder_options.show_config(config)
        self.data_source.request(
            config.dataset, config.seed, dict(config.dataset_options)
        )

    @Slot(object)
    def _on_data_source_data_changed(self, data: Any) -> None:
        self.preview.show_data(data)
        if data is not None:
            count = tr("{n} training / {m} validation samples").format(
                n=f"{len(data.x_train):,}", m=f"{len(data.x_val):,}"
            )
            classes = (
                tr(", {k} classes").format(k=len(data.class_names))
                if data.task == "classification"
                else tr(", regression")
            )
            self.data_info.setText(count + classes)
            self.data_info.setToolTip("")
            self.sig_data_message.emit("")  # a failure said before no longer holds
        self.sig_changed.emit()

    @Slot(str)
    def _on_data_source_loading(self, name: str) -> None:
        if name:
            self.data_info.setText(tr("Loading {name}…").format(name=name))
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
            self._progress_dialog = dialog
        elif self._progress_dialog is not None:
            self._progress_dialog.blockSignals(True)
            self._progress_dialog.close()
            self._progress_dialog.deleteLater()
            self._progress_dialog = None
        self.sig_changed.emit()

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
        self.sig_data_message.emit(
            tr("The dataset could not be loaded: {m}").format(m=message)
        )
        self.sig_changed.emit()
