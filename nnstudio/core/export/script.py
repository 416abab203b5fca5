"""Spec + settings + dataset -> one readable, standalone PyTorch training script.

The script imports torch and torchvision (numpy where the data needs it), never
nnstudio: the model is written out layer by layer with nnstudio's layer names, the
two custom modules are copied in as source, and the data loading repeats what
nnstudio's loaders do for the project's dataset. `DATA_KINDS` lists what can be
written; anything else is refused with a plain message.
"""

from __future__ import annotations

import inspect
import json
import pprint
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nnstudio import __version__
from nnstudio.core.export import template as T
from nnstudio.core.export.data import ExportError, Recipe, Section, data_section
from nnstudio.core.export.sequence_script import (
    PER_STEP_PREDICT,
    PER_STEP_QUALITY,
    SEQUENCE_LAYER_CODE,
    per_step_loss_source,
    sequence_sources,
)
from nnstudio.core.fileio import atomic_write_bytes
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.build import require_valid
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.modules import ResidualBlock, SharedBiasLinear
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.losses import HalfSumSquares

LOSS_CODE = {
    "cross-entropy": "nn.CrossEntropyLoss()",
    "mse": "nn.MSELoss()",
    "bce-with-logits": "nn.BCEWithLogitsLoss()",
    "l1": "nn.L1Loss()",
    "huber": "nn.HuberLoss()",
    "half-sse": "HalfSumSquares()",
}
INIT_CODE = {
    "zeros": "nn.init.zeros_(module.weight)",
    "normal": "nn.init.normal_(module.weight, 0.0, {std!r})",
    "xavier_uniform": "nn.init.xavier_uniform_(module.weight)",
    "xavier_normal": "nn.init.xavier_normal_(module.weight)",
    "kaiming_uniform": 'nn.init.kaiming_uniform_(module.weight, nonlinearity="relu")',
    "kaiming_normal": 'nn.init.kaiming_normal_(module.weight, nonlinearity="relu")',
}

# What the exporter refuses is told as, in both languages (the CLI and the window say
# the same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "input-mismatch": {
        "en": "the network takes input {net} but the dataset '{source}' gives {data} — "
        "fix the input shape before exporting the script",
        "zh": "网络的输入是 {net}，但数据集“{source}”给出的是 {data}——请先修正输入"
        "形状再导出脚本",
    },
    "loss": {
        "en": "the script exporter does not know the loss '{loss}'",
        "zh": "脚本导出器不认识损失函数“{loss}”",
    },
    "layer": {
        "en": "the script exporter cannot write a {kind} layer yet",
        "zh": "脚本导出器暂时还不能写出 {kind} 层",
    },
    "optimizer": {
        "en": "the script exporter does not know the optimizer '{optimizer}'",
        "zh": "脚本导出器不认识优化器“{optimizer}”",
    },
}


_msg = formatter(_MESSAGES)


def export_script(target: Any, path: Path, data: Any = None) -> None:
    """Write the training script for `target` (a Resolved) to `path`."""
    recipe = (
        Recipe.from_data(data)
        if data is not None
        else Recipe.from_config(target.config)
    )
    text = script_text(target.spec, target.config, recipe, readable(Path(path).stem))
    atomic_write_bytes(path, text.encode("utf-8"))


def readable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the OS as surrogates)
    become U+FFFD, so the script and the messages that name it can be encoded."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _docstring_safe(words: str) -> str:
    """Text that can sit inside the script's docstring: three quotes or a backslash
    in a file name must not end the string or start an escape."""
    return words.replace("\\", "\\\\").replace('"', '\\"')


def script_text(
    spec: NetworkSpec, config: TrainConfig, recipe: Recipe, name: str = "model"
) -> str:
    """The whole script as text (see the module docstring)."""
    report = require_valid(spec)
    section = data_section(recipe)
    if {layer.kind for layer in spec.layers} & set(_BACKBONES):
        section.imports.add("import torchvision")  # the pretrained bodies
    if section.input_shape and tuple(section.input_shape) != tuple(spec.input_shape):
        raise ExportError(
            _msg(
                "input-mismatch",
                net=list(spec.input_shape),
                source=recipe.source,
                data=list(section.input_shape),
            )
        )
    if config.loss not in LOSS_CODE:
        raise ExportError(_msg("loss", loss=config.loss))
    outputs = int(report.output_shape[-1]) if report.output_shape else 1
    top = [
        _header(name, section),
        _imports(section),
        _settings(config, section, name, outputs),
    ]
    blocks = _data(section, config) + model_code(spec, report)
    blocks += _training(spec, config, section)
    text = "\n\n".join(p.strip("\n") for p in top) + "\n\n\n"
    return text + "\n\n\n".join(b.strip("\n") for b in blocks) + "\n"


# --- the parts -------------------------------------------------------------------
def _header(name: str, section: Section) -> str:
    needs = ["torch", "torchvision"] + [
        n.strip() for n in section.needs.split(",") if n.strip()
    ]
    listed = ", ".join(needs[:-1]) + " and " + needs[-1]
    return T.HEADER.format(
        title=_docstring_safe(name), version=__version__,
        file=_docstring_safe(f"{name}.py"), needs=listed
    )


def _imports(section: Section) -> str:
    stdlib = {"import argparse", "import os", "from typing import NamedTuple"}
    stdlib |= {i for i in section.imports if not _third_party(i)}
    third = {i for i in section.imports if _third_party(i)}
    if section.numpy:
        third.add("import numpy as np")
    torch_lines = [
        "import torch",
        "import torch.distributed as dist",
        "from torch import nn",
        "from torch.nn.parallel import DistributedDataParallel",
        "from torch.utils.data import DataLoader, Sampler, TensorDataset",
        "from torch.utils.data.distributed import DistributedSampler",
    ]
    blocks = [
        sorted(stdlib, key=_import_key),
        sorted(third | set(torch_lines), key=_import_key),
    ]
    return "\n\n".join("\n".join(b) for b in blocks if b)


def _third_party(line: str) -> bool:
    return line.split()[1].split(".")[0] in ("numpy", "PIL", "torchvision", "sklearn")


def _import_key(line: str) -> tuple[bool, str]:
    return (line.startswith("from"), line.split()[1])


def _settings(config: TrainConfig, section: Section, name: str, outputs: int) -> str:
    text = T.SETTINGS.format(
        seed=config.seed,
        epochs=config.epochs,
        batch_size=config.batch_size,
        lr=config.lr,
        weights_file=T.py_literal(f"{name}.pt"),
    )
    extra = {"OUTPUTS": outputs, **section.constants}
    if config.l1 > 0:
        extra["L1"] = config.l1
    if config.clip_norm > 0:
        extra["CLIP_NORM"] = config.clip_norm
    lines = [f"{key} = {T.py_literal(value)}" for key, value in extra.items()]
    return text + "\n".join(lines)


def _data(section: Section, config: TrainConfig) -> list[str]:
    blocks = [T.DATA_COMMON if section.numpy else T.DATA_NUMPY_FREE, *section.blocks]
    blocks.append(section.load)
    if section.task == "classification" and config.loss != "cross-entropy":
        blocks.append(T.ONE_HOT.format(loss=config.loss))
    else:
        blocks.append(T.NO_ONE_HOT)
    return _headed("data", blocks)


def _headed(title: str, blocks: list[str]) -> list[str]:
    """The blocks of one part, the first one under a `# --- title ---` rule."""
    rule = f"# --- {title} ".ljust(88, "-")
    return [rule + "\n" + blocks[0].strip("\n"), *blocks[1:]]


# --- the model -------------------------------------------------------------------
def model_code(spec: NetworkSpec, report: Any = None) -> list[str]:
    """Custom modules as source, then `class Net(nn.Sequential)` with nnstudio names."""
    report = report or require_valid(spec)
    kinds = {layer.kind for layer in spec.layers}
    shared = any(
        layer.kind == "Linear" and layer["bias"] == "shared" for layer in spec.layers
    )
    blocks = []
    if shared:
        blocks.append(inspect.getsource(SharedBiasLinear))
    if "Residual" in kinds:
        blocks.append(inspect.getsource(ResidualBlock))
    blocks += _finetune_blocks(spec)
    blocks += sequence_sources(kinds)
    blocks.append(_net_class(spec, report))
    return _headed("model", blocks)


def _net_class(spec: NetworkSpec, report: Any) -> str:
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


_BACKBONES = {"ResNet18": "resnet18", "ResNet34": "resnet34",
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
    **{kind: _body_code(name) for kind, name in _BACKBONES.items()},
}


# --- issue 15: frozen layers, learning-rate factors, DenseBlock, backbones -----------
def _finetune_blocks(spec: NetworkSpec) -> list[str]:
    """Source of DenseBlock and of the pretrained-body builder, where used, and the
    pretrained weights' preprocessing as a constant the script applies."""
    from nnstudio.core.network.dense import DenseBlock
    from nnstudio.core.pretrained import preprocessing_of

    kinds = {layer.kind for layer in spec.layers}
    blocks = []
    if "DenseBlock" in kinds:
        blocks.append(inspect.getsource(DenseBlock))
    if kinds & set(_BACKBONES):
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


# --- training --------------------------------------------------------------------
def _training(spec: NetworkSpec, config: TrainConfig, section: Section) -> list[str]:
    blocks = []
    if config.loss == "half-sse":
        blocks.append(inspect.getsource(HalfSumSquares))
    if section.per_step:  # one class per time step
        blocks += [per_step_loss_source(), PER_STEP_PREDICT]
    elif section.task == "classification":
        blocks.append(T.PREDICT)
    blocks += [T.SAMPLER, _train_block(config, section), _main(spec, config, section)]
    return _headed("training", blocks)


def _train_block(config: TrainConfig, section: Section) -> str:
    penalty, backward, clip, params = "", "loss", "", ""
    if config.l1 > 0:
        penalty = (
            "        penalty = sum(p.abs().sum() for p in params if p.dim() >= 2)\n"
            "        total = loss + L1 * penalty  # L1 on the weights\n"
        )
        backward = "total"
    if config.clip_norm > 0:
        clip = "        torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)\n"
    if penalty or clip:
        params = "    params = [p for p in model.parameters() if p.requires_grad]\n"
    name, expr, result = T.ACCURACY if section.task == "classification" else T.R2
    if section.per_step:
        name, expr = "token accuracy", PER_STEP_QUALITY
    return T.TRAIN.format(
        penalty=penalty,
        backward=backward,
        clip=clip,
        params=params,
        quality_name=name,
        quality_expr=expr,
        quality_result=result,
    )


def _main(spec: NetworkSpec, config: TrainConfig, section: Section) -> str:
    bn = any(layer.kind in ("BatchNorm", "Residual") for layer in spec.layers)
    used, used_arg = "", ""
    if bn:  # as nnstudio: a last batch of one sample is left out (BatchNorm needs 2+)
        used = (
            "    n = len(train_set)\n"
            "    used = n - 1 if n % args.batch_size == 1 else n  # BatchNorm: 2+\n"
        )
        used_arg = ", used"
    sched, sched_step = "", ""
    if config.schedule == "step":
        sched = (
            "    scheduler = torch.optim.lr_scheduler.StepLR(\n"
            "        optimizer, max(1, args.epochs // 3), gamma=0.1)\n"
        )
    elif config.schedule == "cosine":
        sched = (
            "    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(\n"
            "        optimizer, T_max=args.epochs)\n"
        )
    if sched:
        sched_step = "        scheduler.step()\n"
    report = T.ACCURACY_REPORT if section.task == "classification" else T.R2_REPORT
    return _finetune_main(spec, T.MAIN.format(
        data_args=section.args,
        used_line=used,
        used_arg=used_arg,
        loss_fn=(f"PerStepLoss({LOSS_CODE[config.loss]})" if section.per_step
                 else LOSS_CODE[config.loss]),
        optimizer=_optimizer(config),
        scheduler=sched,
        scheduler_step=sched_step,
        report=report,
    ))


def _pretrained_layers(spec: NetworkSpec) -> dict[str, str]:
    """Child name -> torchvision model, for the bodies that start from ImageNet."""
    from nnstudio.core.network.shapes import layer_name

    return {layer_name(i, layer.kind): _BACKBONES[layer.kind]
            for i, layer in enumerate(spec.layers)
            if layer.kind in _BACKBONES and layer["weights"] == "imagenet"}


def _finetune_main(spec: NetworkSpec, main: str) -> str:
    """Learning-rate factors as param groups; a pretrained backbone's mean and std
    instead of the data's."""
    if any(layer.lr_factor != 1.0 and not layer.frozen for layer in spec.layers):
        main = main.replace("(params, lr=args.lr", "(net.param_groups(args.lr), "
                            "lr=args.lr", 1)
    pretrained = _pretrained_layers(spec)
    if pretrained:
        main = main.replace(
            "    model = Net()\n",
            "    model = Net()\n"
            f"    load_pretrained(model, {pretrained!r})\n", 1)
    if "PREPROCESSING" in "".join(_finetune_blocks(spec)):
        main = main.replace(
            "    data = load_data(args)\n",
            "    data = load_data(args)\n"
            '    data = data._replace(mean=tuple(PREPROCESSING["mean"]),\n'
            '                         std=tuple(PREPROCESSING["std"]))'
            "  # as the pretrained weights expect\n",
            1)
    return main


def _optimizer(c: TrainConfig) -> str:
    """The optimizer call nnstudio's registry makes, non-default arguments only."""
    names = {
        "sgd": "SGD",
        "adam": "Adam",
        "adamw": "AdamW",
        "adagrad": "Adagrad",
        "rmsprop": "RMSprop",
        "adadelta": "Adadelta",
    }
    if c.optimizer not in names:
        raise ExportError(_msg("optimizer", optimizer=c.optimizer))
    args = ["params", "lr=args.lr"]
    if c.optimizer in ("sgd", "rmsprop") and c.momentum:
        args.append(f"momentum={c.momentum!r}")
    if c.optimizer == "sgd" and c.nesterov and c.momentum > 0:
        args.append("nesterov=True")
    if c.weight_decay or c.optimizer == "adamw":  # AdamW's own default is 0.01
        args.append(f"weight_decay={c.weight_decay!r}")
    return f"torch.optim.{names[c.optimizer]}({', '.join(args)})"
