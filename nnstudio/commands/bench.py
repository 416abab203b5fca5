"""`nnstudio bench`: samples/s of the trainer against a plain PyTorch loop and the
textbook DataLoader loop, on synthetic digits (works offline)."""

from __future__ import annotations

import argparse
import json

from nnstudio.commands import add_threads_option, apply_threads


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench",
                       help="measure training speed against plain PyTorch loops")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--quick", action="store_true",
                   help="fewer samples and one round: rough figures in seconds")
    p.add_argument("--json", action="store_true",
                   help="the last line of stdout is one JSON object")
    add_threads_option(p)


def run(args: argparse.Namespace) -> int:
    from nnstudio.cli import say
    from nnstudio.core.training.bench import bench, table

    apply_threads(args.threads)
    report = bench(args.device, quick=args.quick,
                   progress=None if args.json else lambda line: say(f"  {line}"))
    print(json.dumps(report) if args.json else table(report))
    return 0
