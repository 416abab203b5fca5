"""`nnstudio evaluate PROJECT --dataset D`: score a saved model on every sample of D."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score a saved model on a dataset")
    p.add_argument("project", help="a .nnstudio project with trained weights")
    p.add_argument("--dataset", help="dataset name or path (default: the project's)")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--batch-size", type=int, default=1024)
    p.add_argument("--mirror", help="download mirror URL for the dataset")
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object")


def run(args: argparse.Namespace) -> int:
    from nnstudio.cli import say

    say("nnstudio: evaluate is not ready yet")
    return 1
