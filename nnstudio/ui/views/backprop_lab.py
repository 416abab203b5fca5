"""The backprop lab: one training step of a tiny network, worked out like a textbook.

Left, the network as a graph (inputs, units with net/out, edges labelled with their
weights and, after Backward, their gradients; click an edge or a bias for its chain
rule). Right, everything editable (inputs, targets, weights, biases, activation,
loss, learning rate) and the worked numbers. All numbers come from
`core.lessons.backprop.LabNetwork`: autograd on the real model, never recomputed here.
"""

from __future__ import annotations

import logging
import math
from html import escape
from typing import Any

import pyqtgraph as pg
import torch
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.errors import NNStudioError
from nnstudio.core.lessons.backprop import LabNetwork, Weight, short_floats
from nnstudio.core.training.config import parse_number
from nnstudio.ui.studio import Studio, current_data, is_dataset_of

NODE_R = 26.0  # unit radius in scene pixels: room for a name inside
COL_GAP = 300.0  # between layers: edge labels need the horizontal room
ROW_GAP = 150.0  # between units of a layer: fans of edges spread their labels
RUN_CHUNK = 200  # steps per timer tick: ~50 ms of work, the window stays responsive
MAX_STEPS = 100_000
DIGITS = 8  # decimals of the worked numbers (Mazur's example prints 8)
SHORT = 4  # decimals on the drawing, where space is tight
SELECTED = QColor("#d62728")
POSITIVE = QColor("#1f77b4")
NEGATIVE = QColor("#ff7f0e")
LABEL_SPOTS = (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75)  # along an edge, best first
LABEL_ALL_UP_TO = 14  # weights and biases; beyond, labels on every edge would overlap

log = logging.getLogger(__name__)


class _Label(QGraphicsSimpleTextItem):
    """Text with a soft background, so labels stay readable where edges cross."""

    def __init__(self, text: str, parent: QGraphicsItem | None = None) -> None:
        super().__init__(text, parent)
        self.setZValue(3)

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        base = QColor(
            widget.palette().base().color() if widget else Qt.GlobalColor.white
        )
        base.setAlpha(215)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(base)
        painter.drawRoundedRect(self.boundingRect().adjusted(-3, -1, 3, 1), 3, 3)
        super().paint(painter, option, widget)


class _Edge(QGraphicsLineItem):
    """A weight (or a bias line); a click selects it for the chain rule."""

    def __init__(self, name: str, a: QPointF, b: QPointF, pick: Any) -> None:
        super().__init__(a.x(), a.y(), b.x(), b.y())
        self.name, self._pick = name, pick
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(1)

    def shape(self) -> QPainterPath:
        """A 10 px wide band: thin lines are hard to hit with a mouse."""
        path = QPainterPath(self.line().p1())
        path.lineTo(self.line().p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(path)

    def mousePressEvent(self, event: Any) -> None:
        self._pick(self.name)
        event.accept()


class _BiasNode(QGraphicsRectItem):
    def __init__(self, name: str, rect: QRectF, pick: Any) -> None:
        super().__init__(rect)
        self.name, self._pick = name, pick
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)

    def mousePressEvent(self, event: Any) -> None:
        self._pick(self.name)
        event.accept()


class BackpropGraph(QGraphicsView):
    """The network drawn: columns of units, weight edges, bias boxes.

    Labels are placed last, each at the first spot along its edge that overlaps
    nothing already drawn (circles, notes, other labels): with two lines of numbers
    per edge, fixed positions collide as soon as edges cross.
    """

    sig_picked = Signal(str)  # a weight or bias name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backpropGraph")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self.setMinimumSize(300, 260)
        self.edges: dict[str, _Edge] = {}
        self.edge_labels: dict[str, _Label] = {}
        self.unit_labels: dict[str, _Label] = {}
        self.label_all = True
        self._taken: list[QRectF] = []

    def draw(
        self,
        lab: LabNetwork,
        stage: str,
        selected: str | None,
        old: dict[str, tuple[float, float]] | None = None,
        grads: dict[str, float] | None = None,
    ) -> None:
        """Redraw everything (a few dozen items: cheaper than bookkeeping)."""
        scene = self.scene()
        scene.clear()
        self.edges, self.edge_labels, self.unit_labels = {}, {}, {}
        self._text = self.palette().text().color()
        self._taken = []
        centres = self._centres(lab)
        rows = {r.unit.name: r for r in lab.forward_table()} if stage != "edit" else {}
        last = len(lab.sizes) - 1
        for layer in lab.units():
            for unit in layer:
                self._draw_unit(
                    unit.name,
                    centres[unit.name],
                    rows.get(unit.name),
                    unit.layer,
                    last,
                    lab,
                )
        values = lab.values()
        grads = grads or {}
        pending = []
        for w in sorted(lab.weights(), key=lambda w: w.name != selected):
            note = _value_text(w.name, values[w.name], grads.get(w.name), old)
            colour = (
                SELECTED
                if w.name == selected
                else POSITIVE
                if values[w.name] >= 0
                else NEGATIVE
            )
            width = (
                3.0 if w.name == selected else 1.0 + min(2.5, abs(values[w.name]) * 2)
            )
            draw = self._draw_bias if w.is_bias else self._draw_edge
            spot = draw(w, centres, note, colour, width)
            if self.label_all or w.name == selected or w.is_bias:
                pending.append((w.name, spot, note, colour))
        for name, spot, note, colour in pending:
            self._place_label(name, spot, note, colour)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.scene() and not self.scene().sceneRect().isEmpty():
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    @staticmethod
    def _centres(lab: LabNetwork) -> dict[str, QPointF]:
        tallest = max(lab.sizes)
        centres = {}
        for layer in lab.units():
            top = (tallest - len(layer)) * ROW_GAP / 2
            for unit in layer:
                centres[unit.name] = QPointF(
                    unit.layer * COL_GAP, top + unit.index * ROW_GAP
                )
        return centres

    def _draw_unit(
        self, name: str, c: QPointF, row: Any, layer: int, last: int, lab: LabNetwork
    ) -> None:
        scene = self.scene()
        circle = QGraphicsEllipseItem(
            c.x() - NODE_R, c.y() - NODE_R, 2 * NODE_R, 2 * NODE_R
        )
        fill = "#e8f1fb" if layer == 0 else "#fdf1e4" if layer == last else "#eef7ee"
        circle.setBrush(QBrush(QColor(fill)))
        circle.setPen(QPen(self._text, 1.5))
        circle.setZValue(2)
        scene.addItem(circle)
        self._taken.append(circle.rect().adjusted(-4, -4, 4, 4))
        title = QGraphicsSimpleTextItem(name)
        title.setBrush(QBrush(QColor("#202020")))
        title.setFont(_bold(self.font()))
        title.setPos(c - title.boundingRect().center())
        title.setZValue(4)
        scene.addItem(title)
        index = int(name.rsplit("_", 1)[-1].lstrip("iho")) - 1
        if layer == 0:
            self._note(name, c, f"{lab.inputs[index]:.{SHORT}f}", "left")
        elif row is not None:
            self._note(
                name, c, f"net {row.net:.{SHORT}f}\nout {row.out:.{SHORT}f}", "below"
            )
        if layer == last:
            target = self.tr("target {0}").format(f"{lab.targets[index]:.{SHORT}f}")
            self._note(f"t_{name}", c, target, "right")

    def _note(self, key: str, c: QPointF, note: str, side: str) -> None:
        label = _Label(note)
        label.setBrush(QBrush(self._text))
        r = label.boundingRect()
        x = {
            "left": c.x() - NODE_R - 6 - r.width(),
            "right": c.x() + NODE_R + 6,
            "below": c.x() - r.width() / 2,
        }[side]
        y = c.y() + NODE_R + 4 if side == "below" else c.y() - r.height() / 2
        label.setPos(x, y)
        self.scene().addItem(label)
        self._taken.append(label.sceneBoundingRect())
        self.unit_labels[key] = label

    def _draw_edge(
        self,
        w: Weight,
        centres: dict[str, QPointF],
        note: str,
        colour: QColor,
        width: float,
    ) -> tuple[QPointF, QPointF]:
        a, b = centres[w.src.name], centres[w.dst[0].name]
        edge = _Edge(
            w.name, _towards(a, b, NODE_R), _towards(b, a, NODE_R), self.sig_picked.emit
        )
        edge.setPen(QPen(colour, width))
        edge.setToolTip(note)
        self.scene().addItem(edge)
        self.edges[w.name] = edge
        return [(a + (b - a) * t, "centre") for t in LABEL_SPOTS]

    def _draw_bias(
        self,
        w: Weight,
        centres: dict[str, QPointF],
        note: str,
        colour: QColor,
        width: float,
    ) -> tuple[QPointF, QPointF]:
        first = centres[w.dst[0].name]
        column_top = min(centres[d.name].y() for d in w.dst)
        box = QPointF(first.x() - COL_GAP * 0.22, column_top - ROW_GAP * 0.7)
        if len(w.dst) == 1:  # per-unit bias: a box above-left of its own unit
            box = QPointF(first.x() - COL_GAP * 0.16, first.y() - ROW_GAP * 0.38)
        for d in w.dst:
            edge = _Edge(
                w.name,
                box,
                _towards(centres[d.name], box, NODE_R),
                self.sig_picked.emit,
            )
            edge.setPen(QPen(colour, width * 0.8, Qt.PenStyle.DashLine))
            edge.setToolTip(note)
            self.scene().addItem(edge)
            self.edges.setdefault(w.name, edge)
        node = _BiasNode(
            w.name, QRectF(box.x() - 13, box.y() - 11, 26, 22), self.sig_picked.emit
        )
        node.setBrush(QBrush(QColor("#f4f4f4")))
        node.setPen(QPen(colour, 1.5))
        node.setToolTip(note)
        self.scene().addItem(node)
        self._taken.append(node.rect().adjusted(-3, -3, 3, 3))
        name = QGraphicsSimpleTextItem(w.name, node)
        name.setBrush(QBrush(QColor("#202020")))
        name.setPos(box - name.boundingRect().center())
        return [
            (box + QPointF(0, -14), "above"),
            (box + QPointF(-16, 0), "left"),
            (box + QPointF(16, 0), "right"),
            (box + QPointF(0, 14), "below"),
        ]

    def _place_label(
        self, name: str, spots: list[tuple[QPointF, str]], note: str, colour: QColor
    ) -> None:
        """At the first free spot offered (the least crowded one if none is free)."""
        label = _Label(note)
        label.setBrush(QBrush(SELECTED if colour == SELECTED else self._text))
        size = label.boundingRect().size()
        best, best_overlap = None, math.inf
        for point, side in spots:
            rect = _rect_at(point, size, side)
            overlap = sum(_area(rect.intersected(r)) for r in self._taken)
            if overlap < best_overlap:
                best, best_overlap = rect, overlap
            if overlap == 0:
                break
        label.setPos(best.topLeft())
        self.scene().addItem(label)
        self._taken.append(best.adjusted(-2, -2, 2, 2))
        self.edge_labels[name] = label


def _rect_at(point: QPointF, size: Any, side: str) -> QRectF:
    """A label's rectangle centred on `point`, or beside it on `side`."""
    w, h = size.width(), size.height()
    x = {"left": point.x() - w, "right": point.x()}.get(side, point.x() - w / 2)
    y = {"above": point.y() - h, "below": point.y()}.get(side, point.y() - h / 2)
    return QRectF(x, y, w, h)


def _area(rect: QRectF) -> float:
    return max(0.0, rect.width()) * max(0.0, rect.height())


def _value_text(
    name: str,
    value: float,
    grad: float | None,
    old: dict[str, tuple[float, float]] | None,
) -> str:
    lines = [f"{name} = {value:.{SHORT}f}"]
    if old and name in old and old[name][0] != old[name][1]:
        lines[0] = f"{name}: {old[name][0]:.{SHORT}f} → {value:.{SHORT}f}"
    if grad is not None:  # significant digits: gradients of 0.0004 are common
        lines.append(f"dE/d{name} = {grad:.{SHORT}g}")
    return "\n".join(lines)


def _towards(a: QPointF, b: QPointF, distance: float) -> QPointF:
    """The point `distance` from a towards b (edges start at circle borders)."""
    d = b - a
    length = math.hypot(d.x(), d.y()) or 1.0
    return a + d * (distance / length)


def _bold(font: QFont) -> QFont:
    font = QFont(font)
    font.setBold(True)
    return font


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


class BackpropLab(QWidget):
    """The lab view. Owns one LabNetwork; `bind(studio)` follows the document."""

    sig_changed = Signal()  # the numbers on screen changed (tests, screenshots)
    TITLE = "Backprop lab"  # as the live views name themselves (views.view_title)

    def __init__(self, parent: QWidget | None = None, lab: LabNetwork | None = None):
        super().__init__(parent)
        self.setObjectName("backpropLab")
        self.lab = lab or LabNetwork.from_preset("backprop-2-2-2")
        self.stage = "edit"
        self.selected: str | None = None
        self.last_update: dict[str, tuple[float, float]] = {}
        self.losses: list[float] = []
        self.studio: Studio | None = None
        self._filling = False
        self._remaining = 0
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._build()
        self._select_default()
        self.forward()

    # --- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for row in self._settings_rows():
            layout.addLayout(row)
        layout.addLayout(self._buttons_row())
        self.status = QLabel(self)
        self.status.setObjectName("labStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.message = QLabel(self)
        self.message.setObjectName("labMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.chain_text = QLabel(self)
        self.chain_text.setObjectName("chainRuleText")
        self.chain_text.setTextFormat(Qt.TextFormat.RichText)
        self.chain_text.setWordWrap(True)
        self.chain_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chain_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.chain_text.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QSplitter(Qt.Orientation.Vertical, split)  # the drawing over its maths
        self.graph = BackpropGraph(left)
        self.graph.sig_picked.connect(self._on_graph_picked)
        left.addWidget(self.graph)
        left.addWidget(self._chain_box())
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        self.left = left
        split.addWidget(left)
        split.addWidget(self._side_panel())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        self.split = split
        layout.addWidget(split, 1)

    def _settings_rows(self) -> list[QHBoxLayout]:
        """Two short rows: the lab must fit the studio's view area (~950 px)."""
        self.layers_edit = QLineEdit(self)
        self.layers_edit.setObjectName("layersEdit")
        self.layers_edit.setMaximumWidth(110)
        self.layers_edit.setToolTip(
            self.tr(
                "Units per layer, inputs first, e.g. 2-2-2 (up to 4 layers of up to 8 "
                "units). Press Enter: new random weights."
            )
        )
        self.layers_edit.editingFinished.connect(self._on_layers_edit_finished)
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
        self.train_bias_check.toggled.connect(self._on_train_bias_check_toggled)
        self.lr_spin = QDoubleSpinBox(self)
        self.lr_spin.setObjectName("lrSpin")
        self.lr_spin.setDecimals(4)
        self.lr_spin.setRange(0.0001, 100.0)
        self.lr_spin.setSingleStep(0.05)
        self.lr_spin.setToolTip(self.tr("Learning rate η in w ← w − η·dE/dw"))
        self.lr_spin.valueChanged.connect(self._on_lr_spin_value_changed)
        self.labels_check = QCheckBox(self.tr("label every edge"), self)
        self.labels_check.setObjectName("labelsCheck")
        self.labels_check.setToolTip(
            self.tr(
                "Off: only the selected edge is labelled (hover an edge for "
                "its numbers)"
            )
        )
        self.labels_check.setChecked(True)
        self.labels_check.toggled.connect(self._on_labels_check_toggled)
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
        combo.currentIndexChanged.connect(self._on_combo_changed)
        return combo

    def _buttons_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        specs = (
            (
                "forwardButton",
                self.tr("1 Forward"),
                self.tr("Compute every unit's net input and output"),
                self.forward,
            ),
            (
                "backwardButton",
                self.tr("2 Backward"),
                self.tr("Compute dE/dw for every weight by the chain rule"),
                self.backward,
            ),
            (
                "updateButton",
                self.tr("3 Update"),
                self.tr("w ← w − η·dE/dw for every weight that trains"),
                self.update_step,
            ),
        )
        self.buttons: dict[str, QPushButton] = {}
        for name, text, tip, slot in specs:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
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
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.reset_button = QPushButton(self.tr("Reset"), self)
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setToolTip(
            self.tr("Back to the network and weights it opened with")
        )
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        row.addWidget(QLabel(self.tr("N"), self))
        row.addWidget(self.steps_spin)
        row.addWidget(self.run_button)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        return row

    def _chain_box(self) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(4, 4, 4, 4)
        heading = QLabel(
            self.tr(
                "<b>Backward</b>: the chain rule for the selected weight "
                "(click an edge or a bias box)"
            ),
            box,
        )
        heading.setWordWrap(True)
        column.addWidget(heading)
        column.addWidget(self.chain_text, 1)
        return box

    def _side_panel(self) -> QWidget:
        tabs = QTabWidget(self)
        tabs.setObjectName("labTabs")
        self.values_table = _table("valuesTable", [self.tr("Value"), self.tr("Number")])
        self.values_table.itemChanged.connect(self._on_values_table_item_changed)
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
        self.weights_table.itemChanged.connect(self._on_weights_table_item_changed)
        self.weights_table.cellClicked.connect(self._on_weights_table_cell_clicked)
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
        tabs.addTab(work, self.tr("Worked step"))
        tabs.addTab(self.weights_table, self.tr("Weights"))
        tabs.addTab(self.values_table, self.tr("Inputs and targets"))
        tabs.addTab(self.loss_plot, self.tr("Loss curve"))
        self.tabs = tabs
        return tabs

    def showEvent(self, event: Any) -> None:
        """First show: the drawing gets 60% of the width and of the height."""
        super().showEvent(event)
        if not getattr(self, "_sized", False) and hasattr(self, "left"):
            self._sized = True
            width = max(self.split.width(), 1)
            self.split.setSizes([int(width * 0.6), width - int(width * 0.6)])
            height = max(self.left.height(), 1)
            self.left.setSizes([int(height * 0.62), height - int(height * 0.62)])

    # --- the four actions -------------------------------------------------------------
    @Slot()
    def forward(self) -> None:
        self.stage = "forward"
        self.last_update = {}
        self._show()

    @Slot()
    def backward(self) -> None:
        self.stage = "backward"
        self.last_update = {}
        self._show()

    @Slot()
    def update_step(self) -> None:
        """Apply one SGD step; the drawing shows old → new for every weight."""
        self._rule_before = self._rule_html() if self.selected else ""
        self._grads_used = self.lab.gradients()
        self.last_update = self.lab.step()
        self.losses.append(self.lab.total_loss())
        self.stage = "update"
        self._show()

    def run_steps(self, n: int) -> None:
        """Start n steps in chunks on a timer (the GUI stays responsive)."""
        if self._remaining:
            return
        self._remaining = int(n)
        self._before_run = self.lab.values()
        self._set_running(True)
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        chunk = min(RUN_CHUNK, self._remaining)
        try:
            losses = self.lab.run(chunk)
        except NNStudioError as exc:
            self._stop_run()
            self._say(str(exc))
            return
        self.losses += losses[1:]
        self._remaining -= chunk
        if self._remaining <= 0:
            self._stop_run()
        after = self.lab.values()
        self.last_update = {k: (self._before_run[k], after[k]) for k in after}
        self.stage = "forward"
        self._show()

    def _stop_run(self) -> None:
        self._timer.stop()
        self._remaining = 0
        self._set_running(False)

    @property
    def running(self) -> bool:
        return self._remaining > 0

    def _set_running(self, running: bool) -> None:
        for widget in (*self.buttons.values(), self.reset_button, self.layers_edit):
            widget.setEnabled(not running)
        self.run_button.setText(self.tr("Stop") if running else self.tr("Run N steps"))

    # --- drawing ----------------------------------------------------------------------
    def _show(self) -> None:
        """Fill every panel from the lab (graph, tables, chain rule, loss curve)."""
        self._filling = True
        try:
            self._sync_settings()
            self.graph.draw(
                self.lab, self.stage, self.selected, self.last_update, self._grads()
            )
            self._fill_values()
            self._fill_weights()
            self._fill_forward()
            self._fill_loss()
            self.chain_text.setText(self._chain_html())
            self.loss_curve.setData(list(range(len(self.losses))), self.losses)
            self._fill_status()
        finally:
            self._filling = False
        self.sig_changed.emit()

    def _grads(self) -> dict[str, float]:
        """The gradients on show: current after Backward, the ones used after Update."""
        if self.stage == "update":
            return getattr(self, "_grads_used", {})
        return self.lab.gradients() if self.stage == "backward" else {}

    def _sync_settings(self) -> None:
        lab = self.lab
        self.layers_edit.setText("-".join(map(str, lab.sizes)))
        acts = set(lab.activations)
        self._set_combo(self.activation_combo, acts.pop() if len(acts) == 1 else None)
        self._set_combo(self.loss_combo, lab.loss_name)
        self._set_combo(self.bias_combo, lab.bias)
        self.train_bias_check.setChecked(lab.train_bias)
        self.train_bias_check.setEnabled(lab.bias != "none")
        self.lr_spin.setValue(lab.lr)

    @staticmethod
    def _set_combo(combo: QComboBox, key: str | None) -> None:
        index = combo.findData(key) if key is not None else -1
        combo.setCurrentIndex(index)

    def _fill_values(self) -> None:
        rows = [(f"i{k + 1}", v) for k, v in enumerate(self.lab.inputs)]
        rows += [
            (self.tr("target o{0}").format(k + 1), v)
            for k, v in enumerate(self.lab.targets)
        ]
        table = self.values_table
        table.setRowCount(len(rows))
        for r, (name, value) in enumerate(rows):
            table.setItem(r, 0, _item(name))
            table.setItem(r, 1, _item(_num(value), editable=True))

    def _fill_weights(self) -> None:
        lab, table = self.lab, self.weights_table
        grads = self._grads()
        weights = lab.weights()
        table.setRowCount(len(weights))
        for r, w in enumerate(weights):
            src = w.src.name if w.src else self.tr("bias")
            dst = ", ".join(d.name for d in w.dst)
            grad = grads.get(w.name)
            before = self.last_update.get(w.name)
            cells = [
                w.name,
                f"{src} → {dst}",
                _num(lab.value(w.name)),
                "" if grad is None else f"{grad:.{DIGITS}f}",
                "" if before is None else _num(before[0]),
            ]
            for c, text in enumerate(cells):
                table.setItem(r, c, _item(text, editable=c == 2))
            if w.name == self.selected:
                table.selectRow(r)

    def _fill_forward(self) -> None:
        rows = self.lab.forward_table() if self.stage != "edit" else []
        table = self.forward_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            net = "" if row.net is None else f"{row.net:.{DIGITS}f}"
            for c, text in enumerate((row.unit.name, net, f"{row.out:.{DIGITS}f}")):
                table.setItem(r, c, _item(text))

    def _fill_loss(self) -> None:
        shares, total = self.lab.loss_table()
        table = self.loss_table
        table.setRowCount(len(shares) + 1)
        for r, row in enumerate(shares):
            cells = (
                f"E_{row.unit.name}",
                _num(row.target),
                f"{row.out:.{DIGITS}f}",
                f"{row.error:.{DIGITS}f}",
            )
            for c, text in enumerate(cells):
                table.setItem(r, c, _item(text))
        table.setItem(len(shares), 0, _item(self.tr("E total")))
        for c in (1, 2):
            table.setItem(len(shares), c, _item(""))
        table.setItem(len(shares), 3, _item(f"{total:.{DIGITS}f}"))

    def _fill_status(self) -> None:
        outs = ", ".join(f"{v:.4f}" for v in self.lab.outputs())
        wanted = ", ".join(f"{v:.4g}" for v in self.lab.targets)
        self.status.setText(
            self.tr("E = {0}   outputs ({1}), targets ({2})").format(
                f"{self.lab.total_loss():.{DIGITS}f}", outs, wanted
            )
        )

    def chain_rule_text(self) -> str:
        """The chain rule panel as plain text (tests and screen readers)."""
        return self.chain_text.text()

    def _chain_html(self) -> str:
        if self.stage in ("edit", "forward") or self.selected is None:
            return self.tr(
                "Press <b>2 Backward</b>, then click an edge or a bias box "
                "to see its gradient worked out by the chain rule."
            )
        if self.stage == "update":
            return getattr(self, "_rule_before", "") + self._update_html()
        return self._rule_html()

    def _rule_html(self) -> str:
        """The selected weight's chain rule with the current numbers, and why."""
        rule = self.lab.chain_rule(self.selected)
        lines = [rule.formula(), "    " + rule.numbers(DIGITS)]
        if rule.expansion:
            sums = " + ".join(
                " * ".join(f.name for f in t.factors) for t in rule.expansion
            )
            nums = " + ".join(
                " * ".join(f"{f.value:.{DIGITS}f}" for f in t.factors)
                for t in rule.expansion
            )
            total = sum(t.product for t in rule.expansion)
            lines += [
                "",
                self.tr("where"),
                f"{rule.expanded} = {sums}",
                f"    = {nums} = {total:.{DIGITS}f}",
            ]
        check = self.tr("autograd gives dE/d{0} = {1}").format(
            rule.weight, f"{rule.gradient:.{DIGITS}f}"
        )
        lines += ["", check]
        if not rule.trainable:
            lines.append(self.tr("(this bias does not train: the update leaves it)"))
        return _mono(lines) + self._factor_table(rule)

    def _factor_table(self, rule: Any) -> str:
        """Each factor of the first term with its value and the textbook reason."""
        rows = "".join(
            f"<tr><td><tt>{escape(f.name)}</tt></td><td align='right'><tt>"
            f"{f.value:.{DIGITS}f}</tt></td><td>{escape(self._why(f.name))}</td></tr>"
            for f in rule.terms[0].factors
        )
        return f"<table cellspacing='6'>{rows}</table>"

    def _why(self, name: str) -> str:
        """What a factor is, in words: the formula autograd's number agrees with."""
        head, _, tail = name.partition("/")
        unit = head.split("_", 1)[-1]
        if head == "dE" and tail.startswith("dout_o"):
            if self.lab.loss_name == "half-sse":
                return self.tr("= out − target (from E = ½ Σ (target − out)²)")
            return self.tr("= 2 (out − target) / n (from E = mean (target − out)²)")
        if head == "dE":
            return self.tr("= Σ over the next layer of dE/dnet · w (see “where”)")
        if head.startswith("dout"):
            layer = next(
                u.layer for row in self.lab.units() for u in row if u.name == unit
            )
            return {
                "sigmoid": self.tr("= out (1 − out), the sigmoid's slope"),
                "tanh": self.tr("= 1 − out², the slope of tanh"),
                "relu": self.tr("= 1 if net > 0, else 0 (ReLU)"),
                "linear": self.tr("= 1 (no activation)"),
            }[self.lab.activations[layer - 1]]
        if tail.startswith("db"):
            return self.tr("= 1: the bias is added to net")
        w = self.lab.weight(tail[1:])
        return self.tr("= out of {0}, the input this weight multiplies").format(
            w.src.name if w.src else ""
        )

    def _update_html(self) -> str:
        name = self.selected
        if name is None or name not in self.last_update:
            return ""
        old, new = self.last_update[name]
        if old == new:
            return _mono(
                [
                    "",
                    self.tr("{0} stays {1} (it does not train)").format(
                        name, _num(old)
                    ),
                ]
            )
        grad = self._grads_used[name]
        return _mono(
            [
                "",
                self.tr("update (η = {0}):").format(_num(self.lab.lr)),
                f"{name}⁺ = {name} − η * dE/d{name}",
                f"    = {_num(old)} − {_num(self.lab.lr)} * {grad:.{DIGITS}f}",
                f"    = {_num(new)}",
            ]
        )

    # --- selection --------------------------------------------------------------------
    def select_weight(self, name: str) -> None:
        self.selected = name
        if self.stage in ("edit", "forward"):
            self.stage = "backward"
            self.last_update = {}
        self._show()

    def _select_default(self) -> None:
        names = [w.name for w in self.lab.weights()]
        layer1 = self.lab.sizes[0] * self.lab.sizes[1]
        self.selected = (
            names[layer1]
            if len(names) > layer1 and not self.lab.weights()[layer1].is_bias
            else (names[0] if names else None)
        )

    @Slot(str)
    def _on_graph_picked(self, name: str) -> None:
        self.select_weight(name)

    @Slot(int, int)
    def _on_weights_table_cell_clicked(self, row: int, column: int) -> None:
        item = self.weights_table.item(row, 0)
        if item is not None and column != 2:
            self.select_weight(item.text())

    # --- edits ------------------------------------------------------------------------
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
                raise ValueError(self.tr("write the layer sizes like 2-3-2")) from None
            self.lab.resize(sizes)
            self._select_default()
            self.losses = []
            self.labels_check.setChecked(len(self.lab.weights()) <= LABEL_ALL_UP_TO)

        self._edit(change)

    @Slot(bool)
    def _on_labels_check_toggled(self, checked: bool) -> None:
        self.graph.label_all = checked
        if not self._filling:
            self._show()

    @Slot()
    def _on_run_button_clicked(self) -> None:
        if self.running:
            self._stop_run()
            return
        self.run_steps(self.steps_spin.value())

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        self.set_lab(
            getattr(self, "_origin", None) or LabNetwork.from_preset("backprop-2-2-2")
        )

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- opening networks -------------------------------------------------------------
    def set_lab(self, lab: LabNetwork, origin: LabNetwork | None = None) -> None:
        """Show another network (a fresh start: stage Forward, no history)."""
        self._stop_run()
        self.lab = lab
        if origin is not None:
            self._origin = origin
        self.losses = []
        self.last_update = {}
        self._say("")
        self._select_default()
        self.labels_check.setChecked(len(lab.weights()) <= LABEL_ALL_UP_TO)
        self.forward()

    def open_spec(
        self,
        spec: Any,
        config: Any = None,
        data: Any = None,
        weights: dict[str, Any] | None = None,
    ) -> bool:
        """Open the studio's network if it fits; otherwise say why and keep ours."""
        from nnstudio.core.network.spec import NetworkSpec

        try:
            if weights:
                spec = NetworkSpec(
                    spec.input_shape,
                    spec.layers,
                    spec.init,
                    spec.init_std,
                    {k: v.tolist() for k, v in weights.items()},
                )
            x, y = _sample(data, spec)
            loss = getattr(config, "loss", "half-sse")
            lr = getattr(config, "lr", 0.5)
            seed = getattr(config, "seed", 0)
            lab = LabNetwork.from_spec(
                spec, loss=loss, lr=lr, inputs=x, targets=y, seed=seed
            )
            origin = LabNetwork.from_spec(
                spec, loss=loss, lr=lr, inputs=x, targets=y, seed=seed
            )
        except NNStudioError as exc:
            self._say(
                self.tr(
                    "The studio's network does not fit the lab: {0}. The lab "
                    "keeps its own network."
                ).format(str(exc))
            )
            return False
        self.set_lab(lab, origin)
        return True

    def bind(self, studio: Studio, demand: Any = None) -> None:
        """Follow the studio's document: open its network whenever it fits.

        `demand` is accepted (and unused) so `install_views` can bind the lab like
        the live views; the lab asks the trainer for nothing.
        """
        self.studio = studio
        doc = studio.document
        doc.sig_spec_changed.connect(self._on_document_changed)
        doc.sig_weights_changed.connect(self._on_document_changed)
        if studio.data_source is not None:
            studio.data_source.sig_data_changed.connect(self._on_document_changed)
        self._on_document_changed()

    @Slot()
    def _on_document_changed(self, *_: Any) -> None:
        if self.running:
            return
        if self.studio is None:
            return
        doc = self.studio.document
        try:
            data = _dataset_of(current_data(self.studio), doc.config)
            self.open_spec(doc.spec, doc.config, data, doc.weights)
        except Exception:  # noqa: BLE001 - a network the lab cannot draw never breaks the studio
            log.exception("the backprop lab cannot show this network")

    def wanted_probes(self) -> frozenset[str]:
        """Nothing: the lab computes its own numbers (the live views' contract)."""
        return frozenset()


def _dataset_of(data: Any, config: Any) -> Any:
    """The studio's loaded `data` if it is the project's dataset; a generated dataset
    (backprop-example, ...) is made here at once, as it costs nothing."""
    if is_dataset_of(data, config):
        return data
    wanted = getattr(config, "dataset", None)
    from nnstudio.core.datasets import DATASETS, load_dataset

    info = DATASETS.get(str(wanted))
    if info is None or info.source != "generated":
        return None
    try:
        return load_dataset(info.name, seed=config.seed, **config.dataset_options)
    except NNStudioError:  # a bad option: the training panel says so already
        return None


def _sample(data: Any, spec: Any) -> tuple[list[float] | None, list[float] | None]:
    """The first training sample when the dataset fits the network, else defaults."""
    shape = tuple(spec.input_shape)
    if data is None or tuple(data.input_shape) != shape or len(shape) != 1:
        return None, None  # the lab draws flat inputs only
    x = short_floats(data.inputs(data.x_train[:1])[0])
    if data.task == "regression":
        return x, short_floats(data.y_train[0])
    return x, None


def _num(value: float) -> str:
    """A float32 parameter as the shortest decimal that is exactly it ("0.4")."""
    return str(short_floats(torch.tensor([value]))[0])


def _mono(lines: list[str]) -> str:
    """Lines in a monospace block, so the factors line up under the formula."""
    body = "<br>".join(escape(line).replace("  ", "&nbsp;&nbsp;") for line in lines)
    return f"<div style='font-family: monospace'>{body}</div>"
