"""`nnstudio pretrained list|download NAME|import FILE`: the ImageNet backbones.

A wrong or damaged file is refused with one plain line and exit 2, and never left
in the cache; `import` takes a file downloaded by hand (a browser, another
machine) through the same SHA-256 check and a weights-only load.
"""

from __future__ import annotations

import argparse
import sys

from nnstudio.cli import say


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pretrained", help="pretrained backbones: list, download, "
                       "import a hand-downloaded weights file")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="the backbones and whether their weights are "
                       "in the cache")
    get = actions.add_parser("download", help="fetch a backbone's weights once")
    get.add_argument("model", help="e.g. resnet34")
    get.add_argument("--mirror", metavar="URL", help="a folder URL with the same "
                     "file names (or set NNSTUDIO_MIRROR)")
    imp = actions.add_parser("import", help="check and cache a weights file you "
                             "downloaded by hand")
    imp.add_argument("file")
    imp.add_argument("--model", help="which backbone (default: from the file name)")


def run(args: argparse.Namespace) -> int:
    from nnstudio.core import pretrained as pt

    if args.action == "list":
        for name, b in pt.MODELS.items():
            path = pt.cached_path(name)
            state = "cached" if path.exists() else "not downloaded"
            print(f"{name:<20} {b.kind:<18} {b.features:>4} features  "
                  f"{pt.file_name(name):<32} {state}")
        return 0
    if args.action == "download":
        if args.model not in pt.MODELS:
            say(f"nnstudio: unknown model '{args.model}': use one of "
                f"{', '.join(pt.MODELS)}")
            return 2
        path = pt.ensure_weights(args.model, mirror=args.mirror,
                                 progress=_progress())
        print(path)
        return 0
    name, path = pt.import_weights(args.file, args.model)
    print(f"{name}: {path}")
    return 0


def _progress():
    shown = [-1]

    def report(done: int, total: int | None) -> None:
        if sys.stderr is None or not total:
            return
        percent = done * 100 // total
        if percent // 10 != shown[0] // 10:
            shown[0] = percent
            print(f"downloading {percent}%", file=sys.stderr, flush=True)

    return report
