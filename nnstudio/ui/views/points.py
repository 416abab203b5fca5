"""Points a student clicked into the plane, added to the training data (no Qt).

The plane of the decision-boundary view is the model's input space (the data are
already standardized), so a clicked point is a training sample as it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import torch


def with_added_points(data: Any, points: Sequence[tuple[float, float, int]]) -> Any:
    """A copy of a 2-D classification `Data` with `points` appended to training."""
    if not points:
        return data
    xy = torch.tensor(
        [(x, y) for x, y, _ in points],
        dtype=data.x_train.dtype,
        device=data.x_train.device,
    )
    labels = torch.tensor(
        [c for _, _, c in points], dtype=data.y_train.dtype, device=data.y_train.device
    )
    return dataclasses.replace(
        data,
        x_train=torch.cat([data.x_train, xy]),
        y_train=torch.cat([data.y_train, labels]),
    )
