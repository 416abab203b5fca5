"""`nnstudio train` and `nnstudio evaluate` through the real entry point."""

from __future__ import annotations

import json
import time

import pytest
from safetensors.torch import load_file

from nnstudio.cli import main
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.project.files import load_project


def _json_line(capsys) -> dict:
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_train_json_has_the_promised_keys(capsys) -> None:
    assert main(["train", "spiral-relu", "--epochs", "2", "--json"]) == 0
    result = _json_line(capsys)
    for key in ("epochs", "train_loss", "val_loss", "val_accuracy", "samples_per_s",
                "device", "stopped_reason", "grad_norms"):
        assert key in result
    assert result["epochs"] == 2 and result["device"] == "cpu"
    assert result["stopped_reason"] is None
    assert 0 <= result["val_accuracy"] <= 1 and result["samples_per_s"] > 0
    assert len(result["grad_norms"]) == 2  # two Linear layers, input side first
    assert all(g > 0 for g in result["grad_norms"])


def test_progress_goes_to_stderr_without_json(capsys) -> None:
    assert main(["train", "spiral-relu", "--epochs", "1", "--no-probes"]) == 0
    captured = capsys.readouterr()
    assert "epoch 1/1" in captured.err and "loss" in captured.err
    assert "ETA" in captured.err
    assert "validation accuracy" in captured.out


@pytest.mark.parametrize("argv, words", [
    (["--lr", "-0.1"], "learning rate"),
    (["--lr", "abc"], "not a number"),
    (["--batch-size", "0"], "batch size"),
    (["--optimizer", "adamx"], "unknown optimizer"),
    (["--epochs", "0"], "epochs"),
    (["--loss", "hinge"], "unknown loss"),
    (["--momentum", "1.5"], "momentum"),
    (["--schedule", "linear"], "schedule"),
    (["--init", "glorot"], "init"),
    (["--dataset", "no-such-set"], "no-such-set"),
    (["--loss", "mse", "--dataset", "sincos"], "outputs but the dataset needs 1"),
])
def test_bad_values_exit_2_with_one_line(capsys, argv, words) -> None:
    assert main(["train", "spiral-relu", *argv]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nnstudio: ")
    assert words in lines[0]
    assert captured.out == ""


def test_numbers_as_people_type_them(capsys) -> None:
    argv = ["train", "spiral-relu", "--epochs", "1", "--lr", "０．０２",
            "--weight-decay", "0,001", "--json"]
    assert main(argv) == 0
    assert _json_line(capsys)["epochs"] == 1


def test_backprop_example_then_export_gives_the_worked_weights(tmp_path,
                                                               capsys) -> None:
    project = tmp_path / "bp.nnstudio"
    weights = tmp_path / "weights.safetensors"
    assert main(["train", "backprop-2-2-2", "--dataset", "backprop-example",
                 "--optimizer", "sgd", "--lr", "0.5", "--batch-size", "1",
                 "--save", str(project), "--json"]) == 0
    assert main(["export", str(project), "--to", str(weights)]) == 0
    w = load_file(weights)
    assert w["3_linear.weight"].flatten().tolist() == pytest.approx(
        [0.35891648, 0.408666186, 0.511301270, 0.561370121], abs=1e-7)
    assert w["1_linear.weight"].flatten().tolist() == pytest.approx(
        [0.149780716, 0.19956143, 0.24975114, 0.29950229], abs=1e-7)
    assert w["1_linear.bias"].item() == pytest.approx(0.35)  # bias not trained
    capsys.readouterr()


def test_ten_thousand_epochs_of_backprop_take_seconds(capsys) -> None:
    start = time.perf_counter()
    assert main(["train", "backprop-2-2-2", "--epochs", "10000", "--json"]) == 0
    result = _json_line(capsys)
    assert result["epochs"] == 10000 and result["train_loss"] < 1e-3
    assert time.perf_counter() - start < 30  # about 3 s on an idle 2-core laptop


def test_save_resume_and_evaluate(tmp_path, capsys) -> None:
    project = tmp_path / "spiral.nnstudio"
    assert main(["train", "spiral-relu", "--epochs", "3", "--save", str(project),
                 "--json"]) == 0
    first = _json_line(capsys)
    saved = load_project(project)
    assert saved.weights is not None and len(saved.history) == 1
    record = saved.history[0]
    assert record["settings"]["config"]["epochs"] == 3
    assert len(record["epochs"]) == 3
    assert list(record["grad_norm_summary"]) == ["1_linear", "3_linear"]
    assert record["final"]["stopped_reason"] is None

    assert main(["train", str(project), "--resume", "--epochs", "2", "--save",
                 str(project), "--json"]) == 0
    resumed = _json_line(capsys)
    assert resumed["val_loss"] < first["val_loss"]
    history = load_project(project).history  # the continuation is the same run
    assert len(history) == 1 and history[0]["epochs_done"] == 5

    assert main(["evaluate", str(project), "--dataset", "spiral", "--json"]) == 0
    score = _json_line(capsys)
    assert score["samples"] == 900
    assert score["accuracy"] > 0.8 and score["loss"] > 0


def test_evaluate_refuses_an_untrained_or_mismatched_project(tmp_path, capsys) -> None:
    project = tmp_path / "s.nnstudio"
    assert main(["train", "spiral-relu", "--epochs", "1", "--save", str(project),
                 "--json"]) == 0
    assert main(["evaluate", str(project), "--dataset", "moons"]) == 2
    assert "outputs" in capsys.readouterr().err
    assert main(["train", "spiral-relu", "--resume"]) == 2
    assert "--resume" in capsys.readouterr().err


def test_huge_learning_rate_reports_nan_or_inf(capsys) -> None:
    code = main(["train", "spiral-relu", "--lr", "1e6", "--json"])
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert code == 1
    reason = result["stopped_reason"]
    assert "NaN" in reason or "Inf" in reason
    assert "learning rate" in captured.err


@pytest.mark.parametrize("option, value, words", [
    ("--epochs", "ten", "epochs must be a whole number"),
    ("--batch-size", "0,5", "batch size must be a whole number"),
    ("--epochs", "1e3", "epochs"),
    ("--seed", "x", "seed"),
])
def test_whole_number_typos_are_one_line(capsys, option, value, words) -> None:
    assert main(["train", "spiral-relu", option, value]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


def test_full_width_whole_numbers(capsys) -> None:
    assert main(["train", "spiral-relu", "--epochs", "２", "--json"]) == 0
    assert _json_line(capsys)["epochs"] == 2
    assert main(["train", "backprop-2-2-2", "--epochs", "1,000", "--json"]) == 0
    assert _json_line(capsys)["epochs"] == 1000


def test_shape_warnings_are_printed(tmp_path, capsys) -> None:
    from nnstudio.core.network.layers import LayerSpec

    spec = PRESETS["spiral-relu"].spec
    path = tmp_path / "softmax.json"
    path.write_text(spec.insert(3, LayerSpec("Softmax")).to_json(), "utf-8")
    assert main(["train", str(path), "--epochs", "1", "--no-probes"]) == 0
    err = capsys.readouterr().err
    assert "nnstudio: warning:" in err and "Softmax" in err


def test_a_failed_run_does_not_replace_the_saved_project(tmp_path, capsys) -> None:
    path = tmp_path / "mine.nnstudio"
    assert main(["train", "spiral-relu", "--epochs", "1", "--save", str(path)]) == 0
    before = path.read_bytes()
    assert main(["train", "spiral-relu", "--optimizer", "sgd", "--lr", "1e5",
                 "--save", str(path)]) == 1
    assert path.read_bytes() == before
    lines = capsys.readouterr().err.strip().splitlines()
    assert "was not saved" in lines[-2] and "learning rate" in lines[-1]


def test_failure_messages_in_chinese(monkeypatch) -> None:
    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.training.loop import fit

    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    preset = PRESETS["spiral-relu"]
    summary = fit(preset.spec, load_dataset("spiral"),
                  preset.train_config(optimizer="sgd", lr=1e6, probes=False))
    assert summary.finished.reason == "failed"
    assert "学习率" in summary.finished.message
