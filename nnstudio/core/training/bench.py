"""How fast is the trainer? Three loops on the same data, model, batch size,
optimizer and seed, in one process:

- `plain`: a hand-written PyTorch loop over preloaded float tensors, the floor to
  compare with (index slices of a seeded permutation, nothing else);
- `trainer` / `trainer_probes`: nnstudio's `train.run`, probes off and on (default
  probe settings, every view asked for);
- `textbook`: the tutorial loop — a Dataset returning PIL images, ToTensor and
  Normalize, a DataLoader.

Data is synthetic random uint8 28x28 digits so the benchmark works offline; it
measures speed, not learning. The trainer is timed from its Started event to the last
Step of the epoch, so like the plain loop it counts the training steps (with their
throttled reports and probes) but not building the model or the validation pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from nnstudio.core.datasets import Data
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.evaluate import resolve_device
from nnstudio.core.training.events import Started, Step
from nnstudio.core.training.loop import run
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS

MODELS = ("mlp-fashion", "cnn-mnist")
LOOPS = ("plain", "trainer", "trainer_probes", "textbook")
SAMPLES, QUICK_SAMPLES = 12_000, 2_000
ROUNDS, QUICK_ROUNDS = 3, 1  # best of N: other processes only ever slow a loop down
VAL_SAMPLES = 500  # the trainer validates after the epoch, outside the timed part
WARMUP_STEPS = 20  # first steps pay for allocations and thread start-up


def synthetic_data(samples: int, seed: int = 0) -> Data:
    """Random uint8 1x28x28 images with random labels among 10 classes."""
    gen = torch.Generator().manual_seed(seed)
    n = samples + VAL_SAMPLES
    x = torch.randint(0, 256, (n, 1, 28, 28), dtype=torch.uint8, generator=gen)
    y = torch.randint(0, 10, (n,), generator=gen)
    return Data(name="synthetic", task="classification", input_shape=(1, 28, 28),
                class_names=tuple(str(i) for i in range(10)), x_train=x[:samples],
                y_train=y[:samples], x_val=x[samples:], y_val=y[samples:],
                mean=0.5, std=0.29, preview_kind="image")


@dataclass
class Case:
    """One model with its preset's training settings, on one device."""

    name: str
    spec: NetworkSpec
    config: TrainConfig
    device: torch.device


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _setup(case: Case):
    torch.manual_seed(case.config.seed)
    model = build_model(case.spec, seed=case.config.seed).to(case.device)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = OPTIMIZERS[case.config.optimizer].make(params, case.config)
    return model, opt, LOSSES[case.config.loss].make().to(case.device)


def plain_loop(case: Case, data: Data, steps: int | None = None) -> float:
    """samples/s of the plain loop: preloaded float tensors, index slices."""
    model, opt, loss_fn = _setup(case)
    x = data.inputs(data.x_train.to(case.device))  # converted once, up front
    y = data.y_train.to(case.device)
    b, n = case.config.batch_size, len(x)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(0))
    order = order.to(case.device)
    starts = list(range(0, n, b))[:steps]
    _sync(case.device)
    t = time.perf_counter()
    for start in starts:
        idx = order[start:start + b]
        loss = loss_fn(model(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    _sync(case.device)
    return min(n, len(starts) * b) / (time.perf_counter() - t)


def textbook_loop(case: Case, data: Data, steps: int | None = None) -> float:
    """samples/s of the tutorial loop: PIL images, ToTensor, DataLoader."""
    from torch.utils.data import DataLoader
    from torchvision import transforms

    model, opt, loss_fn = _setup(case)
    tf = transforms.Compose([transforms.ToTensor(),
                             transforms.Normalize((data.mean,), (data.std,))])
    loader = DataLoader(_PILDigits(data, tf), batch_size=case.config.batch_size,
                        shuffle=True, generator=torch.Generator().manual_seed(0))
    seen = 0
    _sync(case.device)
    t = time.perf_counter()
    for i, (xb, yb) in enumerate(loader):
        if steps is not None and i >= steps:
            break
        xb, yb = xb.to(case.device), yb.to(case.device)
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        seen += len(yb)
    _sync(case.device)
    return seen / (time.perf_counter() - t)


class _PILDigits(torch.utils.data.Dataset):
    """What the tutorials build: every sample a PIL image, converted on access."""

    def __init__(self, data: Data, transform: Callable) -> None:
        self.images = data.x_train[:, 0].numpy()
        self.labels = data.y_train.numpy()
        self.transform = transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int):
        from PIL import Image

        return self.transform(Image.fromarray(self.images[i])), int(self.labels[i])


def trainer_loop(case: Case, data: Data, probes: bool) -> float:
    """samples/s of nnstudio's trainer over one epoch, from Started to the last Step
    of the epoch (its throttled reports and probes included)."""
    config = case.config.with_(epochs=1, probes=probes, probe_every=0,
                               device=str(case.device))
    t = last = None
    for event in run(case.spec, data, config):
        if isinstance(event, Started):
            t = time.perf_counter()
        elif isinstance(event, Step) and event.progress >= 1:
            last, seen = time.perf_counter(), event.samples_seen
    if t is None or last is None:
        raise RuntimeError("the trainer did not finish its epoch")
    return seen / (last - t)


def measure(case: Case, data: Data, rounds: int,
            progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Best samples/s of each loop over `rounds` rounds, loops interleaved so a
    busy moment of the machine does not favour one of them."""
    plain_loop(case, data, WARMUP_STEPS)
    textbook_loop(case, data, WARMUP_STEPS)
    loops = {"plain": lambda: plain_loop(case, data),
             "trainer": lambda: trainer_loop(case, data, probes=False),
             "trainer_probes": lambda: trainer_loop(case, data, probes=True),
             "textbook": lambda: textbook_loop(case, data)}
    best = dict.fromkeys(loops, 0.0)
    for r in range(rounds):
        for name, loop in loops.items():
            if progress:
                progress(f"{case.name}: {name} (round {r + 1}/{rounds})")
            best[name] = max(best[name], loop())
    return best


def bench(device: str = "auto", quick: bool = False, models=MODELS,
          samples: int | None = None, rounds: int | None = None,
          progress: Callable[[str], None] | None = None) -> dict:
    """Run every loop for every model; JSON-ready figures and ratios."""
    dev = resolve_device(device)
    samples = samples or (QUICK_SAMPLES if quick else SAMPLES)
    rounds = rounds or (QUICK_ROUNDS if quick else ROUNDS)
    data = synthetic_data(samples)
    results = {}
    for name in models:
        preset = PRESETS[name]
        case = Case(name, preset.spec, preset.train_config(), dev)
        figures = measure(case, data, rounds, progress)
        results[name] = {**{k: round(v, 1) for k, v in figures.items()},
                         **_ratios(figures), "batch_size": case.config.batch_size,
                         "optimizer": case.config.optimizer}
    return {"device": str(dev), "threads": torch.get_num_threads(),
            "samples": samples, "rounds": rounds, "results": results}


def _ratios(f: dict[str, float]) -> dict[str, float]:
    return {"trainer_vs_plain": round(f["trainer"] / f["plain"], 3),
            "probes_vs_plain": round(f["trainer_probes"] / f["plain"], 3),
            "trainer_vs_textbook": round(f["trainer"] / f["textbook"], 2)}


def table(report: dict) -> str:
    """The figures as a plain-text table."""
    lines = [f"device {report['device']}, {report['threads']} threads, "
             f"{report['samples']:,} samples, best of {report['rounds']}",
             f"{'model':<12} {'loop':<24} {'samples/s':>10} {'vs plain':>9}"]
    labels = {"plain": "plain PyTorch loop", "trainer": "nnstudio, probes off",
              "trainer_probes": "nnstudio, default probes",
              "textbook": "textbook DataLoader+PIL"}
    for name, r in report["results"].items():
        for loop in LOOPS:
            ratio = r[loop] / r["plain"] if r["plain"] else np.nan
            lines.append(f"{name:<12} {labels[loop]:<24} {r[loop]:>10,.0f} "
                         f"{ratio:>9.2f}")
        lines.append(f"{name:<12} {'trainer / textbook':<24} "
                     f"{r['trainer_vs_textbook']:>10.2f}")
    return "\n".join(lines)
