"""Frozen layers and per-layer learning-rate factors, applied to a built model.

A frozen layer's parameters get `requires_grad_(False)` and stay out of the
optimizer's param groups (so weight decay and momentum never touch them either);
the layer also stays in eval mode, so BatchNorm's running statistics and Dropout
behave as in the trained source and the layer's whole state is bit-identical
after training. The model's children are the spec's layers, in order (build.py).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Iterable

import torch
from torch import nn

from nnstudio.core.errors import ConfigError
from nnstudio.core.i18n import text
from nnstudio.core.network.spec import NetworkSpec


def freeze_first(spec: NetworkSpec, count: int) -> NetworkSpec:
    """Freeze stack positions 1..count (the CLI's `--freeze N`); the rest train."""
    if not 0 <= count <= len(spec.layers):
        raise ConfigError(text({
            "en": f"--freeze {count}: the network has {len(spec.layers)} layers — "
                  f"give 0 to {len(spec.layers)}",
            "zh": f"--freeze {count}：网络共有 {len(spec.layers)} 层——"
                  f"请给出 0 到 {len(spec.layers)} 之间的数"}))
    layers = [dataclasses.replace(layer, frozen=i < count)
              for i, layer in enumerate(spec.layers)]
    return spec.with_layers(layers)


def frozen_flags(spec: NetworkSpec) -> list[bool]:
    return [layer.frozen for layer in spec.layers]


def apply_frozen(model: nn.Module, spec: NetworkSpec) -> None:
    """Freeze the children of `model` whose layers are frozen in `spec`."""
    for child, layer in zip(model.children(), spec.layers, strict=False):
        if layer.frozen:
            freeze_module(child)


def freeze_module(module: nn.Module) -> None:
    """No gradients, and eval mode that a later `model.train()` cannot undo."""
    module.requires_grad_(False)
    for sub in module.modules():
        sub.train(False)
        sub.train = types.MethodType(_stay_in_eval, sub)  # type: ignore[method-assign]


def _stay_in_eval(self: nn.Module, mode: bool = True) -> nn.Module:
    nn.Module.train(self, False)
    return self


def param_groups(model: nn.Module, spec: NetworkSpec, lr: float) -> list[dict]:
    """One optimizer group per learning-rate factor, frozen parameters left out.

    A layer with factor 0 is frozen in effect and is left out as well. The groups
    are in layer order so the first group's lr is the run's (the one reported)."""
    groups: dict[float, list[torch.nn.Parameter]] = {}
    children = list(model.children())
    for index, child in enumerate(children):
        layer = spec.layers[index] if index < len(spec.layers) else None
        factor = 1.0 if layer is None else layer.lr_factor
        if layer is not None and (layer.frozen or factor == 0.0):
            continue
        trainable = [p for p in child.parameters() if p.requires_grad]
        if trainable:
            groups.setdefault(factor, []).extend(trainable)
    ordered = sorted(groups.items(), key=lambda kv: kv[0] != 1.0)  # 1.0 first
    return [{"params": ps, "lr": lr * f, "lr_factor": f} for f, ps in ordered]


def frozen_prefix(spec: NetworkSpec) -> int:
    """How many layers at the input side are frozen (the body a cache may run once);
    0 when the body is not followed by a trainable layer."""
    count = 0
    for layer in spec.layers:
        if not layer.frozen:
            break
        count += 1
    return count if count < len(spec.layers) else 0


def count_params(model: nn.Module) -> tuple[int, int]:
    """(trainable, frozen) parameter counts of a built model."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable, total - trainable


def state_of(modules: Iterable[nn.Module]) -> list[torch.Tensor]:
    """Copies of every tensor of the modules' states (tests compare them bitwise)."""
    return [t.detach().clone() for m in modules for t in m.state_dict().values()]
