"""The registry, the generated and scikit-learn datasets, and the `Data` helpers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nnstudio.core.datasets import (
    DATASETS,
    Data,
    DatasetError,
    DatasetInfo,
    dataset_names,
    describe,
    load_dataset,
)

GENERATED = {  # name -> (classes or targets, points in total by default)
    "spiral": (3, 900),
    "moons": (2, 500),
    "circles": (2, 500),
    "xor": (2, 500),
    "gaussians": (3, 600),
    "sincos": (1, 500),
    "house-prices": (1, 200),
}
SKLEARN = {  # name -> (input shape, outputs, samples)
    "digits": ((1, 8, 8), 10, 1797),
    "iris": ((4,), 3, 150),
    "wine": ((13,), 3, 178),
    "breast-cancer": ((30,), 2, 569),
    "diabetes": ((10,), 1, 442),
}
DOWNLOADED = ("mnist", "fashion-mnist", "kmnist", "cifar10")


def total(data: Data) -> int:
    return len(data.x_train) + len(data.x_val)


def check_dtypes(data: Data) -> None:
    assert data.x_train.dtype in (torch.float32, torch.uint8)
    assert data.x_val.dtype == data.x_train.dtype
    if data.task == "classification":
        assert data.y_train.dtype == data.y_val.dtype == torch.int64
        assert int(data.y_train.max()) < data.num_outputs
    else:
        assert data.y_train.dtype == torch.float32 and data.y_train.ndim == 2
        assert data.y_train.shape[1] == data.num_outputs
    assert tuple(data.x_train.shape[1:]) == data.input_shape


SEQUENCES = ("sine-forecast", "parity", "adding", "reverse")


@pytest.mark.parametrize("name", [*GENERATED, "backprop-example", *SEQUENCES, *SKLEARN])
def test_what_the_registry_declares_is_what_loads(name):
    """A dataset's declaration (task, classes, source, preview) is what the studio
    and the CLI show before loading it: it must match the data that loads."""
    info = DATASETS[name]
    assert isinstance(info, DatasetInfo) and info.name == name
    assert name in dataset_names() and set(info.description) == {"en", "zh"}
    assert info.offline == (info.source != "download")
    data = load_dataset(name)
    assert data.task == info.task and data.name == name
    if info.task == "classification":
        assert len(info.class_names) == data.num_outputs
        assert tuple(data.class_names) == tuple(info.class_names)
    else:
        assert not info.class_names
    if info.preview_kind == "points":
        assert tuple(data.input_shape) == (2,)
    elif info.preview_kind == "curve":
        assert tuple(data.input_shape) == (1,)
    elif info.preview_kind == "image":
        assert len(data.input_shape) == 3
    elif info.preview_kind == "sequence":  # (time, features)
        assert len(data.input_shape) == 2 and data.x_train.dtype == torch.float32
    elif info.preview_kind == "tokens":  # token ids (time,), one class per step
        assert len(data.input_shape) == 1 and data.x_train.dtype == torch.int64
        assert data.per_step
    else:
        assert info.preview_kind == "table" and len(data.input_shape) == 1


@pytest.mark.parametrize("name", GENERATED)
def test_generated_shapes_and_determinism(name):
    outputs, count = GENERATED[name]
    data = load_dataset(name, seed=3)
    check_dtypes(data)
    assert total(data) == count and data.num_outputs == outputs
    assert len(data.x_val) == count // 5
    again = load_dataset(name, seed=3)
    assert torch.equal(data.x_train, again.x_train)
    assert torch.equal(data.y_val, again.y_val)
    other = load_dataset(name, seed=4)
    assert not torch.equal(data.x_train, other.x_train)


@pytest.mark.parametrize("name", GENERATED)
def test_generated_size_noise_and_standardization(name):
    data = load_dataset(name, size=40, noise=0.0)
    per_class = name not in ("sincos", "house-prices")
    assert total(data) == 40 * (data.num_outputs if per_class else 1)
    mean = data.x_train.mean(dim=0)
    std = data.x_train.std(dim=0, unbiased=False)
    assert torch.allclose(mean, torch.zeros_like(mean), atol=1e-5)
    assert torch.allclose(std, torch.ones_like(std), atol=1e-4)
    assert data.options["size"] == 40 and data.options["noise"] == 0.0


def test_classification_sets_have_every_class():
    for name in ("spiral", "moons", "circles", "xor", "gaussians"):
        data = load_dataset(name)
        counts = torch.bincount(torch.cat([data.y_train, data.y_val]))
        assert len(set(counts.tolist())) == 1, name  # balanced
        assert len(data.class_names) == data.num_outputs == len(counts)


def test_class_count_option():
    data = load_dataset("spiral", classes=5, size=20)
    assert data.class_names == ("0", "1", "2", "3", "4") and total(data) == 100
    assert data.options["classes"] == 5


def test_backprop_example_is_exact_and_unscaled():
    data = load_dataset("backprop-example", seed=9)
    for x, y in ((data.x_train, data.y_train), (data.x_val, data.y_val)):
        assert x.tolist() == [[pytest.approx(0.05), pytest.approx(0.10)]]
        assert y.tolist() == [[pytest.approx(0.01), pytest.approx(0.99)]]
    assert data.task == "regression" and data.num_outputs == 2
    assert data.x_train.dtype == torch.float32


def test_sincos_targets_follow_the_formula():
    data = load_dataset("sincos", noise=0.0)
    x = data.x_train[:, 0] * data.feature_std[0] + data.feature_mean[0]
    expected = torch.sin(x) + torch.cos(x)
    assert torch.allclose(data.y_train[:, 0], expected, atol=1e-4)


@pytest.mark.parametrize("name", SKLEARN)
def test_sklearn_sets(name):
    shape, outputs, count = SKLEARN[name]
    data = load_dataset(name)
    check_dtypes(data)
    assert data.input_shape == shape and data.num_outputs == outputs
    assert total(data) == count
    assert torch.equal(load_dataset(name).x_val, data.x_val)


def test_digits_images_and_upsampling():
    data = load_dataset("digits")
    assert data.x_train.dtype == torch.uint8 and int(data.x_train.max()) == 255
    big = load_dataset("digits", upsample=True)
    assert big.input_shape == (1, 28, 28) and big.x_train.dtype == torch.uint8
    assert torch.equal(big.y_train, data.y_train)
    assert big.options["upsample"] is True


def test_diabetes_targets_are_standardized_and_recorded():
    data = load_dataset("diabetes")
    assert abs(float(data.y_train.mean())) < 1e-4
    assert data.target_std > 1.0  # raw targets range 25..346


def test_inputs_normalizes_images_per_batch():
    data = load_dataset("digits")
    batch = data.x_train[:64]
    x = data.inputs(batch)
    assert x.dtype == torch.float32 and x.device == batch.device
    expected = (batch.float() / 255 - data.mean) / data.std
    assert torch.allclose(x, expected)
    whole = data.inputs(data.x_train)
    assert abs(float(whole.mean())) < 1e-3 and abs(float(whole.std()) - 1) < 1e-2


def test_inputs_leaves_tabular_data_alone():
    data = load_dataset("iris")
    assert torch.equal(data.inputs(data.x_train), data.x_train)
    assert (data.mean, data.std) == (0.0, 1.0)


def test_to_moves_every_tensor():
    data = load_dataset("moons").to("meta")
    for name in ("x_train", "y_train", "x_val", "y_val"):
        assert getattr(data, name).device.type == "meta"
    assert data.inputs(data.x_train).device.type == "meta"


def test_preview_points_images_curves():
    points = load_dataset("spiral").preview(50)
    assert len(points) == 50
    assert all(a.shape == (2,) and label in ("0", "1", "2") for a, label in points)
    assert load_dataset("spiral").preview(50)[0][0].tolist() == points[0][0].tolist()
    images = load_dataset("digits").preview(4)
    assert all(a.shape == (8, 8) and a.dtype == np.uint8 for a, _ in images)
    curve = load_dataset("sincos").preview(3)
    assert all(a.shape == (2,) for a, _ in curve)
    assert load_dataset("iris").preview(1000)[0][0].shape == (4,)
    assert len(load_dataset("iris").preview(1000)) == 120


def test_options_reproduce_the_same_data():
    for name, kwargs in (("xor", {"seed": 5, "size": 33}), ("digits", {"seed": 2})):
        data = load_dataset(name, **kwargs)
        again = load_dataset(name, **data.options)
        assert torch.equal(data.x_train, again.x_train) and data.source_path is None


def test_describe_is_one_line_in_each_language():
    for name in dataset_names():
        line = describe(name, "en")
        assert line.startswith(name + ": ") and "\n" not in line
        assert "\n" not in describe(name, "zh")
    assert "3 classes" in describe("spiral", "en")
    assert "螺旋" in describe("spiral", "zh")


def test_names_are_forgiving():
    assert load_dataset("Breast_Cancer").name == "breast-cancer"


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: load_dataset("sprial"), "spiral, moons"),
        (lambda: load_dataset("spiral", size=0), "at least 1"),
        (lambda: load_dataset("spiral", size=-5), "at least 1"),
        (lambda: load_dataset("spiral", noise=float("nan")), "noise"),
        (lambda: load_dataset("spiral", classes=1), "only one class"),
        (lambda: load_dataset("spiral", colour="red"), "no option 'colour'"),
        (lambda: load_dataset("spiral", classes="many"), "'classes'"),
        (lambda: load_dataset("sincos", size=1), "at least 2"),
        (lambda: load_dataset("./no/such/folder"), "Cannot read"),
        (lambda: describe("nope"), "Known datasets"),
    ],
)
def test_errors_are_one_plain_line(call, words):
    with pytest.raises(DatasetError) as info:
        call()
    message = str(info.value)
    assert words in message and "\n" not in message and "Traceback" not in message


def test_spiral_needs_a_hidden_layer():
    """Linear(100)-ReLU-Linear(3) learns the spiral; a linear model cannot."""
    data = load_dataset("spiral")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: threads only add overhead
    try:
        hidden = _val_accuracy(data, hidden=100)
        linear = _val_accuracy(data, hidden=0)
    finally:
        torch.set_num_threads(threads)
    assert hidden >= 0.95 and linear <= 0.65


def _val_accuracy(data: Data, hidden: int) -> float:
    torch.manual_seed(0)
    if hidden:
        layers = [
            torch.nn.Linear(2, hidden),
            torch.nn.ReLU(),
            torch.nn.Linear(hidden, 3),
        ]
    else:
        layers = [torch.nn.Linear(2, 3)]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(400):
        loss = torch.nn.functional.cross_entropy(model(data.x_train), data.y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return float((model(data.x_val).argmax(1) == data.y_val).float().mean())
