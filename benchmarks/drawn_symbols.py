"""The drawn-dataset example, measured: new symbols from ten drawings per class.

Symbols (circle, triangle, square, cross, smile, heart) are drawn by
`core/lessons/symbols.py` with the wobble, size, position and slant a hand gives
them, saved the way the New drawn dataset dialog saves them, and learnt by the
cnn-mnist network in two ways:

- from the bundled MNIST weights (`--pretrained mnist-cnn`), the convolutions
  frozen (`--freeze 6`), the rest training with a new output layer;
- from scratch.

Training uses 10 drawings per class; 30 other drawings per class score it.
Several seeds; one JSON line per seed, then the means.

    .venv/bin/python benchmarks/drawn_symbols.py
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
from pathlib import Path

import numpy as np
import torch

from nnstudio.core.datasets import load_dataset
from nnstudio.core.datasets.drawn import DrawnDataset
from nnstudio.core.lessons.symbols import SYMBOLS, draw
from nnstudio.core.network.build import build_model
from nnstudio.core.network.frozen import freeze_first
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.pretrained import read_source, transfer
from nnstudio.core.training.loop import fit

FREEZE = 6  # the two convolutions with their ReLU and pooling


def make_folder(root: Path, per_class: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    data = DrawnDataset("symbols", root)
    for kind in SYMBOLS:
        data.add_class(kind)
        for _ in range(per_class):
            data.add_drawing(kind, draw(kind, rng))
    return data.path


def network(classes: int):
    spec = PRESETS["cnn-mnist"].spec
    head = LayerSpec("Linear", {"out_features": classes})
    return spec.replace_layer(len(spec.layers) - 1, head)


def run(per_class: int, val_per_class: int, seed: int, epochs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        train_dir = make_folder(Path(tmp) / "train", per_class, seed)
        val_dir = make_folder(Path(tmp) / "val", val_per_class, 1000 + seed)
        train = load_dataset(str(train_dir), val_fraction=0.1)
        val = load_dataset(str(val_dir), val_fraction=0.5)
    # all the training folder trains; all the other folder scores
    data = dataclasses.replace(
        train, x_train=torch.cat([train.x_train, train.x_val]),
        y_train=torch.cat([train.y_train, train.y_val]),
        x_val=torch.cat([val.x_train, val.x_val]),
        y_val=torch.cat([val.y_train, val.y_val]))
    config = PRESETS["cnn-mnist"].train_config(
        epochs=epochs, batch_size=10, optimizer="adam", lr=3e-3, seed=seed,
        schedule="none", probes=False)
    scratch = network(len(SYMBOLS))
    tuned = freeze_first(scratch, FREEZE)
    model = build_model(tuned, seed=seed)
    report = transfer(model, read_source("mnist-cnn"), "mnist-cnn")
    a = fit(tuned, data, config, model=model)["val_accuracy"]
    b = fit(scratch, data, config)["val_accuracy"]
    return {"seed": seed, "train_drawings": len(data.x_train),
            "val_drawings": len(data.x_val), "took": list(report.took),
            "mnist_body_frozen": a, "from_scratch": b}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = [run(args.per_class, 30, seed, args.epochs) for seed in range(args.seeds)]
    for row in rows:
        print(json.dumps(row))
    print(json.dumps({k: statistics.mean(r[k] for r in rows)
                      for k in ("mnist_body_frozen", "from_scratch")}))


if __name__ == "__main__":
    main()
