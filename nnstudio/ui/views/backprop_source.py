"""Which network and sample the backprop lab opens from the studio (no Qt).

The lab follows the studio's document: its network (with the trained weights when
there are some), its loss and rate, and the first training sample of its dataset
when that dataset is loaded and fits (a generated one is made at once).
"""

from __future__ import annotations

from typing import Any

from nnstudio.core.errors import NNStudioError
from nnstudio.core.lessons.backprop import LabNetwork, short_floats
from nnstudio.ui.studio import is_dataset_of


def lab_for(
    spec: Any, config: Any = None, data: Any = None, weights: dict | None = None
) -> LabNetwork:
    """The lab of `spec` (raises NNStudioError when it does not fit the lab)."""
    from nnstudio.core.network.spec import NetworkSpec

    if weights:
        spec = NetworkSpec(
            spec.input_shape,
            spec.layers,
            spec.init,
            spec.init_std,
            {k: v.tolist() for k, v in weights.items()},
        )
    x, y = _sample(data, spec)
    return LabNetwork.from_spec(
        spec,
        loss=getattr(config, "loss", "half-sse"),
        lr=getattr(config, "lr", 0.5),
        inputs=x,
        targets=y,
        seed=getattr(config, "seed", 0),
    )


def dataset_of(data: Any, config: Any) -> Any:
    """The studio's loaded `data` if it is the project's dataset; a generated dataset
    (backprop-example, ...) is made here at once, as it costs nothing."""
    if is_dataset_of(data, config):
        return data
    wanted = getattr(config, "dataset", None)
    from nnstudio.core.datasets import DATASETS, load_dataset

    info = DATASETS.get(str(wanted))
    if info is None or info.source != "generated":
        return None
    try:
        return load_dataset(info.name, seed=config.seed, **config.dataset_options)
    except NNStudioError:  # a bad option: the training panel says so already
        return None


def _sample(data: Any, spec: Any) -> tuple[list[float] | None, list[float] | None]:
    """The first training sample when the dataset fits the network, else defaults."""
    shape = tuple(spec.input_shape)
    if data is None or tuple(data.input_shape) != shape or len(shape) != 1:
        return None, None  # the lab draws flat inputs only
    x = short_floats(data.inputs(data.x_train[:1])[0])
    if data.task == "regression":
        return x, short_floats(data.y_train[0])
    return x, None
