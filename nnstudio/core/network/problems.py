"""What the shape check tells the student: the worded problems (both languages).

`Problem` carries a code and its data; the tables here word it, so the checker
(`shapes.py`) and the one-click fixes (`fixes.py`) share one vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nnstudio.core.i18n import Text, shown, text

_MESSAGES: dict[str, Text] = {
    "empty": {
        "en": "the network has no layers — drag a layer from the palette",
        "zh": "网络中还没有层——请从层面板拖入一层",
    },
    "bad-input": {
        "en": "the input shape {shape} is not valid — every size must be 1 or more",
        "zh": "输入形状 {shape} 无效——每个维度都必须至少为 1",
    },
    "unknown-kind": {
        "en": "layer {pos}: unknown layer kind '{kind}'",
        "zh": "第 {pos} 层：未知的层类型“{kind}”",
    },
    "unknown-param": {
        "en": "layer {pos} {kind} has no parameter '{param}'",
        "zh": "第 {pos} 层 {kind} 没有参数“{param}”",
    },
    "param-type": {
        "en": "layer {pos} {kind}: {param} = {value} — {reason}",
        "zh": "第 {pos} 层 {kind}：{param} = {value}——{reason}",
    },
    "param-range": {
        "en": "layer {pos} {kind}: {param} = {value} is outside {lo} to {hi}",
        "zh": "第 {pos} 层 {kind}：{param} = {value} 超出范围 {lo} 到 {hi}",
    },
    "needs-image-flattened": {
        "en": "layer {pos} {kind} needs a 3-D input (channels, height, width) but gets a "
        "flat vector of {size} — move Flatten below it",
        "zh": "第 {pos} 层 {kind} 需要三维输入(通道, 高, 宽)，但得到的是长度为 {size} "
        "的向量——请把 Flatten 移到它下面",
    },
    "needs-image": {
        "en": "layer {pos} {kind} needs a 3-D input (channels, height, width) but gets "
        "shape {shape} — it works on images, not on this data",
        "zh": "第 {pos} 层 {kind} 需要三维输入(通道, 高, 宽)，但得到的形状是 {shape}——"
        "它只适用于图像数据",
    },
    "needs-flat": {
        "en": "layer {pos} {kind} needs a flat vector but gets {shape} — add a Flatten "
        "above it",
        "zh": "第 {pos} 层 {kind} 需要一维向量，但得到的是 {shape}——请在它上面加一个 "
        "Flatten",
    },
    "kernel-too-large": {
        "en": "layer {pos} {kind}: kernel {k}x{k} is larger than the {h}x{w} feature map",
        "zh": "第 {pos} 层 {kind}：{k}x{k} 的窗口比 {h}x{w} 的特征图还大",
    },
    "map-vanishes": {
        "en": "layer {pos} {kind} shrinks the feature map to nothing ({shape}) — remove a "
        "pooling layer or add padding",
        "zh": "第 {pos} 层 {kind} 把特征图缩小到没有了({shape})——请去掉一个池化层或加补零",
    },
    "torch": {
        "en": "layer {pos} {kind} cannot take input {shape}: {detail}",
        "zh": "第 {pos} 层 {kind} 无法接受输入 {shape}：{detail}",
    },
    "output-width": {
        "en": "the last layer gives {got} outputs but the dataset needs {want} — set "
        "out_features of the last Linear to {want}",
        "zh": "最后一层输出 {got} 个值，但数据集需要 {want} 个——请把最后一个 Linear 的 "
        "out_features 设为 {want}",
    },
    "output-not-flat": {
        "en": "the network ends with shape {shape}; the output must be a flat vector — "
        "add Flatten and a Linear layer at the end",
        "zh": "网络输出形状为 {shape}；输出必须是一维向量——请在末尾加 Flatten 和 Linear",
    },
    "softmax-before-ce": {
        "en": "layer {pos} Softmax before cross-entropy: the loss already applies softmax, "
        "so this slows learning — remove it",
        "zh": "第 {pos} 层 Softmax 位于交叉熵之前：损失函数已包含 softmax，这会减慢学习"
        "——请删除它",
    },
    "too-large": {
        "en": "the network has {params:,} parameters, more than {limit:,} — make the "
        "layers narrower",
        "zh": "网络有 {params:,} 个参数，超过 {limit:,}——请减小层的宽度",
    },
}


# --- sequences: what a sequence layer in the wrong place is told -----------------------
SEQUENCE_MESSAGES: dict[str, Text] = {
    "needs-sequence-flattened": {
        "en": "layer {pos} {kind} needs a sequence (time, features) but gets a flat "
        "vector — remove the {culprit} above it",
        "zh": "第 {pos} 层 {kind} 需要序列(时间, 特征)，但得到的是一维向量——请删除它上面的 "
        "{culprit}",
    },
    "needs-sequence-flat": {
        "en": "layer {pos} {kind} needs a sequence (time, features) but gets a flat "
        "vector of {size} — put an Embedding above it for token ids, or set the "
        "input shape to (time, features)",
        "zh": "第 {pos} 层 {kind} 需要序列(时间, 特征)，但得到的是长度为 {size} 的一维"
        "向量——词元编号请在它上面加 Embedding，否则请把输入形状设为(时间, 特征)",
    },
    "needs-sequence-image": {
        "en": "layer {pos} {kind} needs a sequence (time, features) but gets shape "
        "{shape} — it works on sequences, not on images",
        "zh": "第 {pos} 层 {kind} 需要序列(时间, 特征)，但得到的形状是 {shape}——"
        "它只适用于序列，不适用于图像",
    },
    "needs-tokens": {
        "en": "layer {pos} Embedding takes token ids, so it must be the first layer — "
        "move it to the top",
        "zh": "第 {pos} 层 Embedding 的输入是词元编号，所以它必须是第一层——请把它移到最上面",
    },
    "heads": {
        "en": "layer {pos} {kind}: embed dim {dim} is not divisible by {heads} heads — "
        "use {choices} heads, or change the width",
        "zh": "第 {pos} 层 {kind}：嵌入维度 {dim} 不能被 {heads} 个头整除——请使用 "
        "{choices} 个头，或修改宽度",
    },
    "output-sequence": {
        "en": "the network ends with a sequence {shape} but the dataset needs one answer "
        "per sample — add LastStep or MeanOverTime before the last Linear",
        "zh": "网络输出的是序列 {shape}，但数据集每个样本只需要一个答案——请在最后一个 "
        "Linear 之前加 LastStep 或 MeanOverTime",
    },
    "output-per-step": {
        "en": "the dataset needs one answer per time step ({steps} steps) but the "
        "network ends with {shape} — remove LastStep/MeanOverTime/Flatten so a Linear "
        "acts on every step",
        "zh": "数据集每个时间步都需要一个答案(共 {steps} 步)，但网络输出的是 {shape}——"
        "请删除 LastStep/MeanOverTime/Flatten，让 Linear 作用于每一步",
    },
}
_MESSAGES.update(SEQUENCE_MESSAGES)


_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")  # a template field, format spec and all


@dataclass(frozen=True)
class Problem:
    """A structured problem; `message()` words it in the user's language."""

    index: int | None
    kind: str | None
    code: str
    severity: str = "error"  # "error" | "warning"
    data: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        template = text(_MESSAGES[self.code], language)
        pos = self.index + 1 if self.index is not None else ""
        values = {"pos": pos, "kind": self.kind, **self.data}
        try:
            return template.format(**values)
        except (ValueError, OverflowError):  # a 10^5000 dimension has no str
            plain = {k: v if isinstance(v, str) else shown(v) for k, v in values.items()}
            return _FIELD.sub(lambda m: plain.get(m.group(1), m.group(0)), template)

    def __str__(self) -> str:
        return self.message()
