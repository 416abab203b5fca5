"""The issue's measurement as a test: a frozen MNIST body (trained on 0-4) with a
new head learns 5-9 from 100 images better than the same network from scratch."""

from __future__ import annotations

import dataclasses
import statistics

import pytest
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.build import build_model
from nnstudio.core.network.frozen import freeze_first
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.pretrained import transfer
from nnstudio.core.training.loop import fit


def _subset(data, digits: range, per_class: int | None, seed: int):
    gen = torch.Generator().manual_seed(seed)

    def pick(x, y, limit):
        idx = []
        for label in digits:
            mine = (y == label).nonzero().flatten()
            mine = mine[torch.randperm(len(mine), generator=gen)]
            idx.append(mine[:limit] if limit else mine)
        idx = torch.cat(idx)
        return x[idx], y[idx] - digits.start

    x_tr, y_tr = pick(data.x_train, data.y_train, per_class)
    x_va, y_va = pick(data.x_val, data.y_val, None)
    return dataclasses.replace(data, x_train=x_tr, y_train=y_tr, x_val=x_va,
                               y_val=y_va, class_names=tuple(map(str, digits)))


@pytest.mark.slow
def test_frozen_mnist_body_beats_scratch_on_100_images(shared_mnist) -> None:
    torch.set_num_threads(1)
    mnist = load_dataset(str(shared_mnist))
    spec = PRESETS["cnn-mnist"].spec
    spec = spec.replace_layer(9, LayerSpec("Linear", {"out_features": 5}))
    config = PRESETS["cnn-mnist"].train_config(optimizer="adam", lr=1e-3, epochs=5,
                                               schedule="none", probes=False)
    body = fit(spec, _subset(mnist, range(0, 5), None, 0), config)
    weights = {k: v for k, v in body.weights.items() if not k.startswith("10_")}
    tuned, scratch = [], []
    for seed in range(3):
        task = _subset(mnist, range(5, 10), 20, seed)
        assert len(task.x_train) == 100
        run = dataclasses.replace(config, epochs=40, batch_size=20, lr=3e-3, seed=seed)
        frozen = freeze_first(spec, 6)
        model = build_model(frozen, seed=seed)
        assert transfer(model, weights).took == ("1 conv2d", "4 conv2d", "8 linear")
        tuned.append(fit(frozen, task, run, model=model)["val_accuracy"])
        scratch.append(fit(spec, task, run)["val_accuracy"])
    assert statistics.mean(tuned) > statistics.mean(scratch), (tuned, scratch)
