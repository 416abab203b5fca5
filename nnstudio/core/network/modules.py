"""The layer modules torch does not ship as such: a textbook shared-bias Linear, a
residual block, and the sequence wrappers (one tensor out, batch-first). Everything
else in the catalog is a plain torch.nn module."""

from __future__ import annotations

import torch
from torch import nn


class SharedBiasLinear(nn.Linear):
    """Linear layer whose units share one bias, as in textbook backprop examples."""

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__(in_features, out_features, bias=False)
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.linear(x, self.weight) + self.bias

    def extra_repr(self) -> str:
        sizes = f"in_features={self.in_features}, out_features={self.out_features}"
        return f"{sizes}, bias=shared"


class ResidualBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN plus a skip, then ReLU (He et al., 2015).

    The skip is the identity when the shape is unchanged and a 1x1 projection when the
    channel count or the stride changes it.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.shortcut(x))


# --- sequences: (batch, time, features), batch-first as the design says ---------------
# torch's recurrent layers return (output, state) and attention returns (output,
# weights); a Sequential needs one tensor, so these keep torch's parameters (and
# state_dict names) and return only the whole output sequence.


class SequenceRNN(nn.RNN):
    """nn.RNN(batch_first=True) that returns the output at every time step."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        return super().forward(x)[0]


class SequenceLSTM(nn.LSTM):
    """nn.LSTM(batch_first=True) that returns the output at every time step."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        return super().forward(x)[0]


class SequenceGRU(nn.GRU):
    """nn.GRU(batch_first=True) that returns the output at every time step."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        return super().forward(x)[0]


class SelfAttention(nn.MultiheadAttention):
    """Multi-head self-attention over the sequence (query = key = value = x).

    `causal` hides later steps from each query (a decoder's mask). The weights are
    not computed in training (`need_weights=False` keeps the fused kernel); the
    Attention probe asks for them separately on its probe batch.
    """

    def __init__(self, embed_dim: int, num_heads: int, causal: bool = False) -> None:
        super().__init__(embed_dim, num_heads, batch_first=True)
        self.causal = causal

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        mask = causal_mask(x.shape[1], x.device) if self.causal else None
        return super().forward(x, x, x, attn_mask=mask, need_weights=False)[0]

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, " \
               f"causal={self.causal}"


def causal_mask(steps: int, device: torch.device | None = None) -> torch.Tensor:
    """-inf above the diagonal: step t may look at steps 0..t only."""
    full = torch.full((steps, steps), float("-inf"), device=device)
    return torch.triu(full, diagonal=1)


class PositionalEncoding(nn.Module):
    """Adds where each step is to its features: attention alone ignores the order.

    "sinusoidal" (Vaswani et al., 2017): PE[t, 2i] = sin(t / 10000^(2i/d)),
    PE[t, 2i+1] = cos(...), fixed (a buffer, not saved with the weights);
    "learned": one trainable vector per position.
    """

    def __init__(self, steps: int, dim: int, kind: str = "sinusoidal") -> None:
        super().__init__()
        self.kind = kind
        if kind == "learned":
            self.table = nn.Parameter(torch.randn(steps, dim) * 0.02)
        else:
            table = sinusoidal_table(steps, dim)
            self.register_buffer("table", table, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.table[: x.shape[1]]

    def extra_repr(self) -> str:
        steps, dim = self.table.shape
        return f"kind={self.kind}, steps={steps}, dim={dim}"


def sinusoidal_table(steps: int, dim: int) -> torch.Tensor:
    """The steps x dim table of sines and cosines of geometrically spaced rates."""
    position = torch.arange(steps, dtype=torch.float32)[:, None]
    log_base = torch.log(torch.tensor(10000.0))
    rate = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-log_base / dim))
    table = torch.zeros(steps, dim)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate[: dim // 2])
    return table


class LastStep(nn.Module):
    """(time, features) -> (features): the output at the last time step."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, -1]


class MeanOverTime(nn.Module):
    """(time, features) -> (features): the average over the time steps."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=1)
