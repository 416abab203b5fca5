"""The trainer: it learns what the presets promise, it is deterministic on the CPU,
and every way a run can end arrives as one Finished event with a reason."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.events import Epoch, Finished, Started, Step
from nnstudio.core.training.loop import fit, run


@pytest.fixture(scope="module")
def spiral():
    return load_dataset("spiral")


def _train(name: str, data=None, **changes):
    preset = PRESETS[name]
    data = data if data is not None else load_dataset(preset.dataset)
    return fit(preset.spec, data, preset.train_config(**changes))


@pytest.mark.slow
def test_cnn_mnist_reaches_96_percent(shared_mnist) -> None:
    data = load_dataset(str(shared_mnist))
    assert (len(data.x_train), len(data.x_val)) == (6400, 1600)
    summary = _train("cnn-mnist", data)
    assert summary.finished.reason == "finished", summary.finished.message
    assert summary["epochs"] == 3
    assert summary["val_accuracy"] >= 0.96


def test_spiral_needs_a_nonlinearity(spiral) -> None:
    linear = _train("spiral-linear", spiral, probes=False)
    relu = _train("spiral-relu", spiral, probes=False)
    assert linear["val_accuracy"] <= 0.65
    assert relu["val_accuracy"] >= 0.95


def test_gradients_vanish_through_sigmoids_not_through_batchnorm(spiral) -> None:
    sigmoid = _train("deep-sigmoid", spiral, probes=False)["grad_norms"]
    relu_bn = _train("deep-relu-bn", spiral, probes=False)["grad_norms"]
    assert len(sigmoid) == 11 and len(relu_bn) == 21  # Linear (+ BatchNorm) layers
    assert sigmoid[0] < sigmoid[-1] / 1000
    assert relu_bn[0] > relu_bn[-1] / 10


def test_huge_learning_rate_stops_naming_nan_or_inf(spiral) -> None:
    summary = _train("spiral-relu", spiral, optimizer="sgd", lr=1e6, epochs=5)
    end = summary.finished
    assert end.reason == "failed"
    assert "NaN" in end.message or "Inf" in end.message
    assert "step" in end.message and "learning rate" in end.message
    assert "NaN" in summary["stopped_reason"] or "Inf" in summary["stopped_reason"]
    weights = end.weights  # the last good weights, from before the bad step
    assert weights and all(torch.isfinite(w).all() for w in weights.values())


def test_same_seed_same_losses(spiral) -> None:
    def losses(seed: int) -> list[float]:
        return [e["train_loss"] for e in _train("spiral-relu", spiral, epochs=3,
                                                seed=seed).epochs]

    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_probes_do_not_change_the_result(spiral) -> None:
    on = _train("deep-relu-bn", spiral, epochs=2, probe_every=1)
    off = _train("deep-relu-bn", spiral, epochs=2, probes=False)
    assert on["val_loss"] == off["val_loss"]


def test_stop_acts_before_the_next_batch(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    stop = threading.Event()
    events = []
    for event in run(preset.spec, spiral, preset.train_config(), stop=stop):
        events.append(event)
        if isinstance(event, Step) and not stop.is_set():
            stop.set()
            stopped_at = event.step
    end = events[-1]
    assert isinstance(end, Finished) and end.reason == "stopped"
    assert end.steps == stopped_at
    assert end.message and end.metrics["stopped_reason"]
    assert end.weights is not None


def test_pause_holds_within_a_batch_and_resume_continues(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    model, counts = _counting_model(preset.spec)
    stop, pause = threading.Event(), threading.Event()
    config = preset.train_config(epochs=10_000, probes=False)
    ended: list[Finished] = []

    def work() -> None:
        for event in run(preset.spec, spiral, config, stop=stop, pause=pause,
                         model=model):
            if isinstance(event, Finished):
                ended.append(event)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        _wait(lambda: counts[0] > 5)
        pause.set()
        at_pause = counts[0]
        time.sleep(0.3)
        held = counts[0]
        time.sleep(0.3)
        assert counts[0] == held <= at_pause + 1
        pause.clear()
        _wait(lambda: counts[0] > held + 5)
    finally:
        stop.set()
        pause.clear()
        thread.join(10)
    assert ended and ended[0].reason == "stopped"


def _counting_model(spec):
    from nnstudio.core.network.build import build_model

    model = build_model(spec, seed=0)
    counts = [0]

    def count(module, _inputs) -> None:
        if module.training:
            counts[0] += 1

    model.register_forward_pre_hook(count)
    return model, counts


def _wait(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_event_sequence_and_payloads(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    events = list(run(preset.spec, spiral, preset.train_config(epochs=2)))
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    assert events[0].param_layers == ("1_linear", "3_linear")
    epochs = [e for e in events if isinstance(e, Epoch)]
    assert [e.epoch for e in epochs] == [1, 2]
    assert all(e.val_accuracy is not None and e.val_r2 is None for e in epochs)
    assert epochs[-1].grad_norms.shape == (2,)
    steps = [e for e in events if isinstance(e, Step)]
    assert steps and steps[-1].samples_seen == 2 * len(spiral.x_train)
    assert all(np.isfinite(s.loss) and s.samples_per_s > 0 for s in steps)
    end = events[-1]
    assert end.reason == "finished" and "finished 2 epochs" in end.message
    assert set(end.weights) == {"1_linear.weight", "1_linear.bias", "3_linear.weight",
                                "3_linear.bias"}
    assert all(w.device.type == "cpu" for w in end.weights.values())


def test_regression_reports_r2() -> None:
    summary = _train("sincos", epochs=40, probes=False)
    assert summary["val_accuracy"] is None
    assert summary["val_r2"] > 0.9


def test_backprop_one_step_matches_the_worked_example() -> None:
    summary = _train("backprop-2-2-2")
    w = summary.weights
    assert w["3_linear.weight"][0, 0].item() == pytest.approx(0.35891648, abs=1e-7)
    assert w["3_linear.weight"][1, 1].item() == pytest.approx(0.561370121, abs=1e-7)
    assert w["1_linear.weight"][0, 0].item() == pytest.approx(0.149780716, abs=1e-7)
    assert w["1_linear.bias"].item() == pytest.approx(0.35)  # bias not trained
    assert summary["train_loss"] == pytest.approx(0.298371109, abs=1e-7)


@pytest.mark.parametrize("changes", [{"optimizer": "sgd", "momentum": 0.9,
                                      "nesterov": True},
                                     {"optimizer": "adamw", "weight_decay": 0.01},
                                     {"optimizer": "adagrad", "lr": 0.1},
                                     {"optimizer": "rmsprop", "lr": 0.003},
                                     {"l1": 1e-4, "clip_norm": 1.0, "schedule": "step"},
                                     {"schedule": "cosine", "loss": "mse"},
                                     {"loss": "bce-with-logits"},
                                     {"loss": "huber"}, {"loss": "l1"},
                                     {"loss": "half-sse"}])
def test_every_optimizer_loss_and_option_learns(spiral, changes) -> None:
    summary = _train("spiral-relu", spiral, epochs=15, probes=False, **changes)
    assert summary.finished.reason == "finished", summary.finished.message
    assert summary["val_accuracy"] > 0.6


def test_early_stopping_names_its_reason(spiral) -> None:
    summary = _train("spiral-relu", spiral, lr=0.5, optimizer="sgd", epochs=200,
                     early_stopping_patience=2, probes=False)
    assert summary.finished.reason == "early-stopped"
    assert summary["epochs"] < 200
    assert "2 epochs" in summary["stopped_reason"]


def test_tiny_epochs_are_reported_sparingly_but_the_last_always() -> None:
    preset = PRESETS["backprop-2-2-2"]
    data = load_dataset(preset.dataset)
    events = list(run(preset.spec, data, preset.train_config(epochs=2000)))
    epochs = [e.epoch for e in events if isinstance(e, Epoch)]
    assert epochs[0] == 1 and epochs[-1] == 2000 and epochs == sorted(epochs)
    assert events[-1].epochs_done == 2000 and events[-1].steps == 2000
    steps = [e for e in events if isinstance(e, Step)]
    assert steps[-1].samples_seen == 2000
    every = list(run(preset.spec, data, preset.train_config(
        epochs=30, early_stopping_patience=1000)))
    assert [e.epoch for e in every if isinstance(e, Epoch)] == list(range(1, 31))
