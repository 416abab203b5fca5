"""The backprop lab's drawing: columns of units, weight edges, bias boxes, labels.

Redrawn whole on every change (a few dozen items: cheaper than bookkeeping) and on a
palette change, so a theme switch never leaves text drawn in the old theme's colour.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
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
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from nnstudio.core.lessons.backprop import LabNetwork, Weight

NODE_R = 26.0  # unit radius in scene pixels: room for a name inside
COL_GAP = 300.0  # between layers: edge labels need the horizontal room
ROW_GAP = 150.0  # between units of a layer: fans of edges spread their labels
SHORT = 4  # decimals on the drawing, where space is tight
SELECTED = QColor("#d62728")
POSITIVE = QColor("#1f77b4")
NEGATIVE = QColor("#ff7f0e")
LABEL_SPOTS = (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75)  # along an edge, best first
INK_ON_FILL = QColor("#202020")  # names inside the light unit circles and bias boxes


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
        self._drawn: tuple | None = None  # the last draw's arguments

    def draw(
        self,
        lab: LabNetwork,
        stage: str,
        selected: str | None,
        old: dict[str, tuple[float, float]] | None = None,
        grads: dict[str, float] | None = None,
    ) -> None:
        """Redraw everything (a few dozen items: cheaper than bookkeeping)."""
        self._drawn = (lab, stage, selected, old, grads)
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """A theme switch: draw again, so no text keeps the old theme's colour
        (issue 13: black numbers on dark grey)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._drawn is not None:
            self.draw(*self._drawn)

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
        title.setBrush(QBrush(INK_ON_FILL))
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
        name.setBrush(QBrush(INK_ON_FILL))
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
