"""A gray drawing or photo -> the field a model saw in training (no torch).

MNIST fitted each digit into a 20x20 box (aspect ratio kept), antialiased, and moved
it so its centre of mass sits at the centre of a 28x28 field, bright ink on black;
Fashion-MNIST filled the field and centred the bounding box. `to_field` redoes that
for any size: find the ink (orientation, contrast, specks), even out the strokes,
fit and centre. preprocess.py turns files and canvases into its input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image


def _ndimage() -> Any:
    """scipy.ndimage, imported on first use (0.7 s: kept off the window's start);
    None without scipy (it ships with scikit-learn; the numpy fallbacks only keep
    this importable)."""
    try:
        from scipy import ndimage
    except ImportError:  # pragma: no cover
        return None
    return ndimage


BOX_FRACTION = 20 / 28  # MNIST fits each digit in 20x20 of its 28x28 field
WORK_SCALE = 4  # stroke width is adjusted at 4x the output size: cheap, still smooth
MIN_CONTRAST = 0.12  # under ~30 grey levels between ink and paper counts as blank
NOISE_LEVEL = 0.08  # JPEG ringing and paper texture below this are not ink
INK_LEVEL = 0.35  # pixels above this count as ink for the bounding box and specks
SPECK_FRACTION = 0.02  # ink blobs under 2% of all ink are dust or stray taps
# Stroke width in output pixels of a 28 px field: the 10th-90th percentile of MNIST
# digits measured the same way. Thinner strokes are thickened, thicker ones thinned.
STROKE_WIDTH = (1.7, 3.2)

LAYOUTS = ("digit", "object")


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


def _resize(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Antialiased float resize (Pillow widens the filter when shrinking)."""
    im = Image.fromarray(np.ascontiguousarray(img, dtype=np.float32))
    out = im.resize((size[1], size[0]), Image.Resampling.BILINEAR)
    return np.clip(np.asarray(out, dtype=np.float32), 0.0, None)
