"""`nnstudio summary NET [--dataset D]`: per-layer shapes and parameters (torchinfo)."""

from __future__ import annotations

import argparse
import json

from nnstudio.cli import say


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="layer by layer output shape and parameters")
    p.add_argument("net", help="a preset name, a spec .json or a .nnstudio project")
    p.add_argument("--dataset", help="take the input shape from this dataset")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.network.resolve import resolve_net
    from nnstudio.core.network.shapes import check, format_shape

    resolved = resolve_net(args.net)
    spec = resolved.spec
    if args.dataset:
        spec = spec.with_input_shape(dataset_input_shape(args.dataset))
    report = check(spec)
    if not report.ok:
        for problem in report.errors:
            say(f"nnstudio: {problem.message()}")
        return 2
    if args.json:
        rows = [
            {
                "position": r.index + 1,
                "name": r.name,
                "kind": r.kind,
                "output_shape": list(r.out_shape),
                "parameters": r.params,
                "frozen": spec.layers[r.index].frozen,
            }
            for r in report.layers
        ]
        print(
            json.dumps(
                {
                    "input_shape": list(spec.input_shape),
                    "layers": rows,
                    "total_parameters": report.total_params,
                    "trainable_params": report.trainable_params,
                    "frozen_params": report.frozen_params,
                }
            )
        )
        return 0
    w = max([18, *(len(r.kind) + 1 for r in report.layers)])  # TransformerEncoderLayer
    print(f"{'#':>3}  {'Layer':<{w}} {'Output shape':<14} {'Param #':>12}")
    print("-" * (33 + w))
    print(f"{'':>3}  {'Input':<{w}} {format_shape(spec.input_shape):<14} {'':>12}")
    for r in report.layers:
        lock = "  frozen" if spec.layers[r.index].frozen else ""
        print(
            f"{r.index + 1:>3}  {r.kind:<{w}} {format_shape(r.out_shape):<14} "
            f"{r.params:>12,}{lock}"
        )
    print("-" * (33 + w))
    print(f"Total parameters: {report.total_params:,}")
    if report.frozen_params:
        print(f"Trainable: {report.trainable_params:,}, "
              f"frozen: {report.frozen_params:,}")
    for problem in report.problems:
        say(f"nnstudio: warning: {problem.message()}")
    return 0


def dataset_input_shape(name: str) -> tuple[int, ...]:
    """A registered dataset's declared shape, or the shape of the loaded path."""
    from nnstudio.core.datasets import DATASETS, load_dataset

    if name in DATASETS:
        return tuple(DATASETS[name].input_shape)
    return tuple(load_dataset(name).input_shape)
