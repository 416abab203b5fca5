"""Bounded numpy buffers for live plots (no Qt, so they are unit tested alone).

A 20-minute run yields tens of thousands of steps; a curve needs at most a couple of
thousand points to look right. Which samples stay is the core's one rule
(core/training/thinning.py); these buffers only hold numpy arrays for it.
"""

from __future__ import annotations

import numpy as np

from nnstudio.core.training.thinning import ThinnedList, Thinning

CAPACITY = 2000  # points per line: more than a plot is wide, little memory


class SeriesBuffer:
    """An x column plus `width` value columns, decimated by halving when full."""

    def __init__(self, width: int = 1, capacity: int = CAPACITY) -> None:
        self.thinning = Thinning(max(4, capacity))
        self.capacity = self.thinning.capacity
        self.reset(width)

    def reset(self, width: int | None = None) -> None:
        if width is not None:
            self.width = int(width)
        self.x = np.full(self.capacity, np.nan)
        self.y = np.full((self.capacity, self.width), np.nan)
        self.n = 0
        self.thinning.reset()

    def append(self, x: float, values: np.ndarray | float) -> bool:
        """Add one sample; return False when thinning skipped it."""
        keep, halve = self.thinning.offer(self.n)
        if halve:
            self._halve()
        if not keep:
            return False
        self.x[self.n] = x
        self.y[self.n] = np.asarray(values, dtype=float).reshape(-1)[: self.width]
        self.n += 1
        return True

    def _halve(self) -> None:
        half = self.n // 2
        self.x[:half] = self.x[0 : self.n : 2]
        self.y[:half] = self.y[0 : self.n : 2]
        self.x[half:] = np.nan
        self.y[half:] = np.nan
        self.n = half

    @property
    def xs(self) -> np.ndarray:
        return self.x[: self.n]

    @property
    def ys(self) -> np.ndarray:
        return self.y[: self.n]

    def last(self) -> np.ndarray | None:
        return self.y[self.n - 1] if self.n else None


class SnapshotBuffer:
    """A few whole snapshots (e.g. histograms) spread over the run, oldest first."""

    def __init__(self, capacity: int = 8) -> None:
        self.kept: ThinnedList[tuple[float, object]] = ThinnedList(capacity)
        self.capacity = self.kept.capacity
        self.reset()

    def reset(self) -> None:
        self.kept.clear()
        self.latest: tuple[float, object] | None = None

    @property
    def items(self) -> list[tuple[float, object]]:
        return self.kept.items

    def append(self, x: float, item: object) -> None:
        """Keep `item`; the newest one is always available as `latest`."""
        self.latest = (x, item)
        self.kept.add(self.latest)

    def spread(self) -> list[tuple[float, object]]:
        """The kept snapshots plus the newest one, oldest first."""
        if self.latest is None:
            return []
        if self.items and self.items[-1] is self.latest:
            return list(self.items)
        return [*self.items[-(self.capacity - 1) :], self.latest]
