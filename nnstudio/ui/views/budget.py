"""How often views may draw: slowed down when the GUI thread eats into training.

Painting pyqtgraph runs Python in the GUI thread, and Python holds the GIL that the
training thread also needs; on a 2-core laptop every millisecond spent drawing is one
the training loop waits. So the views share one governor that watches the GUI
thread's own CPU time (time.thread_time: waiting for the GIL costs nothing and is not
counted) and stretches every view's draw interval while that share is over budget.
No Qt here, so it is tested with a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

TARGET_SHARE = 0.08  # GUI-thread CPU per second of wall time; training keeps the rest
WINDOW_S = 0.5  # measure every half second...
SMOOTH_S = 2.0  # ...and average over ~2 s: views draw in bursts, the mean is the cost
GAIN = 0.5  # how hard one window corrects: scale *= (share / target) ** GAIN
MAX_SCALE = 12.0  # at worst a 0.5 s view draws every 6 s: still visibly live


class DrawBudget:
    """`scale` multiplies each view's minimum draw interval (1 = no slow-down).

    A multiplicative integral controller on the smoothed share: over budget, the
    views slow down in proportion; under it, they speed up again, down to scale 1.
    Reacting to each half-second alone made it swing between every view drawing at
    once and none (measured: 0.02 to 0.59 of a core, 0.15 on average)."""

    def __init__(
        self,
        target: float = TARGET_SHARE,
        cpu: Callable[[], float] = time.thread_time,
        wall: Callable[[], float] = time.monotonic,
    ) -> None:
        self.target, self._cpu, self._wall = target, cpu, wall
        self.scale = 1.0
        self.share = 0.0  # smoothed
        self._t0, self._c0 = wall(), cpu()

    def tick(self) -> float:
        """Call from the GUI thread (each view refresh does); returns `scale`."""
        now = self._wall()
        elapsed = now - self._t0
        if elapsed < WINDOW_S:
            return self.scale
        cpu = self._cpu()
        share = (cpu - self._c0) / elapsed
        self._t0, self._c0 = now, cpu
        weight = min(1.0, elapsed / SMOOTH_S)
        self.share += weight * (share - self.share)
        error = max(self.share, 1e-3) / self.target
        self.scale = min(MAX_SCALE, max(1.0, self.scale * error**GAIN))
        return self.scale

    def reset(self) -> None:
        """A new run: start from full speed again."""
        self.scale, self.share = 1.0, 0.0
        self._t0, self._c0 = self._wall(), self._cpu()


BUDGET = DrawBudget()  # one per process: there is one GUI thread
