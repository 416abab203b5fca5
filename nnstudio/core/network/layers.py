"""The layer catalog: every palette layer declared once, in one registry.

A declaration says what the layer is (kind, category, parameters with types and
ranges, bilingual description, formula), which input ranks it accepts, and how to make
the torch module for a given input shape. Shapes themselves come from torch (see
shapes.py); the declaration only turns torch's failures into plain words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from torch import nn

from nnstudio.core.errors import SpecError
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.modules import ResidualBlock, SharedBiasLinear

Shape = tuple[int, ...]

# What a refused layer entry or parameter value is told as, in both languages (a
# parameter's reason ends up inside the shape check's sentence); `_msg()` picks the
# user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "whole": {"en": "{name} must be a whole number", "zh": "{name} 必须是整数"},
    "number": {"en": "{name} must be a number", "zh": "{name} 必须是数字"},
    "choice": {
        "en": "{name} must be one of {choices}",
        "zh": "{name} 必须是 {choices} 之一",
    },
    "entry": {
        "en": "a layer entry needs a 'kind' (text) and 'params' (object)",
        "zh": "每一层都需要 'kind'（文本）和 'params'（对象）",
    },
    "params": {
        "en": "the 'params' of layer {kind} must be an object",
        "zh": "层 {kind} 的 'params' 必须是对象",
    },
    "frozen": {
        "en": "'frozen' of layer {kind} must be true or false",
        "zh": "层 {kind} 的 'frozen' 必须是 true 或 false",
    },
    "lr_factor": {
        "en": "'lr_factor' of layer {kind} must be a number from 0 to {max:g}",
        "zh": "层 {kind} 的 'lr_factor' 必须是 0 到 {max:g} 之间的数",
    },
}


_msg = formatter(_MESSAGES)


@dataclass(frozen=True)
class Param:
    """One editable parameter: its type, default and allowed range."""

    name: str
    type: str  # "int" | "float" | "bool" | "choice"
    default: Any
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    help: Text = field(default_factory=dict)
    max_exclusive: bool = False

    def coerce(self, value: Any) -> Any:
        """Return the value in this parameter's type or raise ValueError."""
        if self.type in ("int", "float"):
            try:
                number = float(value)
            except (TypeError, ValueError, OverflowError):  # 10**400 has no float
                number = float("nan")
            if self.type == "int":
                if isinstance(value, bool) or not number.is_integer():
                    raise ValueError(_msg("whole", name=self.name))
                return int(number)
            if isinstance(value, bool) or number != number:
                raise ValueError(_msg("number", name=self.name))
            return number
        if self.type == "bool":
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if str(value) not in self.choices:
            choices = ", ".join(self.choices)
            raise ValueError(_msg("choice", name=self.name, choices=choices))
        return str(value)

    def in_range(self, value: Any) -> bool:
        if self.type not in ("int", "float"):
            return True
        if value != value:  # NaN
            return False
        if self.min is not None and value < self.min:
            return False
        if self.max is not None:
            return value < self.max if self.max_exclusive else value <= self.max
        return True


@dataclass(frozen=True)
class LayerKind:
    """The declaration of one layer kind."""

    kind: str
    category: str
    description: Text
    formula: str
    make: Callable[[Shape, Mapping[str, Any]], nn.Module]
    params: tuple[Param, ...] = ()
    ranks: tuple[int, ...] | None = None  # accepted input ranks; None = any
    key_params: tuple[str, ...] = ()
    when: Text = field(default_factory=dict)
    tokens: bool = False  # takes int64 token ids (Embedding), not float values

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


@dataclass(frozen=True)
class LayerSpec:
    """One layer as the user designed it: a kind, its parameter values, and how it
    trains (`frozen`: its weights never change; `lr_factor`: its learning rate is
    the run's times this, as MATLAB's WeightLearnRateFactor)."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    frozen: bool = False
    lr_factor: float = 1.0

    def __post_init__(self) -> None:
        declared = LAYER_KINDS.get(self.kind)
        merged = dict(declared.defaults()) if declared else {}
        merged.update(self.params)
        object.__setattr__(self, "params", MappingProxyType(merged))
        object.__setattr__(self, "frozen", bool(self.frozen))
        object.__setattr__(self, "lr_factor", float(self.lr_factor))

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def with_params(self, **changes: Any) -> LayerSpec:
        return LayerSpec(self.kind, {**self.params, **changes}, self.frozen,
                         self.lr_factor)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "params": dict(self.params)}
        data.update(_training_dict(self))
        return data

    @classmethod
    def from_dict(cls, data: Any) -> LayerSpec:
        if not isinstance(data, Mapping) or not isinstance(data.get("kind"), str):
            raise SpecError(_msg("entry"))
        params = data.get("params", {})
        if not isinstance(params, Mapping):
            raise SpecError(_msg("params", kind=data["kind"]))
        frozen, factor = _training_from(data)
        return cls(data["kind"], dict(params), frozen, factor)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, LayerSpec)
            and self.kind == other.kind
            and dict(self.params) == dict(other.params)
            and (self.frozen, self.lr_factor) == (other.frozen, other.lr_factor)
        )

    def __hash__(self) -> int:
        items = tuple(sorted(self.params.items()))
        return hash((self.kind, items, self.frozen, self.lr_factor))


# --- frozen layers and learning-rate factors (issue 15) ------------------------------
LR_FACTOR_MAX = 100.0  # a factor past this is a typo, not a fine-tuning choice


def _training_dict(layer: LayerSpec) -> dict[str, Any]:
    """Only what differs from the default is written, so older files and every
    unfrozen layer keep their JSON unchanged."""
    data: dict[str, Any] = {}
    if layer.frozen:
        data["frozen"] = True
    if layer.lr_factor != 1.0:
        data["lr_factor"] = layer.lr_factor
    return data


def _training_from(data: Mapping[str, Any]) -> tuple[bool, float]:
    frozen, factor = data.get("frozen", False), data.get("lr_factor", 1.0)
    if not isinstance(frozen, bool):
        raise SpecError(_msg("frozen", kind=data["kind"]))
    if (not isinstance(factor, int | float) or isinstance(factor, bool)
            or not 0.0 <= factor <= LR_FACTOR_MAX):
        raise SpecError(_msg("lr_factor", kind=data["kind"], max=LR_FACTOR_MAX))
    return frozen, float(factor)


def _int(name: str, default: int, lo: int, hi: int, en: str, zh: str) -> Param:
    return Param(name, "int", default, lo, hi, help={"en": en, "zh": zh})


def _pool_stride(params: Mapping[str, Any]) -> int:
    return params["stride"] or params["kernel_size"]


def _make_linear(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
    if p["bias"] == "shared":
        layer: nn.Linear = SharedBiasLinear(shape[-1], p["out_features"])
    else:
        layer = nn.Linear(shape[-1], p["out_features"], bias=p["bias"] == "per-unit")
    if layer.bias is not None and not p["train_bias"]:
        layer.bias.requires_grad_(False)
    return layer


def _make_batchnorm(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
    return nn.BatchNorm2d(shape[0]) if len(shape) == 3 else nn.BatchNorm1d(shape[0])


def _make_layernorm(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
    """A sequence is normalized per time step (over its features), as transformers
    do; other inputs over everything but the batch."""
    return nn.LayerNorm(shape[-1] if len(shape) == 2 else list(shape))


def _make_residual(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
    return ResidualBlock(shape[0], p["out_channels"] or shape[0], p["stride"])


_KERNEL = _int("kernel_size", 2, 1, 64, "Window size", "窗口大小")
_POOL_STRIDE = _int(
    "stride", 0, 0, 64, "Step (0 = kernel size)", "步长(0 表示等于窗口)"
)
_WIDTH = ("Number of output units", "输出单元数")

_CATALOG: tuple[LayerKind, ...] = (
    LayerKind(
        "Linear",
        "Dense",
        {
            "en": "Fully connected: every output is a weighted sum of all inputs plus a bias.",
            "zh": "全连接层：每个输出都是全部输入的加权和再加偏置。",
        },
        "y = W x + b",
        _make_linear,
        (
            _int("out_features", 64, 1, 100_000, *_WIDTH),
            Param(
                "bias",
                "choice",
                "per-unit",
                choices=("per-unit", "shared", "none"),
                help={
                    "en": "One bias per unit, one shared by the layer, or none",
                    "zh": "每个单元一个偏置、整层共享一个，或不用偏置",
                },
            ),
            Param(
                "train_bias",
                "bool",
                True,
                help={
                    "en": "Whether training updates the bias",
                    "zh": "训练时是否更新偏置",
                },
            ),
        ),
        ranks=(1, 2),  # a (time, features) input: applied at every step, as in torch
        key_params=("out_features",),
        when={
            "en": "The basic building block of MLPs and every classifier head.",
            "zh": "多层感知机的基本模块，也是每个分类器的输出头。",
        },
    ),
    LayerKind(
        "Conv2d",
        "Convolution",
        {
            "en": "Slides small learned filters over the image; each filter makes one feature map.",
            "zh": "在图像上滑动可学习的小卷积核，每个卷积核生成一张特征图。",
        },
        "y[c] = b[c] + Σ_k W[c,k] ⋆ x[k]",
        lambda s, p: nn.Conv2d(
            s[0],
            p["out_channels"],
            p["kernel_size"],
            p["stride"],
            p["padding"],
            bias=bool(p["bias"]),
        ),
        (
            _int(
                "out_channels",
                16,
                1,
                4096,
                "Number of filters (output channels)",
                "卷积核个数(输出通道数)",
            ),
            _int("kernel_size", 3, 1, 31, "Filter size", "卷积核大小"),
            _int("stride", 1, 1, 16, "Step between positions", "步长"),
            _int("padding", 0, 0, 15, "Zeros added around the border", "边缘补零"),
            Param(
                "bias",
                "bool",
                True,
                help={"en": "Add a bias per filter", "zh": "每个卷积核加偏置"},
            ),
        ),
        ranks=(3,),
        key_params=("out_channels", "kernel_size"),
        when={
            "en": "Images: detects local patterns wherever they appear.",
            "zh": "用于图像：在任何位置检测局部模式。",
        },
    ),
    LayerKind(
        "MaxPool2d",
        "Pooling",
        {
            "en": "Keeps the largest value in each window: smaller maps, some shift tolerance.",
            "zh": "取每个窗口中的最大值：特征图变小，对平移更稳健。",
        },
        "y = max over the window of x",
        lambda s, p: nn.MaxPool2d(p["kernel_size"], _pool_stride(p)),
        (_KERNEL, _POOL_STRIDE),
        ranks=(3,),
        key_params=("kernel_size",),
    ),
    LayerKind(
        "AvgPool2d",
        "Pooling",
        {
            "en": "Averages each window: smaller maps, smoother than max pooling.",
            "zh": "对每个窗口求平均：特征图变小，比最大池化更平滑。",
        },
        "y = mean over the window of x",
        lambda s, p: nn.AvgPool2d(p["kernel_size"], _pool_stride(p)),
        (_KERNEL, _POOL_STRIDE),
        ranks=(3,),
        key_params=("kernel_size",),
    ),
    LayerKind(
        "AdaptiveAvgPool2d",
        "Pooling",
        {
            "en": "Averages each channel down to a fixed size, whatever the input size.",
            "zh": "把每个通道平均池化到固定大小，与输入大小无关。",
        },
        "y = mean over regions of x",
        lambda s, p: nn.AdaptiveAvgPool2d(p["output_size"]),
        (_int("output_size", 1, 1, 64, "Output height and width", "输出的高和宽"),),
        ranks=(3,),
        key_params=("output_size",),
    ),
    LayerKind(
        "Flatten",
        "Structure",
        {
            "en": "Turns feature maps (channels x height x width) into one flat vector.",
            "zh": "把特征图(通道×高×宽)展平成一个向量。",
        },
        "y = reshape(x, [-1])",
        lambda s, p: nn.Flatten(),
        when={
            "en": "Between the last convolution/pooling layer and the first Linear.",
            "zh": "放在最后一个卷积/池化层和第一个全连接层之间。",
        },
    ),
    LayerKind(
        "ReLU",
        "Activation",
        {
            "en": "Keeps positive values, sets negatives to zero: the default non-linearity.",
            "zh": "保留正值、负值置零：最常用的非线性激活。",
        },
        "y = max(0, x)",
        lambda s, p: nn.ReLU(),
        when={
            "en": "After Linear/Conv layers; without a non-linearity a deep stack is linear.",
            "zh": "放在全连接/卷积层之后；没有非线性，再深的网络也只是线性的。",
        },
    ),
    LayerKind(
        "LeakyReLU",
        "Activation",
        {
            "en": "Like ReLU but lets a small slope through for negatives, so units never die.",
            "zh": "类似 ReLU，但负值保留一个小斜率，单元不会“死亡”。",
        },
        "y = x if x > 0 else a·x",
        lambda s, p: nn.LeakyReLU(p["negative_slope"]),
        (
            Param(
                "negative_slope",
                "float",
                0.01,
                0.0,
                1.0,
                help={"en": "Slope for negative inputs", "zh": "负输入的斜率"},
            ),
        ),
    ),
    LayerKind(
        "Sigmoid",
        "Activation",
        {
            "en": "Squashes values into (0, 1); saturates, so deep stacks of it learn slowly.",
            "zh": "把数值压缩到 (0, 1)；容易饱和，深层堆叠时学习很慢。",
        },
        "y = 1 / (1 + e^-x)",
        lambda s, p: nn.Sigmoid(),
        when={
            "en": "Output of a yes/no probability; avoid as a hidden activation in deep nets.",
            "zh": "用于输出是/否的概率；深层网络的隐藏层应避免使用。",
        },
    ),
    LayerKind(
        "Tanh",
        "Activation",
        {
            "en": "Squashes values into (-1, 1), centred on zero.",
            "zh": "把数值压缩到 (-1, 1)，以零为中心。",
        },
        "y = tanh(x)",
        lambda s, p: nn.Tanh(),
    ),
    LayerKind(
        "GELU",
        "Activation",
        {
            "en": "A smooth ReLU used in transformers.",
            "zh": "平滑版的 ReLU，常用于 Transformer。",
        },
        "y = x·Φ(x)",
        lambda s, p: nn.GELU(),
    ),
    LayerKind(
        "Softmax",
        "Activation",
        {
            "en": "Turns scores into probabilities that sum to 1 (cross-entropy already does it).",
            "zh": "把得分变成和为 1 的概率(交叉熵损失已包含这一步)。",
        },
        "y_i = e^x_i / Σ_j e^x_j",
        lambda s, p: nn.Softmax(dim=-1 if len(s) == 2 else 1),  # sequences: per step
    ),
    LayerKind(
        "Dropout",
        "Regularization",
        {
            "en": "During training, zeroes a random fraction p of values: fights overfitting.",
            "zh": "训练时随机把比例为 p 的数值置零：抑制过拟合。",
        },
        "y = mask·x / (1 - p)",
        lambda s, p: nn.Dropout(p["p"]),
        (
            Param(
                "p",
                "float",
                0.5,
                0.0,
                1.0,
                help={"en": "Fraction dropped (0 to <1)", "zh": "丢弃比例(0 到小于 1)"},
                max_exclusive=True,
            ),
        ),
        key_params=("p",),
        when={
            "en": "When training accuracy is far above validation accuracy.",
            "zh": "当训练准确率远高于验证准确率时。",
        },
    ),
    LayerKind(
        "BatchNorm",
        "Normalization",
        {
            "en": "Normalizes each channel over the batch, then scales and shifts it.",
            "zh": "在批次上对每个通道归一化，再缩放和平移。",
        },
        "y = γ (x - μ_B) / σ_B + β",
        _make_batchnorm,
        ranks=(1, 2, 3),
        when={
            "en": "Deep networks that train slowly or unstably; needs batches of 2 or more.",
            "zh": "训练缓慢或不稳定的深层网络；批大小至少为 2。",
        },
    ),
    LayerKind(
        "LayerNorm",
        "Normalization",
        {
            "en": "Normalizes each sample over all its features, then scales and shifts it.",
            "zh": "对每个样本的全部特征归一化，再缩放和平移。",
        },
        "y = γ (x - μ) / σ + β",
        _make_layernorm,
    ),
    LayerKind(
        "Residual",
        "Blocks",
        {
            "en": "Two 3x3 convolutions with BatchNorm and ReLU plus a skip connection.",
            "zh": "两个带批归一化和 ReLU 的 3x3 卷积，加上一条跳跃连接。",
        },
        "y = ReLU(F(x) + x)",
        _make_residual,
        (
            _int(
                "out_channels",
                0,
                0,
                4096,
                "Output channels (0 = same as input)",
                "输出通道数(0 表示与输入相同)",
            ),
            _int(
                "stride", 1, 1, 4, "Stride of the first convolution", "第一个卷积的步长"
            ),
        ),
        ranks=(3,),
        key_params=("out_channels", "stride"),
        when={
            "en": "Very deep CNNs: the skip lets gradients flow past the block.",
            "zh": "很深的卷积网络：跳跃连接让梯度越过该模块。",
        },
    ),
)



# --- issue 15: DenseBlock and the pretrained backbones ---------------------------------
def _make_dense(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
    from nnstudio.core.network.dense import DenseBlock

    return DenseBlock(shape[0], p["growth_rate"], p["layers"])


def _backbone(name: str, title: str, features: int, year: str) -> LayerKind:
    def make(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
        from nnstudio.core.pretrained import make_body

        if shape[0] != 3:
            raise ValueError(f"{title} needs colour images (3 channels)")
        return make_body(name)

    return LayerKind(
        _BACKBONE_KINDS[name],
        "Pretrained",
        {
            "en": f"{title} ({year}) trained on ImageNet, without its classifier: "
                  f"turns a colour image into {features} features for a new head.",
            "zh": f"{title}（{year}）在 ImageNet 上训练，去掉了分类器：把彩色图像变成 "
                  f"{features} 个特征，供新的输出头使用。",
        },
        f"features = {title}(x)",
        make,
        (
            Param(
                "weights",
                "choice",
                "imagenet",
                choices=("imagenet", "none"),
                help={
                    "en": "Start from ImageNet weights (downloaded once) or at random",
                    "zh": "从 ImageNet 权重开始(只下载一次)，或随机初始化",
                },
            ),
        ),
        ranks=(3,),
        key_params=("weights",),
        when={
            "en": "Your own pictures with few examples: freeze it, train a new head.",
            "zh": "自己的图片、样本很少时：冻结它，只训练新的输出头。",
        },
    )


_BACKBONE_KINDS = {"resnet18": "ResNet18", "resnet34": "ResNet34",
                   "mobilenet_v3_small": "MobileNetV3Small",
                   "squeezenet1_1": "SqueezeNet11"}

_CATALOG = (
    *_CATALOG,
    LayerKind(
        "DenseBlock",
        "Blocks",
        {
            "en": "Each layer (BatchNorm, ReLU, 3x3 conv) adds growth_rate channels, "
                  "concatenated to everything before it.",
            "zh": "每一层(批归一化、ReLU、3x3 卷积)新增 growth_rate 个通道，并与之前的"
                  "所有特征拼接。",
        },
        "x ← concat(x, H_i(x)),  out channels = in + layers·growth",
        _make_dense,
        (
            _int("growth_rate", 12, 1, 256, "Channels each layer adds",
                 "每层新增的通道数"),
            _int("layers", 4, 1, 32, "Layers in the block", "模块中的层数"),
        ),
        ranks=(3,),
        key_params=("growth_rate", "layers"),
        when={
            "en": "Deep CNNs that reuse features: every layer sees all earlier ones.",
            "zh": "复用特征的深层卷积网络：每一层都能看到之前所有层的输出。",
        },
    ),
    LayerKind(
        "Resize",
        "Structure",
        {
            "en": "Scales each image to size x size pixels (bilinear), e.g. up to the "
                  "224x224 a pretrained backbone was trained on.",
            "zh": "把每张图像缩放到 size x size 像素(双线性插值)，例如放大到预训练骨干"
                  "网络训练时用的 224x224。",
        },
        "y = bilinear(x, size x size)",
        lambda s, p: nn.Upsample(size=(p["size"], p["size"]), mode="bilinear",
                                 align_corners=False),
        (_int("size", 224, 1, 1024, "Output height and width", "输出的高和宽"),),
        ranks=(3,),
        key_params=("size",),
        when={
            "en": "Before a pretrained backbone, so small images match its input size.",
            "zh": "放在预训练骨干网络之前，让小图像符合它的输入大小。",
        },
    ),
    _backbone("resnet18", "ResNet-18", 512, "2015"),
    _backbone("resnet34", "ResNet-34", 512, "2015"),
    _backbone("mobilenet_v3_small", "MobileNet-V3-Small", 576, "2019"),
    _backbone("squeezenet1_1", "SqueezeNet 1.1", 512, "2016"),
)

# --- sequences: the declarations live in sequence_layers.py ---------------------------
from nnstudio.core.network.sequence_layers import SEQUENCE_KINDS  # noqa: E402

_CATALOG += SEQUENCE_KINDS
LAYER_KINDS: dict[str, LayerKind] = {k.kind: k for k in _CATALOG}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(k.category for k in _CATALOG))
