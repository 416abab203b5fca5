"""The session's rules that need no state: fitting a network to a dataset's facts,
which datasets load in a moment, how an undo step's layer hint is reversed, and the
words of why Train waits."""

from __future__ import annotations

from nnstudio.core.i18n import text
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.session.facts import Blocker, DatasetFacts, State
from nnstudio.core.session.text import BLOCKERS
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.losses import LOSSES


def fitted(spec: NetworkSpec, config: TrainConfig, facts: DatasetFacts | None) -> State:
    """The network and settings made to fit a dataset's facts."""
    if facts is None or not facts.usable:
        return State(spec, config)
    if facts.input_shape:
        spec = spec.with_input_shape(facts.input_shape)
    task = facts.task
    if task and LOSSES[config.loss].task not in ("any", task):
        loss = "mse" if task == "regression" else "cross-entropy"
        config = config.with_(loss=loss)
    return State(spec, config)


def is_quick(name: str) -> bool:
    """A registry dataset made or read in a moment (generated, scikit-learn)."""
    from nnstudio.core.datasets import DATASETS

    info = DATASETS.get(name)
    return info is not None and info.source in ("generated", "sklearn")


def inverse(hint: tuple | None) -> tuple | None:
    """The structural change that undoes `hint` (insert <-> remove, move back)."""
    if not hint:
        return None
    if hint[0] == "insert":
        return ("remove", hint[1])
    if hint[0] == "remove":
        return ("insert", hint[1])
    if hint[0] == "move":
        return ("move", hint[2], hint[1])
    return None


def blocker(code: str) -> Blocker:
    return Blocker(code, text(BLOCKERS[code]))
