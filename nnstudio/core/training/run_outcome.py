"""How a run's ending is worded: a failure of any kind, the least-squares note.

`run()` turns every exception into one Finished event through `failure`, so the
GUI, the CLI and the tests all read a failed run the same way.
"""

from __future__ import annotations

from typing import Any

from nnstudio.core.errors import NNStudioError
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.evaluate import (
    NonFiniteLoss,
    is_out_of_memory,
    memory_phrase,
    phrase,
)
from nnstudio.core.training.events import Finished


def failure(exc: Exception, trainer, config: TrainConfig) -> Finished:
    """The Finished event of a run that raised `exc`, in plain words."""
    try:
        metrics: dict[str, Any] = trainer.metrics() if trainer else {}
    except Exception:  # a broken device may refuse even this
        metrics = {}
    if isinstance(exc, NonFiniteLoss):
        message = exc.describe(config.lr)
        metrics["error"] = "non-finite"
    elif is_out_of_memory(exc):  # CPU RAM too, not only CUDA
        message = memory_phrase(exc, config.batch_size)
        metrics["error"] = "out-of-memory"
    elif isinstance(exc, NNStudioError):
        message = str(exc)
        metrics["error"] = exc.code
    else:
        detail = (str(exc).strip().splitlines() or [""])[0][:200]
        message = phrase("internal", error=f"{type(exc).__name__}: {detail}")
        metrics["error"] = "internal"
    metrics["stopped_reason"] = message
    if trainer is None:
        return Finished("failed", message, 0, 0, 0.0, metrics)
    return Finished("failed", message, trainer.epochs_done, trainer.step,
                    trainer.elapsed(), metrics, trainer.good_weights)


def least_squares_note(spec, data, weights, metrics: dict[str, Any]) -> str:
    """A single Linear layer on a regression is linear regression: put the
    least-squares weight and bias next to the learned ones (house-price)."""
    from nnstudio.core.i18n import text
    from nnstudio.core.lessons.least_squares import compare

    fit_ = compare(spec, data, weights)
    if fit_ is None:
        return ""
    metrics["least_squares"] = fit_
    shown = ", ".join(f"{v:.4g}" for v in fit_["weight"] + fit_["bias"])
    exact = ", ".join(f"{v:.4g}" for v in
                      fit_["least_squares_weight"] + fit_["least_squares_bias"])
    return text({"en": f" — weight, bias {shown} (least squares: {exact})",
                 "zh": f"——权重、偏置 {shown}（最小二乘解：{exact}）"})
