"""Every way a run can fail ends in one Finished("failed") with plain words — the
generator never raises, and the process stays usable."""

from __future__ import annotations

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.bench import synthetic_data
from nnstudio.core.training.events import Finished, Started
from nnstudio.core.training.loop import fit, run


@pytest.fixture(scope="module")
def spiral():
    return load_dataset("spiral")


def _end(name: str, data, model=None, **changes) -> Finished:
    preset = PRESETS[name]
    events = list(run(preset.spec, data, preset.train_config(**changes), model=model))
    assert isinstance(events[-1], Finished)
    assert sum(isinstance(e, Finished) for e in events) == 1
    return events[-1]


def test_cross_entropy_on_regression_data() -> None:
    end = _end("sincos", load_dataset("sincos"), loss="cross-entropy")
    assert end.reason == "failed" and "regression" in end.message
    assert end.metrics["stopped_reason"] == end.message


def test_output_width_must_match_the_classes() -> None:
    end = _end("spiral-relu", load_dataset("moons"))
    assert end.reason == "failed"
    assert "3 outputs but the dataset needs 2" in end.message


def test_input_shape_must_match_the_data() -> None:
    end = _end("spiral-relu", synthetic_data(64))
    assert end.reason == "failed"
    assert "takes input [2] but the dataset 'synthetic' gives [1, 28, 28]" in (
        end.message)


def test_batchnorm_with_batches_of_one(spiral) -> None:
    end = _end("deep-relu-bn", spiral, batch_size=1)
    assert end.reason == "failed" and "BatchNorm" in end.message
    assert "batch size" in end.message


def test_batchnorm_drops_a_last_batch_of_one(spiral) -> None:
    end = _end("deep-relu-bn", spiral, batch_size=len(spiral.x_train) - 1, epochs=2,
               probes=False)
    assert end.reason == "finished", end.message
    assert end.steps == 2


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_asked_for_but_absent(spiral) -> None:
    end = _end("spiral-relu", spiral, device="cuda")
    assert end.reason == "failed" and "no CUDA GPU" in end.message


def test_bad_settings_fail_before_any_work(spiral) -> None:
    end = _end("spiral-relu", spiral, lr=-1.0)
    assert end.reason == "failed" and "learning rate" in end.message
    assert end.steps == 0 and end.weights is None


def test_out_of_memory_advises_a_smaller_batch(spiral, monkeypatch) -> None:
    model = build_model(PRESETS["spiral-relu"].spec, seed=0)
    calls = [0]

    def forward(x):
        calls[0] += 1
        if calls[0] > 3:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate")
        return torch.nn.Sequential.forward(model, x)

    monkeypatch.setattr(model, "forward", forward)
    end = _end("spiral-relu", spiral, model=model, probes=False)
    assert end.reason == "failed"
    assert "out of memory" in end.message and "lower the batch size" in end.message
    assert end.weights is not None  # the last good weights come back
    # the process stays usable: the next run trains normally
    preset = PRESETS["spiral-relu"]
    again = fit(preset.spec, spiral, preset.train_config(epochs=1))
    assert again.finished.reason == "finished"


def test_unexpected_errors_are_reported_not_raised(spiral, monkeypatch) -> None:
    model = build_model(PRESETS["spiral-relu"].spec, seed=0)
    monkeypatch.setattr(model, "forward", lambda x: 1 / 0)
    end = _end("spiral-relu", spiral, model=model)
    assert end.reason == "failed" and "ZeroDivisionError" in end.message


def test_on_event_sees_every_event_and_closing_early_is_safe(spiral) -> None:
    preset = PRESETS["spiral-relu"]
    seen = []
    gen = run(preset.spec, spiral, preset.train_config(), on_event=seen.append)
    first = next(gen)
    assert isinstance(first, Started) and seen == [first]
    gen.close()  # a consumer that walks away: no exception, no hooks left behind
