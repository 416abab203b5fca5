"""Project files: one `.nnstudio` zip holding JSON and safetensors, never a pickle.

Entries: meta.json (format and app version), spec.json, config.json,
weights.safetensors (optional: an untrained project has none), history.json and
data.json (what the model was trained on: task, classes, normalization — so a saved
model can predict without loading its dataset again).
Saving is atomic; loading checks everything and fails with one plain line (the
weights: weights.py; the sentences: messages.py).
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save as save_safetensors
from torch import nn

from nnstudio import __version__
from nnstudio.core.errors import NNStudioError, ProjectFileError
from nnstudio.core.fileio import (
    JsonTooDeep,
    NotRegularFile,
    atomic_write_bytes,
    open_regular,
    parse_json,
    remove_stale_temporaries,
)
from nnstudio.core.i18n import shown
from nnstudio.core.network.build import build_model
from nnstudio.core.network.shapes import MAX_PARAMS
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.messages import msg
from nnstudio.core.project.weights import check_weights, load_weights, read_weights

FORMAT = "nnstudio-project"
FORMAT_VERSION = 1
MAX_JSON_BYTES = 64 << 20  # a JSON entry: a history of hundreds of runs is ~1 MB
MAX_WEIGHTS_BYTES = 16 * MAX_PARAMS + (1 << 20)  # the largest network allowed, in
# float64 with every buffer (BatchNorm's stats are no more than its parameters)
WEIGHTS_HEADER_BYTES = 1 << 20  # safetensors' JSON header: names, shapes, offsets
MAX_PROJECT_BYTES = MAX_WEIGHTS_BYTES + 4 * MAX_JSON_BYTES  # all entries, inflated
READ_CHUNK = 1 << 20  # entries are inflated in 1 MB steps and stopped at their cap
TASKS = ("classification", "regression")
EXTENSION = ".nnstudio"



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
            # stored, not deflated: float weights barely compress (~7%) and
            # deflating 800 MB took 76 s of a close
            archive.writestr(
                "weights.safetensors",
                save_safetensors(tensors),
                compress_type=zipfile.ZIP_STORED,
            )
    return buffer.getvalue()


def data_info(data: Any) -> dict[str, Any]:
    """What predicting later needs to know about a core Data, as plain JSON.

    Stored as data.json by `nnstudio train --save` and the window's save (pass the
    Data the weights were trained on; None gives {}: nothing known)."""
    if data is None:
        return {}
    return {
        "name": data.name,
        "task": data.task,
        "input_shape": list(data.input_shape),
        "class_names": list(data.class_names),
        "mean": _plain(data.mean),
        "std": _plain(data.std),
        # a regression's target scaling (sequence forecasts undo it when predicting)
        "target_mean": _plain(getattr(data, "target_mean", 0.0)),
        "target_std": _plain(getattr(data, "target_std", 1.0)),
    }


def stored_stats(info: dict[str, Any]) -> tuple[Any, Any]:
    """data.json's mean and std in the form core Data uses (a float or a tuple),
    (None, None) when the project does not know them."""
    mean, std = info.get("mean"), info.get("std")
    if mean is None or std is None:
        return None, None
    as_stats = lambda v: tuple(v) if isinstance(v, list) else float(v)  # noqa: E731
    return as_stats(mean), as_stats(std)


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [float(v) for v in value]
    return None if value is None else float(value)


def save_project(path: str | Path, project: Project) -> None:
    """Write atomically: the previous file survives any failure mid-save."""
    atomic_write_bytes(path, project_bytes(project))


def load_project(path: str | Path) -> Project:
    """Read and check a project file; raise ProjectFileError with one line.

    Only a regular file is opened (a FIFO would block forever); sizes, duplicate
    entries and the format version are refused before anything is inflated."""
    path = Path(path)
    name = path.name
    try:
        handle = open_regular(path)
    except FileNotFoundError:
        raise ProjectFileError(msg("no-file", name=name)) from None
    except NotRegularFile:
        raise ProjectFileError(msg("not-regular", name=name)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ProjectFileError(msg("named", name=name, reason=reason)) from None
    with handle:
        remove_stale_temporaries(path)  # debris of a save killed mid-write
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ProjectFileError(msg("not-project", name=name)) from None
        with archive:
            try:
                return _read(archive, name)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                if isinstance(exc, NNStudioError):
                    raise
                raise ProjectFileError(msg("unreadable", name=name)) from None


def _read(archive: zipfile.ZipFile, name: str) -> Project:
    _check_entries(archive, name)
    meta = _json(archive, "meta.json", name, required=False) or {}
    _check_version(meta, name)
    spec_data = _json(archive, "spec.json", name)  # names the file itself
    try:
        spec = NetworkSpec.from_dict(spec_data)
    except NNStudioError as exc:
        raise ProjectFileError(msg("named", name=name, reason=exc)) from None
    config = _json(archive, "config.json", name, required=False) or {}
    history = _json(archive, "history.json", name, required=False) or []
    info = _json(archive, "data.json", name, required=False) or {}
    if not all(isinstance(v, dict) for v in (config, info)) or not isinstance(
        history, list
    ):
        raise ProjectFileError(msg("wrong-form", name=name))
    check_data_info(info, name)
    weights = None
    if "weights.safetensors" in archive.namelist():
        cap = weights_cap(spec)  # what this network's weights can take, no more
        if archive.getinfo("weights.safetensors").file_size > cap:
            raise ProjectFileError(
                msg("huge-entry", name=name, entry="weights.safetensors")
            )
        blob = _entry(archive, "weights.safetensors", name, cap)
        weights = read_weights(blob, name)
        check_weights(spec, weights, name)
    return Project(spec, config, weights, history, info)


def _check_entries(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse by the declared sizes (before inflating) and duplicated names."""
    seen: set[str] = set()
    for info in archive.infolist():
        if info.filename in seen:
            raise ProjectFileError(msg("duplicate", name=name, entry=info.filename))
        seen.add(info.filename)
        if info.file_size > _cap(info.filename):
            raise ProjectFileError(msg("huge-entry", name=name, entry=info.filename))
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_PROJECT_BYTES:
        raise ProjectFileError(msg("huge-total", name=name, size=total >> 20,
                                    limit=MAX_PROJECT_BYTES >> 20))


def weights_cap(spec: NetworkSpec) -> int:
    """The most bytes a safetensors file of `spec`'s weights can take: its tensors
    (measured on the meta device: no memory) in float64, plus a header allowance."""
    try:
        with torch.device("meta"):
            state = build_model(spec).state_dict()
    except Exception:  # noqa: BLE001 - check_weights words the problem later
        return MAX_WEIGHTS_BYTES
    tensors = sum(t.numel() * 8 for t in state.values())
    return min(MAX_WEIGHTS_BYTES, tensors + WEIGHTS_HEADER_BYTES)


def _cap(entry: str) -> int:
    return MAX_WEIGHTS_BYTES if entry == "weights.safetensors" else MAX_JSON_BYTES


def _check_version(meta: Any, name: str) -> None:
    """Format versions are positive whole numbers; a float, a text or a newer
    number is refused by name rather than read as version 1."""
    if not isinstance(meta, dict):
        raise ProjectFileError(msg("wrong-form", name=name))
    if meta.get("format", FORMAT) != FORMAT:
        raise ProjectFileError(msg("not-project", name=name))
    version = meta.get("format_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectFileError(msg("bad-version", name=name, version=shown(version)))
    if version > FORMAT_VERSION:
        raise ProjectFileError(msg("newer", name=name, version=shown(version)))


def _entry(archive: zipfile.ZipFile, entry: str, name: str, cap: int) -> bytes:
    """The inflated entry, read in steps and stopped at `cap`: a header that lies
    about its size cannot make us inflate more."""
    parts, size = [], 0
    with archive.open(entry) as handle:
        while chunk := handle.read(READ_CHUNK):
            size += len(chunk)
            if size > cap:
                raise ProjectFileError(msg("huge-entry", name=name, entry=entry))
            parts.append(chunk)
    return b"".join(parts)


def _json(
    archive: zipfile.ZipFile, entry: str, name: str, required: bool = True
) -> Any:
    if entry not in archive.namelist():
        if required:
            raise ProjectFileError(msg("missing-entry", name=name, entry=entry))
        return None
    raw = _entry(archive, entry, name, MAX_JSON_BYTES)
    try:
        return parse_json(raw.decode("utf-8"))
    except JsonTooDeep:
        depth = JsonTooDeep.limit()
        raise ProjectFileError(msg("too-deep", name=name, entry=entry,
                                    depth=depth)) from None
    except (UnicodeDecodeError, ValueError):
        raise ProjectFileError(msg("bad-json", name=name, entry=entry)) from None


# data.json: what each key must be (a hand edit is refused by the key's name)
def _is_stats(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in values
    )


_DATA_KEYS = {
    "name": lambda v: isinstance(v, str),
    "task": lambda v: v in TASKS,
    "input_shape": lambda v: isinstance(v, list) and bool(v) and all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in v),
    "class_names": lambda v: isinstance(v, list) and all(
        isinstance(c, str) for c in v),
    "mean": lambda v: v is None or _is_stats(v),
    "std": lambda v: v is None or (_is_stats(v) and all(
        x > 0 for x in (v if isinstance(v, list) else [v]))),
    # a regression's target scaling (sequence forecasts undo it when predicting)
    "target_mean": lambda v: v is None or _is_stats(v),
    "target_std": lambda v: v is None or (_is_stats(v) and all(
        x > 0 for x in (v if isinstance(v, list) else [v]))),
}


def check_data_info(info: dict[str, Any], name: str = "data.json") -> None:
    """Refuse a data.json that predict/evaluate would misread, naming the key."""
    for key, value in info.items():
        fits = _DATA_KEYS.get(key)
        if fits is None or not fits(value):
            raise ProjectFileError(msg("bad-data", name=name, field=shown(key)))
    if info.get("task") == "classification" and "class_names" in info and len(
        info["class_names"]
    ) < 1:
        raise ProjectFileError(msg("bad-data", name=name, field="class_names"))
    mean, std = info.get("mean"), info.get("std")
    if isinstance(mean, list) and isinstance(std, list) and len(mean) != len(std):
        raise ProjectFileError(msg("bad-data", name=name, field="mean/std"))
