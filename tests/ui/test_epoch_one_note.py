"""The Curves view explains an epoch-1 training loss above the validation loss."""

from __future__ import annotations

import numpy as np

from nnstudio.core.training.coach import epoch_one_note
from nnstudio.core.training.events import Epoch, Started
from nnstudio.ui.curves import CurvesView


def _epoch(n: int, train: float, val: float) -> Epoch:
    return Epoch(n, train, val, 0.5, None, 0.5, 100.0, 1.0, np.ones(2), 0.01)


def _started() -> Started:
    return Started("r", "cpu", 3, 10, 100, 20, "classification", ("a", "b"),
                   ("1_linear",), ("1_linear",))


def test_note_only_when_epoch_one_trains_worse_than_it_validates(qtbot) -> None:
    view = CurvesView()
    qtbot.addWidget(view)
    view.on_event(_started())
    view.on_event(_epoch(1, 0.9, 0.6))
    assert not view.epoch_one_note.isHidden()
    assert "average" in view.epoch_one_note.text()
    view.on_event(_started())
    assert view.epoch_one_note.isHidden()
    view.on_event(_epoch(1, 0.5, 0.6))
    assert view.epoch_one_note.isHidden()
    assert not epoch_one_note(float("nan"), 0.1)
