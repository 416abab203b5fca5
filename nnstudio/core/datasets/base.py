"""The two shapes every dataset takes: a declaration (`DatasetInfo`) and the loaded
tensors (`Data`), plus the helpers all sources share (split, standardize, image stats).

Data lives in memory as whole tensors because the datasets here are small enough and
training slices them directly (no DataLoader worker processes inside the GUI's thread).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from nnstudio.core.i18n import Text

from .messages import fail

VAL_FRACTION = 0.2  # 80/20 split: enough validation points to trust the accuracy
# Whole datasets live in memory (see the module docstring): 2 GB is 40 times MNIST
# and 10 times CIFAR-10, and still leaves a student's 8 GB laptop room to train.
MAX_DATASET_BYTES = 2_000_000_000
PREVIEW_SEED = 1234  # fixed so the preview shows the same samples on every redraw
FLOAT32_MAX = float(np.finfo(np.float32).max)  # training computes in float32

Progress = Callable[[int, int | None], None]
Stats = float | tuple[float, ...]


@dataclass(frozen=True)
class Request:
    """What the caller asked for; every loader receives one, whatever it needs."""

    seed: int = 0
    size: int | None = None
    noise: float | None = None
    cache_dir: Path | None = None
    mirror: str | None = None
    progress: Progress | None = None
    cancel: threading.Event | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DatasetInfo:
    """One registry entry. Adding a dataset means writing one of these.

    `preview_kind` says how the UI draws `Data.preview`: "points" (2-D scatter,
    colour = class), "curve" (x, y scatter of a 1-input regression), "image" or
    "table" (feature vectors), "sequence" (a line per feature over time) or
    "tokens" (a strip of token ids). `options` holds the extra keyword options the
    loader accepts with their defaults; `size`/`noise` are the defaults of generated
    data (None: not adjustable).
    """

    name: str
    task: str
    input_shape: tuple[int, ...]
    class_names: tuple[str, ...]
    offline: bool
    source: str
    description: Text
    loader: Callable[[DatasetInfo, Request], Data]
    preview_kind: str = "points"
    options: Mapping[str, Any] = field(default_factory=dict)
    size: int | None = None
    noise: float | None = None


@dataclass(eq=False)
class Data:
    """A loaded dataset, whole, as tensors.

    Images are uint8 N x C x H x W and are turned into floats per batch by `inputs`
    (keeping 60,000 MNIST digits as uint8 costs 47 MB instead of 188 MB). Tabular
    inputs are float32 and already standardized with the training statistics, which
    `feature_mean`/`feature_std` record. `mean`/`std` are what `inputs` applies after
    dividing images by 255 (0 and 1 for tabular data), so the predict path can treat
    a drawn digit exactly like a training image. Regression targets may have been
    standardized too (`target_mean`/`target_std`, else 0 and 1).
    `load_dataset(source_path or name, **options)` loads the same data again.
    """

    name: str
    task: str
    input_shape: tuple[int, ...]
    class_names: tuple[str, ...]
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    mean: Stats = 0.0
    std: Stats = 1.0
    source_path: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    preview_kind: str = "points"
    feature_mean: tuple[float, ...] | None = None
    feature_std: tuple[float, ...] | None = None
    target_mean: Stats = 0.0
    target_std: Stats = 1.0
    _norm: dict[str, tuple[torch.Tensor, torch.Tensor]] = field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def num_outputs(self) -> int:
        """Units the last layer needs: one per class, or the target width."""
        if self.task == "classification":
            return len(self.class_names)
        return int(self.y_train.shape[1])

    @property
    def per_step(self) -> bool:
        """One class per time step (a (time,) target per sample), as in `reverse`."""
        return self.task == "classification" and self.y_train.dim() == 2

    @property
    def is_image(self) -> bool:
        return self.x_train.dtype == torch.uint8

    def to(self, device: torch.device | str) -> Data:
        """A copy whose four tensors live on `device` (moved once, not per batch)."""
        moved = {k: getattr(self, k).to(device) for k in _TENSORS}
        return dataclasses.replace(self, **moved)

    def inputs(self, x: torch.Tensor) -> torch.Tensor:
        """Model input for a batch: uint8 images -> float32 / 255, normalized;
        int64 token ids stay token ids (an Embedding looks them up)."""
        if x.dtype == torch.int64:
            return x
        if x.dtype != torch.uint8:
            return x.float()
        mean, std = self._norm_tensors(x.device)
        return (x.float() / 255.0 - mean) / std

    def _norm_tensors(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        key = str(device)
        if key not in self._norm:
            shape = (1, -1, 1, 1)
            mean = torch.tensor(_as_tuple(self.mean), dtype=torch.float32)
            std = torch.tensor(_as_tuple(self.std), dtype=torch.float32)
            self._norm[key] = (mean.view(shape).to(device), std.view(shape).to(device))
        return self._norm[key]

    def preview(self, n: int = 16) -> list[tuple[np.ndarray, str]]:
        """`n` training samples, the same ones every call, as (array, label) pairs.

        Images come as H x W (gray) or H x W x 3 uint8; points as their coordinates
        ([x1, x2], or [x, y] for a 1-input regression) so the UI can scatter them;
        other tabular rows as their feature vector.
        """
        count = len(self.x_train)
        gen = torch.Generator().manual_seed(PREVIEW_SEED)
        idx = torch.randperm(count, generator=gen)[: max(0, min(n, count))]
        return [self._preview_one(int(i)) for i in idx]

    def _preview_one(self, i: int) -> tuple[np.ndarray, str]:
        x = self.x_train[i].detach().cpu()
        y = self.y_train[i].detach().cpu()
        label = self._label(y)
        if self.is_image:
            img = x.numpy()
            return (img[0] if img.shape[0] == 1 else img.transpose(1, 2, 0)), label
        if self.preview_kind == "curve":
            return np.array([float(x[0]), float(y[0])], dtype=np.float32), label
        return x.numpy().astype(np.float32), label

    def _label(self, y: torch.Tensor) -> str:
        if self.task == "classification" and y.dim() > 0:  # one class per step
            return " ".join(self.class_names[int(v)] for v in y)
        if self.task == "classification":
            return self.class_names[int(y)]
        return ", ".join(f"{float(v):.3g}" for v in y.reshape(-1))


_TENSORS = ("x_train", "y_train", "x_val", "y_val")


def _as_tuple(value: Stats) -> tuple[float, ...]:
    return tuple(value) if isinstance(value, tuple) else (float(value),)


def check_memory(where: str, need: int) -> None:
    """Refuse, before allocating it, a dataset larger than MAX_DATASET_BYTES."""
    if need > MAX_DATASET_BYTES:
        fail(
            "too_big",
            where=where,
            need=size_text(need),
            limit=size_text(MAX_DATASET_BYTES),
        )


def size_text(count: int) -> str:
    """Bytes for people: "940 KB", "47 MB", "2.0 GB" (powers of 1000, like file
    managers show them)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= scale:
            value = count / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{count} B"


def check_task_targets(y: np.ndarray, task: str, where: str) -> None:
    """Refuse data a network cannot learn from: no samples, or a single class."""
    if len(y) == 0:
        fail("empty", where=where)
    if task == "classification" and len(np.unique(y)) < 2:
        fail("one_class", where=where)


def split_indices(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded 80/20 shuffle split; both parts get at least one sample."""
    if count < 2:
        fail("too_few", count=count)
    order = np.random.default_rng(seed).permutation(count)
    n_val = min(count - 1, max(1, round(count * VAL_FRACTION)))
    return order[n_val:], order[:n_val]


def standardize(
    train: np.ndarray, val: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scale columns with the training statistics only, so validation stays unseen.

    A constant column keeps std 1 rather than dividing by zero.
    """
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std = np.where(std > 1e-12, std, 1.0)
    return (train - mean) / std, (val - mean) / std, mean, std


def tabular_data(
    info: DatasetInfo | None,
    x: np.ndarray,
    y: np.ndarray,
    req: Request,
    *,
    name: str,
    class_names: tuple[str, ...] = (),
    task: str = "classification",
    scale_targets: bool = False,
    **extra: Any,
) -> Data:
    """Split, standardize and wrap feature rows as a `Data`.

    `scale_targets` standardizes regression targets too (diabetes, CSV files whose
    targets are in the hundreds would otherwise start with an enormous loss).
    Values float32 training cannot hold are refused here, at load, with the
    dataset's name, instead of surfacing as a diverging loss.
    """
    x = _finite(x, name)
    check_task_targets(y, task, name)
    if task == "regression":
        y = _finite(y, name)
    tr, va = split_indices(len(x), req.seed)
    x_tr, x_va, mean, std = standardize(x[tr], x[va])
    data = Data(
        name=name,
        task=task,
        input_shape=(x.shape[1],),
        class_names=class_names,
        x_train=torch.from_numpy(x_tr.astype(np.float32)),
        y_train=_targets(y[tr], task),
        x_val=torch.from_numpy(x_va.astype(np.float32)),
        y_val=_targets(y[va], task),
        preview_kind=info.preview_kind if info else _guess_kind(x.shape[1], task),
        feature_mean=tuple(float(v) for v in mean),
        feature_std=tuple(float(v) for v in std),
        **extra,
    )
    if scale_targets and task == "regression":
        data = _scale_targets(data)
    if not _all_finite(data):
        fail("huge_values", where=name)  # in range, but too far apart for float32
    return data


def _all_finite(data: Data) -> bool:
    """Every stored number finite, the target scale included (float32 squares of
    1e20 overflow, and dividing by an infinite std would quietly zero every
    target)."""
    scale = torch.tensor(_as_tuple(data.target_mean) + _as_tuple(data.target_std))
    tensors = [getattr(data, k) for k in _TENSORS] + [scale]
    return all(bool(torch.isfinite(t).all()) for t in tensors if t.is_floating_point())


def _finite(a: np.ndarray, name: str) -> np.ndarray:
    """`a` as float64, refused if it holds NaN, infinity, or a value float32
    training would turn into infinity (the loss, not the data, would get blamed)."""
    a = np.asarray(a, dtype=np.float64)
    if not np.isfinite(a).all():
        fail("nan", where=name)
    if a.size and float(np.abs(a).max()) > FLOAT32_MAX:
        fail("huge_values", where=name)
    return a


def _guess_kind(features: int, task: str) -> str:
    """Imported tables with 2 features are scattered (and get a boundary view),
    1-feature regressions are drawn as a curve, wider tables as rows."""
    if features == 2 and task == "classification":
        return "points"
    return "curve" if features == 1 and task == "regression" else "table"


def _targets(y: np.ndarray, task: str) -> torch.Tensor:
    if task == "classification":
        return torch.from_numpy(np.asarray(y, dtype=np.int64))
    y = np.asarray(y, dtype=np.float32)
    return torch.from_numpy(y.reshape(len(y), -1).copy())


def _scale_targets(data: Data) -> Data:
    """Standardize regression targets in float32, exactly as an exported script
    does (its results must match nnstudio's)."""
    mean = data.y_train.mean(dim=0)
    std = data.y_train.std(dim=0, unbiased=False).clamp_min(1e-12)
    return dataclasses.replace(
        data,
        y_train=(data.y_train - mean) / std,
        y_val=(data.y_val - mean) / std,
        target_mean=_stats(mean.tolist()),
        target_std=_stats(std.tolist()),
    )


def _stats(values: list[float]) -> Stats:
    return float(values[0]) if len(values) == 1 else tuple(float(v) for v in values)


def image_stats(images: torch.Tensor) -> tuple[Stats, Stats]:
    """Per-channel mean and std of uint8 images scaled to [0, 1].

    Computed from a 256-bin histogram per channel: exact, and it never builds a
    float copy of the whole set (188 MB for MNIST).
    """
    levels = torch.arange(256, dtype=torch.float64) / 255.0
    means, stds = [], []
    for c in range(images.shape[1]):
        hist = torch.bincount(images[:, c].reshape(-1), minlength=256).double()
        p = hist / hist.sum()
        mean = float((p * levels).sum())
        var = float((p * (levels - mean) ** 2).sum())
        means.append(mean)
        stds.append(max(var**0.5, 1e-6))
    return _stats(means), _stats(stds)


def image_data(
    name: str,
    images: tuple[torch.Tensor, torch.Tensor],
    labels: tuple[torch.Tensor, torch.Tensor],
    class_names: tuple[str, ...],
    **extra: Any,
) -> Data:
    """Wrap uint8 train/val images (N x C x H x W) and int labels as a `Data`."""
    x_tr, x_va = images
    check_task_targets(labels[0].numpy(), "classification", name)
    top = int(torch.cat(labels).max())
    if top >= len(class_names):
        fail("bad_labels", where=name, top=top, count=len(class_names))
    mean, std = image_stats(x_tr)
    return Data(
        name=name,
        task="classification",
        input_shape=tuple(x_tr.shape[1:]),
        class_names=class_names,
        x_train=x_tr.contiguous(),
        y_train=labels[0].long(),
        x_val=x_va.contiguous(),
        y_val=labels[1].long(),
        mean=mean,
        std=std,
        preview_kind="image",
        **extra,
    )


def split_images(
    images: torch.Tensor, labels: torch.Tensor, seed: int
) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """Seeded 80/20 split of one image set: ((x_train, x_val), (y_train, y_val))."""
    tr, va = (torch.from_numpy(i) for i in split_indices(len(images), seed))
    return (images[tr], images[va]), (labels[tr], labels[va])


def limit(data: Data, size: int | None, seed: int) -> Data:
    """Keep a seeded subset of at most `size` training samples (and a quarter as
    many validation samples: the 80/20 ratio), so a laptop CPU can try a big set fast.
    """
    if size is None or size >= len(data.x_train):
        return data
    if size < 1:
        fail("empty", where=data.name)
    gen = torch.Generator().manual_seed(seed)
    tr = torch.randperm(len(data.x_train), generator=gen)[:size]
    va = torch.randperm(len(data.x_val), generator=gen)[: max(1, size // 4)]
    return dataclasses.replace(
        data,
        x_train=data.x_train[tr],
        y_train=data.y_train[tr],
        x_val=data.x_val[va],
        y_val=data.y_val[va],
    )
