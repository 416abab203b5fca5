"""Launch to ready-to-train, against the imports the studio cannot do without.

    python benchmarks/bench_ready.py [--runs 5]

Each round starts two fresh processes from one clock (time.time() handed over in the
environment, so interpreter start-up counts in both):
  imports   python -c "import torch, PySide6.QtWidgets, pyqtgraph"
  studio    python -m nnstudio with NNSTUDIO_LAUNCH_PROBE: first paint and ready
            (the panels are in and Train is enabled on the default project)
Rounds alternate the two so a busy machine weighs on both alike. Prints the median
of each, the gap ready - imports and whether it meets the goal (issue 13 §5:
ready no later than GOAL_GAP_S after the imports would finish).
Runs offscreen when there is no display.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_GAP_S = 0.8
IMPORTS = (
    "import os, time; t0 = float(os.environ['T0']); "
    "import torch, PySide6.QtWidgets, pyqtgraph; "
    "print(f'imports-s {time.time() - t0:.3f}')"
)


def _env(tmp: str) -> dict[str, str]:
    env = dict(os.environ, NNSTUDIO_DATA_DIR=str(Path(tmp) / "data"))
    env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _figures(command: list[str], env: dict[str, str]) -> dict[str, float]:
    stamp = repr(time.time())
    env = dict(env, T0=stamp, NNSTUDIO_LAUNCH_PROBE=stamp)
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    figures = {}
    for line in out.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name.endswith("-s") or name == "train-enabled":
            figures[name] = float(value)
    if not figures:
        raise SystemExit(f"{command[-1]} reported nothing:\n{out.stderr[-2000:]}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    imports, paints, readies, enabled = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="nnstudio-ready-") as tmp:
        env = _env(tmp)
        for _ in range(args.runs):
            imports.append(_figures([sys.executable, "-c", IMPORTS], env)["imports-s"])
            studio = _figures([sys.executable, "-m", "nnstudio"], env)
            paints.append(studio["first-paint-s"])
            readies.append(studio.get("ready-s", float("nan")))
            enabled.append(studio.get("train-enabled", 0.0))
    med = statistics.median
    gap = med(readies) - med(imports)
    print(f"imports-s    {med(imports):.2f}  (runs: {_list(imports)})")
    print(f"first-paint-s {med(paints):.2f}  (runs: {_list(paints)})")
    print(f"ready-s      {med(readies):.2f}  (runs: {_list(readies)})")
    print(f"train-enabled-at-ready {sum(enabled):.0f}/{len(enabled)}")
    verdict = "meets" if gap <= GOAL_GAP_S else "misses"
    print(f"gap-s        {gap:+.2f}  ({verdict} the goal of <= {GOAL_GAP_S} s)")
    return 0


def _list(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
