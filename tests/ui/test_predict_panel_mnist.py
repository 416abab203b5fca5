"""Digits drawn stroke by stroke on the Predict panel, read by a model trained on real
MNIST: the canvas -> preprocess -> model path must get them right at any pen width,
size and place (a plain resize of the canvas would not)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, Qt
from torch import nn

from nnstudio.ui.predict_panel import PredictPanel

MNIST_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"
IMAGES, LABELS = "mnist-8k-images-idx3-ubyte", "mnist-8k-labels-idx1-ubyte"
DIGITS = tuple(str(i) for i in range(10))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (MNIST_DIR / f"{IMAGES}.gz").is_file(),
        reason=f"real MNIST digits not found in {MNIST_DIR} (shared test data)",
    ),
]


def arc(cx, cy, rx, ry, a0, a1, n=24) -> list[tuple[float, float]]:
    t = np.radians(np.linspace(a0, a1, n))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


def polyline(*points, n=12) -> list[tuple[float, float]]:
    out = []
    for a, b in zip(points[:-1], points[1:], strict=True):
        for t in np.linspace(0, 1, n, endpoint=False):
            out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
    return out + [points[-1]]


# How a student draws each digit, in a unit box (x right, y down), one list per stroke.
STROKES = {
    0: [arc(0.5, 0.5, 0.3, 0.45, -90, 270, 40)],
    1: [polyline((0.38, 0.18), (0.55, 0.0), (0.5, 1.0))],
    2: [arc(0.5, 0.3, 0.3, 0.28, 200, 380, 20)
        + polyline((0.78, 0.38), (0.15, 1.0), (0.85, 1.0))],
    3: [arc(0.48, 0.26, 0.3, 0.25, 200, 450) + arc(0.48, 0.74, 0.33, 0.26, -90, 160)],
    4: [polyline((0.6, 0.0), (0.1, 0.65), (0.9, 0.65)),
        polyline((0.65, 0.3), (0.65, 1.0))],
    5: [polyline((0.8, 0.0), (0.25, 0.0), (0.2, 0.45))
        + arc(0.48, 0.7, 0.32, 0.3, -120, 150)],
    6: [arc(0.9, 0.62, 0.55, 0.62, 240, 180, 10)
        + arc(0.5, 0.72, 0.3, 0.28, 180, 540, 30)],
    7: [polyline((0.1, 0.0), (0.9, 0.0), (0.4, 1.0))],
    8: [arc(0.5, 0.25, 0.25, 0.25, 90, 450, 30)
        + arc(0.5, 0.73, 0.3, 0.27, -90, 270, 30)],
    9: [arc(0.5, 0.28, 0.28, 0.28, 0, 360, 30) + polyline((0.78, 0.28), (0.7, 1.0))],
}  # fmt: skip

# (pen width, left, top, height): hairline to marker, big to small, centred to cornered
DRAWINGS = [(3, 80, 40, 200), (18, 90, 30, 220), (40, 40, 60, 200),
            (12, 10, 150, 110), (24, 150, 10, 120)]  # fmt: skip


@pytest.fixture(scope="module")
def mnist_model(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[nn.Module, float, float]:
    """A small MLP trained for 3 epochs on 6,400 real digits (about a second)."""
    from torchvision.datasets.mnist import read_image_file, read_label_file

    tmp = tmp_path_factory.mktemp("mnist")
    for name in (IMAGES, LABELS):
        with gzip.open(MNIST_DIR / f"{name}.gz") as src, open(tmp / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    x = read_image_file(str(tmp / IMAGES))[:6400].float().div(255).unsqueeze(1)
    y = read_label_file(str(tmp / LABELS))[:6400].long()
    mean, std = x.mean().item(), x.std().item()
    x = (x - mean) / std
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small matrices: extra threads only wait on busy cores
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(3):
        for idx in torch.randperm(len(x)).split(64):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    torch.set_num_threads(threads)
    return model.eval(), mean, std


@pytest.fixture
def panel(qtbot, mnist_model) -> PredictPanel:
    model, mean, std = mnist_model
    widget = PredictPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_model(model, (1, 28, 28), mean, std, DIGITS)
    return widget


def draw(qtbot, panel: PredictPanel, digit: int, pen, left, top, height, mouse=False):
    canvas = panel.canvas()
    canvas.clear()
    canvas.set_pen_width(pen)
    for stroke in STROKES[digit]:
        points = [(left + x * 0.7 * height, top + y * height) for x, y in stroke]
        if mouse:
            first, *rest = [QPoint(round(x), round(y)) for x, y in points]
            qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=first)
            for point in rest:
                qtbot.mouseMove(canvas, point)
            qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=rest[-1])
        else:
            for x, y in points:
                canvas.add_point(x, y)
            canvas.end_stroke()


def test_mouse_drawn_digits_are_recognized(qtbot, panel, artifacts) -> None:
    wrong = []
    for digit in range(10):
        draw(qtbot, panel, digit, 18, 70, 40, 200, mouse=True)
        if panel.bars().top_label() != str(digit):
            wrong.append((digit, panel.bars().top_label()))
        if digit == 4:
            panel.grab().save(str(artifacts / "predict_mnist_four.png"))
    assert len(wrong) <= 1, f"drawn -> read: {wrong}"


@pytest.mark.parametrize("pen, left, top, height", DRAWINGS)
def test_any_pen_size_and_place(qtbot, panel, pen, left, top, height) -> None:
    wrong = []
    for digit in range(10):
        draw(qtbot, panel, digit, pen, left, top, height)
        if panel.bars().top_label() != str(digit):
            wrong.append((digit, panel.bars().top_label()))
    assert len(wrong) <= 1, f"pen {pen}, drawn -> read: {wrong}"
