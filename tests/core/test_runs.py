"""Run records, what differs between runs, and the one-change variants for Compare."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training import run_diff, runs
from nnstudio.core.training.events import (
    Epoch,
    EpochEval,
    Finished,
    Probe,
    Started,
    Step,
)


def record(preset: str, **config) -> dict:
    p = PRESETS[preset]
    return runs.new_record(p.spec, p.train_config(**config))


def synthetic_run(steps: int = 50, layers: int = 3) -> list:
    names = tuple(f"{2 * i + 1}_linear" for i in range(layers))
    events = [
        Started(
            "r1",
            "cpu",
            2,
            steps // 2,
            100,
            20,
            "classification",
            ("a", "b"),
            names,
            names,
        )
    ]
    for s in range(1, steps + 1):
        events.append(
            Step(
                s,
                (s - 1) * 2 // steps,
                s / (steps / 2),
                1.0 / s,
                s * 32,
                1000.0,
                s * 0.01,
                0.01,
            )
        )
        if s % 5 == 0:
            events.append(
                Probe(s, s / 25, names, grad_norm=np.linspace(0.1, 1, layers))
            )
    events.append(
        Epoch(
            1,
            0.5,
            0.6,
            0.7,
            None,
            0.72,
            1000.0,
            1.0,
            grad_norms=np.array([0.1, 0.2, np.nan]),
        )
    )
    events.append(EpochEval(1, np.eye(2, dtype=int) * 5, np.array([1.0, 1.0])))
    events.append(Finished("finished", "done", 2, steps, 1.5, {"val_accuracy": 0.7}))
    return events


def test_recorder_builds_a_json_ready_record():
    recorder = runs.RunRecorder(
        PRESETS["spiral-relu"].spec, PRESETS["spiral-relu"].train_config()
    )
    out = None
    for event in synthetic_run():
        out = recorder.feed(event) or out
    assert out is not None and recorder.done
    assert out["id"] == "r1" and out["stopped_reason"] == "finished"
    assert out["settings"]["spec_summary"] == "Linear 100 → ReLU → Linear 3"
    assert out["settings"]["config"]["optimizer"] == "adam"
    assert len(out["steps"]["loss"]) == 50
    assert len(out["grad_norms"]["values"]) == 10
    assert out["epochs"][0]["grad_norms"][2] is None  # NaN stored as null
    json.dumps(out, allow_nan=False)  # strict JSON: no NaN anywhere


def test_recorder_stays_bounded_on_long_runs():
    recorder = runs.RunRecorder()
    recorder.feed(synthetic_run()[0])
    for s in range(1, 20_001):
        recorder.feed(Step(s, 0, s / 100, 1.0, s, 1.0, 1.0, 0.1))
    steps = recorder.finish()["steps"]["step"]
    assert len(steps) <= runs.MAX_POINTS
    assert steps[0] == 1 and steps[-1] > 19_000  # spread over the whole run
    assert np.ptp(np.diff(steps)) == 0  # evenly


def test_epoch_list_stays_bounded_and_ends_on_the_latest_epoch():
    """A tiny dataset runs thousands of epochs: the record must not grow with them."""
    recorder = runs.RunRecorder()
    recorder.feed(synthetic_run()[0])
    for n in range(1, 5_002):
        recorder.feed(Epoch(n, 1.0 / n, 1.0 / n, 0.5, None, 0.5, 1.0, n * 0.1))
    epochs = [e["epoch"] for e in recorder.finish()["epochs"]]
    assert len(epochs) <= runs.MAX_POINTS + 1
    assert epochs[0] == 1 and epochs[-1] == 5_001  # the whole run, up to now
    assert epochs == sorted(set(epochs))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("deep-sigmoid", {}), ("deep-relu-bn", {}), "Sigmoid vs ReLU+BatchNorm"),
        (("spiral-relu", {"optimizer": "sgd"}), ("spiral-relu", {}), "SGD vs Adam"),
        (("spiral-relu", {"lr": 0.1}), ("spiral-relu", {"lr": 0.01}), "lr 0.1 vs 0.01"),
        (("spiral-linear", {}), ("spiral-relu", {}), "no activation vs ReLU"),
        (("spiral-relu", {}), ("spiral-relu", {}), "same settings"),
    ],
)
def test_describe_difference_in_plain_words(a, b, expected):
    first, second = record(a[0], **a[1]), record(b[0], **b[1])
    assert run_diff.describe_difference(first, second) == expected


def test_dropout_difference_and_labels():
    base = record("vgg-mini")
    spec = dict(base["settings"]["spec"])
    spec["layers"] = [lay for lay in spec["layers"] if lay["kind"] != "Dropout"]
    other = runs.new_record(spec, base["settings"]["config"])
    assert run_diff.describe_difference(base, other) == "dropout 0.5 vs none"
    assert run_diff.difference_labels([base, other]) == ["dropout 0.5", "no dropout"]


def test_report_lists_what_the_headline_leaves_implied():
    every = run_diff.all_differences(
        record("deep-sigmoid"), record("deep-relu-bn"), everything=True
    )
    assert every[0] == "Sigmoid vs ReLU+BatchNorm"
    assert "default init vs He init" in every


def test_variants_change_exactly_one_thing_and_keep_the_seed():
    p = PRESETS["deep-sigmoid"]
    base = runs.new_record(p.spec, p.train_config(seed=7))
    variants = run_diff.one_setting_variants(p.train_config(seed=7), p.spec)
    labels = [v["label"] for v in variants]
    assert "ReLU instead of Sigmoid" in labels and "Adam instead of SGD" in labels
    for v in variants:
        assert v["config"]["seed"] == 7
        other = runs.new_record(v["spec"], v["config"])
        differences = run_diff.all_differences(base, other, everything=True)
        assert len(differences) == 1, v["label"]


def test_history_entries_from_the_trainer_are_read_too():
    entry = {
        "settings": {"optimizer": "sgd", "lr": 0.1},
        "epochs": [{"epoch": 1}],
        "reason": "finished",
        "finished_at": "2026-01-01T10:00:00",
    }
    rec = runs.from_history_entry(entry)
    assert rec["kind"] == "run" and rec["stopped_reason"] == "finished"
    assert rec["settings"]["config"]["optimizer"] == "sgd"
