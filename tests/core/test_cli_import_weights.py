"""`nnstudio import-weights PROJECT WEIGHTS` through the real entry point."""

from __future__ import annotations

import pickle

import torch
from safetensors.torch import save_file

from nnstudio.cli import main
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.project.files import Project, load_project, save_project

PRESET = "spiral-relu"


def _untrained_project(tmp_path):
    path = tmp_path / "net.nnstudio"
    preset = PRESETS[PRESET]
    save_project(path, Project(preset.spec, preset.train_config().to_dict()))
    return path


def _weights(seed: int) -> dict[str, torch.Tensor]:
    return build_model(PRESETS[PRESET].spec, seed=seed).state_dict()


def test_a_state_dict_goes_into_the_project(tmp_path, capsys) -> None:
    project = _untrained_project(tmp_path)
    weights = _weights(seed=7)
    torch.save(weights, tmp_path / "w.pt")
    assert main(["import-weights", str(project), str(tmp_path / "w.pt")]) == 0
    loaded = load_project(project).weights
    assert loaded is not None and set(loaded) == set(weights)
    assert all(torch.equal(loaded[k], weights[k]) for k in weights)
    assert "imported" in capsys.readouterr().out


def test_safetensors_to_another_output(tmp_path) -> None:
    project = _untrained_project(tmp_path)
    weights = _weights(seed=3)
    save_file(weights, tmp_path / "w.safetensors")
    out = tmp_path / "trained.nnstudio"
    weights_file = str(tmp_path / "w.safetensors")
    assert main(["import-weights", str(project), weights_file, "-o", str(out)]) == 0
    assert load_project(project).weights is None  # the original is untouched
    loaded = load_project(out).weights
    assert all(torch.equal(loaded[k], weights[k]) for k in weights)


def test_weights_of_another_network_are_refused(tmp_path, capsys) -> None:
    project = _untrained_project(tmp_path)
    other = build_model(PRESETS["deep-sigmoid"].spec, seed=0).state_dict()
    torch.save(other, tmp_path / "other.pt")
    assert main(["import-weights", str(project), str(tmp_path / "other.pt")]) == 2
    assert "other.pt" in capsys.readouterr().err
    assert load_project(project).weights is None


class Payload:
    """Unpickling this would run code: weights_only loading must refuse it."""

    def __reduce__(self):
        return (print, ("this must never run",))


def test_a_pickle_with_code_is_refused_unrun(tmp_path, capsys) -> None:
    project = _untrained_project(tmp_path)
    bad = tmp_path / "evil.pt"
    with open(bad, "wb") as f:
        pickle.dump({"0.weight": Payload()}, f)
    assert main(["import-weights", str(project), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "this must never run" not in captured.out
    assert "evil.pt" in captured.err and load_project(project).weights is None
