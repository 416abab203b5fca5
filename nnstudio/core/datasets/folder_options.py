"""Options for a folder of images (one subfolder per class), as a user expects them:
image size, gray or colour, the validation fraction, and light augmentation.

Augmentation here is done once, at load time: each training image gets
`AUGMENT_COPIES` extra copies, each flipped (when `flip` is on), shifted by up to
`SHIFT_PX` pixels and turned by up to `ROTATE_DEG` degrees. The copies are in the
training data like any sample, so the preview shows them, validation stays
untouched, and a frozen body can still be cached (its inputs never change).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from .messages import fail

AUGMENT_COPIES = 2  # extra training copies per image: 3x the data, still small
SHIFT_PX = 2  # a few pixels: a digit moved, not a different digit
ROTATE_DEG = 10.0  # a slight turn, as a hand draws it
COLORS = ("auto", "gray", "rgb")
DEFAULTS: dict[str, Any] = {"image_size": None, "color": "auto", "val_fraction": 0.2,
                            "augment": False, "flip": True}


@dataclass(frozen=True)
class FolderOptions:
    image_size: int | None = None  # square side in pixels; None: most common size
    color: str = "auto"
    val_fraction: float = 0.2
    augment: bool = False
    flip: bool = True  # a mirrored 'b' is a 'd': drawn symbols may want it off

    @classmethod
    def from_options(cls, options: dict[str, Any], where: str) -> FolderOptions:
        size = options.get("image_size")
        color = str(options.get("color", "auto")).lower()
        fraction = options.get("val_fraction", 0.2)
        try:
            size = None if size in (None, "", 0, "0") else int(size)
            fraction = float(fraction)
        except (TypeError, ValueError):
            fail("option", name=where, option="image_size/val_fraction",
                 options=", ".join(DEFAULTS))
        if size is not None and not 4 <= size <= 512:
            fail("bad_value", option="image_size", value=size, choices="4..512")
        if not 0.0 < fraction < 1.0:
            fail("bad_value", option="val_fraction", value=fraction,
                 choices="between 0 and 1")
        if color not in COLORS:
            fail("bad_value", option="color", value=color, choices=", ".join(COLORS))
        return cls(size, color, fraction, _flag(options.get("augment", False)),
                   _flag(options.get("flip", True)))


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def split(count: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded split; both parts keep at least one sample."""
    if count < 2:
        fail("too_few", count=count)
    order = np.random.default_rng(seed).permutation(count)
    n_val = min(count - 1, max(1, round(count * fraction)))
    return order[n_val:], order[:n_val]


def augment(images: torch.Tensor, labels: torch.Tensor, seed: int, flip: bool = True
            ) -> tuple[torch.Tensor, torch.Tensor]:
    """The images plus AUGMENT_COPIES lightly changed copies of each (uint8 NCHW)."""
    from torchvision.transforms.v2 import functional as F

    gen = torch.Generator().manual_seed(seed)
    copies = [images]
    for _ in range(AUGMENT_COPIES):
        n = len(images)
        angle = (torch.rand(n, generator=gen) * 2 - 1) * ROTATE_DEG
        shift = torch.randint(-SHIFT_PX, SHIFT_PX + 1, (n, 2), generator=gen)
        mirror = (torch.rand(n, generator=gen) < 0.5) & flip
        out = torch.empty_like(images)
        for i in range(n):
            img = F.hflip(images[i]) if mirror[i] else images[i]
            out[i] = F.affine(img, angle=float(angle[i]),
                              translate=[int(shift[i, 0]), int(shift[i, 1])],
                              scale=1.0, shear=[0.0, 0.0])
        copies.append(out)
    return torch.cat(copies), labels.repeat(AUGMENT_COPIES + 1)


def copies_of(train_count: int, i: int) -> list[int]:
    """Where training image `i`'s augmented copies are in an augmented training set
    of `train_count` images (`augment` appends each round of copies after the
    originals), so a preview shows exactly what the model trains on."""
    originals = train_count // (AUGMENT_COPIES + 1)
    return [i + k * originals for k in range(1, AUGMENT_COPIES + 1)]


def augment_on(options: dict[str, Any]) -> bool:
    """Whether loaded data's recorded options turned augmentation on."""
    return _flag(options.get("augment", False))
