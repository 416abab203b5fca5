"""Icons drawn with QPainter: one colour per layer category, a glyph per kind.

Drawing them keeps the palette crisp at any DPI without shipping image files, and
the same colour marks the stripe of the layer's card in the network editor.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

CATEGORY_COLORS = {
    "Dense": "#1e88e5",
    "Convolution": "#8e24aa",
    "Pooling": "#00897b",
    "Activation": "#f4511e",
    "Regularization": "#6d4c41",
    "Normalization": "#43a047",
    "Structure": "#546e7a",
    "Blocks": "#c2185b",
    "Pretrained": "#f9a825",  # amber: weights that come from elsewhere
    "Sequence": "#3949ab",  # sequences
    "Recurrent": "#00838f",
    "Attention": "#ef6c00",
}
_FALLBACK = "#757575"
_SIZES = (16, 24, 32, 48, 64)  # the sizes Qt picks from for menus, trees, HiDPI

# Short labels for kinds whose glyph is text; the rest get a drawn curve.
_LABELS = {
    "Linear": "Wx",
    "Conv2d": "⊛",
    "MaxPool2d": "max",
    "AvgPool2d": "avg",
    "AdaptiveAvgPool2d": "gap",
    "Flatten": "▭",
    "Dropout": "p",
    "BatchNorm": "BN",
    "LayerNorm": "LN",
    "Residual": "+x",
    "Softmax": "Σ",
    "DenseBlock": "⧺",
    "Resize": "↔",
    "ResNet18": "R18",
    "ResNet34": "R34",
    "MobileNetV3Small": "MN",
    "SqueezeNet11": "SQ",
    "Embedding": "E[x]",  # sequences
    "RNN": "h→h",
    "LSTM": "LSTM",
    "GRU": "GRU",
    "MultiheadAttention": "qk",
    "PositionalEncoding": "pos",
    "TransformerEncoderLayer": "TF",
    "LastStep": "x_T",
    "MeanOverTime": "x̄",
}


def category_color(category: str) -> QColor:
    return QColor(CATEGORY_COLORS.get(category, _FALLBACK))


def _curve(kind: str, t: float) -> float:
    """The activation's shape on t in [-1, 1], returned in [-1, 1] for drawing."""
    import math

    x = 3.0 * t
    if kind == "ReLU":
        return max(0.0, x) / 3.0 * 2 - 1
    if kind == "LeakyReLU":
        return (x if x > 0 else 0.15 * x) / 3.0 * 2 - 0.6
    if kind == "Sigmoid":
        return 2.0 / (1.0 + math.exp(-2 * x)) - 1.0
    if kind == "Tanh":
        return math.tanh(x)
    # GELU
    return (x * 0.5 * (1 + math.erf(x / math.sqrt(2)))) / 3.0 * 2 - 0.8


def _paint(painter: QPainter, kind: str, category: str, size: int) -> None:
    color = category_color(category)
    rect = QRectF(0.5, 0.5, size - 1.0, size - 1.0)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color.darker(130), max(1.0, size / 24)))
    painter.setBrush(color)
    painter.drawRoundedRect(rect, size * 0.22, size * 0.22)
    painter.setPen(QPen(QColor("white"), max(1.2, size / 12)))
    if kind in _LABELS:
        font = QFont()
        font.setPixelSize(max(6, int(size * (0.5 if len(_LABELS[kind]) < 3 else 0.36))))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, _LABELS[kind])
        return
    path = QPainterPath()
    margin = size * 0.2
    span = size - 2 * margin
    for i in range(21):
        t = -1.0 + i / 10.0
        point = QPointF(
            margin + (t + 1) / 2 * span, size / 2 - _curve(kind, t) * span / 2
        )
        path.moveTo(point) if i == 0 else path.lineTo(point)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


@lru_cache(maxsize=64)
def layer_icon(kind: str, category: str) -> QIcon:
    """The icon of one layer kind, at every size Qt may ask for."""
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        _paint(painter, kind, category, size)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """Three layers of dots joined by lines: a tiny network."""
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#263238"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
        columns = [(0.22, (0.3, 0.7)), (0.5, (0.2, 0.5, 0.8)), (0.78, (0.5,))]
        points = [[QPointF(x * size, y * size) for y in ys] for x, ys in columns]
        painter.setPen(QPen(QColor("#90caf9"), max(1.0, size / 40)))
        for left, right in zip(points, points[1:], strict=False):
            for a in left:
                for b in right:
                    painter.drawLine(a, b)
        painter.setPen(Qt.PenStyle.NoPen)
        for column, color in zip(
            points, ("#42a5f5", "#ff7043", "#66bb6a"), strict=True
        ):
            painter.setBrush(QColor(color))
            for p in column:
                painter.drawEllipse(p, size * 0.08, size * 0.08)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
