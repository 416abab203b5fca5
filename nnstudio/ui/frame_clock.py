"""Redraw dirty panels at a fixed rate, whatever the training step rate.

Panels buffer what `on_event` gives them and set `dirty = True`; the clock calls
`refresh()` on the dirty ones that can be seen, at most FRAME_MS apart. A panel with
no `dirty` attribute is refreshed on every tick while it is visible.

A window that was never shown (tests, self-test) counts as visible: nobody sees it,
but its plots must still hold the data.

How fast things move, and who decides (one place each, from the data to the pixels):

1. The training loop (core/training/loop.py) paces what it sends: step metrics at
   most every STEP_S (50 ms, one device sync each) and at each epoch end, probes
   about every PROBE_S (0.3 s, slower when a probe is costly), the evaluation of an
   epoch at most every PROBE_S. This is the only limit on the event rate: the
   worker thread (ui/training.py) forwards every event as it comes. (It used to
   drop Steps closer than 4 ms as well; the loop never sends them, so that filter
   went.)
2. This clock draws at most FRAME_MS apart (20 Hz), only dirty panels that can be
   seen: however many events arrived since the last frame, a panel paints once,
   with the latest numbers.
3. A live view may draw less often than the clock ticks: `View.MIN_INTERVAL_S`
   (0.2-0.5 s: feature maps, histograms, the boundary cost more to paint) times the
   shared draw budget's scale (ui/views/budget.py), which stretches every view's
   interval while the GUI thread's CPU share eats into training (painting holds
   the GIL the training thread needs). The clock says *when a frame may happen*;
   the view says *whether its pixels are worth repainting in it*.
4. Text (the run line: epoch, speed, ETA) changes at most every TEXT_S (0.25 s,
   ui/run_controls.py): numbers that change 20 times a second cannot be read.

Each limit answers a different cost (device syncs, repaint per event, GIL time,
readability), so none of 1-4 makes another redundant.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

FRAME_MS = 50  # 20 Hz: smooth curves, leaves the GUI thread idle most of the time


def _can_be_seen(panel: Any) -> bool:
    """Visible, or never shown, or cheap enough to keep current while hidden
    (`refresh_when_hidden`: setData on a hidden plot costs no painting)."""
    if getattr(panel, "refresh_when_hidden", False):
        return True
    window = panel.window()
    return panel.isVisible() or not window.isVisible()


class FrameClock(QObject):
    """One QTimer for every live panel; started while a run goes, poked otherwise."""

    def __init__(
        self, parent: QObject | None = None, interval_ms: int = FRAME_MS
    ) -> None:
        super().__init__(parent)
        self._panels: list[Any] = []
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.frames = 0

    def register(self, panel: Any) -> None:
        """Refresh `panel` (a QWidget with `refresh()`) when it is dirty and visible."""
        if panel not in self._panels:
            self._panels.append(panel)
            panel.destroyed.connect(lambda *_: self._forget(panel))

    def panels(self) -> list[Any]:
        return list(self._panels)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        """Stop ticking after one last frame, so the final values are drawn."""
        self._timer.stop()
        self.tick()

    def poke(self) -> None:
        """Draw soon (a tab became visible, a project was opened) without a run."""
        if not self._timer.isActive():
            QTimer.singleShot(0, self.tick)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.tick()

    def tick(self) -> None:
        self.frames += 1
        for panel in list(self._panels):
            try:
                if getattr(panel, "dirty", True) and _can_be_seen(panel):
                    panel.refresh()
            except RuntimeError:  # the C++ widget is gone
                self._forget(panel)

    def _forget(self, panel: Any) -> None:
        if panel in self._panels:
            self._panels.remove(panel)
