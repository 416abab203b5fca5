"""The loss registry: one declaration per loss (what it is for, its formula, the
task it fits, how to make it). The training form, the CLI and Learn more read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from nnstudio.core.i18n import Text


class HalfSumSquares(nn.Module):
    """E = Σ ½ (target − out)², summed over outputs, averaged over the batch.

    The textbook backprop loss: for one sample it is exactly the worked example's E.
    """

    def forward(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return 0.5 * (target - out).pow(2).flatten(1).sum(1).mean()


@dataclass(frozen=True)
class LossKind:
    name: str
    description: Text
    formula: str
    task: str  # "classification" | "regression" | "any"
    make: Callable[[], nn.Module]
    experiment: str | None = None


_LOSSES = (
    LossKind(
        "cross-entropy",
        {
            "en": "Classification: penalises low probability on the true class.",
            "zh": "分类：对真实类别的概率越低惩罚越大。",
        },
        "L = −log softmax(z)[y]",
        "classification",
        nn.CrossEntropyLoss,
    ),
    LossKind(
        "mse",
        {"en": "Regression: mean of squared errors.", "zh": "回归：误差平方的平均值。"},
        "L = mean((y − ŷ)²)",
        "regression",
        nn.MSELoss,
    ),
    LossKind(
        "bce-with-logits",
        {
            "en": "Yes/no outputs: sigmoid plus binary cross-entropy, numerically stable.",
            "zh": "是/否输出：sigmoid 加二元交叉熵，数值稳定。",
        },
        "L = −[y log σ(z) + (1−y) log(1−σ(z))]",
        "any",
        nn.BCEWithLogitsLoss,
    ),
    LossKind(
        "l1",
        {
            "en": "Regression: mean absolute error, robust to outliers.",
            "zh": "回归：平均绝对误差，对异常值更稳健。",
        },
        "L = mean(|y − ŷ|)",
        "regression",
        nn.L1Loss,
    ),
    LossKind(
        "huber",
        {
            "en": "Regression: squared for small errors, absolute for large ones.",
            "zh": "回归：小误差取平方，大误差取绝对值。",
        },
        "L = ½e² if |e| ≤ 1 else |e| − ½",
        "regression",
        nn.HuberLoss,
    ),
    LossKind(
        "half-sse",
        {
            "en": "Textbook backprop loss: sum of ½(target − out)².",
            "zh": "教科书反向传播的损失：Σ ½(目标 − 输出)²。",
        },
        "E = Σ ½ (t − o)²",
        "regression",
        HalfSumSquares,
        "backprop-2-2-2",
    ),
)


LOSSES: dict[str, LossKind] = {k.name: k for k in _LOSSES}
