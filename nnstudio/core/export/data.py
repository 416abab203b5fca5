"""The data part of an exported script: code that loads exactly what nnstudio loads.

One function per kind of source. Each returns a `Section`: the imports, constants
and helper blocks the script needs plus its `load_data(args) -> Data`. Registry
datasets are written from their declaration; a path is inspected now (with
nnstudio's own readers, path_data.py) and the script gets the facts as constants
(files, label column, class names, image size), so it does not have to guess them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nnstudio.core.errors import NNStudioError
from nnstudio.core.export import template as T
from nnstudio.core.i18n import Text, formatter, text
from nnstudio.core.training.config import TrainConfig

SUPPORTED: tuple[Text, ...] = (
    {
        "en": "generated datasets (spiral, moons, ...)",
        "zh": "生成的数据集（spiral、moons 等）",
    },
    {
        "en": "scikit-learn datasets (iris, wine, breast-cancer, diabetes, digits)",
        "zh": "scikit-learn 数据集（iris、wine、breast-cancer、diabetes、digits）",
    },
    {
        "en": "torchvision datasets (mnist, fashion-mnist, kmnist, cifar10)",
        "zh": "torchvision 数据集（mnist、fashion-mnist、kmnist、cifar10）",
    },
    {
        "en": "IDX files, CSV tables, folders of class subfolders and CIFAR-10 binary "
        "files",
        "zh": "IDX 文件、CSV 表格、按类别分成子文件夹的图片文件夹和 CIFAR-10 "
        "二进制文件",
    },
)
TORCHVISION = {
    "mnist": "MNIST",
    "fashion-mnist": "FashionMNIST",
    "kmnist": "KMNIST",
    "cifar10": "CIFAR10",
}


class ExportError(NNStudioError):
    code = "export"


# What an export the script cannot write is told as, in both languages (the CLI and
# the window say the same sentence); `_msg()` picks the user's language when the
# error is raised.
_MESSAGES: dict[str, Text] = {
    "unsupported": {
        "en": "the script exporter cannot write loading code for the dataset "
        "'{source}' — it supports {supported}; export the weights (.safetensors) or "
        "ONNX instead",
        "zh": "脚本导出器无法为数据集“{source}”写出加载代码——它支持{supported}；"
        "请改为导出权重(.safetensors)或 ONNX",
    },
    "options": {
        "en": "unknown option(s) for {name}: {options}",
        "zh": "{name} 有未知的选项：{options}",
    },
    "separator": {"en": "; ", "zh": "；"},
}


_msg = formatter(_MESSAGES)


@dataclass
class Recipe:
    """How the app loaded (or will load) the data: a registry name or a path."""

    source: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def seed(self) -> int:
        return int(self.options.get("seed", 0))

    @classmethod
    def from_config(cls, config: TrainConfig) -> Recipe:
        """The project's dataset; its seed is the training seed unless set apart."""
        return cls(config.dataset, {"seed": config.seed, **config.dataset_options})

    @classmethod
    def from_data(cls, data: Any) -> Recipe:
        """From a loaded `Data`: its options record exactly how it was made."""
        return cls(data.source_path or data.name, dict(data.options))


@dataclass
class Section:
    """The data part of a script: imports, constants, helper blocks, load_data()."""

    task: str
    imports: set[str] = field(default_factory=set)
    constants: dict[str, Any] = field(default_factory=dict)
    blocks: list[str] = field(default_factory=list)
    load: str = ""
    args: str = ""
    needs: str = ""  # packages besides torch/torchvision, named in the docstring
    numpy: bool = True
    input_shape: tuple[int, ...] | None = None
    per_step: bool = False  # one class per time step (the reverse task)


def data_section(recipe: Recipe) -> Section:
    """The data part for a registry name or a path; ExportError when unsupported."""
    from nnstudio.core.datasets import DATASETS
    from nnstudio.core.export.path_data import path_section  # it builds on this module

    key = recipe.source.strip().lower().replace("_", "-")
    key = {"cifar-10": "cifar10", "fashionmnist": "fashion-mnist"}.get(key, key)
    info = DATASETS.get(key)
    if info is None:
        return path_section(recipe)
    section = _registry_section(info, recipe)
    section.input_shape = section.input_shape or tuple(info.input_shape)
    return section


def unsupported(source: str) -> ExportError:
    supported = _msg("separator").join(text(s) for s in SUPPORTED)
    return ExportError(_msg("unsupported", source=source, supported=supported))


def with_limit(section: Section, recipe: Recipe, call: str) -> str:
    """`return call`, or the seeded subset of it when the project asked for a size."""
    size = recipe.options.get("size")
    if size is None:
        return f"    return {call}\n"
    section.constants["SIZE"] = int(size)
    section.blocks.append(T.LIMIT)
    return f"    return limit({call}, SIZE, DATA_SEED)\n"


# --- registry datasets -------------------------------------------------------------
def _registry_section(info: Any, recipe: Recipe) -> Section:
    from nnstudio.core.datasets import generated, sequences, sklearn_sets

    loader = info.loader
    partial = isinstance(loader, functools.partial)
    if info.name == "backprop-example":
        return _backprop_section()
    if partial and loader.func is sequences.load_sequences:
        return _sequence_section(info, recipe, loader.args[0])
    if partial and loader.func is generated.load_generated:
        return _generated_section(info, recipe, loader.args[0])
    if partial and loader.func is sklearn_sets.load_table:
        return _sklearn_table_section(info, recipe, loader.args[0])
    if loader is sklearn_sets.load_digits:
        return _digits_section(recipe)
    if info.name in TORCHVISION:
        return _torchvision_section(info, recipe)
    raise unsupported(info.name)


def _sequence_section(info: Any, recipe: Recipe, make: Callable) -> Section:
    """A generated sequence set: its generator's source, its seed and options."""
    from nnstudio.core.export import sequence_script as S

    opts = dict(recipe.options)
    size, noise = opts.pop("size", info.size), opts.pop("noise", info.noise)
    opts.pop("seed", None)
    unknown = sorted(set(opts) - set(info.options))
    if unknown:
        raise ExportError(_msg("options", name=info.name, options=", ".join(unknown)))
    merged = {**info.options, **opts}
    kwargs = "".join(f", {k}={T.py_literal(v)}" for k, v in merged.items())
    constants = {"DATA_SEED": recipe.seed, "SIZE": size, "NOISE": noise}
    section = Section(info.task, constants=constants, needs="numpy",
                      load=S.load_code(info.name, make, kwargs, info.task),
                      blocks=[S.SEQUENCES, inspect.getsource(make)],
                      per_step=info.preview_kind == "tokens")
    if "length" in merged and len(info.input_shape) == 2:  # the length option
        section.input_shape = (int(merged["length"]), info.input_shape[1])
    elif "window" in merged:
        section.input_shape = (int(merged["window"]), info.input_shape[1])
    return section


def _backprop_section() -> Section:
    load = '''\
def load_data(args) -> Data:
    """The one sample of the worked backpropagation example (train = test)."""
    x = torch.tensor([[0.05, 0.10]], dtype=torch.float32)
    y = torch.tensor([[0.01, 0.99]], dtype=torch.float32)
    return Data(x, y, x.clone(), y.clone())
'''
    return Section("regression", load=load, numpy=False)


def _generated_section(info: Any, recipe: Recipe, make: Callable) -> Section:
    opts = dict(recipe.options)
    size, noise = opts.pop("size", info.size), opts.pop("noise", info.noise)
    opts.pop("seed", None)
    unknown = sorted(set(opts) - set(info.options))
    if unknown:
        raise ExportError(_msg("options", name=info.name, options=", ".join(unknown)))
    kwargs = "".join(
        f", {k}={T.py_literal(v)}" for k, v in {**info.options, **opts}.items()
    )
    load = f'''\
def load_data(args) -> Data:
    """{info.name}: the same formula and seed as nnstudio, so the same points."""
    rng = np.random.default_rng(DATA_SEED)
    x, y = {make.__name__}(SIZE, NOISE, rng{kwargs})
    return table(x, y, DATA_SEED, "{info.task}")
'''
    constants = {"DATA_SEED": recipe.seed, "SIZE": size, "NOISE": noise}
    return Section(
        info.task,
        constants=constants,
        needs="numpy",
        load=load,
        blocks=[T.TABULAR, inspect.getsource(make)],
    )


def _sklearn_table_section(info: Any, recipe: Recipe, loader_name: str) -> Section:
    section = Section(
        info.task,
        constants={"DATA_SEED": recipe.seed},
        blocks=[T.TABULAR],
        needs="numpy, scikit-learn",
    )
    call = (
        f'table(bunch.data, bunch.target, DATA_SEED, "{info.task}", scale_targets=True)'
    )
    section.load = (
        "def load_data(args) -> Data:\n"
        f'    """{info.name}, as it ships inside scikit-learn."""\n'
        "    from sklearn import datasets  # pip install scikit-learn\n\n"
        f"    bunch = datasets.{loader_name}()\n" + with_limit(section, recipe, call)
    )
    return section


def _digits_section(recipe: Recipe) -> Section:
    section = Section(
        "classification",
        constants={"DATA_SEED": recipe.seed},
        blocks=[T.IMAGES, T.SPLIT_IMAGES],
        needs="numpy, scikit-learn",
    )
    upsample = ""
    if recipe.options.get("upsample"):
        upsample = (
            "    # stretched to 28x28 like MNIST (bilinear), as with upsample=True\n"
            "    big = nn.functional.interpolate(images.float(), size=(28, 28),\n"
            '                                    mode="bilinear",\n'
            "                                    align_corners=False)\n"
            "    images = big.round().clamp(0, 255).to(torch.uint8)\n"
        )
    section.load = (
        "def load_data(args) -> Data:\n"
        '    """scikit-learn\'s 8x8 digits, grey levels 0..16 scaled to 0..255."""\n'
        "    from sklearn import datasets  # pip install scikit-learn\n\n"
        "    bunch = datasets.load_digits()\n"
        "    scaled = np.rint(bunch.images * (255.0 / 16.0)).astype(np.uint8)\n"
        "    images = torch.from_numpy(scaled).unsqueeze(1)\n"
        + upsample
        + "    labels = torch.from_numpy(bunch.target.astype(np.int64))\n"
        + with_limit(section, recipe, "split_images(images, labels, DATA_SEED)")
    )
    if recipe.options.get("upsample"):
        section.input_shape = (1, 28, 28)
    return section


def _torchvision_section(info: Any, recipe: Recipe) -> Section:
    cls = TORCHVISION[info.name]
    section = Section(
        "classification",
        imports={"from torchvision import datasets"},
        constants={"DATA_SEED": recipe.seed},
        blocks=[T.IMAGES],
        numpy=False,
    )
    if info.name == "cifar10":
        convert = (
            "    def images(split):  # N x H x W x 3 numpy -> N x 3 x H x W\n"
            "        return torch.from_numpy(split.data).permute(0, 3, 1, 2)\n\n"
            "    def labels(split):\n"
            "        return torch.tensor(split.targets)\n\n"
        )
    else:
        convert = (
            "    def images(split):  # N x H x W -> N x 1 x H x W\n"
            "        return split.data.unsqueeze(1)\n\n"
            "    def labels(split):\n"
            "        return split.targets\n\n"
        )
    call = "image_data(images(train), labels(train), images(test), labels(test))"
    section.load = (
        "def load_data(args) -> Data:\n"
        f'    """{cls} from torchvision: the official training set trains, the test\n'
        '    set tests (downloaded into --data-dir the first time)."""\n'
        f"    train = datasets.{cls}(args.data_dir, train=True, download=True)\n"
        f"    test = datasets.{cls}(args.data_dir, train=False, download=True)\n\n"
        + convert
        + with_limit(section, recipe, call)
    )
    section.args = (
        '    parser.add_argument("--data-dir", default="data",\n'
        '                        help="where torchvision keeps the data")\n'
    )
    return section
