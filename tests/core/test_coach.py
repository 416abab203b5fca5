"""The coach on real (short) runs: each diagnosis shown by a run that has it, and
absent from a healthy run and from a near miss."""

from __future__ import annotations

import dataclasses

import pytest

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.coach import CODES, Coach
from nnstudio.core.training.loop import fit

SMALL = {"size": 60}  # spiral points per class: 180 points, 5 steps an epoch


def _run(preset: str, spec: NetworkSpec | None = None, **config) -> Coach:
    p = PRESETS[preset]
    options = config.pop("dataset_options", SMALL if p.dataset == "spiral" else {})
    c = p.train_config(dataset_options=options, **config)
    data = load_dataset(c.dataset, **dict(c.dataset_options))
    spec = spec or p.spec
    if tuple(spec.input_shape) != tuple(data.input_shape):
        spec = spec.with_input_shape(tuple(data.input_shape))
    coach = Coach(c.loss)
    fit(spec, data, c, on_event=coach.feed)
    return coach


def _lin(n: int) -> LayerSpec:
    return LayerSpec("Linear", {"out_features": n})


@pytest.fixture(scope="module")
def healthy() -> Coach:
    return _run("spiral-relu", epochs=30)


@pytest.fixture(scope="module")
def too_fast() -> Coach:
    return _run("spiral-relu", lr=1.0, epochs=8)


def test_a_healthy_run_has_no_diagnosis(healthy) -> None:
    assert healthy.codes() == []
    assert healthy.epochs and healthy.activation is not None  # it did look


def test_diverged() -> None:
    coach = _run("spiral-relu", optimizer="sgd", lr=50.0, epochs=3)
    assert coach.codes() == ["diverged"]  # nothing else is worth saying
    assert "NaN" in coach.diagnoses()[0].because() or "step" in \
        coach.diagnoses()[0].because()


def test_exploding_gradients() -> None:
    """Weights drawn far too large: every layer multiplies the signal (and the
    gradient) ~11x, so the norms are out of hand from the first step."""
    layers = tuple(x for _ in range(8) for x in (_lin(64), LayerSpec("ReLU")))
    spec = NetworkSpec((2,), (*layers, _lin(3)), init="normal", init_std=2.0)
    coach = _run("spiral-relu", spec, optimizer="sgd", lr=1e-12, epochs=2)
    assert coach.codes()[0] == "exploding-gradients"


def test_lr_too_high_and_dead_relus(too_fast) -> None:
    codes = too_fast.codes()
    assert codes[:2] == ["lr-too-high", "dead-relu"]
    dead = next(d for d in too_fast.diagnoses() if d.code == "dead-relu")
    assert dead.evidence["share"] >= 0.5 and dead.evidence["layer"] == "2_relu"


def test_vanishing_gradients() -> None:
    coach = _run("deep-sigmoid", epochs=6)
    assert coach.codes()[0] == "vanishing-gradients"
    assert coach.diagnoses()[0].evidence["ratio"] < 0.01


def test_saturated_tanh_with_huge_initial_weights() -> None:
    spec = dataclasses.replace(PRESETS["sincos"].spec, init="normal", init_std=3.0)
    coach = _run("sincos", spec, epochs=8)
    assert "saturated" in coach.codes()
    normal = _run("sincos", epochs=8)
    assert "saturated" not in normal.codes()


def test_lr_too_low() -> None:
    coach = _run("spiral-relu", optimizer="sgd", lr=1e-4, epochs=25)
    assert coach.codes() == ["lr-too-low"]  # underfitting is its consequence
    near = _run("spiral-relu", optimizer="sgd", lr=0.1, momentum=0.9, epochs=25)
    assert "lr-too-low" not in near.codes()


def test_underfitting_of_a_linear_model(healthy) -> None:
    coach = _run("spiral-linear", epochs=25)
    assert coach.codes() == ["underfitting"]
    assert "underfitting" not in healthy.codes()


def test_plateau_after_the_rate_decays() -> None:
    """An 8-unit network whose learning rate drops 10x twice: stuck short of a fit,
    while the same network without the decay keeps improving."""
    spec = NetworkSpec((2,), (_lin(8), LayerSpec("ReLU"), _lin(3)))
    coach = _run("spiral-relu", spec, schedule="step", lr=0.05, epochs=45)
    assert coach.codes() == ["plateau"]
    assert "plateau" not in _run("spiral-relu", spec, lr=0.05, epochs=45).codes()


def test_overfitting_on_100_digits() -> None:
    coach = _run("mlp-fashion", dataset="digits", train_samples=100,
                 optimizer="adam", batch_size=16, epochs=15)
    assert "overfitting" in coach.codes()
    more = _run("mlp-fashion", dataset="digits", train_samples=1000,
                optimizer="adam", batch_size=64, epochs=4)
    assert "overfitting" not in more.codes()


def test_every_code_has_words_in_both_languages(too_fast) -> None:
    for d in too_fast.diagnoses():
        for language in ("en", "zh"):
            assert d.title(language) and d.advice(language)
            assert "{" not in d.sentence(language)
    assert too_fast.diagnoses()[0].title("zh") != too_fast.diagnoses()[0].title("en")
    assert len(CODES) == len(set(CODES)) == 10


def test_relus_silent_from_the_start_are_not_called_dead() -> None:
    """A Linear fed by non-negative inputs starts with ~half its units silent on a
    small batch (vgg-mini's classifier): dead-relu needs them to die in training."""
    import numpy as np

    from nnstudio.core.training.events import Probe

    def look(dead: float, last: bool = False) -> Probe:
        return Probe(1, 0.1, act_layers=("1_linear", "2_relu", "3_linear"),
                     act_dead=np.array([np.nan, dead, np.nan]), last=last)

    stayed, died = Coach(), Coach()
    for coach, end in ((stayed, 0.56), (died, 0.83)):
        coach.feed(look(0.5 if coach is stayed else 0.05))
        coach.feed(look(end, last=True))
    assert stayed.codes() == [] and died.codes() == ["dead-relu"]
