"""The sequence experiments: RNN vs LSTM on parity, attention with and without
positions on reverse, one head vs two. experiments.py appends them to its registry.
"""

from __future__ import annotations

from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS


def _without_positions() -> tuple[LayerSpec, ...]:
    layers = PRESETS["attention-reverse"].spec.layers
    return tuple(layer for layer in layers if layer.kind != "PositionalEncoding")


def _with_heads(count: int) -> tuple[LayerSpec, ...]:
    return tuple(
        layer.with_params(num_heads=count) if layer.kind == "MultiheadAttention"
        else layer
        for layer in PRESETS["attention-reverse"].spec.layers
    )


def sequence_experiments(experiment: type, run: type) -> tuple:
    """The declarations, made with experiments.py's classes (no import cycle)."""
    E, R = experiment, run
    return (
        E("rnn-vs-lstm",
          {"en": "A plain RNN forgets, an LSTM remembers",
           "zh": "普通 RNN 会遗忘，LSTM 能记住"},
          {"en": "The parity of 12 bits depends on every bit, the first as much as the "
                 "last. A plain RNN multiplies its gradient by the recurrent weights "
                 "(and the tanh slope) at every step back, so the first bits receive "
                 "almost nothing and accuracy stays at 50%. The LSTM's cell state "
                 "c_t = f⊙c_{t−1} + i⊙g passes the gradient back through the forget "
                 "gate f instead, which it learns to keep near 1: after a plateau its "
                 "accuracy jumps to 100%. Watch Through time, then compare the runs.",
           "zh": "12 位比特串的奇偶取决于每一位，第一位和最后一位同样重要。普通 RNN "
                 "每往回一步都要把梯度乘以循环权重(和 tanh 的斜率)，传到前几位时几乎"
                 "为零，准确率停在 50%。LSTM 的细胞状态 c_t = f⊙c_{t−1} + i⊙g 让梯度经"
                 "由遗忘门 f 往回传，而它学会让 f 接近 1：停滞一段时间后准确率跃升到 "
                 "100%。先看“随时间”视图，再对比两次训练。"},
          (R("rnn-parity", {"en": "plain RNN", "zh": "普通 RNN"}),
           R("lstm-parity", {"en": "LSTM", "zh": "LSTM"})),
          "through-time"),
        E("positional-encoding",
          {"en": "Attention needs positions to reverse a sequence",
           "zh": "注意力需要位置信息才能反转序列"},
          {"en": "Without a positional encoding, attention sees a set, not a sequence: "
                 "softmax(q·k/√d) depends only on the tokens, so two equal tokens get "
                 "the same weights wherever they are, and the output at step t cannot "
                 "know which token sits at step T−1−t. Accuracy stays near 1 in 10 "
                 "(guessing). Adding sin/cos positions, PE[t, 2i] = "
                 "sin(t/10000^(2i/d)), "
                 "lets each query match its mirror position: the anti-diagonal forms "
                 "in the Attention view and accuracy reaches 100%.",
           "zh": "没有位置编码时，注意力看到的是集合而不是序列：softmax(q·k/√d) 只取决"
                 "于词元本身，两个相同的词元无论在哪里都得到相同的权重，第 t 步的输出"
                 "无法知道第 T−1−t 步是哪个词元。准确率停在十分之一左右(靠猜)。加上正"
                 "弦/余弦位置 PE[t, 2i] = sin(t/10000^(2i/d)) 后，每个查询都能匹配它的"
                 "镜像位置：“注意力”视图中出现反对角线，准确率达到 100%。"},
          (R("attention-reverse", {"en": "no positional encoding",
                                   "zh": "无位置编码"},
             spec={"layers": _without_positions()}),
           R("attention-reverse",
             {"en": "sinusoidal positions", "zh": "正弦位置编码"})),
          "attention"),
        E("attention-heads",
          {"en": "One attention head or two", "zh": "一个注意力头还是两个"},
          {"en": "The same network with one head, then two heads of half the width "
                 "each (embed dim 32 = 2 × 16). Reversing needs one lookup per step, "
                 "so one head suffices; with two, the Attention view shows how the "
                 "heads share the work (often one head per half of the sequence).",
           "zh": "同一个网络先用一个头，再用两个各占一半宽度的头(嵌入维度 32 = 2 × "
           "16)。"
                 "反转每一步只需查找一个位置，一个头就够了；用两个头时，可以在“注意力”"
                 "视图中看到它们如何分工(常常各负责序列的一半)。"},
          (R("attention-reverse", {"en": "1 head", "zh": "1 个头"},
             spec={"layers": _with_heads(1)}),
           R("attention-reverse", {"en": "2 heads", "zh": "2 个头"},
             spec={"layers": _with_heads(2)})),
          "attention"),
    )


# which experiment shows each sequence layer kind
SEQUENCE_EXPERIMENT_FOR = {
    "Embedding": "positional-encoding", "PositionalEncoding": "positional-encoding",
    "RNN": "rnn-vs-lstm", "LSTM": "rnn-vs-lstm", "GRU": "rnn-vs-lstm",
    "LastStep": "rnn-vs-lstm", "MeanOverTime": "rnn-vs-lstm",
    "MultiheadAttention": "attention-heads",
    "TransformerEncoderLayer": "attention-heads",
}
