"""`nnstudio datasets`: every dataset, whether it works offline, and what it is."""

from __future__ import annotations

import argparse
import json

TASKS = {  # the task column in the user's language (--json keeps the key)
    "classification": {"en": "classification", "zh": "分类"},
    "regression": {"en": "regression", "zh": "回归"},
}


def pad(value: str, width: int) -> str:
    """Left-justify to `width` terminal columns (a CJK character takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in value)
    return value + " " * max(1, width - used)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("datasets", help="list the datasets")
    p.add_argument("--json", action="store_true", help="one JSON object per dataset")


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.datasets import DATASETS
    from nnstudio.core.i18n import lang, text

    offline = {"en": ("offline", "download"), "zh": ("离线可用", "需下载")}[lang()]
    for info in DATASETS.values():
        shape = "x".join(str(d) for d in info.input_shape)
        if args.json:
            print(
                json.dumps(
                    {
                        "name": info.name,
                        "task": info.task,
                        "input_shape": list(info.input_shape),
                        "classes": len(info.class_names),
                        "offline": info.offline,
                        "description": info.description,
                    },
                    ensure_ascii=False,
                )
            )
            continue
        where = offline[0] if info.offline else offline[1]
        task = text(TASKS.get(info.task, info.task))
        print(
            f"{pad(info.name, 18)}{pad(task, 16)}{pad(shape, 10)}{pad(where, 10)}"
            f"{text(info.description)}"
        )
    return 0
