"""DenseBlock (Huang et al., 2017): each layer's output is concatenated to its input.

Layer i sees the block input plus the features of every layer before it, so the
channel count grows by `growth` per layer: out = in + layers x growth. Each layer
is BatchNorm-ReLU-Conv3x3 (padding 1), as in the paper's DenseNet without
bottlenecks, so height and width stay the same.
"""

from __future__ import annotations

import torch
from torch import nn


class DenseBlock(nn.Module):
    def __init__(self, in_channels: int, growth: int, layers: int) -> None:
        super().__init__()
        self.in_channels, self.growth = in_channels, growth
        self.layers = nn.ModuleList(
            nn.Sequential(
                nn.BatchNorm2d(in_channels + i * growth),
                nn.ReLU(),
                nn.Conv2d(in_channels + i * growth, growth, 3, padding=1, bias=False),
            )
            for i in range(layers)
        )

    @property
    def out_channels(self) -> int:
        return self.in_channels + len(self.layers) * self.growth

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = torch.cat([x, layer(x)], dim=1)
        return x
