"""DigitCanvas: strokes from mouse, pen and touch; undo, clear; a DPI-free to_array."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nnstudio.ui.canvas import CANVAS_SIZE, DEFAULT_PEN, PEN_RANGE, DigitCanvas

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def canvas(qtbot) -> DigitCanvas:
    widget = DigitCanvas()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def save(artifacts: Path):
    """save(widget, name): a screenshot in test-artifacts/ for a person to look at."""
    return lambda widget, name: widget.grab().save(str(artifacts / f"{name}.png"))


def mouse_stroke(qtbot, widget, points: list[tuple[int, int]]) -> None:
    """Press, move through every point, release: a real mouse stroke."""
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(widget, QPoint(x, y))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def line(
    a: tuple[int, int], b: tuple[int, int], steps: int = 20
) -> list[tuple[int, int]]:
    return [
        (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t))
        for t in np.linspace(0, 1, steps)
    ]


def ink(canvas: DigitCanvas) -> np.ndarray:
    return canvas.to_array() < 128


def test_blank_canvas_is_white_paper(canvas: DigitCanvas, save) -> None:
    array = canvas.to_array()
    assert array.shape == (CANVAS_SIZE, CANVAS_SIZE) and array.dtype == np.uint8
    assert (array == 255).all()  # the "Draw a digit" placeholder is not in the image
    assert canvas.is_empty() and canvas.objectName() == "digitCanvas"
    save(canvas, "canvas_blank")


def test_mouse_draws_a_one(qtbot, canvas: DigitCanvas, save) -> None:
    with qtbot.waitSignal(canvas.sig_changed, timeout=1000):
        mouse_stroke(qtbot, canvas, line((140, 40), (150, 240)))
    assert canvas.stroke_count() == 1 and not canvas.is_drawing()
    mask = ink(canvas)
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    assert rows[0] < 40 < 240 < rows[-1]  # round caps reach past the end points
    assert cols[-1] - cols[0] < 10 + DEFAULT_PEN + 4
    array = canvas.to_array()
    assert 0 < np.count_nonzero((array > 0) & (array < 255))  # antialiased edges
    save(canvas, "canvas_one")


def test_undo_removes_the_last_stroke_and_clear_everything(
    qtbot, canvas: DigitCanvas
) -> None:
    mouse_stroke(qtbot, canvas, line((60, 60), (220, 60)))
    first = canvas.to_array()
    mouse_stroke(qtbot, canvas, line((140, 60), (100, 240)))
    assert canvas.stroke_count() == 2
    with qtbot.waitSignal(canvas.sig_changed, timeout=1000):
        canvas.undo_stroke()
    assert canvas.stroke_count() == 1 and np.array_equal(canvas.to_array(), first)
    with qtbot.waitSignal(canvas.sig_changed, timeout=1000):
        canvas.clear()
    assert canvas.is_empty() and not ink(canvas).any()
    canvas.undo_stroke()  # nothing left to undo: no error
    assert canvas.is_empty()


def test_keyboard_undo_and_clear(qtbot, canvas: DigitCanvas) -> None:
    mouse_stroke(qtbot, canvas, line((60, 60), (220, 60)))
    mouse_stroke(qtbot, canvas, line((60, 200), (220, 200)))
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.stroke_count() == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_empty()


def test_one_dot_and_strokes_off_the_edge(qtbot, canvas: DigitCanvas, save) -> None:
    mouse_stroke(qtbot, canvas, [(140, 140)])
    assert canvas.stroke_count() == 1 and ink(canvas).sum() > 100  # a round dot
    canvas.clear()
    mouse_stroke(qtbot, canvas, line((-30, 20), (CANVAS_SIZE + 40, 300)))
    assert canvas.stroke_count() == 1 and ink(canvas)[:, 0].any()
    save(canvas, "canvas_edges")


def test_pen_width_is_clamped_and_kept_per_stroke(canvas: DigitCanvas, save) -> None:
    canvas.set_pen_width(2)
    for x in range(40, 241, 5):
        canvas.add_point(x, 80)
    canvas.end_stroke()
    canvas.set_pen_width(1000)
    assert canvas.pen_width() == PEN_RANGE[1]
    for x in range(40, 241, 5):
        canvas.add_point(x, 200)
    canvas.end_stroke()
    mask = ink(canvas)
    thin, thick = mask[60:100, 140].sum(), mask[160:250, 140].sum()
    assert thin <= 3 and thick >= PEN_RANGE[1] - 2
    canvas.set_pen_width(-5)
    assert canvas.pen_width() == PEN_RANGE[0]
    save(canvas, "canvas_pens")


def test_live_updates_while_drawing(qtbot, canvas: DigitCanvas) -> None:
    """The stroke in progress is already in to_array and announced (throttled)."""
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(140, 40))
    with qtbot.waitSignal(canvas.sig_changed, timeout=1000):
        qtbot.mouseMove(canvas, QPoint(140, 200))
    assert canvas.is_drawing() and ink(canvas)[100, 140]
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(140, 200))
    assert not canvas.is_drawing()


def test_touch_draws(qtbot, canvas: DigitCanvas) -> None:
    device = QTest.createTouchDevice()
    QTest.touchEvent(canvas, device).press(0, QPoint(50, 140)).commit()
    for x in range(60, 231, 10):
        QTest.touchEvent(canvas, device).move(0, QPoint(x, 140)).commit()
    QTest.touchEvent(canvas, device).release(0, QPoint(230, 140)).commit()
    assert canvas.stroke_count() == 1 and ink(canvas)[140, 50:230].all()


def test_tablet_pen_draws(canvas: DigitCanvas) -> None:
    pen = QPointingDevice(
        "test pen",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )

    def send(kind: QEvent.Type, y: int, buttons: Qt.MouseButton) -> None:
        pos = QPointF(140, y)
        event = QTabletEvent(
            kind, pen, pos, QPointF(canvas.mapToGlobal(pos)), 0.5, 0, 0, 0, 0, 0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons,
        )  # fmt: skip
        QApplication.sendEvent(canvas, event)

    send(QEvent.Type.TabletPress, 40, Qt.MouseButton.LeftButton)
    for y in range(50, 241, 10):
        send(QEvent.Type.TabletMove, y, Qt.MouseButton.LeftButton)
    send(QEvent.Type.TabletRelease, 240, Qt.MouseButton.NoButton)
    assert canvas.stroke_count() == 1 and ink(canvas)[40:240, 140].all()


HIDPI_SCRIPT = """
import sys, numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication([])
from nnstudio.ui.canvas import DigitCanvas
canvas = DigitCanvas()
canvas.show()
for x in range(40, 241, 4):
    canvas.add_point(x, 0.002 * (x - 140) ** 2 + 60)
canvas.end_stroke()
print("dpr", canvas.devicePixelRatioF())
canvas.grab().save(sys.argv[2])
np.save(sys.argv[1], canvas.to_array())
"""


def test_to_array_ignores_hidpi_scaling(
    tmp_path: Path, canvas: DigitCanvas, artifacts: Path
) -> None:
    """At devicePixelRatio 2 the model still gets the same 280x280 image."""
    for x in range(40, 241, 4):
        canvas.add_point(x, 0.002 * (x - 140) ** 2 + 60)
    canvas.end_stroke()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    shot = artifacts / "canvas_hidpi.png"
    result = subprocess.run(
        [sys.executable, "-c", HIDPI_SCRIPT, str(tmp_path / "a.npy"), str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "dpr 2.0" in result.stdout
    hidpi = np.load(tmp_path / "a.npy")
    assert hidpi.shape == (CANVAS_SIZE, CANVAS_SIZE)
    assert np.array_equal(hidpi, canvas.to_array())
