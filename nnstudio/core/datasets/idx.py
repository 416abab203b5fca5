"""IDX files (the MNIST format) found in a folder, downloaded or imported by hand.

Parsing is torchvision's (`read_image_file` / `read_label_file`); those read plain
files only, so a `.gz` file is first decompressed into a temporary folder.
"""

from __future__ import annotations

import gzip
import re
import shutil
import tempfile
import zlib
from pathlib import Path

import torch

from .base import Data, Request, image_data, split_images
from .messages import fail

# "train-images-idx3-ubyte", "mnist-8k-images-idx3-ubyte.gz", "t10k-images.idx3-ubyte"
IMAGES_RE = re.compile(r"^(?P<prefix>.*)images[-.]idx3-ubyte(?P<gz>\.gz)?$")
OFFICIAL = ("train", "t10k")  # the official MNIST-family split: train / test files


def find_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """Every images file in `folder` with its labels file, sorted by name.

    An images file without labels is an error rather than silently skipped: the
    student would otherwise train on less data than they put there.
    """
    pairs: dict[str, tuple[Path, Path]] = {}
    for path in sorted(folder.iterdir()):
        match = IMAGES_RE.match(path.name)
        if not match or not path.is_file() or match["prefix"] in pairs:
            continue
        pairs[match["prefix"]] = (path, _labels_for(path, match["prefix"]))
    return list(pairs.values())


def _labels_for(images: Path, prefix: str) -> Path:
    names = [f"{prefix}labels{sep}idx1-ubyte" for sep in ("-", ".")]
    for name in names:
        for candidate in (name, name + ".gz"):
            if (images.parent / candidate).is_file():
                return images.parent / candidate
    fail("idx_labels", images=images.name, labels=names[0])


def read_idx(path: Path, kind: str) -> torch.Tensor:
    """Images (N x H x W uint8) or labels (N int64) from one IDX file."""
    from torchvision.datasets.mnist import read_image_file, read_label_file

    reader = read_image_file if kind == "images" else read_label_file
    try:
        if path.suffix != ".gz":
            return reader(str(path))
        with tempfile.TemporaryDirectory(prefix="nnstudio-idx-") as tmp:
            plain = Path(tmp) / path.stem
            with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
                shutil.copyfileobj(src, dst)
            return reader(str(plain))
    except (
        OSError,
        EOFError,
        zlib.error,
        AssertionError,
        ValueError,
        TypeError,
        KeyError,
        RuntimeError,
    ) as exc:
        fail("bad_file", path=str(path), kind=f"IDX {kind}", reason=_reason(exc))


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def read_pair(images: Path, labels: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """One images/labels pair as (N x 1 x H x W uint8, N int64), counts checked."""
    x = read_idx(images, "images")
    y = read_idx(labels, "labels")
    if len(x) != len(y):
        fail("idx_count", images=images.name, labels=labels.name, n=len(x), m=len(y))
    return x.unsqueeze(1), y


def _concat(pairs: list[tuple[torch.Tensor, torch.Tensor]], folder: Path):
    sizes = {tuple(x.shape[2:]) for x, _ in pairs}
    if len(sizes) > 1:
        fail("idx_shape", path=str(folder), sizes=", ".join(map(str, sorted(sizes))))
    return torch.cat([x for x, _ in pairs]), torch.cat([y for _, y in pairs])


def _official(files: list[tuple[Path, Path]]) -> dict[str, list] | None:
    """Files grouped by official split, or None when the names do not say."""
    groups: dict[str, list] = {s: [] for s in OFFICIAL}
    for pair in files:
        split = next((s for s in OFFICIAL if pair[0].name.startswith(s + "-")), None)
        if split is None:
            return None
        groups[split].append(pair)
    return groups if all(groups.values()) else None


def load_idx_folder(
    folder: Path,
    req: Request,
    *,
    name: str | None = None,
    class_names: tuple[str, ...] | None = None,
    files: list[tuple[Path, Path]] | None = None,
) -> Data:
    """Images from every IDX pair in `folder`.

    Files named train-*/t10k-* keep the official split (t10k is the validation
    part); any other names are pooled and split 80/20 with `req.seed`.
    """
    files = files if files is not None else find_pairs(folder)
    groups = _official(files)
    if groups:
        x_tr, y_tr = _concat([read_pair(*p) for p in groups["train"]], folder)
        x_va, y_va = _concat([read_pair(*p) for p in groups["t10k"]], folder)
        x, y = (x_tr, x_va), (y_tr, y_va)
    else:
        x, y = split_images(*_concat([read_pair(*p) for p in files], folder), req.seed)
    every = torch.cat(y)
    count = int(every.max()) + 1 if len(every) else 0
    if not class_names or len(class_names) < count:
        class_names = tuple(str(i) for i in range(count))
    return image_data(name or folder.name, x, y, class_names)
