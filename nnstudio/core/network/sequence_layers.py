"""The sequence layers of the catalog: embedding, recurrent, attention, reductions.

Kept apart from layers.py (which appends them to its catalog) so the declarations of
one family read together. Shapes are (time, features) without the batch; the torch
modules are batch-first (see modules.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from torch import nn

from nnstudio.core.network.layers import LayerKind, Param, Shape
from nnstudio.core.network.modules import (
    LastStep,
    MeanOverTime,
    PositionalEncoding,
    SelfAttention,
    SequenceGRU,
    SequenceLSTM,
    SequenceRNN,
)

MAX_HEADS = 12  # more heads than this on a laptop-sized width leaves 1-2 dims each


def _int(name: str, default: int, lo: int, hi: int, en: str, zh: str) -> Param:
    return Param(name, "int", default, lo, hi, help={"en": en, "zh": zh})


_HIDDEN = _int(
    "hidden_size", 32, 1, 4096, "Units of the hidden state", "隐藏状态的单元数"
)
_LAYERS = _int("num_layers", 1, 1, 8, "Recurrent layers stacked", "堆叠的循环层数")
_HEADS = _int(
    "num_heads",
    1,
    1,
    MAX_HEADS,
    "Attention heads (must divide the width)",
    "注意力头数(必须能整除宽度)",
)


def _recurrent(cls: type[nn.RNNBase]):
    def make(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
        extra = {"nonlinearity": p["nonlinearity"]} if "nonlinearity" in p else {}
        return cls(
            shape[-1], p["hidden_size"], p["num_layers"], batch_first=True, **extra
        )

    return make


def _make_encoder(shape: Shape, p: Mapping[str, Any]) -> nn.Module:
    return nn.TransformerEncoderLayer(
        shape[-1], p["num_heads"], p["dim_feedforward"], p["dropout"], batch_first=True
    )


_RECURRENT_WHEN = {
    "en": "Sequences where order matters: put it after an Embedding (tokens) or on "
    "(time, features) input; end with LastStep for one answer per sequence.",
    "zh": "用于顺序重要的序列：放在 Embedding(词元)之后或直接作用于(时间, 特征)输入；"
    "每个序列只要一个答案时在后面接 LastStep。",
}

SEQUENCE_KINDS: tuple[LayerKind, ...] = (
    LayerKind(
        "Embedding",
        "Sequence",
        {
            "en": "Turns each token id (0, 1, 2, ...) into a learned vector: a lookup "
            "table with one row per token.",
            "zh": "把每个词元编号(0, 1, 2, ...)变成一个可学习的向量："
            "每个词元对应查找表的一行。",
        },
        "y_t = E[x_t]   (E: num_embeddings × embedding_dim)",
        lambda s, p: nn.Embedding(p["num_embeddings"], p["embedding_dim"]),
        (
            _int(
                "num_embeddings",
                10,
                1,
                100_000,
                "Number of different tokens",
                "不同词元的个数",
            ),
            _int(
                "embedding_dim",
                16,
                1,
                4096,
                "Length of each token's vector",
                "每个词元向量的长度",
            ),
        ),
        ranks=(1,),
        key_params=("embedding_dim",),
        when={
            "en": "First layer of a token task (reverse, text): token ids in, vectors "
            "out.",
            "zh": "词元任务(反转、文本)的第一层：输入词元编号，输出向量。",
        },
        tokens=True,
    ),
    LayerKind(
        "RNN",
        "Recurrent",
        {
            "en": "A plain recurrent layer: the hidden state is updated from the "
            "input and "
            "the previous state at every step. Its gradient fades back through time.",
            "zh": "普通循环层：每一步都用输入和上一步的状态更新隐藏状态。"
            "它的梯度沿时间反向传播时会逐渐消失。",
        },
        "h_t = tanh(W_ih x_t + W_hh h_{t−1} + b)",
        _recurrent(SequenceRNN),
        (
            _HIDDEN,
            _LAYERS,
            Param(
                "nonlinearity",
                "choice",
                "tanh",
                choices=("tanh", "relu"),
                help={
                    "en": "Activation of the state update",
                    "zh": "状态更新的激活函数",
                },
            ),
        ),
        ranks=(2,),
        key_params=("hidden_size",),
        when=_RECURRENT_WHEN,
    ),
    LayerKind(
        "LSTM",
        "Recurrent",
        {
            "en": "Long short-term memory: gates decide what the cell state forgets, "
            "stores and shows, so information (and gradient) survives many steps.",
            "zh": "长短期记忆网络：门控决定细胞状态遗忘、存入和输出什么，"
            "信息(和梯度)因此能跨越很多步。",
        },
        "i,f,o = σ(W[x_t, h_{t−1}] + b); g = tanh(W_g[x_t, h_{t−1}] + b_g); "
        "c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t)",
        _recurrent(SequenceLSTM),
        (_HIDDEN, _LAYERS),
        ranks=(2,),
        key_params=("hidden_size",),
        when=_RECURRENT_WHEN,
    ),
    LayerKind(
        "GRU",
        "Recurrent",
        {
            "en": "Gated recurrent unit: like an LSTM with two gates and no "
            "separate cell "
            "state; fewer parameters, often as good.",
            "zh": "门控循环单元：类似 LSTM，但只有两个门、没有单独的细胞状态；"
            "参数更少，效果常常一样好。",
        },
        "z,r = σ(W[x_t, h_{t−1}]); n = tanh(W_n x_t + r⊙(U_n h_{t−1})); "
        "h_t = (1−z)⊙n + z⊙h_{t−1}",
        _recurrent(SequenceGRU),
        (_HIDDEN, _LAYERS),
        ranks=(2,),
        key_params=("hidden_size",),
        when=_RECURRENT_WHEN,
    ),
    LayerKind(
        "MultiheadAttention",
        "Attention",
        {
            "en": "Self-attention: every step looks at every step and takes a weighted "
            "average of their values; the weights come from how well its query "
            "matches their keys. Several heads look for different things.",
            "zh": "自注意力：每一步都查看所有步，并按权重对它们的值求平均；"
            "权重来自它的查询与各步键的匹配程度。多个头各自关注不同的东西。",
        },
        "Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V,  Q = xW_Q, K = xW_K, V = xW_V",
        lambda s, p: SelfAttention(s[-1], p["num_heads"], p["causal"]),
        (
            _HEADS,
            Param(
                "causal",
                "bool",
                False,
                help={
                    "en": "Each step sees only itself and earlier steps",
                    "zh": "每一步只能看到自己和之前的步",
                },
            ),
        ),
        ranks=(2,),
        key_params=("num_heads",),
        when={
            "en": "When any step may need any other (reverse, copy, translation); add "
            "a PositionalEncoding before it, or it cannot tell the order.",
            "zh": "当任意一步可能需要其他任意一步时(反转、复制、翻译)；"
            "在它前面加 PositionalEncoding，否则它分不清顺序。",
        },
    ),
    LayerKind(
        "PositionalEncoding",
        "Sequence",
        {
            "en": "Adds to each step a vector that says where it is: attention by "
            "itself "
            "sees a set, not a sequence.",
            "zh": "给每一步加上一个表示位置的向量：注意力本身看到的是集合，"
            "而不是序列。",
        },
        "PE[t, 2i] = sin(t / 10000^(2i/d)),  PE[t, 2i+1] = cos(t / 10000^(2i/d))",
        lambda s, p: PositionalEncoding(s[0], s[-1], p["kind"]),
        (
            Param(
                "kind",
                "choice",
                "sinusoidal",
                choices=("sinusoidal", "learned"),
                help={
                    "en": "Fixed sines and cosines, or one learned vector per position",
                    "zh": "固定的正弦和余弦，或每个位置一个可学习的向量",
                },
            ),
        ),
        ranks=(2,),
        key_params=("kind",),
        when={
            "en": "Right after the Embedding of an attention network or Transformer.",
            "zh": "放在注意力网络或 Transformer 的 Embedding 之后。",
        },
    ),
    LayerKind(
        "TransformerEncoderLayer",
        "Attention",
        {
            "en": "One Transformer encoder block: self-attention, then a two-layer "
            "feed-forward network, each with a residual connection and LayerNorm.",
            "zh": "一个 Transformer 编码器块：自注意力，再接两层前馈网络，"
            "每部分都有残差连接和 LayerNorm。",
        },
        "x = LN(x + MHA(x));  y = LN(x + W₂ ReLU(W₁ x))",
        _make_encoder,
        (
            _int(
                "num_heads",
                2,
                1,
                MAX_HEADS,
                "Attention heads (must divide the width)",
                "注意力头数(必须能整除宽度)",
            ),
            _int(
                "dim_feedforward",
                64,
                1,
                16_384,
                "Width of the feed-forward part",
                "前馈部分的宽度",
            ),
            Param(
                "dropout",
                "float",
                0.1,
                0.0,
                1.0,
                help={
                    "en": "Dropout inside the block (0 to <1)",
                    "zh": "块内的 Dropout 比例(0 到小于 1)",
                },
                max_exclusive=True,
            ),
        ),
        ranks=(2,),
        key_params=("num_heads", "dim_feedforward"),
        when={
            "en": "Stack two or more after Embedding + PositionalEncoding.",
            "zh": "在 Embedding + PositionalEncoding 之后堆叠两个或更多。",
        },
    ),
    LayerKind(
        "LastStep",
        "Sequence",
        {
            "en": "Keeps only the last time step: one vector per sequence, for one "
            "answer "
            "per sequence.",
            "zh": "只保留最后一个时间步：每个序列得到一个向量，用于每个序列一个答案。",
        },
        "y = x_T",
        lambda s, p: LastStep(),
        ranks=(2,),
        when={
            "en": "After an RNN/LSTM/GRU, before the classifier or regression head.",
            "zh": "放在 RNN/LSTM/GRU 之后、分类或回归输出层之前。",
        },
    ),
    LayerKind(
        "MeanOverTime",
        "Sequence",
        {
            "en": "Averages over the time steps: one vector per sequence.",
            "zh": "对所有时间步求平均：每个序列得到一个向量。",
        },
        "y = (1/T) Σ_t x_t",
        lambda s, p: MeanOverTime(),
        ranks=(2,),
        when={
            "en": "Instead of LastStep when every step should count equally (e.g. "
            "after attention, which has no 'last' state).",
            "zh": "希望每一步同等重要时替代 LastStep(例如在注意力之后，"
            "它没有“最后的”状态)。",
        },
    ),
)
