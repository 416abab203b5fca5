"""Datasets the student draws: one folder per dataset under the user data folder,
one subfolder per class, one PNG per drawing.

A drawing is stored as MNIST would have stored it (28x28, ink bright on black, the
shape in a 20 px box centred on its centre of mass: `predict.preprocess`), so a
network trained on MNIST meets drawings the way it met digits, and a drawing on
the Predict canvas is prepared the same way. The folder is an ordinary image
folder: `load_dataset(path)` loads it, and so does any other tool.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import numpy as np

from nnstudio.core.errors import DatasetError
from nnstudio.core.i18n import Text, formatter

DRAWN_FOLDER = "drawn datasets"
NAME_MAX = 60  # characters: a folder name every file system takes
_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # what Windows refuses in a file name

_MESSAGES: dict[str, Text] = {
    "bad-name": {
        "en": "'{name}' cannot be a name: use letters, digits or words (not / \\ : * "
              "? \" < > |, not empty, at most {max} characters)",
        "zh": "“{name}”不能用作名称：请使用文字、数字或单词"
              "（不能含 / \\ : * ? \" < > |，不能为空，最多 {max} 个字符）",
    },
    "blank": {"en": "the drawing is empty — draw something first",
              "zh": "画布是空的——请先画点什么"},
    "no-class": {"en": "no class '{name}' in this dataset",
                 "zh": "这个数据集中没有类别“{name}”"},
}

_msg = formatter(_MESSAGES)


def drawn_root() -> Path:
    """Where drawn datasets live: NNSTUDIO_DRAWN_DIR, else the user data folder."""
    override = os.environ.get("NNSTUDIO_DRAWN_DIR")
    if override:
        return Path(override).expanduser()
    from nnstudio.paths import user_data_dir

    return user_data_dir() / DRAWN_FOLDER


def check_name(name: str) -> str:
    """The name as a folder name (trimmed), or DatasetError in plain words."""
    clean = name.strip()
    if (not clean or len(clean) > NAME_MAX or _BAD.search(clean)
            or clean.strip(".") == "" or clean.startswith(".")):
        raise DatasetError(_msg("bad-name", name=name, max=NAME_MAX))
    return clean


def is_drawn(path: str | Path) -> bool:
    """Whether `path` is a drawn dataset's folder (one in the drawn datasets folder)."""
    try:
        return Path(path).expanduser().resolve().parent == drawn_root().resolve()
    except (OSError, RuntimeError, ValueError):  # an odd path is no drawn dataset
        return False


def drawn_datasets(root: Path | None = None) -> list[Path]:
    """Every drawn dataset's folder, by name."""
    base = root or drawn_root()
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir()
                  if p.is_dir() and not p.name.startswith("."))


class DrawnDataset:
    """One drawn dataset on disk; every change is written at once."""

    def __init__(self, name: str, root: Path | None = None) -> None:
        self.name = check_name(name)
        self.path = (root or drawn_root()) / self.name

    def classes(self) -> list[str]:
        if not self.path.is_dir():
            return []
        return sorted(p.name for p in self.path.iterdir()
                      if p.is_dir() and not p.name.startswith("."))

    def add_class(self, name: str) -> str:
        clean = check_name(name)
        (self.path / clean).mkdir(parents=True, exist_ok=True)
        return clean

    def examples(self, class_name: str) -> list[Path]:
        folder = self.path / class_name
        return sorted(folder.glob("*.png")) if folder.is_dir() else []

    def counts(self) -> dict[str, int]:
        return {c: len(self.examples(c)) for c in self.classes()}

    def add_drawing(self, class_name: str, canvas: np.ndarray) -> Path:
        """Save a canvas (H x W uint8, dark ink on white paper) as the class's next
        example; DatasetError when it is blank or the class is unknown."""
        from nnstudio.core.predict.preprocess import to_mnist_like

        folder = self.path / class_name
        if not folder.is_dir():
            raise DatasetError(_msg("no-class", name=class_name))
        field = to_mnist_like(canvas)
        if field is None:
            raise DatasetError(_msg("blank"))
        pixels = np.clip(np.rint(field * 255.0), 0, 255).astype(np.uint8)
        return _write_png(folder, pixels)

    def delete(self, example: Path) -> None:
        """Remove one drawing (a bad one); only files inside this dataset."""
        path = Path(example).resolve()
        if self.path.resolve() in path.parents and path.suffix == ".png":
            path.unlink(missing_ok=True)


def _write_png(folder: Path, pixels: np.ndarray) -> Path:
    """The next free number as name; temp file + os.replace, so a crash mid-save
    never leaves half an image in the dataset."""
    from PIL import Image

    numbers = [int(p.stem) for p in folder.glob("*.png") if p.stem.isdigit()]
    target = folder / f"{max(numbers, default=0) + 1:04d}.png"
    handle, temp = tempfile.mkstemp(suffix=".png", dir=folder, prefix=".")
    os.close(handle)
    try:
        Image.fromarray(pixels, mode="L").save(temp, format="PNG")
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return target
