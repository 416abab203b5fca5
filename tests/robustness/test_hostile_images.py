"""Image files that attack or mislead (issue 13, §1-§3), without Qt.

An EPS/PostScript program named `digit.png` must never reach Ghostscript; a PNG
whose header claims 20000 x 20000 pixels is refused before decoding; a FIFO named
like an image is refused at once instead of hanging; 16-bit PNGs keep their grey
levels; and a transparent drawing reaches a model as the same pixels whether it is
predicted or imported as training data.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import EpsImagePlugin, Image, ImageDraw

from nnstudio.core.datasets import DatasetError, load_dataset
from nnstudio.core.errors import PredictError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec as L
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.predict.predictor import predict_paths
from nnstudio.core.predict.preprocess import load_image

from .helpers import assert_error_message, assert_user_message, has_cjk

ROOT = Path(__file__).resolve().parents[2]
MNIST = ((1, 28, 28), 0.1307, 0.3081)
DIGITS = tuple(str(i) for i in range(10))
FORMATS = "PNG, JPEG, BMP, GIF, TIFF and WebP"

needs_posix = pytest.mark.skipif(os.name == "nt", reason="needs a POSIX shell / FIFOs")


def image_model():
    spec = NetworkSpec((1, 28, 28), (L("Flatten"), L("Linear", {"out_features": 10})))
    return build_model(spec, seed=0).eval()


# --- §1: PostScript disguised as a PNG ----------------------------------------------
def eps_payload(marker: Path) -> bytes:
    """A real EPS program: run by Ghostscript, it writes `marker`."""
    return (
        "%!PS-Adobe-3.0 EPSF-3.0\n"
        "%%BoundingBox: 0 0 28 28\n"
        "%%EndComments\n"
        f"/f ({marker}) (w) file def f (pwned) writestring f closefile\n"
        "0 0 moveto 28 28 lineto stroke showpage\n"
        "%%EOF\n"
    ).encode()


@pytest.fixture
def ghostscript(tmp_path, monkeypatch) -> Path:
    """A stand-in Ghostscript that does what the payload asks (writes the marker),
    so the test needs no real Ghostscript and proves whether it would have run.
    Returns the marker's path."""
    marker = tmp_path / "marker.txt"
    fake = tmp_path / "bin" / "gs"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "gs $*" >> "{marker}"\nexit 1\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", str(fake))
    return marker


@needs_posix
def test_eps_named_png_is_refused_by_predict_never_run(ghostscript, tmp_path):
    path = tmp_path / "digit.png"
    path.write_bytes(eps_payload(ghostscript))
    with pytest.raises(PredictError) as info:
        load_image(path)
    assert_error_message(info.value, "digit.png", FORMATS)
    [result] = predict_paths(image_model(), *MNIST, DIGITS, [path])
    assert_user_message(result["error"], "digit.png", "not an image")
    assert not ghostscript.exists(), ghostscript.read_text()


@needs_posix
def test_eps_named_png_is_refused_by_folder_import_never_run(ghostscript, tmp_path):
    root = tmp_path / "digits"
    for cls in ("0", "1"):
        (root / cls).mkdir(parents=True)
        for i in range(3):
            Image.new("L", (8, 8), 40 * i).save(root / cls / f"{i}.png")
    (root / "1" / "digit.png").write_bytes(eps_payload(ghostscript))
    with pytest.raises(DatasetError) as info:
        load_dataset(str(root))
    assert_error_message(info.value, "1/digit.png", FORMATS)
    assert not ghostscript.exists(), ghostscript.read_text()


def test_every_image_open_in_nnstudio_names_its_formats():
    """No `Image.open(` anywhere in the package (the exported script's template
    included) without an allow-list: one without is how EPS reached Ghostscript."""
    calls = []
    for path in (ROOT / "nnstudio").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"Image\.open\(", text):
            depth, end = 1, match.end()
            while depth and end < len(text):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                end += 1
            calls.append((path.relative_to(ROOT), text[match.start() : end]))
    assert calls, "no Image.open call found: the scan is broken"
    bare = [f"{p}: {call}" for p, call in calls if "formats=" not in call]
    assert not bare, bare


# --- §2: sizes checked before decoding ----------------------------------------------
def claimed_png(path: Path, width: int, height: int) -> Path:
    """A real PNG of `width` x `height` black pixels: a few KB on disk."""
    Image.new("1", (width, height)).save(path, optimize=True)
    return path


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory) -> Path:
    """20000 x 20000 (400 megapixels): Pillow's own limit raises a traceback."""
    return claimed_png(tmp_path_factory.mktemp("huge") / "poster.png", 20000, 20000)


def test_huge_png_is_refused_by_predict(huge_png):
    with pytest.raises(PredictError) as info:
        load_image(huge_png)
    assert_error_message(info.value, "poster.png", "too large to open safely")


def test_huge_png_is_refused_by_folder_import_in_one_line(huge_png, tmp_path):
    root = tmp_path / "set"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        Image.new("L", (8, 8), 9).save(root / cls / "small.png")
    (root / "b" / "poster.png").write_bytes(huge_png.read_bytes())
    with pytest.raises(DatasetError) as info:
        load_dataset(str(root))
    assert_error_message(info.value, "poster.png", "too large")


def test_image_between_one_and_two_limits_is_refused_without_decoding(tmp_path):
    """100 megapixels: Pillow only warns (and would decode 100 MB); nnstudio
    refuses from the header, and no warning reaches the terminal."""
    path = claimed_png(tmp_path / "scan.png", 10_000, 10_000)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        started = time.perf_counter()
        with pytest.raises(PredictError) as info:
            load_image(path)
    assert time.perf_counter() - started < 2
    assert_error_message(info.value, "scan.png", "too large")
    assert [str(w.message) for w in seen] == []


def test_huge_image_message_in_chinese(huge_png, zh):
    with pytest.raises(PredictError) as info:
        load_image(huge_png)
    assert has_cjk(str(info.value)) and "poster.png" in str(info.value)


# --- §2: a FIFO must not hang -------------------------------------------------------
def returns_within(seconds: float, call, fifo: Path):
    """Run `call` in a thread; if it blocks on the FIFO, unblock it and fail."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(("value", call()))
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():  # a writer's open lets the blocked reader see EOF
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(5)
        pytest.fail(f"reading {fifo.name} blocked for {seconds} s")
    return outcome[0]


@needs_posix
def test_fifo_named_like_an_image_is_refused_by_predict(tmp_path):
    fifo = tmp_path / "digit.png"
    os.mkfifo(fifo)
    kind, value = returns_within(3, lambda: load_image(fifo), fifo)
    assert kind == "error" and isinstance(value, PredictError), value
    assert_error_message(value, "digit.png", "not a regular file")


@needs_posix
def test_fifo_in_an_image_folder_is_refused(tmp_path):
    root = tmp_path / "set"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        Image.new("L", (8, 8), 9).save(root / cls / "ok.png")
    fifo = root / "b" / "pipe.png"
    os.mkfifo(fifo)
    kind, value = returns_within(3, lambda: load_dataset(str(root)), fifo)
    assert kind == "error" and isinstance(value, DatasetError), value
    assert_error_message(value, "pipe.png", "not a regular file")


# --- §3: 16-bit and transparent images ----------------------------------------------
def gradient16(folder: Path, name: str) -> tuple[Path, np.ndarray]:
    """A 16-bit gray PNG whose levels span the whole 0-65535 range."""
    levels = np.linspace(0, 65535, 64 * 64).reshape(64, 64).astype(np.uint16)
    path = folder / name
    Image.fromarray(levels).save(path)
    return path, levels


def test_sixteen_bit_png_keeps_its_grey_levels_on_import(tmp_path):
    root = tmp_path / "deep"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        for i in range(3):
            gradient16(root / cls, f"{i}.png")
    data = load_dataset(str(root))
    pixels = torch.cat([data.x_train, data.x_val]).numpy()
    expected = np.round(gradient16(tmp_path, "ref.png")[1] / 257.0)
    assert np.abs(pixels[:, 0].astype(float) - expected).max() <= 1
    assert (pixels == 255).mean() < 0.02  # was 98%: everything above 255 clipped


def test_sixteen_bit_png_reads_the_same_in_predict_and_import(tmp_path):
    path, _ = gradient16(tmp_path, "g.png")
    root = tmp_path / "set"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        for i in range(2):
            (root / cls / f"{i}.png").write_bytes(path.read_bytes())
    imported = load_dataset(str(root)).x_train[0, 0].numpy()
    assert np.array_equal(imported, load_image(path))


def seven(ink: int, paper_alpha: int, mode: str) -> Image.Image:
    """A 7 drawn with `ink` (grey level, opaque) on paper of alpha `paper_alpha`
    whose colour is the opposite of the ink (what drawing apps leave behind)."""
    size = 64
    if mode == "LA":
        img = Image.new("LA", (size, size), (255 - ink, paper_alpha))
        fill = (ink, 255)
    else:
        img = Image.new("RGBA", (size, size), (255 - ink,) * 3 + (paper_alpha,))
        fill = (ink, ink, ink, 255)
    ImageDraw.Draw(img).line([(14, 12), (50, 12), (26, 54)], fill=fill, width=7)
    return img


TRANSPARENT = [
    ("white-ink-rgba", 255, "RGBA"),
    ("black-ink-rgba", 0, "RGBA"),
    ("white-ink-la", 255, "LA"),
    ("black-ink-la", 0, "LA"),
]


@pytest.mark.parametrize("name,ink,mode", TRANSPARENT, ids=[t[0] for t in TRANSPARENT])
def test_transparent_drawing_is_the_same_in_predict_and_import(
    name, ink, mode, tmp_path
):
    root = tmp_path / "set"
    for cls in ("a", "b"):
        (root / cls).mkdir(parents=True)
        for i in range(2):
            seven(ink, 0, mode).save(root / cls / f"{i}.png")
    path = root / "a" / "0.png"
    predicted = np.asarray(Image.fromarray(load_image(path)).convert("L"))
    imported = load_dataset(str(root)).x_train[0, 0].numpy()
    assert np.array_equal(imported, predicted)
    assert int(imported.max()) - int(imported.min()) > 200, "the 7 vanished"
    [result] = predict_paths(image_model(), *MNIST, DIGITS, [path])
    assert "error" not in result, result


def test_exported_script_reads_deep_and_transparent_images_like_nnstudio(tmp_path):
    """The exported script repeats the one rule: same tensors, same statistics."""
    from tests.core.test_export import _same_data

    root = tmp_path / "mixed"
    for k, cls in enumerate(("a", "b")):
        (root / cls).mkdir(parents=True)
        gradient16(root / cls, "deep.png")
        seven(255 * k, 0, "RGBA").save(root / cls / "rgba.png")
        seven(255 - 255 * k, 0, "LA").save(root / cls / "la.png")
        Image.new("L", (64, 64), 30 + 90 * k).save(root / cls / "plain.png")
    _same_data(tmp_path, str(root))
