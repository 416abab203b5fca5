"""Datasets imported from disk: IDX folders, class folders of images, CSV files."""

from __future__ import annotations

import gzip
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from nnstudio.core.datasets import DatasetError, load_dataset

SHARED_MNIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"


@pytest.fixture
def mnist_folder() -> Path:
    if not (SHARED_MNIST / "mnist-8k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"shared MNIST data not found at {SHARED_MNIST}")
    return SHARED_MNIST


def test_idx_folder_without_official_names_is_split_80_20(mnist_folder):
    data = load_dataset(str(mnist_folder))
    assert (len(data.x_train), len(data.x_val)) == (6400, 1600)
    assert data.x_train.shape[1:] == (1, 28, 28) and data.x_train.dtype == torch.uint8
    assert data.class_names == tuple(str(i) for i in range(10))
    assert data.y_train.dtype == torch.int64 and data.preview_kind == "image"
    assert data.source_path == str(mnist_folder)
    assert 0.12 < data.mean < 0.14 and 0.29 < data.std < 0.32  # MNIST's known stats
    again = load_dataset(data.source_path, **data.options)
    assert torch.equal(again.y_val, data.y_val)
    assert not torch.equal(load_dataset(str(mnist_folder), seed=1).y_val, data.y_val)


def test_size_keeps_a_seeded_subset(mnist_folder):
    data = load_dataset(str(mnist_folder), size=500)
    assert (len(data.x_train), len(data.x_val)) == (500, 125)
    assert data.options["size"] == 500


def write_idx(
    folder: Path, prefix: str, images: np.ndarray, labels: np.ndarray, gz: bool = False
) -> None:
    n, h, w = images.shape
    pairs = (
        (f"{prefix}images-idx3-ubyte", struct.pack(">IIII", 0x0803, n, h, w), images),
        (f"{prefix}labels-idx1-ubyte", struct.pack(">II", 0x0801, n), labels),
    )
    for name, head, body in pairs:
        raw = head + body.astype(np.uint8).tobytes()
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(raw))
        else:
            (folder / name).write_bytes(raw)


def test_idx_official_names_keep_the_official_split(tmp_path):
    rng = np.random.default_rng(0)
    write_idx(tmp_path, "train-", rng.integers(0, 255, (30, 5, 6)), np.arange(30) % 3)
    write_idx(
        tmp_path, "t10k-", rng.integers(0, 255, (9, 5, 6)), np.arange(9) % 3, gz=True
    )
    data = load_dataset(str(tmp_path))
    assert (len(data.x_train), len(data.x_val)) == (30, 9)
    assert data.input_shape == (1, 5, 6) and data.class_names == ("0", "1", "2")
    assert data.y_val.tolist() == (np.arange(9) % 3).tolist()


def test_idx_images_without_labels(tmp_path):
    write_idx(tmp_path, "a-", np.zeros((4, 2, 2)), np.arange(4) % 2)
    (tmp_path / "a-labels-idx1-ubyte").unlink()
    with pytest.raises(DatasetError, match="labels"):
        load_dataset(str(tmp_path))


def test_idx_damaged_file(tmp_path):
    (tmp_path / "x-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    (tmp_path / "x-labels-idx1-ubyte.gz").write_bytes(b"nope")
    with pytest.raises(DatasetError, match="damaged"):
        load_dataset(str(tmp_path))


def make_image_folder(root: Path, mode: str = "L") -> Path:
    colours = {"L": (40, 200), "RGB": ((255, 0, 0), (0, 0, 255))}[mode]
    for index, name in enumerate(("cat", "dog")):
        (root / name).mkdir(parents=True)
        for i in range(10):
            size = (12, 10) if i else (7, 7)  # one odd size gets resized
            Image.new(mode, size, colours[index]).save(root / name / f"{i}.png")
    (root / "dog" / "notes.txt").write_text("not an image")
    return root


def test_image_folder_gray(tmp_path):
    data = load_dataset(str(make_image_folder(tmp_path / "pets")))
    assert data.class_names == ("cat", "dog") and data.name == "pets"
    assert data.input_shape == (1, 10, 12) and data.x_train.dtype == torch.uint8
    assert (len(data.x_train), len(data.x_val)) == (16, 4)
    for x, y in zip(data.x_train, data.y_train, strict=True):
        assert int(x.float().mean().round()) == (40, 200)[int(y)]
    image, label = data.preview(1)[0]
    assert image.shape == (10, 12) and label in ("cat", "dog")


def test_image_folder_colour(tmp_path):
    data = load_dataset(str(make_image_folder(tmp_path / "c", mode="RGB")))
    assert data.input_shape == (3, 10, 12) and len(data.mean) == 3
    assert data.preview(1)[0][0].shape == (10, 12, 3)


def test_image_folder_with_broken_image(tmp_path):
    root = make_image_folder(tmp_path / "p")
    (root / "cat" / "bad.png").write_bytes(b"\x89PNG broken")
    with pytest.raises(DatasetError, match="bad.png"):
        load_dataset(str(root))


def test_image_folder_with_one_class(tmp_path):
    root = make_image_folder(tmp_path / "p")
    shutil.rmtree(root / "dog")
    with pytest.raises(DatasetError, match="only one class"):
        load_dataset(str(root))


def test_folder_with_nothing_usable(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    with pytest.raises(DatasetError, match="holds no dataset"):
        load_dataset(str(tmp_path))


def write_csv(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_with_text_labels_and_header(tmp_path):
    rows = "".join(
        f"{i},{i * 2 % 7},{'big' if i > 9 else 'small'}\n" for i in range(20)
    )
    data = load_dataset(write_csv(tmp_path / "sizes.csv", "a,b,kind\n" + rows))
    assert data.task == "classification" and data.class_names == ("big", "small")
    assert data.input_shape == (2,) and data.x_train.dtype == torch.float32
    assert (len(data.x_train), len(data.x_val)) == (16, 4) and data.name == "sizes"
    assert abs(float(data.x_train.mean())) < 1e-5  # standardized with train stats
    assert data.preview_kind == "points"  # two features: the UI can scatter them


def test_csv_label_column_by_name_and_no_header(tmp_path):
    rows = "".join(f"{i % 2},{i}.5,{i * 3}\n" for i in range(40))
    data = load_dataset(write_csv(tmp_path / "h.csv", "target,x1,x2\n" + rows))
    assert data.class_names == ("0", "1") and data.input_shape == (2,)
    bare = load_dataset(write_csv(tmp_path / "n.csv", rows))  # label = last column
    assert bare.task == "regression" and bare.num_outputs == 1
    forced = load_dataset(str(tmp_path / "n.csv"), label=1, task="classification")
    assert forced.class_names == ("0", "1") and forced.options["label"] == 1


def test_csv_regression_targets_are_standardized(tmp_path):
    rows = "".join(f"{i},{1000 + 37.5 * i}\n" for i in range(40))
    data = load_dataset(write_csv(tmp_path / "r.csv", "area,price\n" + rows))
    assert data.task == "regression" and data.y_train.dtype == torch.float32
    assert abs(float(data.y_train.mean())) < 1e-4 and data.target_std > 100
    assert data.preview_kind == "curve"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a,b,label\n1,2,x\n3,,y\n5,6,x\n", "row 3, column 'b'"),
        ("a,b,label\n1,2,x\n3,NaN,y\n5,6,x\n", "Missing value"),
        ("1,2,x\n3,4,\n5,6,y\n", "row 2, column 3"),
        ("a,b,label\n1,2,x\n3,four,y\n", "'four'"),
        ("a,b,label\n1,2,x\n3,4\n", "Row 3"),
        ("a,b,label\n1,2,x\n3,4,x\n", "only one class"),
        ("a,b,label\n", "no samples"),
        ("", "no samples"),
        ("label\n1\n2\n", "feature column"),
    ],
)
def test_csv_problems_name_the_place(tmp_path, text, words):
    with pytest.raises(DatasetError) as info:
        load_dataset(write_csv(tmp_path / "bad.csv", text))
    assert words in str(info.value) and "\n" not in str(info.value)


def test_unreadable_paths(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        load_dataset(str(tmp_path / "missing.csv"))
    with pytest.raises(DatasetError, match="no option"):
        load_dataset(write_csv(tmp_path / "ok.csv", "1,0\n2,1\n"), upsample=True)
