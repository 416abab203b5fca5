"""The one rule every bounded buffer keeps samples by (core/training/thinning.py)."""

from __future__ import annotations

import pytest

from nnstudio.core.training.thinning import ThinnedList, Thinning


@pytest.mark.parametrize(("capacity", "count"), [(8, 1000), (64, 10_000), (500, 7)])
def test_at_most_capacity_spread_evenly_from_the_first_sample(capacity, count):
    kept = ThinnedList(capacity)
    for i in range(count):
        kept.add(i)
    items = kept.items
    assert len(items) <= capacity and items[0] == 0
    gaps = {b - a for a, b in zip(items, items[1:], strict=False)}
    assert len(gaps) <= 1  # evenly spread
    if count > capacity:
        assert len(items) >= capacity // 2  # never thinner than half full
        assert items[-1] >= count - 2 * kept.thinning.stride  # it reaches the end
    else:
        assert items == list(range(count))


def test_offer_halves_when_full_and_doubles_the_stride():
    t = Thinning(4)
    decisions = [t.offer(kept) for kept in (0, 1, 2, 3, 4)]
    assert decisions[:4] == [(True, False)] * 4
    assert decisions[4] == (True, True) and t.stride == 2  # sample 4 is even: kept
    assert t.offer(3) == (False, False)  # sample 5: skipped at stride 2
