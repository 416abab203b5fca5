"""Data and training: the dataset with a preview, the settings, Train/Pause/Stop.

The panel stacks three parts and decides what spans them: the Data box
(dataset_box.py), the Training settings (training_form.py) and the run controls
(run_controls.py). Settings edits go to the document (undoable), the dataset choice
to the DataSource, the buttons to the TrainingController. Whether Train is possible
is decided in one place (`train_blocker`), which also words why not.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from nnstudio.core.config import TrainConfig
from nnstudio.core.errors import NNStudioError
from nnstudio.core.events import Epoch, Finished, Started, Step
from nnstudio.ui.dataset_box import DatasetBox
from nnstudio.ui.document import Document
from nnstudio.ui.messages import finish_text, problem_text, tr
from nnstudio.ui.run_controls import RunControls
from nnstudio.ui.training import DataSource, TrainingController
from nnstudio.ui.training_form import TrainingForm, available_devices


def _for_the_window(message: str) -> str:
    """Core advice is worded for the command line ("use --device cpu or auto");
    say what to do in the window instead."""
    return re.sub(
        r"use --device \w+ or \w+",
        tr("choose CPU or Automatic in the Device box"),
        message,
    )


def _device_text(name: str) -> str:
    """What 'auto' (or a name) means on this machine: 'cpu', 'cuda:0 (NVIDIA …)'."""
    from nnstudio.core.evaluate import describe_device, resolve_device

    try:
        return describe_device(resolve_device(name))
    except NNStudioError as exc:
        return f"{name} ({exc})"


class TrainingPanel(QWidget):
    """objectName `trainingPanel`; see the module docstring."""

    sig_message = Signal(str, str)  # text, level ("info" | "warning" | "error")
    sig_finished = Signal(object)  # Finished, after the document took the weights
    sig_status = Signal(str)  # the run line (epoch, speed, ETA, outcome) for the bar

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
        self.dirty = False
        self.data_box = DatasetBox(document, data_source, self)
        self.form = TrainingForm(document, devices or available_devices(), self)
        self.run_box = RunControls(controller, self)
        self._expose_part_widgets()
        self._build_layout()
        self._connect()
        self._show_config(document.config)
        self._update_buttons()

    def _expose_part_widgets(self) -> None:
        """The parts' widgets as the panel's own attributes, where the window, the
        menus, Learn More and the tests reach for them."""
        box, form, run = self.data_box, self.form, self.run_box
        self.preview, self.dataset_combo = box.preview, box.dataset_combo
        self.import_button, self.data_info = box.import_button, box.data_info
        self.loss_combo, self.optimizer_combo = form.loss_combo, form.optimizer_combo
        self.init_combo, self.schedule_combo = form.init_combo, form.schedule_combo
        self.device_combo, self.numbers = form.device_combo, form.numbers
        self.train_button, self.pause_button = run.train_button, run.pause_button
        self.stop_button, self.progress = run.stop_button, run.progress
        self.stats_label, self.blocked_label = run.stats_label, run.blocked_label
        self.device_status, self.state_status = run.device_status, run.state_status

    def _build_layout(self) -> None:
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
        layout.addWidget(self.run_box)

    def _connect(self) -> None:
        doc, ctl = self.document, self.controller
        self.data_box.sig_message.connect(self.sig_message)
        self.data_box.sig_data_state_changed.connect(self._update_buttons)
        self.run_box.sig_status.connect(self.sig_status)
        self.train_button.clicked.connect(self._on_train_clicked)
        doc.sig_config_changed.connect(self._on_document_config_changed)
        doc.sig_checked.connect(self._on_document_checked)
        ctl.sig_state_changed.connect(self._on_controller_state_changed)
        ctl.sig_event.connect(self._on_controller_event)
        ctl.sig_finished.connect(self._on_controller_finished)

    def choose_dataset(self, name: str) -> None:
        """Use dataset `name` (see DatasetBox.choose_dataset)."""
        self.data_box.choose_dataset(name)

    # --- document -> widgets ----------------------------------------------------------
    def _show_config(self, config: TrainConfig) -> None:
        self.data_box.show_dataset(config.dataset)
        self.form.show_config(config)
        self.run_box.show_device(_device_text(config.device))
        self.data_source.request(
            config.dataset, config.seed, dict(config.dataset_options)
        )

    @Slot(object)
    def _on_document_config_changed(self, config: TrainConfig) -> None:
        self._show_config(config)

    @Slot(object)
    def _on_document_checked(self, report: Any) -> None:
        self._update_buttons()

    # --- running ----------------------------------------------------------------------
    def train_blocker(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> str | None:
        """Why Train cannot start now, in one sentence; None when it can."""
        ctl, src, doc = self.controller, self.data_source, self.document
        if ctl.running:
            return tr("a run is in progress")
        if data is None and src.loading:
            return tr("the dataset is still loading")
        data = data if data is not None else src.data
        if data is None:
            return src.error or tr("no dataset is loaded")  # the reason, in full
        if spec is None and doc.report.errors:
            return problem_text(doc.report.errors[0])
        from nnstudio.core.train import preflight

        try:
            preflight(spec or doc.spec, data, config or doc.config)
        except NNStudioError as exc:
            return _for_the_window(str(exc))
        return None

    @Slot()
    def _update_buttons(self) -> None:
        running = self.controller.running
        self.run_box.show_train_blocker(None if running else self.train_blocker())
        for name, on in (
            ("train_action", self.train_button.isEnabled()),
            ("pause_action", self.pause_button.isEnabled()),
            ("stop_action", self.stop_button.isEnabled()),
        ):
            if hasattr(self, name):
                getattr(self, name).setEnabled(on)

    def start_training(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> bool:
        """Start a run of the document (or of the given spec/config/data variant)."""
        blocker = self.train_blocker(spec, config, data)
        if blocker is not None:
            self._update_buttons()
            if spec is not None or data is not None:
                self.sig_message.emit(
                    tr("Can't train: {why}").format(why=blocker), "warning"
                )
            return False
        self.run_box.show_starting()
        doc = self.document
        return self.controller.start(
            spec or doc.spec, data or self.data_source.data, config or doc.config
        )

    def build_menu(self, menu: Any, make: Any) -> None:
        """The Train menu: the three buttons with their shortcuts (`make` makes an
        action: text, slot, shortcut, tip=, name=)."""
        self.train_action = make(
            self.tr("&Train"), lambda: self.start_training(), "F5", name="trainAction"
        )
        self.pause_action = make(
            self.tr("&Pause / Resume"),
            lambda: self.pause_button.toggle(),
            "F6",
            name="pauseAction",
        )
        self.stop_action = make(
            self.tr("&Stop"), self.run_box.stop_run, "Shift+F5", name="stopAction"
        )
        forget = make(
            self.tr("&Forget Trained Weights"),
            self.document.clear_weights,
            name="forgetWeightsAction",
            tip=self.tr("The next run and Predict start from untrained weights"),
        )
        menu.addActions([self.train_action, self.pause_action, self.stop_action])
        menu.addSeparator()
        menu.addAction(forget)
        menu.addAction(
            make(
                self.tr("Use a &Data Folder…"),
                self.data_box.choose_folder,
                name="dataFolderAction",
                tip=self.import_button.toolTip(),
            )
        )
        self._update_buttons()

    @Slot()
    def _on_train_clicked(self) -> None:
        self.start_training()

    @Slot(str)
    def _on_controller_state_changed(self, state: str) -> None:
        self.run_box.show_state(state)
        self._update_buttons()

    @Slot(object)
    def _on_controller_event(self, event: Any) -> None:
        if isinstance(event, Started):
            self.run_box.show_device(event.device)
        if isinstance(event, Step | Epoch | Started):
            self.dirty = True

    def refresh(self) -> None:
        """FrameClock: the progress bar every frame, numbers at most 4 times/s."""
        self.dirty = False
        self.run_box.show_progress()

    @Slot(object)
    def _on_controller_finished(self, finished: Finished) -> None:
        ctl = self.controller
        if finished.reason in ("finished", "early-stopped"):
            self.run_box.fill_progress()
        else:
            self.refresh()
        self.run_box.set_stats(finish_text(finished.reason, finished.message))
        if finished.weights is not None and ctl.spec is not None:
            self.document.set_trained(
                ctl.spec, finished.weights, [*self.document.history, ctl.record()]
            )
        if finished.reason == "failed":
            self.sig_message.emit(
                finish_text(finished.reason, finished.message), "error"
            )
        self._update_buttons()
        self.sig_finished.emit(finished)
