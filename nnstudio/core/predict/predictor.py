"""Run a trained model on one prepared image and say what it sees.

Shared by the Predict panel (canvas and "Open image") and `nnstudio predict`. The
model runs under `torch.inference_mode()` in eval mode, where its parameters live
(the panel and the CLI hand over a CPU copy); its train/eval mode is restored after,
so asking for a prediction never changes how a model trains.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from nnstudio.core.errors import PredictError
from nnstudio.core.i18n import formatter
from nnstudio.core.predict.preprocess import (
    image_shape,
    layout_for,
    load_image,
    prepare_image,
)


@dataclass(frozen=True)
class Prediction:
    """Class probabilities (softmax, sum 1), the most likely class and its name."""

    probabilities: np.ndarray
    top: int
    label: str

    def labels(self, class_names: Sequence[str] | None) -> list[str]:
        """Name of every class, falling back to its index."""
        return class_labels(class_names, len(self.probabilities))


def class_labels(class_names: Sequence[str] | None, count: int) -> list[str]:
    """`count` display names: the dataset's names, then indices for any extra."""
    names = [str(n) for n in class_names or ()]
    return [names[i] if i < len(names) else str(i) for i in range(count)]


def predict_array(
    model: nn.Module | None, x: np.ndarray, class_names: Sequence[str] | None = None
) -> Prediction:
    """Probabilities for one prepared input `x` (C x H x W, no batch dimension).

    PredictError (plain message) when there is no model, the model does not accept
    this input, or its outputs are not numbers (a diverged training run).
    """
    if model is None:
        raise PredictError(_msg("no-model"), code="no-model")
    batch = torch.as_tensor(np.ascontiguousarray(x, dtype=np.float32))[None]
    out = _forward(model, batch)
    probs = _probabilities(out, model)
    if not np.all(np.isfinite(probs)):
        raise PredictError(_msg("nan"), code="nan")
    top = int(np.argmax(probs))
    return Prediction(probs, top, class_labels(class_names, len(probs))[top])


def predict_paths(
    model: nn.Module | None,
    input_shape: Sequence[int],
    mean: Any,
    std: Any,
    class_names: Sequence[str] | None,
    paths: Iterable[str | Path],
) -> list[dict[str, Any]]:
    """Predict every image file; one JSON-ready dict per file, in order.

    `{"file", "prediction", "probabilities": {class name: p}}`, or `{"file",
    "error"}` for a file that cannot be read or is blank. Problems that concern
    the model rather than a file (no model, not an image model) raise PredictError
    once instead.
    """
    if model is None:
        raise PredictError(_msg("no-model"), code="no-model")
    image_shape(input_shape)
    layout = layout_for(class_names)
    results = []
    for path in paths:
        try:
            img = load_image(path)
            x = prepare_image(img, input_shape, mean, std, layout=layout)
            pred = predict_array(model, x, class_names)
        except PredictError as e:
            results.append({"file": str(path), "error": str(e)})
            continue
        names = pred.labels(class_names)
        probs = {
            n: round(float(p), 6)
            for n, p in zip(names, pred.probabilities, strict=True)
        }
        results.append(
            {"file": str(path), "prediction": pred.label, "probabilities": probs}
        )
    return results


def _forward(model: nn.Module, batch: torch.Tensor) -> torch.Tensor:
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode(), _one_thread():
            out = model(batch.to(device))
    except (RuntimeError, ValueError, IndexError) as e:
        shape = "x".join(str(s) for s in batch.shape[1:])
        raise PredictError(_msg("rejected", shape=shape), code="rejected") from e
    finally:
        model.train(was_training)
    if not isinstance(out, torch.Tensor):
        raise PredictError(_msg("rejected", shape="?"), code="rejected")
    return out.detach().float().cpu().reshape(1, -1)


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run one sample on this thread alone. Waking a thread pool costs more than the
    maths of one small image, and when other work (a training run) keeps the cores
    busy, pooled threads wait for each other: cnn-mnist took 160 ms on 2 busy cores
    with 2 threads and 0.6 ms with 1. torch's setting is per calling thread once a
    thread has started, so a training thread keeps its own."""
    previous = torch.get_num_threads()
    if previous == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _probabilities(out: torch.Tensor, model: nn.Module) -> np.ndarray:
    """Softmax of the logits, unless the model already ends in (Log)Softmax; one
    output is a yes/no logit (sigmoid -> two classes)."""
    last = _last_module(model)
    if isinstance(last, nn.Softmax):
        probs = out[0]
    elif isinstance(last, nn.LogSoftmax):
        probs = out[0].exp()
    elif out.shape[1] == 1:
        p = torch.sigmoid(out[0, 0])
        probs = torch.stack([1 - p, p])
    else:
        probs = torch.softmax(out[0], dim=0)
    return probs.numpy().astype(np.float32)


def _last_module(model: nn.Module) -> nn.Module:
    *_, last = model.modules()  # pre-order: the innermost last layer comes last
    return last


_MESSAGES = {
    "no-model": {
        "en": "Train a model first: there is no trained model to ask yet.",
        "zh": "请先训练模型：目前还没有训练好的模型。",
    },
    "rejected": {
        "en": "The model cannot take a {shape} image; check that its input shape "
        "matches the dataset it was trained on.",
        "zh": "模型无法接受 {shape} 的图像；请检查输入形状是否与训练用的数据集一致。",
    },
    "nan": {
        "en": "The model's outputs are not numbers (training diverged); lower the "
        "learning rate and train again.",
        "zh": "模型输出不是数值（训练发散了）；请降低学习率后重新训练。",
    },
}


_msg = formatter(_MESSAGES)
