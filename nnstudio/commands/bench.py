"""`nnstudio bench`: samples/s of the trainer against a plain loop and a textbook loop."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="measure training speed against plain PyTorch loops")
    p.add_argument("--device", default="cpu", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--quick", action="store_true", help="fewer samples, rough figures")
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object")


def run(args: argparse.Namespace) -> int:
    from nnstudio.cli import say

    say("nnstudio: bench is not ready yet")
    return 1
