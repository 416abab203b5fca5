"""The views on real training runs (core.train.run), fed in the test thread.

Small data so the whole file stays within a few tens of seconds on 2 cores.
PNGs go to test-artifacts/views/train-*.png for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training import loop as train
from nnstudio.core.training.events import Finished, Probe, ProbeRequest
from nnstudio.ui.views import (
    ActivationsView,
    DecisionBoundaryView,
    FeatureMapView,
    GradientsView,
    RunsView,
    WeightsView,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "views"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spiral():
    return load_dataset("spiral", size=100)  # 100 points per arm


def train_into(
    view, preset: str, data, *, epochs: int = 1, every_probe=None, **config
) -> Finished:
    p = PRESETS[preset]
    cfg = p.train_config(epochs=epochs, probe_every=2, dataset=data.name, **config)
    request = ProbeRequest(kinds=view.wanted_probes())
    finished = None
    for event in train.run(p.spec, data, cfg, probe_request=request):
        view.on_event(event)
        if isinstance(event, Probe) and every_probe is not None:
            every_probe(view)
        finished = event
    assert isinstance(finished, Finished) and finished.reason == "finished", finished
    view.draw()  # the last frame (refresh() may wait for the frame budget)
    return finished


def save(view, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    view.resize(1100, 700)
    assert view.grab().save(str(ARTIFACTS / f"train-{name}.png"))


@pytest.mark.parametrize(
    ("preset", "banner"), [("deep-sigmoid", True), ("deep-relu-bn", False)]
)
def test_vanishing_gradient_banner(qtbot, spiral, preset, banner):
    view = GradientsView()
    qtbot.addWidget(view)
    train_into(view, preset, spiral)
    assert view.buffer.n >= 3
    assert view.banner.isVisibleTo(view) is banner, view.diagnosis
    assert ("vanishing" in view.banner.text()) is banner
    save(view, f"gradients-{preset}")


def test_cnn_feature_maps_have_a_tile_per_channel(qtbot, fake_studio):
    digits = load_dataset("digits", size=320, upsample=True)  # 1 x 28 x 28
    studio = fake_studio()
    studio.document.apply_preset(PRESETS["cnn-mnist"])
    studio.data_source.set(digits)
    view = FeatureMapView()
    qtbot.addWidget(view)
    view.bind(studio)
    finished = train_into(view, "cnn-mnist", digits)
    assert view.tile_counts() == {"1_conv2d": 10, "4_conv2d": 20}
    assert set(view.strips) == {"8_linear", "10_linear"}
    save(view, "feature-maps-cnn-mnist")
    # after training, picking another sample shows its maps at once (no run needed)
    studio.document.set_trained(PRESETS["cnn-mnist"].spec, finished.weights, [])
    before = view.maps["1_conv2d"].copy()
    view.sample_box.setValue(7)
    assert view.tile_counts() == {"1_conv2d": 10, "4_conv2d": 20}
    assert not np.array_equal(before, view.maps["1_conv2d"])


def test_decision_boundary_changes_while_training(qtbot, spiral):
    view = DecisionBoundaryView()
    qtbot.addWidget(view)
    view.set_data(spiral)
    seen: list[np.ndarray] = []

    def snapshot(v: DecisionBoundaryView) -> None:
        v.draw()  # what a frame shows now (refresh() is rate-limited)
        seen.append(v.rgb.copy())

    train_into(view, "spiral-relu", spiral, epochs=3, every_probe=snapshot)
    assert len(seen) >= 3
    assert not np.array_equal(seen[0], seen[-1])
    assert np.abs(seen[0].astype(int) - seen[-1].astype(int)).mean() > 1.0
    save(view, "boundary-spiral-relu")


def test_two_runs_overlaid_with_a_legend_naming_the_difference(
    qtbot, spiral, fake_studio
):
    view = RunsView()
    qtbot.addWidget(view)
    studio = fake_studio()
    document = studio.document
    view.bind(studio)
    for optimizer in ("sgd", "adam"):
        document.replace_config_fields("optimizer", optimizer=optimizer)
        train_into(view, "spiral-relu", spiral, epochs=2, optimizer=optimizer)
    assert len(document.history) == 2  # kept in the project's history
    assert view.curve_count() == 2
    assert view.legend_names() == ["SGD", "Adam"]
    assert view.difference.text().endswith("SGD vs Adam")
    save(view, "runs-sgd-vs-adam")


def _newest_histograms(view) -> list[np.ndarray]:
    if isinstance(view, WeightsView):
        return [curves[-1].getData()[1] for curves in view.curves]
    return [curve.getData()[1] for curve in view.curves]


@pytest.mark.parametrize("cls", [ActivationsView, WeightsView])
def test_a_view_hidden_during_the_run_shows_the_trained_network(qtbot, spiral, cls):
    """Hidden, it asked for no probes; opened after the run, it is not empty."""
    view = cls()
    qtbot.addWidget(view)
    p = PRESETS["spiral-relu"]
    config = p.train_config(epochs=2, dataset=spiral.name)
    hidden = ProbeRequest(kinds=frozenset())
    for event in train.run(p.spec, spiral, config, probe_request=hidden):
        view.on_event(event)
    view.refresh()
    histograms = _newest_histograms(view)
    assert len(histograms) >= 2
    assert all(h is not None and h.sum() > 0 for h in histograms)
    save(view, f"after-the-run-{cls.__name__}")
