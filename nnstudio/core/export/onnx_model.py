"""ONNX export with torch's exporter (dynamo=True), for Netron and other runtimes.

The batch dimension is left dynamic so the file takes any batch size. onnx and
onnxscript are optional dependencies: when missing, the user is told what to install.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import Path

import torch
from torch import nn

from nnstudio.core.export.data import ExportError
from nnstudio.core.fileio import atomic_write_bytes
from nnstudio.core.i18n import Text, formatter

OPSET = 18  # the exporter's default in torch 2.x; Netron and onnxruntime read it

# What a failed export is told as, in both languages (the exporter's own detail stays
# as it says it); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "failed": {"en": "ONNX export failed: {detail}", "zh": "ONNX 导出失败：{detail}"},
    "missing": {
        "en": "ONNX export needs the Python package(s) {missing} — install the "
        "export extras with \"pip install -e '.[export]'\" in the nnstudio folder "
        "(or: pip install {packages})",
        "zh": "ONNX 导出需要 Python 包 {missing}——请在 nnstudio 文件夹中运行 "
        "\"pip install -e '.[export]'\" 安装导出扩展(或：pip install {packages})",
    },
}


_msg = formatter(_MESSAGES)


def export_onnx(
    spec_input_shape: tuple[int, ...],
    model: nn.Module,
    path: Path,
    metadata: dict[str, str] | None = None,
    tokens: int | None = None,
) -> None:
    """Write `model` (evaluation mode) as ONNX with input 'input', output 'output'.

    `tokens`: the network takes int64 token ids below this (an Embedding first).
    """
    _require("onnx", "onnxscript")
    generator = torch.Generator().manual_seed(0)
    if tokens is not None:
        example = torch.randint(0, tokens, (2, *spec_input_shape), generator=generator)
    else:
        example = torch.randn((2, *spec_input_shape), generator=generator)
    model = model.eval()
    batch = torch.export.Dim("batch", min=1)
    try:
        with _quiet():
            program = torch.onnx.export(
                model,
                (example,),
                dynamo=True,
                input_names=["input"],
                output_names=["output"],
                dynamic_shapes=({0: batch},),
                opset_version=OPSET,
            )
            buffer = io.BytesIO()
            program.save(buffer)
            if metadata:
                buffer = _with_metadata(buffer, metadata)
    except Exception as exc:  # the exporter raises many kinds; the user needs one line
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ExportError(_msg("failed", detail=detail)) from None
    atomic_write_bytes(path, buffer.getvalue())


def _require(*modules: str) -> None:
    missing = []
    for name in modules:
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ExportError(
            _msg("missing", missing=", ".join(missing), packages=" ".join(missing))
        )


@contextlib.contextmanager
def _quiet():
    """The exporter prints progress and warnings meant for torch developers."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _with_metadata(buffer: io.BytesIO, metadata: dict[str, str]) -> io.BytesIO:
    """The model's metadata_props gain `metadata` (e.g. the input preprocessing a
    pretrained backbone expects), so a runtime outside nnstudio can read it."""
    import onnx

    model = onnx.load_from_string(buffer.getvalue())
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    return io.BytesIO(model.SerializeToString())
