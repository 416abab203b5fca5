"""IDX files (the MNIST format) found in a folder, downloaded or imported by hand.

The format: two zero bytes, a type byte (0x08: unsigned bytes, the only one the
MNIST family uses), the number of dimensions, each dimension as a big-endian 32-bit
integer, then the data. Read here directly (plain or .gz), checked against the
header as it is read.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, NoReturn

import numpy as np
import torch

from nnstudio.core.errors import DatasetError
from nnstudio.core.userfiles import UserFileError, open_regular

from .base import Data, Request, check_memory, image_data, split_images
from .messages import fail, say

# "train-images-idx3-ubyte", "mnist-8k-images-idx3-ubyte.gz", "t10k-images.idx3-ubyte"
IMAGES_RE = re.compile(r"^(?P<prefix>.*)images[-.]idx3-ubyte(?P<gz>\.gz)?$")
OFFICIAL = ("train", "t10k")  # the official MNIST-family split: train / test files
UBYTE = 0x08  # IDX type code of unsigned bytes
READ_STEP = 1 << 20  # a .gz file is decompressed 1 MiB at a time


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
    """Images (N x H x W uint8) or labels (N int64) from one IDX file.

    The header declares the dimensions; the data must be exactly that long. It is
    checked against the file before anything is allocated (a plain file's size; a
    .gz file is decompressed in steps into an array of the declared size and
    refused the moment it runs over or stops short), so a 1 MB file declaring a
    billion images costs nothing, and no file costs more than MAX_DATASET_BYTES.
    """
    ndim = 3 if kind == "images" else 1
    try:
        with open_regular(path, str(path)) as raw:
            stream = gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw
            dims = _header(stream, ndim, path, kind)
            count = math.prod(dims)
            check_memory(str(path), count)
            if stream is raw:
                _check_plain_size(raw, 4 * (ndim + 1) + count, path, kind)
            data = _read_exactly(stream, count, path, kind)
    except UserFileError as exc:
        raise DatasetError(str(exc), exc.code) from None
    except (OSError, EOFError, zlib.error) as exc:
        fail("bad_file", path=str(path), kind=f"IDX {kind}", reason=_reason(exc))
    array = torch.from_numpy(data.reshape(dims))
    return array if kind == "images" else array.long()


def _header(stream: BinaryIO, ndim: int, path: Path, kind: str) -> tuple[int, ...]:
    """The dimensions after checking the magic number (unsigned bytes, `ndim`)."""
    head = stream.read(4 * (ndim + 1))
    if len(head) < 4 * (ndim + 1):
        _bad(path, kind, say("r_idx_header"))
    zero, dtype, dims = head[:2], head[2], head[3]
    if zero != b"\0\0" or dtype != UBYTE or dims != ndim:
        _bad(path, kind, say("r_idx_magic", magic=head[:4].hex(), want=ndim))
    return struct.unpack(f">{ndim}I", head[4:])


def _check_plain_size(raw: BinaryIO, want: int, path: Path, kind: str) -> None:
    got = os.fstat(raw.fileno()).st_size
    if got != want:
        _bad(path, kind, say("r_idx_length", want=want, got=got))


def _read_exactly(stream: BinaryIO, count: int, path: Path, kind: str) -> np.ndarray:
    """`count` bytes in steps of READ_STEP; refused if the data is longer or
    shorter than that (the array's pages are only used as bytes arrive)."""
    data = np.empty(count, dtype=np.uint8)
    view, done = memoryview(data), 0
    while done < count:
        got = stream.readinto(view[done : done + READ_STEP])
        if not got:
            _bad(path, kind, say("r_idx_short", want=count, got=done))
        done += got
    if stream.read(1):
        _bad(path, kind, say("r_idx_long", want=count))
    return data


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _bad(path: Path, kind: str, reason: str) -> NoReturn:
    fail("bad_file", path=str(path), kind=f"IDX {kind}", reason=reason)


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
