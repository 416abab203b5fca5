"""What the frozen-body cache saves: samples/s training a new head on a frozen
body, with the body's outputs cached (computed once per run) and without (the body
runs forward on every batch).

Two cases: the cnn-mnist body on the shared MNIST digits (a small body: the gain is
the convolutions' share of a step), and a ResNet-18 body (random weights, so no
download) on 32x32 colour images (a big body: nearly all of a step). The cached
figure counts the whole run, the one pass that fills the cache included.

    .venv/bin/python benchmarks/bench_finetune.py --data ../shared/data/mnist
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.datasets.base import Data
from nnstudio.core.network.frozen import freeze_first
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training import loop, run_setup
from nnstudio.core.training.config import TrainConfig


def cnn_case(path: str) -> tuple[NetworkSpec, Data, int]:
    conv = lambda c: LayerSpec("Conv2d", {"out_channels": c, "kernel_size": 5})  # noqa: E731
    pool = LayerSpec("MaxPool2d", {"kernel_size": 2})
    spec = NetworkSpec((1, 28, 28), (
        conv(10), LayerSpec("ReLU"), pool, conv(20), LayerSpec("ReLU"), pool,
        LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 50}),
        LayerSpec("ReLU"), LayerSpec("Linear", {"out_features": 10})))
    return freeze_first(spec, 7), load_dataset(path), 5


def resnet_case(n: int = 512) -> tuple[NetworkSpec, Data, int]:
    spec = NetworkSpec((3, 32, 32), (LayerSpec("ResNet18", {"weights": "none"}),
                                     LayerSpec("Linear", {"out_features": 10})))
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=gen)
    y = torch.randint(0, 10, (n,), generator=gen)
    data = Data("random", "classification", (3, 32, 32), tuple("0123456789"),
                x[: n * 4 // 5], y[: n * 4 // 5], x[n * 4 // 5:], y[n * 4 // 5:],
                mean=(0.5,) * 3, std=(0.29,) * 3)
    return freeze_first(spec, 1), data, 5


def measure(spec, data, epochs: int, cached: bool) -> dict:
    run_setup.CACHE_FROZEN_BODY = cached
    config = TrainConfig(dataset=data.name, epochs=epochs, batch_size=64,
                         optimizer="adam", lr=1e-3, probes=False)
    start = time.perf_counter()
    summary = loop.fit(spec, data, config)
    wall = time.perf_counter() - start
    seen = epochs * len(data.x_train)
    return {"cached": cached, "wall_s": round(wall, 3),
            "samples_per_s": round(seen / wall), "val_loss": summary["val_loss"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/mnist")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name, case in (("cnn-mnist body", lambda: cnn_case(args.data)),
                       ("resnet18 body", resnet_case)):
        spec, data, epochs = case()
        measure(spec, data, 1, True)  # warm-up: imports, allocator
        plain = measure(spec, data, epochs, False)
        fast = measure(spec, data, epochs, True)
        print(json.dumps({"case": name, "epochs": epochs, "plain": plain,
                          "cached": fast,
                          "speed_up": round(plain["wall_s"] / fast["wall_s"], 2)}))


if __name__ == "__main__":
    main()
