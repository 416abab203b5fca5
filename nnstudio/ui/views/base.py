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
from PySide6.QtWidgets import QBoxLayout, QWidget

from nnstudio.core.training.events import (
    PROBE_KINDS,
    Epoch,
    EpochEval,
    Finished,
    Probe,
    Started,
    Step,
)
from nnstudio.ui.messages import tr
from nnstudio.ui.provenance import Stamped
from nnstudio.ui.studio import (
    Studio,
    current_data,
    is_dataset_of,
    weights_fingerprint,
)
from nnstudio.ui.views.budget import BUDGET

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


def probe_demand(studio: Studio) -> ProbeDemand:
    """The one ProbeDemand of a studio (created on first use)."""
    demand = _DEMANDS.get(studio)
    if demand is None:
        request = studio.controller.probe_request
        parent = studio if isinstance(studio, QObject) else None
        demand = _DEMANDS[studio] = ProbeDemand(request, parent)
    return demand


class View(Stamped, QWidget):
    """Base of the live views. Subclasses override the `_on_*` event hooks, `draw`,
    and where they need them `set_data`, `show_stale` and `show_weights`.

    Provenance (ui/provenance.py): a run stamps the view's result with the run's
    fingerprint; whenever the document's fingerprint changes the view compares, and
    shows its result under the `staleNotice` label while they differ.
    """

    PROBES: frozenset[str] = frozenset()  # probe kinds needed while visible
    TITLE = "View"
    # Seconds between two draws while training. Painting pyqtgraph holds the GIL, so
    # every frame a view paints is time the training thread waits (see §4 and
    # benchmarks/bench_views.py); probes come ~3 times a second anyway.
    MIN_INTERVAL_S = 0.0
    # Probe kinds this view can draw from saved weights alone (a project just
    # opened), without a run: its result is then current, not "not trained yet".
    FROM_WEIGHTS: frozenset[str] = frozenset()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self.studio: Studio | None = None
        self._init_stamp()
        self._drawn_weights: Any = None  # the document weights last drawn
        self._run_ended = False  # the next weights are the run's: already on show
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
            # the document takes a finished run's weights next: already on show
            self._run_ended = getattr(event, "weights", None) is not None
        if kind is Started:
            self.stamp(self._run_fingerprint())
        handler = _DISPATCH.get(kind)
        if handler is not None and getattr(self, handler)(event) is not False:
            self.dirty = True

    def set_data(self, data: Any) -> None:
        """The studio's dataset changed (None while a new one loads): the one data
        hook. Views that show the data (points, samples) override it."""

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

    # --- provenance (the comparison itself is ui/provenance.py) -----------------------
    def show_weights(self, probe: Probe) -> None:
        """A probe computed from saved weights (no run): show it as a run's would."""
        if self._on_probe(probe) is not False:
            self.dirty = True
            self.refresh()

    def _run_fingerprint(self) -> str | None:
        if self.studio is None:
            return None
        made = getattr(self.studio.controller, "run_fingerprint", None)
        return made or self.studio.document.fingerprint

    def _offer_weights(self) -> None:
        """Weights the view has not drawn (a project opened, weights imported, a
        run's final ones) that fit the network and its data, no run: draw them."""
        studio = self.studio
        if not self.FROM_WEIGHTS or studio is None or studio.controller.running:
            return
        document, data = studio.document, current_data(studio)
        weights = document.weights
        if weights is None or weights is self._drawn_weights:
            return
        if self._run_ended:  # the run's own last probe shows these weights already
            self._run_ended, self._drawn_weights = False, weights
            return
        if not is_dataset_of(data, document.config):
            return  # its data is still loading: drawn when it arrives
        probe = probe_trained(document, data, self.FROM_WEIGHTS)
        if probe is not None:
            self._drawn_weights = weights
            self.reset(None)
            self.stamp(weights_fingerprint(document))
            self.show_weights(probe)

    # --- wiring to the studio ---------------------------------------------------------
    def bind(self, studio: Studio, demand: ProbeDemand | None = None) -> None:
        """Listen to the controller and the document, refresh on the frame clock,
        ask for probes, show the data."""
        self.studio = studio
        layout = self.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, self.stale_notice)
        studio.controller.sig_event.connect(self._on_controller_event)
        studio.frame_clock.register(self)
        document = studio.document
        document.sig_fingerprint_changed.connect(self._on_document_fingerprint_changed)
        document.sig_loaded.connect(self._on_document_loaded)
        document.sig_weights_changed.connect(self._on_document_weights_changed)
        if studio.data_source is not None:
            studio.data_source.sig_data_changed.connect(self._on_data_changed)
        self._demand = demand or probe_demand(studio)
        self._demand.add(self)
        self.set_data(current_data(studio))
        self._offer_weights()

    @Slot(object)
    def _on_controller_event(self, event: object) -> None:
        self.on_event(event)

    @Slot(str)
    def _on_document_fingerprint_changed(self, fingerprint: str) -> None:
        self.check_stamp(fingerprint)

    @Slot()
    def _on_document_loaded(self) -> None:
        """A project was opened (its weights arrive with sig_weights_changed)."""
        self._run_ended = False

    @Slot()
    def _on_document_weights_changed(self) -> None:
        self._offer_weights()

    @Slot(object)
    def _on_data_changed(self, data: object) -> None:
        self.set_data(data)
        self._offer_weights()

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


def trained_model(document: Any) -> Any:
    """The document's network with its trained weights, or None if untrained."""
    if document is None or document.weights is None:
        return None
    try:
        return document.to_project().model()
    except Exception:  # noqa: BLE001 - weights from another architecture: nothing
        return None


def probe_trained(
    document: Any, data: Any, kinds: frozenset[str], sample: Any = None
) -> Probe | None:
    """What a run's probe would show, from the document's saved weights."""
    from nnstudio.core.training.probes import probe_model

    model = trained_model(document)
    if model is None or data is None:
        return None
    layer_kinds = [layer.kind for layer in document.spec.layers]
    try:
        return probe_model(model, data, layer_kinds, kinds, sample)
    except (RuntimeError, ValueError):  # data of another shape: nothing to show
        return None


_DISPATCH = {
    Started: "_on_started",
    Step: "_on_step",
    Epoch: "_on_epoch",
    Probe: "_on_probe",
    EpochEval: "_on_epoch_eval",
    Finished: "_on_finished",
}


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


def layer_label(name: str, frozen: frozenset[str] | set[str] = frozenset()) -> str:
    """short_layer, marked "(frozen)" for a frozen layer: it does not learn, and
    the views say so where they name it (issue 15)."""
    label = short_layer(name)
    return f"{label} {tr('(frozen)')}" if name in frozen else label
