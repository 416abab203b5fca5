"""Files the user hands to nnstudio, opened so that opening one never hurts.

Three things can go wrong merely by opening a file someone else made:

- Pillow recognises a file by its bytes, not its name, and for some formats it runs
  another program: an EPS/PostScript file called `digit.png` is handed to
  Ghostscript, which executes it. Images are therefore opened with an allow-list of
  plain raster formats (`RASTER_FORMATS`); nothing else is even parsed.
- A small file can claim a huge image (a 40 KB PNG of 20000 x 20000 pixels decodes
  to 1.6 GB). The size in the header is checked before a single pixel is decoded.
- A FIFO (or a device) blocks whoever opens it for reading until another program
  writes to it, so a window would hang. `open_regular` opens without blocking and
  refuses anything that is not a regular file.

The pixels then come out one way for every caller (Predict, "Open image", drag and
drop, image-folder datasets): 8-bit gray or RGB, upright, 16-bit images scaled
rather than clipped, transparency flattened by `flatten_alpha`'s single rule.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps

from nnstudio.core import fileio
from nnstudio.core.i18n import formatter

# Decoded by Pillow's own C code, never by an outside program. GIF, TIFF and WebP
# may hold several frames: Pillow shows the first, which is the one we read.
RASTER_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP")
# Pillow's own decompression-bomb threshold (89 megapixels, ~9500 x 9500): a phone
# photo is 12-50 megapixels, a bigger image is a scan nobody feeds a digit model.
MAX_PIXELS = int(Image.MAX_IMAGE_PIXELS or 89_478_485)
STATS_SIDE = 128  # the ink colour of a transparent image is judged on a small copy
SIXTEEN_BIT = {"I;16", "I;16B", "I;16L", "I;16N"}
DEEP_MODES = SIXTEEN_BIT | {"I", "F"}  # more than 8 bits of gray per pixel
GRAY_MODES = DEEP_MODES | {"1", "L", "LA", "La"}


class UserFileError(Exception):
    """A file nnstudio will not read; `str(exc)` is one line naming it, `code` says
    why ("not-found", "not-file", "not-image", "too-large")."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@contextlib.contextmanager
def open_regular(
    path: str | os.PathLike, label: str | None = None
) -> Iterator[BinaryIO]:
    """`open(path, "rb")` that refuses a FIFO, a device or a socket at once.

    The file is opened non-blocking and checked on the open descriptor (no window
    for the path to be swapped between a check and the open); a directory or a
    missing path says "no such file". `label` names the file in messages (default:
    its name).
    """
    path = Path(path)
    name = label or path.name
    try:
        handle = fileio.open_regular(path)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise UserFileError(_msg("missing", name=name), "not-found") from None
    except fileio.NotRegularFile:
        if path.is_dir():
            raise UserFileError(_msg("missing", name=name), "not-found") from None
        raise UserFileError(_msg("not-regular", name=name), "not-file") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        message = _msg("unreadable", name=name, reason=reason)
        raise UserFileError(message, "not-file") from None
    with handle:
        yield handle


def open_image(
    path: str | os.PathLike, *, max_side: int | None = None, label: str | None = None
) -> Image.Image:
    """The image at `path` as an 8-bit "L" or "RGB" Pillow image, upright.

    Only `RASTER_FORMATS` are parsed; an image of more than `MAX_PIXELS` is refused
    from its header. With `max_side`, a JPEG is decoded at a reduced scale and any
    image shrunk to fit (a phone photo never costs hundreds of megabytes). Raises
    UserFileError naming the file (`label`, default its name).
    """
    name = label or Path(path).name
    with open_regular(path, name) as handle:
        try:
            with _decoder_warnings(), Image.open(handle, formats=RASTER_FORMATS) as im:
                _check_size(im, name)
                if max_side:
                    im.draft(None, (max_side, max_side))  # JPEG: 1/2, 1/4 or 1/8
                    im.thumbnail((max_side, max_side))
                else:
                    im.load()
                return to_8bit(ImageOps.exif_transpose(im))
        except UserFileError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UserFileError(_too_large(name), "too-large") from None
        except Exception:  # noqa: BLE001 - a hostile file may break any parser step
            # (UnidentifiedImageError, OSError, SyntaxError, struct.error from broken
            # EXIF, ...): whatever it is, the file is not an image we can read.
            raise UserFileError(_msg("not-image", name=name), "not-image") from None


@contextlib.contextmanager
def _decoder_warnings() -> Iterator[None]:
    """No warning of Pillow's reaches the terminal as a second line: between 1x
    and 2x its pixel limit it only warns (made an error here: the header check
    refuses those), and a damaged file's "Corrupt EXIF data" is not news to a
    user who gets a prediction or a one-line refusal anyway."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _check_size(im: Image.Image, name: str) -> None:
    width, height = im.size
    if width * height > MAX_PIXELS:
        raise UserFileError(_too_large(name), "too-large")


def _too_large(name: str) -> str:
    return _msg("too-large", name=name, limit=MAX_PIXELS // 1_000_000)


def to_8bit(im: Image.Image) -> Image.Image:
    """Any Pillow mode -> "L" (gray sources) or "RGB", transparency flattened.

    16-bit gray keeps its full range scaled to 0-255 (Pillow's own convert clips
    everything above 255 to white). The exported script repeats these rules, so
    its data matches nnstudio's.
    """
    if im.mode in DEEP_MODES:  # (a transparent colour key here is rare: ignored)
        return Image.fromarray(deep_to_8bit(np.asarray(im)), "L")
    if _has_alpha(im):
        return flatten_alpha(im)
    if im.mode in ("1", "L"):
        return im.convert("L")
    return im.convert("RGB")


def deep_to_8bit(a: np.ndarray) -> np.ndarray:
    """16-bit (or 32-bit integer) or float gray pixels -> uint8 on the same scale.

    Integers are on the 16-bit scale, 0-65535 (what a 16-bit PNG means; Pillow
    also reads some as 32-bit "I"); floats are fractions 0-1 if none is above 1,
    else levels 0-255. The exported script repeats these lines.
    """
    if a.dtype.kind == "f":
        a = np.nan_to_num(a.astype(np.float64))
        scale = 255.0 if a.size and float(a.max()) <= 1.0 else 1.0
        return np.clip(np.round(a * scale), 0, 255).astype(np.uint8)
    return (np.clip(a, 0, 65535).astype(np.uint16) >> 8).astype(np.uint8)


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info


def flatten_alpha(im: Image.Image) -> Image.Image:
    """Transparent pixels become paper of the colour the drawing stands out from.

    The one rule for predict and import alike: a transparent pixel holds nothing,
    so it becomes paper; the paper is white under dark ink and black under light
    ink (judged on the opaque pixels), so black-on-transparent and
    white-on-transparent digits both stay visible. A model that wants light ink on
    black (MNIST) then gets it from `preprocess`, which reads either polarity.
    """
    gray = im.mode in GRAY_MODES or (im.mode == "PA" and _gray_palette(im))
    rgba = im.convert("RGBA")
    paper = 255 if ink_is_dark(rgba) else 0
    sheet = Image.new("RGBA", rgba.size, (paper, paper, paper, 255))
    flat = Image.alpha_composite(sheet, rgba)
    return flat.convert("L" if gray else "RGB")


def ink_is_dark(rgba: Image.Image) -> bool:
    """Whether the opaque pixels of `rgba` are darker than mid-grey on average
    (weighted by opacity); an image with no opaque pixel counts as dark ink, so
    it becomes plain white paper."""
    small = rgba.copy()
    small.thumbnail((STATS_SIDE, STATS_SIDE))
    a = np.asarray(small, dtype=np.float64) / 255.0
    weight = a[..., 3]
    if float(weight.sum()) <= 0:
        return True
    lum = a[..., :3] @ np.array([0.299, 0.587, 0.114])
    return float((lum * weight).sum() / weight.sum()) < 0.5


def _gray_palette(im: Image.Image) -> bool:
    palette = np.asarray(im.getpalette() or [], dtype=np.int32).reshape(-1, 3)
    return bool(palette.size) and bool((palette == palette[:, :1]).all())


_MESSAGES = {
    "missing": {
        "en": "{name}: no such file.",
        "zh": "{name}：文件不存在。",
    },
    "unreadable": {
        "en": "Cannot open {name} ({reason}); check that you may read it.",
        "zh": "无法打开 {name}（{reason}）；请检查是否有读取权限。",
    },
    "not-regular": {
        "en": "{name} is not a regular file (a pipe, device or socket); choose a "
        "file saved on disk.",
        "zh": "{name} 不是普通文件（而是管道、设备或套接字）；请选择保存在磁盘上的"
        "文件。",
    },
    "not-image": {
        "en": "{name} is not an image nnstudio can read; it opens PNG, JPEG, BMP, "
        "GIF, TIFF and WebP files only.",
        "zh": "{name} 不是可读取的图像；nnstudio 只打开 PNG、JPEG、BMP、GIF、TIFF "
        "和 WebP 文件。",
    },
    "too-large": {
        "en": "{name} is too large to open safely (more than {limit} megapixels); "
        "save a smaller copy and try again.",
        "zh": "{name} 太大，无法安全打开（超过 {limit} 百万像素）；请另存一个较小的"
        "版本后重试。",
    },
}


_msg = formatter(_MESSAGES)
