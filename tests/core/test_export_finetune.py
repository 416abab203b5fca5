"""Exports of fine-tuned networks: the script keeps frozen layers frozen and the
learning-rate factors, and the pretrained weights' preprocessing travels with the
script and the ONNX metadata."""

from __future__ import annotations

import dataclasses
import json
import runpy
import sys

import pytest
import torch

from nnstudio.core.export.data import Recipe
from nnstudio.core.export.formats import export
from nnstudio.core.export.script import script_text
from nnstudio.core.network.frozen import freeze_first
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.resolve import Resolved
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig


def _spec() -> NetworkSpec:
    spec = freeze_first(NetworkSpec((1, 8, 8), (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
        LayerSpec("BatchNorm"),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 10}),
    )), 2)
    layers = list(spec.layers)
    layers[4] = dataclasses.replace(layers[4], lr_factor=0.5)
    return spec.with_layers(layers)


def test_script_trains_only_the_unfrozen_layers(tmp_path, monkeypatch, capsys):
    config = TrainConfig(dataset="digits", epochs=1, seed=2, lr=0.1,
                         optimizer="sgd", momentum=0.9)
    path = tmp_path / "tuned.py"
    path.write_text(script_text(_spec(), config, Recipe.from_config(config)),
                    encoding="utf-8")
    namespace = runpy.run_path(str(path), run_name="exported")
    torch.manual_seed(2)
    before = namespace["Net"]().state_dict()
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(path), "--device", "cpu"])
    runpy.run_path(str(path), run_name="__main__")
    assert "epoch 1/1" in capsys.readouterr().out
    after = torch.load(tmp_path / "model.pt", weights_only=True)
    for key in ("1_conv2d.weight", "2_batchnorm.weight", "2_batchnorm.running_mean"):
        assert torch.equal(after[key], before[key]), key
    assert not torch.equal(after["5_linear.weight"], before["5_linear.weight"])
    text = path.read_text(encoding="utf-8")
    assert "net.param_groups(args.lr)" in text and "0.5" in text


def _backbone_spec() -> NetworkSpec:
    return NetworkSpec((3, 32, 32), (
        LayerSpec("SqueezeNet11", {"weights": "imagenet"}, frozen=True),
        LayerSpec("Linear", {"out_features": 3}),
    ))


def test_script_carries_the_weights_preprocessing() -> None:
    config = TrainConfig(dataset="cifar10", epochs=1)
    text = script_text(_backbone_spec(), config, Recipe.from_config(config))
    assert "PREPROCESSING = " in text and "0.485" in text and "0.229" in text
    assert 'data._replace(mean=tuple(PREPROCESSING["mean"])' in text
    assert "load_pretrained(model, {'1_squeezenet11': 'squeezenet1_1'})" in text


def test_onnx_metadata_has_the_preprocessing(tmp_path) -> None:
    pytest.importorskip("onnxscript")
    onnx = pytest.importorskip("onnx")
    spec = _backbone_spec()
    export(Resolved(spec, TrainConfig()), tmp_path / "net.onnx")
    model = onnx.load(str(tmp_path / "net.onnx"))
    meta = {p.key: p.value for p in model.metadata_props}
    prep = json.loads(meta["nnstudio.preprocessing"])
    assert prep["mean"] == pytest.approx([0.485, 0.456, 0.406])
    assert prep["crop"] == 224 and prep["weights"] == "squeezenet1_1"


def test_training_normalizes_with_the_weights_statistics() -> None:
    from nnstudio.core.datasets.base import Data
    from nnstudio.core.pretrained import adapt_data

    x = torch.zeros(4, 3, 8, 8, dtype=torch.uint8)
    data = Data("d", "classification", (3, 8, 8), ("a", "b"), x, torch.tensor(
        [0, 1, 0, 1]), x, torch.tensor([0, 1, 0, 1]), mean=(0.1,) * 3, std=(0.2,) * 3)
    adapted = adapt_data(_backbone_spec(), data)
    assert adapted.mean == pytest.approx((0.485, 0.456, 0.406))
    plain = NetworkSpec((3, 8, 8), (LayerSpec("Flatten"), LayerSpec(
        "Linear", {"out_features": 2})))
    assert adapt_data(plain, data) is data
