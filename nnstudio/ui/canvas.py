"""DigitCanvas: a sheet of paper to draw digits on with mouse, pen or finger.

Strokes are kept as point lists in logical pixels and drawn as smooth, antialiased
QPainterPaths with round caps. The widget paints them at whatever devicePixelRatio
the screen has (crisp on HiDPI), while `to_array()` renders them into a fresh
CANVAS_SIZE image, so the model input never depends on the screen.

The input handlers stay thin (`add_point`, `end_stroke`, ...) so tests and other
code can draw without synthesizing events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QWidget

CANVAS_SIZE = 280  # logical px: 10x MNIST, room for a mouse, fits a laptop screen
DEFAULT_PEN = 18  # px: about MNIST's stroke width once the digit is scaled to 20 px
PEN_RANGE = (2, 60)  # hairline to marker; preprocessing evens out the width anyway
LIVE_MS = 60  # while drawing, tell listeners at most ~16 times a second
MIN_STEP = 0.75  # px between stored points: pointer jitter adds nothing but cost
PAPER = QColor(255, 255, 255)  # paper stays white in dark themes: it is a drawing
INK = QColor(0, 0, 0)
HINT = QColor(170, 170, 170)


@dataclass
class Stroke:
    """One pen-down .. pen-up: its points and the pen width it was drawn with."""

    width: float
    points: list[QPointF] = field(default_factory=list)

    def path(self) -> QPainterPath:
        """Quadratic curves through the midpoints: smooth, and it passes near every
        sample. A single point becomes a dot (a zero-length line with round caps)."""
        pts = self.points
        path = QPainterPath(pts[0])
        if len(pts) == 1:
            path.lineTo(pts[0] + QPointF(0.01, 0))
            return path
        for a, b in zip(pts[1:-1], pts[2:], strict=False):
            path.quadTo(a, (a + b) / 2)
        path.lineTo(pts[-1])
        return path


class DigitCanvas(QWidget):
    """Black ink on white paper, CANVAS_SIZE x CANVAS_SIZE logical pixels.

    `sig_changed` fires at every stroke end, clear and undo, and at most every
    LIVE_MS while a stroke is being drawn.
    """

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitCanvas")
        self.setFixedSize(CANVAS_SIZE, CANVAS_SIZE)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(
            self.tr(
                "Draw here with the mouse, a pen or a finger. "
                "Ctrl+Z undoes the last stroke, Delete clears."
            )
        )
        self.setAccessibleName(self.tr("Drawing canvas"))
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._pen_width = float(DEFAULT_PEN)
        self._placeholder = self.tr("Draw a digit here")
        self._live = QTimer(self, singleShot=True, interval=LIVE_MS)
        self._live.timeout.connect(self._on_live_timeout)

    # --- thin handlers (tests call these directly) ------------------------------------

    def add_point(self, x: float, y: float) -> None:
        """Extend the stroke being drawn, starting one if the pen just went down."""
        point = QPointF(x, y)
        if self._current is None:
            self._current = Stroke(self._pen_width, [point])
        elif _distance(self._current.points[-1], point) >= MIN_STEP:
            self._current.points.append(point)
        else:
            return
        self.update()
        if not self._live.isActive():
            self._live.start()

    def end_stroke(self) -> None:
        """Pen up: the stroke becomes part of the drawing."""
        if self._current is None:
            return
        self._strokes.append(self._current)
        self._current = None
        self._live.stop()
        self.update()
        self.sig_changed.emit()

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._live.stop()
        self.update()
        self.sig_changed.emit()

    def undo_stroke(self) -> None:
        """Remove the last stroke (or the one still being drawn)."""
        if self._current is not None:
            self._current = None
        elif self._strokes:
            self._strokes.pop()
        else:
            return
        self._live.stop()
        self.update()
        self.sig_changed.emit()

    def set_pen_width(self, width: float) -> None:
        """Width of the next strokes (drawn ones keep theirs), within PEN_RANGE."""
        self._pen_width = float(min(max(width, PEN_RANGE[0]), PEN_RANGE[1]))

    def pen_width(self) -> float:
        return self._pen_width

    def stroke_count(self) -> int:
        return len(self._strokes) + (self._current is not None)

    def is_empty(self) -> bool:
        return self.stroke_count() == 0

    def is_drawing(self) -> bool:
        return self._current is not None

    def set_placeholder(self, text: str) -> None:
        """The grey hint shown on an empty canvas (never part of `to_array`)."""
        self._placeholder = text
        self.update()

    def to_array(self) -> np.ndarray:
        """The drawing as CANVAS_SIZE x CANVAS_SIZE uint8: white paper, black ink,
        at logical resolution whatever the screen's devicePixelRatio."""
        image = QImage(CANVAS_SIZE, CANVAS_SIZE, QImage.Format.Format_Grayscale8)
        image.fill(PAPER)
        painter = QPainter(image)
        self._paint_strokes(painter)
        painter.end()
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(
            CANVAS_SIZE, image.bytesPerLine()
        )
        return rows[:, :CANVAS_SIZE].copy()

    # --- painting ---------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(CANVAS_SIZE, CANVAS_SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        self._paint_strokes(painter)
        if self.is_empty() and self._placeholder:
            painter.setPen(HINT)
            painter.drawText(
                QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self._placeholder
            )
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    def _paint_strokes(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in self._all_strokes():
            pen = QPen(INK, stroke.width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(stroke.path())

    def _all_strokes(self) -> list[Stroke]:
        return self._strokes + ([self._current] if self._current is not None else [])

    # --- input: mouse, tablet, touch, keys --------------------------------------------

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._pen_down(event.position())
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._current is not None:
            self.add_point(event.position().x(), event.position().y())
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self.add_point(event.position().x(), event.position().y())
            self.end_stroke()
        event.accept()

    def tabletEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Pens report here first; accepting stops Qt from also faking mouse events."""
        kind, pos = event.type(), event.position()
        if kind == QEvent.Type.TabletPress:
            self._pen_down(pos)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self.add_point(pos.x(), pos.y())
        elif kind == QEvent.Type.TabletRelease:
            self.end_stroke()
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in _TOUCH:
            self._on_touch(event)
            return True
        if kind == QEvent.Type.ShortcutOverride and _is_canvas_key(event):
            event.accept()  # with focus here, Ctrl+Z/Delete are ours, not the window's
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_stroke()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        else:
            super().keyPressEvent(event)

    def _on_touch(self, event) -> None:
        """One finger draws; a cancelled touch (e.g. a palm) drops its stroke."""
        kind = event.type()
        points = event.points()
        if kind == QEvent.Type.TouchCancel:
            self._current = None
            self.update()
        elif points:
            pos = points[0].position()
            if kind == QEvent.Type.TouchBegin:
                self._pen_down(pos)
            else:
                self.add_point(pos.x(), pos.y())
                if kind == QEvent.Type.TouchEnd:
                    self.end_stroke()
        event.accept()

    def _pen_down(self, pos: QPointF) -> None:
        self.end_stroke()  # a lost release must not glue two strokes together
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.add_point(pos.x(), pos.y())

    @Slot()
    def _on_live_timeout(self) -> None:
        if self._current is not None:
            self.sig_changed.emit()


_TOUCH = (
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
)


def _is_canvas_key(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo) or event.key() in (
        Qt.Key.Key_Delete,
        Qt.Key.Key_Backspace,
    )


def _distance(a: QPointF, b: QPointF) -> float:
    d = a - b
    return (d.x() ** 2 + d.y() ** 2) ** 0.5
