"""CIFAR-10 from its *binary* release, read as fixed-size records with numpy.

The better-known python release is a set of pickles, and unpickling a downloaded
file can run arbitrary code; the binary release holds the same images as plain bytes:
each record is 1 label byte then 1024 red, 1024 green and 1024 blue bytes.
"""

from __future__ import annotations

import os
import re
import tarfile
import zlib
from pathlib import Path

import numpy as np
import torch

from nnstudio.core.errors import DatasetError
from nnstudio.core.userfiles import UserFileError, open_regular

from .base import Data, check_memory, image_data
from .messages import fail, say

ARCHIVE = "cifar-10-binary.tar.gz"
SIDE = 32
RECORD = 1 + 3 * SIDE * SIDE  # label byte + 3 colour planes
CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
TRAIN_RE = re.compile(r"^data_batch_\d+\.bin$")
VAL_NAME = "test_batch.bin"  # the official test batch is our validation part
MAX_MEMBERS = 1000  # the official archive has 8 entries; more is not CIFAR-10


def find_cifar(folder: Path) -> Path | None:
    """The archive or the folder of .bin batches inside `folder`, if any."""
    if (folder / ARCHIVE).is_file():
        return folder / ARCHIVE
    for candidate in (folder, folder / "cifar-10-batches-bin"):
        if (candidate / VAL_NAME).is_file():
            return candidate
    return None


def records(raw: bytes, source: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Images (N x 3 x 32 x 32 uint8) and labels (N int64) from batch bytes."""
    if len(raw) == 0 or len(raw) % RECORD:
        fail("bad_file", path=source, kind="CIFAR-10", reason=f"{len(raw)} bytes")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(-1, RECORD)
    labels = torch.from_numpy(rows[:, 0].astype(np.int64))
    images = torch.from_numpy(rows[:, 1:].reshape(-1, 3, SIDE, SIDE).copy())
    return images, labels


def _batches(path: Path) -> dict[str, bytes]:
    """Name -> bytes of each batch, from the archive (never extracted to disk).

    Every size is checked before it is read: each batch must be whole records, all
    of them together at most MAX_DATASET_BYTES, and an archive member must hold the
    bytes its header declares. A FIFO in place of a file is refused, not waited on.
    """
    try:
        if path.is_dir():
            return _folder_batches(path)
        with (
            open_regular(path, str(path)) as raw,
            tarfile.open(fileobj=raw, mode="r:gz") as tar,
        ):
            return _archive_batches(tar, path)
    except UserFileError as exc:
        raise DatasetError(str(exc), exc.code) from None
    except (OSError, EOFError, zlib.error, tarfile.TarError) as exc:
        fail("bad_file", path=str(path), kind="CIFAR-10", reason=str(exc) or "tar")


def _folder_batches(folder: Path) -> dict[str, bytes]:
    batches, total = {}, 0
    for p in sorted(folder.iterdir()):
        if not _wanted(p.name):
            continue
        with open_regular(p, str(p)) as f:
            size = os.fstat(f.fileno()).st_size
            total = _checked(size, total, f"{folder}/{p.name}", str(folder))
            batches[p.name] = f.read(size + 1)
            _check_length(batches[p.name], size, f"{folder}/{p.name}")
    return batches


def _archive_batches(tar: tarfile.TarFile, path: Path) -> dict[str, bytes]:
    batches, total = {}, 0
    for count, member in enumerate(tar, start=1):
        if count > MAX_MEMBERS:
            fail("bad_file", path=str(path), kind="CIFAR-10", reason=say("r_members"))
        name = Path(member.name).name
        if not (member.isfile() and _wanted(name)):
            continue
        source = f"{path}/{name}"
        total = _checked(member.size, total, source, str(path))
        handle = tar.extractfile(member)
        data = handle.read(member.size + 1) if handle is not None else b""
        _check_length(data, member.size, source)
        batches[name] = data
    return batches


def _checked(size: int, total: int, source: str, where: str) -> int:
    """The running total after one more batch of `size` bytes, both checked."""
    if size == 0 or size % RECORD:
        fail("bad_file", path=source, kind="CIFAR-10", reason=f"{size} bytes")
    check_memory(where, total + size)
    return total + size


def _check_length(data: bytes, size: int, source: str) -> None:
    if len(data) != size:
        reason = say("r_idx_length", want=size, got=len(data))
        fail("bad_file", path=source, kind="CIFAR-10", reason=reason)


def _wanted(name: str) -> bool:
    return bool(TRAIN_RE.match(name)) or name == VAL_NAME


def load_cifar(path: Path, *, name: str = "cifar10") -> Data:
    """The official split: the five data batches train, the test batch validates."""
    batches = _batches(path)
    train = [records(raw, f"{path}/{n}") for n, raw in batches.items() if n != VAL_NAME]
    if not train or VAL_NAME not in batches:
        fail("not_dataset", path=str(path))
    x_va, y_va = records(batches[VAL_NAME], f"{path}/{VAL_NAME}")
    x_tr = torch.cat([x for x, _ in train])
    y_tr = torch.cat([y for _, y in train])
    return image_data(name, (x_tr, x_va), (y_tr, y_va), CLASSES)
