"""The model part of an exported script: `class Net` written layer by layer.

Each layer becomes the constructor call nnstudio's catalog makes, under nnstudio's
child names, so a state_dict saved by the app loads into the script's Net. Frozen
layers, learning-rate factors, init schemes and pretrained bodies are written here
too; script.py puts this part between the data and the training parts.
"""

from __future__ import annotations

import inspect
import json
import pprint
from collections.abc import Callable, Mapping
from typing import Any

from nnstudio.core.export.data import ExportError
from nnstudio.core.export.sequence_script import SEQUENCE_LAYER_CODE
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec

INIT_CODE = {
    "zeros": "nn.init.zeros_(module.weight)",
    "normal": "nn.init.normal_(module.weight, 0.0, {std!r})",
    "xavier_uniform": "nn.init.xavier_uniform_(module.weight)",
    "xavier_normal": "nn.init.xavier_normal_(module.weight)",
    "kaiming_uniform": 'nn.init.kaiming_uniform_(module.weight, nonlinearity="relu")',
    "kaiming_normal": 'nn.init.kaiming_normal_(module.weight, nonlinearity="relu")',
}

_MESSAGES: dict[str, Text] = {
    "layer": {
        "en": "the script exporter cannot write a {kind} layer yet",
        "zh": "脚本导出器暂时还不能写出 {kind} 层",
    },
}
_msg = formatter(_MESSAGES)


def net_class(spec: NetworkSpec, report: Any) -> str:
    lines = [
        "class Net(nn.Sequential):",
        '    """The network as designed in nnstudio: input '
        f"{' x '.join(map(str, spec.input_shape))}, {len(spec.layers)} layers.",
        "",
        "    The children carry nnstudio's names, so the state_dict keys (and saved",
        '    weights) are the same as the app\'s ("1_linear.weight", ...)."""',
        "",
        "    def __init__(self) -> None:",
        "        super().__init__()",
    ]
    for row, layer in zip(report.layers, spec.layers, strict=True):
        line = f'self.add_module("{row.name}", {layer_code(layer, row.in_shape)})'
        if len(line) > 80:  # keep the script within 88 columns
            line = line.replace("(", "(\n            ", 1)
        lines.append("        " + line)
    frozen = [
        row.name
        for row, layer in zip(report.layers, spec.layers, strict=True)
        if layer.kind == "Linear"
        and layer["bias"] != "none"
        and not layer["train_bias"]
    ]
    if frozen:
        lines += [
            "        for name in ("
            + ", ".join(f'"{n}"' for n in frozen)
            + ("," if len(frozen) == 1 else "")
            + "):  # biases that do not train",
            "            getattr(self, name).bias.requires_grad_(False)",
        ]
    if spec.init != "default":
        lines += _init_lines(spec)
    if spec.initial_weights:
        lines += _initial_lines(spec.initial_weights)
    lines += _frozen_lines(spec, report)
    return "\n".join(lines) + "\n"


def layer_code(layer: LayerSpec, shape: tuple[int, ...]) -> str:
    """The constructor call nnstudio's catalog makes for this layer and input shape."""
    p = layer.params
    make = _LAYER_CODE.get(layer.kind)
    if make is None:
        raise ExportError(_msg("layer", kind=layer.kind))
    return make(shape, p)


def _linear(s: tuple[int, ...], p: Mapping[str, Any]) -> str:
    if p["bias"] == "shared":
        return f"SharedBiasLinear({s[-1]}, {p['out_features']})"
    bias = "" if p["bias"] == "per-unit" else ", bias=False"
    return f"nn.Linear({s[-1]}, {p['out_features']}{bias})"


def _conv(s: tuple[int, ...], p: Mapping[str, Any]) -> str:
    extra = "".join(
        f", {k}={v}"
        for k, v, default in (
            ("stride", p["stride"], 1),
            ("padding", p["padding"], 0),
            ("bias", bool(p["bias"]), True),
        )
        if v != default
    )
    return f"nn.Conv2d({s[0]}, {p['out_channels']}, {p['kernel_size']}{extra})"


def _pool(kind: str) -> Callable[[tuple[int, ...], Mapping[str, Any]], str]:
    return lambda s, p: (
        f"nn.{kind}(kernel_size={p['kernel_size']}, "
        f"stride={p['stride'] or p['kernel_size']})"
    )


def _body_code(name: str) -> Callable[[tuple[int, ...], Mapping[str, Any]], str]:
    return lambda s, p: f'pretrained_body("{name}")'


BACKBONES = {"ResNet18": "resnet18", "ResNet34": "resnet34",
              "MobileNetV3Small": "mobilenet_v3_small", "SqueezeNet11": "squeezenet1_1"}

_LAYER_CODE: dict[str, Callable[[tuple[int, ...], Mapping[str, Any]], str]] = {
    "Linear": _linear,
    "Conv2d": _conv,
    "MaxPool2d": _pool("MaxPool2d"),
    "AvgPool2d": _pool("AvgPool2d"),
    "AdaptiveAvgPool2d": lambda s, p: f"nn.AdaptiveAvgPool2d({p['output_size']})",
    "Flatten": lambda s, p: "nn.Flatten()",
    "ReLU": lambda s, p: "nn.ReLU()",
    "LeakyReLU": lambda s, p: f"nn.LeakyReLU({p['negative_slope']!r})",
    "Sigmoid": lambda s, p: "nn.Sigmoid()",
    "Tanh": lambda s, p: "nn.Tanh()",
    "GELU": lambda s, p: "nn.GELU()",
    "Softmax": lambda s, p: f"nn.Softmax(dim={-1 if len(s) == 2 else 1})",
    "Dropout": lambda s, p: f"nn.Dropout({p['p']!r})",
    "BatchNorm": lambda s, p: (
        f"nn.BatchNorm2d({s[0]})" if len(s) == 3 else f"nn.BatchNorm1d({s[0]})"
    ),
    "LayerNorm": lambda s, p: (
        f"nn.LayerNorm({s[-1]})" if len(s) == 2 else f"nn.LayerNorm({list(s)})"
    ),
    "Residual": lambda s, p: (
        f"ResidualBlock({s[0]}, {p['out_channels'] or s[0]}, {p['stride']})"
    ),
    "Resize": lambda s, p: (
        f'nn.Upsample(size=({p["size"]}, {p["size"]}), mode="bilinear", '
        "align_corners=False)"
    ),
    "DenseBlock": lambda s, p: f"DenseBlock({s[0]}, {p['growth_rate']}, {p['layers']})",
    **{kind: _body_code(name) for kind, name in BACKBONES.items()},
}


# --- issue 15: frozen layers, learning-rate factors, DenseBlock, backbones -----------
def finetune_blocks(spec: NetworkSpec) -> list[str]:
    """Source of DenseBlock and of the pretrained-body builder, where used, and the
    pretrained weights' preprocessing as a constant the script applies."""
    from nnstudio.core.network.dense import DenseBlock
    from nnstudio.core.pretrained import preprocessing_of

    kinds = {layer.kind for layer in spec.layers}
    blocks = []
    if "DenseBlock" in kinds:
        blocks.append(inspect.getsource(DenseBlock))
    if kinds & set(BACKBONES):
        blocks.append(T_PRETRAINED)
    prep = preprocessing_of(spec)
    if prep is not None:
        shown = pprint.pformat(prep, width=80, sort_dicts=False)
        blocks.append("# what the pretrained weights expect: resize, crop, mean, std\n"
                      f"PREPROCESSING = {shown}\n")
    return blocks


def _frozen_lines(spec: NetworkSpec, report: Any) -> list[str]:
    """Frozen layers: no gradients (so the optimizer leaves them out) and always in
    eval mode, as nnstudio trains them; learning-rate factors as param groups."""
    names = [row.name for row, layer in zip(report.layers, spec.layers, strict=True)
             if layer.frozen]
    factors = {row.name: layer.lr_factor
               for row, layer in zip(report.layers, spec.layers, strict=True)
               if layer.lr_factor != 1.0 and not layer.frozen}
    lines = []
    if names:
        lines += [f"        self.frozen = {tuple(names)!r}  # frozen in nnstudio",
                  "        for name in self.frozen:",
                  "            getattr(self, name).requires_grad_(False)",
                  "",
                  "    def train(self, mode: bool = True) -> Net:",
                  '        """Frozen layers stay in eval mode (BatchNorm statistics '
                  'fixed)."""',
                  "        super().train(mode)",
                  "        for name in self.frozen:",
                  "            getattr(self, name).eval()",
                  "        return self"]
    if factors:
        lines += ["",
                  "    def param_groups(self, lr: float) -> list[dict]:",
                  '        """Layers with a learning-rate factor get lr times it."""',
                  f"        factors = {factors!r}",
                  "        groups = []",
                  "        for name, child in self.named_children():",
                  "            params = [p for p in child.parameters() "
                  "if p.requires_grad]",
                  "            if params:",
                  "                factor = factors.get(name, 1.0)",
                  '                groups.append({"params": params, '
                  '"lr": lr * factor})',
                  "        return groups"]
    return lines


T_PRETRAINED = '''\
def pretrained_body(name: str) -> nn.Module:
    """torchvision's model without its classifier: image -> feature vector."""
    model = torchvision.models.get_model(name, weights=None)
    if name.startswith("resnet"):
        model.fc = nn.Identity()
    elif name.startswith("squeezenet"):
        model.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    else:
        model.classifier = nn.Identity()
    return model


def load_pretrained(net: nn.Module, layers: dict[str, str]) -> None:
    """ImageNet weights into each pretrained body (torchvision downloads them once
    and checks the hash in the file name); the old classifier is dropped."""
    for child, name in layers.items():
        weights = torchvision.models.get_model_weights(name).DEFAULT
        state = weights.get_state_dict(progress=True, check_hash=True)
        body = getattr(net, child)
        body.load_state_dict({k: v for k, v in state.items() if k in body.state_dict()})
'''

_LAYER_CODE.update(SEQUENCE_LAYER_CODE)  # sequences: see sequence_script.py


def _init_lines(spec: NetworkSpec) -> list[str]:
    fill = INIT_CODE[spec.init].format(std=spec.init_std)
    return [
        f'        # nnstudio\'s "{spec.init}" init: Linear/Conv2d weights, biases 0',
        "        for module in self.modules():",
        "            if isinstance(module, (nn.Linear, nn.Conv2d)):",
        "                with torch.no_grad():",
        f"                    {fill}",
        "                    if module.bias is not None:",
        "                        module.bias.zero_()",
    ]


def _initial_lines(weights: Mapping[str, Any]) -> list[str]:
    rows = [
        f"            {json.dumps(k)}: {json.dumps(v)}," for k, v in weights.items()
    ]
    return [
        "        initial = {  # the starting weights written in the network's spec",
        *rows,
        "        }",
        "        state = self.state_dict()",
        "        for key, value in initial.items():",
        "            state[key].copy_(torch.tensor(value, dtype=state[key].dtype))",
    ]
