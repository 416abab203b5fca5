"""`nnstudio train NET --pretrained SOURCE --freeze N`: the contract of issue 15."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import save_file

from nnstudio.cli import main
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import load_project


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _net(path, classes: int = 10):
    layers = (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 16}),
        LayerSpec("ReLU"),
        LayerSpec("Linear", {"out_features": classes}),
    )
    path.write_text(NetworkSpec((1, 8, 8), layers).to_json(), encoding="utf-8")
    return str(path)


def _json_line(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("source")
    project = folder / "body.nnstudio"
    argv = ["train", _net(folder / "net.json"), "--dataset", "digits", "--epochs", "2",
            "--lr", "0.05", "--no-probes", "--save", str(project), "--json"]
    assert main(argv) == 0
    return project


def test_pretrained_project_with_frozen_body(source, tmp_path, capsys) -> None:
    capsys.readouterr()
    weights = load_project(source).weights
    out = tmp_path / "tuned.nnstudio"
    argv = ["train", _net(tmp_path / "net.json"), "--dataset", "digits",
            "--pretrained", str(source), "--freeze", "4", "--epochs", "2",
            "--no-probes", "--save", str(out), "--json"]
    assert main(argv) == 0
    result = _json_line(capsys)
    tuned = load_project(out)
    for key in ("1_conv2d.weight", "1_conv2d.bias", "4_linear.weight",
                "4_linear.bias"):
        assert torch.equal(tuned.weights[key], weights[key]), key  # bit-identical
    assert not torch.equal(tuned.weights["6_linear.weight"], weights["6_linear.weight"])
    frozen = sum(weights[k].numel() for k in ("1_conv2d.weight", "1_conv2d.bias",
                                              "4_linear.weight", "4_linear.bias"))
    assert result["frozen_params"] == frozen
    assert result["trainable_params"] == weights["6_linear.weight"].numel() + 10
    assert result["pretrained"]["took_weights"] == ["1 conv2d", "4 linear", "6 linear"]
    assert [layer.frozen for layer in tuned.spec.layers] == [True] * 4 + [False] * 2


def test_new_head_starts_fresh_and_is_reported(source, tmp_path, capsys) -> None:
    capsys.readouterr()
    argv = ["train", _net(tmp_path / "net.json", classes=10), "--dataset", "digits",
            "--pretrained", str(source), "--freeze", "3", "--epochs", "1",
            "--no-probes"]
    # the same stack with a 10-way head takes everything; now a wider hidden layer
    spec = NetworkSpec.from_json((tmp_path / "net.json").read_text(encoding="utf-8"))
    wider = spec.replace_layer(3, LayerSpec("Linear", {"out_features": 32}))
    (tmp_path / "net.json").write_text(wider.to_json(), encoding="utf-8")
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "1 conv2d took weights" in err
    assert "4 linear" in err.split("start fresh")[0].split(";")[-1]


def test_safetensors_source(source, tmp_path, capsys) -> None:
    weights = load_project(source).weights
    path = tmp_path / "body.safetensors"
    save_file({k: v.contiguous() for k, v in weights.items()}, str(path))
    capsys.readouterr()
    argv = ["train", _net(tmp_path / "net.json"), "--dataset", "digits",
            "--pretrained", str(path), "--freeze", "1", "--epochs", "1",
            "--no-probes", "--json"]
    assert main(argv) == 0
    result = _json_line(capsys)
    assert "1 conv2d" in result["pretrained"]["took_weights"]
    assert result["frozen_params"] == 4 * 9 + 4


def test_json_always_has_the_counts(capsys) -> None:
    assert main(["train", "spiral-relu", "--epochs", "1", "--no-probes",
                 "--json"]) == 0
    result = _json_line(capsys)
    assert result["frozen_params"] == 0 and result["trainable_params"] == 603


@pytest.mark.parametrize("argv, words", [
    (["--freeze", "99"], "--freeze 99"),
    (["--freeze", "x"], "whole number"),
    (["--pretrained", "no-such-model"], "not a .nnstudio project"),
])
def test_bad_sources_exit_2(argv, words, capsys) -> None:
    assert main(["train", "spiral-relu", "--epochs", "1", *argv]) == 2
    assert words in capsys.readouterr().err


def test_bundled_mnist_body_fits_the_cnn_mnist_preset() -> None:
    """`--pretrained mnist-cnn` is offline: the weights ship in assets/."""
    from nnstudio.core.network.build import build_model
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.network.pretrained import read_source, transfer

    spec = PRESETS["cnn-mnist"].spec
    head = LayerSpec("Linear", {"out_features": 4})
    model = build_model(spec.replace_layer(len(spec.layers) - 1, head), seed=0)
    report = transfer(model, read_source("mnist-cnn"), "mnist-cnn")
    assert report.took == ("1 conv2d", "4 conv2d", "8 linear")
    assert report.fresh == ("10 linear",)


def test_the_bundled_body_reads_digits(shared_mnist) -> None:
    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.network.pretrained import read_source
    from nnstudio.core.training.evaluate import score_model

    model = build_model_from(PRESETS["cnn-mnist"].spec, read_source("mnist-cnn"))
    scores = score_model(model, load_dataset(str(shared_mnist)), "cross-entropy",
                         torch.device("cpu"))
    assert scores.accuracy > 0.95


def build_model_from(spec, weights):
    from nnstudio.core.network.build import build_model

    model = build_model(spec)
    model.load_state_dict(weights)
    return model.eval()


def test_summary_counts_trainable_and_frozen(capsys) -> None:
    assert main(["summary", "resnet34-finetune", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["trainable_params"] == 512 * 10 + 10
    assert result["frozen_params"] == result["total_parameters"] - 5130
    assert [row["frozen"] for row in result["layers"]] == [True, True, False]
