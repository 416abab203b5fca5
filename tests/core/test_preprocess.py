"""Invariants of the drawing/image -> model input pipeline (no Qt, no torch)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from nnstudio.core.errors import PredictError
from nnstudio.core.predict.field import to_field
from nnstudio.core.predict.preprocess import (
    MAX_SIDE,
    denormalize,
    image_shape,
    layout_for,
    load_image,
    prepare_image,
    to_mnist_like,
)

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def paper(side: int = 280) -> Image.Image:
    return Image.new("L", (side, side), 255)


def draw_seven(side: int = 280, width: int = 18, box=(40, 30, 120, 150)) -> np.ndarray:
    """A black "7" on white paper inside `box` (x0, y0, x1, y1)."""
    im = paper(side)
    x0, y0, x1, y1 = box
    ImageDraw.Draw(im).line([(x0, y0), (x1, y0), (x0 + (x1 - x0) // 3, y1)], 0, width)
    return np.asarray(im)


def ink_box(field: np.ndarray, level: float = 0.3) -> tuple[int, int]:
    """(height, width) of the ink's bounding box in a prepared field."""
    rows, cols = (
        np.flatnonzero((field > level).any(1)),
        np.flatnonzero((field > level).any(0)),
    )
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def centre_of_mass(field: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(field.shape)
    return float((ys * field).sum() / field.sum()), float(
        (xs * field).sum() / field.sum()
    )


def stroke_width(field: np.ndarray) -> float:
    """Stroke width, roughly: area / half the outline length."""
    mask = field > 0.5
    inner = mask[1:-1, 1:-1] & mask[:-2, 1:-1] & mask[2:, 1:-1]
    inner &= mask[1:-1, :-2] & mask[1:-1, 2:]
    return 2 * mask.sum() / max(mask.sum() - inner.sum(), 1)


# --- to_mnist_like -------------------------------------------------------------------


@pytest.mark.parametrize(
    "blank",
    [
        np.full((280, 280), 255, np.uint8),  # fresh canvas
        np.zeros((280, 280), np.uint8),  # black screen
        np.full((100, 60), 200, np.uint8),  # grey card
        np.random.default_rng(0)
        .integers(245, 256, (280, 280))
        .astype(np.uint8),  # paper
    ],
)
def test_blank_gives_none(blank: np.ndarray) -> None:
    assert to_mnist_like(blank) is None


def test_off_centre_small_digit_is_centred_and_20px() -> None:
    field = to_mnist_like(draw_seven(box=(10, 200, 40, 260)))  # tiny, bottom-left
    assert field is not None and field.shape == (28, 28) and field.dtype == np.float32
    assert 0.0 <= field.min() and field.max() == pytest.approx(1.0)
    assert max(ink_box(field)) in (19, 20, 21)
    cy, cx = centre_of_mass(field)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5  # MNIST puts it at (14, 14)


def test_aspect_ratio_kept() -> None:
    img = np.asarray(paper())
    img = img.copy()
    img[40:240, 130:150] = 0  # a "1": 200 tall, 20 wide
    h, w = ink_box(to_mnist_like(img))
    assert h in (19, 20, 21) and w <= 5


def test_inverted_colours_give_the_same_digit() -> None:
    drawing = draw_seven()
    assert np.allclose(to_mnist_like(drawing), to_mnist_like(255 - drawing), atol=1e-5)


def test_same_digit_anywhere_and_any_size_looks_the_same() -> None:
    small = to_mnist_like(draw_seven(280, 9, (10, 10, 50, 70)))
    big = to_mnist_like(draw_seven(512, 36, (150, 100, 310, 340)))
    assert np.abs(small - big).mean() < 0.06


def test_one_dot_and_strokes_on_the_edges() -> None:
    dot = np.asarray(paper()).copy()
    dot[140, 140] = 0
    field = to_mnist_like(dot)
    assert field is not None and field.max() == pytest.approx(1.0)
    edges = np.asarray(paper()).copy()
    edges[:, :12] = 0  # along the left edge
    edges[-12:, :] = 0  # and the bottom edge
    field = to_mnist_like(edges)
    assert field is not None and max(ink_box(field)) in (19, 20, 21)


@pytest.mark.parametrize("width", [1, 3, 40, 70])
def test_thin_and_thick_strokes_get_mnist_like_width(width: int) -> None:
    field = to_mnist_like(draw_seven(280, width, (40, 30, 220, 250)))
    assert field is not None
    assert 1.3 <= stroke_width(field) <= 4.5  # MNIST: 1.7-3.2 for 80% of digits


def test_specks_far_from_the_digit_are_ignored() -> None:
    clean = draw_seven()
    dusty = clean.copy()
    dusty[270:272, 5:7] = 0  # a dust speck in the corner
    assert np.allclose(to_mnist_like(clean), to_mnist_like(dusty), atol=1e-5)


def test_float_rgb_and_rgba_arrays_accepted() -> None:
    gray = draw_seven()
    rgb = np.repeat(gray[..., None], 3, axis=2)
    rgba = np.concatenate([rgb, np.full_like(gray[..., None], 255)], axis=2)
    expected = to_mnist_like(gray)
    assert np.allclose(to_mnist_like(rgb), expected, atol=1e-4)
    assert np.allclose(to_mnist_like(rgba), expected, atol=1e-4)
    assert np.allclose(to_mnist_like(gray / 255.0), expected, atol=1e-4)


def test_object_layout_fills_the_field_like_fashion_mnist() -> None:
    shoe = np.asarray(paper()).copy()
    shoe[120:180, 20:260] = 0  # a wide dark object on white
    field = to_field(shoe / 255.0, (28, 28), "object")
    assert ink_box(field)[1] == 28
    assert layout_for(["T-shirt/top", "Trouser", "Sneaker"]) == "object"
    assert layout_for([str(i) for i in range(10)]) == "digit"


def test_to_mnist_like_is_fast_for_a_canvas() -> None:
    drawing = draw_seven()
    to_mnist_like(drawing)
    start = time.perf_counter()
    for _ in range(20):
        to_mnist_like(drawing)
    assert (time.perf_counter() - start) / 20 < 0.010  # part of the 50 ms budget


# --- prepare_image -------------------------------------------------------------------


def test_prepare_mnist_normalizes_like_training() -> None:
    x = prepare_image(draw_seven(), (1, 28, 28), MNIST_MEAN, MNIST_STD)
    assert x.shape == (1, 28, 28) and x.dtype == np.float32
    assert x.min() == pytest.approx(-MNIST_MEAN / MNIST_STD)  # the black background
    assert np.allclose(
        x * MNIST_STD + MNIST_MEAN, to_mnist_like(draw_seven())[None], atol=1e-5
    )


def test_prepare_accepts_stats_as_tuples_and_on_the_255_scale() -> None:
    a = prepare_image(draw_seven(), (1, 28, 28), (MNIST_MEAN,), [MNIST_STD])
    b = prepare_image(draw_seven(), (1, 28, 28), 255 * MNIST_MEAN, 255 * MNIST_STD)
    c = prepare_image(draw_seven(), (1, 28, 28), MNIST_MEAN, MNIST_STD)
    assert np.allclose(a, c) and np.allclose(b, c)


def test_prepare_small_digits_model_scales_the_recipe() -> None:
    x = prepare_image(draw_seven(), (1, 8, 8), 0.0, 1.0)
    assert x.shape == (1, 8, 8)
    assert max(ink_box(x[0], 0.2)) in (5, 6, 7)  # 20/28 of 8 px


def test_prepare_colour_model() -> None:
    rgb = np.zeros((300, 500, 3), np.uint8)
    rgb[..., 0] = 200  # a red scene
    rgb[100:200, 200:300] = (0, 0, 255)
    mean, std = (0.49, 0.48, 0.45), (0.25, 0.24, 0.26)
    x = prepare_image(rgb, (3, 32, 32), mean, std)
    assert x.shape == (3, 32, 32) and x.dtype == np.float32
    pixels = x * np.array(std)[:, None, None] + np.array(mean)[:, None, None]
    assert pixels[:, 0, 16] == pytest.approx([200 / 255, 0, 0], abs=0.02)
    assert pixels[:, 16, 16] == pytest.approx([0, 0, 1], abs=0.02)
    gray_drawing = prepare_image(draw_seven(), (3, 32, 32), mean, std)
    assert gray_drawing.shape == (3, 32, 32)


@pytest.mark.parametrize("shape", [(2,), (784,), (3, 2, 2), (5, 28, 28), (), None])
def test_prepare_refuses_models_that_take_no_image(shape) -> None:
    with pytest.raises(PredictError) as info:
        prepare_image(draw_seven(), shape, 0.0, 1.0)
    message = str(info.value)
    assert "image" in message and "\n" not in message and info.value.code == "no-image"
    if shape == (2,):
        assert "2 numbers" in message


def test_prepare_blank_says_so() -> None:
    blank = np.full((280, 280), 255, np.uint8)
    for shape in [(1, 28, 28), (3, 32, 32)]:
        with pytest.raises(PredictError) as info:
            prepare_image(blank, shape, 0.0, 1.0)
        assert info.value.code == "blank"


def test_prepare_rejects_mismatched_stats_and_arrays() -> None:
    with pytest.raises(PredictError):
        prepare_image(draw_seven(), (3, 32, 32), (0.1, 0.2), (1, 1))
    with pytest.raises(PredictError):
        prepare_image(np.zeros((4, 4, 4, 4)), (1, 28, 28), 0.0, 1.0)


def test_image_shape_accepts_bare_height_width() -> None:
    assert image_shape((28, 28)) == (1, 28, 28)
    assert image_shape([3, 32, 32]) == (3, 32, 32)


# --- load_image ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".bmp"])
@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_load_image_formats(tmp_path: Path, suffix: str, mode: str) -> None:
    path = tmp_path / f"seven{suffix}"
    Image.fromarray(draw_seven()).convert(mode).save(path)
    img = load_image(path)
    assert img.dtype == np.uint8
    assert img.shape == ((280, 280) if mode == "L" else (280, 280, 3))
    field = to_mnist_like(img)
    assert np.abs(field - to_mnist_like(draw_seven())).mean() < 0.02


def test_load_image_puts_transparency_on_white(tmp_path: Path) -> None:
    rgba = np.zeros((280, 280, 4), np.uint8)  # transparent black everywhere...
    rgba[..., 3] = 255 - draw_seven()  # ...opaque only where the ink is
    Image.fromarray(rgba, "RGBA").save(tmp_path / "ink.png")
    img = load_image(tmp_path / "ink.png")
    assert img.shape == (280, 280, 3) and img[0, 0].tolist() == [255, 255, 255]
    assert np.abs(to_mnist_like(img) - to_mnist_like(draw_seven())).mean() < 0.02


def test_load_image_16_bit(tmp_path: Path) -> None:
    deep = (draw_seven().astype(np.uint16) * 257).astype(np.uint16)
    Image.fromarray(deep).save(tmp_path / "deep.png")
    img = load_image(tmp_path / "deep.png")
    assert img.dtype == np.uint8 and img.max() == 255 and img.min() == 0


@pytest.mark.parametrize(
    "content", [b"hello, this is text", b"", b"\x89PNG\r\n\x1a\ntrunc"]
)
def test_not_an_image_names_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "my digit.png"
    path.write_bytes(content)
    with pytest.raises(PredictError) as info:
        load_image(path)
    message = str(info.value)
    assert (
        "my digit.png" in message and "\n" not in message and "Traceback" not in message
    )


def test_missing_file_and_folder(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.png", tmp_path):
        with pytest.raises(PredictError) as info:
            load_image(path)
        assert path.name in str(info.value)


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_huge_image_is_shrunk_quickly(tmp_path: Path, suffix: str) -> None:
    side = 8000
    im = Image.new("L", (side, side), 255)
    ImageDraw.Draw(im).line([(2000, 1500), (6000, 1500), (3300, 6500)], 0, 400)
    path = tmp_path / f"huge{suffix}"
    im.save(path)
    del im
    start = time.perf_counter()
    img = load_image(path)
    field = to_mnist_like(img)
    elapsed = time.perf_counter() - start
    assert max(img.shape) <= MAX_SIDE
    assert field is not None and max(ink_box(field)) in (19, 20, 21)
    assert elapsed < 5.0, f"{elapsed:.1f} s to open an 8000 px {suffix}"


def test_denormalize_gives_back_the_pixels() -> None:
    x = prepare_image(draw_seven(), (1, 28, 28), MNIST_MEAN, MNIST_STD)
    assert np.allclose(
        denormalize(x, MNIST_MEAN, MNIST_STD)[0], to_mnist_like(draw_seven()), atol=1e-5
    )
    teal = np.zeros((40, 40, 3), np.uint8) + np.uint8([10, 200, 90])
    rgb = prepare_image(teal, (3, 32, 32), (0.5, 0.5, 0.5), (0.2, 0.2, 0.2))
    assert denormalize(rgb, (0.5,) * 3, (0.2,) * 3)[:, 5, 5] == pytest.approx(
        [10 / 255, 200 / 255, 90 / 255], abs=0.01
    )
