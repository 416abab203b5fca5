"""The backprop lab's controls: the network's settings and the step buttons.

Two short rows of settings (the lab must fit the studio's view area, ~950 px) and a
row of actions. The widgets only show and collect values: the lab connects their
signals and applies each edit to its LabNetwork.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.lessons.backprop import LabNetwork

MAX_STEPS = 100_000  # Run N steps: enough to converge, bounded


class LabControls(QWidget):
    """Layers, activation, loss, bias, learning rate; Forward/Backward/Update, Run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for row in self._settings_rows():
            column.addLayout(row)
        column.addLayout(self._buttons_row())

    def _settings_rows(self) -> list[QHBoxLayout]:
        self.layers_edit = QLineEdit(self)
        self.layers_edit.setObjectName("layersEdit")
        self.layers_edit.setMaximumWidth(110)
        self.layers_edit.setToolTip(
            self.tr(
                "Units per layer, inputs first, e.g. 2-2-2 (up to 4 layers of up to 8 "
                "units). Press Enter: new random weights."
            )
        )
        self.activation_combo = self._combo(
            "activationCombo",
            {
                "sigmoid": self.tr("sigmoid"),
                "tanh": self.tr("tanh"),
                "relu": self.tr("ReLU"),
                "linear": self.tr("none (linear)"),
            },
            self.tr("Activation of every layer: out = f(net)"),
        )
        self.loss_combo = self._combo(
            "lossCombo",
            {
                "half-sse": self.tr("½ Σ (target − out)²"),
                "mse": self.tr("mean (target − out)² (MSE)"),
            },
            self.tr("The error E that training makes smaller"),
        )
        self.bias_combo = self._combo(
            "biasCombo",
            {
                "shared": self.tr("one per layer"),
                "per-unit": self.tr("one per unit"),
                "none": self.tr("no biases"),
            },
            self.tr("Textbook examples share one bias per layer"),
        )
        self.train_bias_check = QCheckBox(self.tr("biases train"), self)
        self.train_bias_check.setObjectName("trainBiasCheck")
        self.train_bias_check.setToolTip(
            self.tr(
                "Off: the biases keep their values (Mazur's example); their "
                "gradient is still shown"
            )
        )
        self.lr_spin = QDoubleSpinBox(self)
        self.lr_spin.setObjectName("lrSpin")
        self.lr_spin.setDecimals(4)
        self.lr_spin.setRange(0.0001, 100.0)
        self.lr_spin.setSingleStep(0.05)
        self.lr_spin.setToolTip(self.tr("Learning rate η in w ← w − η·dE/dw"))
        self.labels_check = QCheckBox(self.tr("label every edge"), self)
        self.labels_check.setObjectName("labelsCheck")
        self.labels_check.setToolTip(
            self.tr(
                "Off: only the selected edge is labelled (hover an edge for "
                "its numbers)"
            )
        )
        self.labels_check.setChecked(True)
        first = (
            (self.tr("Layers"), self.layers_edit),
            (self.tr("Activation"), self.activation_combo),
            (self.tr("Loss"), self.loss_combo),
        )
        second = (
            (self.tr("Bias"), self.bias_combo),
            (None, self.train_bias_check),
            (self.tr("Learning rate"), self.lr_spin),
            (None, self.labels_check),
        )
        return [self._row(first), self._row(second)]

    def _row(self, pairs: tuple[tuple[str | None, QWidget], ...]) -> QHBoxLayout:
        row = QHBoxLayout()
        for label, widget in pairs:
            if label:
                row.addWidget(QLabel(label, self))
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _combo(self, name: str, items: dict[str, str], tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setToolTip(tip)
        for key, text in items.items():
            combo.addItem(text, key)
        return combo

    def _buttons_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        specs = (
            (
                "forwardButton",
                self.tr("1 Forward"),
                self.tr("Compute every unit's net input and output"),
            ),
            (
                "backwardButton",
                self.tr("2 Backward"),
                self.tr("Compute dE/dw for every weight by the chain rule"),
            ),
            (
                "updateButton",
                self.tr("3 Update"),
                self.tr("w ← w − η·dE/dw for every weight that trains"),
            ),
        )
        self.buttons: dict[str, QPushButton] = {}
        for name, text, tip in specs:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setToolTip(tip)
            row.addWidget(button)
            self.buttons[name] = button
        row.addSpacing(16)
        self.steps_spin = QSpinBox(self)
        self.steps_spin.setObjectName("stepsSpin")
        self.steps_spin.setRange(1, MAX_STEPS)
        self.steps_spin.setValue(1000)
        self.steps_spin.setToolTip(self.tr("How many training steps Run takes"))
        self.run_button = QPushButton(self.tr("Run N steps"), self)
        self.run_button.setObjectName("runButton")
        self.run_button.setToolTip(
            self.tr(
                "Repeat forward, backward and update N times and watch the outputs "
                "approach the targets"
            )
        )
        self.reset_button = QPushButton(self.tr("Reset"), self)
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setToolTip(
            self.tr("Back to the network and weights it opened with")
        )
        row.addWidget(QLabel(self.tr("N"), self))
        row.addWidget(self.steps_spin)
        row.addWidget(self.run_button)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        return row

    # --- showing the lab --------------------------------------------------------------
    def sync(self, lab: LabNetwork) -> None:
        """Show the lab's settings (the caller blocks its edit handlers meanwhile)."""
        self.layers_edit.setText("-".join(map(str, lab.sizes)))
        acts = set(lab.activations)
        _set_combo(self.activation_combo, acts.pop() if len(acts) == 1 else None)
        _set_combo(self.loss_combo, lab.loss_name)
        _set_combo(self.bias_combo, lab.bias)
        self.train_bias_check.setChecked(lab.train_bias)
        self.train_bias_check.setEnabled(lab.bias != "none")
        self.lr_spin.setValue(lab.lr)

    def set_running(self, running: bool) -> None:
        """While Run goes, only Stop (the run button) stays enabled."""
        for widget in (*self.buttons.values(), self.reset_button, self.layers_edit):
            widget.setEnabled(not running)
        self.run_button.setText(self.tr("Stop") if running else self.tr("Run N steps"))


def _set_combo(combo: QComboBox, key: str | None) -> None:
    index = combo.findData(key) if key is not None else -1
    combo.setCurrentIndex(index)
