"""Run history: one JSON-ready record per training run.

A record is a plain dict (it goes into the project's history.json): the settings the
run used, its per-epoch metrics, a thinned-out per-step loss and gradient-norm history,
and why it stopped. What differs between runs, in a student's words, is in
run_diff.py. No Qt here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from nnstudio.core.training.events import (
    Epoch,
    EpochEval,
    Finished,
    Probe,
    Started,
    Step,
)
from nnstudio.core.training.run_diff import as_dict, spec_summary
from nnstudio.core.training.thinning import ThinnedList

RECORD_VERSION = 1
MAX_POINTS = 500  # per series in a record: enough for a curve, small in history.json


def _num(x: Any) -> float | None:
    """JSON has no NaN/inf: store them as null."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _nums(values: Any) -> list[float | None] | None:
    return None if values is None else [_num(v) for v in values]


def new_record(spec: Any = None, config: Any = None, name: str = "") -> dict[str, Any]:
    """An empty record with its settings; `spec` is a NetworkSpec or its dict."""
    spec_dict = as_dict(spec)
    return {
        "kind": "run",
        "version": RECORD_VERSION,
        "id": "",
        "name": name,
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "settings": {
            "spec": spec_dict,
            "spec_summary": spec_summary(spec_dict) if spec_dict else "",
            "config": as_dict(config),
        },
        "device": "",
        "task": "",
        "class_names": [],
        "param_layers": [],
        "epochs": [],
        "steps": {"step": [], "progress": [], "loss": []},
        "grad_norms": {"step": [], "layers": [], "values": []},
        "stopped_reason": "",
        "message": "",
        "final": {},
        "elapsed": 0.0,
        "steps_done": 0,
        "epochs_done": 0,
    }


class RunRecorder:
    """Feed it every event of one run; `record` is the JSON-ready result.

    Cheap per event (a list append at most), so it can listen even while its view is
    hidden: every run is kept, watched or not.
    """

    def __init__(self, spec: Any = None, config: Any = None, name: str = "") -> None:
        self.record = new_record(spec, config, name)
        self._steps: ThinnedList[list] = ThinnedList(MAX_POINTS)
        self._grads: ThinnedList[list] = ThinnedList(MAX_POINTS)
        self._epochs: ThinnedList[list] = ThinnedList(MAX_POINTS)
        self.done = False

    def feed(self, event: Any) -> dict[str, Any] | None:
        """Take one event; return the finished record on `Finished`, else None."""
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event)
        return self.finish() if isinstance(event, Finished) else None

    def _started(self, e: Started) -> None:
        r = self.record
        r.update(
            id=e.run_id,
            device=e.device,
            task=e.task,
            steps_per_epoch=e.steps_per_epoch,
            class_names=list(e.class_names),
            param_layers=list(e.param_layers),
        )
        r["grad_norms"]["layers"] = list(e.param_layers)

    def _step(self, e: Step) -> None:
        self._steps.add([e.step, _num(e.progress), _num(e.loss)])

    def _epoch(self, e: Epoch) -> None:
        """Thinned like the steps: a tiny dataset runs thousands of epochs a minute,
        and a list that grows per epoch grows the process and history.json with it.
        The latest epoch is always last, so the record's final numbers are current."""
        row = {
            "epoch": e.epoch,
            "train_loss": _num(e.train_loss),
            "val_loss": _num(e.val_loss),
            "val_accuracy": _num(e.val_accuracy),
            "val_r2": _num(e.val_r2),
            "train_accuracy": _num(e.train_accuracy),
            "samples_per_s": _num(e.samples_per_s),
            "elapsed": _num(e.elapsed),
            "lr": _num(getattr(e, "lr", None)),
            "grad_norms": _nums(getattr(e, "grad_norms", None)),
        }
        self._epochs.add(row)
        kept = self._epochs.items
        self.record["epochs"] = kept if kept[-1] is row else [*kept, row]

    def _probe(self, e: Probe) -> None:
        if e.grad_norm is None:
            return
        if e.param_layers:
            self.record["grad_norms"]["layers"] = list(e.param_layers)
        self._grads.add([e.step, [_num(v) for v in e.grad_norm]])

    def _eval(self, e: EpochEval) -> None:
        self.record["per_class_accuracy"] = [_num(v) for v in e.per_class_accuracy]

    def _finished(self, e: Finished) -> None:
        self.record.update(
            stopped_reason=e.reason,
            message=e.message,
            elapsed=_num(e.elapsed),
            steps_done=e.steps,
            epochs_done=e.epochs_done,
            final={k: _json_value(v) for k, v in e.metrics.items()},
        )

    def finish(self) -> dict[str, Any]:
        """Write the thinned series into the record (also usable mid-run)."""
        rows = self._steps.items
        self.record["steps"] = {
            "step": [r[0] for r in rows],
            "progress": [r[1] for r in rows],
            "loss": [r[2] for r in rows],
        }
        grads = self._grads.items
        self.record["grad_norms"]["step"] = [r[0] for r in grads]
        self.record["grad_norms"]["values"] = [r[1] for r in grads]
        self.done = self.done or bool(self.record["stopped_reason"])
        return self.record


_HANDLERS = {
    Started: RunRecorder._started,
    Step: RunRecorder._step,
    Epoch: RunRecorder._epoch,
    Probe: RunRecorder._probe,
    EpochEval: RunRecorder._eval,
    Finished: RunRecorder._finished,
}


def _json_value(v: Any) -> Any:
    if isinstance(v, bool | str) or v is None:
        return v
    if isinstance(v, int | float):
        return _num(v)
    if isinstance(v, Mapping):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    try:
        return _num(float(v))
    except (TypeError, ValueError):
        return str(v)


def from_history_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A history.json entry as a record: ours as is, the trainer's summary converted."""
    if entry.get("kind") == "run":
        return dict(entry)
    record = new_record(None, entry.get("settings") or {})
    record.update(
        id=str(entry.get("id") or entry.get("finished_at") or ""),
        started_at=str(entry.get("finished_at", "")),
        epochs=list(entry.get("epochs") or []),
        stopped_reason=str(entry.get("stopped_reason") or entry.get("reason") or ""),
        device=str(entry.get("device") or ""),
    )
    return record


def continue_record(previous: Mapping[str, Any],
                    more: Mapping[str, Any]) -> dict[str, Any]:
    """One record for a run and its continuation ("Train N more epochs",
    `train --resume`): the new epochs and steps are numbered after the old ones, the
    end is the continuation's, and `continued_at` lists the epochs it resumed at."""
    old = from_history_entry(previous)
    done, steps_done = int(old.get("epochs_done") or 0), int(old.get("steps_done") or 0)
    if not done and old.get("epochs"):
        done = int(old["epochs"][-1].get("epoch") or 0)
    merged = dict(old)
    merged["epochs"] = [*old.get("epochs", []),
                        *({**e, "epoch": e["epoch"] + done} for e in more["epochs"])]
    s_old, s_new = old.get("steps") or {}, more["steps"]
    merged["steps"] = {
        "step": [*s_old.get("step", []), *(s + steps_done for s in s_new["step"])],
        "progress": [*s_old.get("progress", []),
                     *(None if p is None else p + done for p in s_new["progress"])],
        "loss": [*s_old.get("loss", []), *s_new["loss"]],
    }
    g_old, g_new = old.get("grad_norms") or {}, more["grad_norms"]
    merged["grad_norms"] = {
        "layers": g_new.get("layers") or g_old.get("layers", []),
        "step": [*g_old.get("step", []), *(s + steps_done for s in g_new["step"])],
        "values": [*g_old.get("values", []), *g_new["values"]],
    }
    for key in ("stopped_reason", "message", "final", "per_class_accuracy",
                "grad_norm_summary"):
        if key in more:
            merged[key] = more[key]
    merged["elapsed"] = (old.get("elapsed") or 0.0) + (more.get("elapsed") or 0.0)
    merged["steps_done"] = steps_done + int(more.get("steps_done") or 0)
    merged["epochs_done"] = done + int(more.get("epochs_done") or 0)
    merged["continued_at"] = [*old.get("continued_at", []), done]
    return merged
