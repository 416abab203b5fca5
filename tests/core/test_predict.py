"""predict_array / predict_paths: probabilities, names and plain-language refusals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw
from torch import nn

from nnstudio.core.errors import PredictError
from nnstudio.core.predict.predictor import (
    Prediction,
    class_labels,
    predict_array,
    predict_paths,
)

DIGITS = tuple(str(i) for i in range(10))
FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot")  # fmt: skip


def tiny_cnn(classes: int = 10) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(4 * 12 * 12, classes),
    )  # fmt: skip


def favouring(
    index: int, classes: int = 10, last: nn.Module | None = None
) -> nn.Module:
    """A model that always answers `index` (bias only), optionally ending in `last`."""
    linear = nn.Linear(784, classes)
    with torch.no_grad():
        linear.weight.zero_()
        linear.bias.copy_(torch.arange(classes) == index).mul_(5)
    layers = [nn.Flatten(), linear] + ([last] if last is not None else [])
    return nn.Sequential(*layers)


def test_probabilities_sum_to_one_and_name_the_top_class() -> None:
    x = np.random.default_rng(0).normal(size=(1, 28, 28)).astype(np.float32)
    pred = predict_array(tiny_cnn(), x, DIGITS)
    assert isinstance(pred, Prediction)
    assert pred.probabilities.shape == (10,) and pred.probabilities.dtype == np.float32
    assert pred.probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert pred.top == int(np.argmax(pred.probabilities))
    assert pred.label == DIGITS[pred.top]


def test_fashion_names_and_missing_names() -> None:
    x = np.zeros((1, 28, 28), np.float32)
    assert predict_array(favouring(7), x, FASHION).label == "Sneaker"
    assert predict_array(favouring(7), x, None).label == "7"
    assert class_labels(("a", "b"), 3) == ["a", "b", "2"]


def test_model_ending_in_softmax_is_not_squashed_twice() -> None:
    x = np.zeros((1, 28, 28), np.float32)
    plain = predict_array(favouring(3), x, DIGITS).probabilities
    soft = predict_array(favouring(3, last=nn.Softmax(dim=1)), x, DIGITS).probabilities
    log_soft = predict_array(favouring(3, last=nn.LogSoftmax(dim=1)), x, DIGITS)
    assert np.allclose(plain, soft, atol=1e-6)
    assert np.allclose(plain, log_soft.probabilities, atol=1e-6)


def test_single_output_is_a_yes_no_probability() -> None:
    pred = predict_array(favouring(0, classes=1), np.zeros((1, 28, 28)), ("no", "yes"))
    assert pred.probabilities.shape == (2,) and pred.label == "yes"


def test_mode_is_restored_and_gradients_untouched() -> None:
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(784, 10))
    model.train()
    x = np.ones((1, 28, 28), np.float32)
    first = predict_array(model, x, DIGITS).probabilities
    again = predict_array(model, x, DIGITS).probabilities
    assert np.array_equal(first, again)  # eval mode: dropout off
    assert model.training  # ...and back to training afterwards
    assert all(p.grad is None for p in model.parameters())


def test_no_model_says_train_first() -> None:
    with pytest.raises(PredictError) as info:
        predict_array(None, np.zeros((1, 28, 28)), DIGITS)
    assert "Train a model first" in str(info.value)


def test_model_for_2d_points_refuses_an_image() -> None:
    points = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    with pytest.raises(PredictError) as info:
        predict_array(points, np.zeros((1, 28, 28)), ("0", "1", "2"))
    assert "\n" not in str(info.value) and "Traceback" not in str(info.value)


def test_diverged_model_says_so() -> None:
    model = favouring(1)
    with torch.no_grad():
        model[1].bias.fill_(float("nan"))
    with pytest.raises(PredictError) as info:
        predict_array(model, np.zeros((1, 28, 28)), DIGITS)
    assert info.value.code == "nan"


# --- predict_paths (what `nnstudio predict` prints) ----------------------------------


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    seven = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(seven).line([(40, 40), (160, 40), (80, 170)], 0, 14)
    seven.save(tmp_path / "seven.png")
    Image.new("RGB", (50, 50), "white").save(tmp_path / "blank.jpg")
    (tmp_path / "readme.png").write_text("# not a picture")
    return [tmp_path / "seven.png", tmp_path / "blank.jpg", tmp_path / "readme.png"]


def test_predict_paths_one_result_per_file(files: list[Path]) -> None:
    results = predict_paths(favouring(7), (1, 28, 28), 0.13, 0.31, DIGITS, files)
    assert [r["file"] for r in results] == [str(p) for p in files]
    ok, blank, text_file = results
    assert ok["prediction"] == "7" and list(ok["probabilities"]) == list(DIGITS)
    assert sum(ok["probabilities"].values()) == pytest.approx(1.0, abs=1e-4)
    assert "blank" in blank["error"]
    assert "readme.png" in text_file["error"]
    assert all("\n" not in r.get("error", "") for r in results)


def test_predict_paths_refuses_once_for_the_model(files: list[Path]) -> None:
    with pytest.raises(PredictError, match="Train a model first"):
        predict_paths(None, (1, 28, 28), 0.0, 1.0, DIGITS, files)
    with pytest.raises(PredictError, match="2 numbers"):
        predict_paths(nn.Linear(2, 2), (2,), 0.0, 1.0, ("a", "b"), files)


def test_one_sample_runs_on_one_thread_and_restores_the_setting() -> None:
    """A thread pool only waits on busy cores for one small image (see _one_thread)."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        predict_array(tiny_cnn(), np.zeros((1, 28, 28), np.float32), DIGITS)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
