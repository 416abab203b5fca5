"""`nnstudio export NET --to FILE`: the format follows the extension of FILE.

.py a standalone PyTorch training script, .onnx for Netron and other runtimes,
.safetensors the weights (trained for a project, freshly initialised otherwise),
.json the network spec.
"""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a PyTorch script (.py), ONNX (.onnx), weights (.safetensors) or "
        "the spec (.json)",
    )
    p.add_argument("net", help="a preset name, a spec .json or a .nnstudio project")
    p.add_argument(
        "--to",
        required=True,
        metavar="FILE",
        help="output file; its extension chooses the format: "
        ".py, .onnx, .safetensors, .json",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed for the initial weights (default: the project's)",
    )


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.export.formats import export
    from nnstudio.core.export.script import readable
    from nnstudio.core.network.resolve import resolve_net

    resolved = resolve_net(args.net)
    if args.seed is not None:
        resolved.config = resolved.config.with_(seed=args.seed)
    path = export(resolved, args.to)
    print(f"wrote {readable(str(path))}")  # a non-UTF-8 name must not fail here
    return 0
