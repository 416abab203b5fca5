"""`nnstudio import-weights PROJECT WEIGHTS`: put trained weights into a project.

The weights come from a .pt/.pth state_dict (loaded with `weights_only=True`, so a
file holding other Python objects is refused without running it) or a .safetensors
file, for instance the ones an exported script saves. They must fit the project's
network, name for name and shape for shape. The project is rewritten atomically
(or written to `--output`).
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import-weights",
        help="put the weights of a .pt/.pth or .safetensors file into a project",
    )
    p.add_argument("project", help="a .nnstudio project")
    p.add_argument("weights", help="a state_dict .pt/.pth, or a .safetensors file")
    p.add_argument(
        "-o", "--output", help="write the result here instead of over PROJECT"
    )


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.project.files import load_project, save_project
    from nnstudio.core.project.weights import import_state_dict

    project = load_project(args.project)
    weights = import_state_dict(args.weights, project.spec)
    target = Path(args.output or args.project)
    save_project(target, dataclasses.replace(project, weights=weights))
    count = sum(int(t.numel()) for t in weights.values())
    print(
        f"{target}: imported {len(weights)} tensors ({count:,} values) "
        f"from {Path(args.weights).name}"
    )
    return 0
