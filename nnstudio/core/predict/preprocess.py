"""Canvas drawings and image files -> model input, prepared like the training data.

A model trained on MNIST has only ever seen digits that were fitted into a 20x20 box
(aspect ratio kept), antialiased, and moved so their centre of mass sits at the centre
of a 28x28 field, bright ink on black. A raw canvas drawing (black on white, anywhere,
any size) looks nothing like that: a plain resize gets about one digit in five right.
This module redoes the MNIST recipe (field.py) for any drawing or photo, so the
canvas, the "Open image" button and `nnstudio predict` all feed the model the same
thing.

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
from nnstudio.core.predict.field import MIN_CONTRAST, to_field
from nnstudio.core.userfiles import UserFileError, open_image

MAX_SIDE = 1024  # files are decoded/shrunk to this first: an 8000 px photo stays small
MIN_SIDE = 4  # an "image" smaller than 4x4 is a feature vector in disguise

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
