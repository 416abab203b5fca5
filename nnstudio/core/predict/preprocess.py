"""Canvas drawings and image files -> model input, prepared like the training data.

A model trained on MNIST has only ever seen digits that were fitted into a 20x20 box
(aspect ratio kept), antialiased, and moved so their centre of mass sits at the centre
of a 28x28 field, bright ink on black. A raw canvas drawing (black on white, anywhere,
any size) looks nothing like that: a plain resize gets about one digit in five right.
This module redoes the MNIST recipe for any drawing or photo, so the canvas, the
"Open image" button and `nnstudio predict` all feed the model the same thing.

Pure numpy + PIL (+ scipy.ndimage, which scikit-learn always brings); no torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from nnstudio.core.errors import PredictError
from nnstudio.core.i18n import formatter
from nnstudio.core.userfiles import UserFileError, open_image


def _ndimage() -> Any:
    """scipy.ndimage, imported on first use (0.7 s: kept off the window's start);
    None without scipy (it ships with scikit-learn; the numpy fallbacks only keep
    this importable)."""
    try:
        from scipy import ndimage
    except ImportError:  # pragma: no cover
        return None
    return ndimage


MAX_SIDE = 1024  # files are decoded/shrunk to this first: an 8000 px photo stays small
BOX_FRACTION = 20 / 28  # MNIST fits each digit in 20x20 of its 28x28 field
WORK_SCALE = 4  # stroke width is adjusted at 4x the output size: cheap, still smooth
MIN_CONTRAST = 0.12  # under ~30 grey levels between ink and paper counts as blank
NOISE_LEVEL = 0.08  # JPEG ringing and paper texture below this are not ink
INK_LEVEL = 0.35  # pixels above this count as ink for the bounding box and specks
SPECK_FRACTION = 0.02  # ink blobs under 2% of all ink are dust or stray taps
# Stroke width in output pixels of a 28 px field: the 10th-90th percentile of MNIST
# digits measured the same way. Thinner strokes are thickened, thicker ones thinned.
STROKE_WIDTH = (1.7, 3.2)
MIN_SIDE = 4  # an "image" smaller than 4x4 is a feature vector in disguise

LAYOUTS = ("digit", "object")


def load_image(path: str | Path) -> np.ndarray:
    """Decode PNG/JPEG/BMP/GIF/TIFF/WebP into HxW (gray) or HxWx3 (colour) uint8.

    Opened by `userfiles.open_image`, as an imported dataset's images are: raster
    formats only (an EPS named digit.png is refused, never run), the size checked
    before decoding, a FIFO refused instead of waited on. Big files are decoded at
    reduced scale (JPEG draft) and shrunk to MAX_SIDE, so a phone photo never costs
    hundreds of megabytes; 16-bit images are scaled, transparency flattened by the
    rule imports use. Raises PredictError naming the file.
    """
    try:
        image = open_image(path, max_side=MAX_SIDE)
    except UserFileError as e:
        raise PredictError(str(e), code=e.code) from None
    return np.asarray(image, dtype=np.uint8)


def image_shape(input_shape: Sequence[int] | None) -> tuple[int, int, int]:
    """(C, H, W) of an image model's input; PredictError if it takes no image."""
    shape = tuple(int(s) for s in (input_shape or ()))
    if len(shape) == 2:  # a bare HxW image
        shape = (1, *shape)
    if len(shape) != 3 or shape[0] not in (1, 3) or min(shape[1:]) < MIN_SIDE:
        key = "vector-model" if len(shape) == 1 else "not-image-model"
        n = shape[0] if shape else 0
        raise PredictError(_msg(key, n=n, shape=_shape_str(shape)), "no-image")
    return shape  # type: ignore[return-value]


def layout_for(class_names: Sequence[str] | None, source: str | None = None) -> str:
    """ "digit" when the classes are digits (MNIST recipe), else "object" (Fashion).

    A drawn dataset (`source` is its folder) is "digit" whatever its classes are
    called: its drawings were saved with the MNIST recipe (core/datasets/drawn.py),
    so a drawing on the canvas must be framed the same way to look like them.
    """
    from nnstudio.core.datasets.drawn import is_drawn

    if source and is_drawn(source):
        return "digit"
    names = [str(n).strip() for n in class_names or ()]
    return "digit" if not names or all(n.isdigit() for n in names) else "object"


def to_mnist_like(gray: np.ndarray) -> np.ndarray | None:
    """A drawing as MNIST would have stored it: 28x28 float32 in [0, 1], ink bright on
    black, digit in a 20 px box, centre of mass at the centre. None if blank."""
    return to_field(_to_gray(_unit(gray)), (28, 28))


def prepare_image(
    img: np.ndarray,
    input_shape: Sequence[int],
    mean: Any = 0.0,
    std: Any = 1.0,
    *,
    layout: str = "digit",
) -> np.ndarray:
    """Model input (C x H x W float32, normalized like the training data) for an image.

    One channel: the MNIST recipe scaled to the input size (an 8x8 model gets a
    6 px box); `layout="object"` fills the whole field and centres the bounding box
    instead, as Fashion-MNIST did. Three channels: centre crop to the input's aspect,
    resize, RGB, per-channel normalization. `mean`/`std` are on the [0, 1] scale
    (scalars or one per channel). PredictError if the model takes no image, or with
    code "blank" when there is nothing drawn.
    """
    c, h, w = image_shape(input_shape)
    unit = _unit(img)
    if c == 1:
        field = to_field(_to_gray(unit), (h, w), layout)
        if field is None:
            raise PredictError(_msg("blank"), code="blank")
        x = field[None]
    else:
        x = _colour_input(_to_rgb(unit), (h, w))
    return _normalize(x, mean, std)


def to_field(
    gray: np.ndarray, size: tuple[int, int], layout: str = "digit"
) -> np.ndarray | None:
    """Gray [0, 1] image -> `size` float32 field, ink bright on black; None if blank."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    ink = _ink(gray)
    if ink is None:
        return None
    ink = _crop(ink)
    if layout == "object":  # Fashion-MNIST: fill the field, centre the bounding box
        item = _fit(ink, size)
        return _paste(item, size, _mid(item.shape), _mid(size))
    box = (size[0] * BOX_FRACTION, size[1] * BOX_FRACTION)
    digit = _fit(_normalize_strokes(ink, box, size[0] / 28), box)
    # MNIST's centres of mass sit at (14, 14) in pixel indices (measured: 13.99,
    # 14.01 over the shared 8,000), i.e. at size / 2, whole-pixel shifts.
    return _paste(digit, size, _centre_of_mass(digit), (size[0] / 2, size[1] / 2))


# --- ink: orientation, contrast, specks -------------------------------------------


def _ink(gray: np.ndarray) -> np.ndarray | None:
    """Ink strength in [0, 1] (0 = paper), or None if there is no ink at all."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    paper = float(np.median(border))
    ink = 1.0 - gray if paper > 0.5 else gray  # dark ink on light paper -> invert
    paper = min(paper, 1.0 - paper)
    contrast = float(ink.max()) - paper
    if contrast < MIN_CONTRAST:
        return None
    ink = np.clip((ink - paper) / contrast, 0.0, 1.0).astype(np.float32)
    ink[ink < NOISE_LEVEL] = 0.0
    return _drop_specks(ink)


def _drop_specks(ink: np.ndarray) -> np.ndarray:
    """Remove dust and stray taps far smaller than the drawing (keeps the largest)."""
    ndimage = _ndimage()
    if ndimage is None:
        return ink
    labels, n = ndimage.label(ink > INK_LEVEL)
    if n <= 1:
        return ink
    sizes = np.bincount(labels.ravel())[1:]
    small = sizes < max(SPECK_FRACTION * sizes.sum(), 1)
    small[sizes.argmax()] = False
    if not small.any():
        return ink
    keep = ndimage.binary_dilation(
        ~np.isin(labels, np.flatnonzero(small) + 1) & (labels > 0), iterations=2
    )
    return np.where(keep, ink, 0.0).astype(np.float32)


def _crop(ink: np.ndarray) -> np.ndarray:
    """Crop to the bounding box of the ink (faint rims included)."""
    mask = ink > INK_LEVEL
    if not mask.any():
        mask = ink > 0
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    r0, r1 = max(rows[0] - 1, 0), rows[-1] + 2
    c0, c1 = max(cols[0] - 1, 0), cols[-1] + 2
    return ink[r0:r1, c0:c1]


# --- stroke width ------------------------------------------------------------------


def _normalize_strokes(
    ink: np.ndarray, box: tuple[float, float], unit: float
) -> np.ndarray:
    """Bring the stroke width into MNIST's range, working at WORK_SCALE x the box.

    A 1 px pen on a big canvas would shrink to a faint hairline, a marker to a blob;
    MNIST's pens drew 2-3.5 px wide at the final size. Returns the reworked ink.
    """
    work = _resize(
        ink, _fit_size(ink.shape, (box[0] * WORK_SCALE, box[1] * WORK_SCALE))
    )
    work /= max(float(work.max()), 1e-6)
    width = _stroke_width(work > 0.5) / WORK_SCALE  # in output px
    lo, hi = (STROKE_WIDTH[0] * unit, STROKE_WIDTH[1] * unit)
    if width < lo:
        radius = round((lo - width) * WORK_SCALE / 2)
        return _morph(work, radius, grow=True) if radius else work
    if width > hi:
        radius = round((width - hi) * WORK_SCALE / 2)
        thinner = _morph(work, radius, grow=False) if radius else work
        return thinner if thinner.max() > 0.5 else work
    return work


def _stroke_width(mask: np.ndarray) -> float:
    """Mean stroke width of a binary drawing: area / half the outline length."""
    area = int(mask.sum())
    if area == 0:
        return 0.0
    padded = np.pad(mask, 1)
    inner = (
        padded[1:-1, 1:-1]
        & padded[:-2, 1:-1]
        & padded[2:, 1:-1]
        & padded[1:-1, :-2]
        & padded[1:-1, 2:]
    )
    outline = area - int(inner.sum())
    return 2.0 * area / max(outline, 1)


def _morph(ink: np.ndarray, radius: int, *, grow: bool) -> np.ndarray:
    """Grey dilation (grow) or erosion with a disk, padded so nothing is cut off."""
    ink = np.pad(ink, radius) if grow else ink
    yy, xx = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    disk = xx * xx + yy * yy <= radius * radius + radius
    ndimage = _ndimage()
    if ndimage is not None:
        op = ndimage.grey_dilation if grow else ndimage.grey_erosion
        return op(ink, footprint=disk, mode="constant", cval=0.0).astype(np.float32)
    return _morph_numpy(ink, disk, grow)  # pragma: no cover


def _morph_numpy(ink: np.ndarray, disk: np.ndarray, grow: bool) -> np.ndarray:
    """Max/min over shifted copies: slow for big disks, fine for a few pixels."""
    r = disk.shape[0] // 2
    padded = np.pad(ink, r)
    reduce = np.maximum if grow else np.minimum
    out = ink.copy()
    for dy, dx in zip(*np.nonzero(disk), strict=True):
        out = reduce(out, padded[dy : dy + ink.shape[0], dx : dx + ink.shape[1]])
    return out


# --- fit and centre ----------------------------------------------------------------


def _fit_size(shape: tuple[int, ...], box: tuple[float, float]) -> tuple[int, int]:
    """(h, w) that fits the longer side in the box, keeping the aspect ratio."""
    scale = min(box[0] / shape[0], box[1] / shape[1])
    return max(1, round(shape[0] * scale)), max(1, round(shape[1] * scale))


def _fit(ink: np.ndarray, box: tuple[float, float]) -> np.ndarray:
    """Scale the cropped ink into the box (antialiased) with its peak at 1, as MNIST."""
    mask = ink > 0.05
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if rows.size:
        ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    digit = _resize(ink, _fit_size(ink.shape, box))
    return np.clip(digit / max(float(digit.max()), 1e-6), 0.0, 1.0)


def _centre_of_mass(img: np.ndarray) -> tuple[float, float]:
    total = float(img.sum())
    if total <= 0:
        return _mid(img.shape)
    ndimage = _ndimage()
    if ndimage is not None:
        cy, cx = ndimage.center_of_mass(img)
        return float(cy), float(cx)
    ys, xs = np.arange(img.shape[0]), np.arange(img.shape[1])  # pragma: no cover
    return float(img.sum(1) @ ys) / total, float(img.sum(0) @ xs) / total


def _mid(shape: tuple[int, ...]) -> tuple[float, float]:
    return (shape[0] - 1) / 2, (shape[1] - 1) / 2


def _paste(
    digit: np.ndarray,
    size: tuple[int, int],
    centre: tuple[float, float],
    target: tuple[float, float],
) -> np.ndarray:
    """Put `digit` in a zero field so its `centre` lands on `target` (whole pixels,
    like MNIST; whatever falls outside the field is cut)."""
    field = np.zeros(size, np.float32)
    top, left = round(target[0] - centre[0]), round(target[1] - centre[1])
    src_r0, src_c0 = max(0, -top), max(0, -left)
    dst_r0, dst_c0 = max(0, top), max(0, left)
    rows = min(digit.shape[0] - src_r0, size[0] - dst_r0)
    cols = min(digit.shape[1] - src_c0, size[1] - dst_c0)
    if rows > 0 and cols > 0:
        field[dst_r0 : dst_r0 + rows, dst_c0 : dst_c0 + cols] = digit[
            src_r0 : src_r0 + rows, src_c0 : src_c0 + cols
        ]
    return field


# --- colour ------------------------------------------------------------------------


def _colour_input(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Centre-crop to the model's aspect ratio and resize: 3 x H x W in [0, 1]."""
    im = Image.fromarray(np.round(rgb * 255).astype(np.uint8))
    im = ImageOps.fit(im, (size[1], size[0]), Image.Resampling.BICUBIC)
    x = np.asarray(im, dtype=np.float32) / 255.0
    if float(x.max() - x.min()) < MIN_CONTRAST / 4:
        raise PredictError(_msg("blank"), code="blank")
    return x.transpose(2, 0, 1)


# --- small helpers -----------------------------------------------------------------


def _resize(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Antialiased float resize (Pillow widens the filter when shrinking)."""
    im = Image.fromarray(np.ascontiguousarray(img, dtype=np.float32))
    out = im.resize((size[1], size[0]), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, None)


def _unit(img: np.ndarray) -> np.ndarray:
    """Any image array -> float32 in [0, 1] (uint8/uint16 scaled, floats kept)."""
    a = np.asarray(img)
    if a.size == 0 or a.ndim not in (2, 3):
        raise PredictError(_msg("bad-array", shape=_shape_str(a.shape)), "bad-array")
    if a.dtype == np.bool_:
        return a.astype(np.float32)
    if np.issubdtype(a.dtype, np.integer):
        top = 255.0 if a.dtype.itemsize == 1 or a.max() <= 255 else 65535.0
        return a.astype(np.float32) / top
    a = np.nan_to_num(a.astype(np.float32))
    return a / 255.0 if a.max() > 1.0 else a


def _to_gray(a: np.ndarray) -> np.ndarray:
    if a.ndim == 2:
        return a
    if a.shape[2] == 1:
        return a[:, :, 0]
    if a.shape[2] in (3, 4):  # alpha is ignored: load_image has flattened it
        return a[:, :, :3] @ np.array([0.299, 0.587, 0.114], np.float32)
    raise PredictError(_msg("bad-array", shape=_shape_str(a.shape)), "bad-array")


def _to_rgb(a: np.ndarray) -> np.ndarray:
    if a.ndim == 2:
        return np.repeat(a[:, :, None], 3, axis=2)
    if a.shape[2] == 1:
        return np.repeat(a, 3, axis=2)
    if a.shape[2] in (3, 4):
        return a[:, :, :3]
    raise PredictError(_msg("bad-array", shape=_shape_str(a.shape)), "bad-array")


def _normalize(x: np.ndarray, mean: Any, std: Any) -> np.ndarray:
    """(x - mean) / std per channel, on the [0, 1] scale the training data used."""
    m, s = _stats_pair(mean, std, x.shape[0])
    out = (x - m[:, None, None]) / s[:, None, None]
    return np.ascontiguousarray(out, dtype=np.float32)


def denormalize(x: np.ndarray, mean: Any = 0.0, std: Any = 1.0) -> np.ndarray:
    """Undo `prepare_image`'s normalization: C x H x W back to pixels in [0, 1]."""
    m, s = _stats_pair(mean, std, x.shape[0])
    return np.clip(x * s[:, None, None] + m[:, None, None], 0.0, 1.0)


def _stats_pair(mean: Any, std: Any, channels: int) -> tuple[np.ndarray, np.ndarray]:
    m, s = _channel_stats(mean, channels, 0.0), _channel_stats(std, channels, 1.0)
    if m.max() > 1.5:  # stats given on the 0-255 scale
        m, s = m / 255.0, s / 255.0
    return m, np.where(s > 1e-12, s, 1.0)


def _channel_stats(value: Any, channels: int, default: float) -> np.ndarray:
    v = np.ravel(np.asarray(default if value is None else value, dtype=np.float64))
    if v.size == 1:
        return np.full(channels, float(v[0]))
    if v.size != channels:
        raise PredictError(_msg("bad-stats", n=v.size, c=channels), "bad-stats")
    return v


def _shape_str(shape: Sequence[int]) -> str:
    return "x".join(str(s) for s in shape) or "()"


_MESSAGES = {
    "vector-model": {
        "en": "This model takes {n} numbers, not an image, so it cannot read drawings; "
        "use an image model such as cnn-mnist for Predict.",
        "zh": "这个模型的输入是 {n} 个数，而不是图像，无法识别图画；"
        "请使用 cnn-mnist 等图像模型。",
    },
    "not-image-model": {
        "en": "This model's input ({shape}) is not a gray or colour image, so it "
        "cannot read drawings; use an image model such as cnn-mnist for Predict.",
        "zh": "这个模型的输入（{shape}）不是灰度或彩色图像，无法识别图画；"
        "请使用 cnn-mnist 等图像模型。",
    },
    "blank": {
        "en": "The image is blank: draw something or open an image with a digit on it.",
        "zh": "图像是空白的：请画点什么，或打开一张写有数字的图片。",
    },
    "bad-array": {
        "en": "An image must be H x W or H x W x 3 pixels, not {shape}.",
        "zh": "图像应为 H x W 或 H x W x 3 像素，而不是 {shape}。",
    },
    "bad-stats": {
        "en": "The normalization has {n} values but the model has {c} channels; "
        "retrain the model with its dataset.",
        "zh": "归一化参数有 {n} 个值，但模型有 {c} 个通道；请用对应的数据集重新训练。",
    },
}


_msg = formatter(_MESSAGES)
