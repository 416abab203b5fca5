"""Data and training: the dataset with a preview, the settings, Train/Pause/Stop.

The panel owns its wiring: settings edits go to the document (undoable), the dataset
choice to the DataSource, the buttons to the TrainingController. Whether Train is
possible is decided in one place (`train_blocker`), which also words why not.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.datasets import DATASETS
from nnstudio.core.errors import NNStudioError
from nnstudio.core.network.spec import INITS
from nnstudio.core.training.config import (
    LOSSES,
    MAX_EPOCHS,
    OPTIMIZERS,
    SCHEDULES,
    TrainConfig,
)
from nnstudio.core.training.events import Epoch, Finished, Started, Step
from nnstudio.ui.curves import DataPreview
from nnstudio.ui.document import Document
from nnstudio.ui.layer_editor import NumberEdit
from nnstudio.ui.messages import (
    ERROR_COLOR,
    WrapLabel,
    blocker_text,
    core_text,
    finish_text,
    format_duration,
    tr,
)
from nnstudio.ui.training import DataSource, TrainingController

PROGRESS_STEPS = 1000  # progress bar resolution: fractions of the whole run
TEXT_S = 0.25  # numbers in text change at most 4 times a second: readable
MOMENTUM_OPTIMIZERS = ("sgd", "rmsprop")
# (config field, objectName, kind, low, high, high excluded)
NUMBER_FIELDS = (
    ("lr", "lrEdit", "float", 1e-9, 1e6, False),
    ("momentum", "momentumEdit", "float", 0.0, 1.0, True),
    ("weight_decay", "weightDecayEdit", "float", 0.0, 1e3, False),
    ("batch_size", "batchSizeEdit", "int", 1, 1 << 20, False),
    ("epochs", "epochsEdit", "int", 1, MAX_EPOCHS, False),
    ("seed", "seedEdit", "int", 0, 2**31 - 1, False),
    ("clip_norm", "clipNormEdit", "float", 0.0, 1e6, False),
    ("early_stopping_patience", "patienceEdit", "int", 0, MAX_EPOCHS, False),
)


def available_devices() -> list[tuple[str, str]]:
    """(config value, label): automatic, CPU, each CUDA device by name, MPS."""
    import torch

    devices = [("auto", tr("Automatic (best available)")), ("cpu", "CPU")]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            devices.append((f"cuda:{i}", f"CUDA {i}: {torch.cuda.get_device_name(i)}"))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append(("mps", tr("Apple GPU (MPS)")))
    return devices


def _device_text(name: str) -> str:
    """What 'auto' (or a name) means on this machine: 'cpu', 'cuda:0 (NVIDIA …)'."""
    from nnstudio.core.training.evaluate import describe_device, resolve_device

    try:
        return describe_device(resolve_device(name))
    except NNStudioError as exc:
        return f"{name} ({exc})"


class TrainingPanel(QWidget):
    """objectName `trainingPanel`; see the module docstring."""

    sig_message = Signal(str, str)  # text, level ("info" | "warning" | "error")
    sig_finished = Signal(object)  # Finished, after the document took the weights
    sig_status = Signal(str)  # the run line (epoch, speed, ETA, outcome) for the bar
    # the dataset's load failure for the message bar; "" takes it back
    sig_data_message = Signal(str)

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
        self._last_text = 0.0
        self._progress_dialog: QProgressDialog | None = None
        self.preview = DataPreview(self)
        self._make_dataset_widgets()
        self._make_settings_widgets(devices or available_devices())
        self._make_run_widgets()
        self._build_layout()
        self._connect()
        self._show_config(document.config)
        self._update_buttons()

    # --- widgets ----------------------------------------------------------------------
    def _make_dataset_widgets(self) -> None:
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

    def _make_settings_widgets(self, devices: list[tuple[str, str]]) -> None:
        self.loss_combo = self._combo(
            "lossCombo",
            LOSSES,
            self.tr("What the network minimises: how wrong its outputs are."),
        )
        self.optimizer_combo = self._combo(
            "optimizerCombo",
            OPTIMIZERS,
            self.tr("How the weights move downhill on the loss."),
        )
        self.init_combo = QComboBox(self)
        self.init_combo.setObjectName("initCombo")
        self.init_combo.addItems(list(INITS))
        self.init_combo.setToolTip(
            self.tr("How the weights start before training (default: PyTorch's own).")
        )
        self.schedule_combo = QComboBox(self)
        self.schedule_combo.setObjectName("scheduleCombo")
        for value in SCHEDULES:
            self.schedule_combo.addItem(value, value)
        self.schedule_combo.setToolTip(
            self.tr("How the learning rate changes: constant, step decay or cosine.")
        )
        self.device_combo = QComboBox(self)
        self.device_combo.setObjectName("deviceCombo")
        for value, label in devices:
            self.device_combo.addItem(label, value)
        self.device_combo.setToolTip(
            self.tr("Where the training runs: the CPU or a GPU.")
        )
        self.numbers: dict[str, NumberEdit] = {}
        helps = {
            "lr": self.tr("Learning rate: the size of each step (e.g. 0.01)."),
            "momentum": self.tr("Keeps a share of the previous step (SGD, RMSprop)."),
            "weight_decay": self.tr("L2 penalty pulling weights towards zero."),
            "batch_size": self.tr("Samples per step."),
            "epochs": self.tr("Passes over the whole training set."),
            "seed": self.tr("Same seed, same run: initial weights and batch order."),
            "clip_norm": self.tr("Scale gradients down to this norm (0 = off)."),
            "early_stopping_patience": self.tr(
                "Stop after this many epochs without a better validation loss "
                "(0 = off)."
            ),
        }
        for field, name, kind, lo, hi, excl in NUMBER_FIELDS:
            edit = NumberEdit(kind, lo, hi, excl, self)
            edit.setObjectName(name)
            edit.set_help(helps[field])
            edit.sig_committed.connect(lambda v, f=field: self._set_field(f, v))
            self.numbers[field] = edit

    def _combo(self, name: str, registry: dict[str, Any], tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for key, kind in registry.items():
            combo.addItem(key, key)
            combo.setItemData(
                combo.count() - 1,
                f"{core_text(kind.description)}\n{kind.formula}",
                Qt.ItemDataRole.ToolTipRole,
            )
        combo.setToolTip(tip)
        return combo

    def _make_run_widgets(self) -> None:
        self.train_button = QPushButton(self.tr("Train"), self)
        self.train_button.setObjectName("trainButton")
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(
            self.tr("Pause after this batch; click again to go on (F6)")
        )
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(
            self.tr("Stop after this batch and keep the weights (Shift+F5)")
        )
        self.progress = QProgressBar(self)
        self.progress.setObjectName("trainProgress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.stats_label = WrapLabel(self.tr("Not trained yet"), self)
        self.stats_label.setObjectName("runStatsLabel")
        self.blocked_label = WrapLabel(parent=self)
        self.blocked_label.setObjectName("trainBlockedLabel")
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.device_status = QLabel(self)
        self.device_status.setObjectName("deviceStatus")
        self.state_status = QLabel(self.tr("Ready"), self)
        self.state_status.setObjectName("stateStatus")

    def _build_layout(self) -> None:
        data_box = QGroupBox(self.tr("Data"), self)
        data_layout = QVBoxLayout(data_box)
        row = QHBoxLayout()
        row.addWidget(self.dataset_combo, 1)
        row.addWidget(self.import_button)
        data_layout.addLayout(row)
        data_layout.addWidget(self.data_info)
        data_layout.addWidget(self.preview, 1)
        form_box = QGroupBox(self.tr("Training"), self)
        form = QFormLayout(form_box)
        rows = [
            (self.tr("Loss"), self.loss_combo),
            (self.tr("Optimizer"), self.optimizer_combo),
            (self.tr("Learning rate"), self.numbers["lr"]),
            (self.tr("Momentum"), self.numbers["momentum"]),
            (self.tr("Weight decay"), self.numbers["weight_decay"]),
            (self.tr("Batch size"), self.numbers["batch_size"]),
            (self.tr("Epochs"), self.numbers["epochs"]),
            (self.tr("LR schedule"), self.schedule_combo),
            (self.tr("Clip gradients"), self.numbers["clip_norm"]),
            (self.tr("Early stopping"), self.numbers["early_stopping_patience"]),
            (self.tr("Weight init"), self.init_combo),
            (self.tr("Device"), self.device_combo),
            (self.tr("Seed"), self.numbers["seed"]),
        ]
        for label, widget in rows:
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        settings = QWidget(self)
        settings_layout = QVBoxLayout(settings)
        settings_layout.setContentsMargins(0, 0, 0, 0)
        settings_layout.addWidget(data_box, 1)
        settings_layout.addWidget(form_box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(settings)
        layout = QVBoxLayout(self)  # the run controls stay visible below the scroll
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.stats_label)
        layout.addWidget(self.blocked_label)

    def _connect(self) -> None:
        doc, src, ctl = self.document, self.data_source, self.controller
        doc.watch(src)  # first, so the session knows the data before panels redraw
        self.dataset_combo.activated.connect(self._on_dataset_combo_activated)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.loss_combo.activated.connect(
            lambda i: self._set_field("loss", self.loss_combo.itemData(i))
        )
        self.optimizer_combo.activated.connect(
            lambda i: self._set_field("optimizer", self.optimizer_combo.itemData(i))
        )
        self.device_combo.activated.connect(
            lambda i: self._set_field("device", self.device_combo.itemData(i))
        )
        self.init_combo.activated.connect(self._on_init_combo_activated)
        self.schedule_combo.activated.connect(
            lambda i: self._set_field("schedule", self.schedule_combo.itemData(i))
        )
        self.train_button.clicked.connect(self._on_train_clicked)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        doc.sig_config_changed.connect(self._on_document_config_changed)
        doc.sig_spec_changed.connect(self._on_document_spec_changed)
        doc.sig_checked.connect(self._on_document_checked)
        src.sig_data_changed.connect(self._on_data_source_data_changed)
        src.sig_loading.connect(self._on_data_source_loading)
        src.sig_progress.connect(self._on_data_source_progress)
        src.sig_failed.connect(self._on_data_source_failed)
        ctl.sig_state_changed.connect(self._on_controller_state_changed)
        ctl.sig_event.connect(self._on_controller_event)
        ctl.sig_finished.connect(self._on_controller_finished)

    # --- settings -> document ---------------------------------------------------------
    def _set_field(self, field: str, value: Any) -> None:
        if getattr(self.document.config, field) != value:
            self.document.replace_config_fields(
                tr("Set {field}").format(field=field.replace("_", " ")),
                **{field: value},
            )

    @Slot(int)
    def _on_init_combo_activated(self, index: int) -> None:
        self.document.session.set_init(self.init_combo.itemText(index))

    @Slot(int)
    def _on_dataset_combo_activated(self, index: int) -> None:
        self.choose_dataset(self.dataset_combo.itemData(index))

    def choose_dataset(self, name: str) -> None:
        """Use dataset `name` (the session fits the network to it, one undo step)."""
        self.document.choose_dataset(name)

    @Slot()
    def _on_import_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a data folder"))
        if folder:
            self.choose_dataset(folder)

    # --- document -> widgets ----------------------------------------------------------
    def _show_config(self, config: TrainConfig) -> None:
        widgets = (
            self.dataset_combo,
            self.loss_combo,
            self.optimizer_combo,
            self.device_combo,
            self.init_combo,
            self.schedule_combo,
        )
        for widget in widgets:
            widget.blockSignals(True)
        if self.dataset_combo.findData(config.dataset) < 0:
            self.dataset_combo.addItem(config.dataset, config.dataset)
        if self.device_combo.findData(config.device) < 0:  # saved on another machine
            label = tr("{device} (not on this machine)").format(device=config.device)
            self.device_combo.addItem(label, config.device)
        for combo, value in (
            (self.dataset_combo, config.dataset),
            (self.loss_combo, config.loss),
            (self.optimizer_combo, config.optimizer),
            (self.device_combo, config.device),
            (self.schedule_combo, config.schedule),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.init_combo.setCurrentText(self.document.spec.init)
        for widget in widgets:
            widget.blockSignals(False)
        for field, edit in self.numbers.items():
            edit.set_value(getattr(config, field))
        self.numbers["momentum"].setEnabled(config.optimizer in MOMENTUM_OPTIMIZERS)
        self.device_status.setText(
            self.tr("Device: {d}").format(d=_device_text(config.device))
        )
        self.data_source.request(
            config.dataset, config.seed, dict(config.dataset_options)
        )

    @Slot(object)
    def _on_document_config_changed(self, config: TrainConfig) -> None:
        self._show_config(config)

    @Slot(object)
    def _on_document_spec_changed(self, spec: Any) -> None:
        self.init_combo.blockSignals(True)
        self.init_combo.setCurrentText(spec.init)
        self.init_combo.blockSignals(False)

    @Slot(object)
    def _on_document_checked(self, report: Any) -> None:
        self._update_buttons()

    # --- data -------------------------------------------------------------------------
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
        self._update_buttons()

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
        self._update_buttons()

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
        self._update_buttons()

    # --- running ----------------------------------------------------------------------
    def train_blocker(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> str | None:
        """Why Train cannot start now, in one sentence; None when it can (the
        session decides, this words it for the window)."""
        src = self.data_source
        blocker = self.document.session.train_blocker(
            data if data is not None else src.data,
            spec=spec,
            config=config,
            running=self.controller.running,
            loading=src.loading,
        )
        return None if blocker is None else blocker_text(blocker)

    def _update_buttons(self) -> None:
        running = self.controller.running
        blocker = None if running else self.train_blocker()
        self.train_button.setEnabled(not running and blocker is None)
        self.train_button.setToolTip(
            tr("Can't train: {why}").format(why=blocker)
            if blocker
            else self.tr("Train the network from fresh weights (F5)")
        )
        self.blocked_label.setText(
            tr("Can't train: {why}").format(why=blocker) if blocker else ""
        )
        self.blocked_label.setVisible(blocker is not None)
        active = self.controller.state in ("running", "paused")
        self.pause_button.setEnabled(active)
        self.stop_button.setEnabled(active)
        for name, on in (
            ("train_action", self.train_button.isEnabled()),
            ("pause_action", active),
            ("stop_action", active),
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
        self.progress.setValue(0)
        self._set_stats(self.tr("Starting…"))
        doc = self.document
        return self.controller.start(
            spec or doc.spec, data or self.data_source.data, config or doc.config
        )

    def _set_stats(self, text: str) -> None:
        self.stats_label.setText(text)
        self.sig_status.emit(text)

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
            self.tr("&Stop"), self._on_stop_clicked, "Shift+F5", name="stopAction"
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
                self._on_import_clicked,
                name="dataFolderAction",
                tip=self.import_button.toolTip(),
            )
        )
        self._update_buttons()

    @Slot()
    def _on_train_clicked(self) -> None:
        self.start_training()

    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        self.controller.pause(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))

    @Slot()
    def _on_stop_clicked(self) -> None:
        self.controller.stop()

    @Slot(str)
    def _on_controller_state_changed(self, state: str) -> None:
        names = {
            "idle": self.tr("Ready"),
            "running": self.tr("Training"),
            "paused": self.tr("Paused"),
            "stopping": self.tr("Stopping…"),
        }
        self.state_status.setText(names.get(state, state))
        if state in ("idle", "stopping") and self.pause_button.isChecked():
            self.pause_button.blockSignals(True)
            self.pause_button.setChecked(False)
            self.pause_button.setText(self.tr("Pause"))
            self.pause_button.blockSignals(False)
        self._update_buttons()

    @Slot(object)
    def _on_controller_event(self, event: Any) -> None:
        if isinstance(event, Started):
            self.device_status.setText(self.tr("Device: {d}").format(d=event.device))
        if isinstance(event, Step | Epoch | Started):
            self.dirty = True

    def refresh(self) -> None:
        """FrameClock: the progress bar every frame, numbers at most 4 times/s."""
        self.dirty = False
        ctl = self.controller
        step, started = ctl.last_step, ctl.started
        if step is None or started is None:
            return
        self.progress.setValue(
            int(PROGRESS_STEPS * min(1.0, step.progress / started.epochs))
        )
        now = time.monotonic()
        if now - self._last_text >= TEXT_S:
            self._last_text = now
            self._set_stats(
                self.tr("epoch {e}/{n} · {s} samples/s · ETA {t}").format(
                    e=min(started.epochs, int(step.progress) + 1),
                    n=started.epochs,
                    s=f"{step.samples_per_s:,.0f}",
                    t=format_duration(ctl.eta()),
                )
            )

    @Slot(object)
    def _on_controller_finished(self, finished: Finished) -> None:
        ctl = self.controller
        if finished.reason in ("finished", "early-stopped"):
            self.progress.setValue(self.progress.maximum())
        else:
            self.refresh()
        self._set_stats(finish_text(finished.reason, finished.message))
        if ctl.spec is not None:
            self.document.set_trained(
                ctl.spec,
                finished.weights,
                [*self.document.history, ctl.record()],
                config=ctl.config,
            )
        if finished.reason == "failed":
            self.sig_message.emit(
                finish_text(finished.reason, finished.message), "error"
            )
        self._update_buttons()
        self.sig_finished.emit(finished)
