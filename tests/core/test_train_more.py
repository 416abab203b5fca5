"""Early stopping keeps the best weights; training on the first N samples; one
step at a time while paused; a continued run joins its history entry."""

from __future__ import annotations

import threading

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.errors import ConfigError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.config import TrainConfig, validate
from nnstudio.core.training.events import Finished, Started
from nnstudio.core.training.loop import fit, run


@pytest.fixture(scope="module")
def spiral():
    return load_dataset("spiral", size=60)


def _val_loss(spec, weights, data) -> float:
    model = build_model(spec)
    model.load_state_dict(weights)
    model.eval()
    with torch.no_grad():
        out = model(data.inputs(data.x_val))
    return float(torch.nn.functional.cross_entropy(out, data.y_val))


def test_early_stopping_restores_the_best_epoch(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    config = preset.train_config(lr=0.5, optimizer="sgd", epochs=200,
                                 early_stopping_patience=2, probes=False)
    summary = fit(preset.spec, spiral, config)
    assert summary.finished.reason == "early-stopped"
    losses = [e["val_loss"] for e in summary.epochs]
    best = min(range(len(losses)), key=losses.__getitem__)
    assert summary["restored_epoch"] == best + 1 < summary["epochs"]
    assert summary["val_loss"] == pytest.approx(losses[best])
    assert _val_loss(preset.spec, summary.weights, spiral) == pytest.approx(
        losses[best], rel=1e-4)
    assert f"epoch {best + 1}" in summary.finished.message


def test_a_run_that_ends_normally_restores_nothing(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    summary = fit(preset.spec, spiral, preset.train_config(epochs=2, probes=False))
    assert summary["restored_epoch"] is None


def test_train_samples_uses_the_first_n(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    config = preset.train_config(epochs=1, probes=False, train_samples=50)
    started = next(e for e in run(preset.spec, spiral, config)
                   if isinstance(e, Started))
    assert started.train_samples == 50 and started.val_samples == len(spiral.x_val)
    with pytest.raises(ConfigError, match="train samples"):
        validate(TrainConfig(train_samples=-1))


def test_step_runs_exactly_one_batch_while_paused(spiral) -> None:
    from nnstudio.core.training.events import Probe, Step, StepDetail

    preset = PRESETS["spiral-relu"]
    config = preset.train_config(epochs=1, optimizer="sgd", lr=0.1)
    pause, stop, step = threading.Event(), threading.Event(), threading.Event()
    pause.set()
    events = run(preset.spec, spiral, config, pause=pause, stop=stop, step=step)
    assert isinstance(next(events), Started)
    got = []
    for _ in range(2):
        step.set()
        detail = next(events)
        got.append(detail)
        assert isinstance(detail, StepDetail) and not step.is_set()
        assert isinstance(next(events), Step)
        assert isinstance(next(events), Probe)
    first, second = got
    assert (first.step, second.step) == (1, 2) and second.batch == 2
    assert first.layers == ("1_linear", "3_linear")
    assert first.update == pytest.approx(0.1 * first.grad_norm)
    # plain SGD: the real change of the weights is lr x gradient
    assert first.change == pytest.approx(first.update, rel=1e-4)
    stop.set()
    assert isinstance(list(events)[-1], Finished)
