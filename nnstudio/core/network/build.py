"""Spec -> torch.nn.Sequential with stable, readable layer names."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from nnstudio.core.errors import SpecError
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.layers import LAYER_KINDS
from nnstudio.core.network.shapes import ShapeReport, check
from nnstudio.core.network.spec import NetworkSpec

_WEIGHT_INITS: dict[str, Callable[[torch.Tensor, float], object]] = {
    "zeros": lambda w, std: nn.init.zeros_(w),
    "normal": lambda w, std: nn.init.normal_(w, 0.0, std),
    "xavier_uniform": lambda w, std: nn.init.xavier_uniform_(w),
    "xavier_normal": lambda w, std: nn.init.xavier_normal_(w),
    "kaiming_uniform": lambda w, std: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
    "kaiming_normal": lambda w, std: nn.init.kaiming_normal_(w, nonlinearity="relu"),
}

# What a refused initial weight is told as, in both languages; `_msg()` picks the
# user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "no-tensor": {
        "en": "initial weight '{weight}' names no tensor of this network",
        "zh": "初始权重“{weight}”不对应这个网络中的任何张量",
    },
    "weight-shape": {
        "en": "initial weight '{weight}' has shape {got}, the layer needs {want}",
        "zh": "初始权重“{weight}”的形状是 {got}，但该层需要 {want}",
    },
}


_msg = formatter(_MESSAGES)


def require_valid(spec: NetworkSpec, **check_args: object) -> ShapeReport:
    """Check a spec and raise one SpecError listing every error if it is invalid."""
    report = check(spec, **check_args)  # type: ignore[arg-type]
    if not report.ok:
        raise SpecError("; ".join(p.message() for p in report.errors))
    return report


def build_model(spec: NetworkSpec, seed: int | None = None) -> nn.Sequential:
    """Build the model on the CPU; the same spec and seed give identical weights.

    The seed is applied in a forked RNG so building never disturbs the caller's
    random stream (the training loop seeds its own).
    """
    report = require_valid(spec)
    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(seed)
        model = nn.Sequential()
        for row, layer in zip(report.layers, spec.layers, strict=True):
            module = LAYER_KINDS[layer.kind].make(row.in_shape, layer.params)
            model.add_module(row.name, module)
        apply_init(model, spec.init, spec.init_std)
    for child, layer in zip(model.children(), spec.layers, strict=True):
        if layer.frozen:  # frozen layers: no gradients (the loop also fixes eval mode)
            child.requires_grad_(False)
    if spec.initial_weights:
        load_initial_weights(model, spec.initial_weights)
    return model


def apply_init(model: nn.Module, init: str, std: float = 0.01) -> None:
    """Re-initialise weights of Linear/Conv layers; biases start at zero."""
    if init == "default":
        return
    fill = _WEIGHT_INITS[init]
    for module in model.modules():
        if isinstance(module, nn.Linear | nn.Conv2d):
            with torch.no_grad():
                fill(module.weight, std)
                if module.bias is not None:
                    module.bias.zero_()


def load_initial_weights(model: nn.Module, values: dict) -> None:
    """Set named tensors from nested lists (presets with textbook weights)."""
    state = model.state_dict()
    for key, value in values.items():
        if key not in state:
            raise SpecError(_msg("no-tensor", weight=key))
        tensor = torch.tensor(value, dtype=state[key].dtype)
        if tensor.shape != state[key].shape:
            raise SpecError(
                _msg(
                    "weight-shape",
                    weight=key,
                    got=list(tensor.shape),
                    want=list(state[key].shape),
                )
            )
        state[key].copy_(tensor)


def parameter_layers(model: nn.Module) -> list[str]:
    """Names of the top-level children that own parameters, input side first."""
    return [
        name
        for name, child in model.named_children()
        if any(True for _ in child.parameters())
    ]
