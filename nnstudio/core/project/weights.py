"""Weights in a project: read, checked against the spec, loaded, or imported.

A weights file whose names or shapes do not fit the network is refused naming what
differs; a plain PyTorch state_dict is imported with weights-only loading, so a file
holding other Python objects never runs any of their code.
"""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from torch import nn

from nnstudio.core.errors import NNStudioError, ProjectFileError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.messages import msg


def read_weights(blob: bytes, name: str) -> dict[str, torch.Tensor]:
    """The tensors of a safetensors blob; a broken one is refused in plain words."""
    try:
        return load_safetensors(blob)
    except (SafetensorError, ValueError, RuntimeError):
        raise ProjectFileError(msg("bad-weights", name=name)) from None


def check_weights(
    spec: NetworkSpec, weights: dict[str, torch.Tensor], name: str
) -> None:
    """Refuse weights whose names or shapes do not fit the spec, naming them."""
    try:
        model = build_model(spec)
    except NNStudioError as exc:
        raise ProjectFileError(msg("named", name=name, reason=exc)) from None
    problems = describe_mismatch(model.state_dict(), weights)
    if problems:
        reason = msg("mismatch", problems=problems)
        raise ProjectFileError(msg("named", name=name, reason=reason))


def describe_mismatch(
    expected: dict[str, torch.Tensor], given: dict[str, torch.Tensor]
) -> str:
    """'' when `given` fits `expected`, else which keys are missing/extra/misshapen."""
    missing = [k for k in expected if k not in given]
    extra = [k for k in given if k not in expected]
    shapes = [
        msg(
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
        parts.append(msg("missing", keys=", ".join(missing[:6])))
    if extra:
        parts.append(msg("extra", keys=", ".join(extra[:6])))
    parts += shapes[:6]
    return msg("sep").join(parts)


def load_weights(model: nn.Module, weights: dict[str, torch.Tensor]) -> None:
    problems = describe_mismatch(model.state_dict(), weights)
    if problems:
        raise ProjectFileError(msg("mismatch", problems=problems))
    model.load_state_dict(weights)


def import_state_dict(path: str | Path, spec: NetworkSpec) -> dict[str, torch.Tensor]:
    """Import a plain PyTorch state_dict (.pt/.pth, weights-only loading) or a
    .safetensors file, checked against `spec`.

    Files holding other Python objects are refused without running any of their code.
    """
    name = Path(path).name
    if Path(path).suffix.lower() == ".safetensors":
        try:
            data = read_weights(Path(path).read_bytes(), name)
        except FileNotFoundError:
            raise ProjectFileError(msg("no-file", name=name)) from None
        check_weights(spec, data, name)
        return data
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ProjectFileError(msg("no-file", name=name)) from None
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
        raise ProjectFileError(msg("pickle", name=name)) from None
    if not isinstance(data, dict) or not all(
        isinstance(v, torch.Tensor) for v in data.values()
    ):
        raise ProjectFileError(msg("not-state-dict", name=name))
    check_weights(spec, data, name)
    return data
