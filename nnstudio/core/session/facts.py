"""What a session is made of: the undoable state, what is known of a dataset, a
problem with its fixes, why training waits, and weights with their provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nnstudio.core.network.fixes import Fix
from nnstudio.core.network.problems import Problem
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig


@dataclass(frozen=True)
class State:
    """What one undo step swaps: both parts frozen, so a step is exact."""

    spec: NetworkSpec
    config: TrainConfig


@dataclass(frozen=True)
class DatasetFacts:
    """What the session knows of the chosen dataset, before or after loading it.

    `status`: "known" (from the registry, not loaded), "loading", "loaded" or
    "failed" (then `error` says why, and the stack is checked against no data).
    """

    name: str
    status: str
    input_shape: tuple[int, ...] | None = None
    task: str | None = None
    class_names: tuple[str, ...] = ()
    num_outputs: int | None = None
    error: str | None = None
    per_step: bool = False  # one class per time step (sequences such as reverse)

    @property
    def usable(self) -> bool:
        return self.status in ("known", "loaded")


@dataclass(frozen=True)
class SessionProblem:
    """A shape problem of the current stack, with its one-click fixes (maybe none)."""

    problem: Problem
    fixes: tuple[Fix, ...] = ()

    @property
    def fix(self) -> Fix | None:
        return self.fixes[0] if self.fixes else None

    @property
    def index(self) -> int | None:
        return self.problem.index

    @property
    def layer(self) -> int | None:
        """The layer's stack position as users count it (1-based)."""
        return None if self.problem.index is None else self.problem.index + 1

    def __getattr__(self, name: str) -> Any:  # code, kind, severity, data, message
        return getattr(self.problem, name)

    def __str__(self) -> str:
        return self.problem.message()


@dataclass(frozen=True)
class Blocker:
    """Why training cannot start: a code the window can word, and the core's line."""

    code: str
    message: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Trained:
    """Weights and the network and data they were trained on."""

    weights: dict[str, Any]
    spec: NetworkSpec
    fingerprint: str
    # what predicting needs of the training data (classes, normalization): data.json
    data_info: Mapping[str, Any] = field(default_factory=dict)


def facts_from_data(name: str, data: Any) -> DatasetFacts:
    """Facts of a loaded `Data`."""
    return DatasetFacts(
        name,
        "loaded",
        tuple(data.input_shape),
        data.task,
        tuple(data.class_names),
        data.num_outputs,
        per_step=bool(getattr(data, "per_step", False)),
    )


def facts_from_registry(name: str) -> DatasetFacts | None:
    """Facts of a registry dataset without loading it (None for a path)."""
    from nnstudio.core.datasets import DATASETS

    info = DATASETS.get(name)
    if info is None:
        return None
    classes = tuple(info.class_names)
    outputs = len(classes) if info.task == "classification" and classes else None
    return DatasetFacts(
        name, "known", tuple(info.input_shape), info.task, classes, outputs,
        per_step=info.preview_kind == "tokens",
    )
