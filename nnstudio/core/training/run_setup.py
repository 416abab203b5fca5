"""Setting up one training run: device, model, data, loss, optimiser, scheduler.

`TrainerSetup.__init__` does everything before the first batch, including the
frozen-body cache (issue 15); the loop itself (`loop._Trainer`) adds the pacing
state and the epochs. Failures here are reported by `run()` like any other.
"""

from __future__ import annotations

import dataclasses
import time

import torch

from nnstudio.core.errors import ConfigError
from nnstudio.core.network.build import build_model, parameter_layers
from nnstudio.core.network.frozen import apply_frozen, frozen_prefix, param_groups
from nnstudio.core.pretrained import adapt_data, load_backbones
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.evaluate import Scorer, preflight, training_targets
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS
from nnstudio.core.training.probes import GradNorms, LayerParams, LossMeter, Prober
from nnstudio.core.training.sequence_probes import (
    PerStepLoss,
    SequenceProber,
    has_sequence_layers,
)

PRECONVERT_BYTES = 256 << 20  # images whose floats fit (MNIST: 188 MB): converted once
CACHE_FROZEN_BODY = True  # benchmarks/bench_finetune.py turns it off to compare
CACHE_BYTES = 1 << 30  # cached body features up to 1 GB; past that, run the body
CACHE_CHUNK = 512  # samples per no_grad pass while filling the cache


class TrainerSetup:
    """What a run holds before its first batch; `loop._Trainer` trains with it."""

    def __init__(self, spec, data, config, stop, pause, request, model) -> None:
        self.t0, self.paused = time.perf_counter(), 0.0
        self.config, self.stop, self.pause, self.request = config, stop, pause, request
        data = first_samples(data, config.train_samples)
        self.device = preflight(spec, data, config)
        torch.manual_seed(config.seed)  # dropout and anything else drawn from torch
        if model is None:
            model = build_model(spec, seed=config.seed)
            load_backbones(model, spec, cancel=stop)  # ImageNet weights, checked
        apply_frozen(model, spec)  # frozen layers: no gradients, always eval mode
        self.model = model.to(self.device).train()  # eval passes restore this mode
        self.data, self.spec = adapt_data(spec, data).to(self.device), spec
        self._setup_optimisation(config)
        self._cache_frozen_body()
        self.layers = parameter_layers(self.model)
        self.lp = LayerParams(self.model, self.layers, self.device)
        self.grads = GradNorms(self.lp)
        kinds = [layer.kind for layer in spec.layers]
        self.prober = (Prober(self.model, self.data, kinds, self.lp, data.task)
                       if config.probes else None)
        self.seq_prober = self._sequence_prober(kinds)
        self.meter = LossMeter(data.task == "classification")

    def _sequence_prober(self, kinds: list[str]) -> SequenceProber | None:
        """Attention, gradients through time and hidden states (sequence nets)."""
        if not has_sequence_layers(kinds):
            return None
        return SequenceProber(self.model, self.data, kinds, self.loss_fn, self.y_val)


    def _setup_optimisation(self, c: TrainConfig) -> None:
        d = self.data
        self.y_train = training_targets(d.y_train, d.task, c.loss, d.num_outputs)
        y_val = self.y_val = training_targets(d.y_val, d.task, c.loss, d.num_outputs)
        self.loss_fn = LOSSES[c.loss].make().to(self.device)
        if getattr(d, "per_step", False):  # one class per time step
            self.loss_fn = PerStepLoss(self.loss_fn)
        self.scorer = Scorer(d.x_val, d.y_val, y_val, d.inputs, self.loss_fn, d.task)
        groups = param_groups(self.model, self.spec, c.lr)
        if not groups:
            raise ConfigError(phrase_all_frozen())
        self.params = [p for g in groups for p in g["params"]]
        self.l1_weights = [p for p in self.params if p.dim() >= 2] if c.l1 > 0 else []
        self.opt = OPTIMIZERS[c.optimizer].make(groups, c)
        self.sched = _scheduler(self.opt, c)
        self.shuffle = torch.Generator().manual_seed(c.seed)
        small = d.x_train.numel() * 4 <= PRECONVERT_BYTES  # else converted per batch
        self.x_train = d.inputs(d.x_train) if small else d.x_train
        n, b = len(d.x_train), c.batch_size
        bn = any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
                 for m in self.model.modules())
        self.n_used = n - 1 if bn and n % b == 1 else n  # BatchNorm fails on 1 sample
        self.steps_per_epoch = -(-self.n_used // b)
        self.fwd, self.batch_inputs = self.model, d.inputs  # the head, with a cache
        self.cached_layers = 0

    # --- the frozen-body cache (issue 15) ------------------------------------------
    def _cache_frozen_body(self) -> None:
        """A frozen body before the trainable head runs once, under no_grad, over
        the training and validation inputs; each epoch then trains only the head
        (Teachable Machine's trick). Recomputed per run, so a changed body or
        dataset never meets an old cache. Probes still see the whole model."""
        k = frozen_prefix(self.spec) if CACHE_FROZEN_BODY else 0
        if not k:
            return
        body, head = self.model[:k], self.model[k:]
        d = self.data
        sample = body(d.inputs(d.x_train[:1])) if len(d.x_train) else None
        per_sample = 0 if sample is None else sample[0].numel() * 4
        if per_sample * (len(d.x_train) + len(d.x_val)) > CACHE_BYTES:
            return  # features bigger than the budget: run the body every batch
        with torch.no_grad():
            self.x_train = _features(body, d.x_train, d.inputs)
            x_val = _features(body, d.x_val, d.inputs)
        self.scorer = Scorer(x_val, d.y_val, self.scorer.targets, _as_float,
                             self.loss_fn, d.task)
        self.fwd, self.batch_inputs, self.cached_layers = head, _as_float, k

    @property
    def step(self) -> int:
        return self.meter.step

    def elapsed(self) -> float:
        """Seconds since the start, pauses excluded."""
        return time.perf_counter() - self.t0 - self.paused

    def cpu_weights(self) -> dict[str, torch.Tensor]:
        state = self.model.state_dict()
        return {k: v.detach().to("cpu", copy=True) for k, v in state.items()}

def _features(body: torch.nn.Module, x: torch.Tensor, inputs) -> torch.Tensor:
    """The body's outputs for every sample, in chunks (the body is in eval mode)."""
    parts = [body(inputs(x[i:i + CACHE_CHUNK])) for i in range(0, len(x), CACHE_CHUNK)]
    return torch.cat(parts) if parts else x.float()


def _as_float(x: torch.Tensor) -> torch.Tensor:
    return x


def phrase_all_frozen() -> str:
    from nnstudio.core.i18n import text

    return text({"en": "every layer is frozen: there is nothing to train — unfreeze "
                       "at least one layer with weights",
                 "zh": "所有层都已冻结，没有可训练的参数——请至少解冻一个带权重的层"})


def first_samples(data, n: int):
    """The data with only its first `n` training samples (0: all of them), the
    validation set untouched: a small training set overfits in seconds, on purpose."""
    if not n or n >= len(data.x_train):
        return data
    return dataclasses.replace(data, x_train=data.x_train[:n], y_train=data.y_train[:n])


def _scheduler(opt: torch.optim.Optimizer, c: TrainConfig):
    """step: the rate drops 10x after each third of the run; cosine: to 0 at the end."""
    if c.schedule == "step":
        return torch.optim.lr_scheduler.StepLR(opt, max(1, c.epochs // 3), gamma=0.1)
    if c.schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=c.epochs)
    return None
