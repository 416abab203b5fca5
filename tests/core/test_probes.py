"""Probes: what the views inside the network receive, and that asking for less
costs less (hidden views do no work) and leaves no hooks behind."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.bench import synthetic_data
from nnstudio.core.training.events import (
    PROBE_KINDS,
    EpochEval,
    Finished,
    Probe,
    ProbeRequest,
)
from nnstudio.core.training.loop import run
from nnstudio.core.training.probes import probe_model

CNN_CONVS = ("1_conv2d", "4_conv2d")


@pytest.fixture(scope="module")
def digits():
    return synthetic_data(256)


def _events(name: str, data, request=None, model=None, **changes):
    preset = PRESETS[name]
    config = preset.train_config(probe_every=1, **changes)
    return list(run(preset.spec, data, config, probe_request=request, model=model))


def _probes(events) -> list[Probe]:
    """The probes taken during the run (not the last look at its end)."""
    return [e for e in events if isinstance(e, Probe) and not e.last]


def test_a_run_ends_with_one_look_of_every_kind(digits) -> None:
    """A view hidden during the run asked for nothing; opened afterwards, it still
    needs the trained network's weights, activations and maps."""
    request = ProbeRequest(kinds=frozenset({"gradients"}))
    events = _events("cnn-mnist", digits, request, epochs=1)
    looks = [e for e in events if isinstance(e, Probe) and e.last]
    assert len(looks) == 1 and events[-2] is looks[0]  # just before Finished
    look = looks[0]
    assert look.step == events[-1].steps
    assert look.weight_hist and look.act_hist and look.grad_norm is not None
    assert set(look.feature_maps) == {"1_conv2d", "4_conv2d"}
    quiet = _events("cnn-mnist", digits, request, epochs=1, probes=False)
    assert not [e for e in quiet if isinstance(e, Probe)]  # probes off: none at all


def test_cnn_probe_payloads(digits) -> None:
    events = _events("cnn-mnist", digits, epochs=1)
    assert events[-1].reason == "finished"
    probe = _probes(events)[-1]
    assert probe.param_layers == ("1_conv2d", "4_conv2d", "8_linear", "10_linear")
    for key in ("grad_norm", "grad_mean_abs", "weight_norm"):
        values = getattr(probe, key)
        assert values.shape == (4,) and np.isfinite(values).all() and (values > 0).all()
    assert len(probe.weight_hist) == 4
    counts, edges = probe.weight_hist[0]
    assert counts.sum() == 250 and len(edges) == len(counts) + 1  # 10x1x5x5 weights
    assert probe.first_conv_filters.shape == (10, 5, 5)
    assert probe.first_conv_filters.dtype == np.uint8
    assert set(probe.feature_maps) == set(CNN_CONVS)
    assert probe.feature_maps["1_conv2d"].shape == (10, 24, 24)
    assert probe.feature_maps["4_conv2d"].shape == (20, 8, 8)
    assert all(m.dtype == np.uint8 for m in probe.feature_maps.values())
    assert len(probe.act_layers) == 10 and probe.act_mean.shape == (10,)
    relu = [i for i, n in enumerate(probe.act_layers) if n.endswith("relu")]
    assert all(0 <= probe.act_dead[i] <= 1 for i in relu)
    assert np.isnan(probe.act_dead[0]) and np.isnan(probe.act_saturated).all()
    assert probe.vectors["10_linear"].shape == (10,)
    assert probe.boundary is None and probe.curve is None


def test_saturation_of_deep_sigmoids() -> None:
    probe = _probes(_events("deep-sigmoid", load_dataset("spiral"), epochs=1))[-1]
    sig = [i for i, n in enumerate(probe.act_layers) if n.endswith("sigmoid")]
    assert len(sig) == 10
    assert all(0 <= probe.act_saturated[i] <= 1 for i in sig)
    assert np.isnan(probe.act_dead).all()


def test_hidden_views_do_no_work_and_hooks_are_removed(digits) -> None:
    model = build_model(PRESETS["cnn-mnist"].spec, seed=0)
    request = ProbeRequest(kinds=frozenset({"gradients"}))
    probe = _probes(_events("cnn-mnist", digits, request, model, epochs=1))[-1]
    assert probe.grad_norm is not None
    assert probe.weight_norm is None and probe.act_mean is None
    assert probe.feature_maps == {} and probe.first_conv_filters is None
    for module in model.modules():
        assert not module._forward_hooks and not module._forward_pre_hooks


def test_feature_maps_of_the_requested_sample(digits) -> None:
    request = ProbeRequest(
        kinds=frozenset({"feature_maps"}), sample=np.zeros((1, 28, 28), np.float32)
    )
    probe = _probes(_events("cnn-mnist", digits, request, epochs=1))[-1]
    assert probe.act_mean is None
    first = probe.feature_maps["1_conv2d"]
    # a blank input gives each map one value everywhere (its bias)
    assert all(len(np.unique(m)) == 1 for m in first)


def test_boundary_grid_for_two_inputs() -> None:
    data = load_dataset("spiral")
    request = ProbeRequest(kinds=frozenset({"boundary"}))
    probe = _probes(_events("spiral-relu", data, request, epochs=1))[-1]
    assert probe.boundary.shape == (100, 100, 3)
    assert np.allclose(probe.boundary.sum(axis=2), 1, atol=1e-5)
    x0, x1, y0, y1 = probe.boundary_extent
    xs, ys = data.x_train[:, 0], data.x_train[:, 1]
    assert x0 < xs.min() and x1 > xs.max() and y0 < ys.min() and y1 > ys.max()


def test_curve_for_one_input_regression() -> None:
    request = ProbeRequest(kinds=frozenset({"boundary"}))
    probe = _probes(_events("sincos", load_dataset("sincos"), request, epochs=1))[-1]
    x, y = probe.curve
    assert x.shape == y.shape == (200,) and np.isfinite(y).all()
    assert probe.boundary is None


def test_epoch_eval_confusion_and_mistakes() -> None:
    data = load_dataset("spiral")
    events = _events("spiral-relu", data, epochs=2)
    evals = [e for e in events if isinstance(e, EpochEval)]
    assert evals and evals[-1].epoch == 2
    last = evals[-1]
    assert last.confusion.shape == (3, 3) and last.confusion.sum() == len(data.x_val)
    correct = np.trace(last.confusion) / last.confusion.sum()
    assert correct == pytest.approx(events[-1].metrics["val_accuracy"])
    assert last.per_class_accuracy.shape == (3,)
    confidences = [m[3] for m in last.mistakes]
    assert confidences == sorted(confidences, reverse=True)
    for index, true, pred, _ in last.mistakes:
        assert true != pred and int(data.y_val[index]) == true


def test_probes_by_time_are_few(digits) -> None:
    preset = PRESETS["mlp-fashion"]
    events = list(run(preset.spec, digits, preset.train_config(epochs=3)))
    end = events[-1]
    assert isinstance(end, Finished) and end.reason == "finished"
    probes = len(_probes(events))
    assert 1 <= probes <= 2 + end.elapsed / 0.3


FIELD_OF_KIND = {  # the Probe field each kind fills (what its view reads)
    "gradients": "grad_norm",
    "weights": "weight_hist",
    "activations": "act_hist",
    "feature_maps": "feature_maps",
    "boundary": "boundary",
    "attention": "attention",  # sequences
    "through_time": "grad_through_time",
    "hidden_state": "hidden_state",
}
SEQUENCE_PRESET = {"attention": "attention-reverse", "through_time": "lstm-sine",
                   "hidden_state": "lstm-sine"}


def _filled(value) -> bool:
    return value is not None and len(value) > 0


@pytest.mark.parametrize("kind", PROBE_KINDS)
def test_probe_model_fills_what_a_kind_asks_for_and_nothing_else(kind, digits):
    """probe_model (a trained model outside a run) computes only what is asked."""
    name, data = ("spiral-relu", load_dataset("spiral", size=30))
    if kind == "feature_maps":
        name, data = "cnn-mnist", digits
    if kind in SEQUENCE_PRESET:
        name = SEQUENCE_PRESET[kind]
        data = load_dataset(PRESETS[name].dataset, size=30)
    preset = PRESETS[name]
    model = build_model(preset.spec, seed=0)
    kinds = [layer.kind for layer in preset.spec.layers]
    probe = probe_model(model, data, kinds, frozenset({kind}))
    filled = {k for k, field in FIELD_OF_KIND.items() if _filled(getattr(probe, field))}
    assert filled == {kind}
    assert all(not m._forward_hooks for m in model.modules())  # hooks removed
    assert torch.is_grad_enabled()  # probes never leave autograd switched off
