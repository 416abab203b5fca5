"""Data and training: the Data box, the Training settings and the run controls.

The panel only lays its three parts out (the settings scroll, the run controls stay
visible below) and connects the document to the window's DataSource. Each part owns
its wiring; the rules are the session's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from nnstudio.ui.data_box import DataBox
from nnstudio.ui.data_source import DataSource
from nnstudio.ui.document import Document
from nnstudio.ui.run_controls import RunControls
from nnstudio.ui.training import TrainingController
from nnstudio.ui.training_form import TrainingForm


class TrainingPanel(QWidget):
    """objectName `trainingPanel`: `data_box`, `form` and `run`."""

    def __init__(
        self,
        document: Document,
        controller: TrainingController,
        data_source: DataSource,
        devices: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.document, self.controller, self.data_source = (
            document,
            controller,
            data_source,
        )
        document.watch(data_source)  # first: the session knows the data before views
        self.run = RunControls(document, controller, data_source, self)
        self.data_box = DataBox(document, data_source, self)
        self.form = TrainingForm(document, devices, self)
        self.data_box.sig_changed.connect(self.run.update_buttons)
        settings = QWidget(self)
        settings_layout = QVBoxLayout(settings)
        settings_layout.setContentsMargins(0, 0, 0, 0)
        settings_layout.addWidget(self.data_box, 1)
        settings_layout.addWidget(self.form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(settings)
        layout = QVBoxLayout(self)  # the run controls stay visible below the scroll
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.run)
        document.sig_config_changed.connect(self.data_box.show_config)
        self.data_box.show_config(document.config)

    def build_menu(self, menu: Any, make: Any) -> None:
        """The Train menu: the run controls' actions, then "Use a Data Folder…"."""
        self.run.build_menu(menu, make)
        menu.addAction(
            make(
                self.tr("Use a &Data Folder…"),
                self.data_box.pick_folder,
                name="dataFolderAction",
                tip=self.data_box.import_button.toolTip(),
            )
        )
