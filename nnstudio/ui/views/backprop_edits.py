"""The backprop lab's edits: every control and table cell changes the LabNetwork.

A mixin of BackpropLab (it uses the lab's `lab`, widgets, `_show` and `_say`): an
edit is applied, or explained and undone when the lab refuses it, then everything is
shown again on the next turn of the event loop (not inside the table's own signal).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Slot
from PySide6.QtWidgets import QTableWidgetItem

from nnstudio.core.errors import NNStudioError
from nnstudio.core.training.config import parse_number

LABEL_ALL_UP_TO = 14  # weights and biases; beyond, labels on every edge would overlap


class LabEdits:
    """Edit handlers of BackpropLab, connected in `BackpropLab._connect`."""

    def _edit(self, change: Any) -> None:
        """Apply an edit to the lab; a bad value is explained and undone."""
        if self._filling:
            return
        try:
            change()
        except (NNStudioError, ValueError) as exc:
            self._say(str(exc))
        else:
            self._say("")
            self.last_update = {}
            if self.stage == "update":
                self.stage = "forward"
        QTimer.singleShot(0, self._show)  # not inside the table's own signal

    @Slot(QTableWidgetItem)
    def _on_values_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1:
            return
        row, n_in = item.row(), len(self.lab.inputs)

        def change() -> None:
            value = parse_number(item.text())
            if row < n_in:
                self.lab.set_input(row, value)
            else:
                self.lab.set_target(row - n_in, value)

        self._edit(change)

    @Slot(QTableWidgetItem)
    def _on_weights_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 2:
            return
        name = self.weights_table.item(item.row(), 0).text()
        self._edit(lambda: self.lab.set_value(name, parse_number(item.text())))

    @Slot()
    def _on_combo_changed(self) -> None:
        if self._filling:
            return
        act = self.activation_combo.currentData()
        loss = self.loss_combo.currentData()
        bias = self.bias_combo.currentData()

        def change() -> None:
            if act is not None and set(self.lab.activations) != {act}:
                self.lab.set_activation(act)
            if loss != self.lab.loss_name:
                self.lab.set_loss(loss)
            if bias != self.lab.bias:
                self.lab.set_bias_mode(bias)
                self._select_default()

        self._edit(change)

    @Slot(bool)
    def _on_train_bias_check_toggled(self, checked: bool) -> None:
        self._edit(lambda: self.lab.set_train_bias(checked))

    @Slot(float)
    def _on_lr_spin_value_changed(self, value: float) -> None:
        self._edit(lambda: self.lab.set_lr(value))

    @Slot()
    def _on_layers_edit_finished(self) -> None:
        text = self.layers_edit.text().replace(",", "-").replace(" ", "-")
        if self._filling or text == "-".join(map(str, self.lab.sizes)):
            return

        def change() -> None:
            try:
                sizes = [int(s) for s in text.split("-") if s]
            except ValueError:
                raise ValueError(
                    QCoreApplication.translate(
                        "BackpropLab", "write the layer sizes like 2-3-2"
                    )
                ) from None
            self.lab.resize(sizes)
            self._select_default()
            self.losses = []
            self.labels_check.setChecked(len(self.lab.weights()) <= LABEL_ALL_UP_TO)

        self._edit(change)
