"""Is something wrong with the gradients? Decided from numbers only (no Qt).

The Gradients view and the coach (core/training/coach.py) show a banner when this
says so; keeping the rule here lets tests and the command line check it
with plain arrays, and the wording stays in the widget where it can be translated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VANISHING_RATIO = 0.01  # the rule: first layer under 1/100 of the last
EXPLODING_GROWTH = 100.0  # largest norm grew this much since the start of training
EXPLODING_ABSOLUTE = 1e6  # a norm this large is out of hand whatever the start was
WINDOW = 8  # probes looked at: recent enough to react, long enough not to flicker
MIN_PROBES = 3  # growth needs a history; a 100x ratio is clear from one look


@dataclass(frozen=True)
class Diagnosis:
    kind: str | None  # "vanishing" | "exploding" | None
    ratio: float = float("nan")  # first layer's norm / last layer's, recent median
    growth: float = float("nan")  # recent largest norm / early largest norm


def diagnose(norms: np.ndarray, window: int = WINDOW) -> Diagnosis:
    """Judge a (probes x layers) array of gradient norms, input side first.

    Exploding wins over vanishing: once norms are infinite the ratio means nothing.
    """
    norms = np.asarray(norms, dtype=float)
    if norms.ndim != 2 or norms.shape[0] < 1 or norms.shape[1] < 1:
        return Diagnosis(None)
    recent = norms[-window:]
    growth = _growth(norms, window) if len(norms) >= MIN_PROBES else float("nan")
    ratio = _ratio(recent)
    if _exploding(recent, growth):
        return Diagnosis("exploding", ratio, growth)
    if recent.shape[1] >= 2 and ratio < VANISHING_RATIO:
        return Diagnosis("vanishing", ratio, growth)
    return Diagnosis(None, ratio, growth)


def _ratio(recent: np.ndarray) -> float:
    first, last = recent[:, 0], recent[:, -1]
    ok = np.isfinite(first) & np.isfinite(last) & (last > 0)
    if not ok.any():
        return float("nan")
    return float(np.median(first[ok] / last[ok]))


def _growth(norms: np.ndarray, window: int) -> float:
    peak = np.nanmax(np.where(np.isfinite(norms), norms, np.inf), axis=1)
    early = peak[: max(1, min(window, len(peak) // 2))]
    recent = peak[-window:]
    start = float(np.median(early))
    if not start > 0:
        return float("nan")
    return float(np.median(recent) / start)


def _exploding(recent: np.ndarray, growth: float) -> bool:
    if not np.isfinite(recent[-1]).all():
        return True
    largest = float(np.max(recent[-1]))
    if largest > EXPLODING_ABSOLUTE:
        return True
    rising = recent.shape[0] >= 2 and np.max(recent[-1]) > np.max(recent[0])
    return bool(growth > EXPLODING_GROWTH and rising)
