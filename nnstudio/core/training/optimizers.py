"""The optimizer registry: one declaration per optimizer (what it does, its update
rule, how to make it from the training settings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from nnstudio.core.i18n import Text

if TYPE_CHECKING:
    from nnstudio.core.training.config import TrainConfig


@dataclass(frozen=True)
class OptimizerKind:
    name: str
    description: Text
    formula: str
    make: Callable[[Any, TrainConfig], torch.optim.Optimizer]
    experiment: str | None = None


def _sgd(params: Any, c: TrainConfig) -> torch.optim.Optimizer:
    return torch.optim.SGD(
        params,
        lr=c.lr,
        momentum=c.momentum,
        nesterov=c.nesterov and c.momentum > 0,
        weight_decay=c.weight_decay,
    )


_OPTIMIZERS = (
    OptimizerKind(
        "sgd",
        {
            "en": "Plain gradient descent, optionally with momentum/Nesterov.",
            "zh": "普通梯度下降，可选动量/Nesterov。",
        },
        "v = μv + g;  w ← w − η v",
        _sgd,
    ),
    OptimizerKind(
        "adam",
        {
            "en": "Adaptive steps per weight from running gradient moments.",
            "zh": "根据梯度的滑动矩为每个权重自适应步长。",
        },
        "w ← w − η m̂ / (√v̂ + ε)",
        lambda p, c: torch.optim.Adam(p, lr=c.lr, weight_decay=c.weight_decay),
    ),
    OptimizerKind(
        "adamw",
        {"en": "Adam with decoupled weight decay.", "zh": "权重衰减解耦的 Adam。"},
        "w ← w − η (m̂ / (√v̂ + ε) + λ w)",
        lambda p, c: torch.optim.AdamW(p, lr=c.lr, weight_decay=c.weight_decay),
    ),
    OptimizerKind(
        "adagrad",
        {
            "en": "Steps shrink for weights that have seen large gradients.",
            "zh": "梯度累计越大的权重步长越小。",
        },
        "G += g²;  w ← w − η g / √G",
        lambda p, c: torch.optim.Adagrad(p, lr=c.lr, weight_decay=c.weight_decay),
    ),
    OptimizerKind(
        "rmsprop",
        {
            "en": "Divides by a running average of squared gradients.",
            "zh": "用平方梯度的滑动平均来缩放步长。",
        },
        "v = αv + (1−α)g²;  w ← w − η g / √v",
        lambda p, c: torch.optim.RMSprop(
            p, lr=c.lr, momentum=c.momentum, weight_decay=c.weight_decay
        ),
    ),
    # Adadelta (PyTorch's own MNIST example uses it, at lr 1.0): no hand-set step
    # size in the original; torch's `lr` scales its update, so 1.0 is the paper's rule
    OptimizerKind(
        "adadelta",
        {
            "en": "Steps sized by running averages of squared gradients and of past "
            "updates: the units work out by themselves (lr 1.0 is the paper's rule).",
            "zh": "用平方梯度和以往更新量的滑动平均来决定步长：单位自动匹配"
            "(学习率 1.0 即论文中的规则)。",
        },
        "v = ρv + (1−ρ)g²;  Δ = √(u+ε)/√(v+ε)·g;  u = ρu + (1−ρ)Δ²;  w ← w − η Δ",
        lambda p, c: torch.optim.Adadelta(p, lr=c.lr, weight_decay=c.weight_decay),
        "sgd-vs-adadelta",
    ),
)


OPTIMIZERS: dict[str, OptimizerKind] = {k.name: k for k in _OPTIMIZERS}
