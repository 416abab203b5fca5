"""Drawn symbols without a person: the strokes a student might draw for a few
shapes, each with its own wobble, size, position and slant, on a canvas like the
studio's (280x280, black ink on white). Used to measure the drawn-dataset example
(benchmarks/drawn_symbols.py) and by tests; a real student draws their own.
"""

from __future__ import annotations

import math

import numpy as np

CANVAS = 280  # px: the studio canvas
PEN = 18  # px: its default pen
SYMBOLS = ("circle", "triangle", "square", "cross", "smile", "heart")


def _circle(t: np.ndarray) -> np.ndarray:
    return np.stack([np.cos(2 * np.pi * t), np.sin(2 * np.pi * t)], 1)


def _polygon(corners: list[tuple[float, float]], t: np.ndarray) -> np.ndarray:
    pts = np.array(corners + corners[:1], float)
    seg = np.minimum((t * len(corners)).astype(int), len(corners) - 1)
    f = (t * len(corners) - seg)[:, None]
    return pts[seg] * (1 - f) + pts[seg + 1] * f


def strokes(kind: str, rng: np.random.Generator) -> list[np.ndarray]:
    """The symbol's strokes in unit coordinates (about -1..1), a little wobbly."""
    t = np.linspace(0, 1, 60)
    if kind == "circle":
        parts = [_circle(t)]
    elif kind == "triangle":
        parts = [_polygon([(0, -1), (0.95, 0.8), (-0.95, 0.8)], t)]
    elif kind == "square":
        parts = [_polygon([(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)], t)]
    elif kind == "cross":
        line = np.linspace(-0.9, 0.9, 20)
        parts = [np.stack([line, line], 1), np.stack([line, -line], 1)]
    elif kind == "smile":
        arc = np.linspace(0.15, 0.85, 30) * np.pi
        parts = [_circle(t), np.stack([0.5 * np.cos(arc), 0.2 + 0.45 * np.sin(arc)], 1),
                 np.array([[-0.35, -0.3], [-0.33, -0.3]]),
                 np.array([[0.33, -0.3], [0.35, -0.3]])]
    elif kind == "heart":
        a = 2 * np.pi * t
        x = 16 * np.sin(a) ** 3
        y = -(13 * np.cos(a) - 5 * np.cos(2 * a) - 2 * np.cos(3 * a) - np.cos(4 * a))
        parts = [np.stack([x, y], 1) / 17]
    else:
        raise ValueError(kind)
    return [p + rng.normal(0, 0.06, p.shape) for p in parts]


def draw(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One drawing: CANVAS x CANVAS uint8, white paper, black ink."""
    from PIL import Image, ImageDraw

    scale = rng.uniform(60, 110)
    angle = rng.uniform(-0.5, 0.5)
    centre = CANVAS / 2 + rng.uniform(-30, 30, 2)
    rot = np.array([[math.cos(angle), -math.sin(angle)],
                    [math.sin(angle), math.cos(angle)]])
    image = Image.new("L", (CANVAS, CANVAS), 255)
    pen = ImageDraw.Draw(image)
    width = int(rng.uniform(0.7, 1.3) * PEN)
    for stroke in strokes(kind, rng):
        pts = stroke @ rot.T * scale + centre
        pen.line([tuple(p) for p in pts], fill=0, width=width, joint="curve")
        for x, y in pts[[0, -1]]:  # round caps, as the canvas draws them
            pen.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2],
                        fill=0)
    return np.asarray(image, dtype=np.uint8)
