"""Soak: train for a long time with every view shown in turn; print memory over time.

    python benchmarks/soak.py [--minutes 20] [--preset spiral-relu] [--every 30]
                              [--trace 15] [--dataset digits]

The window cycles through every tab (each view draws while it is in front) while one
long run trains. Every --every seconds it prints the process's resident memory and the
worst GUI-thread lateness of the last interval. Target: growth under 50 MB after the
first minute (curves are downsampled, nothing is kept per step) and a responsive
window. Runs offscreen when there is no display. --trace N also follows Python
allocations (tracemalloc: slower) and prints the N source lines whose memory grew most
between the first minute and the end, to find what is kept per step.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROBE_MS = 20  # GUI responsiveness probe period
TAB_SECONDS = 3.0  # how long each view stays in front
TARGET_GROWTH_MB = 50.0
_BASELINE: list = [None, 60.0]  # tracemalloc snapshot after the first minute, when


def rss_mb() -> float:
    """Resident memory now (Linux /proc; elsewhere the peak, which only grows)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)


def soak(
    minutes: float, preset: str, every: float, dataset: str = ""
) -> list[tuple[float, float, float]]:
    """(seconds, RSS MB, worst lateness ms) samples while `preset` trains."""
    from bench_window import open_studio  # benchmarks/ is on sys.path when run

    with tempfile.TemporaryDirectory(prefix="nnstudio-soak-") as tmp:
        options = {"upsample": True} if dataset == "digits" else {}  # MNIST-sized
        window = open_studio(tmp, preset, 1_000_000, dataset, options)
        from PySide6.QtCore import QTimer

        from nnstudio.ui.app import wait_until

        if not window.start_training():
            raise SystemExit(
                f"cannot train: {window.training_panel.run.train_button.toolTip()}"
            )
        return _watch(window, minutes * 60, every, wait_until, QTimer)


def _watch(
    window, seconds, every, wait_until, QTimer
) -> list[tuple[float, float, float]]:
    tabs = window.view_tabs
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(PROBE_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    flip = QTimer()
    flip.setInterval(int(TAB_SECONDS * 1000))
    flip.timeout.connect(
        lambda: tabs.setCurrentIndex((tabs.currentIndex() + 1) % tabs.count())
    )
    probe.start()
    flip.start()
    start = time.perf_counter()
    samples = []
    while (now := time.perf_counter() - start) < seconds:
        wait_until(lambda n=now: time.perf_counter() - start >= n + every, every + 60)
        late = [
            max(0.0, (b - a) * 1000 - PROBE_MS)
            for a, b in zip(ticks, ticks[1:], strict=False)
        ]
        ticks[:] = ticks[-1:]
        t = time.perf_counter() - start
        samples.append((t, rss_mb(), max(late, default=0.0)))
        if tracemalloc.is_tracing() and t >= 60 and _BASELINE[0] is None:
            _BASELINE[:] = [tracemalloc.take_snapshot(), t + 1]  # it costs memory
        step = window.controller.last_step
        print(
            f"{t:7.0f} s  RSS {samples[-1][1]:8.1f} MB  worst stall "
            f"{samples[-1][2]:6.0f} ms  step {step.step if step else 0:,}",
            flush=True,
        )
    probe.stop()
    flip.stop()
    window.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--preset", default="spiral-relu")
    parser.add_argument("--every", type=float, default=30.0, help="seconds per sample")
    parser.add_argument(
        "--dataset",
        default="",
        help="instead of the preset's: e.g. digits (offline, 28x28) for cnn-mnist",
    )
    parser.add_argument(
        "--trace", type=int, default=0, help="print the N lines that grew most"
    )
    args = parser.parse_args()
    if args.trace:
        tracemalloc.start()
    samples = soak(args.minutes, args.preset, args.every, args.dataset)
    start = _BASELINE[1]
    after_first_minute = [mb for t, mb, _ in samples if t >= start] or [samples[-1][1]]
    growth = max(after_first_minute) - after_first_minute[0]
    print(
        f"growth after the first minute: {growth:.1f} MB (target < {TARGET_GROWTH_MB})"
    )
    print(f"worst GUI stall: {max(s[2] for s in samples):.0f} ms")
    if args.trace and _BASELINE[0] is not None:
        grown = tracemalloc.take_snapshot().compare_to(_BASELINE[0], "lineno")
        print("Python allocations that grew most after the first minute:")
        for stat in grown[: args.trace]:
            print(f"  {stat}")


if __name__ == "__main__":
    main()
