"""Start a network from the weights of a source: layers whose shapes match take them.

A source is another `.nnstudio` project (the student's own trained model), a
`.safetensors` file, a pretrained torchvision model named by its builder
(`resnet34`), or `mnist-cnn`, the cnn-mnist preset trained on MNIST that ships
with nnstudio. Each layer of the new network that owns tensors looks for them in
the source, in this order:

1. the same name and shapes (a project with the same stack: "1_conv2d.weight");
2. the whole source as its own state (a torchvision backbone and its weights file);
3. the next unused source layer, in order, whose tensors have the same names and
   shapes (the body of a different stack, e.g. a new head for fewer classes).

Anything else starts fresh. The report says which layers took weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from nnstudio.core.errors import ProjectFileError
from nnstudio.core.i18n import Text, formatter

Weights = dict[str, torch.Tensor]
BUNDLED = "mnist-cnn"  # the cnn-mnist preset trained on MNIST, shipped in assets/

_MESSAGES: dict[str, Text] = {
    "unknown": {
        "en": "--pretrained {source}: not a .nnstudio project, a .safetensors file or "
              "a known pretrained model ({models})",
        "zh": "--pretrained {source}：既不是 .nnstudio 项目、.safetensors 文件，也不是"
              "已知的预训练模型（{models}）",
    },
    "no-weights": {
        "en": "{name} has no trained weights to start from — train it first",
        "zh": "{name} 还没有训练好的权重可以作为起点——请先训练它",
    },
    "bad-file": {
        "en": "{name} is not a readable safetensors file",
        "zh": "{name} 不是可读取的 safetensors 文件",
    },
    "none-took": {
        "en": "no layer of this network matches a layer of {source}: every layer "
              "starts fresh",
        "zh": "这个网络没有任何一层与 {source} 的层形状相同：所有层都从随机权重开始",
    },
    "summary": {
        "en": "from {source}: {took} took weights; {fresh} start fresh",
        "zh": "来自 {source}：{took} 载入了权重；{fresh} 从随机权重开始",
    },
    "nothing": {"en": "none", "zh": "无"},
}

_msg = formatter(_MESSAGES)


@dataclass(frozen=True)
class TransferReport:
    """Which layers (stack positions, 1-based, and names) took the source's weights."""

    source: str
    took: tuple[str, ...] = ()
    fresh: tuple[str, ...] = ()
    tensors: int = 0
    matched: dict[str, str] = field(default_factory=dict)  # layer -> source prefix

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "took_weights": list(self.took),
                "fresh": list(self.fresh), "tensors": self.tensors}

    def describe(self, language: str | None = None) -> str:
        if not self.took:
            return _msg("none-took", source=self.source)
        nothing = _msg("nothing")
        return _msg("summary", source=self.source,
                    took=", ".join(self.took) or nothing,
                    fresh=", ".join(self.fresh) or nothing)


def read_source(source: str, **download: Any) -> Weights:
    """The source's tensors, on the CPU. `download` goes to the pretrained-weights
    downloader (mirror, progress, cancel) when the source is a torchvision model."""
    from nnstudio.core.pretrained import MODELS, load_weights_file

    path = Path(source)
    suffix = path.suffix.lower()
    if suffix == ".nnstudio":
        return _project_weights(path)
    if suffix == ".safetensors":
        return _safetensors(path)
    if source in MODELS:
        return load_weights_file(source, **download)
    if source == BUNDLED:
        from nnstudio.core.lessons import mnist_body

        return _safetensors(mnist_body.path())
    models = ", ".join([*MODELS, BUNDLED])
    raise ProjectFileError(_msg("unknown", source=source, models=models))


def _project_weights(path: Path) -> Weights:
    from nnstudio.core.project.files import load_project

    project = load_project(path)
    if project.weights is None:
        raise ProjectFileError(_msg("no-weights", name=path.name))
    return dict(project.weights)


def _safetensors(path: Path) -> Weights:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        return load_file(str(path), device="cpu")
    except (SafetensorError, OSError, ValueError, RuntimeError):
        raise ProjectFileError(_msg("bad-file", name=path.name)) from None


def transfer(model: nn.Module, weights: Weights, source: str = "") -> TransferReport:
    """Copy matching tensors into `model`'s layers; report which layers took them."""
    groups = _groups(weights)
    took, fresh, matched, cursor, count = [], [], {}, 0, 0
    whole_used = False
    for position, (name, child) in enumerate(model.named_children(), start=1):
        state = child.state_dict()
        if not state:
            continue
        label = f"{position} {name.split('_', 1)[-1]}"
        found, prefix = _by_name(name, state, weights), name
        if found is None and not whole_used:
            found, prefix = _fits(state, weights), "(all)"
            whole_used = found is not None
        if found is None:
            found, prefix, cursor = _next_group(state, groups, cursor)
        if found is None:
            fresh.append(label)
            continue
        child.load_state_dict(found)
        took.append(label)
        matched[name] = prefix
        count += len(found)
    return TransferReport(source, tuple(took), tuple(fresh), count, matched)


def _same(state: Weights, given: Weights) -> bool:
    return all(k in given and given[k].shape == v.shape for k, v in state.items())


def _by_name(name: str, state: Weights, weights: Weights) -> Weights | None:
    given = {k: weights.get(f"{name}.{k}") for k in state}
    if all(v is not None for v in given.values()) and _same(state, given):
        return given  # type: ignore[return-value]
    return None


def _fits(state: Weights, weights: Weights) -> Weights | None:
    if len(state) >= 2 and _same(state, weights):  # a whole backbone, not one bias
        return {k: weights[k] for k in state}
    return None


def _groups(weights: Weights) -> list[tuple[str, Weights]]:
    """The source's tensors grouped by their first name part, in file order."""
    grouped: dict[str, Weights] = {}
    for key, value in weights.items():
        head, _, rest = key.partition(".")
        if rest:
            grouped.setdefault(head, {})[rest] = value
    return list(grouped.items())


def _next_group(state: Weights, groups: list[tuple[str, Weights]], cursor: int
                ) -> tuple[Weights | None, str, int]:
    for i in range(cursor, len(groups)):
        prefix, given = groups[i]
        if set(given) == set(state) and _same(state, given):
            return given, prefix, i + 1
    return None, "", cursor


@dataclass(frozen=True)
class StartPoint:
    """Weights a network starts from (File > Start from Weights…): every run of a
    network with the same architecture begins with them instead of at random."""

    weights: Weights
    architecture: str  # provenance.network_fingerprint of the spec they fit
    report: TransferReport

    @classmethod
    def make(cls, spec: Any, model: nn.Module, report: TransferReport) -> StartPoint:
        from nnstudio.core.provenance import network_fingerprint

        weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
        return cls(weights, network_fingerprint(spec), report)

    def fits(self, spec: Any) -> bool:
        from nnstudio.core.provenance import network_fingerprint

        return network_fingerprint(spec) == self.architecture

    def model_for(self, spec: Any, seed: int | None = None) -> nn.Module | None:
        """A fresh model of `spec` holding these weights; None when the network's
        architecture changed since (then it starts at random as usual)."""
        if not self.fits(spec):
            return None
        from nnstudio.core.network.build import build_model

        model = build_model(spec, seed=seed)
        model.load_state_dict(self.weights)
        return model
