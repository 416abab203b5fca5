"""The data part of an exported script for a path: IDX files, CIFAR-10 binaries,
class folders, a CSV table.

The path is inspected now with nnstudio's own readers; the script gets what they
found as constants (files, label column, class names, image size), so it does not
have to guess them again. Registry datasets are in data.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nnstudio.core.export import template as T
from nnstudio.core.export.data import Recipe, Section, unsupported, with_limit


def path_section(recipe: Recipe) -> Section:
    """Inspect the data at the path with nnstudio's readers, then write its loader."""
    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.datasets.cifar import find_cifar
    from nnstudio.core.datasets.idx import IMAGES_RE, find_pairs
    from nnstudio.core.datasets.imported import class_folders

    path = Path(recipe.source).expanduser()
    if not path.exists():
        raise unsupported(recipe.source)
    options = {k: v for k, v in recipe.options.items() if k in ("label", "task")}
    data = load_dataset(str(path), seed=recipe.seed, **options)  # fails plainly
    if path.is_dir() and find_pairs(path):
        section = _idx_section(path, find_pairs(path), recipe)
    elif path.is_file() and IMAGES_RE.match(path.name):
        pairs = [p for p in find_pairs(path.parent) if p[0] == path]
        section = _idx_section(path.parent, pairs, recipe)
    elif path.is_dir() and find_cifar(path) is not None:
        section = _cifar_section(find_cifar(path), recipe)
    elif path.is_file() and path.name.endswith((".tar.gz", ".tgz")):
        section = _cifar_section(path, recipe)
    elif path.is_dir() and class_folders(path):
        section = _folder_section(path, data, recipe)
    elif path.is_file():
        section = _csv_section(path, data, recipe)
    else:
        raise unsupported(recipe.source)
    section.input_shape = tuple(data.input_shape)
    section.args = (
        '    parser.add_argument("--data", default=DATA_PATH,\n'
        '                        help="the dataset\'s file or folder")\n'
    )
    return section


def _idx_section(
    folder: Path, pairs: list[tuple[Path, Path]], recipe: Recipe
) -> Section:
    names = [(i.name, lbl.name) for i, lbl in pairs]
    train = [p for p in names if p[0].startswith("train-")]
    test = [p for p in names if p[0].startswith("t10k-")]
    official = bool(train) and bool(test) and len(train) + len(test) == len(names)
    section = Section(
        "classification",
        constants={"DATA_PATH": str(folder.resolve()), "DATA_SEED": recipe.seed},
        imports={
            "import gzip",
            "import shutil",
            "import tempfile",
            "from pathlib import Path",
            "from torchvision.datasets.mnist import read_image_file, read_label_file",
        },
        blocks=[T.IMAGES, T.IDX],
    )
    if official:  # train-* trains, t10k-* tests: the official MNIST split
        section.constants |= {"TRAIN_FILES": train, "TEST_FILES": test}
        call = (
            "image_data(*read_pairs(folder, TRAIN_FILES),\n"
            "                      *read_pairs(folder, TEST_FILES))"
        )
    else:  # other names: pooled, then split 80/20 with the seed
        section.constants["FILES"] = names
        section.blocks.append(T.SPLIT_IMAGES)
        call = "split_images(*read_pairs(folder, FILES), DATA_SEED)"
    section.load = (
        "def load_data(args) -> Data:\n"
        '    """The IDX (MNIST format) files in the data folder."""\n'
        "    folder = Path(args.data)\n" + with_limit(section, recipe, call)
    )
    return section


def _cifar_section(path: Path, recipe: Recipe) -> Section:
    section = Section(
        "classification",
        constants={"DATA_PATH": str(path.resolve()), "DATA_SEED": recipe.seed},
        imports={"import re", "import tarfile", "from pathlib import Path"},
        blocks=[T.IMAGES, T.CIFAR],
    )
    section.load = (
        "def load_data(args) -> Data:\n"
        '    """CIFAR-10\'s binary batches: data_batch_* train, test_batch tests."""\n'
        "    batches = read_batches(Path(args.data))\n"
        "    train = [records(raw) for name, raw in batches.items()\n"
        "             if name != TEST_BATCH]\n"
        "    x_val, y_val = records(batches[TEST_BATCH])\n"
        "    x_train = torch.cat([x for x, _ in train])\n"
        "    y_train = torch.cat([y for _, y in train])\n"
        + with_limit(section, recipe, "image_data(x_train, y_train, x_val, y_val)")
    )
    return section


def _folder_section(folder: Path, data: Any, recipe: Recipe) -> Section:
    channels, height, width = data.input_shape
    section = Section(
        "classification",
        constants={
            "DATA_PATH": str(folder.resolve()),
            "DATA_SEED": recipe.seed,
            "CLASSES": list(data.class_names),
            "IMAGE_SIZE": (width, height),
            "MODE": "L" if channels == 1 else "RGB",
        },
        imports={"from pathlib import Path", "from PIL import Image, ImageOps"},
        blocks=[T.IMAGES, T.SPLIT_IMAGES, T.FOLDER],
        needs="numpy, Pillow",
    )
    section.load = (
        "def load_data(args) -> Data:\n"
        '    """One subfolder of images per class, all resized to one size."""\n'
        "    images, labels = read_folder(Path(args.data))\n"
        + with_limit(section, recipe, "split_images(images, labels, DATA_SEED)")
    )
    return section


def _csv_section(path: Path, data: Any, recipe: Recipe) -> Section:
    from nnstudio.core.datasets import csv_table

    rows = csv_table._read_rows(path)
    header = rows[0][1] if csv_table._has_header(rows) else None
    label = csv_table._label_column(
        header, len(rows[0][1]), recipe.options.get("label")
    )
    dialect = csv_table._dialect(path.read_text(encoding="utf-8-sig")[:65536], path)
    labels = [row[label].strip() for _, row in (rows[1:] if header else rows)]
    numeric = all(csv_table._is_number(v) for v in labels)
    constants: dict[str, Any] = {
        "DATA_PATH": str(path.resolve()),
        "DATA_SEED": recipe.seed,
        "DELIMITER": dialect.delimiter,
        "QUOTECHAR": dialect.quotechar or '"',
        "HEADER": header is not None,
        "LABEL_COLUMN": label,
    }
    if data.task == "classification":
        keys = sorted({float(v) for v in labels}) if numeric else sorted(set(labels))
        constants["CLASS_KEYS"] = keys
        to_y = (
            "[CLASS_KEYS.index(float(v)) for v in labels]"
            if numeric
            else "[CLASS_KEYS.index(v) for v in labels]"
        )
    else:
        to_y = "[float(v) for v in labels]"
    section = Section(
        data.task,
        constants=constants,
        imports={"import csv"},
        blocks=[T.TABULAR, T.CSV],
        needs="numpy",
    )
    call = f'table(x, np.asarray(y), DATA_SEED, "{data.task}", scale_targets=True)'
    section.load = (
        "def load_data(args) -> Data:\n"
        '    """The CSV table: numeric feature columns and one label column."""\n'
        "    x, labels = read_csv(args.data)\n"
        f"    y = {to_y}\n" + with_limit(section, recipe, call)
    )
    return section
