"""`nnstudio train` and the coach: diagnoses, --train-samples, --dataset-option,
--resume as a continuation, restored_epoch, Adadelta."""

from __future__ import annotations

import json

import pytest

from nnstudio.cli import main
from nnstudio.core.project.files import load_project


def _json_line(capsys) -> dict:
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_json_diagnoses_empty_for_a_healthy_run(capsys) -> None:
    argv = ["train", "spiral-relu", "--epochs", "25", "--dataset-option", "size=60",
            "--json"]
    assert main(argv) == 0
    result = _json_line(capsys)
    assert result["diagnoses"] == []
    assert result["restored_epoch"] is None


def test_json_and_words_name_the_spiral_linear_underfit(capsys) -> None:
    argv = ["train", "spiral-linear", "--epochs", "25", "--dataset-option", "size=60"]
    assert main([*argv, "--json"]) == 0
    assert _json_line(capsys)["diagnoses"] == ["underfitting"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    coach = [line for line in lines if "coach:" in line]
    assert len(coach) == 1 and "Underfitting" in coach[0] and "ReLU" in coach[0]


def test_train_samples_and_dataset_options(tmp_path, capsys) -> None:
    argv = ["train", "mlp-fashion", "--dataset", "digits", "--dataset-option",
            "upsample=true", "--train-samples", "40", "--epochs", "1", "--no-probes",
            "--json"]
    assert main(argv) == 0
    result = _json_line(capsys)
    assert result["epochs"] == 1
    # upsample=true gave 28x28 images: the MLP's input shape is the dataset's
    path = tmp_path / "noisy.nnstudio"
    argv = ["train", "spiral-relu", "--dataset-option", "noise=0.3", "--dataset-option",
            "size=20", "--epochs", "1", "--save", str(path), "--json"]
    assert main(argv) == 0
    assert load_project(path).config["dataset_options"] == {"noise": 0.3, "size": 20}


@pytest.mark.parametrize(("option", "words"), [
    ("noise", "KEY=VALUE"),
    ("=3", "KEY=VALUE"),
    ("colour=red", "colour"),
    ("upsample=maybe", "upsample"),
])
def test_bad_dataset_options_exit_2_with_one_line(capsys, option, words) -> None:
    dataset = "digits" if "upsample" in option else "spiral"
    argv = ["train", "spiral-relu", "--dataset", dataset, "--dataset-option", option,
            "--epochs", "1"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "Traceback" not in err[0]


def test_bad_train_samples_exit_2(capsys) -> None:
    assert main(["train", "spiral-relu", "--train-samples", "-3"]) == 2
    assert "train samples" in capsys.readouterr().err


def test_early_stopping_json_names_the_restored_epoch(capsys) -> None:
    argv = ["train", "spiral-relu", "--optimizer", "sgd", "--lr", "0.5", "--epochs",
            "200", "--patience", "2", "--no-probes", "--dataset-option", "size=60",
            "--json"]
    assert main(argv) == 0
    result = _json_line(capsys)
    assert result["stopped_reason"] and result["epochs"] < 200
    assert 1 <= result["restored_epoch"] <= result["epochs"] - 2


def test_resume_continues_the_same_run(tmp_path, capsys) -> None:
    path = tmp_path / "run.nnstudio"
    assert main(["train", "spiral-relu", "--epochs", "3", "--lr", "0.02",
                 "--dataset-option", "size=60", "--save", str(path), "--json"]) == 0
    first = _json_line(capsys)
    assert main(["train", str(path), "--resume", "--epochs", "2", "--save",
                 str(path), "--json"]) == 0
    second = _json_line(capsys)
    project = load_project(path)
    assert len(project.history) == 1  # one run, continued
    run = project.history[0]
    assert [e["epoch"] for e in run["epochs"]] == [1, 2, 3, 4, 5]
    assert run["epochs_done"] == 5 and run["continued_at"] == [3]
    assert project.config["lr"] == 0.02 and project.config["epochs"] == 2
    assert second["train_loss"] < first["train_loss"]  # it went on, not restarted


def test_adadelta_trains(capsys) -> None:
    argv = ["train", "spiral-relu", "--optimizer", "adadelta", "--lr", "1.0",
            "--epochs", "30", "--dataset-option", "size=60", "--json"]
    assert main(argv) == 0
    result = _json_line(capsys)
    assert result["train_loss"] < 0.6 < result["val_accuracy"]  # guessing: 1.1, 33%
