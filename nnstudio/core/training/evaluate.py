"""Scoring a model on data: loss, accuracy or R², predictions for the confusion matrix.

Shared by the trainer (validation at every epoch end), `nnstudio evaluate` and the
studio. Everything stays on the device until one sync at the end of a pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from nnstudio.core.errors import ConfigError, SpecError
from nnstudio.core.i18n import Text, text
from nnstudio.core.network.build import require_valid
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig, validate
from nnstudio.core.training.events import EpochEval
from nnstudio.core.training.losses import LOSSES

BN_KINDS = ("BatchNorm", "Residual")  # layers that need 2+ samples per batch
CHUNK = 2048  # samples per forward when scoring: bounded memory on any device
MISTAKES = 64  # most confidently wrong validation samples sent with each EpochEval

# What training and scoring tell users, in both languages (the CLI and the window
# say the same sentence); `phrase()` picks the user's language.
_MESSAGES: dict[str, Text] = {
    "mps-absent": {"en": "device 'mps' was asked for but this machine has no Apple "
                         "GPU available",
                   "zh": "要求使用设备“mps”，但这台机器没有可用的 Apple GPU"},
    "cuda-absent": {"en": "device '{name}' was asked for but no CUDA GPU is available",
                    "zh": "要求使用设备“{name}”，但没有可用的 CUDA GPU"},
    "use-cpu": {"en": " — use --device cpu or auto",
                "zh": "——请使用 --device cpu 或 auto"},
    "no-such-gpu": {"en": "there is no GPU '{name}': this machine has {count} "
                          "(cuda:0 ...)",
                    "zh": "没有 GPU“{name}”：这台机器有 {count} 个(cuda:0 ...)"},
    "unknown-device": {"en": "unknown device '{name}': use auto, cpu, cuda, cuda:N or "
                             "mps",
                       "zh": "未知设备“{name}”：请使用 auto、cpu、cuda、cuda:N 或 mps"},
    "input-shape": {"en": "the network takes input {net} but the dataset '{data}' "
                          "gives {got} — set the input shape to the dataset's",
                    "zh": "网络的输入形状是 {net}，但数据集“{data}”给出的是 {got}——"
                          "请把输入形状设为数据集的形状"},
    "bn-batch": {"en": "BatchNorm needs at least 2 samples per batch to compute its "
                       "statistics — set the batch size to 2 or more",
                 "zh": "BatchNorm 每批至少需要 2 个样本才能计算统计量——请把批大小设为 "
                       "2 或更大"},
    "loss-task": {"en": "the loss '{loss}' needs class labels but this dataset is "
                        "regression (numbers to predict) — use mse, l1 or huber",
                  "zh": "损失函数“{loss}”需要类别标签，但这个数据集是回归(预测数值)——"
                        "请使用 mse、l1 或 huber"},
    "non-finite": {"en": "the loss became {kind} at step {step}",
                   "zh": "第 {step} 步的损失变成了 {kind}"},
    "exploded": {"en": "the loss exploded to {value:.3g} at step {step} (it started "
                       "at {first:.3g}) and is heading for Inf",
                 "zh": "第 {step} 步的损失暴涨到 {value:.3g}(起始为 {first:.3g})，"
                       "正趋向 Inf"},
    "cure": {"en": "{what} — the learning rate ({lr:g}) is probably too high: lower "
                   "it (e.g. to {lower:g}) or turn on gradient clipping (clip norm 1)",
             "zh": "{what}——学习率({lr:g})可能太大：请降低它(例如降到 {lower:g})"
                   "或开启梯度裁剪(裁剪范数 1)"},
    "oom": {"en": "the GPU ran out of memory with batch size {batch} — lower the batch "
                  "size (e.g. to {half}) or make the network smaller",
            "zh": "批大小为 {batch} 时 GPU 内存不足——请减小批大小(例如 {half})"
                  "或缩小网络"},
    "oom-cpu": {"en": "the computer ran out of memory (RAM) with batch size {batch} — "
                      "lower the batch size (e.g. to {half}) or make the network "
                      "smaller",
                "zh": "批大小为 {batch} 时电脑内存(RAM)不足——请减小批大小(例如 {half})"
                      "或缩小网络"},
    "oom-any": {"en": "the device ran out of memory — use a smaller batch size or a "
                      "smaller network",
                "zh": "设备内存不足——请使用更小的批大小或更小的网络"},
    "internal": {"en": "training failed: {error}", "zh": "训练失败：{error}"},
    "stopped": {"en": "stopped by the user", "zh": "已被用户停止"},
    "early": {"en": "stopped early: the validation loss has not improved for "
                    "{patience} epochs (best {best:.4g})",
              "zh": "提前停止：验证损失已连续 {patience} 轮没有改善(最佳 {best:.4g})"},
    "done-accuracy": {"en": "finished {epochs} epochs: validation accuracy {acc:.1%}",
                      "zh": "已完成 {epochs} 轮：验证准确率 {acc:.1%}"},
    "done-loss": {"en": "finished {epochs} epochs: validation loss {loss:.4g}",
                  "zh": "已完成 {epochs} 轮：验证损失 {loss:.4g}"},
}


def phrase(code: str, **data: object) -> str:
    """One user sentence in the user's language (NNSTUDIO_LANG, else the locale)."""
    return text(_MESSAGES[code]).format(**data)


# How an allocator says it ran out: torch's CPU allocator raises a plain RuntimeError
# ("DefaultCPUAllocator: can't allocate memory"), CUDA and MPS their own words.
_OOM_WORDS = ("out of memory", "can't allocate memory", "cannot allocate memory")


def is_out_of_memory(exc: BaseException) -> bool:
    """True for any device's out-of-memory error (CPU RAM, CUDA, MPS)."""
    if isinstance(exc, MemoryError | torch.OutOfMemoryError):
        return True
    words = str(exc).lower()
    return isinstance(exc, RuntimeError) and any(w in words for w in _OOM_WORDS)


def memory_phrase(exc: BaseException, batch_size: int | None = None) -> str:
    """The one line for an out-of-memory error: which memory ran out and what to do.

    The CLI and the window both word it here; without a batch size the advice is
    general."""
    if batch_size is None:
        return phrase("oom-any")
    gpu = isinstance(exc, torch.OutOfMemoryError) or any(
        w in str(exc) for w in ("CUDA", "MPS", "HIP")
    )
    return phrase("oom" if gpu else "oom-cpu", batch=batch_size,
                  half=max(1, batch_size // 2))


def finished_phrase(epochs: int, metrics: dict) -> str:
    """How a run that ended normally is summed up: accuracy, else the loss."""
    if metrics.get("val_accuracy") is not None:
        return phrase("done-accuracy", epochs=epochs, acc=metrics["val_accuracy"])
    return phrase("done-loss", epochs=epochs, loss=metrics["val_loss"])


class NonFiniteLoss(Exception):
    """The loss became NaN or Inf, or exploded toward Inf: `step` is the 1-based step
    that produced it, `first` the run's first loss."""

    def __init__(self, step: int, value: float, first: float = np.nan) -> None:
        super().__init__(step, value)
        self.step, self.value, self.first = step, value, first

    def describe(self, lr: float) -> str:
        """Names NaN/Inf and the step, and says what usually cures it."""
        if np.isfinite(self.value):
            what = phrase("exploded", value=self.value, step=self.step,
                           first=self.first)
        else:
            kind = "NaN" if np.isnan(self.value) else "Inf"
            what = phrase("non-finite", kind=kind, step=self.step)
        return phrase("cure", what=what, lr=lr, lower=lr / 10)


def resolve_device(name: str | None) -> torch.device:
    """`auto` (CUDA, else MPS, else CPU), `cpu`, `cuda`, `cuda:N` or `mps`.

    Raises ConfigError with advice when the device asked for is not there.
    """
    name = (name or "auto").strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", torch.cuda.current_device())
        return torch.device("mps" if _mps_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "mps":
        if not _mps_available():
            raise _absent("mps", phrase("mps-absent"))
        return torch.device("mps")
    if name == "cuda" or name.startswith("cuda:"):
        return _cuda_device(name)
    raise ConfigError(phrase("unknown-device", name=name))


def _absent(name: str, what: str) -> ConfigError:
    """The device is not here: the CLI's advice in the message; `data["what"]` lets
    the window give its own ("choose CPU in the Device box")."""
    return ConfigError(
        what + phrase("use-cpu"), "device-absent", {"name": name, "what": what}
    )


def _cuda_device(name: str) -> torch.device:
    if not torch.cuda.is_available():
        raise _absent(name, phrase("cuda-absent", name=name))
    index = name.partition(":")[2]
    if not index:
        return torch.device("cuda", torch.cuda.current_device())
    if not index.isdigit() or int(index) >= torch.cuda.device_count():
        raise ConfigError(phrase("no-such-gpu", name=name,
                                  count=torch.cuda.device_count()))
    return torch.device("cuda", int(index))


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def describe_device(device: torch.device) -> str:
    """'cpu' or 'cuda:0 (NVIDIA H100 80GB HBM3)': what the status bar shows."""
    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    return str(device)


def preflight(spec: NetworkSpec, data, config: TrainConfig) -> torch.device:
    """Refuse, before any work, everything that cannot train; return the device.

    Raises ConfigError/SpecError with one plain line (the CLI exits 2 with it);
    `nnstudio evaluate` runs the same checks before scoring.
    """
    validate(config)
    if tuple(spec.input_shape) != tuple(data.input_shape):
        raise SpecError(phrase("input-shape", net=list(spec.input_shape),
                                data=data.name, got=list(data.input_shape)))
    check_loss_fits(config.loss, data.task)
    require_valid(spec, num_outputs=data.num_outputs, loss=config.loss,
                  per_step=getattr(data, "per_step", False))
    if any(layer.kind in BN_KINDS for layer in spec.layers) and (
            config.batch_size < 2 or len(data.x_train) < 2):
        raise ConfigError(phrase("bn-batch"))
    return resolve_device(config.device)


def check_loss_fits(loss: str, task: str) -> None:
    """Refuse a loss that cannot learn from this kind of target, saying what to use."""
    if LOSSES[loss].task == "classification" and task != "classification":
        raise ConfigError(phrase("loss-task", loss=loss))


def training_targets(y: torch.Tensor, task: str, loss: str, width: int) -> torch.Tensor:
    """Targets in the form the loss wants, made once (not per batch).

    Class labels stay int64 for cross-entropy; other losses on class labels get one-hot
    float rows (a single 0/1 column for one-output binary classification).
    """
    if task != "classification" or loss == "cross-entropy":
        return y
    if width == 1:
        return y.float().unsqueeze(1)
    return nn.functional.one_hot(y, width).float()


def predictions(out: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Class and confidence per row (per step of a (batch, time, classes) output):
    argmax/softmax, or sign/sigmoid for one output."""
    if out.shape[-1] == 1:
        p = torch.sigmoid(out[..., 0])
        return (p > 0.5).long(), torch.maximum(p, 1 - p)
    conf, pred = torch.softmax(out, dim=-1).max(dim=-1)
    return pred, conf


_MODE_SENSITIVE = (nn.modules.batchnorm._BatchNorm, nn.modules.dropout._DropoutNd)


def mode_matters(model: nn.Module) -> bool:
    """Does train/eval mode change what this model computes (BatchNorm, Dropout)?"""
    return any(isinstance(m, _MODE_SENSITIVE) for m in model.modules())


def probabilities(out: torch.Tensor) -> torch.Tensor:
    """Class probabilities per row; one logit becomes the two columns (1 - p, p)."""
    if out.shape[1] == 1:
        p = torch.sigmoid(out)
        return torch.cat([1 - p, p], dim=1)
    return torch.softmax(out, dim=1)


@dataclass
class Scores:
    """One pass over a split; `pred`/`conf` stay on the device for the confusion."""

    loss: float
    samples: int
    accuracy: float | None = None
    r2: float | None = None
    pred: torch.Tensor | None = None
    conf: torch.Tensor | None = None


class Scorer:
    """Scores one split again and again (every epoch) without re-preparing it."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor, targets: torch.Tensor,
                 inputs, loss_fn: nn.Module, task: str) -> None:
        self.x, self.y, self.targets = x, y, targets
        self.inputs, self.loss_fn, self.task = inputs, loss_fn, task
        self.n = len(x)
        self.ss_tot = 0.0  # R² is undefined when the targets do not vary
        if task == "regression" and self.n > 1:
            self.ss_tot = float((y.float() - y.float().mean(dim=0)).pow(2).sum())

    @torch.no_grad()
    def __call__(self, model: nn.Module, keep_preds: bool = False) -> Scores:
        if not mode_matters(model):  # switching modes costs more than a tiny pass
            return self._pass(model, keep_preds)
        was_training = model.training
        model.eval()
        try:
            return self._pass(model, keep_preds)
        finally:
            model.train(was_training)

    def _pass(self, model: nn.Module, keep_preds: bool) -> Scores:
        sums, preds, confs = [], [], []
        keep = keep_preds and (preds, confs)
        for start in range(0, self.n, CHUNK):
            end = min(start + CHUNK, self.n)
            out = model(self.inputs(self.x[start:end]))
            loss = self.loss_fn(out, self.targets[start:end]).float() * (end - start)
            quality = self._quality(out, self.y[start:end], keep)
            sums.append(torch.stack([loss, quality]))
        total = sums[0] if len(sums) == 1 else torch.stack(sums).sum(dim=0)
        loss, quality = total.tolist()  # the one sync of the pass
        scores = Scores(loss / max(self.n, 1), self.n)
        if self.task == "classification":
            scores.accuracy = quality / max(self.n, 1)
            if keep_preds and preds:
                scores.pred, scores.conf = torch.cat(preds), torch.cat(confs)
        elif self.ss_tot > 1e-12:
            scores.r2 = 1.0 - quality / self.ss_tot
        return scores

    def _quality(self, out, y, keep) -> torch.Tensor:
        """Correct count (classification) or squared residuals (regression);
        `keep` is (preds, confs) lists to fill, or False when not wanted."""
        if self.task == "regression":
            return (out.float() - y).pow(2).sum()
        if out.dim() == 3:  # one class per step: each sample's share of right tokens
            return per_step_correct(out, y, keep)
        if keep:
            pred, conf = predictions(out)
            keep[0].append(pred)
            keep[1].append(conf)
        else:  # the cheap path: no softmax
            pred = out.argmax(1) if out.shape[1] > 1 else (out[:, 0] > 0).long()
        return (pred == y).sum().float()


def per_step_correct(out: torch.Tensor, y: torch.Tensor, keep) -> torch.Tensor:
    """Token accuracy of each sample, summed: divided by the samples it is the
    share of right tokens (all sequences have the same length)."""
    if keep:
        pred, conf = predictions(out)
        keep[0].append(pred)
        keep[1].append(conf)
    else:
        pred = out.argmax(-1)
    return (pred == y).float().mean(dim=1).sum()


def score_model(model: nn.Module, data, loss: str, device: torch.device) -> Scores:
    """Every sample of `data` (training and validation parts together)."""
    check_loss_fits(loss, data.task)
    moved = data.to(device)
    x = torch.cat([moved.x_train, moved.x_val])
    y = torch.cat([moved.y_train, moved.y_val])
    width = model_width(model, moved)
    targets = training_targets(y, data.task, loss, width)
    loss_fn = LOSSES[loss].make().to(device)
    if getattr(data, "per_step", False):
        from nnstudio.core.training.sequence_probes import PerStepLoss

        loss_fn = PerStepLoss(loss_fn)
    scorer = Scorer(x, y, targets, moved.inputs, loss_fn, data.task)
    return scorer(model.to(device))


@torch.no_grad()
def model_width(model: nn.Module, data) -> int:
    """Outputs per sample, from one forward of a single validation sample."""
    was_training = model.training
    model.eval()
    try:
        return int(model(data.inputs(data.x_val[:1])).shape[-1])
    finally:
        model.train(was_training)


def epoch_eval(epoch: int, y: torch.Tensor, pred: torch.Tensor, conf: torch.Tensor,
               classes: int) -> EpochEval:
    """Confusion matrix (rows true), per-class accuracy, the most confidently wrong
    validation samples first. Per-step targets count every token; a mistake then
    names the sample the token is in."""
    steps = y.shape[1] if y.dim() == 2 else 1
    y, pred, conf = y.reshape(-1), pred.reshape(-1), conf.reshape(-1)
    confusion = torch.bincount(y * classes + pred, minlength=classes * classes)
    wrongness = torch.where(pred != y, conf, torch.full_like(conf, -1.0))
    top, index = wrongness.topk(min(MISTAKES, len(y)))
    picked = torch.stack([index, y[index], pred[index]]).cpu().numpy()
    top = top.cpu().numpy()
    cm = confusion.view(classes, classes).cpu().numpy()
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(totals > 0, np.diag(cm) / totals, np.nan)
    mistakes = tuple((int(i) // steps, int(t), int(p), float(c))
                     for (i, t, p), c in zip(picked.T, top, strict=True) if c >= 0)
    return EpochEval(epoch, cm, per_class, mistakes)
