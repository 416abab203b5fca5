"""`nnstudio bench`: it runs offline and reports every loop for both models.

Only the shape of the report is checked here; the speed targets are figures to read
(a timed test would fail on a busy CI machine)."""

from __future__ import annotations

import json

import torch

from nnstudio.cli import main
from nnstudio.core.training.bench import LOOPS, MODELS, synthetic_data, table


def test_synthetic_digits() -> None:
    data = synthetic_data(100)
    assert data.x_train.shape == (100, 1, 28, 28)
    assert data.x_train.dtype == torch.uint8
    assert data.num_outputs == 10 and len(data.x_val) > 0


def test_bench_command_json(capsys) -> None:
    assert main(["bench", "--quick", "--json", "--device", "cpu"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["device"] == "cpu" and report["samples"] == 2000
    assert set(report["results"]) == set(MODELS)
    for figures in report["results"].values():
        assert all(figures[loop] > 0 for loop in LOOPS)
        assert figures["trainer_vs_plain"] > 0 and figures["probes_vs_plain"] > 0
        assert figures["trainer_vs_textbook"] > 0
    text = table(report)
    assert "mlp-fashion" in text and "textbook" in text and "samples/s" in text
