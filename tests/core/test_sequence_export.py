"""Every sequence layer kind through the project file, safetensors, ONNX (checked
against onnxruntime) and the standalone script (same first-epoch loss as the app,
also under torchrun)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from nnstudio.core.datasets import load_dataset
from nnstudio.core.export.data import Recipe
from nnstudio.core.export.formats import export
from nnstudio.core.export.script import script_text
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec as L
from nnstudio.core.network.spec import NetworkSpec as N
from nnstudio.core.project.files import Project, load_project, save_project
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.loop import fit

EPOCH_RE = re.compile(r"epoch 1/\d+\s+train loss ([0-9.]+)")
TOKENS = N((8,), (
    L("Embedding", {"num_embeddings": 10, "embedding_dim": 12}),
    L("PositionalEncoding", {"kind": "learned"}),
    L("MultiheadAttention", {"num_heads": 3, "causal": True}),
    L("TransformerEncoderLayer", {"num_heads": 2, "dim_feedforward": 16,
                                  "dropout": 0.0}),
    L("PositionalEncoding"),
    L("LayerNorm"),
    L("Linear", {"out_features": 10}),
))
SERIES = N((9, 2), (
    L("RNN", {"hidden_size": 6, "nonlinearity": "relu"}),
    L("GRU", {"hidden_size": 5, "num_layers": 2}),
    L("LSTM", {"hidden_size": 4}),
    L("MeanOverTime"),
    L("Linear", {"out_features": 3}),
))
EVERY_KIND = {layer.kind for spec in (TOKENS, SERIES) for layer in spec.layers}


def _input(spec: N, batch: int = 3) -> torch.Tensor:
    gen = torch.Generator().manual_seed(1)
    if spec.layers[0].kind == "Embedding":
        return torch.randint(0, 10, (batch, *spec.input_shape), generator=gen)
    return torch.randn((batch, *spec.input_shape), generator=gen)


def _trained(spec: N) -> Project:  # noqa: D401
    """A project whose weights differ from any seeded start."""
    model = build_model(spec, seed=5)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.01)
    return Project(spec, TrainConfig(dataset="reverse").to_dict(), model.state_dict())


def test_the_two_networks_cover_every_sequence_kind() -> None:
    assert {"Embedding", "RNN", "LSTM", "GRU", "MultiheadAttention",
            "PositionalEncoding", "TransformerEncoderLayer", "MeanOverTime"} \
        <= EVERY_KIND  # LastStep: the presets' exports (test_sequences)


@pytest.mark.parametrize("spec", [TOKENS, SERIES], ids=["tokens", "series"])
def test_project_and_safetensors_round_trip(tmp_path: Path, spec: N) -> None:
    project = _trained(spec)
    x = _input(spec)
    want = project.model().eval()(x)
    save_project(tmp_path / "p.nnstudio", project)
    again = load_project(tmp_path / "p.nnstudio")
    assert again.spec == spec
    assert torch.allclose(again.model().eval()(x), want, atol=1e-6)
    export(again, tmp_path / "w.safetensors")
    fresh = build_model(spec, seed=0)
    fresh.load_state_dict(load_file(tmp_path / "w.safetensors"))
    assert torch.allclose(fresh.eval()(x), want, atol=1e-6)


@pytest.mark.parametrize("spec", [TOKENS, SERIES], ids=["tokens", "series"])
def test_onnx_agrees_with_onnxruntime(tmp_path: Path, spec: N) -> None:
    ort = pytest.importorskip("onnxruntime")
    project = _trained(spec)
    export(project, tmp_path / "m.onnx")
    x = _input(spec, batch=5)  # another batch size than the export's example
    want = project.model().eval()(x).detach().numpy()
    session = ort.InferenceSession(str(tmp_path / "m.onnx"))
    got = session.run(None, {"input": x.numpy()})[0]
    assert np.allclose(got, want, atol=1e-4)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "PYTHONPATH")}
    return {**env, "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def reverse_script(tmp_path_factory) -> tuple[Path, float]:
    """attention-reverse's network on 120 sequences, and the app's first loss."""
    spec = N((16,), (
        L("Embedding", {"num_embeddings": 10, "embedding_dim": 8}),
        L("PositionalEncoding"),
        L("MultiheadAttention", {"num_heads": 2}),
        L("LSTM", {"hidden_size": 8}),
        L("Linear", {"out_features": 10}),
    ))
    config = TrainConfig(dataset="reverse", dataset_options={"size": 120},
                         loss="cross-entropy", optimizer="adam", lr=0.01, epochs=1,
                         batch_size=16, probes=False)
    data = load_dataset("reverse", size=120, seed=config.seed)
    app_loss = fit(spec, data, config)["train_loss"]
    path = tmp_path_factory.mktemp("script") / "reverse.py"
    path.write_text(script_text(spec, config, Recipe.from_data(data), "reverse"))
    return path, app_loss


def test_script_matches_the_app_first_epoch(reverse_script) -> None:
    path, app_loss = reverse_script
    done = subprocess.run([sys.executable, path.name, "--device", "cpu"],
                          cwd=path.parent, env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    match = EPOCH_RE.search(done.stdout)
    assert match, done.stdout
    assert float(match.group(1)) == pytest.approx(app_loss, rel=1e-5)
    assert "test accuracy" in done.stdout


def test_script_runs_under_torchrun(reverse_script) -> None:
    path, _ = reverse_script
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
           "--standalone", path.name, "--device", "cpu", "--save", "ddp.pt"]
    done = subprocess.run(cmd, cwd=path.parent, env=_env(), capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(EPOCH_RE.findall(done.stdout)) == 1
    saved = torch.load(path.parent / "ddp.pt", weights_only=True)
    assert "4_lstm.weight_ih_l0" in saved
