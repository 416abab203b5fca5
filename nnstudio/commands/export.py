"""`nnstudio export NET --to FILE`: the format follows the extension of FILE.

.py a standalone PyTorch training script, .onnx for Netron and other runtimes,
.safetensors the weights (trained for a project, freshly initialised otherwise),
.json the network spec. With `--tensorboard`, --to is a folder that receives
TensorBoard event files: every run of a project (curves and the graph), or the graph
alone for a network with no runs. ONNX and TensorBoard need the export extras
(`pip install -e '.[export]'`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nnstudio.core.i18n import Text, formatter

_MESSAGES: dict[str, Text] = {
    "help": {
        "en": "write a PyTorch script (.py), ONNX (.onnx), weights (.safetensors), "
        "the spec (.json) or TensorBoard files (--tensorboard)",
        "zh": "导出 PyTorch 脚本(.py)、ONNX(.onnx)、权重(.safetensors)、"
        "网络定义(.json)或 TensorBoard 文件(--tensorboard)",
    },
    "net": {
        "en": "a preset name, a spec .json or a .nnstudio project",
        "zh": "预设名称、网络定义 .json 或 .nnstudio 项目",
    },
    "to": {
        "en": "output file; its extension chooses the format: .py, .onnx, "
        ".safetensors, .json (a folder with --tensorboard)",
        "zh": "输出文件，扩展名决定格式：.py、.onnx、.safetensors、.json"
        "(使用 --tensorboard 时为文件夹)",
    },
    "tensorboard": {
        "en": "write TensorBoard event files into the folder --to: each run of a "
        "project with its curves and the network graph (the graph alone when there "
        "are no runs); view them with: tensorboard --logdir FOLDER",
        "zh": "把 TensorBoard 事件文件写入 --to 指定的文件夹：项目的每次训练"
        "(曲线和网络计算图；没有训练记录时只写计算图)；"
        "用 tensorboard --logdir 文件夹 查看",
    },
    "seed": {
        "en": "seed for the initial weights (default: the project's)",
        "zh": "初始权重的随机种子(默认：项目中的设置)",
    },
    "wrote": {"en": "wrote {path}", "zh": "已写入 {path}"},
    "not-folder": {
        "en": "cannot write TensorBoard files into {path}: it is a file, not a folder",
        "zh": "无法把 TensorBoard 文件写入 {path}：它是文件，不是文件夹",
    },
}
_msg = formatter(_MESSAGES)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=_msg("help"), description=_msg("help"))
    p.add_argument("net", help=_msg("net"))
    p.add_argument("--to", required=True, metavar="FILE", help=_msg("to"))
    p.add_argument("--tensorboard", action="store_true", help=_msg("tensorboard"))
    p.add_argument("--seed", type=int, default=None, help=_msg("seed"))


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.export.formats import export
    from nnstudio.core.export.script import readable
    from nnstudio.core.network.resolve import resolve_net

    resolved = resolve_net(args.net)
    if args.seed is not None:
        resolved.config = resolved.config.with_(seed=args.seed)
    if args.tensorboard:
        for logdir in export_tensorboard(resolved, Path(args.to), args.net):
            print(_msg("wrote", path=readable(str(logdir))))
        return 0
    path = export(resolved, args.to)
    # a non-UTF-8 name must not fail here
    print(_msg("wrote", path=readable(str(path))))
    return 0


def export_tensorboard(resolved: Any, folder: Path, net: str) -> list[Path]:
    """One TensorBoard run folder per run of the project, or one with the graph."""
    from nnstudio.core.errors import NNStudioError
    from nnstudio.core.export.report import write_network_tensorboard, write_tensorboard
    from nnstudio.core.training.runs import from_history_entry

    if folder.exists() and not folder.is_dir():
        raise NNStudioError(_msg("not-folder", path=folder), "export")
    history = resolved.project.history if resolved.project is not None else []
    runs = [from_history_entry(e) for e in history if isinstance(e, dict)]
    spec = resolved.spec.to_dict()
    if not runs:
        return [write_network_tensorboard(spec, folder, Path(net).stem)]
    paths = []
    for index, run in enumerate(runs):
        if not run.get("id"):
            run["id"] = f"run-{index + 1}"
        if not (run.get("settings") or {}).get("spec"):
            run.setdefault("settings", {})["spec"] = spec
        paths.append(write_tensorboard(run, folder))
    return paths
