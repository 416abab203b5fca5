"""The one registry of named datasets and the single entry point that loads them.

`load_dataset` takes a registry name or a path; either way the result is a `Data`
whose `options` (with `source_path`) are enough to load the same data again, which
is what the code exporter relies on.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
import threading
from pathlib import Path
from typing import Any

from nnstudio.core.i18n import lang, text

from . import cache, download, generated, sequences, sklearn_sets
from .base import Data, DatasetInfo, Progress, Request, limit
from .imported import load_path
from .messages import fail

DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in (
        *generated.INFOS, *sequences.INFOS, *sklearn_sets.INFOS, *download.INFOS
    )
}
ALIASES = {"cifar-10": "cifar10", "fashionmnist": "fashion-mnist"}
IMPORT_OPTIONS: dict[str, Any] = {"label": None, "task": None}  # CSV only
# image folders (issue 15): size, gray/colour, validation fraction, augmentation
IMPORT_OPTIONS.update(dict.fromkeys(("image_size", "color", "val_fraction",
                                     "augment", "flip")))
SERIES_OPTIONS = ("window",)  # a CSV time series: windows of this many rows
PATH_SUFFIXES = (".csv", ".tsv", ".txt", ".gz", ".tgz", ".ubyte")


def dataset_names() -> list[str]:
    """Registry names in declaration order (generated, scikit-learn, downloaded)."""
    return list(DATASETS)


def load_dataset(
    name_or_path: str | os.PathLike,
    *,
    seed: int = 0,
    size: int | None = None,
    noise: float | None = None,
    cache_dir: str | os.PathLike | None = None,
    mirror: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    **options: Any,
) -> Data:
    """Load a dataset by registry name, or import the folder/file at a path.

    `size`/`noise` shape generated data (points per class, or in total for
    regression); for real data `size` keeps a seeded subset of that many training
    samples. Downloads go to `cache_dir` (default: the user cache folder) from
    `mirror` (default: NNSTUDIO_MIRROR, else the official site), reporting
    `progress(bytes_done, total_or_None)` and stopping when `cancel` is set.
    Raises DatasetError (DownloadError for downloads) with a one-line message.
    A registry name wins over a same-named folder: write "./mnist" for the folder.
    """
    size, noise = _checked_size(size), _checked_noise(noise)
    _sweep_once(cache_dir)
    info = _lookup(name_or_path)
    if info is None:
        return _import(Path(name_or_path).expanduser(), seed, size, options)
    merged = _merged_options(info, options)
    req = Request(
        seed=seed,
        size=size if size is not None else info.size,
        noise=noise if noise is not None else info.noise,
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
        mirror=mirror,
        progress=progress,
        cancel=cancel,
        options=merged,
    )
    data = info.loader(info, req)
    if info.source != "generated":
        data = limit(data, size, seed)
    recorded = {"seed": seed, "size": req.size, "noise": req.noise, **merged}
    return dataclasses.replace(data, options=_clean(recorded), source_path=None)


_SWEPT: set[str] = set()  # cache folders already cleaned by this process


def _sweep_once(cache_dir: str | os.PathLike | None) -> None:
    """At the first load of a session (the studio's start, a CLI run), delete what
    killed downloads left in the cache, whatever dataset is asked for; `fetch`
    sweeps again before each download."""
    key = str(cache.cache_root(cache_dir))
    if key not in _SWEPT:
        _SWEPT.add(key)
        cache.sweep_cache(cache_dir)


def describe(name: str, language: str | None = None) -> str:
    """One line for `nnstudio datasets`: name, description, task and shape."""
    info = _lookup(name)
    if info is None:
        _unknown(str(name))
    zh = (language or lang()) == "zh"
    facts = [_TASK[zh][info.task], _inputs(info.input_shape, zh, info.preview_kind)]
    if info.class_names:
        facts.append(
            f"{len(info.class_names)} 个类别"
            if zh
            else f"{len(info.class_names)} classes"
        )
    facts.append(_SOURCE[zh][info.source])
    sep = "，" if zh else ", "
    return f"{info.name}: {text(info.description, language)} ({sep.join(facts)})"


_TASK = {
    False: {"classification": "classification", "regression": "regression"},
    True: {"classification": "分类", "regression": "回归"},
}
_SOURCE = {
    False: {
        "generated": "generated offline",
        "sklearn": "offline, scikit-learn",
        "download": "downloaded once",
    },
    True: {
        "generated": "离线生成",
        "sklearn": "离线，scikit-learn",
        "download": "需下载一次",
    },
}


def _inputs(shape: tuple[int, ...], zh: bool, kind: str = "") -> str:
    if kind == "tokens":  # a sequence of token ids
        return f"{shape[0]} 个词元的序列" if zh else f"sequences of {shape[0]} tokens"
    if kind == "sequence":  # (time, features)
        steps, width = shape[0], shape[-1]
        return (f"{steps} 步的序列，每步 {width} 个特征" if zh else
                f"sequences of {steps} steps x {width} feature" + "s" * (width > 1))
    if len(shape) == 1:
        return (
            f"{shape[0]} 个输入" if zh else f"{shape[0]} input" + "s" * (shape[0] > 1)
        )
    dims = "x".join(map(str, shape))
    return f"{dims} 图像" if zh else f"{dims} images"


def _lookup(name_or_path: str | os.PathLike) -> DatasetInfo | None:
    if not isinstance(name_or_path, str):
        return None
    key = name_or_path.strip().lower().replace("_", "-")
    return DATASETS.get(ALIASES.get(key, key))


def _import(path: Path, seed: int, size: int | None, options: dict) -> Data:
    """A path: check it is one, load it, and record how to load it again."""
    if not (path.exists() or _looks_like_path(str(path))):
        _unknown(str(path))
    unknown = sorted(set(options) - set(IMPORT_OPTIONS) - set(SERIES_OPTIONS))
    if unknown:
        fail("option", name=str(path), option=unknown[0],
             options=", ".join([*IMPORT_OPTIONS, *SERIES_OPTIONS]))
    if "window" in options:  # a time series, not a table of samples
        window = _coerce("window", options["window"], sequences.WINDOW)
        data = limit(sequences.load_series_csv(path, window, seed), size, seed)
        recorded = _clean({"seed": seed, "size": size, "window": window})
        return dataclasses.replace(data, options=recorded, source_path=str(path))
    req = Request(seed=seed, options=options)
    data = limit(load_path(path, req), size, seed)
    recorded = _clean({"seed": seed, "size": size, **options})
    return dataclasses.replace(data, options=recorded, source_path=str(path))


def _looks_like_path(value: str) -> bool:
    return (
        any(sep in value for sep in ("/", "\\", os.sep))
        or value.startswith((".", "~"))
        or value.lower().endswith(PATH_SUFFIXES)
    )


def _unknown(name: str):
    fail("unknown", name=name, names=", ".join(DATASETS))


def _merged_options(info: DatasetInfo, options: dict[str, Any]) -> dict[str, Any]:
    """The loader's options: declared defaults overridden by the caller's."""
    for key in options:
        if key not in info.options:
            allowed = ", ".join(info.options) or "-"
            fail("option", name=info.name, option=key, options=allowed)
    merged = dict(info.options)
    for key, value in options.items():
        merged[key] = _coerce(key, value, info.options[key])
    return merged


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Match the default's type, so "3" or "true" from a command line work too."""
    if default is None or value is None or type(value) is type(default):
        return value
    if isinstance(default, bool):
        words = {
            "1": True,
            "true": True,
            "yes": True,
            "0": False,
            "false": False,
            "no": False,
        }
        if str(value).strip().lower() in words:
            return words[str(value).strip().lower()]
    elif isinstance(default, int) and _is_whole(value):
        return int(value)
    fail("bad_value", option=key, value=value, choices=type(default).__name__)


def _is_whole(value: Any) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, bool) and number.is_integer()


def _checked_size(size: Any) -> int | None:
    if size is None:
        return None
    if not _is_whole(size) or int(float(size)) < 1:
        fail("bad_size", size=size)
    return int(float(size))


def _checked_noise(noise: Any) -> float | None:
    if noise is None:
        return None
    ok = isinstance(noise, numbers.Real) and not isinstance(noise, bool)
    if not ok or not math.isfinite(noise) or noise < 0:
        fail("bad_noise", noise=noise)
    return float(noise)


def _clean(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None}
