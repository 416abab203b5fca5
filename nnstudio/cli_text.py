"""The command line in the user's language: argparse's own words and our help texts.

argparse looks up every sentence it prints through its module-level `_` and
`ngettext` (the gettext hook), at the moment it prints; `localize()` points that hook
at a table that answers in Chinese under a zh locale and leaves everything else to
gettext as before, so English output and other programs in the process are unchanged.
Help texts of the sub-commands stay English in their modules (one place to read
them) and are translated here by their English text; tests/robustness checks that
every help text has its translation.
"""

from __future__ import annotations

import argparse
import gettext
from typing import Any

from nnstudio.core.i18n import lang

ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示程序的版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少以下必需参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项：%(value)r(可选：%(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "有歧义的选项：%(option)s 可以匹配 %(matches)s"
    ),
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "ignored explicit argument %r": "忽略了显式给出的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r(可选：%(choices)s)"
    ),
}
ARGPARSE_ZH_PLURAL: dict[str, str] = {
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}

HELP_ZH: dict[str, str] = {
    "Build, train and look inside neural networks. With no command, opens the "
    "studio (optionally on FILE.nnstudio).": "搭建、训练神经网络并观察它的内部。"
    "不带子命令时打开工作室(可以附带要打开的 FILE.nnstudio)。",
    "list the presets": "列出预设网络",
    "list the datasets": "列出数据集",
    "layer by layer output shape and parameters": "逐层列出输出形状和参数数量",
    "train a network and optionally save it": "训练网络，并可保存",
    "score a saved model on a dataset": "在数据集上给已保存的模型打分",
    "predict image files with a trained project": "用训练好的项目预测图片文件",
    "measure training speed against plain PyTorch loops": (
        "测量训练速度，并与普通 PyTorch 循环比较"
    ),
    "one JSON object per preset": "每个预设输出一个 JSON 对象",
    "one JSON object per dataset": "每个数据集输出一个 JSON 对象",
    "a preset name, a spec .json or a .nnstudio project": (
        "预设名称、网络定义 .json 或 .nnstudio 项目"
    ),
    "take the input shape from this dataset": "从这个数据集取得输入形状",
    "print one JSON object": "输出一个 JSON 对象",
    "dataset name or path (default: the preset's)": "数据集名称或路径(默认：预设中的)",
    "learning rate": "学习率",
    "sgd, adam, adamw, adagrad or rmsprop": "sgd、adam、adamw、adagrad 或 rmsprop",
    "Nesterov momentum (SGD)": "Nesterov 动量(SGD)",
    "L2 penalty": "L2 惩罚(权重衰减)",
    "L1 penalty on the weights": "权重的 L1 惩罚",
    "clip the gradient norm to this (0 = off)": "把梯度范数裁剪到这个值(0 = 关闭)",
    "learning-rate schedule: none, step or cosine": "学习率调度：none、step 或 cosine",
    "stop early after N epochs without a better validation loss (0 = off)": (
        "验证损失连续 N 轮没有改善时提前停止(0 = 关闭)"
    ),
    "cross-entropy, mse, bce-with-logits, l1, huber or half-sse": (
        "cross-entropy、mse、bce-with-logits、l1、huber 或 half-sse"
    ),
    "weight initialisation of the network": "网络的权重初始化方式",
    "auto, cpu, cuda, cuda:N or mps": "auto、cpu、cuda、cuda:N 或 mps",
    "steps between probes (0 = by time)": "两次探针之间的步数(0 = 按时间)",
    "no probes: fastest": "不使用探针：最快",
    "download mirror for the dataset": "数据集的下载镜像",
    "continue from the weights of the project given as NET": (
        "从 NET 所指项目的权重继续训练"
    ),
    "save the trained project": "保存训练好的项目",
    "the last line of stdout is one JSON object": "stdout 的最后一行是一个 JSON 对象",
    "a .nnstudio project with trained weights": "带有训练好的权重的 .nnstudio 项目",
    "dataset name or path (default: the project's)": (
        "数据集名称或路径(默认：项目中的)"
    ),
    "a trained .nnstudio project": "训练好的 .nnstudio 项目",
    "PNG, JPEG or BMP files": "PNG、JPEG 或 BMP 文件",
    "one JSON object per image: file, prediction, probabilities": (
        "每张图片输出一个 JSON 对象：文件、预测、概率"
    ),
    "fewer samples and one round: rough figures in seconds": (
        "更少的样本、只测一轮：几秒内得到粗略的数字"
    ),
    "put the weights of a .pt/.pth or .safetensors file into a project": (
        "把 .pt/.pth 或 .safetensors 文件中的权重放进项目"
    ),
    "a .nnstudio project": ".nnstudio 项目",
    "a state_dict .pt/.pth, or a .safetensors file": (
        "state_dict 的 .pt/.pth 文件，或 .safetensors 文件"
    ),
    "write the result here instead of over PROJECT": (
        "把结果写到这里，而不是覆盖 PROJECT"
    ),
    "pretrained backbones: list, download, import a hand-downloaded weights file": (
        "预训练骨干网络：列出、下载、导入手动下载的权重文件"
    ),
    "start from the weights of SOURCE (a .nnstudio project, a .safetensors file or "
    "a torchvision model name): layers whose shapes match take them, the rest start "
    "fresh": (
        "从 SOURCE(.nnstudio 项目、.safetensors 文件或 torchvision 模型名)的权重开始："
        "形状相符的层使用这些权重，其余的层重新初始化"
    ),
    "freeze layers 1..N (stack positions): their weights stay as they are": (
        "冻结第 1..N 层(按层栈位置)：它们的权重保持不变"
    ),
    "CPU threads for torch (default: all cores but one, so a busy machine does not "
    "stall every step)": (
        "torch 使用的 CPU 线程数(默认：除一个核心外的全部核心，"
        "这样繁忙的机器不会拖慢每一步)"
    ),
    "the backbones and whether their weights are in the cache": (
        "列出骨干网络及其权重是否已在缓存中"
    ),
    "fetch a backbone's weights once": "下载一次骨干网络的权重",
    "check and cache a weights file you downloaded by hand": (
        "检查并缓存你手动下载的权重文件"
    ),
    "e.g. resnet34": "例如 resnet34",
    "a folder URL with the same file names (or set NNSTUDIO_MIRROR)": (
        "文件名相同的文件夹 URL(或设置 NNSTUDIO_MIRROR)"
    ),
    "which backbone (default: from the file name)": "哪个骨干网络(默认：根据文件名)",
    "predict image files or a typed sequence with a trained project": (
        "用训练好的项目预测图片文件或输入的序列"
    ),
    "sgd, adam, adamw, adagrad, rmsprop or adadelta": (
        "sgd、adam、adamw、adagrad、rmsprop 或 adadelta"
    ),
    "train on the first N training samples only (0 = all)": (
        "只用前 N 个训练样本训练(0 = 全部)"
    ),
    "a dataset option, e.g. upsample=true (digits) or noise=0.3 (spiral); repeat "
    "for more": (
        "数据集选项，例如 upsample=true(digits)或 noise=0.3(spiral)；可重复给出"
    ),
    "continue from the weights and settings of the project given as NET for "
    "--epochs more epochs (the run history shows one run)": (
        "从 NET 所指项目的权重和设置继续训练 --epochs 轮(训练记录中显示为一次训练)"
    ),
    "a sequence to predict: token ids or numbers, separated by spaces or commas": (
        "要预测的序列：词元编号或数字，用空格或逗号分隔"
    ),
    "Open the studio.": "打开工作室。",
    "a .nnstudio project to open": "要打开的 .nnstudio 项目",
    "open the window offscreen, train a few batches, save and reload a project, "
    "exit 0 if all worked": "在屏幕外打开窗口，训练几个批次，保存并重新加载项目；"
    "全部正常则退出码为 0",
    "user interface language": "界面语言",
}


def _gettext(message: str) -> str:
    if lang() == "zh" and message in ARGPARSE_ZH:
        return ARGPARSE_ZH[message]
    return gettext.gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if lang() == "zh":
        chosen = singular if n == 1 else plural
        if chosen in ARGPARSE_ZH_PLURAL:
            return ARGPARSE_ZH_PLURAL[chosen]
    return gettext.ngettext(singular, plural, n)


def install_argparse_hook() -> None:
    """Route argparse's sentences through the table (idempotent; English unchanged).

    Call before building a parser: some sentences ("options") are looked up when an
    ArgumentParser is made."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


def localize(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Translate the help texts of `parser` and its sub-commands under zh."""
    if lang() == "zh":
        _translate(parser)
    return parser


def _translate(parser: argparse.ArgumentParser) -> None:
    if parser.description:
        parser.description = HELP_ZH.get(parser.description, parser.description)
    for action in parser._actions:
        _translate_action(action)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                _translate_action(choice)
            for sub in action.choices.values():
                _translate(sub)


def _translate_action(action: Any) -> None:
    if isinstance(action.help, str):
        action.help = HELP_ZH.get(
            action.help, ARGPARSE_ZH.get(action.help, action.help)
        )
