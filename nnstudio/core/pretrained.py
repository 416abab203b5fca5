"""Pretrained torchvision backbones and their weights, offline-first.

torchvision's weights API says, for each model, the URL, the file name (which ends
in the first hex digits of the file's SHA-256, e.g. `resnet34-b627a593.pth`), the
class names and the preprocessing. The bytes come through the project's own
downloader (core/datasets/download.py: progress, cancel, timeout, `mirror=` or
NNSTUDIO_MIRROR with the same file names) into `<cache>/pretrained/`. Every file is
checked against the known SHA-256 before it is used, one already in the cache too;
a wrong file is deleted and refused in plain words. Files are read with
`torch.load(weights_only=True)` only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from nnstudio.core.datasets.messages import DownloadError
from nnstudio.core.i18n import Text, formatter

HASH_CHUNK = 1 << 20  # bytes hashed at a time: a 90 MB file never sits in memory


@dataclass(frozen=True)
class Backbone:
    """One pretrained body: torchvision builder name, layer kind, width of its
    feature vector, and the head it loses (its ImageNet classifier)."""

    name: str  # torchvision's builder, e.g. "resnet34"
    kind: str  # the layer kind in the palette, e.g. "ResNet34"
    title: str
    features: int
    head_prefix: str  # state keys of the classifier the new head replaces
    stages: tuple[str, ...]  # children shown when the card is expanded


MODELS: dict[str, Backbone] = {
    b.name: b
    for b in (
        Backbone("resnet18", "ResNet18", "ResNet-18", 512, "fc.",
                 ("conv1", "bn1", "layer1", "layer2", "layer3", "layer4")),
        Backbone("resnet34", "ResNet34", "ResNet-34", 512, "fc.",
                 ("conv1", "bn1", "layer1", "layer2", "layer3", "layer4")),
        Backbone("mobilenet_v3_small", "MobileNetV3Small", "MobileNet-V3-Small", 576,
                 "classifier.", ("features",)),
        Backbone("squeezenet1_1", "SqueezeNet11", "SqueezeNet 1.1", 512,
                 "classifier.", ("features",)),
    )
}
BY_KIND: dict[str, Backbone] = {b.kind: b for b in MODELS.values()}

# Full SHA-256 of a weights file where known; else the hex prefix in its file name
# (torch.hub's own check). Tests put their own files' hashes here.
KNOWN_SHA256: dict[str, str] = {}

_MESSAGES: dict[str, Text] = {
    "wrong-file": {
        "en": "{file} is not the {title} weights file (its SHA-256 {got} does not "
              "match {want}); it was not used",
        "zh": "{file} 不是 {title} 的权重文件（SHA-256 为 {got}，应为 {want}）；"
              "未使用",
    },
    "deleted": {"en": " and was deleted from the cache",
                "zh": "，并已从缓存中删除"},
    "not-weights": {
        "en": "{file} is not a {title} weights file (it holds no matching tensors)",
        "zh": "{file} 不是 {title} 的权重文件（其中没有匹配的张量）",
    },
    "which": {
        "en": "cannot tell which model {file} belongs to — keep torchvision's file "
              "name (e.g. {example}) or name the model with --model",
        "zh": "无法判断 {file} 属于哪个模型——请保留 torchvision 的文件名（如 "
              "{example}），或用 --model 指明模型",
    },
    "missing-file": {"en": "no such file: {file}", "zh": "没有这个文件：{file}"},
    "manual": {
        "en": "download {url} in a browser, then `nnstudio pretrained import FILE` "
              "(or File > Import pretrained weights…)",
        "zh": "用浏览器下载 {url}，再运行 `nnstudio pretrained import 文件`"
              "（或 文件 > 导入预训练权重…）",
    },
}

_msg = formatter(_MESSAGES)


# --- what torchvision says about the weights -----------------------------------------
def weights_enum(name: str) -> Any:
    from torchvision.models import get_model_weights

    return get_model_weights(name).DEFAULT


def file_name(name: str) -> str:
    return weights_enum(name).url.rsplit("/", 1)[1]


def preprocessing(name: str) -> dict[str, Any]:
    """The weights' own preprocessing as plain data: it travels with the project
    and every export so a prediction outside nnstudio matches one inside."""
    t = weights_enum(name).transforms()
    return {"resize": int(t.resize_size[0]), "crop": int(t.crop_size[0]),
            "mean": [float(v) for v in t.mean], "std": [float(v) for v in t.std],
            "interpolation": str(t.interpolation.value), "weights": name}


def categories(name: str) -> list[str]:
    return list(weights_enum(name).meta["categories"])


# --- the architecture (a palette block) ----------------------------------------------
def make_body(name: str) -> nn.Module:
    """torchvision's model with its classifier replaced: it maps an image to its
    feature vector, and its state keys are the weights file's minus the head."""
    import torchvision

    model = torchvision.models.get_model(name, weights=None)
    if name.startswith("resnet"):
        model.fc = nn.Identity()
    elif name.startswith("squeezenet"):
        model.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    else:
        model.classifier = nn.Identity()
    return model


def body_state(name: str, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    head = MODELS[name].head_prefix
    return {k: v for k, v in state.items() if not k.startswith(head)}


def stages(name: str, input_shape: tuple[int, ...]) -> list[tuple[str, tuple, int]]:
    """(stage, output shape, parameters) of a backbone for one input shape, from a
    dry run on the meta device: what its card shows when expanded."""
    with torch.device("meta"):
        body = make_body(name)
    parts = _stage_modules(body)
    shapes: dict[str, tuple] = {}
    hooks = [m.register_forward_hook(
        lambda mod, args, out, n=n: shapes.__setitem__(n, tuple(out.shape[1:])))
        for n, m in parts]
    try:
        with torch.no_grad():
            body(torch.empty((1, *input_shape), device="meta"))
    finally:
        for hook in hooks:
            hook.remove()
    return [(n, shapes.get(n, ()), sum(p.numel() for p in m.parameters()))
            for n, m in parts]


def _stage_modules(body: nn.Module) -> list[tuple[str, nn.Module]]:
    """ResNets: their named stages (conv1 … layer4); the others: their feature
    blocks one by one."""
    features = getattr(body, "features", None)
    if isinstance(features, nn.Sequential):
        return [(f"features.{n}", m) for n, m in features.named_children()]
    return [(n, m) for n, m in body.named_children()
            if n.startswith(("conv", "bn", "layer"))]


# --- the cache and the check ---------------------------------------------------------
def weights_folder(cache_dir: str | os.PathLike | None = None) -> Path:
    from nnstudio.core.datasets.cache import cache_root

    return cache_root(cache_dir) / "pretrained"


def expected_hash(fname: str) -> str:
    known = KNOWN_SHA256.get(fname)
    if known:
        return known.lower()
    match = re.search(r"-([0-9a-f]{8,64})\.pth$", fname)
    return match.group(1) if match else ""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: Path, fname: str, title: str, cached: bool = False) -> None:
    """Raise DownloadError("checksum") unless the file's SHA-256 is the known one.
    A `cached` file (a download) is deleted first: a wrong file never stays."""
    want, got = expected_hash(fname), sha256_of(path)
    if want and got.startswith(want):
        return
    message = _msg("wrong-file", file=fname, title=title, got=got[:12],
                   want=want or "?")
    if cached:
        path.unlink(missing_ok=True)
        message += _msg("deleted")
    raise DownloadError(message, "checksum")


def cached_path(name: str, cache_dir: str | os.PathLike | None = None) -> Path:
    return weights_folder(cache_dir) / file_name(name)


def ensure_weights(name: str, *, mirror: str | None = None, progress=None,
                   cancel: threading.Event | None = None, timeout: float | None = None,
                   cache_dir: str | os.PathLike | None = None) -> Path:
    """The checked weights file of model `name`, downloaded once into the cache.

    A cached file is checked too: a wrong one is deleted and fetched again."""
    from nnstudio.core.datasets import download as dl
    from nnstudio.core.datasets.cache import cleanup_on_failure

    fname, title = file_name(name), MODELS[name].title
    folder = weights_folder(cache_dir)
    path = folder / fname
    if path.exists():
        try:
            verify(path, fname, title, cached=True)
            return path
        except DownloadError:
            pass  # deleted: fetch it again
    url = _url(name, fname, mirror)
    wait = timeout or dl.TIMEOUT_S
    with cleanup_on_failure(folder):
        _download(url, path, dl._Downloader(dl._Progress(progress, cancel), wait,
                                            None), title, name)
    return path


def _download(url: str, path: Path, downloader: Any, title: str, name: str) -> None:
    """Stream into a temporary `.NAME.PID.part` beside the target (the cache sweep
    knows the pattern), check it, then rename; the part never outlives a failure."""
    fname = path.name
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.parent / f".{fname}.{os.getpid()}.part"
    try:
        try:
            downloader(url, part)
        except Exception as exc:
            raise _translate(exc, title, fname, url, downloader.timeout, name) from None
        verify(part, fname, title, cached=True)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _url(name: str, fname: str, mirror: str | None) -> str:
    env = os.environ.get("NNSTUDIO_MIRROR", "")
    base = mirror or env.replace("{name}", "pretrained")
    return base.rstrip("/") + "/" + fname if base else weights_enum(name).url


def _translate(exc: Exception, title, fname, url, timeout, name) -> Exception:
    from urllib.parse import urlsplit

    import requests

    from nnstudio.core.datasets.download import Cancelled, TooBig
    from nnstudio.core.datasets.messages import say

    errors = requests.exceptions
    if isinstance(exc, Cancelled):
        return DownloadError(say("dl_cancelled", title=title), "cancelled")
    if isinstance(exc, errors.Timeout) or "timed out" in str(exc).lower():
        reason = say("r_timeout", seconds=timeout)
    elif isinstance(exc, errors.HTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        reason = say("r_http", status=status, file=fname)
    elif isinstance(exc, errors.ConnectionError):
        reason = say("r_connect", host=urlsplit(url).netloc or url)
    elif isinstance(exc, errors.RequestException | OSError | ValueError | TooBig):
        reason = say("r_other", detail=str(exc).splitlines()[0] if str(exc) else exc)
    else:
        return exc
    manual = _msg("manual", url=weights_enum(name).url)
    return DownloadError(say("dl_failed", title=title, reason=reason, manual=manual))


# --- reading and importing -----------------------------------------------------------
def read_state(path: Path, title: str) -> dict[str, torch.Tensor]:
    """A state dict, read with weights_only=True: no code in the file ever runs."""
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:
        raise DownloadError(_msg("not-weights", file=path.name, title=title),
                            "checksum") from None
    if not isinstance(data, dict) or not all(
            isinstance(v, torch.Tensor) for v in data.values()):
        raise DownloadError(_msg("not-weights", file=path.name, title=title),
                            "checksum")
    return data


def load_weights_file(name: str, **download: Any) -> dict[str, torch.Tensor]:
    """The backbone's tensors (classifier dropped), downloading them if needed."""
    path = ensure_weights(name, **download)
    return body_state(name, read_state(path, MODELS[name].title))


def model_of_file(path: Path) -> str | None:
    for name in MODELS:
        if file_name(name) == path.name:
            return name
    return None


def import_weights(path: str | os.PathLike, model: str | None = None,
                   cache_dir: str | os.PathLike | None = None) -> tuple[str, Path]:
    """Put a hand-downloaded weights file into the cache after the same checks
    as a download (hash, weights-only load, the backbone's tensors); return the
    model name and the cached path."""
    source = Path(path)
    if not source.is_file():
        raise DownloadError(_msg("missing-file", file=str(source)), "missing")
    name = model or model_of_file(source)
    if name not in MODELS:
        raise DownloadError(_msg("which", file=source.name,
                                 example=file_name("resnet34")), "unknown-model")
    fname, title = file_name(name), MODELS[name].title
    verify(source, fname, title)
    _check_fits(name, read_state(source, title), source.name)
    target = weights_folder(cache_dir) / fname
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        temp = Path(tmp.name)
    try:
        shutil.copyfile(source, temp)
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return name, target


def _check_fits(name: str, state: dict[str, torch.Tensor], shown: str) -> None:
    with torch.device("meta"):
        want = make_body(name).state_dict()
    given = body_state(name, state)
    if set(want) != set(given) or any(
            want[k].shape != given[k].shape for k in want):
        raise DownloadError(_msg("not-weights", file=shown,
                                 title=MODELS[name].title), "checksum")


def preprocessing_of(spec: Any) -> dict[str, Any] | None:
    """The preprocessing the network's pretrained backbone expects (the first one
    with ImageNet weights), or None. It follows from the spec, so it travels with
    the project, and exports write it out."""
    for layer in spec.layers:
        backbone = BY_KIND.get(layer.kind)
        if backbone is not None and layer.params.get("weights") == "imagenet":
            return preprocessing(backbone.name)
    return None


def adapt_data(spec: Any, data: Any) -> Any:
    """Colour images normalized with the weights' mean and std instead of the
    dataset's own, as the backbone saw them in training."""
    if not any(layer.kind in BY_KIND for layer in spec.layers):
        return data
    prep = preprocessing_of(spec)
    if prep is None or not data.is_image or data.input_shape[0] != 3:
        return data
    import dataclasses

    return dataclasses.replace(data, mean=tuple(prep["mean"]), std=tuple(prep["std"]))


def load_backbones(model: nn.Module, spec: Any, **download: Any) -> list[str]:
    """Load the pretrained weights of every backbone layer that asks for them
    (its `weights` parameter is "imagenet"); return the layer names loaded."""
    loaded = []
    for (child_name, child), layer in zip(model.named_children(), spec.layers,
                                          strict=False):
        backbone = BY_KIND.get(layer.kind)
        if backbone is None or layer.params.get("weights") != "imagenet":
            continue
        child.load_state_dict(load_weights_file(backbone.name, **download))
        loaded.append(child_name)
    return loaded
