"""Predict one typed sequence: "3 1 4 1 5 9 2 6" for a token task, numbers for a
series. Shared by `nnstudio predict --sequence` and the Predict panel.

The answer is a list of output tokens (one class per time step, as `reverse`), a
class name (one class per sequence, as `parity`) or a number (a regression, with the
dataset's target scaling undone), plus the attention of the last attention layer
averaged over heads when the network has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from nnstudio.core.errors import PredictError
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.spec import NetworkSpec

_MESSAGES: dict[str, Text] = {
    "not-numbers": {
        "en": "the sequence must be numbers separated by spaces or commas, e.g. "
        "\"3 1 4 1 5\" (got '{bad}')",
        "zh": "序列必须是用空格或逗号分隔的数字，例如“3 1 4 1 5”(输入的是“{bad}”)",
    },
    "not-tokens": {
        "en": "token ids must be whole numbers from 0 to {top} (got '{bad}')",
        "zh": "词元编号必须是 0 到 {top} 的整数(输入的是“{bad}”)",
    },
    "length": {
        "en": "the network takes {want} numbers ({shape}) but the sequence has {got}",
        "zh": "网络需要 {want} 个数({shape})，但序列有 {got} 个",
    },
    "not-sequence": {
        "en": "this network does not take a sequence — give image files instead",
        "zh": "这个网络的输入不是序列——请改为给出图像文件",
    },
    "no-weights": {
        "en": "the network gives no numbers for this sequence (a diverged run?) — "
        "train it again",
        "zh": "网络对这个序列没有给出有效的数值(训练发散了？)——请重新训练",
    },
}

_msg = formatter(_MESSAGES)
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class SequencePrediction:
    """What the network says about one sequence."""

    prediction: Any  # list[int] tokens | str class | float
    probabilities: list[float] | None = None
    classes: list[str] | None = None
    attention: list[list[float]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"prediction": self.prediction}
        if self.probabilities is not None:
            result.update(probabilities=self.probabilities, classes=self.classes)
        if self.attention is not None:
            result["attention"] = self.attention
        return result


def takes_sequence(spec: NetworkSpec) -> bool:
    """Token ids (an Embedding first) or (time, features) input."""
    first = spec.layers[0].kind if spec.layers else ""
    return first == "Embedding" or len(spec.input_shape) == 2


def token_count(model: nn.Module) -> int | None:
    """How many token ids the model takes (an Embedding first), else None."""
    first = next(iter(model.children()), None)
    return first.num_embeddings if isinstance(first, nn.Embedding) else None


def model_takes_sequence(model: nn.Module, input_shape: tuple[int, ...]) -> bool:
    return token_count(model) is not None or len(tuple(input_shape)) == 2


def parse_sequence(text: str, input_shape: tuple[int, ...],
                   tokens: int | None = None) -> np.ndarray:
    """The typed numbers shaped as the network's input (no batch dimension);
    `tokens`: the input is token ids below this number."""
    words = [w for w in _SPLIT.split(text.strip()) if w]
    values = []
    for word in words:
        try:
            values.append(float(word))
        except ValueError:
            raise PredictError(_msg("not-numbers", bad=word)) from None
    want = int(np.prod(input_shape))
    if len(values) != want:
        shape = "x".join(map(str, input_shape))
        raise PredictError(_msg("length", want=want, shape=shape, got=len(values)))
    if tokens:
        top = tokens - 1
        bad = next((w for w, v in zip(words, values, strict=True)
                    if not v.is_integer() or not 0 <= v <= top), None)
        if bad is not None:
            raise PredictError(_msg("not-tokens", top=top, bad=bad))
        return np.asarray(values, dtype=np.int64).reshape(input_shape)
    return np.asarray(values, dtype=np.float32).reshape(input_shape)


def predict_sequence(model: nn.Module, input_shape: tuple[int, ...], text: str, *,
                     task: str = "classification", class_names: list[str] | None = None,
                     target_mean: Any = 0.0,
                     target_std: Any = 1.0) -> SequencePrediction:
    """Run `model` (eval mode, restored after) on the typed sequence."""
    from nnstudio.core.training.sequence_probes import attention_maps

    input_shape = tuple(input_shape)
    if not model_takes_sequence(model, input_shape):
        raise PredictError(_msg("not-sequence"))
    x = torch.as_tensor(parse_sequence(text, input_shape, token_count(model)))[None]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(x)[0].float()
        maps = attention_maps(model, x)
    finally:
        model.train(was_training)
    if not torch.isfinite(out).all():
        raise PredictError(_msg("no-weights"))
    attention = list(maps.values())[-1].mean(axis=0).tolist() if maps else None
    if task == "regression":
        scaled = out * torch.as_tensor(target_std) + torch.as_tensor(target_mean)
        value = [float(v) for v in scaled.reshape(-1)]
        return SequencePrediction(value[0] if len(value) == 1 else value,
                                  attention=attention)
    if out.dim() == 2:  # one class per step
        return SequencePrediction([int(v) for v in out.argmax(-1)], attention=attention)
    probs = torch.softmax(out, dim=-1) if len(out) > 1 else torch.sigmoid(out)
    names = [str(n) for n in class_names or ()]
    names += [str(i) for i in range(len(names), len(out))]
    top = int(out.argmax()) if len(out) > 1 else int(out[0] > 0)
    return SequencePrediction(names[top] if top < len(names) else str(top),
                              [float(p) for p in probs], names[: len(out)], attention)
