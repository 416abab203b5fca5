"""One-click experiments: a preset, changed a little, trained once or twice to compare.

Each experiment shows one idea a student meets in a first course (a ReLU bends the
boundary, Sigmoid stacks starve the first layers of gradient, ...). A run is a preset
plus TrainConfig overrides plus NetworkSpec overrides, so every experiment stays valid
when a preset changes and the Runs view can name what differs between the two runs.
All runs of one experiment use the same dataset and options, so the studio loads the
data once. `topic(name)` gathers what the "Learn more" panel shows about a layer kind,
loss or optimizer (description, formula, when to use it) and which experiment shows it.
No Qt here: the CLI and tests use the same registry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nnstudio.core.errors import SpecError
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.layers import LAYER_KINDS, LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS


@dataclass(frozen=True)
class Run:
    """One training run: `preset` with `config` and `spec` fields replaced."""

    preset: str
    label: Text
    config: Mapping[str, Any] = field(default_factory=dict)  # TrainConfig fields
    spec: Mapping[str, Any] = field(default_factory=dict)  # NetworkSpec fields

    def network(self) -> NetworkSpec:
        return dataclasses.replace(PRESETS[self.preset].spec, **self.spec)

    def train_config(self) -> TrainConfig:
        return PRESETS[self.preset].train_config(**self.config)


@dataclass(frozen=True)
class Experiment:
    """What to run (1-2 runs, same data), what to look at and what it shows."""

    id: str
    title: Text
    explanation: Text  # what to look at, and why it happens
    runs: tuple[Run, ...]
    view: str = "curves"  # the view to open while it trains
    compare_view: str | None = "runs"  # the view to open once every run is done


@dataclass(frozen=True)
class Topic:
    """What "Learn more" says about one layer kind, loss, optimizer or setting."""

    name: str
    family: str  # "layer" | "loss" | "optimizer" | "setting"
    description: Text
    formula: str
    when: Text
    experiment: str | None


def _lin(n: int) -> LayerSpec:
    return LayerSpec("Linear", {"out_features": n})


def _l(kind: str, **params: Any) -> LayerSpec:
    return LayerSpec(kind, params)


def _spiral_with(*hidden: LayerSpec) -> tuple[LayerSpec, ...]:
    """spiral-relu's shape (Linear 100, ..., Linear 3) with other hidden layers."""
    return (_lin(100), *hidden, _lin(3))


# 64 units, a multiple of every SIMD width: each unit's sums are rounded alike, so
# zero-init units stay bit-identical (with 100, the last 4 round differently and the
# symmetry breaks slowly: a floating-point artefact, not learning)
_SIGMOID_NET = {"layers": (_lin(64), _l("Sigmoid"), _lin(3))}
_SGD = {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9}
_DROPOUT_DATA = {"dataset_options": {"size": 30}, "epochs": 300, "batch_size": 16}
_DIGITS = {"dataset": "digits", "epochs": 10, "batch_size": 32, "optimizer": "adam",
           "lr": 1e-3, "momentum": 0.0}
_DIGITS_SHAPE = (1, 8, 8)
_MOONS = {"dataset": "moons", "epochs": 30}
_MOONS_NET = {"layers": (_lin(32), _l("ReLU"), _lin(2))}


def _wide(dropout: float) -> tuple[LayerSpec, ...]:
    """Wide enough to memorise 90 points; Dropout after each ReLU when dropout > 0."""
    drop = (_l("Dropout", p=dropout),) if dropout else ()
    return (_lin(256), _l("ReLU"), *drop, _lin(256), _l("ReLU"), *drop, _lin(3))


def _digits_mlp() -> tuple[LayerSpec, ...]:
    return (_l("Flatten"), _lin(64), _l("ReLU"), _lin(10))


def _digits_cnn(pool: str) -> tuple[LayerSpec, ...]:
    return (_l("Conv2d", out_channels=16, kernel_size=3, padding=1), _l("ReLU"),
            _l(pool, kernel_size=2), _l("Conv2d", out_channels=32, kernel_size=3,
                                        padding=1),
            _l("ReLU"), _l(pool, kernel_size=2), _l("Flatten"), _lin(10))


def _digits_deep(residual: bool) -> tuple[LayerSpec, ...]:
    """Eight 3x3 convolutions, plain or as four residual blocks."""
    if residual:
        body: tuple[LayerSpec, ...] = tuple(_l("Residual") for _ in range(4))
    else:
        conv = _l("Conv2d", out_channels=16, kernel_size=3, padding=1)
        body = tuple(x for _ in range(8) for x in (conv, _l("ReLU")))
    return (_l("Conv2d", out_channels=16, kernel_size=3, padding=1), _l("ReLU"),
            *body, _l("AdaptiveAvgPool2d", output_size=1), _l("Flatten"), _lin(10))


def _deep_norm(kind: str) -> tuple[LayerSpec, ...]:
    return tuple(x for _ in range(10) for x in (_lin(64), _l(kind), _l("ReLU"))) + (
        _lin(3),)


def _versus_sgd(name: str, lr: float, en: str, zh: str) -> Experiment:
    """The same network and seed trained by SGD and by optimizer `name`."""
    return Experiment(
        f"sgd-vs-{name}",
        {"en": f"SGD vs {name}", "zh": f"SGD 对比 {name}"},
        {"en": en, "zh": zh},
        (Run("spiral-relu", {"en": "SGD", "zh": "SGD"},
             {"optimizer": "sgd", "lr": 0.01}),
         Run("spiral-relu", {"en": name, "zh": name}, {"optimizer": name, "lr": lr})),
        "curves")


def _activation(kind: str, en: str, zh: str) -> Experiment:
    """No activation vs `kind` between the two Linear layers of spiral-relu."""
    return Experiment(
        kind.lower(),
        {"en": f"{kind} bends the boundary", "zh": f"{kind} 让边界弯曲"},
        {"en": en, "zh": zh},
        (Run("spiral-linear", {"en": "no activation", "zh": "无激活函数"}),
         Run("spiral-relu", {"en": kind, "zh": kind},
             spec={"layers": _spiral_with(_l(kind))})),
        "boundary")


_EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        "relu",
        {"en": "Why the ReLU matters", "zh": "为什么需要 ReLU"},
        {"en": "spiral-linear stacks two Linear layers with nothing between them: the "
               "product of two matrices is one matrix, so the model stays linear, the "
               "boundary stays made of straight lines and accuracy stays near 50%. "
               "spiral-relu adds one ReLU: the boundary bends around the arms and "
               "accuracy passes 95%. Watch the Boundary view, then compare the runs.",
         "zh": "spiral-linear 把两个全连接层直接相连：两个矩阵相乘仍是一个矩阵，所以模"
               "型仍是线性的，边界只能由直线组成，准确率停在 50% 左右。spiral-relu 在中"
               "间加了一个 ReLU：边界绕着螺旋臂弯曲，准确率超过 95%。先看“决策边界”视图"
               "，再对比两次训练。"},
        (Run("spiral-linear", {"en": "no ReLU", "zh": "无 ReLU"}),
         Run("spiral-relu", {"en": "with ReLU", "zh": "有 ReLU"})),
        "boundary"),
    Experiment(
        "sigmoid",
        {"en": "Vanishing gradients in a deep Sigmoid stack",
         "zh": "深层 Sigmoid 网络中的梯度消失"},
        {"en": "Ten Sigmoid layers: the slope of a Sigmoid is at most 1/4, so the "
               "gradient shrinks at every layer on its way back. In the Gradients view "
               "the first layer's line lies orders of magnitude under the last one's, "
               "and the network barely learns.",
         "zh": "十个 Sigmoid 层：Sigmoid 的斜率最大只有 1/4，梯度在反向传播时每经过一层"
               "就变小。在“梯度”视图中，第一层的曲线比最后一层低好几个数量级，网络几乎"
               "学不到东西。"},
        (Run("deep-sigmoid", {"en": "10 Sigmoid layers", "zh": "10 个 Sigmoid 层"}),),
        "gradients", None),
    Experiment(
        "batchnorm",
        {"en": "BatchNorm, ReLU and He init cure vanishing gradients",
         "zh": "批归一化、ReLU 和 He 初始化解决梯度消失"},
        {"en": "The same depth twice: ten Sigmoid layers, then ten "
               "Linear-BatchNorm-ReLU "
               "blocks with He initialisation. In the Gradients view the second run's "
               "lines stay together and its accuracy climbs.",
         "zh": "同样的深度训练两次：先是十个 Sigmoid 层，再是十个“全连接-批归一化-ReLU”"
               "块并使用 He 初始化。在“梯度”视图中，第二次训练各层的曲线靠在一起，准确"
               "率也不断上升。"},
        (Run("deep-sigmoid", {"en": "Sigmoid", "zh": "Sigmoid"}),
         Run("deep-relu-bn", {"en": "BatchNorm + ReLU", "zh": "批归一化 + ReLU"})),
        "gradients"),
    Experiment(
        "layernorm",
        {"en": "LayerNorm keeps a deep network learning",
         "zh": "层归一化让深层网络保持学习"},
        {"en": "Ten Sigmoid layers, then the same depth with LayerNorm and ReLU in "
               "each "
               "block. LayerNorm normalises every sample on its own, so it also works "
               "with a batch of one. Compare the gradients and the accuracy.",
         "zh": "先训练十个 Sigmoid 层，再训练同样深度、每块都带层归一化和 ReLU 的网络。"
               "层归一化对每个样本单独归一化，所以批大小为 1 时也能用。对比两者的梯度和"
               "准确率。"},
        (Run("deep-sigmoid", {"en": "Sigmoid", "zh": "Sigmoid"}),
         Run("deep-relu-bn", {"en": "LayerNorm + ReLU", "zh": "层归一化 + ReLU"},
             spec={"layers": _deep_norm("LayerNorm")})),
        "gradients"),
    Experiment(
        "dropout",
        {"en": "Dropout against overfitting", "zh": "用 Dropout 抑制过拟合"},
        {"en": "Only 30 points per class and a wide network that can memorise them: "
               "without Dropout the training loss falls to almost zero while the "
               "validation loss rises again (overfitting). With Dropout 0.5 the gap "
               "between training and validation stays smaller. Compare the runs.",
         "zh": "每个类别只有 30 个点，而网络宽到足以把它们全部记住：不用 Dropout 时训练"
               "损失几乎降到零，验证损失却重新上升(过拟合)。使用 Dropout 0.5 后，训练和"
               "验证之间的差距更小。对比两次训练。"},
        (Run("spiral-relu", {"en": "no Dropout", "zh": "无 Dropout"}, _DROPOUT_DATA,
             {"layers": _wide(0.0)}),
         Run("spiral-relu", {"en": "Dropout 0.5", "zh": "Dropout 0.5"}, _DROPOUT_DATA,
             {"layers": _wide(0.5)})),
        "curves"),
    Experiment(
        "adam-vs-sgd",
        {"en": "Adam vs SGD", "zh": "Adam 对比 SGD"},
        {"en": "The same network, data and seed, trained with plain SGD and with Adam "
               "at "
               "the same learning rate (0.01). Adam scales each weight's step by its "
               "own "
               "gradient history and gets there in far fewer epochs; plain SGD needs a "
               "larger rate or momentum.",
         "zh": "同样的网络、数据和随机种子，分别用普通 SGD 和 Adam 以相同的学习率(0.01)"
               "训练。Adam 根据每个权重自己的梯度历史调整步长，用少得多的轮数就能学好；"
               "普通 SGD 需要更大的学习率或动量。"},
        (Run("spiral-relu", {"en": "SGD", "zh": "SGD"}, {"optimizer": "sgd"}),
         Run("spiral-relu", {"en": "Adam", "zh": "Adam"}, {"optimizer": "adam"})),
        "curves"),
    Experiment(
        "lr-too-high",
        {"en": "A learning rate 100x too high", "zh": "学习率大了 100 倍"},
        {"en": "The sin + cos curve fitted by SGD twice: at 0.05 the loss falls; at 5 "
               "(100 times more) every step overshoots the minimum by more than it "
               "corrects, the loss explodes within a few steps and the run stops with "
               "a message. The cure: lower the rate, or clip the gradients.",
         "zh": "用 SGD 拟合 sin + cos 曲线两次：学习率为 0.05 时损失下降；为 5(大 100 "
               "倍)时每一步都冲过最低点，而且越冲越远，几步之内损失就爆炸，训练停止并给"
               "出提示。解决办法：降低学习率，或裁剪梯度。"},
        (Run("sincos", {"en": "lr 0.05", "zh": "学习率 0.05"},
             {"optimizer": "sgd", "lr": 0.05}),
         Run("sincos", {"en": "lr 5 (100x)", "zh": "学习率 5(100 倍)"},
             {"optimizer": "sgd", "lr": 5.0})),
        "curves"),
    Experiment(
        "zero-init",
        {"en": "All-zero initial weights", "zh": "权重全部初始化为零"},
        {"en": "A hidden layer of 64 Sigmoid units, started from PyTorch's random "
               "weights and then from all zeros. From zeros every hidden unit computes "
               "the same value and receives the same gradient, so all 64 stay "
               "identical for ever: in the Weights view the first layer's histogram "
               "is two spikes (one weight per input, shared by every unit), and the "
               "network is no better than one with a single hidden unit.",
         "zh": "一个有 64 个 Sigmoid 单元的隐藏层，先从 PyTorch 的随机权重开始训练，再"
               "从全零开始。从零开始时，每个隐藏单元算出的值相同、得到的梯度也相同，所"
               "以 64 个单元永远一模一样：在“权重”视图中，第一层的直方图只有两根尖峰("
               "每个输入一个权重，所有单元共用)，网络并不比只有一个隐藏单元的网络强。"},
        (Run("spiral-relu", {"en": "random init", "zh": "随机初始化"}, _SGD,
             _SIGMOID_NET),
         Run("spiral-relu", {"en": "zero init", "zh": "零初始化"}, _SGD,
             {**_SIGMOID_NET, "init": "zeros"})),
        "weights", "weights"),
    Experiment(
        "softmax",
        {"en": "Softmax before cross-entropy", "zh": "交叉熵之前多加 Softmax"},
        {"en": "Cross-entropy already applies softmax to the outputs. A second Softmax "
               "layer squeezes the scores into (0, 1) first, so the loss can no longer "
               "become small and the gradients shrink: the second run learns more "
               "slowly. Use Softmax only to show probabilities after training.",
         "zh": "交叉熵损失本身已经对输出做了 softmax。再加一个 Softmax 层会先把得分压缩"
               "到 (0, 1)，损失无法变得很小，梯度也随之变小：第二次训练学得更慢。Softma"
               "x 只在训练后用于显示概率。"},
        (Run("spiral-relu", {"en": "no Softmax layer", "zh": "无 Softmax 层"}),
         Run("spiral-relu", {"en": "extra Softmax", "zh": "多加 Softmax"},
             spec={"layers": (_lin(100), _l("ReLU"), _lin(3), _l("Softmax"))})),
        "curves"),
    Experiment(
        "conv",
        {"en": "Convolutions on images", "zh": "图像上的卷积"},
        {"en": "8x8 handwritten digits, first flattened into an MLP, then through two "
               "small convolution layers with pooling. The convolutions reuse each "
               "3x3 filter at every position, so they learn faster from the same data "
               "with fewer weights. Open Feature maps to see what the filters find.",
         "zh": "8x8 的手写数字，先展平后交给多层感知机，再交给两个带池化的小卷积层。卷"
               "积在每个位置重复使用同一个 3x3 卷积核，所以用更少的权重、从同样的数据中"
               "学得更快。打开“特征图”看看卷积核找到了什么。"},
        (Run("cnn-mnist", {"en": "MLP", "zh": "多层感知机"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_mlp()}),
         Run("cnn-mnist", {"en": "CNN", "zh": "卷积网络"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_cnn("MaxPool2d")})),
        "feature-maps"),
    Experiment(
        "pooling",
        {"en": "Max pooling vs average pooling", "zh": "最大池化对比平均池化"},
        {"en": "The same small CNN on 8x8 digits, pooling by the maximum and by the "
               "average of each 2x2 window. Max pooling keeps the strongest response "
               "(is the stroke there at all?), average pooling a smoother summary.",
         "zh": "在 8x8 数字上训练同一个小卷积网络，分别用每个 2x2 窗口的最大值和平均值"
               "做池化。最大池化保留最强的响应(笔画到底在不在)，平均池化给出更平滑的概"
               "括。"},
        (Run("cnn-mnist", {"en": "MaxPool2d", "zh": "MaxPool2d"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_cnn("MaxPool2d")}),
         Run("cnn-mnist", {"en": "AvgPool2d", "zh": "AvgPool2d"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_cnn("AvgPool2d")})),
        "feature-maps"),
    Experiment(
        "residual",
        {"en": "Skip connections in a deep CNN", "zh": "深层卷积网络中的跳跃连接"},
        {"en": "Nine convolutions on 8x8 digits, plain and with eight of them in "
               "residual blocks. The skip "
               "connection adds each block's input to its output, so the gradient has "
               "a "
               "short path back to the first layers: compare the Gradients view and "
               "the accuracy of the two runs.",
         "zh": "在 8x8 数字上训练九个卷积层，一次是普通堆叠，一次把其中八个组成残差块。"
               "跳跃连接把每个块的输入加到输出上，梯度就有一条回到前几层的捷径：对比两"
               "次训练的“梯度”视图和准确率。"},
        (Run("cnn-mnist", {"en": "plain", "zh": "普通堆叠"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_deep(False)}),
         Run("cnn-mnist", {"en": "residual", "zh": "残差块"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_deep(True)})),
        "gradients"),
    _activation("Tanh",
                "Tanh between the two Linear layers makes the model non-linear, like "
                "ReLU: compare the boundary with the straight lines of no activation.",
                "在两个全连接层之间加 Tanh 与加 ReLU 一样让模型变成非线性：把它的边界和"
                "无激活函数时的直线边界对比一下。"),
    _activation("LeakyReLU",
                "LeakyReLU lets a small slope through for negative inputs, so no unit "
                "can die; on the spiral it bends the boundary like ReLU.",
                "LeakyReLU 对负输入保留一个小斜率，所以单元不会“死亡”；在螺旋数据上它像"
                " ReLU 一样让边界弯曲。"),
    _activation("GELU",
                "GELU, the smooth ReLU of transformers, also bends the boundary; its "
                "curves are rounder than ReLU's corners.",
                "GELU 是 Transformer 中常用的平滑 ReLU，同样能让边界弯曲，而且比 ReLU "
                "的拐角更圆滑。"),
    Experiment(
        "cross-entropy",
        {"en": "Cross-entropy vs MSE for classification",
         "zh": "分类任务：交叉熵对比均方误差"},
        {"en": "The same classifier trained with mean squared error on one-hot targets "
               "and with cross-entropy. Cross-entropy punishes a confident wrong "
               "answer "
               "hard and keeps a strong gradient there, so it usually learns faster.",
         "zh": "同一个分类器分别用均方误差(目标为 one-hot)和交叉熵训练。交叉熵会重罚很"
               "有把握的错误答案，并在那里保持较大的梯度，所以通常学得更快。"},
        (Run("spiral-relu", {"en": "MSE", "zh": "均方误差"}, {"loss": "mse"}),
         Run("spiral-relu", {"en": "cross-entropy", "zh": "交叉熵"})),
        "curves"),
    Experiment(
        "bce",
        {"en": "Cross-entropy vs BCE-with-logits", "zh": "交叉熵对比 BCE-with-logits"},
        {"en": "Two moons, two outputs, trained with cross-entropy (one softmax over "
               "the outputs: exactly one class is true) and with BCE-with-logits (an "
               "independent sigmoid per output, for labels that can be true together). "
               "For one label per sample both learn the same boundary.",
         "zh": "双月数据、两个输出，分别用交叉熵(对全部输出做一次 softmax：恰好一个类别"
               "为真)和 BCE-with-logits(每个输出单独做 sigmoid，适用于可以同时为真的标"
               "签)训练。每个样本只有一个标签时，两者学到的边界相同。"},
        (Run("spiral-relu", {"en": "cross-entropy", "zh": "交叉熵"}, _MOONS,
             _MOONS_NET),
         Run("spiral-relu", {"en": "BCE-with-logits", "zh": "BCE-with-logits"},
             {**_MOONS, "loss": "bce-with-logits"}, _MOONS_NET)),
        "boundary"),
    Experiment(
        "l1-vs-mse",
        {"en": "MSE vs L1 loss", "zh": "均方误差对比 L1 损失"},
        {"en": "The sin + cos curve fitted with the mean squared error and with the "
               "mean "
               "absolute error. Squaring makes large errors count much more, so MSE "
               "chases outliers; L1 treats every unit of error alike.",
         "zh": "分别用均方误差和平均绝对误差拟合 sin + cos 曲线。平方让大误差的权重大得"
               "多，所以 MSE 会追着异常值跑；L1 对每一份误差一视同仁。"},
        (Run("sincos", {"en": "MSE", "zh": "均方误差"}),
         Run("sincos", {"en": "L1", "zh": "L1"}, {"loss": "l1"})),
        "boundary"),
    Experiment(
        "huber",
        {"en": "MSE vs Huber loss", "zh": "均方误差对比 Huber 损失"},
        {"en": "Huber is squared for small errors and absolute for large ones: smooth "
               "near the answer like MSE, calm about outliers like L1. Compare the "
               "fitted curves and the loss curves.",
         "zh": "Huber 损失对小误差取平方、对大误差取绝对值：在答案附近像 MSE 一样平滑，"
               "面对异常值又像 L1 一样沉稳。对比拟合曲线和损失曲线。"},
        (Run("sincos", {"en": "MSE", "zh": "均方误差"}),
         Run("sincos", {"en": "Huber", "zh": "Huber"}, {"loss": "huber"})),
        "boundary"),
    Experiment(
        "backprop",
        {"en": "One backpropagation step by hand", "zh": "手算一步反向传播"},
        {"en": "The classic worked example with the textbook loss E = Σ ½(t − o)²: one "
               "sample, one SGD step at η = 0.5. The Backprop lab shows every number "
               "of the chain rule.",
         "zh": "经典的手算示例，使用教科书中的损失 E = Σ ½(t − o)²：一个样本、学习率 η "
               "= 0.5 的一步 SGD。“反向传播实验室”会显示链式法则中的每一个数。"},
        (Run("backprop-2-2-2", {"en": "worked example", "zh": "手算示例"}),),
        "backprop", None),
    _versus_sgd("adamw", 0.01,
                "AdamW is Adam with the weight decay applied to the weights directly "
                "instead of through the gradient; here both start from the same seed.",
                "AdamW 是把权重衰减直接作用在权重上(而不是混进梯度)的 Adam；两次训练从"
                "相同的随机种子开始。"),
    _versus_sgd("adagrad", 0.1,
                "Adagrad divides each weight's step by the root of all its past "
                "squared "
                "gradients: fast at first, then ever smaller steps.",
                "Adagrad 用每个权重过去所有梯度平方和的平方根去除它的步长：开始很快，之"
                "后步长越来越小。"),
    _versus_sgd("adadelta", 1.0,
                "Adadelta at lr 1.0 (PyTorch's MNIST example) sizes each weight's step "
                "from running averages of its gradients and updates: compare its loss "
                "curve with SGD's at 0.01.",
                "Adadelta 在学习率 1.0(PyTorch 的 MNIST 示例)下，根据每个权重"
                "梯度和更新量的滑动平均决定步长：把它的损失曲线与学习率 0.01 的 "
                "SGD 对比。"),
    _versus_sgd("rmsprop", 0.01,
                "RMSprop divides by a running average of squared gradients, so unlike "
                "Adagrad its steps do not shrink for ever.",
                "RMSprop 除以平方梯度的滑动平均，所以和 Adagrad 不同，它的步长不会一直"
                "变小。"),
)

# --- issue 15: dense blocks, frozen layers -------------------------------------------
def _digits_dense(dense: bool) -> tuple[LayerSpec, ...]:
    """The same depth of 3x3 convolutions, plain or concatenated (DenseBlock)."""
    stem = _l("Conv2d", out_channels=16, kernel_size=3, padding=1)
    if dense:
        body: tuple[LayerSpec, ...] = (_l("DenseBlock", growth_rate=8, layers=6),)
    else:
        conv = _l("Conv2d", out_channels=16, kernel_size=3, padding=1)
        body = tuple(x for _ in range(6) for x in (conv, _l("ReLU")))
    return (stem, _l("ReLU"), *body, _l("AdaptiveAvgPool2d", output_size=1),
            _l("Flatten"), _lin(10))


def _digits_frozen(frozen: bool) -> tuple[LayerSpec, ...]:
    return tuple(dataclasses.replace(layer, frozen=frozen and i < 5)
                 for i, layer in enumerate(_digits_cnn("MaxPool2d")))


_EXPERIMENTS = (
    *_EXPERIMENTS,
    Experiment(
        "dense",
        {"en": "Dense connections", "zh": "稠密连接"},
        {"en": "Six convolutions on 8x8 digits, plain and as one DenseBlock, where "
               "each layer sees the concatenated outputs of every earlier layer. "
               "Compare the accuracy and the Gradients view of the two runs.",
         "zh": "在 8x8 数字上训练六个卷积层，一次是普通堆叠，一次组成一个稠密块（每一层"
               "都看到之前所有层输出的拼接）。对比两次训练的准确率和“梯度”视图。"},
        (Run("cnn-mnist", {"en": "plain", "zh": "普通堆叠"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_dense(False)}),
         Run("cnn-mnist", {"en": "dense block", "zh": "稠密块"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_dense(True)})),
        "gradients"),
    Experiment(
        "frozen-body",
        {"en": "What freezing layers does", "zh": "冻结层的作用"},
        {"en": "The same CNN on 8x8 digits, once with every layer training and once "
               "with both convolutions frozen at their random start: only the head "
               "learns, on fixed random features. Fine-tuning freezes a body that "
               "was trained before, so its features are good ones.",
         "zh": "同一个卷积网络在 8x8 数字上训练两次：一次所有层都训练，一次把两个卷积层"
               "冻结在随机初始值上，只有输出头在固定的随机特征上学习。微调冻结的是事先"
               "训练好的主体，所以它的特征是好的特征。"},
        (Run("cnn-mnist", {"en": "all layers train", "zh": "所有层都训练"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_frozen(False)}),
         Run("cnn-mnist", {"en": "convolutions frozen", "zh": "卷积层冻结"}, _DIGITS,
             {"input_shape": _DIGITS_SHAPE, "layers": _digits_frozen(True)})),
        "gradients"),
    Experiment(
        "least-squares",
        {"en": "Gradient descent finds least squares", "zh": "梯度下降找到最小二乘解"},
        {"en": "One Linear unit fits price against floor area, with two learning "
               "rates. With 0.1 the weight and bias reach the least-squares answer "
               "(shown beside them); with 0.001 the same 300 epochs stop short.",
         "zh": "一个 Linear 单元拟合房价与面积，使用两种学习率。学习率 0.1 时权重和偏置"
               "到达最小二乘解（显示在旁边）；学习率 0.001 时同样 300 轮还差得远。"},
        (Run("house-price", {"en": "lr 0.1", "zh": "学习率 0.1"}, {"lr": 0.1}),
         Run("house-price", {"en": "lr 0.001", "zh": "学习率 0.001"}, {"lr": 0.001})),
        "curves"),
)
# The coach's diagnoses that no experiment above shows yet: a run that has it next
# to the same run cured (the cure the coach's banner offers).
_EXPERIMENTS += (
    Experiment(
        "dead-relu",
        {"en": "Dead ReLUs after a huge step", "zh": "过大的步长让 ReLU 死亡"},
        {"en": "Adam at lr 1.0 throws most ReLU units where they output 0 for every "
               "sample: their gradient is 0 and they never come back (the coach says "
               "how many). LeakyReLU keeps a small slope below 0, so its units "
               "recover.",
         "zh": "学习率 1.0 的 Adam 让大多数 ReLU 单元对所有样本都输出 0：梯度为 0，"
               "再也恢复不了(教练会说出有多少)。LeakyReLU 在 0 以下保留小斜率，"
               "单元能恢复。"},
        (Run("spiral-relu", {"en": "ReLU, lr 1.0", "zh": "ReLU，学习率 1.0"},
             {"lr": 1.0}),
         Run("spiral-relu", {"en": "LeakyReLU, lr 1.0", "zh": "LeakyReLU，学习率 1.0"},
             {"lr": 1.0}, {"layers": _spiral_with(_l("LeakyReLU"))})),
        "activations"),
    Experiment(
        "saturated",
        {"en": "Saturated Tanh units", "zh": "饱和的 Tanh 单元"},
        {"en": "Initial weights 3.0 wide push most Tanh outputs to ±1, where the curve "
               "is flat and the gradient almost 0: the fit stalls. The default init "
               "keeps them in the steep middle.",
         "zh": "标准差 3.0 的初始权重把大多数 Tanh 输出推到 ±1，那里曲线平坦、梯度几乎"
               "为 0：拟合停滞。默认初始化让它们留在陡峭的中段。"},
        (Run("sincos", {"en": "init N(0, 3²)", "zh": "初始化 N(0, 3²)"},
             {"epochs": 30}, {"init": "normal", "init_std": 3.0}),
         Run("sincos", {"en": "default init", "zh": "默认初始化"}, {"epochs": 30})),
        "activations"),
)

from nnstudio.core.lessons.sequence_experiments import (  # noqa: E402
    SEQUENCE_EXPERIMENT_FOR,
    sequence_experiments,
)

_EXPERIMENTS += sequence_experiments(Experiment, Run)

EXPERIMENTS: dict[str, Experiment] = {e.id: e for e in _EXPERIMENTS}

# Which experiment shows each layer kind, loss, optimizer and setting.
EXPERIMENT_FOR: dict[str, str] = {
    "Linear": "relu", "ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh",
    "LeakyReLU": "leakyrelu", "GELU": "gelu", "Softmax": "softmax",
    "Dropout": "dropout", "BatchNorm": "batchnorm", "LayerNorm": "layernorm",
    "Conv2d": "conv", "Flatten": "conv", "MaxPool2d": "pooling", "AvgPool2d": "pooling",
    "AdaptiveAvgPool2d": "residual", "Residual": "residual",
    "cross-entropy": "cross-entropy", "mse": "l1-vs-mse", "l1": "l1-vs-mse",
    "huber": "huber", "bce-with-logits": "bce", "half-sse": "backprop",
    "sgd": "adam-vs-sgd", "adam": "adam-vs-sgd", "adamw": "sgd-vs-adamw",
    "adagrad": "sgd-vs-adagrad", "rmsprop": "sgd-vs-rmsprop",
    "adadelta": "sgd-vs-adadelta",
    "learning-rate": "lr-too-high", "init": "zero-init",
    "DenseBlock": "dense", "Resize": "frozen-body", "ResNet18": "frozen-body",
    "ResNet34": "frozen-body", "MobileNetV3Small": "frozen-body",
    "SqueezeNet11": "frozen-body",

    **SEQUENCE_EXPERIMENT_FOR,
}

# "When to use it" for the kinds whose declaration has no `when` yet.
_WHEN: dict[str, Text] = {
    "MaxPool2d": {"en": "After a convolution, to halve the map size and keep the "
                        "strongest responses.",
                  "zh": "放在卷积层之后，把特征图缩小一半并保留最强的响应。"},
    "AvgPool2d": {"en": "Like max pooling, when a smoother summary of each window is "
                        "wanted.",
                  "zh": "与最大池化类似，需要对每个窗口做更平滑的概括时使用。"},
    "AdaptiveAvgPool2d": {"en": "At the end of a CNN, so any image size gives the "
                                "classifier the same number of features.",
                          "zh": "放在卷积网络末尾，使任意大小的图像都给分类器相同数量的"
                                "特征。"},
    "LeakyReLU": {"en": "Instead of ReLU when many units die (output 0 for every "
                        "sample).",
                  "zh": "当很多单元“死亡”(对所有样本都输出 0)时替代 ReLU。"},
    "Tanh": {"en": "Small networks and recurrent nets that want outputs centred on "
                   "zero; in deep stacks it saturates like Sigmoid.",
             "zh": "需要以零为中心输出的小网络和循环网络；深层堆叠时会像 Sigmoid 一样饱"
                   "和。"},
    "GELU": {"en": "Transformers and other modern networks; a drop-in for ReLU.",
             "zh": "Transformer 等现代网络；可直接替换 ReLU。"},
    "Softmax": {"en": "Only to read probabilities after training: cross-entropy "
                      "already includes it, so do not put it before that loss.",
                "zh": "只在训练后用来读取概率：交叉熵已经包含它，不要放在该损失之前。"},
    "LayerNorm": {"en": "Transformers, and any network trained with very small "
                        "batches (it does not depend on the batch).",
                  "zh": "Transformer，以及批很小的网络(它不依赖批)。"},
    "cross-entropy": {"en": "Classification with one output per class (the default).",
                      "zh": "每个类别一个输出的分类任务(默认选择)。"},
    "mse": {"en": "Regression, when large errors should count much more than small "
                  "ones.",
            "zh": "回归任务，希望大误差比小误差重要得多时。"},
    "bce-with-logits": {"en": "Yes/no questions with one output, or several "
                              "independent yes/no labels.",
                        "zh": "只有一个输出的是/否问题，或多个相互独立的是/否标签。"},
    "l1": {"en": "Regression with outliers that should not dominate.",
           "zh": "有异常值、又不希望它们主导训练的回归任务。"},
    "huber": {"en": "Regression with some outliers: a compromise of MSE and L1.",
              "zh": "有少量异常值的回归任务：MSE 与 L1 的折中。"},
    "half-sse": {"en": "Working backpropagation out by hand, as in textbooks.",
                 "zh": "像教科书那样手算反向传播时。"},
    "sgd": {"en": "Simple, well understood; with momentum 0.9 and a tuned rate it is "
                  "still the standard for CNNs.",
            "zh": "简单、容易理解；加上 0.9 的动量并调好学习率，仍是训练卷积网络的标准"
                  "做法。"},
    "adam": {"en": "A good default: works with little tuning (start at 0.001).",
             "zh": "很好的默认选择：几乎不用调参(学习率从 0.001 开始)。"},
    "adamw": {"en": "Adam with weight decay, e.g. for transformers.",
              "zh": "需要权重衰减的 Adam，例如训练 Transformer。"},
    "adagrad": {"en": "Sparse features where rare inputs need larger steps.",
                "zh": "稀疏特征：罕见的输入需要更大的步长。"},
    "adadelta": {"en": "When you would rather not pick a learning rate: lr 1.0 works "
                       "for most problems (PyTorch's MNIST example).",
                 "zh": "不想挑选学习率时：大多数问题用 1.0 即可"
                       "(PyTorch 的 MNIST 示例)。"},
    "rmsprop": {"en": "Recurrent networks and noisy problems; an ancestor of Adam.",
                "zh": "循环网络和噪声较大的问题；Adam 的前身之一。"},
}

SETTINGS: dict[str, Topic] = {
    "learning-rate": Topic(
        "learning-rate", "setting",
        {"en": "How far each step moves the weights against the gradient.",
         "zh": "每一步沿梯度反方向移动权重的距离。"},
        "w ← w − η · ∂L/∂w",
        {"en": "Too small: slow; too large: the loss jumps or explodes. Try 0.01 for "
               "Adam-like optimizers and 0.1 for SGD, then divide or multiply by 10.",
         "zh": "太小：学得慢；太大：损失来回跳动甚至爆炸。Adam 类优化器先试 0.01，SGD "
               "先试 0.1，再按 10 倍调整。"},
        "lr-too-high"),
    "init": Topic(
        "init", "setting",
        {"en": "The weights a network starts from before training.",
         "zh": "网络在训练之前的初始权重。"},
        "W ~ N(0, 2 / fan_in)   (He / kaiming)",
        {"en": "Random, scaled to the layer's width: Xavier for Sigmoid/Tanh, He "
               "(kaiming) for ReLU. Never all equal: equal weights stay equal.",
         "zh": "随机并按层宽缩放：Sigmoid/Tanh 用 Xavier，ReLU 用 He(kaiming)。绝不能全"
               "部相同：相同的权重会一直相同。"},
        "zero-init"),
}


# What an unknown id is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "unknown": {
        "en": "unknown experiment '{name}': use one of {names}",
        "zh": "未知的实验“{name}”：请使用 {names} 之一",
    },
}


_msg = formatter(_MESSAGES)


def get_experiment(experiment_id: str) -> Experiment:
    """The experiment with that id, or SpecError naming the known ones."""
    try:
        return EXPERIMENTS[experiment_id]
    except KeyError:
        raise SpecError(_msg("unknown", name=experiment_id,
                             names=", ".join(EXPERIMENTS))) from None


def experiment_for(name: str) -> str | None:
    """The experiment that demonstrates a layer kind, loss, optimizer or setting.

    A declaration's own `experiment` field wins when it names an experiment (it may
    still name a preset, from before experiments existed).
    """
    declared = getattr(_declaration(name), "experiment", None)
    return declared if declared in EXPERIMENTS else EXPERIMENT_FOR.get(name)


def _declaration(name: str) -> Any:
    return LAYER_KINDS.get(name) or LOSSES.get(name) or OPTIMIZERS.get(name)


def topics() -> list[str]:
    """Every name `topic()` knows: layer kinds, losses, optimizers, settings, the
    classic architectures of the presets, weight init schemes and the coach's
    diagnoses."""
    from nnstudio.core.lessons.architectures import ARCHITECTURES
    from nnstudio.core.training.coach import CODES

    return [*LAYER_KINDS, *LOSSES, *OPTIMIZERS, *SETTINGS, *ARCHITECTURES,
            *INIT_TOPICS, *CODES]


def _architecture(name: str) -> Topic | None:
    """A preset's architecture as a topic: its story, year and trick."""
    from nnstudio.core.lessons.architectures import ARCHITECTURES, EXPERIMENT

    if name not in ARCHITECTURES:
        return None
    year, formula, story, trick = ARCHITECTURES[name]
    description = {k: f"{v} ({year})" for k, v in story.items()}
    return Topic(name, "architecture", description, formula, trick,
                 EXPERIMENT.get(name))


def _init(name: str, en: str, zh: str, formula: str, when_en: str, when_zh: str,
          experiment: str) -> Topic:
    return Topic(name, "init", {"en": en, "zh": zh}, formula,
                 {"en": when_en, "zh": when_zh}, experiment)


# Each weight init scheme (the spec's `init`), with the experiment that shows it.
INIT_TOPICS: dict[str, Topic] = {t.name: t for t in (
    _init("default", "PyTorch's own init: uniform, scaled by the layer's fan-in.",
          "PyTorch 自带的初始化：均匀分布，按输入数缩放。",
          "W ~ U(−1/√fan_in, 1/√fan_in)",
          "A safe start for most networks.", "对大多数网络都是稳妥的起点。", "relu"),
    _init("zeros", "Every weight starts at 0.", "所有权重从 0 开始。", "W = 0",
          "Never for hidden layers: equal weights get equal gradients and stay equal.",
          "隐藏层绝不能用：相同的权重得到相同的梯度，永远相同。", "zero-init"),
    _init("normal", "Gaussian weights with a standard deviation you choose.",
          "标准差由你选择的正态分布权重。", "W ~ N(0, σ²)",
          "Teaching: a large σ saturates Sigmoid/Tanh units, a tiny σ stalls learning.",
          "教学用：σ 太大会让 Sigmoid/Tanh 饱和，太小会让学习停滞。", "saturated"),
    _init("xavier_uniform", "Glorot: keeps the signal's variance equal in and out.",
          "Glorot：让信号方差在输入和输出两侧相同。",
          "W ~ U(±√(6 / (fan_in + fan_out)))",
          "Sigmoid and Tanh layers.", "Sigmoid 和 Tanh 层。", "sigmoid"),
    _init("xavier_normal", "Glorot with a Gaussian.", "正态分布版的 Glorot。",
          "W ~ N(0, 2 / (fan_in + fan_out))",
          "Sigmoid and Tanh layers.", "Sigmoid 和 Tanh 层。", "sigmoid"),
    _init("kaiming_uniform", "He: twice Glorot's variance, since ReLU zeroes half.",
          "He：方差是 Glorot 的两倍，因为 ReLU 会把一半置零。",
          "W ~ U(±√(6 / fan_in))",
          "ReLU networks, especially deep ones.", "ReLU 网络，尤其是深层网络。",
          "batchnorm"),
    _init("kaiming_normal", "He with a Gaussian.", "正态分布版的 He。",
          "W ~ N(0, 2 / fan_in)",
          "ReLU networks, especially deep ones.", "ReLU 网络，尤其是深层网络。",
          "batchnorm"),
)}


# Which experiment shows each of the coach's diagnoses.
DIAGNOSIS_EXPERIMENT = {
    "diverged": "lr-too-high", "exploding-gradients": "batchnorm",
    "lr-too-high": "lr-too-high", "vanishing-gradients": "sigmoid",
    "dead-relu": "dead-relu", "saturated": "saturated", "lr-too-low": "adam-vs-sgd",
    "underfitting": "relu", "plateau": "adam-vs-sgd", "overfitting": "dropout",
}


# Each diagnosis's rule as a formula (the thresholds are the coach's constants).
DIAGNOSIS_FORMULA = {
    "diverged": "L = NaN or ∞",
    "exploding-gradients": "max‖g‖ now / at the start > 100,  or ‖g‖ > 10⁶",
    "lr-too-high": "L_train > 3 · log C,  or ↑ ×1.5 in 2 recent epochs",
    "vanishing-gradients": "‖g_first layer‖ / ‖g_last layer‖ < 0.01",
    "dead-relu": "ReLU(z) = 0 on the whole probe batch for ≥ 50% of a layer",
    "saturated": "σ(z) < 0.02 or > 0.98 (tanh: |z| > 0.96) for ≥ 60% of a layer",
    "lr-too-low": "(L₀ − L_now) / L₀ < 10% after ≥ 100 steps, still falling",
    "underfitting": "L_train ≥ ½ log C and the best L_train improved < 3% lately",
    "plateau": "best L_train improved < 3% over the last third, accuracy < 95%",
    "overfitting": "L_val ≥ 1.15 · min L_val while L_train falls,  or L_val ≥ 10 · "
                   "L_train,  or acc_train − acc_val ≥ 10%",
}


def _diagnosis_topic(code: str) -> Topic:
    """A diagnosis as Learn more shows it: what it is, what to try, a run with it."""
    from nnstudio.core.training.coach_words import TEXTS

    words = TEXTS[code]
    description = {lang: f"{words['title'][lang]}." for lang in ("en", "zh")}
    return Topic(code, "diagnosis", description, DIAGNOSIS_FORMULA[code], words["try"],
                 DIAGNOSIS_EXPERIMENT.get(code))


def topic(name: str) -> Topic:
    """What "Learn more" shows about `name`; raises KeyError for an unknown name."""
    if name in SETTINGS:
        return SETTINGS[name]
    architecture = _architecture(name)
    if architecture is not None:
        return architecture
    if name in DIAGNOSIS_EXPERIMENT:
        return _diagnosis_topic(name)
    if name in INIT_TOPICS:
        return INIT_TOPICS[name]
    declared = _declaration(name)
    if declared is None:
        raise KeyError(name)
    family = ("layer" if name in LAYER_KINDS else
              "loss" if name in LOSSES else "optimizer")
    when = getattr(declared, "when", None) or _WHEN.get(name, {})
    return Topic(name, family, declared.description, declared.formula, when,
                 experiment_for(name))
