"""Where a result came from: one short fingerprint of the network and the data.

Every result the studio shows (curves, boundary, gradients, feature maps, weights,
evaluation, the run line, the Predict model) is stamped with the fingerprint of the
network and data that made it. A view compares the stamp with the session's current
fingerprint on every change: equal means current, different means stale (shown under
a notice or cleared). Undo back to the trained network makes them equal again.

Only what changes the meaning of a result counts: the architecture (input shape and
layers) and the data (dataset name or path, its options). Training settings such as
the learning rate do not: the weights still belong to this network on this data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

DIGEST_CHARS = 16  # 64 bits: collisions between a student's networks are not a worry


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def network_fingerprint(spec: Any) -> str:
    """The architecture only: input shape and layers (not init or initial weights,
    nor how a layer trains: freezing a layer keeps the weights that fit it)."""
    layers = [{"kind": layer.kind, "params": dict(layer.params)}
              for layer in spec.layers]
    return _digest({"input": list(spec.input_shape), "layers": layers})


def data_fingerprint(dataset: str, options: Mapping[str, Any] | None = None) -> str:
    """The dataset as chosen: its name or path and the options that shape it."""
    return _digest({"dataset": dataset, "options": dict(options or {})})


def fingerprint(
    spec: Any, dataset: str, options: Mapping[str, Any] | None = None
) -> str:
    """Network and data together: what a result must match to be current."""
    return f"{network_fingerprint(spec)}-{data_fingerprint(dataset, options)}"
