"""The dataset preview of sequence data: a few samples as lines over time, or token
ids as coloured strips with their digits. Called by the Data preview (`DataPreview`)
with its plot; what it adds is removed again by `clear_sequences`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg

from nnstudio.ui.views.base import CLASS_COLORS

SEQUENCE_KINDS = ("sequence", "tokens")
LINES = 6  # samples drawn as lines
STRIPS = 5  # token samples drawn as strips
_ITEMS = "_nnstudio_sequence_items"  # the plot attribute holding what was added


def clear_sequences(plot: pg.PlotWidget) -> None:
    for item in getattr(plot, _ITEMS, []):
        plot.removeItem(item)
    setattr(plot, _ITEMS, [])


def draw_sequences(plot: pg.PlotWidget, data: Any) -> None:
    """Draw `data` (preview_kind "sequence" or "tokens") into `plot`."""
    clear_sequences(plot)
    samples = data.preview(LINES if data.preview_kind == "sequence" else STRIPS)
    items = (_strips(samples, len(data.class_names) or 10)
             if data.preview_kind == "tokens" else _lines(samples, data))
    for item in items:
        plot.addItem(item)
    setattr(plot, _ITEMS, items)
    plot.enableAutoRange()


def _lines(samples: list[tuple[np.ndarray, str]], data: Any) -> list:
    """Each sample's first feature over time; colour = class (or one colour)."""
    items = []
    classes = data.task == "classification"
    for i, (x, label) in enumerate(samples):
        series = np.asarray(x, dtype=float).reshape(len(x), -1)[:, 0]
        index = data.class_names.index(label) if classes and label in \
            data.class_names else i
        color = tuple(int(c) for c in CLASS_COLORS[index % len(CLASS_COLORS)])
        offset = 1.2 * i if classes else 0.0  # bits would overlap: stack them
        items.append(pg.PlotDataItem(np.arange(len(series)), series + offset,
                                     pen=pg.mkPen(color, width=2)))
    return items


def _strips(samples: list[tuple[np.ndarray, str]], symbols: int) -> list:
    """One row per sample: a cell per token, coloured by token id, with its digit."""
    tokens = np.stack([np.asarray(x, dtype=int) for x, _ in samples])
    colors = CLASS_COLORS[tokens % len(CLASS_COLORS)].astype(np.uint8)
    image = pg.ImageItem(colors, axisOrder="row-major")
    items: list = [image]
    for row, line in enumerate(tokens):
        for step, token in enumerate(line):
            text = pg.TextItem(str(int(token)), color="w", anchor=(0.5, 0.5))
            text.setPos(step + 0.5, row + 0.5)
            items.append(text)
    return items
