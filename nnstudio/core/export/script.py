"""Spec + settings + dataset -> one readable, standalone PyTorch training script.

The script imports torch and torchvision (numpy where the data needs it), never
nnstudio: the model is written out layer by layer with nnstudio's layer names, the
two custom modules are copied in as source, and the data loading repeats what
nnstudio's loaders do for the project's dataset. `DATA_KINDS` lists what can be
written; anything else is refused with a plain message.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from nnstudio import __version__
from nnstudio.core.export import template as T
from nnstudio.core.export.data import ExportError, Recipe, Section, data_section
from nnstudio.core.export.model_script import BACKBONES, finetune_blocks, net_class
from nnstudio.core.export.sequence_script import (
    PER_STEP_PREDICT,
    PER_STEP_QUALITY,
    per_step_loss_source,
    sequence_sources,
)
from nnstudio.core.fileio import atomic_write_bytes
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.build import require_valid
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
    if {layer.kind for layer in spec.layers} & set(BACKBONES):
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
    blocks += finetune_blocks(spec)
    blocks += sequence_sources(kinds)
    blocks.append(net_class(spec, report))
    return _headed("model", blocks)


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

    return {layer_name(i, layer.kind): BACKBONES[layer.kind]
            for i, layer in enumerate(spec.layers)
            if layer.kind in BACKBONES and layer["weights"] == "imagenet"}


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
    if "PREPROCESSING" in "".join(finetune_blocks(spec)):
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
