"""ONNX and TensorBoard export after the README's install (issue 13 §4).

They need packages the first install does not bring: the `export` extra installs
them, every "missing package" sentence names that command, and TensorBoard export is
on the command line too, graph included.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from .helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXTRA_COMMAND = "pip install -e '.[export]'"


def test_the_export_extra_lists_what_onnx_and_tensorboard_need() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extra = " ".join(project["optional-dependencies"]["export"])
    for package in ("onnx", "onnxruntime", "onnxscript", "tensorboard"):
        assert f"{package}>=" in extra
    readme = (ROOT / "README.md").read_text("utf-8")
    assert EXTRA_COMMAND in readme


def test_missing_onnx_names_the_extra_command(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxscript", None)  # import fails
    result = run_cli(capsys, "export", "spiral-relu", "--to", tmp_path / "n.onnx")
    assert result.rc == 2 and EXTRA_COMMAND in result.err
    assert "Traceback" not in result.err


def test_missing_tensorboard_names_the_extra_command(
    capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    result = run_cli(
        capsys, "export", "spiral-relu", "--tensorboard", "--to", tmp_path / "tb"
    )
    assert result.rc == 2 and EXTRA_COMMAND in result.err
    assert "Traceback" not in result.err


def _read(logdir: Path):
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )

    events = EventAccumulator(str(logdir))
    events.Reload()
    return events


def test_cli_tensorboard_export_writes_each_run_and_the_graph(capsys, tmp_path) -> None:
    pytest.importorskip("tensorboard", reason="pip install -e '.[export]'")
    project = tmp_path / "p.nnstudio"
    trained = run_cli(
        capsys, "train", "spiral-relu", "--epochs", "2", "--save", project
    )
    assert trained.rc == 0, trained.err
    logs = tmp_path / "tb"
    result = run_cli(capsys, "export", project, "--tensorboard", "--to", logs)
    assert result.rc == 0, result.err
    logdirs = sorted(p for p in (tmp_path / "tb").iterdir() if p.is_dir())
    assert len(logdirs) == 1 and str(logdirs[0]) in result.out
    events = _read(logdirs[0])
    tags = events.Tags()
    assert "epoch/val_loss" in tags["scalars"]
    assert [e.step for e in events.Scalars("epoch/val_loss")] == [1, 2]
    assert tags["graph"]
    kinds = {node.op for node in events.Graph().node}
    assert any("linear" in op.lower() or "addmm" in op.lower() for op in kinds), kinds


def test_cli_tensorboard_export_of_a_preset_is_its_graph(capsys, tmp_path) -> None:
    pytest.importorskip("tensorboard", reason="pip install -e '.[export]'")
    result = run_cli(capsys, "export", "cnn-mnist", "--tensorboard", "--to", tmp_path)
    assert result.rc == 0, result.err
    events = _read(tmp_path / "cnn-mnist")
    ops = " ".join(node.op for node in events.Graph().node).lower()
    assert "conv" in ops


def test_tensorboard_export_into_a_file_is_refused_in_one_line(
    capsys, tmp_path
) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = run_cli(capsys, "export", "spiral-relu", "--tensorboard", "--to", target)
    assert result.rc == 2 and "not a folder" in result.err
    assert len(result.err.strip().splitlines()) == 1
