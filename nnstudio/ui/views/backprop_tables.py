"""The backprop lab's side panel: the worked step (forward and loss tables), the
weights, the inputs and targets (both editable), and the loss curve.

`LabTables.fill()` writes the lab's numbers into them; the lab connects the edit
signals (`values_table.itemChanged`, `weights_table.itemChanged/cellClicked`).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.lessons.backprop import LabNetwork
from nnstudio.ui.views.backprop_worked import DIGITS, num


def _item(value: str, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(value)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    # numbers are never cut to "0.751…": a narrow panel scrolls instead
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


class LabTables(QTabWidget):
    """Tabs: Worked step, Weights, Inputs and targets, Loss curve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labTabs")
        self.values_table = _table("valuesTable", [self.tr("Value"), self.tr("Number")])
        self.weights_table = _table(
            "weightsTable",
            [
                self.tr("Weight"),
                self.tr("From → to"),
                self.tr("Value"),
                self.tr("dE/dw"),
                self.tr("Before update"),
            ],
        )
        self.forward_table = _table(
            "forwardTable", [self.tr("Unit"), self.tr("net"), self.tr("out")]
        )
        self.loss_table = _table(
            "lossTable",
            [self.tr("Output"), self.tr("target"), self.tr("out"), self.tr("error")],
        )
        self.loss_plot = pg.PlotWidget()
        self.loss_plot.setObjectName("lossPlot")
        self.loss_plot.setLabel("left", self.tr("E"))
        self.loss_plot.setLabel("bottom", self.tr("step"))
        self.loss_plot.setMinimumHeight(120)
        self.loss_plot.setBackground(self.palette().base().color())
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen("#1f77b4", width=2))
        self.addTab(self._worked_step(), self.tr("Worked step"))
        self.addTab(self.weights_table, self.tr("Weights"))
        self.addTab(self.values_table, self.tr("Inputs and targets"))
        self.addTab(self.loss_plot, self.tr("Loss curve"))

    def _worked_step(self) -> QWidget:
        work = QWidget(self)
        column = QVBoxLayout(work)
        column.setContentsMargins(4, 4, 4, 4)
        for title, widget, stretch in (
            (
                self.tr("<b>Forward</b>: net = Σ w·in + b, out = f(net)"),
                self.forward_table,
                3,
            ),
            (
                self.tr("<b>Loss</b>: each output's error and the total E"),
                self.loss_table,
                2,
            ),
        ):
            heading = QLabel(title, self)
            heading.setWordWrap(True)  # long headings must not widen the panel
            column.addWidget(heading)
            column.addWidget(widget, stretch)
        return work

    # --- the numbers ------------------------------------------------------------------
    def fill(
        self,
        lab: LabNetwork,
        stage: str,
        grads: dict[str, float],
        update: dict[str, tuple[float, float]],
        selected: str | None,
        losses: list[float],
    ) -> None:
        self._fill_values(lab)
        self._fill_weights(lab, grads, update, selected)
        self._fill_forward(lab, stage)
        self._fill_loss(lab)
        self.loss_curve.setData(list(range(len(losses))), losses)

    def _fill_values(self, lab: LabNetwork) -> None:
        rows = [(f"i{k + 1}", v) for k, v in enumerate(lab.inputs)]
        rows += [
            (self.tr("target o{0}").format(k + 1), v) for k, v in enumerate(lab.targets)
        ]
        table = self.values_table
        table.setRowCount(len(rows))
        for r, (name, value) in enumerate(rows):
            table.setItem(r, 0, _item(name))
            table.setItem(r, 1, _item(num(value), editable=True))

    def _fill_weights(
        self,
        lab: LabNetwork,
        grads: dict[str, float],
        update: dict[str, tuple[float, float]],
        selected: str | None,
    ) -> None:
        table = self.weights_table
        weights = lab.weights()
        table.setRowCount(len(weights))
        for r, w in enumerate(weights):
            src = w.src.name if w.src else self.tr("bias")
            dst = ", ".join(d.name for d in w.dst)
            grad = grads.get(w.name)
            before = update.get(w.name)
            cells = [
                w.name,
                f"{src} → {dst}",
                num(lab.value(w.name)),
                "" if grad is None else f"{grad:.{DIGITS}f}",
                "" if before is None else num(before[0]),
            ]
            for c, text in enumerate(cells):
                table.setItem(r, c, _item(text, editable=c == 2))
            if w.name == selected:
                table.selectRow(r)

    def _fill_forward(self, lab: LabNetwork, stage: str) -> None:
        rows = lab.forward_table() if stage != "edit" else []
        table = self.forward_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            net = "" if row.net is None else f"{row.net:.{DIGITS}f}"
            for c, text in enumerate((row.unit.name, net, f"{row.out:.{DIGITS}f}")):
                table.setItem(r, c, _item(text))

    def _fill_loss(self, lab: LabNetwork) -> None:
        shares, total = lab.loss_table()
        table = self.loss_table
        table.setRowCount(len(shares) + 1)
        for r, row in enumerate(shares):
            cells = (
                f"E_{row.unit.name}",
                num(row.target),
                f"{row.out:.{DIGITS}f}",
                f"{row.error:.{DIGITS}f}",
            )
            for c, text in enumerate(cells):
                table.setItem(r, c, _item(text))
        table.setItem(len(shares), 0, _item(self.tr("E total")))
        for c in (1, 2):
            table.setItem(len(shares), c, _item(""))
        table.setItem(len(shares), 3, _item(f"{total:.{DIGITS}f}"))
