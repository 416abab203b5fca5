"""One step's numbers: what Step (F10) shows after running a single batch.

A line names the step, the batch and its loss; the table has one row per parameter
layer: its gradient norm, the update the rule suggests (lr × gradient) and the
change the optimizer really made (they differ for momentum and Adam).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.training.events import StepDetail

ROW_HEIGHT_LIMIT = 8  # rows shown before the table scrolls: the panel stays small


class StepTable(QWidget):
    """objectName `stepTable`; hidden until a step was taken."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepTable")
        self.title = QLabel(self)
        self.title.setObjectName("stepTitle")
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("stepNumbers")
        self.table.setHorizontalHeaderLabels([
            self.tr("layer"), self.tr("gradient norm"), self.tr("lr × gradient"),
            self.tr("weight change")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip(self.tr(
            "lr × gradient is the step plain SGD takes; the weight change is what the "
            "optimizer really did (momentum and Adam differ)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.detail: StepDetail | None = None
        self.hide()

    def show_detail(self, d: StepDetail) -> None:
        self.detail = d
        self.title.setText(self.tr(
            "Step {s}: batch {b} of epoch {e} ({n} samples), loss {l}, lr {lr}").format(
            s=d.step, b=d.batch, e=d.epoch + 1, n=d.batch_size, l=f"{d.loss:.4g}",
            lr=f"{d.lr:g}"))
        columns = (d.grad_norm, d.update, d.change)
        self.table.setRowCount(len(d.layers))
        for row, name in enumerate(d.layers):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            for col, values in enumerate(columns, start=1):
                value = "" if values is None else f"{values[row]:.3g}"
                self.table.setItem(row, col, QTableWidgetItem(value))
        rows = min(len(d.layers), ROW_HEIGHT_LIMIT)
        header = self.table.horizontalHeader().height()
        self.table.setFixedHeight(header + rows * self.table.rowHeight(0) + 4
                                  if rows else header + 4)
        self.show()
