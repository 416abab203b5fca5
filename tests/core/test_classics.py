"""The classic architectures of issue 15: DenseBlock's channel growth, the new
presets' shapes, their Learn more text, and the house price reaching least squares."""

from __future__ import annotations

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.lessons.experiments import topic, topics
from nnstudio.core.lessons.least_squares import compare, least_squares
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.loop import fit

NEW = ("alexnet-mini", "densenet-mini", "house-price", "resnet34-finetune")


@pytest.mark.parametrize("growth, layers, channels", [(12, 4, 16), (5, 3, 7)])
def test_dense_block_grows_channels(growth, layers, channels) -> None:
    spec = NetworkSpec((channels, 9, 9), (
        LayerSpec("DenseBlock", {"growth_rate": growth, "layers": layers}),))
    report = check(spec)
    assert report.ok, report.problems
    assert report.layers[0].out_shape == (channels + growth * layers, 9, 9)
    model = build_model(spec, seed=0)
    x = torch.randn(2, channels, 9, 9)
    out = model(x)
    assert torch.equal(out[:, :channels], x)  # the input travels on, concatenated
    convs = sum(1 for m in model.modules() if isinstance(m, torch.nn.Conv2d))
    assert convs == layers and report.total_params == sum(
        p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", NEW)
def test_new_presets_check_and_have_learn_more(name) -> None:
    preset = PRESETS[name]
    report = check(preset.spec, num_outputs=10 if name != "house-price" else 1)
    assert report.ok, [p.message() for p in report.problems]
    assert name in topics()
    t = topic(name)
    assert t.family == "architecture"
    for part in (t.description, t.when):
        assert part["en"] and part["zh"] and part["en"] != part["zh"]
    assert any(ch.isdigit() for ch in t.description["en"])  # its year


def test_alexnet_mini_shapes_a_32_pixel_image() -> None:
    model = build_model(PRESETS["alexnet-mini"].spec, seed=0).eval()
    assert model(torch.rand(2, 3, 32, 32)).shape == (2, 10)
    first = PRESETS["alexnet-mini"].spec.layers[0]
    assert first["kernel_size"] >= 5 and first["stride"] >= 2


def test_resnet34_finetune_is_a_frozen_body_and_a_new_head() -> None:
    spec = PRESETS["resnet34-finetune"].spec
    assert [layer.frozen for layer in spec.layers] == [True, True, False]
    report = check(spec)
    assert report.trainable_params == 512 * 10 + 10
    assert report.layers[0].out_shape == (3, 224, 224)


def test_house_price_reaches_the_least_squares_fit() -> None:
    preset = PRESETS["house-price"]
    data = load_dataset(preset.dataset)
    summary = fit(preset.spec, data, preset.train_config(probes=False))
    result = compare(preset.spec, data, summary.weights)
    assert result is not None and result["max_relative_gap"] < 1e-3
    w, b = least_squares(data)
    learned = summary.weights["1_linear.weight"].double()
    assert torch.allclose(learned, w, rtol=1e-3)
    # the oracle: numpy's polyfit on the same inputs
    import numpy as np

    x = data.inputs(data.x_train).double().numpy()[:, 0]
    slope, intercept = np.polyfit(x, data.y_train.double().numpy()[:, 0], 1)
    assert slope == pytest.approx(float(w[0, 0]), rel=1e-9)
    assert intercept == pytest.approx(float(b[0]), rel=1e-9)


def test_untrained_house_price_is_far_from_least_squares() -> None:
    preset = PRESETS["house-price"]
    data = load_dataset(preset.dataset)
    weights = build_model(preset.spec, seed=0).state_dict()
    assert compare(preset.spec, data, weights)["max_relative_gap"] > 1e-2


def test_the_run_says_the_least_squares_answer() -> None:
    preset = PRESETS["house-price"]
    summary = fit(preset.spec, load_dataset(preset.dataset),
                  preset.train_config(probes=False, epochs=300))
    assert "least squares" in summary.finished.message
    exact = summary["least_squares"]["least_squares_weight"][0]
    assert f"{exact:.4g}" in summary.finished.message
    other = fit(PRESETS["sincos"].spec, load_dataset("sincos"),
                PRESETS["sincos"].train_config(probes=False, epochs=1))
    assert "least squares" not in other.finished.message
