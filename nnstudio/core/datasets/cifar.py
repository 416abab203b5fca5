"""CIFAR-10 from its *binary* release, read as fixed-size records with numpy.

The better-known python release is a set of pickles, and unpickling a downloaded
file can run arbitrary code; the binary release holds the same images as plain bytes:
each record is 1 label byte then 1024 red, 1024 green and 1024 blue bytes.
"""

from __future__ import annotations

import re
import tarfile
import zlib
from pathlib import Path

import numpy as np
import torch

from .base import Data, image_data
from .messages import fail

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
    """Name -> bytes of each batch, from the archive (never extracted to disk)."""
    if path.is_dir():
        return {
            p.name: p.read_bytes() for p in sorted(path.iterdir()) if _wanted(p.name)
        }
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
            return {
                Path(m.name).name: tar.extractfile(m).read()
                for m in members
                if _wanted(Path(m.name).name)
            }
    except (OSError, EOFError, zlib.error, tarfile.TarError) as exc:
        fail("bad_file", path=str(path), kind="CIFAR-10", reason=str(exc) or "tar")


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
