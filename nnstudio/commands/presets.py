"""`nnstudio presets`: every preset with its explanation in the user's language."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("presets", help="list the presets")
    p.add_argument("--json", action="store_true", help="one JSON object per preset")


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.i18n import text
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.network.shapes import check

    for preset in PRESETS.values():
        params = check(preset.spec).total_params
        if args.json:
            print(
                json.dumps(
                    {
                        "name": preset.name,
                        "dataset": preset.dataset,
                        "parameters": params,
                        "description": preset.description,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(
                f"{preset.name:<15} {preset.dataset:<17} {params:>10,}  "
                f"{text(preset.description)}"
            )
    return 0
