"""The sequence views on real training events: attention forms its anti-diagonal,
the RNN's gradient banner, the hidden state heat map; PNGs for a person to look at
(test-artifacts/views/)."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import get_preset
from nnstudio.core.training.events import Probe
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


def test_attention_sample_choice_reaches_the_probe_request(fake_studio) -> None:
    studio = fake_studio()
    view = AttentionView()
    studio.add_view(view, "Attention")
    studio.data_source.set(load_dataset("reverse", size=40))
    view.bind(studio)
    assert view.chooser.spin.maximum() == 7  # 8 validation samples
    view.chooser.spin.setValue(5)
    assert studio.controller.probe_request.sequence_index == 5


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


def test_predict_panel_takes_a_typed_sequence(qtbot, tmp_path) -> None:
    from nnstudio.cli import main
    from nnstudio.core.project.files import load_project
    from nnstudio.ui.predict_panel import PredictPanel

    path = tmp_path / "rev.nnstudio"
    assert main(["train", "attention-reverse", "--epochs", "4", "--no-probes",
                 "--save", str(path)]) == 0
    project = load_project(path)
    panel = PredictPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 500)
    panel.show()
    names = [str(i) for i in range(10)]
    panel.set_model(project.model(), project.spec.input_shape, 0.0, 1.0, names)
    assert panel._sequence.isVisible() and not panel.canvas().isVisible()
    tokens = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
    panel._sequence.edit.setText(" ".join(map(str, tokens)))
    result = panel._sequence.predict()
    assert result is not None
    right = sum(a == b for a, b in zip(result.prediction, tokens[::-1], strict=True))
    assert right >= 14
    assert "Output tokens" in panel._sequence.answer.text()
    assert panel._sequence.plot.isVisible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(ARTIFACTS / "predict_sequence.png"))
    panel._sequence.edit.setText("3 1 x")
    assert panel._sequence.predict() is None
    assert "numbers" in panel._sequence.answer.text()
    spiral = load_project_free_model()
    panel.set_model(spiral, (2,), 0.0, 1.0, ["0", "1", "2"])
    assert not panel._sequence.isVisible()


def load_project_free_model():
    from nnstudio.core.network.build import build_model

    return build_model(get_preset("spiral-relu").spec, seed=0)


def test_data_preview_draws_sequences_and_clears_them(qtbot) -> None:
    from nnstudio.ui.data_preview import DataPreview

    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.show()
    preview.show_data(load_dataset("reverse", size=40))
    added = preview.plot._nnstudio_sequence_items
    assert len(added) > 5 and preview.plot.isVisible()
    preview.show_data(load_dataset("parity", size=40))
    assert len(preview.plot._nnstudio_sequence_items) == 6  # six lines
    preview.show_data(load_dataset("spiral", size=20))
    assert preview.plot._nnstudio_sequence_items == []


@pytest.mark.parametrize("preset", ["transformer-reverse", "lstm-parity"])
def test_every_view_draws_a_sequence_run(qtbot, preset) -> None:
    """Curves' neighbours too: gradients, weights, activations, evaluation (per-token
    confusion for reverse), feature maps and the rest take sequence runs."""
    from nnstudio.ui.views import VIEW_CLASSES

    config = get_preset(preset).train_config(epochs=1, probe_every=5)
    data = load_dataset(config.dataset, **{**config.dataset_options, "size": 200})
    events = list(run(get_preset(preset).spec, data, config))
    for cls in VIEW_CLASSES.values():
        view = cls()
        qtbot.addWidget(view)
        if callable(getattr(view, "set_data", None)):
            view.set_data(data)
        elif callable(getattr(view, "update_data", None)):
            view.update_data(data)
        view.resize(500, 400)
        view.show()
        for event in events:
            view.on_event(event)
        view.refresh()  # raises if a view cannot draw sequence data
        view.hide()


def test_an_opened_project_shows_its_attention_at_once(fake_studio, tmp_path) -> None:
    """No run: the view draws the saved weights' attention (probe_model)."""
    from nnstudio.cli import main
    from nnstudio.core.project.files import load_project

    path = tmp_path / "rev.nnstudio"
    assert main(["train", "attention-reverse", "--epochs", "3", "--no-probes",
                 "--save", str(path)]) == 0
    studio = fake_studio()
    view = AttentionView()
    studio.add_view(view, "Attention")
    view.bind(studio)
    studio.document.open(path)
    options = load_project(path).config.get("dataset_options", {})
    studio.data_source.set(load_dataset("reverse", **options))
    view.refresh()
    assert view.maps, "the saved weights' attention is drawn without a run"
