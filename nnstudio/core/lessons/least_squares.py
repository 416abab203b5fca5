"""The closed-form answer a single Linear layer should reach on a regression.

A network that is one Linear layer trained with the squared error is linear
regression, whose best weights have a closed form (least squares on the training
data). Showing both side by side lets a student see gradient descent arrive at
the textbook answer (the `house-price` preset).
"""

from __future__ import annotations

from typing import Any

import torch

from nnstudio.core.network.spec import NetworkSpec


def is_linear_regression(spec: NetworkSpec, data: Any) -> bool:
    kinds = [layer.kind for layer in spec.layers]
    return (data.task == "regression" and kinds == ["Linear"]
            and spec.layers[0]["bias"] == "per-unit" and len(spec.input_shape) == 1)


def least_squares(data: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """(weight out x in, bias out) minimising the training data's squared error,
    in the same units the layer sees (inputs as the data hands them over)."""
    x = data.inputs(data.x_train).double().cpu()
    y = data.y_train.double().cpu()
    design = torch.cat([x, torch.ones(len(x), 1, dtype=x.dtype)], dim=1)
    solution = torch.linalg.lstsq(design, y).solution  # (in + 1) x out
    return solution[:-1].T.contiguous(), solution[-1]


def compare(spec: NetworkSpec, data: Any, weights: dict[str, torch.Tensor]
            ) -> dict[str, Any] | None:
    """Learned and least-squares weight and bias, and their largest relative gap;
    None when the network is not a single Linear layer on a regression."""
    if weights is None or not is_linear_regression(spec, data):
        return None
    name = "1_linear"
    learned_w = weights[f"{name}.weight"].double().cpu()
    learned_b = weights[f"{name}.bias"].double().cpu()
    w, b = least_squares(data)
    learned = torch.cat([learned_w.reshape(-1), learned_b])
    exact = torch.cat([w.reshape(-1), b])
    gap = ((learned - exact).abs() / exact.abs().clamp_min(1e-12)).max()
    return {"weight": learned_w.reshape(-1).tolist(), "bias": learned_b.tolist(),
            "least_squares_weight": w.reshape(-1).tolist(),
            "least_squares_bias": b.tolist(), "max_relative_gap": float(gap)}
