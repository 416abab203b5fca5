"""The sequence views on real training events: attention forms its anti-diagonal,
the RNN's gradient banner, the hidden state heat map; PNGs for a person to look at
(test-artifacts/views/)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import get_preset
from nnstudio.core.training.events import Probe, ProbeRequest
from nnstudio.core.training.loop import run
from nnstudio.ui.views import AttentionView, HiddenStateView, ThroughTimeView
from nnstudio.ui.views.through_time import vanishing_ratio

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "views"


def _events(preset: str, epochs: int, **options) -> list:
    p = get_preset(preset)
    config = p.train_config(epochs=epochs, probe_every=10)
    data = load_dataset(config.dataset, **{**config.dataset_options, **options})
    return list(run(p.spec, data, config))


def _show(qtbot, view, events, name: str):
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.show()
    for event in events:
        view.on_event(event)
    view.refresh()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(ARTIFACTS / f"{name}.png"))
    return view


@pytest.fixture(scope="module")
def reverse_events() -> list:
    return _events("attention-reverse", 4)


def test_attention_view_draws_the_anti_diagonal_with_token_labels(
        qtbot, reverse_events) -> None:
    view = _show(qtbot, AttentionView(), reverse_events, "attention")
    assert view.frames >= 1 and view.shown is not None
    assert view.shown.shape == (16, 16)
    mirror = view.shown[np.arange(16), 15 - np.arange(16)]
    assert mirror.mean() > 0.4
    ticks = view.plot.getAxis("bottom")._tickLevels[0]
    sample = view.sample
    assert [t for _, t in ticks] == [str(int(v)) for v in sample]
    text = view.explain_cell(0, 15)
    assert "softmax" in text and "q·k/√d" in text
    assert f"{view.shown[0, 15]:.3f}" in text


def test_attention_sample_choice_reaches_the_probe_request(qtbot) -> None:
    view = AttentionView()
    qtbot.addWidget(view)
    request = ProbeRequest()
    view.bind(_Window(SimpleNamespace(probe_request=request, sig_event=_Signal()),
                      load_dataset("reverse", size=40)))
    view.chooser.spin.setValue(5)
    assert request.sequence_index == 5


class _Window:
    """What a view reads from the main window (weak-referenceable)."""

    def __init__(self, controller, data) -> None:
        self.controller, self.data = controller, data


class _Signal:
    def connect(self, _slot) -> None:
        pass


def test_through_time_shows_the_rnn_gradient_fading(qtbot) -> None:
    events = _events("rnn-parity", 3, size=1000)
    view = _show(qtbot, ThroughTimeView(), events, "through_time_rnn")
    assert len(view.grads) == 12 and vanishing_ratio(view.grads) < 0.2
    view.reset()  # a second run keeps the first one dashed
    assert view.previous is not None and view.grads is None


@pytest.mark.parametrize("first, banner", [(1e-5, True), (1e-2, False)])
def test_banner_when_the_first_steps_get_under_a_thousandth(qtbot, first,
                                                           banner) -> None:
    view = ThroughTimeView()
    qtbot.addWidget(view)
    view.show()
    grads = np.geomspace(first, 1.0, 10)
    view.on_event(Probe(1, 0.1, grad_through_time=grads))
    view.refresh()
    assert view.banner.isVisible() == banner
    assert ("1/1000" in view.banner.text()) == banner


def test_hidden_state_heat_map_is_units_by_time(qtbot) -> None:
    events = _events("lstm-sine", 3, size=300)
    view = _show(qtbot, HiddenStateView(), events, "hidden_state")
    (state,) = view.states.values()
    assert state.shape == (32, 32)  # 32 units, 32 steps
    assert view.image.image is not None and view.image.image.shape == (32, 32)
