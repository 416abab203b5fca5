"""Export a network: the spec as JSON, weights as safetensors, ONNX, a PyTorch script.

`export(what, path)` picks the format from the file extension, so the CLI and the
File > Export menu share one entry point and one list of formats.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from safetensors.torch import save as save_safetensors
from torch import nn

from nnstudio.core.export.data import ExportError
from nnstudio.core.fileio import atomic_write_bytes
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.build import build_model
from nnstudio.core.network.resolve import Resolved
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import Project
from nnstudio.core.training.config import TrainConfig

# What a refused export is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "suffix": {
        "en": "cannot export to '{name}': the file name must end in one of {suffixes}",
        "zh": "无法导出到“{name}”：文件名必须以 {suffixes} 之一结尾",
    },
    "no-folder": {
        "en": "cannot export to {path}: the folder does not exist",
        "zh": "无法导出到 {path}：文件夹不存在",
    },
}


_msg = formatter(_MESSAGES)


def _target(what: Resolved | Project) -> Resolved:
    """A Resolved view of either a resolved NET or a bare project."""
    if isinstance(what, Project):
        return Resolved(what.spec, TrainConfig.from_dict(what.config), what)
    return what


def model_of(what: Resolved | Project) -> nn.Sequential:
    """The trained model of a project, else a freshly initialised one (config seed)."""
    target = _target(what)
    if target.project is not None and target.project.weights is not None:
        return target.project.model()
    return build_model(target.spec, seed=target.config.seed)


def export_json(what: Resolved | Project, path: Path, data: Any = None) -> None:
    """The network spec, as `nnstudio` reads it back (schema_version included)."""
    spec: NetworkSpec = _target(what).spec
    atomic_write_bytes(path, (spec.to_json() + "\n").encode("utf-8"))


def export_safetensors(what: Resolved | Project, path: Path, data: Any = None) -> None:
    """The state_dict with nnstudio's layer names ("1_linear.weight", ...)."""
    state = model_of(what).state_dict()
    tensors = {k: v.detach().cpu().contiguous() for k, v in state.items()}
    atomic_write_bytes(path, save_safetensors(tensors))


def export_script(what: Resolved | Project, path: Path, data: Any = None) -> None:
    """A standalone training script; `data` (the loaded Data) pins its exact recipe."""
    from nnstudio.core.export.script import export_script as write

    write(_target(what), path, data)


def export_onnx(what: Resolved | Project, path: Path, data: Any = None) -> None:
    """ONNX of the model in evaluation mode (needs onnx and onnxscript)."""
    from nnstudio.core.export.onnx_model import export_onnx as write

    spec = _target(what).spec
    write(spec.input_shape, model_of(what), path, _preprocessing_metadata(spec),
          tokens=token_count(spec))


def _preprocessing_metadata(spec: NetworkSpec) -> dict[str, str] | None:
    """A pretrained backbone's preprocessing, for the ONNX file's metadata."""
    import json

    from nnstudio.core.pretrained import preprocessing_of

    prep = preprocessing_of(spec)
    return None if prep is None else {"nnstudio.preprocessing": json.dumps(prep)}


def token_count(spec: NetworkSpec) -> int | None:
    """How many token ids a network that starts with an Embedding takes, else None."""
    if spec.layers and spec.layers[0].kind == "Embedding":
        return int(spec.layers[0]["num_embeddings"])
    return None


EXPORTERS: dict[str, Callable[[Resolved | Project, Path, Any], None]] = {
    ".py": export_script,
    ".onnx": export_onnx,
    ".safetensors": export_safetensors,
    ".json": export_json,
}


def export(what: Resolved | Project, path: str | Path, data: Any = None) -> Path:
    """Write `what` to `path` in the format its extension names; return the path.

    `data` is the loaded dataset when there is one (the studio): the script then
    loads it exactly as it was loaded; otherwise the project's settings say how.
    """
    path = Path(path)
    writer = EXPORTERS.get(path.suffix.lower())
    if writer is None:
        suffixes = ", ".join(EXPORTERS)
        raise ExportError(_msg("suffix", name=path.name, suffixes=suffixes))
    if not path.parent.is_dir():
        raise ExportError(_msg("no-folder", path=path))
    writer(what, path, data)
    return path
