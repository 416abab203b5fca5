"""Sequences end to end: layers against torch, shape words, datasets, per-step
training, the probes, presets, and the CLI contracts (train --json, predict
--sequence)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch import nn

from nnstudio.cli import main
from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec as L
from nnstudio.core.network.presets import PRESETS, get_preset
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec as N
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.loop import fit
from nnstudio.core.training.sequence_probes import (
    PerStepLoss,
    attention_maps,
    grad_through_time,
)

SEQUENCE_PRESETS = ("rnn-parity", "lstm-parity", "lstm-sine", "gru-adding",
                    "attention-reverse", "transformer-reverse")


def _json_line(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


# --- layers ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind, cls", [("RNN", nn.RNN), ("LSTM", nn.LSTM),
                                       ("GRU", nn.GRU)])
def test_recurrent_layers_compute_what_torch_computes(kind, cls) -> None:
    model = build_model(N((7, 3), (L(kind, {"hidden_size": 5, "num_layers": 2}),)))
    reference = cls(3, 5, 2, batch_first=True)
    reference.load_state_dict(_strip(model.state_dict(), "1_"))
    x = torch.randn(4, 7, 3)
    assert torch.allclose(model(x), reference(x)[0], atol=1e-6)


def _strip(state: dict, prefix: str) -> dict:
    return {k.split(".", 1)[1]: v for k, v in state.items() if k.startswith(prefix)}


def test_causal_attention_ignores_later_steps() -> None:
    model = build_model(N((6, 4), (L("MultiheadAttention",
                                     {"num_heads": 2, "causal": True}),)), seed=0)
    x = torch.randn(1, 6, 4)
    changed = x.clone()
    changed[0, 4:] += 5.0  # only the last two steps change
    assert torch.allclose(model(x)[0, :4], model(changed)[0, :4], atol=1e-6)
    assert not torch.allclose(model(x)[0, 4:], model(changed)[0, 4:])


def test_sinusoidal_positions_follow_the_formula() -> None:
    model = build_model(N((5, 6), (L("PositionalEncoding"),)))
    table = model(torch.zeros(1, 5, 6))[0]
    t, i = 3, 1  # PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(...)
    assert table[t, 2 * i] == pytest.approx(np.sin(t / 10000 ** (2 * i / 6)), abs=1e-6)
    assert table[t, 2 * i + 1] == pytest.approx(np.cos(t / 10000 ** (2 * i / 6)),
                                                abs=1e-6)
    assert model.state_dict() == {}  # fixed: nothing to learn or save


# --- shape problems name the layer and the fix ----------------------------------------
def test_lstm_after_flatten_is_told_to_remove_the_flatten() -> None:
    spec = N((16, 1), (L("LSTM"), L("Flatten"), L("LSTM")))
    (problem,) = check(spec).errors
    assert problem.message("en") == (
        "layer 3 LSTM needs a sequence (time, features) but gets a flat vector — "
        "remove the Flatten above it")
    assert "Flatten" in problem.message("zh")


def test_heads_that_do_not_divide_the_width_get_the_ones_that_do() -> None:
    spec = N((16,), (L("Embedding", {"embedding_dim": 30}),
                     L("MultiheadAttention", {"num_heads": 4})))
    (problem,) = check(spec).errors
    assert "embed dim 30 is not divisible by 4 heads — use 2, 3, 5, 6 or 10 heads, " \
           "or change the width" in problem.message("en")


@pytest.mark.parametrize("layers, kw, words", [
    ((L("LSTM"),), {}, "put an Embedding above it"),
    ((L("LSTM"), L("Linear", {"out_features": 2})), {"num_outputs": 2},
     "add LastStep or MeanOverTime"),
    ((L("LSTM"), L("LastStep"), L("Linear", {"out_features": 2})),
     {"num_outputs": 2, "per_step": True}, "one answer per time step"),
])
def test_sequence_mistakes_are_worded(layers, kw, words) -> None:
    shape = (16,) if layers[0].kind == "LSTM" and len(layers) == 1 else (16, 1)
    report = check(N(shape, layers), **kw)
    assert any(words in p.message("en") for p in report.errors)


# --- datasets -------------------------------------------------------------------------
def test_datasets_have_the_promised_shapes_and_are_seeded() -> None:
    reverse = load_dataset("reverse", size=50)
    assert reverse.input_shape == (16,) and reverse.x_train.dtype == torch.int64
    assert reverse.per_step and reverse.num_outputs == 10
    assert torch.equal(reverse.y_train, reverse.x_train.flip(1))
    parity = load_dataset("parity", size=50, length=9)
    assert parity.input_shape == (9, 1)
    assert torch.equal(parity.y_train, parity.x_train.sum(dim=(1, 2)).long() % 2)
    adding = load_dataset("adding", size=50)
    assert adding.input_shape == (20, 2)
    marked = (adding.x_train[..., 0] * adding.x_train[..., 1]).sum(dim=1)
    assert torch.allclose(marked, adding.y_train[:, 0], atol=1e-5)
    sine = load_dataset("sine-forecast", size=40, seed=3)
    assert sine.input_shape == (32, 1) and sine.task == "regression"
    assert torch.equal(sine.x_train, load_dataset("sine-forecast", size=40,
                                                  seed=3).x_train)


def test_a_csv_time_series_becomes_windows(tmp_path) -> None:
    t = np.arange(100)
    path = tmp_path / "series.csv"
    np.savetxt(path, np.c_[t * 1.0, t * 2.0], delimiter=",", header="a,b",
               comments="")
    data = load_dataset(path, window=10)
    assert data.input_shape == (10, 2) and data.task == "regression"
    assert len(data.x_train) + len(data.x_val) == 90
    # each target is the row after its window (standardized like the inputs)
    x = torch.cat([data.x_train, data.x_val])
    y = torch.cat([data.y_train, data.y_val])
    step = x[:, 1, 0] - x[:, 0, 0]
    assert torch.allclose(y[:, 0], x[:, -1, 0] + step, atol=1e-4)


# --- per-step training ----------------------------------------------------------------
def test_per_step_loss_averages_over_steps_and_tokens_count() -> None:
    out = torch.randn(3, 5, 4)
    y = torch.randint(0, 4, (3, 5))
    expected = nn.functional.cross_entropy(out.reshape(-1, 4), y.reshape(-1))
    assert PerStepLoss(nn.CrossEntropyLoss())(out, y) == pytest.approx(float(expected))


def test_attention_reverse_learns_the_anti_diagonal(capsys) -> None:
    assert main(["train", "attention-reverse", "--epochs", "4", "--json"]) == 0
    result = _json_line(capsys)
    assert result["val_accuracy"] > 0.9  # tokens right, not whole sequences
    attention = np.array(result["attention"])
    assert attention.shape == (16, 16)
    assert np.allclose(attention.sum(axis=1), 1.0, atol=1e-4)  # query rows
    mirror = attention[np.arange(16), 15 - np.arange(16)]
    assert mirror.mean() > 0.4  # each query looks at its mirror position
    assert "grad_through_time" not in result


def test_without_positions_attention_cannot_reverse() -> None:
    data = load_dataset("reverse", size=1000)
    spec = N((16,), (L("Embedding", {"embedding_dim": 32}),
                     L("MultiheadAttention"), L("Linear", {"out_features": 10})))
    config = TrainConfig(dataset="reverse", loss="cross-entropy", optimizer="adam",
                         lr=0.01, epochs=4, probes=False)
    assert fit(spec, data, config)["val_accuracy"] < 0.3  # about 1 in 10 by chance


def test_recurrent_json_has_the_gradient_per_step(capsys) -> None:
    assert main(["train", "rnn-parity", "--epochs", "2", "--json"]) == 0
    result = _json_line(capsys)
    grads = result["grad_through_time"]
    assert len(grads) == get_preset("rnn-parity").spec.input_shape[0]
    assert all(g >= 0 for g in grads)
    assert grads[0] < grads[-1] / 5  # fades back through time (far more later)
    assert "attention" not in result


def test_probe_gradient_is_the_autograd_gradient() -> None:
    model = build_model(N((5, 2), (L("GRU", {"hidden_size": 3}), L("LastStep"),
                                   L("Linear", {"out_features": 1}))), seed=1)
    x, y = torch.randn(1, 5, 2), torch.randn(1, 1)
    got = grad_through_time(model, x, y, nn.MSELoss())
    assert all(p.grad is None for p in model.parameters())  # the probe left them
    leaf = x.clone().requires_grad_(True)
    nn.MSELoss()(model(leaf), y).backward()
    assert np.allclose(got, leaf.grad[0].norm(dim=1).numpy(), atol=1e-6)


def test_attention_probe_hooks_are_removed() -> None:
    model = build_model(get_preset("transformer-reverse").spec, seed=0)
    maps = attention_maps(model, torch.randint(0, 10, (1, 16)))
    assert [m.shape for m in maps.values()] == [(2, 16, 16), (2, 16, 16)]
    assert all(not child._forward_hooks for child in model.children())


# --- presets and prediction -----------------------------------------------------------
def test_sequence_presets_are_valid_for_their_data() -> None:
    for name in SEQUENCE_PRESETS:
        preset = PRESETS[name]
        config = preset.train_config()
        data = load_dataset(config.dataset, **{"size": 20,
                                               **config.dataset_options})
        assert data.input_shape == preset.spec.input_shape, name
        report = check(preset.spec, num_outputs=data.num_outputs, loss=config.loss,
                       per_step=data.per_step)
        assert report.ok, (name, [p.message() for p in report.problems])
        assert preset.description["en"] and preset.description["zh"]


def test_predict_sequence_prints_the_reversed_tokens(tmp_path, capsys) -> None:
    project = tmp_path / "rev.nnstudio"
    assert main(["train", "attention-reverse", "--epochs", "5", "--save",
                 str(project), "--json"]) == 0
    capsys.readouterr()
    tokens = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
    text = " ".join(map(str, tokens))
    assert main(["predict", str(project), "--sequence", text, "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert sum(a == b for a, b in zip(result["prediction"], tokens[::-1],
                                      strict=True)) >= 14
    assert main(["predict", str(project), "--sequence", "3 1 4", "--json"]) == 2
    assert "16" in capsys.readouterr().err


def test_predict_sequence_regression_is_a_number(tmp_path, capsys) -> None:
    project = tmp_path / "sine.nnstudio"
    assert main(["train", "lstm-sine", "--epochs", "4", "--save", str(project),
                 "--json"]) == 0
    capsys.readouterr()
    t = np.arange(33)
    series = np.sin(0.3 * t) + 0.5 * np.sin(0.11 * t)
    text = " ".join(f"{v:.4f}" for v in series[:32])
    assert main(["predict", str(project), "--sequence", text, "--json"]) == 0
    result = _json_line(capsys)
    assert isinstance(result["prediction"], float)
    assert result["prediction"] == pytest.approx(series[32], abs=0.25)


@pytest.mark.slow
def test_lstm_solves_parity_where_a_plain_rnn_stays_at_chance(capsys) -> None:
    assert main(["train", "lstm-parity", "--json", "--no-probes"]) == 0
    lstm = _json_line(capsys)
    assert main(["train", "rnn-parity", "--json", "--no-probes"]) == 0
    rnn = _json_line(capsys)
    assert lstm["val_accuracy"] > 0.95
    assert rnn["val_accuracy"] < 0.6
