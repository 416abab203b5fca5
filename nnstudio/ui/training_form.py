"""The Training box: loss, optimizer, learning rate and the other run settings.

Each edit goes to the document as one named undo step; the box shows whatever the
document holds after any change (undo, a preset, an opened file).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QWidget

from nnstudio.core.errors import NNStudioError
from nnstudio.core.network.spec import INITS
from nnstudio.core.training.config import (
    LOSSES,
    MAX_EPOCHS,
    OPTIMIZERS,
    SCHEDULES,
    TrainConfig,
)
from nnstudio.ui.document import Document
from nnstudio.ui.layer_editor import NumberEdit
from nnstudio.ui.messages import core_text, tr

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
    ("train_samples", "trainSamplesEdit", "int", 0, 2**31 - 1, False),
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


def device_text(name: str) -> str:
    """What 'auto' (or a name) means on this machine: 'cpu', 'cuda:0 (NVIDIA …)'."""
    from nnstudio.core.training.evaluate import describe_device, resolve_device

    try:
        return describe_device(resolve_device(name))
    except NNStudioError as exc:
        return f"{name} ({exc})"


class TrainingForm(QGroupBox):
    """objectName `trainingForm`; see the module docstring."""

    def __init__(
        self,
        document: Document,
        devices: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Training"))
        self.setObjectName("trainingForm")
        self.document = document
        self._make_widgets(devices or available_devices())
        form = QFormLayout(self)
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
            (self.tr("Train samples"), self.numbers["train_samples"]),
        ]
        for label, widget in rows:
            form.addRow(label, widget)
        self._connect()
        self.show_config(document.config)

    def _make_widgets(self, devices: list[tuple[str, str]]) -> None:
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
            "train_samples": self.tr(
                "Train on the first N training samples only (0 = all): a small "
                "training set overfits in seconds, on purpose."
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

    def _connect(self) -> None:
        for combo, field in (
            (self.loss_combo, "loss"),
            (self.optimizer_combo, "optimizer"),
            (self.device_combo, "device"),
            (self.schedule_combo, "schedule"),
        ):
            combo.activated.connect(
                lambda i, c=combo, f=field: self._set_field(f, c.itemData(i))
            )
        self.init_combo.activated.connect(self._on_init_combo_activated)
        self.document.sig_config_changed.connect(self._on_document_config_changed)
        self.document.sig_spec_changed.connect(self._on_document_spec_changed)

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
    def _on_init_combo_activated(self, index: int) -> None:
        self.document.session.set_init(self.init_combo.itemText(index))

    # --- document -> widgets ----------------------------------------------------------
    def show_config(self, config: TrainConfig) -> None:
        combos = (
            self.loss_combo,
            self.optimizer_combo,
            self.device_combo,
            self.init_combo,
            self.schedule_combo,
        )
        for widget in combos:
            widget.blockSignals(True)
        if self.device_combo.findData(config.device) < 0:  # saved on another machine
            label = tr("{device} (not on this machine)").format(device=config.device)
            self.device_combo.addItem(label, config.device)
        for combo, value in (
            (self.loss_combo, config.loss),
            (self.optimizer_combo, config.optimizer),
            (self.device_combo, config.device),
            (self.schedule_combo, config.schedule),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.init_combo.setCurrentText(self.document.spec.init)
        for widget in combos:
            widget.blockSignals(False)
        for field, edit in self.numbers.items():
            edit.set_value(getattr(config, field))
        self.numbers["momentum"].setEnabled(config.optimizer in MOMENTUM_OPTIMIZERS)

    @Slot(object)
    def _on_document_config_changed(self, config: TrainConfig) -> None:
        self.show_config(config)

    @Slot(object)
    def _on_document_spec_changed(self, spec: Any) -> None:
        self.init_combo.blockSignals(True)
        self.init_combo.setCurrentText(spec.init)
        self.init_combo.blockSignals(False)
