"""The coach's words: each diagnosis's title, evidence and advice, in both languages.

`Diagnosis` is what a coach rule returns (a code and its numbers); the table here
words it. The rules themselves are in coach.py; experiments.py reuses the titles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nnstudio.core.i18n import Text, text


@dataclass(frozen=True)
class Diagnosis:
    """One named problem with its numbers; the words come from `TEXTS`."""

    code: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def title(self, language: str | None = None) -> str:
        return text(TEXTS[self.code]["title"], language)

    def because(self, language: str | None = None) -> str:
        """The evidence in words, with the numbers."""
        key = f"because-{self.evidence['why']}" if "why" in self.evidence else "because"
        return text(TEXTS[self.code][key], language).format(**self.evidence)

    def advice(self, language: str | None = None) -> str:
        """What to try, in order of how often it helps."""
        return text(TEXTS[self.code]["try"], language)

    def sentence(self, language: str | None = None) -> str:
        """One line for a terminal: title, evidence, what to try."""
        return f"{self.title(language)}: {self.because(language)} — " \
               f"{self.advice(language)}"


TEXTS: dict[str, dict[str, Text]] = {
    "diverged": {
        "title": {"en": "The run diverged", "zh": "训练发散了"},
        "because": {"en": "the loss became infinite or NaN by step {step}",
                    "zh": "损失在第 {step} 步前变成了无穷大或 NaN"},
        "try": {"en": "try a learning rate 10x smaller, gradient clipping, or "
                      "BatchNorm",
                "zh": "试试把学习率缩小 10 倍、梯度裁剪或批归一化"},
    },
    "exploding-gradients": {
        "title": {"en": "Exploding gradients", "zh": "梯度爆炸"},
        "because": {"en": "the largest gradient norm grew {growth:.3g}x since the "
                          "start of training",
                    "zh": "最大的梯度范数比训练开始时增大了 {growth:.3g} 倍"},
        "try": {"en": "try gradient clipping (clip norm 1), a smaller learning rate, "
                      "or BatchNorm",
                "zh": "试试梯度裁剪（范数 1）、更小的学习率或批归一化"},
    },
    "lr-too-high": {
        "title": {"en": "Learning rate too high", "zh": "学习率太大"},
        "because": {"en": "the training loss jumped to {peak:.4g}, {factor:.3g}x the "
                          "{ref:.4g} it should stay below",
                    "zh": "训练损失跳到了 {peak:.4g}，是应有上限 {ref:.4g} 的 "
                          "{factor:.3g} 倍"},
        "because-jumps": {"en": "the training loss jumped up by over {factor:.2g}x in "
                                "{jumps} recent epochs: the steps overshoot",
                          "zh": "训练损失在最近 {jumps} 轮中跳升超过 {factor:.2g} 倍："
                                "每一步都迈过头了"},
        "try": {"en": "try a learning rate 10x smaller, or a schedule that lowers it",
                "zh": "试试把学习率缩小 10 倍，或使用逐步降低学习率的调度"},
    },
    "vanishing-gradients": {
        "title": {"en": "Vanishing gradients", "zh": "梯度消失"},
        "because": {"en": "the first layer's gradient is {ratio:.2g} of the last "
                          "layer's: the early layers barely learn",
                    "zh": "第一层的梯度只有最后一层的 {ratio:.2g}："
                          "前面的层几乎学不到东西"},
        "try": {"en": "try ReLU instead of Sigmoid/Tanh, He (Kaiming) init, "
                      "BatchNorm, or a shallower network",
                "zh": "试试用 ReLU 代替 Sigmoid/Tanh、He（Kaiming）初始化、批归一化，"
                      "或更浅的网络"},
    },
    "dead-relu": {
        "title": {"en": "Dead ReLUs", "zh": "ReLU 死亡"},
        "because": {"en": "{share:.0%} of the units of {layer} never fire on the probe "
                          "batch: their gradient is 0, so they cannot recover",
                    "zh": "{layer} 中 {share:.0%} 的单元在探测批次上从不激活："
                          "梯度为 0，无法恢复"},
        "try": {"en": "try LeakyReLU, a smaller learning rate, or He (Kaiming) init",
                "zh": "试试 LeakyReLU、更小的学习率或 He（Kaiming）初始化"},
    },
    "saturated": {
        "title": {"en": "Saturated activations", "zh": "激活饱和"},
        "because": {"en": "{share:.0%} of the outputs of {layer} sit in the flat tails "
                          "of the curve, where the gradient is almost 0",
                    "zh": "{layer} 的输出有 {share:.0%} 落在曲线平坦的两端，"
                          "那里梯度几乎为 0"},
        "try": {"en": "try ReLU, Xavier (Glorot) init, smaller initial weights, or "
                      "normalised inputs",
                "zh": "试试 ReLU、Xavier（Glorot）初始化、更小的初始权重"
                      "或归一化的输入"},
    },
    "lr-too-low": {
        "title": {"en": "Learning rate too low", "zh": "学习率太小"},
        "because": {"en": "the training loss fell only {drop:.1%} (from {first:.4g} to "
                          "{last:.4g}) in {steps} steps, yet it is still falling",
                    "zh": "训练损失在 {steps} 步里只下降了 {drop:.1%}（从 {first:.4g} "
                          "到 {last:.4g}），而且仍在下降"},
        "try": {"en": "try a learning rate 10x larger, momentum, or Adam",
                "zh": "试试把学习率放大 10 倍、加动量或改用 Adam"},
    },
    "underfitting": {
        "title": {"en": "Underfitting", "zh": "欠拟合"},
        "because": {"en": "the training loss stays high ({loss:.4g}, guessing scores "
                          "{ref:.4g}) and improved only {gain:.1%} lately",
                    "zh": "训练损失一直很高（{loss:.4g}，随机猜测为 {ref:.4g}），"
                          "最近只改善了 {gain:.1%}"},
        "because-r2": {"en": "validation R² stays at {r2:.3f} (under {ref:g}) and "
                             "the training loss improved only {gain:.1%} lately",
                       "zh": "验证 R² 一直只有 {r2:.3f}（低于 {ref:g}），训练损失最近"
                             "只改善了 {gain:.1%}"},
        "because-first": {"en": "the training loss stays high ({loss:.4g}, over half "
                                "of the first epoch's {ref:.4g}) and improved only "
                                "{gain:.1%} lately",
                          "zh": "训练损失一直很高（{loss:.4g}，超过第一轮 {ref:.4g} "
                                "的一半），最近只改善了 {gain:.1%}"},
        "try": {"en": "try a nonlinearity (ReLU) between Linear layers, a bigger "
                      "network, more epochs, or a higher learning rate",
                "zh": "试试在全连接层之间加非线性激活（ReLU）、更大的网络、更多轮数"
                      "或更大的学习率"},
    },
    "plateau": {
        "title": {"en": "Plateau", "zh": "损失停滞"},
        "because": {"en": "the training loss ({loss:.4g}) improved only {gain:.1%} "
                          "over the last {epochs} epochs, short of a good fit",
                    "zh": "训练损失（{loss:.4g}）在最近 {epochs} 轮只改善了 "
                          "{gain:.1%}，"
                          "离拟合好还差得远"},
        "try": {"en": "try no learning-rate decay (or a gentler one), Adam or "
                      "momentum, or a wider network",
                "zh": "试试取消（或放缓）学习率衰减、Adam 或动量，或更宽的网络"},
    },
    "overfitting": {
        "title": {"en": "Overfitting", "zh": "过拟合"},
        "because": {"en": "the validation loss rose from {best:.4g} (epoch "
                          "{best_epoch}) to {last:.4g} while the training loss kept "
                          "falling",
                    "zh": "验证损失从 {best:.4g}（第 {best_epoch} 轮）升到 {last:.4g}，"
                          "而训练损失仍在下降"},
        "because-memorised": {"en": "the validation loss {last:.4g} is {ratio:.0f}x "
                                    "the training loss {train:.4g}: it learned the "
                                    "training samples by heart",
                              "zh": "验证损失 {last:.4g} 是训练损失 {train:.4g} 的 "
                                    "{ratio:.0f} 倍：它把训练样本背了下来"},
        "because-gap": {"en": "training accuracy {train_acc:.1%} is {gap:.0%} above "
                              "validation accuracy {val_acc:.1%}: it learned the "
                              "training samples, not the task",
                        "zh": "训练准确率 {train_acc:.1%} 比验证准确率 {val_acc:.1%} "
                              "高 {gap:.0%}：它记住了训练样本，而没有学会任务"},
        "try": {"en": "try more data, Dropout, L2 weight decay, early stopping, or a "
                      "smaller network",
                "zh": "试试更多数据、Dropout、L2 权重衰减、提前停止或更小的网络"},
    },
}
