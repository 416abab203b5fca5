"""What every view shares: event intake, dirty flag, frame-clock refresh, probe demand.

The contract (DESIGN §2, §4): `on_event` runs in the GUI thread for every training
event and only stores numbers and marks the view dirty; `refresh` draws from those
numbers on the frame clock, and only while the view is visible. A view asks the
trainer for probe data only while it is shown, so hidden views cost nothing.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from nnstudio.core.training.events import (
    PROBE_KINDS,
    Epoch,
    EpochEval,
    Finished,
    Probe,
    Started,
    Step,
)
from nnstudio.ui.views.budget import BUDGET

BANNER_STYLE = (
    "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0b84c;"
    " border-radius: 4px; padding: 6px; }"
)
WARN_COLOR = "#d62728"  # numbers worth a second look
EPS = 1e-12  # floor for log axes: log(0) would drop the point
DEPTH_START, DEPTH_END = 0.3, 0.95  # the part of the colour map layers are drawn in


def can_be_seen(widget: QWidget) -> bool:
    """Visible, or in a window never shown (tests, self-test), as FrameClock has it."""
    return widget.isVisible() or not widget.window().isVisible()


class ProbeDemand(QObject):
    """Unions what the views that can be seen want and writes it into the ProbeRequest.

    The single writer of `probe_request.kinds` for the views. It re-asks every view on
    each change, because showing a window makes the other tabs hidden without sending
    them a hideEvent. Other panels may register too (anything with `wanted_probes()`
    and `isVisible()`), or add fixed wants with `want`.
    """

    def __init__(
        self, probe_request: Any = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.probe_request = probe_request
        self._views: list[weakref.ref] = []
        self._fixed: dict[str, frozenset[str]] = {}

    def add(self, view: Any) -> None:
        if all(ref() is not view for ref in self._views):
            self._views.append(weakref.ref(view))
        self.update()

    def want(self, owner: str, kinds: frozenset[str]) -> None:
        self._fixed[owner] = frozenset(kinds)
        self.update()

    def kinds(self) -> frozenset[str]:
        kinds: set[str] = set().union(*self._fixed.values())
        for ref in list(self._views):
            view = ref()
            try:
                if view is not None and can_be_seen(view):
                    kinds |= view.wanted_probes()
            except RuntimeError:  # the C++ widget is gone
                self._views.remove(ref)
        return frozenset(kinds) & frozenset(PROBE_KINDS)

    def update(self) -> None:
        if self.probe_request is not None:
            self.probe_request.set(kinds=self.kinds())


_DEMANDS: weakref.WeakKeyDictionary[Any, ProbeDemand] = weakref.WeakKeyDictionary()


def probe_demand(main_window: Any) -> ProbeDemand:
    """The one ProbeDemand of a main window (created on first use)."""
    demand = _DEMANDS.get(main_window)
    if demand is None:
        request = getattr(
            getattr(main_window, "controller", None), "probe_request", None
        )
        parent = main_window if isinstance(main_window, QObject) else None
        demand = _DEMANDS[main_window] = ProbeDemand(request, parent)
    return demand


class View(QWidget):
    """Base of the live views. Subclasses override the `_on_*` data hooks and `draw`."""

    PROBES: frozenset[str] = frozenset()  # probe kinds needed while visible
    TITLE = "View"
    # Seconds between two draws while training. Painting pyqtgraph holds the GIL, so
    # every frame a view paints is time the training thread waits (see §4 and
    # benchmarks/bench_views.py); probes come ~3 times a second anyway.
    MIN_INTERVAL_S = 0.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self.main_window: Any = None
        self._demand: ProbeDemand | None = None
        self._last_draw = -1e9
        self._deferred = False
        self._live = False  # a run is going: draws are rate-limited

    # --- the view contract ------------------------------------------------------------
    def wanted_probes(self) -> frozenset[str]:
        return self.PROBES

    def on_event(self, event: Any) -> None:
        """Keep the data, mark dirty. Cheap by design: it runs for every event."""
        kind = type(event)
        if kind in (Started, Finished):
            self._live = kind is Started
        handler = _DISPATCH.get(kind)
        if handler is not None and getattr(self, handler)(event) is not False:
            self.dirty = True

    def refresh(self) -> None:
        """Draw if there is something new; the frame clock calls this ~20 times/s.

        While a run goes, within MIN_INTERVAL_S of the last draw it stays dirty and
        draws when the interval is over (a timer: no frame is lost). Once the run
        has finished every refresh draws at once.
        """
        if not self.dirty:
            return
        interval = self.MIN_INTERVAL_S * BUDGET.tick() if self._live else 0.0
        wait = self._last_draw + interval - time.monotonic()
        if wait > 0:
            if not self._deferred:
                self._deferred = True
                QTimer.singleShot(int(wait * 1000) + 1, self._on_deferred_timeout)
            return
        self.dirty = False
        self._last_draw = time.monotonic()
        self.draw()

    @Slot()
    def _on_deferred_timeout(self) -> None:
        self._deferred = False
        if can_be_seen(self):
            self.refresh()

    def reset(self, started: Started | None = None) -> None:
        """Forget the previous run."""

    def draw(self) -> None:
        """Push the buffered data into the existing plot items."""

    def _on_started(self, e: Started) -> None:
        self.reset(e)

    def _on_step(self, e: Step) -> bool:
        return False

    def _on_epoch(self, e: Epoch) -> bool:
        return False

    def _on_probe(self, e: Probe) -> bool:
        return False

    def _on_epoch_eval(self, e: EpochEval) -> bool:
        return False

    def _on_finished(self, e: Finished) -> bool:
        return False

    # --- wiring to the main window ----------------------------------------------------
    def bind(self, main_window: Any, demand: ProbeDemand | None = None) -> None:
        """Listen to the controller, refresh on the frame clock, ask for probes."""
        self.main_window = main_window
        controller = getattr(main_window, "controller", None)
        if controller is not None:
            controller.sig_event.connect(self._on_controller_event)
        clock = getattr(main_window, "frame_clock", None)
        if clock is not None:
            clock.register(self)
        self._demand = demand or probe_demand(main_window)
        self._demand.add(self)

    @Slot(object)
    def _on_controller_event(self, event: object) -> None:
        self.on_event(event)

    def _update_demand(self) -> None:
        if self._demand is not None:
            self._demand.update()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._update_demand()
        self.refresh()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self._update_demand()


_DISPATCH = {
    Started: "_on_started",
    Step: "_on_step",
    Epoch: "_on_epoch",
    Probe: "_on_probe",
    EpochEval: "_on_epoch_eval",
    Finished: "_on_finished",
}


def banner(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    label.hide()
    return label


def depth_colors(n: int, name: str = "viridis") -> list[tuple[int, int, int]]:
    """One colour per layer, input side dark, output side light. The map starts at
    DEPTH_START, not 0: viridis' darkest purple vanishes on the black plot."""
    cmap = pg.colormap.get(name)
    spots = [DEPTH_START] if n <= 1 else np.linspace(DEPTH_START, DEPTH_END, n)
    return [tuple(int(v) for v in cmap.map(float(t), mode="byte")[:3]) for t in spots]


CLASS_COLORS = np.array(
    [  # tab10: distinct, colour-blind friendlier than rainbow
        (31, 119, 180),
        (255, 127, 14),
        (44, 160, 44),
        (214, 39, 40),
        (148, 103, 189),
        (140, 86, 75),
        (227, 119, 194),
        (127, 127, 127),
        (188, 189, 34),
        (23, 190, 207),
    ],
    dtype=float,
)


def class_color(i: int) -> tuple[int, int, int]:
    return tuple(int(v) for v in CLASS_COLORS[i % len(CLASS_COLORS)])


def lut(name: str = "viridis") -> np.ndarray:
    """256 x 3 uint8 lookup table for images."""
    return pg.colormap.get(name).getLookupTable(0.0, 1.0, 256, alpha=False)


def short_layer(name: str) -> str:
    """'3_linear' -> 'L3 linear' is no clearer; keep names as built, 1-based already."""
    return name.replace("_", " ", 1)
