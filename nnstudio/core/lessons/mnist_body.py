"""The bundled MNIST network: the cnn-mnist preset trained on real digits.

It ships as `assets/pretrained/mnist-cnn.safetensors` (88 KB) so a student can
start a network of that shape from trained weights offline (`--pretrained
mnist-cnn`, or File > Start from Weights…): frozen, its convolutions turn a drawing
into features that a new head learns new symbols from with about ten drawings per
class (benchmarks/drawn_symbols.py). Regenerate it with

    python -m nnstudio.core.lessons.mnist_body ../shared/data/mnist

(the same data, preset and seed give the same file).
"""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "mnist-cnn"
PRESET = "cnn-mnist"
FILE = "mnist-cnn.safetensors"


def path() -> Path:
    from nnstudio.paths import asset_path

    return asset_path("pretrained", FILE)


def train(data_path: str, out: Path) -> dict:
    """Train the preset on the MNIST files at `data_path`; write the weights."""
    from safetensors.torch import save_file

    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.training.loop import fit

    preset = PRESETS[PRESET]
    summary = fit(preset.spec, load_dataset(data_path),
                  preset.train_config(probes=False, device="cpu"))
    weights = {k: v.contiguous() for k, v in summary.weights.items()}
    meta = {"preset": PRESET, "data": Path(data_path).name,
            "val_accuracy": f"{summary['val_accuracy']:.4f}"}
    save_file(weights, str(out), metadata=meta)
    return dict(summary)


if __name__ == "__main__":
    default = Path("assets") / "pretrained" / FILE
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    result = train(sys.argv[1], target)
    print(f"{target}: validation accuracy {result['val_accuracy']:.4f}")
