"""Datasets the student brings: a path instead of a name.

A folder is recognised by what it holds (IDX files, CIFAR-10 binary files, or one
subfolder of images per class); a file is a CSV table, a CIFAR-10 archive or an IDX
images file. The first match wins, in that order.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import torch

from nnstudio.core.errors import DatasetError
from nnstudio.core.userfiles import UserFileError, open_image

from .base import Data, Request, check_memory, image_data, split_images
from .cifar import find_cifar, load_cifar
from .csv_table import load_csv
from .download import INFOS as DOWNLOADS
from .download import identify
from .idx import IMAGES_RE, find_pairs, load_idx_folder
from .messages import fail, say

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


def load_path(path: Path, req: Request) -> Data:
    """Whatever dataset lives at `path`; DatasetError when nothing fits."""
    try:
        if path.is_dir():
            return _load_folder(path, req)
        if path.is_file():
            return _load_file(path, req)
    except PermissionError:
        fail("bad_path", path=str(path), reason=say("r_permission"))
    # a FIFO or a device exists but would block (or never end) when read
    reason = say("r_not_regular" if path.exists() else "r_not_found")
    fail("bad_path", path=str(path), reason=reason)


def _load_file(path: Path, req: Request) -> Data:
    if path.name.endswith((".tar.gz", ".tgz")):
        return load_cifar(path, name=path.name.split(".")[0])
    if IMAGES_RE.match(path.name):
        pairs = [p for p in find_pairs(path.parent) if p[0] == path]
        return load_idx_folder(path.parent, req, name=path.stem, files=pairs)
    return load_csv(path, req)


def _load_folder(folder: Path, req: Request) -> Data:
    pairs = find_pairs(folder)
    if pairs:
        known = identify(folder)
        names = _known_classes(known)
        return load_idx_folder(folder, req, class_names=names, files=pairs)
    cifar = find_cifar(folder)
    if cifar is not None:
        return load_cifar(cifar, name=folder.name)
    classes = class_folders(folder)
    if classes:
        return load_image_folder(folder, classes, req)
    fail("not_dataset", path=str(folder))


def _known_classes(name: str | None) -> tuple[str, ...] | None:
    classes = {info.name: info.class_names for info in DOWNLOADS}
    return classes.get(name) if name else None


def class_folders(folder: Path) -> dict[str, list[Path]]:
    """Subfolder name -> its image files, for subfolders holding any images.

    A pipe or device with an image's name is kept, so that opening it refuses it by
    name instead of the image silently going missing from the dataset.
    """
    found = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name.startswith("."):
            continue
        files = sorted(
            f
            for f in sub.iterdir()
            if f.suffix.lower() in IMAGE_SUFFIXES and not f.is_dir()
        )
        if files:
            found[sub.name] = files
    return found


def load_image_folder(folder: Path, classes: dict[str, list[Path]], req: Request):
    """One class per subfolder; every image resized to the most common size (or
    the `image_size` option).

    Images are kept gray (1 channel) when every one of them is gray, otherwise RGB,
    so a folder of scanned digits stays MNIST-like (the `color` option forces one).
    Each file is opened as Predict opens one (`userfiles.open_image`: raster
    formats only, size checked first, 16-bit scaled, transparency flattened by the
    same rule), so a model sees the same pixels when it trains on a file and when
    it is asked about it. `val_fraction` and `augment` are in folder_options.py.
    """
    from .folder_options import FolderOptions

    opts = FolderOptions.from_options(req.options, str(folder))
    files = [f for fs in classes.values() for f in fs]
    labels = np.repeat(np.arange(len(classes)), [len(fs) for fs in classes.values()])
    size, gray = _survey(files, folder)
    size = (opts.image_size, opts.image_size) if opts.image_size else size
    gray = gray if opts.color == "auto" else opts.color == "gray"
    channels = 1 if gray else 3
    check_memory(folder.name, len(files) * size[0] * size[1] * channels)
    images = np.stack([_pixels(f, folder, size, gray) for f in files])
    images = images[:, None] if gray else images.transpose(0, 3, 1, 2)
    if req.options.keys() & {"val_fraction", "augment"}:
        return _split_with_options(folder, classes, images, labels, opts, req.seed)
    x, y = split_images(torch.from_numpy(images), torch.from_numpy(labels), req.seed)
    return image_data(folder.name, x, y, tuple(classes))


def _split_with_options(folder, classes, images, labels, opts, seed: int):
    from .folder_options import augment, split

    train, val = split(len(images), opts.val_fraction, seed)
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    x_tr, y_tr = x[train], y[train]
    if opts.augment:
        x_tr, y_tr = augment(x_tr, y_tr, seed, opts.flip)
    return image_data(folder.name, (x_tr, x[val]), (y_tr, y[val]), tuple(classes))


def _open(path: Path, folder: Path):
    """The image as 8-bit "L" or "RGB"; DatasetError naming class/file otherwise."""
    inside = path.relative_to(folder) if path.is_relative_to(folder) else path.name
    try:
        return open_image(path, label=f"{folder.name}/{inside}")
    except UserFileError as exc:
        raise DatasetError(str(exc), exc.code) from None


def _survey(files: list[Path], folder: Path) -> tuple[tuple[int, int], bool]:
    """The most common (width, height) and whether all images are gray."""
    sizes: Counter[tuple[int, int]] = Counter()
    gray = True
    for path in files:
        with _open(path, folder) as image:
            sizes[image.size] += 1
            gray = gray and _is_gray(image)
    return sizes.most_common(1)[0][0], gray


def _is_gray(image) -> bool:
    if image.mode == "L":
        return True
    rgb = np.asarray(image)
    return bool(
        (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    )


def _pixels(path: Path, folder: Path, size: tuple[int, int], gray: bool) -> np.ndarray:
    from PIL import Image

    with _open(path, folder) as image:
        converted = image.convert("L" if gray else "RGB")
        if converted.size != size:
            converted = converted.resize(size, Image.Resampling.BILINEAR)
        return np.asarray(converted, dtype=np.uint8)
