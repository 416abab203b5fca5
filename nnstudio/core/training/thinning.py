"""Keep at most `capacity` samples of a run, evenly spread over all of it.

A 20-minute run yields tens of thousands of steps; a curve, a history record or a
row of histograms needs a few hundred to look right. The rule, used by every
bounded buffer of the studio (the live curves and views, the run records): accept
every `stride`-th sample; when the store is full keep every other stored sample and
double the stride. Memory stays fixed and the kept samples stay evenly spread from
the first to the latest. No numpy, no Qt: the buffers that hold arrays ask
`Thinning.offer` and do the halving on their own storage.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Thinning:
    """The decision alone: for each new sample, keep it? halve the store first?"""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(2, capacity - capacity % 2)  # even: halving is exact
        self.reset()

    def reset(self) -> None:
        self.stride = 1  # accept every stride-th sample
        self.seen = 0

    def offer(self, kept: int) -> tuple[bool, bool]:
        """(keep the new sample, halve the store first: keep stored 0, 2, 4, ...),
        given how many samples the store holds now."""
        seen = self.seen
        self.seen += 1
        if seen % self.stride:
            return False, False
        if kept < self.capacity:
            return True, False
        self.stride *= 2
        return seen % self.stride == 0, True


class ThinnedList(Generic[T]):
    """A list of at most `capacity` items thinned as above (rows, snapshots)."""

    def __init__(self, capacity: int) -> None:
        self.thinning = Thinning(capacity)
        self.items: list[T] = []

    @property
    def capacity(self) -> int:
        return self.thinning.capacity

    def add(self, item: T) -> bool:
        """Store `item` if the rule keeps it; True when it was kept."""
        keep, halve = self.thinning.offer(len(self.items))
        if halve:
            self.items = self.items[::2]
        if keep:
            self.items.append(item)
        return keep

    def clear(self) -> None:
        self.items = []
        self.thinning.reset()
