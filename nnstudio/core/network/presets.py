"""Presets: a network, its dataset and training settings, and what it demonstrates.

Each preset is one declaration below; the CLI, the Presets menu and the tests all read
this registry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nnstudio.core.errors import SpecError
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig

DEFAULT_PRESET = "spiral-relu"


@dataclass(frozen=True)
class Preset:
    name: str
    spec: NetworkSpec
    dataset: str
    description: Text
    config: Mapping[str, Any] = field(default_factory=dict)
    view: str = "curves"  # the view the studio opens on
    group: str = "basics"  # the lesson it belongs to: a key of PRESET_GROUPS

    def train_config(self, **overrides: Any) -> TrainConfig:
        return TrainConfig(**{"dataset": self.dataset, **self.config, **overrides})


def _lin(n: int, **kw: Any) -> LayerSpec:
    return LayerSpec("Linear", {"out_features": n, **kw})


def _conv(c: int, k: int, padding: int = 0) -> LayerSpec:
    return LayerSpec(
        "Conv2d", {"out_channels": c, "kernel_size": k, "padding": padding}
    )


def _pool(k: int = 2) -> LayerSpec:
    return LayerSpec("MaxPool2d", {"kernel_size": k})


def _l(kind: str, **params: Any) -> LayerSpec:
    return LayerSpec(kind, params)


_SPIRAL_CFG = {
    "loss": "cross-entropy",
    "optimizer": "adam",
    "lr": 0.01,
    "batch_size": 32,
    "epochs": 40,
}
_BACKPROP_WEIGHTS = {
    "1_linear.weight": [[0.15, 0.20], [0.25, 0.30]],
    "1_linear.bias": [0.35],
    "3_linear.weight": [[0.40, 0.45], [0.50, 0.55]],
    "3_linear.bias": [0.60],
}
_SHARED = {"bias": "shared", "train_bias": False}

_PRESETS = (
    Preset(
        "mlp-fashion",
        NetworkSpec(
            (1, 28, 28),
            (_l("Flatten"), _lin(512), _l("ReLU"), _lin(512), _l("ReLU"), _lin(10)),
        ),
        "fashion-mnist",
        {
            "en": "A multilayer perceptron on FashionMNIST, as in the PyTorch quickstart.",
            "zh": "在 FashionMNIST 上训练多层感知机，与 PyTorch 入门教程相同。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "sgd",
            "lr": 1e-3,
            "batch_size": 64,
            "epochs": 5,
        },
    ),
    Preset(
        "cnn-mnist",
        NetworkSpec(
            (1, 28, 28),
            (
                _conv(10, 5),
                _l("ReLU"),
                _pool(),
                _conv(20, 5),
                _l("ReLU"),
                _pool(),
                _l("Flatten"),
                _lin(50),
                _l("ReLU"),
                _lin(10),
            ),
        ),
        "mnist",
        {
            "en": "A small CNN on handwritten digits: two convolutions, then a classifier.",
            "zh": "手写数字上的小型卷积网络：两个卷积层，再接一个分类器。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "sgd",
            "lr": 0.01,
            "momentum": 0.9,
            "schedule": "cosine",
            "batch_size": 32,
            "epochs": 3,
        },
        "feature-maps",
    ),
    Preset(
        "lenet5",
        NetworkSpec(
            (1, 28, 28),
            (
                _conv(32, 5, 2),
                _l("ReLU"),
                _pool(),
                _conv(64, 5, 2),
                _l("ReLU"),
                _pool(),
                _l("Flatten"),
                _lin(1024),
                _l("ReLU"),
                _lin(10),
            ),
        ),
        "mnist",
        {
            "en": "The classic two-convolution MNIST classifier with 'same' padding, Adam.",
            "zh": "经典的两层卷积 MNIST 分类器(same 补零)，使用 Adam。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "adam",
            "lr": 1e-4,
            "batch_size": 50,
            "epochs": 3,
        },
    ),
    Preset(
        "spiral-linear",
        NetworkSpec((2,), (_lin(100), _lin(3))),
        "spiral",
        {
            "en": "Two Linear layers and no activation: still a linear model, so it cannot "
            "separate the spiral arms.",
            "zh": "两个全连接层但没有激活函数：仍是线性模型，无法分开螺旋的三条臂。",
        },
        _SPIRAL_CFG,
        "boundary",
    ),
    Preset(
        "spiral-relu",
        NetworkSpec((2,), (_lin(100), _l("ReLU"), _lin(3))),
        "spiral",
        {
            "en": "One ReLU between the two Linear layers bends the boundary around the "
            "spiral arms.",
            "zh": "在两个全连接层之间加一个 ReLU，决策边界就能沿着螺旋臂弯曲。",
        },
        _SPIRAL_CFG,
        "boundary",
    ),
    Preset(
        "sincos",
        NetworkSpec((1,), (_lin(64), _l("Tanh"), _lin(64), _l("Tanh"), _lin(1))),
        "sincos",
        {
            "en": "Regression: a small MLP learns the curve sin(x) + cos(x).",
            "zh": "回归：一个小型多层感知机学习曲线 sin(x) + cos(x)。",
        },
        {
            "loss": "mse",
            "optimizer": "adam",
            "lr": 0.01,
            "batch_size": 32,
            "epochs": 100,
        },
        "boundary",
    ),
    Preset(
        "deep-sigmoid",
        NetworkSpec(
            (2,),
            tuple(x for _ in range(10) for x in (_lin(64), _l("Sigmoid"))) + (_lin(3),),
        ),
        "spiral",
        {
            "en": "Ten Sigmoid layers: the gradient shrinks at every layer, so the first "
            "layers barely learn (vanishing gradients).",
            "zh": "十个 Sigmoid 层：梯度每经过一层都变小，前面的层几乎学不到东西(梯度消失)。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "sgd",
            "lr": 0.1,
            "batch_size": 32,
            "epochs": 20,
        },
        "gradients",
    ),
    Preset(
        "deep-relu-bn",
        NetworkSpec(
            (2,),
            tuple(x for _ in range(10) for x in (_lin(64), _l("BatchNorm"), _l("ReLU")))
            + (_lin(3),),
            init="kaiming_normal",
        ),
        "spiral",
        {
            "en": "The same depth with BatchNorm, ReLU and He init: gradients reach the first "
            "layer and it learns.",
            "zh": "同样的深度，改用批归一化、ReLU 和 He 初始化：梯度能传到第一层，网络正常学习。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "sgd",
            "lr": 0.1,
            "batch_size": 32,
            "epochs": 20,
        },
        "gradients",
    ),
    Preset(
        "backprop-2-2-2",
        NetworkSpec(
            (2,),
            (_lin(2, **_SHARED), _l("Sigmoid"), _lin(2, **_SHARED), _l("Sigmoid")),
            initial_weights=_BACKPROP_WEIGHTS,
        ),
        "backprop-example",
        {
            "en": "The worked backpropagation example: 2 inputs, 2 sigmoid hidden units, "
            "2 sigmoid outputs, one training sample.",
            "zh": "反向传播的手算示例：2 个输入、2 个 sigmoid 隐藏单元、2 个 sigmoid 输出，"
            "一个训练样本。",
        },
        {
            "loss": "half-sse",
            "optimizer": "sgd",
            "lr": 0.5,
            "batch_size": 1,
            "epochs": 1,
            "probes": False,
        },
        "backprop",
    ),
    Preset(
        "vgg-mini",
        NetworkSpec(
            (1, 28, 28),
            (
                _conv(16, 3, 1),
                _l("ReLU"),
                _conv(16, 3, 1),
                _l("ReLU"),
                _pool(),
                _conv(32, 3, 1),
                _l("ReLU"),
                _conv(32, 3, 1),
                _l("ReLU"),
                _pool(),
                _l("Flatten"),
                _lin(128),
                _l("ReLU"),
                _l("Dropout", p=0.5),
                _lin(10),
            ),
        ),
        "fashion-mnist",
        {
            "en": "A small VGG: stacks of 3x3 convolutions, pooling, dropout before the "
            "classifier.",
            "zh": "小型 VGG：多个 3x3 卷积堆叠、池化，分类器前加 Dropout。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "adam",
            "lr": 1e-3,
            "batch_size": 64,
            "epochs": 5,
        },
        "feature-maps",
    ),
    Preset(
        "resnet-mini",
        NetworkSpec(
            (3, 32, 32),
            (
                _conv(16, 3, 1),
                _l("BatchNorm"),
                _l("ReLU"),
                _l("Residual", out_channels=16),
                _l("Residual", out_channels=32, stride=2),
                _l("Residual", out_channels=64, stride=2),
                _l("AdaptiveAvgPool2d", output_size=1),
                _l("Flatten"),
                _lin(10),
            ),
        ),
        "cifar10",
        {
            "en": "A small ResNet on CIFAR-10: residual blocks let gradients skip layers.",
            "zh": "CIFAR-10 上的小型 ResNet：残差块让梯度可以跳过层。",
        },
        {
            "loss": "cross-entropy",
            "optimizer": "adam",
            "lr": 1e-3,
            "batch_size": 64,
            "epochs": 5,
        },
        "gradients",
    ),
)

# --- issue 15: the classic architectures, fine-tuning and the house price -----------
_CIFAR_ADAM = {"loss": "cross-entropy", "optimizer": "adam", "lr": 1e-3,
               "batch_size": 64, "epochs": 5}


def _dense(growth: int, layers: int) -> LayerSpec:
    return _l("DenseBlock", growth_rate=growth, layers=layers)


def _transition(channels: int) -> tuple[LayerSpec, ...]:
    """DenseNet's transition: BN-ReLU, a 1x1 conv that halves the channels, 2x2 avg pool."""
    return (_l("BatchNorm"), _l("ReLU"), _conv(channels, 1),
            _l("AvgPool2d", kernel_size=2))


_PRESETS = (
    *_PRESETS,
    Preset(
        "alexnet-mini",
        NetworkSpec(
            (3, 32, 32),
            (
                _l("Conv2d", out_channels=48, kernel_size=5, stride=2, padding=2),
                _l("ReLU"),
                _pool(),
                _conv(128, 3, 1),
                _l("ReLU"),
                _pool(),
                _conv(192, 3, 1),
                _l("ReLU"),
                _conv(192, 3, 1),
                _l("ReLU"),
                _conv(128, 3, 1),
                _l("ReLU"),
                _pool(),
                _l("Flatten"),
                _l("Dropout", p=0.5),
                _lin(512),
                _l("ReLU"),
                _l("Dropout", p=0.5),
                _lin(512),
                _l("ReLU"),
                _lin(10),
            ),
        ),
        "cifar10",
        {
            "en": "AlexNet's shape for 32x32 images: a large strided first kernel, "
                  "five convolutions, ReLU, dropout before a wide classifier.",
            "zh": "适配 32x32 图像的 AlexNet 结构：步长较大的大卷积核开头，五个卷积层、"
                  "ReLU，宽分类器前用 dropout。",
        },
        _CIFAR_ADAM,
        "feature-maps",
    ),
    Preset(
        "densenet-mini",
        NetworkSpec(
            (3, 32, 32),
            (
                _conv(24, 3, 1),
                _dense(12, 4),
                *_transition(36),
                _dense(12, 4),
                *_transition(42),
                _dense(12, 4),
                _l("BatchNorm"),
                _l("ReLU"),
                _l("AdaptiveAvgPool2d", output_size=1),
                _l("Flatten"),
                _lin(10),
            ),
        ),
        "cifar10",
        {
            "en": "A small DenseNet on CIFAR-10: inside each dense block every layer "
                  "sees the outputs of all the layers before it.",
            "zh": "CIFAR-10 上的小型 DenseNet：在每个稠密块中，每一层都能看到之前所有层"
                  "的输出。",
        },
        _CIFAR_ADAM,
        "gradients",
    ),
    Preset(
        "resnet34-finetune",
        NetworkSpec(
            (3, 32, 32),
            (
                LayerSpec("Resize", {"size": 224}, frozen=True),
                LayerSpec("ResNet34", {"weights": "imagenet"}, frozen=True),
                _lin(10),
            ),
        ),
        "cifar10",
        {
            "en": "Fine-tuning: ResNet-34 trained on ImageNet, frozen, and a new "
                  "Linear head for this dataset's classes; images are resized to "
                  "224x224 and normalized as the weights expect.",
            "zh": "微调：在 ImageNet 上训练好的 ResNet-34 保持冻结，只为本数据集的类别"
                  "训练新的 Linear 输出头；图像缩放到 224x224 并按权重的要求归一化。",
        },
        {"loss": "cross-entropy", "optimizer": "adam", "lr": 1e-3, "batch_size": 64,
         "epochs": 3, "dataset_options": {"size": 2000}},
    ),
    Preset(
        "house-price",
        NetworkSpec((1,), (_lin(1),)),
        "house-prices",
        {
            "en": "Linear regression: one Linear unit learns a house's price from its "
                  "floor area; its weight and bias reach the least-squares fit.",
            "zh": "线性回归：一个 Linear 单元根据面积学习房价；它的权重和偏置会收敛到"
                  "最小二乘解。",
        },
        {"loss": "mse", "optimizer": "sgd", "lr": 0.1, "momentum": 0.9,
         "batch_size": 1000, "epochs": 300},
        "curves",
    ),
)

from nnstudio.core.network.sequence_presets import sequence_presets  # noqa: E402

_PRESETS += sequence_presets(Preset)

# The lessons the presets belong to, in the order the Presets menu shows them.
PRESET_GROUPS: dict[str, Text] = {
    "basics": {"en": "Basics", "zh": "基础"},
    "images": {"en": "Images", "zh": "图像"},
    "gradients": {"en": "Gradients", "zh": "梯度"},
    "sequences": {"en": "Sequences", "zh": "序列"},
    "fine-tuning": {"en": "Fine-tuning", "zh": "微调"},
}
_GROUP_OF = {
    "mlp-fashion": "images", "cnn-mnist": "images", "lenet5": "images",
    "vgg-mini": "images", "resnet-mini": "images",
    "deep-sigmoid": "gradients", "deep-relu-bn": "gradients",
    "alexnet-mini": "images", "densenet-mini": "images",
    "resnet34-finetune": "fine-tuning",
    "rnn-parity": "sequences", "lstm-parity": "sequences", "lstm-sine": "sequences",
    "gru-adding": "sequences", "attention-reverse": "sequences",
    "transformer-reverse": "sequences",
}
_PRESETS = tuple(dataclasses.replace(p, group=_GROUP_OF[p.name])
                 if p.name in _GROUP_OF else p for p in _PRESETS)

PRESETS: dict[str, Preset] = {p.name: p for p in _PRESETS}


def presets_by_group() -> list[tuple[str, list[Preset]]]:
    """(group, its presets) in PRESET_GROUPS order, then any unknown group."""
    order = [*PRESET_GROUPS, *sorted({p.group for p in _PRESETS} - set(PRESET_GROUPS))]
    grouped = [(g, [p for p in _PRESETS if p.group == g]) for g in order]
    return [(g, ps) for g, ps in grouped if ps]

# What an unknown name is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "unknown": {
        "en": "unknown preset '{name}': use one of {names}",
        "zh": "未知的预设“{name}”：请使用 {names} 之一",
    },
}


_msg = formatter(_MESSAGES)


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise SpecError(_msg("unknown", name=name, names=", ".join(PRESETS))) from None
