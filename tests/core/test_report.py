"""The hand-in report: report.md with settings and results, PNGs beside it."""

from __future__ import annotations

import pytest

from nnstudio.core.errors import NNStudioError
from nnstudio.core.export import report
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training import runs

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16  # the caller's bytes are written as they are


def finished_run(preset: str = "deep-sigmoid") -> dict:
    p = PRESETS[preset]
    rec = runs.new_record(p.spec, p.train_config())
    rec.update(
        id="abc",
        stopped_reason="finished",
        message="20 epochs",
        epochs_done=2,
        steps_done=46,
        elapsed=3.2,
        epochs=[
            {
                "epoch": e,
                "train_loss": 1.0 / e,
                "val_loss": 1.1 / e,
                "val_accuracy": 0.3 * e,
            }
            for e in (1, 2)
        ],
        steps={"step": [1, 2], "progress": [0.1, 0.2], "loss": [1.1, 0.9]},
    )
    return rec


def test_write_report_folder(tmp_path):
    path = report.write_report(
        tmp_path / "out",
        finished_run(),
        {"Gradients": PNG, "Decision boundary": PNG},
        compared_with=finished_run("deep-relu-bn"),
    )
    text = path.read_text(encoding="utf-8")
    assert path.name == "report.md"
    assert "| Optimizer | sgd |" in text and "| Learning rate | 0.1 |" in text
    assert "Linear 64 → Sigmoid" in text
    assert "Validation accuracy: 0.6" in text
    assert "**ReLU+BatchNorm vs Sigmoid**" in text  # what this run did differently
    assert "![Gradients](gradients.png)" in text
    assert (tmp_path / "out" / "decision-boundary.png").read_bytes() == PNG


def test_long_runs_get_a_short_epoch_table():
    run = finished_run()
    run["epochs"] = [{"epoch": e, "train_loss": 1.0} for e in range(1, 501)]
    table = report.epoch_table(run)
    assert len(table) <= report.MAX_EPOCH_ROWS + 4
    assert table[-1].startswith("| 500 |")


def test_tensorboard_writes_or_says_what_to_install(tmp_path):
    if report.tensorboard_available():
        logdir = report.write_tensorboard(finished_run(), tmp_path)
        assert any(logdir.iterdir())
    else:
        with pytest.raises(NNStudioError, match="pip install tensorboard") as info:
            report.write_tensorboard(finished_run(), tmp_path)
        assert info.value.code == "tensorboard-missing"
