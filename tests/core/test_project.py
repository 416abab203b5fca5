"""Project files: round trips, atomic saves, and refusals that never run code."""

import os
import pickle
import zipfile
from pathlib import Path

import pytest
import torch

from nnstudio.core.errors import ProjectFileError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.project.files import (
    Project,
    load_project,
    project_bytes,
    save_project,
)
from nnstudio.core.project.weights import import_state_dict

SPEC = PRESETS["spiral-relu"].spec


class _Evil:
    """Unpickling this would create a marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _project(seed: int = 0) -> Project:
    weights = build_model(SPEC, seed=seed).state_dict()
    history = [{"run": 1, "epochs": [{"epoch": 1, "val_loss": 0.5}]}]
    return Project(SPEC, {"lr": 0.01, "epochs": 3}, weights, history)


def test_round_trip(tmp_path) -> None:
    path = tmp_path / "网络 project.nnstudio"  # Chinese characters and spaces
    project = _project()
    save_project(path, project)
    again = load_project(path)
    assert again.spec == project.spec and again.config == project.config
    assert again.history == project.history
    assert all(
        torch.equal(again.weights[k], project.weights[k]) for k in project.weights
    )
    assert set(zipfile.ZipFile(path).namelist()) == {
        "meta.json",
        "spec.json",
        "config.json",
        "history.json",
        "weights.safetensors",
        "data.json",
    }


def test_untrained_project_has_no_weights(tmp_path) -> None:
    save_project(tmp_path / "a.nnstudio", Project(SPEC))
    assert load_project(tmp_path / "a.nnstudio").weights is None


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty, corrupt or truncated"),
        (os.urandom(2048), "empty, corrupt or truncated"),
        ("truncate", "corrupt or truncated"),
    ],
)
def test_corrupt_files_are_refused(tmp_path, content, fragment) -> None:
    path = tmp_path / "bad.nnstudio"
    if content == "truncate":
        content = project_bytes(_project())[:-200]
    path.write_bytes(content)
    with pytest.raises(ProjectFileError, match=fragment):
        load_project(path)


def _zip_with(path: Path, **entries: bytes) -> None:
    base = zipfile.ZipFile(__import__("io").BytesIO(project_bytes(_project())))
    with zipfile.ZipFile(path, "w") as out:
        for name in base.namelist():
            out.writestr(name, entries.pop(name, base.read(name)))
        for name, data in entries.items():
            out.writestr(name, data)


def test_newer_format_and_missing_spec(tmp_path) -> None:
    _zip_with(tmp_path / "new.nnstudio", **{"meta.json": b'{"format_version": 7}'})
    with pytest.raises(ProjectFileError, match="newer nnstudio"):
        load_project(tmp_path / "new.nnstudio")
    _zip_with(tmp_path / "spec.nnstudio", **{"spec.json": b'{"input_shape": [2]}'})
    with pytest.raises(ProjectFileError, match="'layers' must be a list"):
        load_project(tmp_path / "spec.nnstudio")


def test_weights_that_do_not_fit_are_named(tmp_path) -> None:
    other = Project(PRESETS["spiral-linear"].spec, {}, _project().weights)
    (tmp_path / "w.nnstudio").write_bytes(project_bytes(other))
    with pytest.raises(ProjectFileError, match="unexpected 3_linear"):
        load_project(tmp_path / "w.nnstudio")


def test_pickle_in_project_never_runs(tmp_path) -> None:
    marker = tmp_path / "pwned"
    _zip_with(
        tmp_path / "evil.nnstudio",
        **{"weights.safetensors": pickle.dumps(_Evil(marker))},
    )
    with pytest.raises(ProjectFileError, match="weights are corrupt"):
        load_project(tmp_path / "evil.nnstudio")
    assert not marker.exists()


def test_pickle_bearing_pt_is_refused_without_running(tmp_path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "model.pt"
    torch.save({"1_linear.weight": _Evil(marker)}, path)
    with pytest.raises(ProjectFileError) as info:
        import_state_dict(path, SPEC)
    assert not marker.exists()
    assert "refused" in str(info.value) and "weights_only" not in str(info.value)


def test_plain_state_dict_imports_and_mismatch_is_named(tmp_path) -> None:
    weights = build_model(SPEC, seed=3).state_dict()
    torch.save(weights, tmp_path / "ok.pth")
    loaded = import_state_dict(tmp_path / "ok.pth", SPEC)
    assert all(torch.equal(loaded[k], weights[k]) for k in weights)
    weights["1_linear.weight"] = torch.zeros(5, 2)
    torch.save(weights, tmp_path / "bad.pth")
    with pytest.raises(ProjectFileError, match=r"1_linear.weight is \[5, 2\]"):
        import_state_dict(tmp_path / "bad.pth", SPEC)


def test_failed_save_keeps_previous_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "keep.nnstudio"
    save_project(path, _project(seed=1))
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(
        ProjectFileError, match="disk is full.*previous file is unchanged"
    ):
        save_project(path, _project(seed=2))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nnstudio"]  # no temp left


def test_read_only_folder(tmp_path, monkeypatch) -> None:
    import errno

    from nnstudio.core import fileio

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fileio, "_create_temporary", denied)
    with pytest.raises(ProjectFileError, match="read-only"):
        save_project(tmp_path / "x.nnstudio", _project())
