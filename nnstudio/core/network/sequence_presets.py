"""The sequence presets: recurrent nets on parity, sine and adding, attention and a
small Transformer on reverse. presets.py appends them to its registry.

Each reaches its result in under a minute on one laptop CPU core with these
settings (measured with `nnstudio train NAME`; figures in the README); each
description says what to look at.
"""

from __future__ import annotations

from typing import Any

from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec

PARITY_LENGTH = 12  # long enough that a plain RNN's gradient fades to nothing,
# short enough that an LSTM leaves its plateau within a minute on one core


def _l(layer_kind: str, **params: Any) -> LayerSpec:
    return LayerSpec(layer_kind, params)


def _recurrent_head(kind: str, outputs: int, hidden: int = 32) -> tuple[LayerSpec, ...]:
    return (_l(kind, hidden_size=hidden), _l("LastStep"),
            _l("Linear", out_features=outputs))


_PARITY_CFG = {"loss": "cross-entropy", "optimizer": "adam", "lr": 0.01,
               "batch_size": 32, "epochs": 45,
               "dataset_options": {"length": PARITY_LENGTH, "size": 4000}}
_REVERSE_CFG = {"loss": "cross-entropy", "optimizer": "adam", "lr": 0.01,
                "batch_size": 32, "epochs": 10}
_EMBED = (_l("Embedding", num_embeddings=10, embedding_dim=32),
          _l("PositionalEncoding", kind="sinusoidal"))


def sequence_presets(preset_cls: type) -> tuple:
    """The declarations, made with presets.py's Preset class (no import cycle)."""
    P = preset_cls
    return (
        P("rnn-parity",
          NetworkSpec((PARITY_LENGTH, 1), _recurrent_head("RNN", 2)),
          "parity",
          {"en": "A plain RNN on the parity of 12 bits: it stays near 50% (chance). "
                 "Open Through time: the gradient reaching the first bits is "
                 "thousands of times smaller than at the last ones (it vanishes).",
           "zh": "普通 RNN 判断 12 位比特串的奇偶：准确率停在 50% 左右(随机水平)。"
                 "打开“随时间”视图：传到前几位的梯度比最后几位小几千倍(梯度消失)。"},
          _PARITY_CFG, "through-time"),
        P("lstm-parity",
          NetworkSpec((PARITY_LENGTH, 1), _recurrent_head("LSTM", 2)),
          "parity",
          {"en": "The same task with an LSTM: after a plateau near 50% the accuracy "
                 "jumps to 100%. Through time shows the gradient reaching every bit; "
                 "compare with rnn-parity in the Runs overlay.",
           "zh": "同样的任务换成 LSTM：在 50% 附近停滞一段时间后，准确率跃升到 100%。"
                 "“随时间”视图显示梯度能传到每一位；可在“运行”叠加中与 rnn-parity "
                 "对比。"},
          _PARITY_CFG, "through-time"),
        P("lstm-sine",
          NetworkSpec((32, 1), _recurrent_head("LSTM", 1)),
          "sine-forecast",
          {"en": "An LSTM forecasts the next value of a noisy sum of sines from the "
                 "last 32: watch R² climb toward 1 and the hidden state oscillate "
                 "with the signal.",
           "zh": "LSTM 根据最近 32 个值预测带噪声的正弦和的下一个值："
                 "观察 R² 升向 1，隐藏状态随信号振荡。"},
          {"loss": "mse", "optimizer": "adam", "lr": 0.01, "batch_size": 32,
           "epochs": 10}, "hidden-state"),
        P("gru-adding",
          NetworkSpec((20, 2), _recurrent_head("GRU", 1)),
          "adding",
          {"en": "A GRU on the adding problem: it must find the two marked numbers "
                 "among 20 and add them. The loss falls below 0.17 (always guessing "
                 "1.0) once it has learned to use the markers.",
           "zh": "GRU 解决加法问题：要在 20 个数中找到两个被标记的数并相加。"
                 "学会利用标记后，损失会降到 0.17(总是猜 1.0 的水平)以下。"},
          {"loss": "mse", "optimizer": "adam", "lr": 0.01, "batch_size": 32,
           "epochs": 15}, "hidden-state"),
        P("attention-reverse",
          NetworkSpec((16,), (*_EMBED, _l("MultiheadAttention", num_heads=1),
                              _l("Linear", out_features=10))),
          "reverse",
          {"en": "Embedding + positional encoding + one attention head + a per-step "
                 "Linear learn to reverse 16 tokens. Open Attention: the anti-diagonal "
                 "forms as each output step learns to look at its mirror position.",
           "zh": "Embedding + 位置编码 + 一个注意力头 + 逐步的 Linear 学会反转 16 "
           "个词元。"
                 "打开“注意力”视图：随着每个输出步学会看向镜像位置，反对角线逐渐形成。"},
          _REVERSE_CFG, "attention"),
        P("transformer-reverse",
          NetworkSpec((16,), (*_EMBED,
                              _l("TransformerEncoderLayer", num_heads=2,
                                 dim_feedforward=64, dropout=0.0),
                              _l("TransformerEncoderLayer", num_heads=2,
                                 dim_feedforward=64, dropout=0.0),
                              _l("Linear", out_features=10))),
          "reverse",
          {"en": "Two Transformer encoder layers with two heads each on reverse: "
                 "compare the heads in the Attention view (they often split the work).",
           "zh": "两层各有两个头的 Transformer 编码器解决反转任务："
                 "在“注意力”视图中比较各个头(它们常常分工合作)。"},
          {**_REVERSE_CFG, "lr": 0.003}, "attention"),
    )
