"""The coach: watches a run's events and names what went wrong, with the numbers.

`Coach.feed(event)` takes every event of a run (cheap: a few appends); `diagnoses()`
judges what holds now, most important first, each with its evidence and what to try,
in both languages. The CLI prints the codes at the end of a run (`--json`:
`diagnoses`), the window shows the first one as a banner with a one-click cure
(`core/training/cures.py`). No Qt here.

Every rule reads only plain numbers the loop already reports (epoch losses and
accuracies, the gradient norms, the activation probe), so a diagnosis costs the run
nothing. The thresholds below say why they are what they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnstudio.core.i18n import Text
from nnstudio.core.training.coach_words import Diagnosis
from nnstudio.core.training.events import Epoch, Finished, Probe, Started, Step
from nnstudio.core.training.gradient_diagnosis import MIN_PROBES, diagnose

# Most important first: the banner shows one at a time, and a cure further down the
# list is pointless while one above it holds (no point fighting overfitting in a run
# that diverges, or raising the learning rate of a network whose gradients vanish).
CODES = (
    "diverged",
    "exploding-gradients",
    "lr-too-high",
    "vanishing-gradients",
    "dead-relu",
    "saturated",
    "lr-too-low",
    "underfitting",
    "plateau",
    "overfitting",
)

MIN_EPOCHS = 5  # a trend needs a few epochs; a 3-epoch MNIST run is judged on less
FLAT_WINDOW = 1 / 3  # "flat" looks at the last third of the epochs...
FLAT_MIN_WINDOW = 3  # ...and at least 3 of them
FLAT_GAIN = 0.03  # the best loss improved by under 3% across that window: flat
HIGH_SHARE = 0.5  # cross-entropy still above half of guessing's log(C): high
HIGH_SHARE_OTHER = 0.5  # other losses: still above half of the first epoch's
UNDERFIT_R2 = 0.5  # regression explaining under half the variance: high
DONE_ACCURACY = 0.95  # a classifier this good on its training data is not stuck
DONE_R2 = 0.95  # nor a regression this good on validation
SPIKE_FACTOR = 3.0  # a training loss 3x that of guessing (or of the first epoch)
JUMP_FACTOR = 1.5  # an epoch whose training loss is half again the one before...
JUMP_SHARE = 0.10  # ...by at least 10% of all the progress made (noise at the floor
# of a well-trained regression doubles a 0.005 loss: that is not a jump)
JUMP_COUNT = 2  # two such jumps in the recent window: oscillating, not a blip
LOW_DROP = 0.10  # the loss fell by under 10% of its first value...
LOW_MIN_STEPS = 100  # ...over at least 100 steps...
LOW_STEADY = 0.7  # ...while still falling in 70% of the epochs: the steps are small
OVERFIT_RISE = 0.15  # validation loss 15% above its best in each of...
OVERFIT_EPOCHS = 3  # ...the last 3 epochs, the training loss still falling (a
# validation set of 50 points swings 10-15% from one epoch to the next on its own)
OVERFIT_GAP = 0.10  # or training accuracy 10 points above validation accuracy
MEMORISED_RATIO = 10.0  # or a validation loss 10x the training loss: the training
# samples are learned by heart (a healthy run keeps the two within ~3x)
DEAD_SHARE = 0.5  # half of a ReLU layer's units silent on the whole probe batch...
DEAD_RISE = 0.15  # ...15 points more than at the first look: they died in training
# (a Linear fed by non-negative inputs, e.g. after conv+ReLU, starts with ~half its
# units silent on a 32-sample batch: that is the layer's start, not a failure; when
# no early look exists, the run is given the diagnosis)
SATURATED_SHARE = 0.6  # most sigmoid/tanh outputs in the flat tails (probes.SATURATED)


@dataclass
class _EpochRow:
    train_loss: float
    val_loss: float
    train_acc: float | None
    val_acc: float | None
    val_r2: float | None


class Coach:
    """Feed it every event of a run; ask `diagnoses()` at any time."""

    def __init__(self, loss: str = "cross-entropy") -> None:
        self.loss = loss
        self.reset()

    def reset(self) -> None:
        self.classes = 0
        self.task = "classification"
        self.epochs: list[_EpochRow] = []
        self.step_losses: list[float] = []
        self.steps = 0
        self.grad_probes: list[np.ndarray] = []
        self.grad_epochs: list[np.ndarray] = []
        self.activation: Probe | None = None
        self.first_activation: Probe | None = None
        self.finished: Finished | None = None

    def feed(self, event: Any) -> None:
        """Take one event of the run (any kind; unknown ones are ignored)."""
        if isinstance(event, Started):
            self.reset()
            self.task, self.classes = event.task, len(event.class_names)
        elif isinstance(event, Step):
            self.step_losses.append(float(event.loss))
            self.steps = event.step
        elif isinstance(event, Epoch):
            self._epoch(event)
        elif isinstance(event, Probe):
            self._probe(event)
        elif isinstance(event, Finished):
            self.finished = event
            self.steps = max(self.steps, event.steps)

    def _epoch(self, e: Epoch) -> None:
        self.epochs.append(_EpochRow(float(e.train_loss), float(e.val_loss),
                                     e.train_accuracy, e.val_accuracy, e.val_r2))
        if e.grad_norms is not None and len(e.grad_norms):
            self.grad_epochs.append(np.asarray(e.grad_norms, dtype=float))

    def _probe(self, e: Probe) -> None:
        if e.grad_norm is not None and len(e.grad_norm):
            self.grad_probes.append(np.asarray(e.grad_norm, dtype=float))
        if e.act_dead is not None and e.act_layers:
            self.activation = e
            if self.first_activation is None and not e.last:
                self.first_activation = e

    # --- judging ----------------------------------------------------------------
    def diagnoses(self) -> list[Diagnosis]:
        """What holds now, most important first."""
        found = [rule(self) for rule in _RULES]
        found = [d for d in found if d is not None]
        codes = {d.code for d in found}
        found = [d for d in found if not (_HIDDEN_BY.get(d.code, set()) & codes)]
        return sorted(found, key=lambda d: CODES.index(d.code))

    def codes(self) -> list[str]:
        return [d.code for d in self.diagnoses()]

    # numbers the rules share
    def train_losses(self) -> np.ndarray:
        return np.array([r.train_loss for r in self.epochs], dtype=float)

    def chance_loss(self) -> float | None:
        """What guessing scores: log(C) for cross-entropy, else unknown."""
        if self.task == "classification" and self.loss == "cross-entropy" \
                and self.classes >= 2:
            return math.log(self.classes)
        return None

    def flat_gain(self) -> float | None:
        """How much the best training loss improved across the last third of the
        epochs, as a share of the best before it; None while too short to tell."""
        losses = self.train_losses()
        if len(losses) < MIN_EPOCHS or not np.isfinite(losses).all():
            return None
        window = max(FLAT_MIN_WINDOW, int(len(losses) * FLAT_WINDOW))
        before, recent = losses[:-window].min(), losses[-window:].min()
        return float((before - recent) / max(abs(before), 1e-12))

    def high(self) -> tuple[bool, str, float, float]:
        """Is the training loss still high? (yes, what it is compared with, the
        value, the bar)."""
        last = self.epochs[-1]
        if self.task == "regression" and last.val_r2 is not None:
            return last.val_r2 < UNDERFIT_R2, "r2", last.val_r2, UNDERFIT_R2
        chance = self.chance_loss()
        if chance is not None:
            return last.train_loss >= HIGH_SHARE * chance, "chance", last.train_loss, \
                chance
        first = self.epochs[0].train_loss
        return last.train_loss >= HIGH_SHARE_OTHER * first, "first", \
            last.train_loss, first

    def done(self) -> bool:
        last = self.epochs[-1]
        if last.train_acc is not None:
            return last.train_acc >= DONE_ACCURACY
        return last.val_r2 is not None and last.val_r2 >= DONE_R2


# --- the rules: each returns a Diagnosis or None ------------------------------------
def _diverged(c: Coach) -> Diagnosis | None:
    f = c.finished
    if f is not None and f.metrics.get("error") == "non-finite":
        return Diagnosis("diverged", {"step": f.steps, "message": f.message})
    bad = [i for i, v in enumerate(c.step_losses) if not math.isfinite(v)]
    if bad:
        return Diagnosis("diverged", {"step": c.steps, "message": "NaN"})
    return None


def _gradients(c: Coach):
    series = c.grad_probes if len(c.grad_probes) >= MIN_PROBES else c.grad_epochs
    if not series or len({len(s) for s in series}) != 1:
        return None
    return diagnose(np.stack(series))


def _exploding(c: Coach) -> Diagnosis | None:
    d = _gradients(c)
    if d is None or d.kind != "exploding":
        return None
    growth = d.growth if math.isfinite(d.growth) else float("inf")
    return Diagnosis("exploding-gradients", {"growth": growth})


def _vanishing(c: Coach) -> Diagnosis | None:
    d = _gradients(c)
    if d is None or d.kind != "vanishing":
        return None
    return Diagnosis("vanishing-gradients", {"ratio": d.ratio})


def _lr_too_high(c: Coach) -> Diagnosis | None:
    losses = c.train_losses()
    steps = np.array(c.step_losses, dtype=float)
    steps = steps[np.isfinite(steps)]
    if not len(steps):
        return None
    chance = c.chance_loss()
    ref = chance if chance is not None else float(steps[0])
    peak = float(steps.max())
    if peak > SPIKE_FACTOR * ref and (chance is not None or len(steps) > 1
                                      and steps.argmax() > 0):
        return Diagnosis("lr-too-high", {"peak": peak, "ref": ref,
                                         "factor": peak / max(ref, 1e-12)})
    jumps = _jumps(losses)
    if jumps >= JUMP_COUNT:
        return Diagnosis("lr-too-high", {"why": "jumps", "jumps": jumps,
                                         "factor": JUMP_FACTOR})
    return None


def _jumps(losses: np.ndarray) -> int:
    """Epochs in the recent window whose training loss rose sharply (see JUMP_*)."""
    if len(losses) < MIN_EPOCHS or not np.isfinite(losses).all():
        return 0
    progress = max(losses[0] - losses.min(), 1e-12)
    recent = losses[-max(MIN_EPOCHS, len(losses) // 3):]
    prev, now = recent[:-1], recent[1:]
    sharp = (now > prev * JUMP_FACTOR) & (now - prev > JUMP_SHARE * progress)
    return int(sharp.sum())


def _lr_too_low(c: Coach) -> Diagnosis | None:
    losses = c.train_losses()
    if len(losses) < MIN_EPOCHS or c.steps < LOW_MIN_STEPS:
        return None
    if not np.isfinite(losses).all() or losses[0] <= 0:
        return None
    drop = (losses[0] - losses[-1]) / losses[0]
    falling = float(np.mean(np.diff(losses) < 0))
    if drop < LOW_DROP and drop > 0 and falling >= LOW_STEADY:
        return Diagnosis("lr-too-low", {"drop": drop, "steps": c.steps,
                                        "first": float(losses[0]),
                                        "last": float(losses[-1])})
    return None


def _underfitting(c: Coach) -> Diagnosis | None:
    gain = c.flat_gain()
    if gain is None or gain >= FLAT_GAIN:
        return None
    high, against, value, bar = c.high()
    if not high:
        return None
    if against == "r2":
        return Diagnosis("underfitting", {"why": "r2", "ref": bar, "r2": value,
                                          "gain": max(gain, 0.0)})
    evidence = {"loss": value, "ref": bar, "gain": max(gain, 0.0)}
    if against == "first":
        evidence["why"] = "first"
    return Diagnosis("underfitting", evidence)


def _plateau(c: Coach) -> Diagnosis | None:
    gain = c.flat_gain()
    if gain is None or gain >= FLAT_GAIN or c.high()[0] or c.done():
        return None
    window = max(FLAT_MIN_WINDOW, int(len(c.epochs) * FLAT_WINDOW))
    return Diagnosis("plateau", {"epochs": window, "gain": max(gain, 0.0),
                                 "loss": c.epochs[-1].train_loss})


def _overfitting(c: Coach) -> Diagnosis | None:
    rows = c.epochs
    if len(rows) < 2:
        return None
    val = np.array([r.val_loss for r in rows], dtype=float)
    train = c.train_losses()
    if not (np.isfinite(val).all() and np.isfinite(train).all()):
        return None
    best = int(val.argmin())
    since = len(val) - 1 - best
    rise = val[-OVERFIT_EPOCHS:].min() / max(val[best], 1e-12) - 1
    if since >= OVERFIT_EPOCHS and rise >= OVERFIT_RISE and train[-1] < train[best]:
        return Diagnosis("overfitting", {"best_epoch": best + 1, "best": val[best],
                                         "last": val[-1], "rise": rise,
                                         "train_best": train[best],
                                         "train_last": train[-1]})
    ratio = _loss_ratio(val, train)
    if ratio is not None and ratio >= MEMORISED_RATIO:
        return Diagnosis("overfitting", {"why": "memorised", "ratio": ratio,
                                         "train": train[-1], "last": val[-1]})
    gap = _accuracy_gap(rows)
    if gap is not None and gap >= OVERFIT_GAP:
        last = rows[-1]
        return Diagnosis("overfitting", {"why": "gap", "gap": gap,
                                         "train_acc": last.train_acc,
                                         "val_acc": last.val_acc})
    return None


def _loss_ratio(val: np.ndarray, train: np.ndarray) -> float | None:
    """Validation over training loss, the median of the last 3 epochs."""
    if len(val) < MIN_EPOCHS or (train[-3:] <= 0).any():
        return None
    return float(np.median(val[-3:] / train[-3:]))


def _accuracy_gap(rows: list[_EpochRow]) -> float | None:
    """Training minus validation accuracy, averaged over the last 3 epochs (one noisy
    validation epoch is not a gap)."""
    recent = [r for r in rows[-3:] if r.train_acc is not None and r.val_acc is not None]
    if len(rows) < MIN_EPOCHS or not recent:
        return None
    return float(np.mean([r.train_acc - r.val_acc for r in recent]))


def _activations(c: Coach, which: str,
                 probe: Probe | None = None) -> tuple[str, float] | None:
    """The worst hidden layer by the probe's `act_dead`/`act_saturated` share (the
    last layer is the output: confident outputs are not saturation)."""
    p = probe or c.activation
    if p is None:
        return None
    shares = getattr(p, which)
    if shares is None:
        return None
    shares = np.asarray(shares, dtype=float)[: len(p.act_layers) - 1]
    if not np.isfinite(shares).any():
        return None
    i = int(np.nanargmax(shares))
    return p.act_layers[i], float(shares[i])


def _dead_relu(c: Coach) -> Diagnosis | None:
    worst = _activations(c, "act_dead")
    if worst is None or worst[1] < DEAD_SHARE:
        return None
    first = c.first_activation
    if first is not None and first is not c.activation:
        names = list(first.act_layers)
        if worst[0] in names:
            before = float(np.asarray(first.act_dead)[names.index(worst[0])])
            if math.isfinite(before) and worst[1] - before < DEAD_RISE:
                return None
    return Diagnosis("dead-relu", {"layer": worst[0], "share": worst[1]})


def _saturated(c: Coach) -> Diagnosis | None:
    worst = _activations(c, "act_saturated")
    if worst is None or worst[1] < SATURATED_SHARE:
        return None
    return Diagnosis("saturated", {"layer": worst[0], "share": worst[1]})


_RULES = (_diverged, _exploding, _lr_too_high, _vanishing, _dead_relu, _saturated,
          _lr_too_low, _underfitting, _plateau, _overfitting)
# A diagnosis that another one explains is left out: a diverged run's gradients and
# epochs say nothing more, and "too slow" is the cause of "stays high" when both hold.
_HIDDEN_BY: dict[str, set[str]] = {
    code: {"diverged"} for code in CODES if code != "diverged"
}
_HIDDEN_BY["underfitting"] = {"diverged", "lr-too-low"}
_HIDDEN_BY["overfitting"] = {"diverged", "lr-too-high", "underfitting", "lr-too-low"}
# (a noisy validation loss; a model that cannot fit its training data)
_HIDDEN_BY["plateau"] = {"diverged", "lr-too-low", "underfitting"}


# --- a note, not a problem ----------------------------------------------------------
EPOCH_ONE_NOTE: Text = {
    "en": "Why is epoch 1's training loss above its validation loss? The training loss "
          "is the average over the whole epoch, while the network was still learning; "
          "the validation loss is measured at the end, after all those steps.",
    "zh": "为什么第 1 轮的训练损失比验证损失高？训练损失是整轮的平均值，那时网络还在"
          "学习；验证损失是在这一轮结束、走完所有步之后才测量的。",
}


def epoch_one_note(train_loss: float, val_loss: float) -> bool:
    """Show EPOCH_ONE_NOTE? (students ask when epoch 1 trains worse than it
    validates; a later epoch doing so has other reasons, e.g. Dropout)."""
    return math.isfinite(train_loss) and math.isfinite(val_loss) \
        and train_loss > val_loss
