"""The training loop as a plain generator of small events (no Qt).

`run()` yields Started, Step, Probe, Epoch, EpochEval and always ends with exactly one
Finished carrying a reason, plain words and CPU weights; every failure is caught and
reported that way. The GUI worker, the CLI (`fit`) and the tests all consume it.

The hot path keeps values on the device: per-step losses are kept as 0-d tensors and
read in one sync inside the throttled branch (at most every STEP_S and at epoch end),
so a GPU never waits for Python. Data is moved to the device once; a batch is an
index slice of a seeded permutation.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from nnstudio.core.i18n import text
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.evaluate import (
    NonFiniteLoss,
    describe_device,
    epoch_eval,
    finished_phrase,
    phrase,
    preflight,
)
from nnstudio.core.training.events import (
    PROBE_KINDS,
    Epoch,
    Event,
    Finished,
    Probe,
    ProbeRequest,
    Started,
    Step,
    StepDetail,
)
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS
from nnstudio.core.training.probes import _norms
from nnstudio.core.training.run_outcome import failure, least_squares_note
from nnstudio.core.training.run_setup import TrainerSetup

__all__ = ["LOSSES", "OPTIMIZERS", "NonFiniteLoss", "Summary", "TrainConfig", "fit",
           "preflight", "run"]

STEP_S = 0.05  # step metrics at most 20 times a second: one sync each
PROBE_S = 0.3  # probes about 3 times a second by default...
PROBE_BUDGET = 0.04  # ...but never more than 4% of the time (a big model: less often)
GRAD_EVERY = 8  # per-layer gradient norms every 8th step: their mean over an epoch
# needs no more, and a pass over all gradients every step costs ~3% of an MLP step
TINY_STEPS = 4  # epochs shorter than this are reported at most every STEP_S
SNAPSHOT_S = 1.0  # CPU copy of the last good weights, for a run that diverges,
SNAPSHOT_BUDGET = 0.02  # taking at most 2% of the time
PAUSE_POLL_S = 0.02
_RESTORED = {"en": "; the weights of epoch {epoch}, the best, were kept",
             "zh": "；已保留第 {epoch} 轮（最佳）的权重"}
LAST_EPOCH = ("train_loss", "val_loss", "val_accuracy", "val_r2", "train_accuracy")


def run(spec: NetworkSpec, data, config: TrainConfig, *,
        stop: threading.Event | None = None, pause: threading.Event | None = None,
        probe_request: ProbeRequest | None = None, model: torch.nn.Module | None = None,
        on_event: Callable[[Event], None] | None = None,
        step: threading.Event | None = None) -> Iterator[Event]:
    """Train `spec` (or the given `model`, to continue) on `data`; yield events.

    `stop`/`pause` are checked before every batch. `probe_request` says which probes
    the consumer shows now (None: all). `on_event` also receives every event.
    Setting `step` while paused runs exactly one batch (then clears it), which is
    followed by a StepDetail, a Step and a Probe: the views move by that one step.
    """
    events = _events(spec, data, config, stop, pause, probe_request, model, step)
    for event in events:
        if on_event is not None:
            on_event(event)
        yield event


def _events(spec, data, config, stop, pause, request, model,
            step=None) -> Iterator[Event]:
    trainer = None
    try:
        trainer = _Trainer(spec, data, config, stop, pause, request, model)
        trainer.step_flag = step
        yield trainer.started()
        yield from trainer.train()
        return
    except Exception as exc:  # every failure becomes a Finished event
        finished = failure(exc, trainer, config)
    oom = finished.metrics.get("error") == "out-of-memory"
    trainer = None  # drop the model and data before freeing the GPU cache
    if oom and torch.cuda.is_available():
        torch.cuda.empty_cache()
    yield finished


class _Trainer(TrainerSetup):
    """The state of one run; `train()` is the loop, the rest are its short steps."""

    def __init__(self, spec, data, config, stop, pause, request, model) -> None:
        super().__init__(spec, data, config, stop, pause, request, model)
        self.epochs_done, self.train_time, self.ep_start = 0, 0.0, None
        self.last: dict[str, Any] = {}
        self.grad_means: np.ndarray | None = None
        self.best, self.bad_epochs = np.inf, 0
        self.best_state: tuple[int, dict, dict] | None = None  # early stopping's best
        self.restored_epoch: int | None = None
        self.reason, self.message = "finished", ""
        self.last_probe = self.last_eval = -PROBE_S  # first probe after step 1
        self.last_epoch, self.probe_gap = -STEP_S, PROBE_S
        self.good_weights, self.last_snapshot = self.cpu_weights(), 0.0
        self.snapshot_gap = SNAPSHOT_S
        self.win_start = self.elapsed()  # the Step window: training time only
        self.step_flag: threading.Event | None = None  # one batch while paused
        self.stepping = False

    def _probe(self, progress: float, request: ProbeRequest | None) -> Probe:
        """The regular probe plus, for a sequence network, its sequence parts."""
        probe = self.prober(self.step, progress, request)
        if self.seq_prober is None:
            return probe
        kinds = request.kinds if request is not None else frozenset(PROBE_KINDS)
        index = request.sequence_index if request is not None else 0
        return dataclasses.replace(probe, **self.seq_prober.parts(kinds, index))

    def started(self) -> Started:
        d, names = self.data, tuple(n for n, _ in self.model.named_children())
        return Started(uuid.uuid4().hex[:12], describe_device(self.device),
                       self.config.epochs, self.steps_per_epoch, len(d.x_train),
                       len(d.x_val), d.task, tuple(d.class_names), names,
                       tuple(self.layers), self._frozen_names())

    def _frozen_names(self) -> tuple[str, ...]:
        children = [name for name, _ in self.model.named_children()]
        return tuple(name for name, layer in zip(children, self.spec.layers,
                                                 strict=False) if layer.frozen)

    # --- the loop ---------------------------------------------------------------
    def train(self) -> Iterator[Event]:
        for epoch in range(self.config.epochs):
            yield from self._epoch(epoch)
            if self.reason == "finished":
                yield from self._end_epoch(epoch)
            if self.reason != "finished":
                break
        self._restore_best()
        if self.prober is not None and self.step > 0:
            yield self._last_look()
        yield self._finished()

    def _last_look(self) -> Probe:
        """Every probe kind once, at the end: a view that was hidden during the run
        (so never probed) still shows the trained network when it is opened."""
        sample = self.request.sample if self.request is not None else None
        every = ProbeRequest(frozenset(PROBE_KINDS), sample)
        if self.request is not None:
            every.sequence_index = self.request.sequence_index
        look = self._probe(self.step / self.steps_per_epoch, every)
        return dataclasses.replace(look, last=True)

    def _epoch(self, epoch: int) -> Iterator[Event]:
        self.meter.new_epoch()
        self.ep_start = self.elapsed()
        order = torch.randperm(len(self.data.x_train), generator=self.shuffle)
        order = order[: self.n_used].to(self.device)
        b = self.config.batch_size
        for i, start in enumerate(range(0, self.n_used, b)):
            if self.pause is not None and self.pause.is_set() and self.meter.sizes:
                # paused: report the steps not yet reported, so Step starts from
                # what the views show
                yield self._report(epoch, epoch + i / self.steps_per_epoch,
                                   self.elapsed())
            if self._halted():
                self.reason, self.message = "stopped", phrase("stopped")
                return
            if self.stepping:
                yield from self._single_step(epoch, i + 1, order[start:start + b])
                continue
            self._train_step(order[start:start + b])
            yield from self._throttled(epoch, i + 1)

    def _halted(self) -> bool:
        """Stop requested? Waits here (cheaply) while paused, until resumed or asked
        for one step (`stepping` is then True for that one batch)."""
        self.stepping = False
        if self.pause is not None and self.pause.is_set():
            t = time.perf_counter()
            while self.pause.is_set() and not (self.stop and self.stop.is_set()):
                if self.step_flag is not None and self.step_flag.is_set():
                    self.step_flag.clear()
                    self.stepping = True
                    break
                time.sleep(PAUSE_POLL_S)
            self.paused += time.perf_counter() - t
        return self.stop is not None and self.stop.is_set()

    def _train_step(self, idx: torch.Tensor) -> None:
        y = self.y_train[idx]
        out = self.fwd(self.batch_inputs(self.x_train[idx]))
        loss = total = self.loss_fn(out, y)
        if self.l1_weights:
            total = loss + self.config.l1 * sum(p.abs().sum() for p in self.l1_weights)
        self.opt.zero_grad(set_to_none=True)
        total.backward()
        if self.step % GRAD_EVERY == 0 or not self.grads.count:  # a pass over all
            self.grads.add()  # gradients: not every step, at least once per report
        if self.config.clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(self.params, self.config.clip_norm)
        self.opt.step()
        one_hot = self.meter.classify and y.dim() > 1  # else y holds what meter needs
        self.meter.add(loss, out, self.data.y_train[idx] if one_hot else y)

    # --- one step at a time (while paused) -------------------------------------
    def _single_step(self, epoch: int, batch: int,
                     idx: torch.Tensor) -> Iterator[Event]:
        """One batch with its numbers, then a Step and a Probe whatever the clocks
        say: each press of Step moves every view by exactly one step."""
        params = self.lp.params
        before = [p.detach().clone() for p in params]
        self._train_step(idx)
        lr = float(self.opt.param_groups[0]["lr"])
        detail = StepDetail(self.step, epoch, batch, len(idx),
                            float(self.meter.losses[-1]), lr, tuple(self.layers))
        if params:
            grads = self.lp.per_layer_norm(_norms(self.lp.grads())).cpu().double()
            deltas = [p.detach() - b for p, b in zip(params, before, strict=True)]
            change = self.lp.per_layer_norm(_norms(deltas)).cpu().double()
            detail = dataclasses.replace(detail, grad_norm=grads.numpy(),
                                         update=(lr * grads).numpy(),
                                         change=change.numpy())
        yield detail
        now, progress = self.elapsed(), epoch + batch / self.steps_per_epoch
        yield self._report(epoch, progress, now)
        if self.prober is not None:
            yield self.prober(self.step, progress, self.request)

    def _throttled(self, epoch: int, batch: int) -> Iterator[Event]:
        now = self.elapsed()
        progress = epoch + batch / self.steps_per_epoch
        if now - self.win_start >= STEP_S:
            yield self._report(epoch, progress, now)
        if self.prober and self._probe_due(now):
            probe = self._probe(progress, self.request)
            cost = self.elapsed() - now  # a slow probe is taken less often
            self.probe_gap = max(PROBE_S, cost / PROBE_BUDGET)
            yield probe

    def _probe_due(self, now: float) -> bool:
        if self.config.probe_every > 0:
            return self.step % self.config.probe_every == 0
        if now - self.last_probe < self.probe_gap:
            return False
        self.last_probe = now
        return True

    def _report(self, epoch: int, progress: float, now: float) -> Step:
        mean = self.meter.flush()
        rate = self.meter.window / max(now - self.win_start, 1e-9)
        self.win_start, self.meter.window = now, 0
        if now - self.last_snapshot >= self.snapshot_gap:
            self._snapshot(now)
        return Step(self.step, epoch, progress, mean, self.meter.seen, rate, now,
                    self.opt.param_groups[0]["lr"])

    def _snapshot(self, now: float) -> None:
        """Keep the weights if they are finite: what a diverging run hands back.
        A big model is copied less often: at most SNAPSHOT_BUDGET of the time."""
        weights = self.cpu_weights()
        floats = [v for v in weights.values() if v.is_floating_point()]
        if all(torch.isfinite(v).all() for v in floats):
            self.good_weights, self.last_snapshot = weights, now
        self.snapshot_gap = max(SNAPSHOT_S, (self.elapsed() - now) / SNAPSHOT_BUDGET)

    # --- epoch end ----------------------------------------------------------------
    def _end_epoch(self, epoch: int) -> Iterator[Event]:
        train_time = self.elapsed() - self.ep_start
        self.train_time, self.ep_start = self.train_time + train_time, None
        self.epochs_done, start = epoch + 1, self.elapsed()
        if self._epoch_due(epoch):
            if self.meter.sizes:  # else a Step at this very step went out already
                yield self._report(epoch, epoch + 1.0, start)
            yield from self._evaluate(epoch, train_time)
        if self.sched is not None:
            self.sched.step()
        self.win_start += self.elapsed() - start  # validating is not training

    def _epoch_due(self, epoch: int) -> bool:
        """Every epoch is reported unless it is tiny (under TINY_STEPS steps): then at
        most every STEP_S and always the last, since validating after each of 10,000
        one-sample epochs would double the run. Early stopping needs every validation
        loss."""
        now = self.elapsed()
        if (self.steps_per_epoch < TINY_STEPS and epoch + 1 < self.config.epochs
                and not self.config.early_stopping_patience
                and now - self.last_epoch < STEP_S):
            return False
        self.last_epoch = now
        return True

    def _evaluate(self, epoch: int, train_time: float) -> Iterator[Event]:
        """Validation, the Epoch event, confusion and mistakes, early stopping."""
        want_eval = self._eval_due(epoch)
        scores = self.scorer(self.fwd, keep_preds=want_eval)
        if not np.isfinite(scores.loss):
            raise NonFiniteLoss(self.step, scores.loss, self.meter.first)
        self.grad_means = self.grads.mean()
        self.grads.reset()  # the mean covers the epoch (tiny ones: since the last)
        yield self._epoch_event(epoch, scores, train_time)
        if want_eval and scores.pred is not None:
            yield epoch_eval(epoch + 1, self.data.y_val, scores.pred, scores.conf,
                             len(self.data.class_names))
        self._early_stopping(scores.loss)

    def _eval_due(self, epoch: int) -> bool:
        """Confusion/mistakes at most every PROBE_S (tiny data runs thousands of
        epochs a second) and always after the last epoch."""
        if self.prober is None or not self.meter.classify:
            return False
        now = self.elapsed()
        if epoch + 1 < self.config.epochs and now - self.last_eval < PROBE_S:
            return False
        self.last_eval = now
        return True

    def _epoch_event(self, epoch: int, scores, train_time: float) -> Epoch:
        m = self.meter
        n = max(m.samples, 1)
        train_acc = m.correct_sum / n if m.classify else None
        event = Epoch(epoch + 1, m.loss_sum / n, scores.loss, scores.accuracy,
                      scores.r2, train_acc, m.samples / max(train_time, 1e-9),
                      self.elapsed(), self.grad_means.copy(),
                      self.opt.param_groups[0]["lr"])
        self.last = {k: getattr(event, k) for k in LAST_EPOCH}
        return event

    def _early_stopping(self, val_loss: float) -> None:
        patience = self.config.early_stopping_patience
        if val_loss < self.best:
            self.best, self.bad_epochs = val_loss, 0
            if patience:  # a CPU copy per better epoch, only when it may be used
                best = (self.epochs_done, self.cpu_weights(), dict(self.last))
                self.best_state = best
            return
        self.bad_epochs += 1
        if patience and self.bad_epochs >= patience:
            self.reason = "early-stopped"
            self.message = phrase("early", patience=patience, best=self.best)

    # --- the end ------------------------------------------------------------------
    def _restore_best(self) -> None:
        """Early stopping hands back the best epoch's weights (and its numbers), not
        the last epoch's, and says which epoch they came from."""
        if self.reason != "early-stopped" or self.best_state is None:
            return
        epoch, weights, last = self.best_state
        self.model.load_state_dict(weights)
        self.last, self.restored_epoch = last, epoch
        self.message += text(_RESTORED).format(epoch=epoch)

    def metrics(self) -> dict[str, Any]:
        """JSON-ready summary: the last epoch's values plus the run's figures."""
        train_time = self.train_time  # training only: no validation, no setup
        if self.ep_start is not None:
            train_time += self.elapsed() - self.ep_start
        grads = self.grad_means if self.grad_means is not None else self.grads.mean()
        return {"epochs": self.epochs_done, **dict.fromkeys(LAST_EPOCH), **self.last,
                "samples_per_s": self.meter.seen / max(train_time, 1e-9),
                "device": str(self.device), "stopped_reason": None, "steps": self.step,
                "elapsed": self.elapsed(), "grad_layers": list(self.layers),
                "grad_norms": [float(g) for g in grads],
                "restored_epoch": self.restored_epoch}

    def _finished(self) -> Finished:
        self.meter.flush()
        metrics = self.metrics()
        if self.seq_prober is not None and self.step > 0:
            metrics.update(self.seq_prober.final())  # attention, grad_through_time
        if self.reason == "finished":
            self.message = finished_phrase(self.epochs_done, metrics)
        else:
            metrics["stopped_reason"] = self.message
        weights = self.cpu_weights()
        self.message += least_squares_note(self.spec, self.data, weights, metrics)
        return Finished(self.reason, self.message, self.epochs_done, self.step,
                        self.elapsed(), metrics, weights)


class Summary(dict):
    """The final metrics (a JSON-ready dict) plus the Finished event and every epoch."""

    def __init__(self, finished: Finished, epochs: list[dict[str, Any]]) -> None:
        super().__init__(finished.metrics)
        self.finished, self.epochs = finished, epochs

    @property
    def weights(self) -> dict[str, torch.Tensor] | None:
        return self.finished.weights


def fit(spec: NetworkSpec, data, config: TrainConfig, **kw: Any) -> Summary:
    """Run to the end and return the final metrics (used by the CLI and tests)."""
    epochs: list[dict[str, Any]] = []
    for event in run(spec, data, config, **kw):
        if isinstance(event, Epoch):
            epochs.append(_epoch_record(event))
    return Summary(event, epochs)  # run() always ends with one Finished


def _epoch_record(e: Epoch) -> dict[str, Any]:
    record = {k: getattr(e, k) for k in ("epoch", *LAST_EPOCH, "samples_per_s", "lr")}
    norms = e.grad_norms
    return {**record, "grad_norms": None if norms is None else norms.tolist()}
