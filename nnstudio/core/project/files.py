"""Project files: one `.nnstudio` zip holding JSON and safetensors, never a pickle.

Entries: meta.json (format and app version), spec.json, config.json,
weights.safetensors (optional: an untrained project has none), history.json and
data.json (what the model was trained on: task, classes, normalization — so a saved
model can predict without loading its dataset again).
Saving is atomic; loading checks everything and fails with one plain line.
"""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import nn

from nnstudio import __version__
from nnstudio.core.errors import NNStudioError, ProjectFileError
from nnstudio.core.fileio import atomic_write_bytes
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.build import build_model
from nnstudio.core.network.spec import NetworkSpec

FORMAT = "nnstudio-project"
FORMAT_VERSION = 1
MAX_ENTRY_BYTES = 4 << 30  # refuse zip bombs before inflating anything
EXTENSION = ".nnstudio"

# What a refused file is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "named": {"en": "{name}: {reason}", "zh": "{name}：{reason}"},
    "no-file": {"en": "{name}: no such file", "zh": "{name}：文件不存在"},
    "not-project": {
        "en": "{name} is not an nnstudio project: the file is empty, corrupt or "
        "truncated",
        "zh": "{name} 不是 nnstudio 项目文件：文件为空、已损坏或不完整",
    },
    "unreadable": {
        "en": "{name} is corrupt or truncated (an entry cannot be read)",
        "zh": "{name} 已损坏或不完整（其中有一项无法读取）",
    },
    "huge-entry": {
        "en": "{name}: entry {entry} is implausibly large",
        "zh": "{name}：其中的 {entry} 大得不合常理",
    },
    "newer": {
        "en": "{name} was saved by a newer nnstudio (file format {version}) — update "
        "nnstudio to open it",
        "zh": "{name} 是由更新版本的 nnstudio 保存的（文件格式 {version}）——请先更新 "
        "nnstudio 再打开它",
    },
    "wrong-form": {
        "en": "{name}: config, data or history has the wrong form",
        "zh": "{name}：训练设置、数据信息或历史记录的格式不对",
    },
    "missing-entry": {
        "en": "{name} is not a complete project: {entry} is missing",
        "zh": "{name} 不是完整的项目文件：缺少 {entry}",
    },
    "bad-json": {
        "en": "{name}: {entry} is not valid JSON",
        "zh": "{name}：{entry} 不是有效的 JSON",
    },
    "bad-weights": {
        "en": "{name}: the weights are corrupt",
        "zh": "{name}：权重已损坏",
    },
    "mismatch": {
        "en": "the weights don't match the network: {problems}",
        "zh": "权重与网络不匹配：{problems}",
    },
    "missing": {"en": "missing {keys}", "zh": "缺少 {keys}"},
    "extra": {"en": "unexpected {keys}", "zh": "多出 {keys}"},
    "shape": {
        "en": "{tensor} is {given} but the network needs {needed}",
        "zh": "{tensor} 的形状是 {given}，但网络需要 {needed}",
    },
    "sep": {"en": "; ", "zh": "；"},
    "pickle": {
        "en": "{name} was refused: it is not a plain PyTorch state_dict of tensors "
        "(files that hold other Python objects could run code, so nnstudio never "
        "loads them)",
        "zh": "{name} 被拒绝：它不是只含张量的普通 PyTorch state_dict（含有其他 Python "
        "对象的文件可能会运行代码，所以 nnstudio 从不加载这类文件）",
    },
    "not-state-dict": {
        "en": "{name} does not hold a state_dict (names to tensors)",
        "zh": "{name} 中没有 state_dict（名称到张量的映射）",
    },
}


_msg = formatter(_MESSAGES)


@dataclass
class Project:
    """What a project file holds; `config` is a TrainConfig dict."""

    spec: NetworkSpec
    config: dict[str, Any] = field(default_factory=dict)
    weights: dict[str, torch.Tensor] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    data_info: dict[str, Any] = field(default_factory=dict)

    def model(self, seed: int | None = None) -> nn.Sequential:
        """Build the network and load the saved weights (if any) into it."""
        model = build_model(self.spec, seed=seed)
        if self.weights is not None:
            load_weights(model, self.weights)
        return model


def project_bytes(project: Project) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "app": __version__}
        archive.writestr("meta.json", json.dumps(meta))
        archive.writestr("spec.json", project.spec.to_json())
        archive.writestr("config.json", json.dumps(project.config, indent=2))
        archive.writestr("history.json", json.dumps(project.history, allow_nan=True))
        archive.writestr("data.json", json.dumps(project.data_info))
        if project.weights is not None:
            tensors = {
                k: v.detach().cpu().contiguous() for k, v in project.weights.items()
            }
            archive.writestr("weights.safetensors", save_safetensors(tensors))
    return buffer.getvalue()


def data_info(data: Any) -> dict[str, Any]:
    """What predicting later needs to know about a core Data, as plain JSON."""
    return {
        "name": data.name,
        "task": data.task,
        "input_shape": list(data.input_shape),
        "class_names": list(data.class_names),
        "mean": _plain(data.mean),
        "std": _plain(data.std),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [float(v) for v in value]
    return None if value is None else float(value)


def save_project(path: str | Path, project: Project) -> None:
    """Write atomically: the previous file survives any failure mid-save."""
    atomic_write_bytes(path, project_bytes(project))


def load_project(path: str | Path) -> Project:
    """Read and check a project file; raise ProjectFileError with one line."""
    path = Path(path)
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ProjectFileError(_msg("no-file", name=name)) from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ProjectFileError(_msg("not-project", name=name)) from None
    with archive:
        try:
            return _read(archive, name)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            if isinstance(exc, NNStudioError):
                raise
            raise ProjectFileError(_msg("unreadable", name=name)) from None


def _read(archive: zipfile.ZipFile, name: str) -> Project:
    for info in archive.infolist():
        if info.file_size > MAX_ENTRY_BYTES:
            raise ProjectFileError(_msg("huge-entry", name=name, entry=info.filename))
    meta = _json(archive, "meta.json", name, required=False) or {}
    version = meta.get("format_version", 1) if isinstance(meta, dict) else 1
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise ProjectFileError(_msg("newer", name=name, version=version))
    spec_data = _json(archive, "spec.json", name)  # names the file itself
    try:
        spec = NetworkSpec.from_dict(spec_data)
    except NNStudioError as exc:
        raise ProjectFileError(_msg("named", name=name, reason=exc)) from None
    config = _json(archive, "config.json", name, required=False) or {}
    history = _json(archive, "history.json", name, required=False) or []
    data_info = _json(archive, "data.json", name, required=False) or {}
    weights = None
    if "weights.safetensors" in archive.namelist():
        weights = _weights(archive.read("weights.safetensors"), name)
        check_weights(spec, weights, name)
    if not all(isinstance(v, dict) for v in (config, data_info)) or not isinstance(
        history, list
    ):
        raise ProjectFileError(_msg("wrong-form", name=name))
    return Project(spec, config, weights, history, data_info)


def _json(
    archive: zipfile.ZipFile, entry: str, name: str, required: bool = True
) -> Any:
    if entry not in archive.namelist():
        if required:
            raise ProjectFileError(_msg("missing-entry", name=name, entry=entry))
        return None
    try:
        return json.loads(archive.read(entry).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ProjectFileError(_msg("bad-json", name=name, entry=entry)) from None


def _weights(blob: bytes, name: str) -> dict[str, torch.Tensor]:
    try:
        return load_safetensors(blob)
    except (SafetensorError, ValueError, RuntimeError):
        raise ProjectFileError(_msg("bad-weights", name=name)) from None


def check_weights(
    spec: NetworkSpec, weights: dict[str, torch.Tensor], name: str
) -> None:
    """Refuse weights whose names or shapes do not fit the spec, naming them."""
    try:
        model = build_model(spec)
    except NNStudioError as exc:
        raise ProjectFileError(_msg("named", name=name, reason=exc)) from None
    problems = describe_mismatch(model.state_dict(), weights)
    if problems:
        reason = _msg("mismatch", problems=problems)
        raise ProjectFileError(_msg("named", name=name, reason=reason))


def describe_mismatch(
    expected: dict[str, torch.Tensor], given: dict[str, torch.Tensor]
) -> str:
    """'' when `given` fits `expected`, else which keys are missing/extra/misshapen."""
    missing = [k for k in expected if k not in given]
    extra = [k for k in given if k not in expected]
    shapes = [
        _msg(
            "shape",
            tensor=k,
            given=list(given[k].shape),
            needed=list(expected[k].shape),
        )
        for k in expected
        if k in given and given[k].shape != expected[k].shape
    ]
    parts = []
    if missing:
        parts.append(_msg("missing", keys=", ".join(missing[:6])))
    if extra:
        parts.append(_msg("extra", keys=", ".join(extra[:6])))
    parts += shapes[:6]
    return _msg("sep").join(parts)


def load_weights(model: nn.Module, weights: dict[str, torch.Tensor]) -> None:
    problems = describe_mismatch(model.state_dict(), weights)
    if problems:
        raise ProjectFileError(_msg("mismatch", problems=problems))
    model.load_state_dict(weights)


def import_state_dict(path: str | Path, spec: NetworkSpec) -> dict[str, torch.Tensor]:
    """Import a plain PyTorch state_dict (.pt/.pth, weights-only loading) or a
    .safetensors file, checked against `spec`.

    Files holding other Python objects are refused without running any of their code.
    """
    name = Path(path).name
    if Path(path).suffix.lower() == ".safetensors":
        try:
            data = _weights(Path(path).read_bytes(), name)
        except FileNotFoundError:
            raise ProjectFileError(_msg("no-file", name=name)) from None
        check_weights(spec, data, name)
        return data
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ProjectFileError(_msg("no-file", name=name)) from None
    except (
        pickle.UnpicklingError,
        RuntimeError,
        EOFError,
        OSError,
        ValueError,
        AttributeError,
        TypeError,
        zipfile.BadZipFile,
    ):
        raise ProjectFileError(_msg("pickle", name=name)) from None
    if not isinstance(data, dict) or not all(
        isinstance(v, torch.Tensor) for v in data.values()
    ):
        raise ProjectFileError(_msg("not-state-dict", name=name))
    check_weights(spec, data, name)
    return data
