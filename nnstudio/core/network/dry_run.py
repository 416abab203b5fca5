"""The dry forward pass behind the shape check: on the CPU when small, else on meta.

torch is the source of truth for shapes: each layer runs on a zero batch. Small
layers run on the CPU; the meta device's first use imports torch._dynamo (1.5-2 s),
which kept the window from being ready to train, so that cost is paid once, off
the GUI thread where possible (`warm_up_meta`).
"""

from __future__ import annotations

import math
import threading
from typing import Any

import torch

from nnstudio.core.network.layers import LayerKind, Shape

DRY_BATCH = 2  # BatchNorm needs more than one value per channel in training mode
# Small layers run their dry pass on the CPU: the meta device's first use imports
# torch._dynamo (1.5-2 s), which kept the window from being ready to train.
CPU_DRY_ELEMENTS = 4_000_000  # weights or activations: at most 16 MB each
CPU_DRY_MACS = 50_000_000  # multiply-adds of the pass: ~10-20 ms on one core
_META_FIRST_USE = threading.Lock()  # one thread pays the meta first-use import
_WARM_LOCK = threading.Lock()  # one thread imports torch._dynamo
_meta_warm = False


def dry_forward(
    declared: LayerKind,
    module: torch.nn.Module,
    params: dict[str, Any],
    shape: Shape,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """The layer's output on a zero batch: the small CPU pass, else the meta pass."""
    out = small_cpu_forward(declared, module, params, shape, dtype)
    if out is None:
        out = meta_forward(module, shape, dtype)
    return out


def meta_forward(
    module: torch.nn.Module, shape: Shape, dtype: torch.dtype = torch.float32
) -> torch.Tensor:
    """The forward pass on the meta device. Its first use runs torch's Python
    reference ops, which import torch._dynamo (1.5-2 s): one thread at a time pays
    it (`warm_up_meta`), so a check never races another thread's import."""
    global _meta_warm
    if not _meta_warm:
        warm_torch_imports()
        with _META_FIRST_USE:
            with torch.device("meta"):
                out = module(torch.zeros((DRY_BATCH, *shape), dtype=dtype))
            _meta_warm = True
            return out
    with torch.device("meta"):
        return module(torch.zeros((DRY_BATCH, *shape), dtype=dtype))


def warm_torch_imports() -> None:
    """Import torch._dynamo (and sympy, which it pulls in) once, with Python's
    cyclic garbage collector paused. Safe from any thread; a no-op once done.

    torch imports them on first use (the first optimizer, the first meta-device op),
    which can be in the training thread. Done there while the GUI thread painted,
    it hung the process with the GIL held (1 run in 3 of tests/ui/test_training.py;
    the stacks: the worker inside this import, the GUI thread in a paintEvent).
    The likely cause: the import allocates enough for a full collection in the
    worker, which frees Qt objects of closed windows outside the GUI thread. With
    collection paused during the import, that run passed 8 times in 8.
    """
    import gc
    import sys

    if "torch._dynamo" in sys.modules:
        return
    with _WARM_LOCK:
        if "torch._dynamo" in sys.modules:
            return
        enabled = gc.isenabled()
        gc.disable()
        try:
            import torch._dynamo  # noqa: F401
        finally:
            if enabled:
                gc.enable()


def warm_up_meta() -> None:
    """Pay the meta device's first-use cost now (a background thread after the
    window is ready); checks of big layers meanwhile wait for it, not race it."""
    with torch.device("meta"):
        module = torch.nn.Sequential(
            torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.BatchNorm1d(4)
        )
    meta_forward(module, (4,))


def small_cpu_forward(
    declared: LayerKind,
    module: torch.nn.Module,
    params: dict[str, Any],
    shape: Shape,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor | None:
    """The forward pass on the CPU when it is small, else None.

    Still torch's answer, not a formula: the layer is built again on the CPU (the
    meta-built `module` only tells its size; moving it with `to_empty` would hit
    the reference ops too) and runs on a zero batch, in milliseconds. Bounds come
    from the parameters that can enlarge the output (features, channels, padding,
    pooled size); a refusal here is asked again on meta so problems are worded
    exactly as before.
    """
    weights = sum(p.numel() for p in module.parameters())
    steps, width = _output_bound(declared, params, shape, weights)
    if (
        weights > CPU_DRY_ELEMENTS
        or DRY_BATCH * max(math.prod(shape), steps * width) > CPU_DRY_ELEMENTS
        or DRY_BATCH * weights * steps > CPU_DRY_MACS
    ):
        return None
    try:
        # the real init draws from the global RNG: a check must not change what a
        # seeded run draws next (weights, dropout masks)
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            real = declared.make(shape, params)
            return real(torch.zeros((DRY_BATCH, *shape), dtype=dtype))
    except Exception:  # noqa: BLE001 - worded by the meta pass
        return None


def _output_bound(
    declared: LayerKind, params: dict[str, Any], shape: Shape, weights: int
) -> tuple[int, int]:
    """(positions, values per position) that bound one sample's output: pixels
    (padding and sizes included) or time steps, times channels or features. An
    output channel or feature needs a weight, so input width + weights bounds
    them where the parameters do not say."""
    if len(shape) == 3:
        pad = params.get("padding", 0)
        size = max(params.get("output_size", 0), params.get("size", 0))
        area = max(shape[1] + 2 * pad, size) * max(shape[2] + 2 * pad, size)
        return area, _channels_bound(params, shape, weights)
    if len(shape) == 2:  # (time, features)
        return shape[0], shape[1] + weights
    if declared.tokens:  # (time,) token ids
        return shape[0], max(1, weights)
    return 1, max(shape[0] if shape else 1, params.get("out_features") or 0)


def _channels_bound(params: dict[str, Any], shape: Shape, weights: int) -> int:
    """At least the output channels of an image layer: the declared ones (Conv2d,
    Residual, DenseBlock's growth), else input channels + weights (an output
    channel needs a weight), which sends an unknown big layer to the meta pass."""
    if "out_channels" in params or "growth_rate" in params:
        grown = params.get("growth_rate", 0) * params.get("layers", 0)
        return shape[0] + (params.get("out_channels") or 0) + grown
    return shape[0] + weights
