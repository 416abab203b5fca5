"""Does a frozen MNIST body help a new task learned from 100 images?

The body (two convolutions and a 50-unit layer, as the cnn-mnist preset) is trained
on the digits 0-4. The new task is telling the digits 5-9 apart from 100 training
images (20 per class). Two networks of the same shape learn it:

- fine-tuned: the body's weights (`transfer`), its two convolutions frozen
  (`--freeze 6`), the 50-unit layer starting from the body's and training, a new
  output layer;
- from scratch: every layer starts at random and trains.

Freezing the 50-unit layer too (`--freeze 9`) does worse than either: trained on
five classes only, it keeps too little of what tells 5-9 apart.

Both are scored on every 5-9 digit of the validation part. Several seeds; prints
one JSON line per seed and the means.

    .venv/bin/python benchmarks/finetune_mnist.py --data ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics

import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.build import build_model
from nnstudio.core.network.frozen import freeze_first
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.pretrained import transfer
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.loop import fit

BODY_LAYERS = 6  # conv, relu, pool, conv, relu, pool: the convolutional body
LR = 3e-3  # the better of 1e-3, 3e-3, 1e-2 for both networks (1e-2 fails from scratch)


def network(classes: int) -> NetworkSpec:
    conv = lambda c: LayerSpec("Conv2d", {"out_channels": c, "kernel_size": 5})  # noqa: E731
    pool = LayerSpec("MaxPool2d", {"kernel_size": 2})
    return NetworkSpec((1, 28, 28), (
        conv(10), LayerSpec("ReLU"), pool, conv(20), LayerSpec("ReLU"), pool,
        LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 50}),
        LayerSpec("ReLU"), LayerSpec("Linear", {"out_features": classes})))


def subset(data, digits: range, per_class: int | None, seed: int):
    """The samples of `digits`, relabelled 0.., training part cut to per_class each."""
    def pick(x, y, limit):
        keep = []
        gen = torch.Generator().manual_seed(seed)
        for label in digits:
            idx = (y == label).nonzero().flatten()
            idx = idx[torch.randperm(len(idx), generator=gen)]
            keep.append(idx[:limit] if limit else idx)
        idx = torch.cat(keep)
        return x[idx], y[idx] - digits.start
    x_tr, y_tr = pick(data.x_train, data.y_train, per_class)
    x_va, y_va = pick(data.x_val, data.y_val, None)
    names = tuple(str(d) for d in digits)
    return dataclasses.replace(data, x_train=x_tr, y_train=y_tr, x_val=x_va,
                               y_val=y_va, class_names=names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/mnist")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--images", type=int, default=100)
    args = parser.parse_args()
    torch.set_num_threads(1)
    mnist = load_dataset(args.data)
    body_data = subset(mnist, range(0, 5), None, 0)
    base = TrainConfig(dataset=args.data, loss="cross-entropy", optimizer="adam",
                       lr=1e-3, batch_size=32, epochs=5, probes=False)
    body = fit(network(5), body_data, base)
    print(json.dumps({"body_val_accuracy_0_4": body["val_accuracy"]}))
    results = {"fine-tuned": [], "from scratch": []}
    for seed in range(args.seeds):
        task = subset(mnist, range(5, 10), args.images // 5, seed)
        config = dataclasses.replace(base, epochs=40, batch_size=20, seed=seed,
                                     lr=LR)
        spec = network(5)
        tuned = freeze_first(spec, BODY_LAYERS)
        model = build_model(tuned, seed=seed)
        weights = {k: v for k, v in body.weights.items() if not k.startswith("10_")}
        report = transfer(model, weights, "body")  # the old 0-4 head stays behind
        a = fit(tuned, task, config, model=model)["val_accuracy"]
        b = fit(spec, task, config)["val_accuracy"]
        results["fine-tuned"].append(a)
        results["from scratch"].append(b)
        print(json.dumps({"seed": seed, "train_images": len(task.x_train),
                          "val_images": len(task.x_val), "took": report.took,
                          "fine_tuned": a, "from_scratch": b}))
    print(json.dumps({k: statistics.mean(v) for k, v in results.items()}))


if __name__ == "__main__":
    main()
