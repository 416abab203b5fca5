"""Results that know where they came from (issue 12 §2), view by view.

Each view is bound to a FakeStudio (a real Document), shown the events of a short
real run, then the network changes: the result stays under a visible `staleNotice`
(or the view clears it). Undo back to the trained network: current again.
PNGs before and after the change go to test-artifacts/views/stale-*.png.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QWidget

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.project.files import Project
from nnstudio.core.training import loop as train
from nnstudio.core.training.events import Finished, ProbeRequest
from nnstudio.ui.views import VIEW_CLASSES

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "views"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spiral():
    return load_dataset("spiral", size=60)


def run_events(preset: str, data, epochs: int = 1) -> list:
    """A short real run of `preset` with every probe, as the controller sends it."""
    p = PRESETS[preset]
    config = p.train_config(epochs=epochs, probe_every=2, dataset=data.name)
    events = list(train.run(p.spec, data, config, probe_request=ProbeRequest()))
    assert isinstance(events[-1], Finished) and events[-1].reason == "finished"
    return events


@pytest.fixture(scope="module")
def spiral_run(spiral):
    return run_events("spiral-relu", spiral)


def notice(widget: QWidget) -> QLabel:
    label = widget.findChild(QLabel, "staleNotice")
    assert label is not None, "the view has no staleNotice"
    return label


def shown(label: QWidget) -> bool:
    """Visible once the window is shown (the test windows are never shown)."""
    return not label.isHidden()


def save(widget: QWidget, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget.resize(1000, 650)
    assert widget.grab().save(str(ARTIFACTS / f"stale-{name}.png"))


def trained_studio(fake_studio, data, events, views):
    """A studio on spiral-relu whose run `events` the `views` have received."""
    studio = fake_studio()
    studio.data_source.set(data)
    for view in views:
        view.bind(studio)
    studio.controller.emit_run(events)
    studio.frame_clock.tick()
    for view in views:
        view.draw()  # the last frame, whatever the frame budget says
    return studio


@pytest.mark.parametrize("key", [k for k in VIEW_CLASSES if k != "runs"])
def test_view_shows_a_stale_notice_after_a_preset_and_is_current_after_undo(
    qtbot, fake_studio, spiral, spiral_run, key
):
    view = VIEW_CLASSES[key]()
    qtbot.addWidget(view)
    studio = trained_studio(fake_studio, spiral, spiral_run, [view])
    doc = studio.document
    assert view.made_with == doc.fingerprint and not shown(notice(view))
    save(view, f"{key}-before")
    doc.apply_preset(PRESETS["spiral-linear"])
    assert view.stale and shown(notice(view))
    assert "previous network" in notice(view).text()
    save(view, f"{key}-after")
    doc.undo_stack.undo()
    assert not view.stale and not shown(notice(view))


def test_removing_a_layer_makes_the_boundary_stale(
    qtbot, fake_studio, spiral, spiral_run
):
    view = VIEW_CLASSES["boundary"]()
    qtbot.addWidget(view)
    studio = trained_studio(fake_studio, spiral, spiral_run, [view])
    assert view.rgb is not None  # the trained boundary is drawn
    studio.document.remove_layer(1)
    assert shown(notice(view))
    studio.document.undo_stack.undo()
    assert not shown(notice(view))


def test_a_change_of_dataset_is_a_change_too(qtbot, fake_studio, spiral, spiral_run):
    view = VIEW_CLASSES["evaluation"]()
    qtbot.addWidget(view)
    studio = trained_studio(fake_studio, spiral, spiral_run, [view])
    studio.document.choose_dataset("moons")
    assert shown(notice(view))
    studio.document.undo_stack.undo()
    assert not shown(notice(view))


def test_a_new_run_makes_the_result_current(qtbot, fake_studio, spiral, spiral_run):
    view = VIEW_CLASSES["weights"]()
    qtbot.addWidget(view)
    studio = trained_studio(fake_studio, spiral, spiral_run, [view])
    studio.document.apply_preset(PRESETS["spiral-linear"])
    assert shown(notice(view))
    studio.controller.emit_run(run_events("spiral-linear", spiral))
    assert not shown(notice(view))


def test_runs_are_history_and_never_stale(qtbot, fake_studio, spiral, spiral_run):
    view = VIEW_CLASSES["runs"]()
    qtbot.addWidget(view)
    studio = trained_studio(fake_studio, spiral, spiral_run, [view])
    studio.document.apply_preset(PRESETS["spiral-linear"])
    assert not shown(notice(view)) and len(view.runs) == 1


def test_vanishing_banner_of_deep_sigmoid_goes_with_deep_relu_bn(
    qtbot, fake_studio, spiral
):
    view = VIEW_CLASSES["gradients"]()
    qtbot.addWidget(view)
    studio = fake_studio()
    studio.document.apply_preset(PRESETS["deep-sigmoid"])
    studio.data_source.set(spiral)
    view.bind(studio)
    studio.controller.emit_run(run_events("deep-sigmoid", spiral))
    view.draw()
    assert not view.banner.isHidden() and "vanishing" in view.banner.text()
    studio.document.apply_preset(PRESETS["deep-relu-bn"])
    assert view.banner.isHidden() and shown(notice(view))
    save(view, "gradients-deep-relu-bn-after-deep-sigmoid")
    studio.document.undo_stack.undo()
    assert not view.banner.isHidden() and not shown(notice(view))


def test_curves_keep_the_run_under_a_notice(qtbot, fake_studio, spiral, spiral_run):
    from nnstudio.ui.curves import CurvesView

    curves = CurvesView()
    qtbot.addWidget(curves)
    studio = fake_studio()
    curves.bind(studio)
    studio.controller.emit_run(spiral_run)
    assert curves.point_count() > 0 and not shown(notice(curves))
    studio.document.apply_preset(PRESETS["spiral-linear"])
    assert shown(notice(curves)) and curves.point_count() > 0
    save(curves, "curves-after")
    studio.document.undo_stack.undo()
    assert not shown(notice(curves))


def test_predict_panel_stops_predicting_with_another_network(qtbot, fake_studio):
    from nnstudio.core.network.build import build_model
    from nnstudio.ui.predict_panel import PredictPanel

    digits = load_dataset("digits", size=40, upsample=True)  # 1 x 28 x 28
    studio = fake_studio()
    doc = studio.document
    doc.apply_preset(PRESETS["cnn-mnist"])
    doc.choose_dataset("digits", {"upsample": True})
    # the registry knows digits as 8 x 8; upsampled they are 28 x 28
    doc.set_spec(doc.spec.with_input_shape(tuple(digits.input_shape)), "28 x 28")
    studio.data_source.set(digits)
    panel = PredictPanel()
    qtbot.addWidget(panel)
    panel.bind(studio)
    assert panel._model is None  # nothing trained yet
    spec = doc.spec
    weights = build_model(spec, seed=0).state_dict()
    doc.set_trained(spec, {k: v.clone() for k, v in weights.items()}, [])
    assert panel._model is not None and not shown(notice(panel))
    doc.apply_preset(PRESETS["spiral-linear"])
    assert panel._model is None and shown(notice(panel))
    save(panel, "predict-after")
    doc.undo_stack.undo()
    assert panel._model is not None and not shown(notice(panel))


def test_an_opened_project_with_weights_shows_its_boundary(
    qtbot, fake_studio, spiral, spiral_run
):
    """Not "Not trained yet": saved weights that fit the network are current."""
    studio = fake_studio()
    studio.data_source.set(spiral)
    view = VIEW_CLASSES["boundary"]()
    qtbot.addWidget(view)
    view.bind(studio)
    assert view.probs is None
    p = PRESETS["spiral-relu"]
    weights = spiral_run[-1].weights
    config = p.train_config(dataset=spiral.name).to_dict()
    studio.document.load(Project(p.spec, config, weights), None)
    assert view.probs is not None and view.rgb is not None
    assert view.made_with == studio.document.fingerprint
    assert not shown(notice(view))
    # the weights' boundary, not a blank one: the classes are told apart
    assert np.ptp(view.probs.argmax(axis=-1)) > 0
    save(view, "boundary-opened-project")


@pytest.mark.parametrize(
    ("key", "drawn"),
    [
        ("weights", lambda v: bool(v.history) and v.history[0].latest is not None),
        ("activations", lambda v: v.latest is not None and len(v.latest.act_hist) > 0),
        ("feature-maps", lambda v: bool(v.vectors)),
    ],
)
def test_an_opened_project_fills_the_views_drawn_from_weights(
    qtbot, fake_studio, spiral, spiral_run, key, drawn
):
    studio = fake_studio()
    studio.data_source.set(spiral)
    view = VIEW_CLASSES[key]()
    qtbot.addWidget(view)
    view.bind(studio)
    assert not drawn(view)
    p = PRESETS["spiral-relu"]
    config = p.train_config(dataset=spiral.name).to_dict()
    studio.document.load(Project(p.spec, config, spiral_run[-1].weights), None)
    assert drawn(view) and view.made_with == studio.document.fingerprint
    save(view, f"{key}-opened-project")


def test_a_runs_own_weights_do_not_replace_what_the_run_drew(
    qtbot, fake_studio, spiral, spiral_run
):
    """The weights view keeps its histograms over time when the run's weights
    reach the document (they are the run's last probe already)."""
    view = VIEW_CLASSES["weights"]()
    qtbot.addWidget(view)
    studio = trained_studio(fake_studio, spiral, spiral_run, [view])
    kept = len(view.history[0].items)
    assert kept > 1
    studio.document.set_trained(PRESETS["spiral-relu"].spec, spiral_run[-1].weights, [])
    assert len(view.history[0].items) == kept
