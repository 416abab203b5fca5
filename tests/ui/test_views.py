"""Each view on hand-made events: draws only on refresh, shows what it should, PNGs.

The PNGs go to test-artifacts/views/ for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from nnstudio.core.training.events import (
    PROBE_KINDS,
    Epoch,
    EpochEval,
    Finished,
    Probe,
    Started,
    Step,
)
from nnstudio.ui.views import (
    VIEW_CLASSES,
    DecisionBoundaryView,
    EvaluationView,
    FeatureMapView,
    GradientsView,
    RunsView,
    install_views,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "views"
CONV = (
    "1_conv2d",
    "2_relu",
    "3_maxpool2d",
    "4_conv2d",
    "5_relu",
    "6_flatten",
    "7_linear",
)
PARAMS = ("1_conv2d", "4_conv2d", "7_linear")
rng = np.random.default_rng(0)


def save(widget: QWidget, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def hist(n: int = 30) -> tuple[np.ndarray, np.ndarray]:
    return rng.integers(0, 50, n).astype(np.float32), np.linspace(-1, 1, n + 1)


def started() -> Started:
    return Started(
        "run-a", "cpu", 2, 10, 100, 50, "classification", ("0", "1", "2"), CONV, PARAMS
    )


def probe(step: int, vanish: float = 0.5) -> Probe:
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20)), -1)
    logits = np.stack([grid[..., 0] * step, grid[..., 1] * step, -grid.sum(-1)], -1)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return Probe(
        step,
        step / 10,
        PARAMS,
        grad_norm=np.array([vanish, 0.3, 1.0]) * (1 + 0.1 * step),
        weight_hist=tuple(hist() for _ in PARAMS),
        first_conv_filters=rng.integers(0, 255, (10, 5, 5), dtype=np.uint8),
        act_layers=CONV[:6],
        act_hist=tuple(hist() for _ in CONV[:6]),
        act_saturated=np.full(6, np.nan),
        act_dead=np.array([np.nan, 0.6, 0, 0, 0.1, 0]),
        feature_maps={
            "1_conv2d": rng.integers(0, 255, (10, 24, 24), dtype=np.uint8),
            "4_conv2d": rng.integers(0, 255, (20, 8, 8), dtype=np.uint8),
        },
        vectors={"7_linear": rng.normal(size=3).astype(np.float32)},
        boundary=probs,
        boundary_extent=(-1.0, 1.0, -1.0, 1.0),
    )


def run_events(vanish: float = 0.5, probes: int = 12) -> list:
    events: list = [started()]
    for s in range(1, probes + 1):
        events.append(Step(s, 0, s / 10, 1.0 / s, 32 * s, 1000.0, 0.1 * s, 0.01))
        events.append(probe(s, vanish))
    cm = np.array([[8, 1, 1], [0, 9, 1], [2, 0, 8]])
    events.append(
        Epoch(
            1,
            0.5,
            0.6,
            0.83,
            None,
            0.8,
            1000.0,
            1.0,
            grad_norms=np.array([1e-3, 0.1, 1.0]),
        )
    )
    events.append(
        EpochEval(
            1,
            cm,
            np.diag(cm) / cm.sum(1),
            ((4, 2, 0, 0.9), (7, 0, 1, 0.8), (3, 2, 0, 0.6)),
        )
    )
    events.append(Finished("finished", "done", 1, probes, 1.2, {}))
    return events


def feed(view, events) -> None:
    for event in events:
        view.on_event(event)


@pytest.mark.parametrize("key", list(VIEW_CLASSES))
def test_on_event_never_draws_refresh_does(qtbot, key, monkeypatch):
    view = VIEW_CLASSES[key]()
    qtbot.addWidget(view)
    drawn = []
    monkeypatch.setattr(view, "draw", lambda: drawn.append(1))
    feed(view, run_events())
    assert not drawn and view.dirty
    view.refresh()
    assert drawn == [1] and not view.dirty
    view.refresh()  # nothing new: no work
    assert drawn == [1]
    assert view.wanted_probes() <= frozenset(PROBE_KINDS)


def test_gradient_view_banner_vanishing_and_not(qtbot):
    view = GradientsView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    feed(view, run_events(vanish=1e-4))
    view.refresh()
    assert view.plot.objectName() == "gradientPlot"
    assert view.plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert len(view.legend.items) == len(PARAMS)
    assert not view.banner.isHidden() and "vanishing" in view.banner.text()
    assert "ReLU" in view.banner.text() and "BatchNorm" in view.banner.text()
    save(view, "gradients-vanishing")
    feed(view, run_events(vanish=0.5))
    view.refresh()
    assert view.banner.isHidden()
    save(view, "gradients-healthy")


def test_gradient_bars_and_heat_map_name_layers_as_the_legend_does(qtbot):
    view = GradientsView()
    qtbot.addWidget(view)
    feed(view, run_events())
    view.refresh()
    numbers = [name.split("_")[0] for name in PARAMS]  # layer positions in the stack
    bar_ticks = view.bars.getAxis("bottom")._tickLevels[0]
    heat_ticks = view.heat.getAxis("left")._tickLevels[0]
    assert [label for _, label in bar_ticks] == numbers
    assert [label for _, label in heat_ticks] == numbers


def test_feature_maps_one_tile_per_channel_and_click_enlarges(qtbot):
    view = FeatureMapView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    feed(view, run_events())
    view.refresh()
    assert view.objectName() == "featureMapView"
    assert view.tile_counts() == {"1_conv2d": 10, "4_conv2d": 20}
    assert len(view.findChildren(QWidget, "featureTile")) == 30
    view.grids["4_conv2d"].tiles[3].sig_clicked.emit(("4_conv2d", 3))
    assert view.selected == ("4_conv2d", 3) and view.enlarged.image is not None
    save(view, "feature-maps")


def test_boundary_image_and_prediction_on_click(qtbot):
    view = DecisionBoundaryView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    events = run_events()
    feed(view, events[:3])
    view.refresh()
    first = view.rgb.copy()
    feed(view, events[3:])
    view.refresh()
    assert view.objectName() == "decisionBoundary"
    assert not np.array_equal(first, view.rgb)
    view.click_at(0.9, -0.9)
    assert "predicted" in view.prediction.text() and "%" in view.prediction.text()
    save(view, "boundary")


def test_evaluation_cell_lists_most_confident_mistakes_first(qtbot):
    view = EvaluationView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    feed(view, run_events())
    view.refresh()
    cm = np.asarray(view.latest.confusion)
    summary = f"{int(np.trace(cm))} of {int(cm.sum())} validation samples"
    assert summary in view.caption.text()
    view.select_cell(2, 0)
    texts = [view.samples.item(i).text() for i in range(view.samples.count())]
    assert len(texts) == 2 and "#4" in texts[0] and "90%" in texts[0]
    assert "true: 2" in texts[0] and "predicted: 0" in texts[0]
    save(view, "evaluation")


def test_every_view_renders(qtbot):
    for key, cls in VIEW_CLASSES.items():
        view = cls()
        qtbot.addWidget(view)
        view.resize(1000, 650)
        feed(view, run_events())
        view.refresh()
        assert not view.grab().isNull()
        save(view, f"synthetic-{key}")


def test_install_views_wires_events_clock_and_probe_demand(qtbot, fake_studio):
    studio = fake_studio()
    views = install_views(studio, studio.add_view)
    assert studio.tabs.count() == len(VIEW_CLASSES)
    request = studio.controller.probe_request
    assert request.kinds == frozenset(PROBE_KINDS)  # never shown: everything counts
    studio.controller.emit_run(run_events())
    studio.frame_clock.tick()
    assert views["feature-maps"].tile_counts() == {"1_conv2d": 10, "4_conv2d": 20}
    studio.tabs.show()
    qtbot.waitExposed(studio.tabs)
    # hidden views ask for nothing, but the weight histograms (a bounded sample,
    # cheap) are always kept so the Weights tab has its history when opened later
    always = {"weights"}
    studio.tabs.setCurrentWidget(views["gradients"])
    assert request.kinds == frozenset({"gradients"} | always)
    studio.tabs.setCurrentWidget(views["runs"])
    assert request.kinds == frozenset(always)
    studio.tabs.setCurrentWidget(views["feature-maps"])
    assert request.kinds == {"feature_maps", "activations"} | always


def test_the_fake_and_the_window_are_studios(fake_studio, main_window):
    from nnstudio.ui.studio import Studio

    assert isinstance(fake_studio(), Studio)
    assert isinstance(main_window(show=False), Studio)
    assert not isinstance(object(), Studio)


def test_data_reaches_every_view_through_the_one_hook(qtbot, fake_studio):
    from nnstudio.core.datasets import load_dataset

    studio = fake_studio()
    views = install_views(studio, studio.add_view)
    data = load_dataset("spiral", size=20)
    studio.data_source.set(data)
    assert views["boundary"].data is data
    assert views["feature-maps"].data is data
    assert views["feature-maps"].sample_box.maximum() == len(data.x_val) - 1


def test_runs_view_overlays_and_names_the_difference(qtbot, tmp_path):
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.training import runs

    view = RunsView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    history = []
    for name, run_id in (("deep-sigmoid", "a"), ("deep-relu-bn", "b")):
        p = PRESETS[name]
        recorder = runs.RunRecorder(p.spec, p.train_config())
        for event in run_events():
            if isinstance(event, Started):
                event = Started(run_id, *list(vars(event).values())[1:])
            recorder.feed(event)
        history.append(recorder.record)
    view.load_history(history)
    view.refresh()
    assert view.curve_count() == 2
    assert view.legend_names() == ["Sigmoid", "ReLU+BatchNorm"]
    assert "Sigmoid vs ReLU+BatchNorm" in view.difference.text()
    save(view, "runs")
    path = view.export_report(tmp_path)
    assert path is not None and "Sigmoid" in path.read_text(encoding="utf-8")
    assert any(p.suffix == ".png" for p in path.parent.iterdir())


def test_exploding_gradient_banner(qtbot):
    view = GradientsView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.on_event(started())
    for s in range(1, 13):
        view.on_event(Probe(s, s / 10, PARAMS, grad_norm=np.full(3, 10.0**s)))
    view.refresh()
    text = view.banner.text()
    assert not view.banner.isHidden() and "exploding" in text
    assert "learning rate" in text and "clip" in text
    save(view, "gradients-exploding")


def test_regression_curve_over_the_data(qtbot):
    from nnstudio.core.datasets import load_dataset

    data = load_dataset("sincos")
    view = DecisionBoundaryView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.set_data(data)
    x = np.linspace(-2, 2, 50)
    view.on_event(Probe(1, 0.1, (), curve=(x, np.sin(x))))
    view.refresh()
    xs, ys = view.fit_curve.getData()
    assert len(xs) == 50 and view.add_mode.isHidden()
    save(view, "boundary-regression")


def test_clicked_points_become_training_data(qtbot):
    from nnstudio.core.datasets import load_dataset

    data = load_dataset("spiral", size=20)
    view = DecisionBoundaryView()
    qtbot.addWidget(view)
    view.set_data(data)
    view.add_mode.setChecked(True)
    view.class_box.setCurrentIndex(2)
    view.click_at(0.5, -0.25)
    with qtbot.waitSignal(view.sig_retrain_requested) as signal:
        view.retrain.click()
    new = signal.args[0]
    assert len(new.x_train) == len(data.x_train) + 1 and int(new.y_train[-1]) == 2
    assert new.x_train[-1].tolist() == [0.5, -0.25]


def test_predict_drawing_becomes_the_feature_map_sample(qtbot, fake_studio):
    studio = fake_studio()
    views = install_views(studio, studio.add_view)
    drawing = np.zeros((1, 28, 28), np.float32)
    views["feature-maps"].show_drawing(drawing)  # the window connects Predict here
    assert studio.controller.probe_request.sample is not None
    assert views["feature-maps"].sample_label.text() == "your drawing"
    assert studio.selected == ["feature-maps"]


def test_compare_starts_a_one_change_variant_from_the_same_seed(qtbot, fake_studio):
    from nnstudio.core.network.presets import PRESETS

    preset = PRESETS["deep-sigmoid"]
    studio = fake_studio()
    studio.document.apply_preset(preset)
    studio.document.replace_config_fields("seed", seed=3)
    views = install_views(studio, studio.add_view)
    runs_view = views["runs"]
    runs_view.compare_menu.aboutToShow.emit()
    actions = {a.text(): a for a in runs_view.compare_menu.actions()}
    actions["ReLU instead of Sigmoid"].trigger()
    spec, config, _data = studio.started[-1]
    assert config.seed == 3 and config == preset.train_config(seed=3)
    assert "ReLU" in {layer.kind for layer in spec.layers}
    assert "Sigmoid" not in {layer.kind for layer in spec.layers}
