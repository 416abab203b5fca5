"""Plot details that keep pyqtgraph's defaults readable: log axes whose tick labels
never overlap, legends that sit under the plot instead of over the curves, and
category axes that thin their labels when there are many.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg

LABEL_PX = 16  # height of one tick label at the plots' font, with a little air
MANTISSAS_ALL = (1, 2, 5)  # the 1-2-5 series: evenly spread on a log axis
LABEL_CHARS_PX = 7  # width of one character of a category label, roughly


class TidyLogAxis(pg.AxisItem):
    """A log axis labelled only at 1, 2 and 5 x 10^k, or at powers of ten alone when
    the axis is too short for those; the minor ticks stay as marks.

    pyqtgraph labels every minor tick (0.2, 0.3 … 0.9) once the range spans less than
    a few decades, and those labels overprint each other on a short axis."""

    def logTickStrings(self, values: list[float], scale: float, spacing: float):  # noqa: N802
        strings = super().logTickStrings(values, scale, spacing)
        keep = self._mantissas_that_fit()
        shown = []
        for value, text in zip(values, strings, strict=False):
            mantissa = 10 ** (value - math.floor(value + 1e-9))
            near = min(keep, key=lambda m: abs(m - mantissa))
            shown.append(text if abs(near - mantissa) < 0.05 * near else "")
        if not any(shown) and strings:  # a range inside one decade: label its ends
            shown[0], shown[-1] = strings[0], strings[-1]
        return shown

    def _mantissas_that_fit(self) -> tuple[int, ...]:
        lo, hi = self.range
        span = max(abs(hi - lo), 1e-9)  # decades shown
        length = (
            self.size().height()
            if self.orientation in ("left", "right")
            else (
                self.size().width() / 3  # horizontal labels are wider than tall
            )
        )
        per_decade = length / span / LABEL_PX
        return MANTISSAS_ALL if per_decade >= 3.5 else (1,)


def use_tidy_log_axis(plot: Any, side: str = "left") -> None:
    """Give `plot` (a PlotWidget or PlotItem) a TidyLogAxis on `side`, in log mode."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    item.setAxisItems({side: TidyLogAxis(side)})
    item.getAxis(side).enableAutoSIPrefix(False)
    item.setLogMode(y=True) if side in ("left", "right") else item.setLogMode(x=True)


def legend_below(plot: Any, text_size: str = "8pt") -> pg.LegendItem:
    """A legend in the plot's layout under the x axis, so it never covers a curve;
    `plot(name=…)` fills it as it would fill `addLegend()`'s."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    legend = pg.LegendItem(labelTextSize=text_size, horSpacing=14, verSpacing=-4)
    item.layout.addItem(legend, 4, 1)
    item.legend = legend
    return legend


def fit_legend_columns(legend: pg.LegendItem, width_px: float) -> None:
    """Lay the entries side by side, as many per row as the plot is wide."""
    names = [label.text for _sample, label in legend.items]
    if not names:
        return
    widest = max(len(n) for n in names) * LABEL_CHARS_PX + 40  # sample line + gap
    columns = max(1, min(len(names), int(width_px // widest)))
    if legend.columnCount != columns:
        legend.setColumnCount(columns)


def thinned_ticks(
    labels: list[str], length_px: float, per_label_px: float | None = None
) -> list[tuple[float, str]]:
    """(position, label) for a category axis, every n-th label when all of them would
    overprint each other (31 layers under a 400 px bar chart). `per_label_px` is the
    room one label needs (default: from its characters, for a horizontal axis)."""
    if not labels:
        return []
    widest = per_label_px or max(len(t) for t in labels) * LABEL_CHARS_PX + 8
    step = max(1, math.ceil(len(labels) * widest / max(length_px, 1.0)))
    return [(float(i), t) for i, t in enumerate(labels) if i % step == 0]
