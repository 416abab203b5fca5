"""What the training loop reports: small frozen records of plain numbers and numpy.

Every event is created fresh and never mutated after it is yielded, so the GUI thread
can keep it while the worker goes on. Nothing here holds a tensor on the training
device: payloads leave the device inside the throttled branches of the loop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# What a probe can collect; the UI asks only for what a visible view shows.
PROBE_KINDS = ("gradients", "weights", "activations", "feature_maps", "boundary",
               "attention", "through_time", "hidden_state")  # the last 3: sequences


@dataclass
class ProbeRequest:
    """Which probes the consumer wants now; may be changed from another thread.

    `kinds` is replaced (never mutated in place) by the GUI; the loop reads it once
    per probe. `sample` is the model input (C x H x W float32, normalized) whose
    feature maps to collect; None means the first validation sample.
    """

    kinds: frozenset[str] = frozenset(PROBE_KINDS)
    sample: np.ndarray | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    sequence_index: int = 0  # the validation sample the sequence views look at

    def set(
        self,
        kinds: frozenset[str] | None = None,
        sample: np.ndarray | None = None,
        sequence_index: int | None = None,
    ) -> None:
        with self.lock:
            if kinds is not None:
                self.kinds = frozenset(kinds)
            if sample is not None:
                self.sample = sample
            if sequence_index is not None:
                self.sequence_index = int(sequence_index)


@dataclass(frozen=True)
class Started:
    run_id: str
    device: str  # e.g. "cpu", "cuda:0 (NVIDIA H100)"
    epochs: int
    steps_per_epoch: int
    train_samples: int
    val_samples: int
    task: str
    class_names: tuple[str, ...]
    layer_names: tuple[str, ...]  # every child of the Sequential, in order
    param_layers: tuple[str, ...]  # children that own parameters, input side first
    frozen_layers: tuple[str, ...] = ()  # children that stay as they are (frozen)


@dataclass(frozen=True)
class Step:
    step: int  # 1-based global step
    epoch: int  # 0-based epoch the step belongs to
    progress: float  # epochs done as a fraction, e.g. 2.35
    loss: float
    samples_seen: int
    samples_per_s: float
    elapsed: float
    lr: float


@dataclass(frozen=True)
class Epoch:
    """One per epoch; only tiny epochs (under 4 steps, e.g. the one-sample backprop
    example) are reported at most every 50 ms, so their numbers may skip."""

    epoch: int  # 1-based number of epochs completed
    train_loss: float
    val_loss: float
    val_accuracy: float | None  # classification
    val_r2: float | None  # regression
    train_accuracy: float | None
    samples_per_s: float
    elapsed: float
    # mean gradient norm of each parameter layer over this epoch, input side first
    grad_norms: np.ndarray | None = None
    lr: float | None = None  # learning rate used during this epoch


@dataclass(frozen=True)
class Probe:
    """One look inside, on a fixed probe batch. Absent parts are None/empty."""

    step: int
    progress: float
    param_layers: tuple[str, ...] = ()
    grad_norm: np.ndarray | None = None  # per param layer, float64
    grad_mean_abs: np.ndarray | None = None
    weight_norm: np.ndarray | None = None
    # (counts, edges) per layer; big layers: of a fixed random sample of 8,192 values
    weight_hist: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    first_conv_filters: np.ndarray | None = None  # uint8 N x kh x kw
    act_layers: tuple[str, ...] = ()
    act_mean: np.ndarray | None = None
    act_std: np.ndarray | None = None
    act_saturated: np.ndarray | None = None  # fraction, sigmoid/tanh outputs else NaN
    act_dead: np.ndarray | None = None  # fraction, ReLU outputs else NaN
    act_hist: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    feature_maps: dict[str, np.ndarray] = field(default_factory=dict)  # uint8 C x H x W
    # Linear outputs for the probe sample, float32
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    boundary: np.ndarray | None = None  # 2-D data: H x W x classes probabilities
    boundary_extent: tuple[float, float, float, float] | None = None  # x0, x1, y0, y1
    curve: tuple[np.ndarray, np.ndarray] | None = None  # 1-D regression: x, prediction
    # the one look at the end of a run: every kind, whatever the request said
    last: bool = False
    # sequences, for validation sample `sequence_index` (its model input alongside):
    # heads x query x key per attention layer, |∂loss/∂x_t| per step (first step
    # first), units x time per recurrent layer
    attention: dict[str, np.ndarray] = field(default_factory=dict)
    grad_through_time: np.ndarray | None = None
    hidden_state: dict[str, np.ndarray] = field(default_factory=dict)
    sequence_index: int = 0
    sequence_input: np.ndarray | None = None


@dataclass(frozen=True)
class EpochEval:
    epoch: int
    confusion: np.ndarray  # classes x classes, rows = true, columns = predicted
    per_class_accuracy: np.ndarray
    # most confidently wrong validation samples first:
    # (val index, true, pred, confidence)
    mistakes: tuple[tuple[int, int, int, float], ...] = ()


@dataclass(frozen=True)
class Finished:
    reason: str  # "finished" | "stopped" | "early-stopped" | "failed"
    message: str  # plain words, always set
    epochs_done: int
    steps: int
    elapsed: float
    metrics: dict[str, Any] = field(default_factory=dict)  # last Epoch values + extras
    weights: dict[str, Any] | None = None  # CPU state_dict of the weights to keep


@dataclass(frozen=True)
class StepDetail:
    """The numbers of one batch run with Step while paused (the step-by-step table).

    Per parameter layer, input side first: the gradient norm, the update size the
    rule suggests (lr x gradient norm) and the change the optimizer really made
    (norm of the weights after minus before; Adam's differs from lr x gradient)."""

    step: int  # 1-based global step
    epoch: int  # 0-based epoch
    batch: int  # 1-based batch within the epoch
    batch_size: int
    loss: float
    lr: float
    layers: tuple[str, ...] = ()
    grad_norm: np.ndarray | None = None
    update: np.ndarray | None = None  # lr x grad_norm
    change: np.ndarray | None = None  # ||w_after - w_before||


Event = Started | Step | Epoch | Probe | EpochEval | Finished | StepDetail
