"""One-click experiments: every run is valid, and the cheap ones show what they claim.

The outcome tests train on the CPU with one thread (a few seconds each): the point is
that an experiment a student starts really shows the effect its explanation names.
"""

from __future__ import annotations

import functools

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.errors import SpecError
from nnstudio.core.lessons.experiments import (
    EXPERIMENTS,
    Experiment,
    experiment_for,
    get_experiment,
    topic,
    topics,
)
from nnstudio.core.network.layers import LAYER_KINDS
from nnstudio.core.training.config import validate
from nnstudio.core.training.loop import fit, preflight
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS

RUNS = [(e.id, i) for e in EXPERIMENTS.values() for i in range(len(e.runs))]


@functools.cache
def _data(name: str, seed: int, options: tuple) -> object:
    return load_dataset(name, seed=seed, **dict(options))


def data_for(config) -> object:
    options = tuple(sorted(config.dataset_options.items()))
    return _data(config.dataset, config.seed, options)


@pytest.fixture
def one_thread():
    """Small nets train fastest on one thread, and parallel test workers don't fight."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def train(experiment: str, index: int, **overrides) -> dict:
    run = EXPERIMENTS[experiment].runs[index]
    config = run.train_config().with_(device="cpu", probes=False, **overrides)
    return fit(run.network(), data_for(config), config)


@pytest.mark.parametrize(("experiment", "index"), RUNS)
def test_every_run_is_valid_for_its_dataset(experiment: str, index: int) -> None:
    run = EXPERIMENTS[experiment].runs[index]
    config = validate(run.train_config())
    data = data_for(config)
    spec = run.network()
    assert tuple(spec.input_shape) == tuple(data.input_shape)
    preflight(spec, data, config.with_(device="cpu"))  # raises on any shape problem


@pytest.mark.parametrize("experiment", EXPERIMENTS.values(), ids=list(EXPERIMENTS))
def test_experiment_is_bilingual_and_its_runs_share_the_data(
    experiment: Experiment,
) -> None:
    assert 1 <= len(experiment.runs) <= 2
    for text in (experiment.title, experiment.explanation,
                 *(r.label for r in experiment.runs)):
        assert text.get("en", "").strip() and text.get("zh", "").strip()
    configs = [r.train_config() for r in experiment.runs]
    keys = {(c.dataset, c.seed, tuple(sorted(c.dataset_options.items())))
            for c in configs}
    assert len(keys) == 1, "the studio loads the data once per experiment"
    if len(experiment.runs) == 2:
        first, second = experiment.runs
        assert (first.network(), configs[0]) != (second.network(), configs[1])


def test_every_layer_kind_loss_and_optimizer_has_an_experiment() -> None:
    for name in [*LAYER_KINDS, *LOSSES, *OPTIMIZERS, "learning-rate", "init"]:
        assert experiment_for(name) in EXPERIMENTS, name


@pytest.mark.parametrize("name", topics())
def test_topic_has_formula_and_both_languages(name: str) -> None:
    t = topic(name)
    assert t.formula.strip()
    for text in (t.description, t.when):
        assert text.get("en", "").strip() and text.get("zh", "").strip(), name
    assert t.experiment in EXPERIMENTS


def test_unknown_names_are_refused_plainly() -> None:
    with pytest.raises(SpecError, match="unknown experiment"):
        get_experiment("no-such")
    with pytest.raises(KeyError):
        topic("no-such")


def test_the_six_experiments_of_the_brief_exist() -> None:
    relu, adam = EXPERIMENTS["relu"], EXPERIMENTS["adam-vs-sgd"]
    assert [r.preset for r in relu.runs] == ["spiral-linear", "spiral-relu"]
    assert [r.train_config().optimizer for r in adam.runs] == ["sgd", "adam"]
    assert adam.runs[0].network() == adam.runs[1].network()
    assert EXPERIMENTS["sigmoid"].runs[0].preset == "deep-sigmoid"
    assert EXPERIMENTS["sigmoid"].view == "gradients"
    low, high = (r.train_config().lr for r in EXPERIMENTS["lr-too-high"].runs)
    assert high == pytest.approx(100 * low)
    drop = EXPERIMENTS["dropout"].runs
    dropouts = [sum(x.kind == "Dropout" for x in r.network().layers) for r in drop]
    assert dropouts == [0, 2]
    assert drop[0].train_config().dataset_options == {"size": 30}
    assert EXPERIMENTS["zero-init"].runs[1].network().init == "zeros"
    assert EXPERIMENTS["zero-init"].view == "weights"


def test_relu_bends_what_linear_cannot(one_thread: None) -> None:
    linear, relu = train("relu", 0), train("relu", 1)
    assert linear["val_accuracy"] < 0.6
    assert relu["val_accuracy"] > 0.9


def test_zero_init_leaves_every_hidden_unit_identical(one_thread: None) -> None:
    random_init, zeros = train("zero-init", 0), train("zero-init", 1)
    w = zeros.weights["1_linear.weight"]
    assert w.abs().max() > 1e-4, "the zero-init weights did move"
    assert torch.equal(w, w[:1].expand_as(w)), "yet every row is the same"
    w0 = random_init.weights["1_linear.weight"]
    assert (w0 - w0[:1]).abs().max() > 0.1
    assert random_init["val_accuracy"] > zeros["val_accuracy"] + 0.1


def test_a_learning_rate_100x_too_high_diverges(one_thread: None) -> None:
    good, bad = train("lr-too-high", 0), train("lr-too-high", 1)
    assert good.finished.reason == "finished"
    assert good.epochs[-1]["train_loss"] < good.epochs[0]["train_loss"]
    assert bad.finished.reason == "failed"
    assert bad["error"] == "non-finite"
    assert "learning rate" in bad.finished.message


def test_adam_beats_sgd_at_the_same_rate(one_thread: None) -> None:
    sgd, adam = train("adam-vs-sgd", 0), train("adam-vs-sgd", 1)
    assert adam["val_accuracy"] > sgd["val_accuracy"] + 0.15


def test_deep_sigmoid_starves_its_first_layer(one_thread: None) -> None:
    summary = train("sigmoid", 0, epochs=2)
    norms = summary["grad_norms"]
    assert norms[0] < 1e-3 * norms[-1]
