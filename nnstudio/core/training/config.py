"""Training settings (TrainConfig) and their validation against the registries.

Everything is checked before any work starts so a typo costs nothing: the CLI exits 2
with one line, the window explains the disabled Train button.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from nnstudio.core.errors import ConfigError
from nnstudio.core.i18n import Text, formatter, shown
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS

SCHEDULES = ("none", "step", "cosine")
MAX_EPOCHS = 1_000_000
SEED_LIMIT = 2**63  # torch's generators take a signed 64-bit seed, no more

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
    train_samples: int = 0  # train on the first N training samples only; 0 = all

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


# What a bad setting is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "not-text": {
        "en": "{name} must be text (got {value})",
        "zh": "{name} 必须是文本（当前为 {value}）",
    },
    "options": {
        "en": "dataset options must be a JSON object (got {value})",
        "zh": "数据集选项必须是 JSON 对象（当前为 {value}）",
    },
    "loss": {
        "en": "unknown loss '{value}': use one of {losses}",
        "zh": "未知的损失函数“{value}”：请使用 {losses} 之一",
    },
    "optimizer": {
        "en": "unknown optimizer '{value}': use one of {optimizers}",
        "zh": "未知的优化器“{value}”：请使用 {optimizers} 之一",
    },
    "lr": {
        "en": "learning rate must be a number greater than 0 (got {value})",
        "zh": "学习率必须是大于 0 的数（当前为 {value}）",
    },
    "lr-huge": {
        "en": "learning rate {value} is absurdly large",
        "zh": "学习率 {value} 大得不合理",
    },
    "batch_size": {
        "en": "batch size must be a whole number of at least 1 (got {value})",
        "zh": "批大小必须是不小于 1 的整数（当前为 {value}）",
    },
    "epochs": {
        "en": "epochs must be a whole number from 1 to {max_epochs:,} (got {value})",
        "zh": "轮数必须是 1 到 {max_epochs:,} 之间的整数（当前为 {value}）",
    },
    "momentum": {
        "en": "momentum must be from 0 to below 1 (got {value})",
        "zh": "动量必须不小于 0 且小于 1（当前为 {value}）",
    },
    "weight_decay": {
        "en": "weight decay must be 0 or more (got {value})",
        "zh": "权重衰减必须不小于 0（当前为 {value}）",
    },
    "l1": {
        "en": "L1 penalty must be 0 or more (got {value})",
        "zh": "L1 惩罚必须不小于 0（当前为 {value}）",
    },
    "clip_norm": {
        "en": "gradient clipping norm must be 0 (off) or more (got {value})",
        "zh": "梯度裁剪范数必须为 0（关闭）或更大（当前为 {value}）",
    },
    "schedule": {
        "en": "unknown schedule '{value}': use one of {schedules}",
        "zh": "未知的学习率调度“{value}”：请使用 {schedules} 之一",
    },
    "patience": {
        "en": "early-stopping patience must be 0 (off) or a positive whole number",
        "zh": "提前停止的等待轮数必须为 0（关闭）或正整数",
    },
    "seed": {
        "en": "seed must be a whole number below 2^63 in size (got {value})",
        "zh": "随机种子必须是绝对值小于 2^63 的整数（当前为 {value}）",
    },
    "probe_every": {
        "en": "probe interval must be 0 (automatic) or a positive whole number of steps",
        "zh": "探测间隔必须为 0（自动）或正整数步数",
    },
    "train_samples": {
        "en": "train samples must be 0 (all) or a positive whole number (got {value})",
        "zh": "训练样本数必须为 0（全部）或正整数（当前为 {value}）",
    },
    "not-number": {"en": "'{raw}' is not a number", "zh": "“{raw}”不是数字"},
}
# The lists and limits some messages name (format ignores the ones a message lacks).
_NAMED = {
    "losses": ", ".join(LOSSES),
    "optimizers": ", ".join(OPTIMIZERS),
    "schedules": ", ".join(SCHEDULES),
    "max_epochs": MAX_EPOCHS,
}


_msg = formatter(_MESSAGES)


def validate(config: TrainConfig) -> TrainConfig:
    """Raise ConfigError with one plain line for the first bad value."""
    for message in _problems(config):
        raise ConfigError(message)
    return config


def _problems(c: TrainConfig) -> list[str]:
    texts = ("dataset", "loss", "optimizer", "schedule", "device")
    for name in texts:  # a hand-edited config.json may hold anything
        if not isinstance(getattr(c, name), str):
            return [_msg("not-text", name=name, value=shown(getattr(c, name)))]
    if not isinstance(c.dataset_options, Mapping):
        return [_msg("options", value=shown(c.dataset_options))]
    checks = [  # (fine?, message, the value it names)
        (c.loss in LOSSES, "loss", c.loss),
        (c.optimizer in OPTIMIZERS, "optimizer", c.optimizer),
        (_finite(c.lr) and c.lr > 0, "lr", c.lr),
        (_finite(c.lr) and c.lr <= 1e6, "lr-huge", c.lr),
        (_whole(c.batch_size) and c.batch_size >= 1, "batch_size", c.batch_size),
        (_whole(c.epochs) and 1 <= c.epochs <= MAX_EPOCHS, "epochs", c.epochs),
        (_finite(c.momentum) and 0 <= c.momentum < 1, "momentum", c.momentum),
        (
            _finite(c.weight_decay) and c.weight_decay >= 0,
            "weight_decay",
            c.weight_decay,
        ),
        (_finite(c.l1) and c.l1 >= 0, "l1", c.l1),
        (_finite(c.clip_norm) and c.clip_norm >= 0, "clip_norm", c.clip_norm),
        (c.schedule in SCHEDULES, "schedule", c.schedule),
        (
            _whole(c.early_stopping_patience) and c.early_stopping_patience >= 0,
            "patience",
            c.early_stopping_patience,
        ),
        (_whole(c.seed) and -SEED_LIMIT <= c.seed < SEED_LIMIT, "seed", c.seed),
        (_whole(c.probe_every) and c.probe_every >= 0, "probe_every", c.probe_every),
        (
            _whole(c.train_samples) and c.train_samples >= 0,
            "train_samples",
            c.train_samples,
        ),
    ]
    return [_msg(key, value=_quoted(value), **_NAMED) for ok, key, value in checks
            if not ok]


def _quoted(value: Any) -> str:
    """A value inside a message: as typed for text, short and safe for the rest (a
    10^5000 int has no str; a hand-edited file may hold a list 60 deep)."""
    return value if isinstance(value, str) else shown(value)


def _finite(x: Any) -> bool:
    if not isinstance(x, int | float) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an int beyond float range
        return False


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
        raise ValueError(_msg("not-number", raw=raw)) from None
