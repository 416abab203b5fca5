""""Learn more" about the classic architectures behind the presets: what made each
important, its year, and its trick, in both languages."""

from __future__ import annotations

from nnstudio.core.i18n import Text

# preset -> (year, formula-like summary, what made it important, its trick)
ARCHITECTURES: dict[str, tuple[str, str, Text, Text]] = {
    "alexnet-mini": (
        "2012",
        "conv11/4 → pool → conv5 → pool → conv3 ×3 → pool → FC → FC → FC",
        {"en": "AlexNet (Krizhevsky, Sutskever, Hinton, 2012) won ImageNet by a wide "
               "margin and started the deep-learning era: a deep CNN trained on GPUs.",
         "zh": "AlexNet（Krizhevsky、Sutskever、Hinton，2012 年）以巨大优势"
               "赢得 ImageNet 竞赛，开启了深度学习时代：在 GPU 上训练的深层卷积网络。"},
        {"en": "Its tricks: ReLU instead of tanh (training several times faster), "
               "dropout in the classifier, a large strided first kernel, and data "
               "augmentation. This mini version keeps the shape for 32x32 images "
               "(no local response normalisation, which later nets dropped).",
         "zh": "它的诀窍：用 ReLU 代替 tanh（训练快好几倍）、分类器中的 dropout、步长"
               "较大的大卷积核开头，以及数据增强。这个迷你版为 32x32 图像保留了它的结构"
               "（去掉了后来被淘汰的局部响应归一化）。"},
    ),
    "vgg-mini": (
        "2014",
        "[conv3 → conv3 → pool] × n → FC",
        {"en": "VGG (Simonyan and Zisserman, 2014) showed that depth matters, built "
               "from one simple repeated block.",
         "zh": "VGG（Simonyan 与 Zisserman，2014 年）证明了深度的重要性，整个网络由一种"
               "简单的模块重复构成。"},
        {"en": "Its trick: only 3x3 convolutions; two stacked see as far as one 5x5 "
               "with fewer weights and one more non-linearity.",
         "zh": "它的诀窍：只用 3x3 卷积；两个叠起来的感受野与一个 5x5 相同，"
               "但权重更少，"
               "还多一次非线性。"},
    ),
    "resnet-mini": (
        "2015",
        "y = ReLU(F(x) + x)",
        {"en": "ResNet (He et al., 2015) trained networks of 152 layers and won "
               "ImageNet; deeper plain networks had trained worse, not better.",
         "zh": "ResNet（何恺明等，2015 年）训练了 152 层的网络并赢得 ImageNet；此前更深"
               "的普通网络反而训练得更差。"},
        {"en": "Its trick: the skip connection. Each block learns a correction F(x) "
               "to its input, and gradients flow back through the identity path.",
         "zh": "它的诀窍：跳跃连接。每个模块只学习对输入的修正 F(x)，梯度沿恒等路径"
               "直接回传。"},
    ),
    "densenet-mini": (
        "2017",
        "x_l = H_l([x_0, x_1, …, x_{l−1}])",
        {"en": "DenseNet (Huang et al., 2017, CVPR best paper) reached ResNet's "
               "accuracy with far fewer parameters.",
         "zh": "DenseNet（黄高等，2017 年 CVPR 最佳论文）用少得多的参数达到了 ResNet 的"
               "准确率。"},
        {"en": "Its trick: inside a dense block every layer receives the concatenated "
               "outputs of all earlier layers and adds only a few channels (the growth "
               "rate); transitions (1x1 conv, pooling) keep the width in check.",
         "zh": "它的诀窍：在稠密块中，每一层都接收之前所有层输出的拼接，自己只新增少量"
               "通道（增长率）；过渡层（1x1 卷积和池化）控制通道数。"},
    ),
    "resnet34-finetune": (
        "2015 / 2014",
        "frozen ResNet-34 body → new Linear head",
        {"en": "Transfer learning: features learned on ImageNet's 1.2 million photos "
               "(Yosinski et al., 2014) serve a new task with few examples.",
         "zh": "迁移学习：在 ImageNet 的 120 万张照片上学到的特征"
               "（Yosinski 等，2014 年）"
               "可以用很少的样本服务于新任务。"},
        {"en": "Its trick: freeze the body and train only a new head; the body's "
               "outputs are computed once and cached, so each epoch is fast. The "
               "images must be resized and normalized as the weights expect.",
         "zh": "它的诀窍：冻结主体，只训练新的输出头；主体的输出只计算一次并缓存，所以"
               "每轮都很快。图像必须按权重的要求缩放和归一化。"},
    ),
    "house-price": (
        "1805",
        "price = w · area + b",
        {"en": "Least squares (Legendre 1805, Gauss 1809) is the oldest learning "
               "algorithm: one Linear unit with the squared error is exactly it.",
         "zh": "最小二乘法（勒让德 1805 年、高斯 1809 年）是最古老的学习算法：一个使用"
               "平方误差的 Linear 单元正是它。"},
        {"en": "Its trick: the best weight and bias have a closed form; gradient "
               "descent reaches the same numbers, shown next to the learned ones.",
         "zh": "它的诀窍：最优的权重和偏置有解析解；梯度下降会得到相同的数值，并与学到"
               "的数值并排显示。"},
    ),
}

# The one-click experiment that shows each architecture's trick.
EXPERIMENT: dict[str, str] = {
    "alexnet-mini": "dropout", "vgg-mini": "conv", "resnet-mini": "residual",
    "densenet-mini": "dense", "resnet34-finetune": "frozen-body",
    "house-price": "least-squares",
}
