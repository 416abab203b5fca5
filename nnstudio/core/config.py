"""Training settings, the loss and optimizer registries, and their validation.

Everything is checked before any work starts so a typo costs nothing: the CLI exits 2
with one line, the window explains the disabled Train button.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import torch
from torch import nn

from nnstudio.core.errors import ConfigError
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


@dataclass(frozen=True)
class OptimizerKind:
    name: str
    description: Text
    formula: str
    make: Callable[[Any, TrainConfig], torch.optim.Optimizer]
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
)

LOSSES: dict[str, LossKind] = {k.name: k for k in _LOSSES}
OPTIMIZERS: dict[str, OptimizerKind] = {k.name: k for k in _OPTIMIZERS}
SCHEDULES = ("none", "step", "cosine")
MAX_EPOCHS = 1_000_000


@dataclass(frozen=True)
class TrainConfig:
    """How to train: data, loss, optimizer and its hyper-parameters, device, seed."""

    dataset: str = "spiral"
    loss: str = "cross-entropy"
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    l1: float = 0.0
    clip_norm: float = 0.0  # 0 = no clipping
    schedule: str = "none"
    epochs: int = 20
    batch_size: int = 32
    early_stopping_patience: int = 0  # 0 = off
    device: str = "auto"
    seed: int = 0
    probe_every: int = 0  # steps between probes; 0 = by time (about 3 per second)
    probes: bool = True
    dataset_options: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dataset_options"] = dict(self.dataset_options)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainConfig:
        """Known keys only (unknown ones from newer files are ignored), validated."""
        known = {f.name for f in fields(cls)}
        config = cls(**{k: v for k, v in data.items() if k in known})
        validate(config)
        return config

    def with_(self, **changes: Any) -> TrainConfig:
        return replace(self, **changes)


def validate(config: TrainConfig) -> TrainConfig:
    """Raise ConfigError with one plain line for the first bad value."""
    for message in _problems(config):
        raise ConfigError(message)
    return config


def _problems(c: TrainConfig) -> list[str]:
    texts = ("dataset", "loss", "optimizer", "schedule", "device")
    for name in texts:  # a hand-edited config.json may hold anything
        if not isinstance(getattr(c, name), str):
            return [f"{name} must be text (got {getattr(c, name)!r})"]
    if not isinstance(c.dataset_options, Mapping):
        return [f"dataset options must be a JSON object (got {c.dataset_options!r})"]
    checks = [
        (c.loss in LOSSES, f"unknown loss '{c.loss}': use one of {', '.join(LOSSES)}"),
        (
            c.optimizer in OPTIMIZERS,
            f"unknown optimizer '{c.optimizer}': use one of {', '.join(OPTIMIZERS)}",
        ),
        (
            _finite(c.lr) and c.lr > 0,
            f"learning rate must be a number greater than 0 (got {c.lr})",
        ),
        (_finite(c.lr) and c.lr <= 1e6, f"learning rate {c.lr} is absurdly large"),
        (
            _whole(c.batch_size) and c.batch_size >= 1,
            f"batch size must be a whole number of at least 1 (got {c.batch_size})",
        ),
        (
            _whole(c.epochs) and 1 <= c.epochs <= MAX_EPOCHS,
            f"epochs must be a whole number from 1 to {MAX_EPOCHS:,} (got {c.epochs})",
        ),
        (
            _finite(c.momentum) and 0 <= c.momentum < 1,
            f"momentum must be from 0 to below 1 (got {c.momentum})",
        ),
        (
            _finite(c.weight_decay) and c.weight_decay >= 0,
            f"weight decay must be 0 or more (got {c.weight_decay})",
        ),
        (_finite(c.l1) and c.l1 >= 0, f"L1 penalty must be 0 or more (got {c.l1})"),
        (
            _finite(c.clip_norm) and c.clip_norm >= 0,
            f"gradient clipping norm must be 0 (off) or more (got {c.clip_norm})",
        ),
        (
            c.schedule in SCHEDULES,
            f"unknown schedule '{c.schedule}': use one of {', '.join(SCHEDULES)}",
        ),
        (
            _whole(c.early_stopping_patience) and c.early_stopping_patience >= 0,
            "early-stopping patience must be 0 (off) or a positive whole number",
        ),
        (_whole(c.seed), f"seed must be a whole number (got {c.seed})"),
        (
            _whole(c.probe_every) and c.probe_every >= 0,
            "probe interval must be 0 (automatic) or a positive whole number of steps",
        ),
    ]
    return [message for ok, message in checks if not ok]


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def parse_number(raw: str, *, integer: bool = False) -> float:
    """Read a number as people type it: full-width digits (０．０１) and decimal commas.

    In a whole-number field a comma groups thousands ("1,000" is 1000); elsewhere a
    single comma is a decimal comma ("0,01" is 0.01). Raises ValueError with a plain
    message when it is not a number.
    """
    cleaned = unicodedata.normalize("NFKC", raw).strip().replace("。", ".")
    cleaned = cleaned.replace(" ", "").replace("_", "")
    if integer:
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # 0,01 -> 0.01
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"'{raw}' is not a number") from None
