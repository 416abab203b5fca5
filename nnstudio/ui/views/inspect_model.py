"""Feature maps of a trained model for one sample, outside training (no Qt).

While a run goes, the trainer's probes send feature maps; once it has finished, the
student still wants to pick another sample or look at their own drawing. This runs
the saved model once with forward hooks (removed in `finally`) and returns what a
Probe would carry: uint8 C x H x W maps per conv layer, float vectors per Linear.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from nnstudio.core.network.modules import ResidualBlock

MAX_MAPS = 64  # as the probes: channels shown per conv layer
MAX_VECTOR = 512


def _to_uint8(maps: torch.Tensor) -> np.ndarray:
    """Each map scaled to 0..255 on its own, so faint maps stay visible."""
    flat = maps.flatten(1)
    lo = flat.amin(dim=1, keepdim=True)
    span = (flat.amax(dim=1, keepdim=True) - lo).clamp_min(1e-8)
    return ((flat - lo) / span * 255).round().to(torch.uint8).view_as(maps).numpy()


def look_inside(model: nn.Module, sample: np.ndarray) -> tuple[dict, dict]:
    """({conv layer: uint8 maps}, {Linear layer: vector}) for one model input."""
    outputs: dict[str, torch.Tensor] = {}
    handles = [
        child.register_forward_hook(_keep(outputs, name))
        for name, child in model.named_children()
    ]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.as_tensor(sample, dtype=torch.float32)[None])
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    children = dict(model.named_children())
    maps, vectors = {}, {}
    for name, out in outputs.items():
        child = children[name]
        if isinstance(child, nn.Conv2d | ResidualBlock) and out.dim() == 4:
            maps[name] = _to_uint8(out[0, :MAX_MAPS].float())
        elif isinstance(child, nn.Linear):
            vectors[name] = out[0].flatten()[:MAX_VECTOR].float().numpy()
    return maps, vectors


def _keep(outputs: dict[str, torch.Tensor], name: str) -> Any:
    def hook(_module: nn.Module, _inputs: Any, out: torch.Tensor) -> None:
        outputs[name] = out.detach()

    return hook


def trained_model(document: Any) -> nn.Module | None:
    """The document's network with its trained weights, or None if untrained."""
    if document is None or getattr(document, "weights", None) is None:
        return None
    try:
        return document.to_project().model()
    except Exception:  # weights from another architecture: nothing to show
        return None
