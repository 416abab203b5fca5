"""Drawn datasets on disk and the image-folder options (size, colour, validation
fraction, light augmentation)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.datasets.drawn import DrawnDataset, check_name, drawn_datasets
from nnstudio.core.errors import DatasetError


def _canvas(kind: str, jitter: int = 0) -> np.ndarray:
    """A 280x280 white canvas with a black circle, bar or cross."""
    img = np.full((280, 280), 255, np.uint8)
    yy, xx = np.mgrid[:280, :280]
    cx, cy = 140 + jitter, 140 - jitter
    if kind == "circle":
        r = np.hypot(xx - cx, yy - cy)
        img[(r > 70) & (r < 90)] = 0
    elif kind == "bar":
        img[60:220, cx - 10:cx + 10] = 0
    else:
        img[cy - 10:cy + 10, 60:220] = 0
        img[60:220, cx - 10:cx + 10] = 0
    return img


@pytest.fixture
def drawn(tmp_path, monkeypatch):
    monkeypatch.setenv("NNSTUDIO_DRAWN_DIR", str(tmp_path / "drawn"))
    data = DrawnDataset("我的符号")
    for name in ("圆", "bar", "cross"):
        data.add_class(name)
    kinds = {"圆": "circle", "bar": "bar", "cross": "cross"}
    for name, kind in kinds.items():
        for i in range(6):
            data.add_drawing(name, _canvas(kind, i * 3 - 8))
    return data


def test_drawings_are_saved_counted_listed_and_deleted(drawn, tmp_path) -> None:
    assert drawn.counts() == {"bar": 6, "cross": 6, "圆": 6}
    assert drawn_datasets() == [tmp_path / "drawn" / "我的符号"]
    first = drawn.examples("圆")[0]
    from PIL import Image

    with Image.open(first) as img:
        pixels = np.asarray(img)
    assert pixels.shape == (28, 28) and pixels.max() > 200 and pixels[0, 0] == 0
    drawn.delete(first)
    assert drawn.counts()["圆"] == 5 and not first.exists()
    drawn.delete(tmp_path / "elsewhere.png")  # outside the dataset: ignored


def test_blank_drawing_and_bad_names_are_refused(drawn) -> None:
    with pytest.raises(DatasetError, match="empty"):
        drawn.add_drawing("bar", np.full((280, 280), 255, np.uint8))
    for bad in ("", "a/b", "..", "x" * 61, "con:1"):
        with pytest.raises(DatasetError):
            check_name(bad)
    assert check_name("  甲  ") == "甲"


def test_a_drawn_dataset_loads_as_an_image_folder(drawn) -> None:
    data = load_dataset(str(drawn.path))
    assert data.class_names == ("bar", "cross", "圆")
    assert data.input_shape == (1, 28, 28)
    assert len(data.x_train) + len(data.x_val) == 18


def test_folder_options_size_colour_fraction(drawn) -> None:
    data = load_dataset(str(drawn.path), image_size=16, color="rgb",
                        val_fraction=0.5)
    assert data.input_shape == (3, 16, 16)
    assert len(data.x_val) == 9 and len(data.x_train) == 9


def test_augmentation_adds_changed_training_copies_only(drawn) -> None:
    plain = load_dataset(str(drawn.path), val_fraction=0.25)
    more = load_dataset(str(drawn.path), val_fraction=0.25, augment=True)
    assert len(more.x_train) == 3 * len(plain.x_train)
    assert torch.equal(more.x_val, plain.x_val)
    n = len(plain.x_train)
    assert torch.equal(more.x_train[:n], plain.x_train)
    copies = more.x_train[n:2 * n]
    assert not torch.equal(copies, plain.x_train)  # moved, turned or mirrored
    ink = plain.x_train.float().sum(), copies.float().sum()
    assert abs(ink[0] - ink[1]) / ink[0] < 0.25  # light: most of the ink stays


@pytest.mark.parametrize("options, words", [
    ({"image_size": 2}, "image_size"), ({"color": "sepia"}, "color"),
    ({"val_fraction": 1.5}, "val_fraction"), ({"sharpen": True}, "sharpen"),
])
def test_bad_folder_options_are_plain_errors(drawn, options, words) -> None:
    with pytest.raises(DatasetError, match=words):
        load_dataset(str(drawn.path), **options)


def test_predict_on_a_folder_trained_project_names_the_classes(drawn, tmp_path,
                                                               capsys) -> None:
    """`nnstudio train FOLDER --save` keeps the folder names; `predict` says them."""
    import json

    from nnstudio.cli import main
    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.core.network.spec import NetworkSpec

    net = tmp_path / "net.json"
    net.write_text(NetworkSpec((1, 28, 28), (LayerSpec("Flatten"), LayerSpec(
        "Linear", {"out_features": 3}))).to_json(), encoding="utf-8")
    project = tmp_path / "shapes.nnstudio"
    assert main(["train", str(net), "--dataset", str(drawn.path), "--epochs", "40",
                 "--lr", "0.05", "--no-probes", "--save", str(project)]) == 0
    capsys.readouterr()
    image = drawn.examples("圆")[0]
    assert main(["predict", str(project), str(image), "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["classes"] == ["bar", "cross", "圆"]
    assert result["prediction"] in result["classes"]
