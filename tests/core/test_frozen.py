"""Frozen layers: the spec carries them, the shape check counts them, training
leaves them bit-identical, and the frozen-body cache changes nothing but speed."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.errors import ConfigError, SpecError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.frozen import freeze_first, frozen_prefix, param_groups
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training import loop, run_setup
from nnstudio.core.training.config import TrainConfig


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def _cnn(freeze: int = 0) -> NetworkSpec:
    layers = [
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
        LayerSpec("BatchNorm"),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Dropout", {"p": 0.2}),
        LayerSpec("Linear", {"out_features": 16}),
        LayerSpec("ReLU"),
        LayerSpec("Linear", {"out_features": 10}),
    ]
    return freeze_first(NetworkSpec((1, 8, 8), tuple(layers)), freeze)


def _config(**changes) -> TrainConfig:
    base = TrainConfig(dataset="digits", epochs=2, batch_size=64, lr=0.05,
                       optimizer="sgd", momentum=0.9, weight_decay=1e-3, probes=False)
    return dataclasses.replace(base, **changes)


def test_frozen_and_lr_factor_round_trip_through_json() -> None:
    spec = _cnn(2)
    layers = list(spec.layers)
    layers[5] = dataclasses.replace(layers[5], lr_factor=0.1)
    spec = spec.with_layers(layers)
    again = NetworkSpec.from_json(spec.to_json())
    assert [layer.frozen for layer in again.layers] == [True, True] + [False] * 6
    assert again.layers[5].lr_factor == pytest.approx(0.1)
    assert again == spec
    assert "frozen" not in spec.layers[3].to_dict()  # defaults stay out of the file
    assert again.layers[0].with_params(out_channels=8).frozen


@pytest.mark.parametrize("entry", [{"kind": "ReLU", "frozen": "yes"},
                                   {"kind": "ReLU", "lr_factor": -1}])
def test_bad_training_fields_are_refused(entry) -> None:
    with pytest.raises(SpecError):
        LayerSpec.from_dict(entry)


def test_shape_check_counts_trainable_and_frozen() -> None:
    free, frozen = check(_cnn(0)), check(_cnn(2))
    conv_and_bn = sum(r.params for r in frozen.layers[:2])
    assert conv_and_bn > 0
    assert frozen.frozen_params == conv_and_bn
    assert frozen.trainable_params == free.total_params - conv_and_bn
    assert free.frozen_params == 0


def test_freeze_first_checks_the_range() -> None:
    with pytest.raises(ConfigError):
        freeze_first(_cnn(), 99)
    assert frozen_prefix(_cnn(3)) == 3
    assert frozen_prefix(_cnn(8)) == 0  # nothing trainable after the body


def test_frozen_layers_are_bit_identical_after_training(digits) -> None:
    spec = _cnn(2)
    model = build_model(spec, seed=3)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    summary = loop.fit(spec, digits, _config(), model=model)
    assert summary.finished.reason == "finished", summary.finished.message
    after = summary.weights
    for key in ("1_conv2d.weight", "1_conv2d.bias", "2_batchnorm.weight",
                "2_batchnorm.running_mean", "2_batchnorm.running_var"):
        assert torch.equal(after[key], before[key]), key
    assert not torch.equal(after["6_linear.weight"], before["6_linear.weight"])


def test_param_groups_leave_frozen_out_and_scale_lr() -> None:
    spec = _cnn(2)
    layers = list(spec.layers)
    layers[7] = dataclasses.replace(layers[7], lr_factor=0.5)
    spec = spec.with_layers(layers)
    model = build_model(spec, seed=0)
    from nnstudio.core.network.frozen import apply_frozen

    apply_frozen(model, spec)
    groups = param_groups(model, spec, 0.1)
    assert [g["lr"] for g in groups] == pytest.approx([0.1, 0.05])
    ids = {id(p) for g in groups for p in g["params"]}
    assert not any(id(p) in ids for p in model[0].parameters())
    assert all(id(p) in ids for p in model[7].parameters())


def test_all_frozen_is_refused_in_plain_words(digits) -> None:
    spec = _cnn(8)
    summary = loop.fit(spec, digits, _config(epochs=1))
    assert summary.finished.reason == "failed"
    assert "frozen" in summary.finished.message


def test_cached_body_trains_exactly_like_the_uncached(digits, monkeypatch) -> None:
    spec = _cnn(5)
    calls = []
    real = run_setup._features
    monkeypatch.setattr(run_setup, "_features", lambda *a: calls.append(1) or real(*a))
    cached = loop.fit(spec, digits, _config(seed=1))
    assert len(calls) == 2  # the body ran once over training and validation data
    monkeypatch.setattr(run_setup, "CACHE_FROZEN_BODY", False)
    plain = loop.fit(spec, digits, _config(seed=1))
    assert cached.finished.reason == plain.finished.reason == "finished"
    assert cached["val_loss"] == pytest.approx(plain["val_loss"], rel=1e-4)
    for key, value in plain.weights.items():
        assert torch.allclose(cached.weights[key], value, atol=1e-5), key


def test_freezing_keeps_the_architecture_and_the_start_point() -> None:
    """Frozen/lr factor say how a layer trains, not what it is: kept weights and a
    start point still fit after a layer is frozen, not after it is resized."""
    from nnstudio.core.network.pretrained import StartPoint, TransferReport
    from nnstudio.core.provenance import network_fingerprint

    spec = _cnn(0)
    model = build_model(spec, seed=0)
    point = StartPoint.make(spec, model, TransferReport("x"))
    frozen = _cnn(3)
    assert network_fingerprint(frozen) == network_fingerprint(spec)
    again = point.model_for(frozen, seed=1)
    assert torch.equal(again[0].weight, model[0].weight)
    wider = spec.replace_layer(5, LayerSpec("Linear", {"out_features": 32}))
    assert point.model_for(wider) is None
