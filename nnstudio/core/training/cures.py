"""The coach's one-click cures: the change that most often fixes each diagnosis.

`cure(code, spec, config)` returns the new spec and settings with a label in both
languages, or None where the network offers nothing to change (a ReLU cure on a
network without ReLUs). The window applies it as one undo step; no Qt here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from nnstudio.core.i18n import Text, text
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig

LR_STEP = 10.0  # the rule of thumb: move the learning rate by a factor of 10
CLIP = 1.0  # a gradient norm of 1 keeps steps sane whatever the scale
DROPOUT = 0.3  # enough to fight memorising, little enough not to underfit
SATURATING = ("Sigmoid", "Tanh")
NONLINEAR = ("ReLU", "LeakyReLU", "GELU", "Sigmoid", "Tanh", "Softmax", "Residual")


@dataclass(frozen=True)
class Cure:
    label: Text
    spec: NetworkSpec
    config: TrainConfig

    def text(self, language: str | None = None) -> str:
        return text(self.label, language)


def cure(code: str, spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    """The one change to try for diagnosis `code`, or None."""
    make = _CURES.get(code)
    return make(spec, config) if make is not None else None


def _lr(factor: float) -> Callable[[NetworkSpec, TrainConfig], Cure]:
    def make(spec: NetworkSpec, config: TrainConfig) -> Cure:
        lr = config.lr * factor
        label = {"en": f"Learning rate {config.lr:g} → {lr:g}",
                 "zh": f"学习率 {config.lr:g} → {lr:g}"}
        return Cure(label, spec, config.with_(lr=lr))
    return make


def _clip(spec: NetworkSpec, config: TrainConfig) -> Cure:
    label = {"en": f"Clip the gradient norm at {CLIP:g}",
             "zh": f"把梯度范数裁剪到 {CLIP:g}"}
    return Cure(label, spec, config.with_(clip_norm=CLIP))


def _swap(kinds: tuple[str, ...], to: str, spec: NetworkSpec,
          keep_last: bool = True) -> NetworkSpec | None:
    """Every hidden layer of `kinds` replaced by `to` (the output layer kept)."""
    last = len(spec.layers) - 1
    layers = [LayerSpec(to) if layer.kind in kinds and (i < last or not keep_last)
              else layer for i, layer in enumerate(spec.layers)]
    if tuple(layers) == spec.layers:
        return None
    return dataclasses.replace(spec, layers=tuple(layers))


def _to_relu(spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    new = _swap(SATURATING, "ReLU", spec)
    if new is None:
        return None
    new = dataclasses.replace(new, init="kaiming_normal")
    return Cure({"en": "Sigmoid/Tanh → ReLU, He init",
                 "zh": "Sigmoid/Tanh → ReLU，He 初始化"}, new, config)


def _leaky(spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    new = _swap(("ReLU",), "LeakyReLU", spec)
    if new is None:
        return _lr(1 / LR_STEP)(spec, config)
    return Cure({"en": "ReLU → LeakyReLU", "zh": "ReLU → LeakyReLU"}, new, config)


def _underfit(spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    """No nonlinearity at all (spiral-linear): add a ReLU after each hidden Linear;
    else twice the units in every hidden Linear layer."""
    if not any(layer.kind in NONLINEAR for layer in spec.layers):
        layers: list[LayerSpec] = []
        for i, layer in enumerate(spec.layers):
            layers.append(layer)
            if layer.kind in ("Linear", "Conv2d") and i < len(spec.layers) - 1:
                layers.append(LayerSpec("ReLU"))
        return Cure({"en": "Add a ReLU after each hidden layer",
                     "zh": "在每个隐藏层后加一个 ReLU"},
                    dataclasses.replace(spec, layers=tuple(layers)), config)
    return _wider(spec, config)


def _wider(spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    last = max((i for i, layer in enumerate(spec.layers) if layer.kind == "Linear"),
               default=-1)
    layers = [layer.with_params(out_features=layer.params["out_features"] * 2)
              if layer.kind == "Linear" and i != last else layer
              for i, layer in enumerate(spec.layers)]
    if tuple(layers) == spec.layers:
        return None
    return Cure({"en": "Twice the units in each hidden layer",
                 "zh": "每个隐藏层的单元数翻倍"},
                dataclasses.replace(spec, layers=tuple(layers)), config)


def _plateau(spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    if config.schedule != "none":
        return Cure({"en": "No learning-rate decay", "zh": "取消学习率衰减"}, spec,
                    config.with_(schedule="none"))
    if config.optimizer == "sgd" and config.momentum == 0:
        return Cure({"en": "Momentum 0.9", "zh": "动量 0.9"}, spec,
                    config.with_(momentum=0.9))
    return _wider(spec, config)


def _overfit(spec: NetworkSpec, config: TrainConfig) -> Cure | None:
    """Dropout before the output layer; where there is one, L2 weight decay."""
    linear = [i for i, layer in enumerate(spec.layers) if layer.kind == "Linear"]
    has_dropout = any(layer.kind == "Dropout" for layer in spec.layers)
    if len(linear) >= 2 and not has_dropout:
        new = spec.insert(linear[-1], LayerSpec("Dropout", {"p": DROPOUT}))
        return Cure({"en": f"Dropout {DROPOUT:g} before the output layer",
                     "zh": f"在输出层前加 Dropout {DROPOUT:g}"}, new, config)
    decay = max(config.weight_decay * LR_STEP, 1e-4)
    return Cure({"en": f"L2 weight decay {decay:g}", "zh": f"L2 权重衰减 {decay:g}"},
                spec, config.with_(weight_decay=decay))


_CURES: dict[str, Callable[[NetworkSpec, TrainConfig], Cure | None]] = {
    "diverged": _lr(1 / LR_STEP),
    "exploding-gradients": _clip,
    "lr-too-high": _lr(1 / LR_STEP),
    "vanishing-gradients": _to_relu,
    "dead-relu": _leaky,
    "saturated": _to_relu,
    "lr-too-low": _lr(LR_STEP),
    "underfitting": _underfit,
    "plateau": _plateau,
    "overfitting": _overfit,
}
