"""Run history: one JSON-ready record per training run, and what differs between runs.

A record is a plain dict (it goes into the project's history.json): the settings the
run used, its per-epoch metrics, a thinned-out per-step loss and gradient-norm history,
and why it stopped. `describe_difference` names what two runs do differently in the
words a student would use ("Sigmoid vs ReLU+BatchNorm", "SGD vs Adam"), which is what
the legend of an overlay needs. No Qt here.
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


def _to_dict(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    if hasattr(obj, "to_dict"):
        return dict(obj.to_dict())
    return dict(obj)


def new_record(spec: Any = None, config: Any = None, name: str = "") -> dict[str, Any]:
    """An empty record with its settings; `spec` is a NetworkSpec or its dict."""
    spec_dict = _to_dict(spec)
    return {
        "kind": "run",
        "version": RECORD_VERSION,
        "id": "",
        "name": name,
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "settings": {
            "spec": spec_dict,
            "spec_summary": spec_summary(spec_dict) if spec_dict else "",
            "config": _to_dict(config),
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


def run_label(record: Mapping[str, Any], index: int | None = None) -> str:
    """A short name for a run in a list: its name, else when and the key settings."""
    if record.get("name"):
        return str(record["name"])
    spec, config = _settings(record)
    stamp = str(record.get("started_at", ""))[-8:]  # the time of day is enough
    prefix = f"#{index + 1} " if index is not None else ""
    what = [_recipe(spec)] if spec.get("layers") else []
    if config:
        optimizer = config.get("optimizer", "")
        what.append(
            f"{OPTIMIZER_NAMES.get(optimizer, optimizer)} lr {config.get('lr')}"
        )
    return f"{prefix}{stamp} {', '.join(what)}".strip()


# --- what differs between runs --------------------------------------------------------

ACTIVATIONS = ("ReLU", "LeakyReLU", "GELU", "Sigmoid", "Tanh", "Softmax")
NORMS_AND_BLOCKS = ("BatchNorm", "LayerNorm", "Residual")
WEIGHTED = ("Linear", "Conv2d", "Residual")
OPTIMIZER_NAMES = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "adadelta": "Adadelta",
}
INIT_NAMES = {
    "kaiming_normal": "He",
    "kaiming_uniform": "He (uniform)",
    "xavier_normal": "Xavier",
    "xavier_uniform": "Xavier (uniform)",
    "normal": "normal",
    "zeros": "zero",
    "default": "default",
}
_SHORT = {
    "Linear": "out_features",
    "Conv2d": "out_channels",
    "Residual": "out_channels",
    "Dropout": "p",
}


def _layers(spec: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (lay.get("kind", "?"), dict(lay.get("params", {})))
        for lay in spec.get("layers", [])
    ]


def spec_summary(spec: Any) -> str:
    """'Linear 100 → ReLU → Linear 3': the network in one line."""
    parts = []
    for kind, params in _layers(_to_dict(spec)):
        key = _SHORT.get(kind)
        parts.append(f"{kind} {params[key]:g}" if key in params else kind)
    return " → ".join(parts)


def _recipe(spec: Mapping[str, Any]) -> str:
    """Activations, then normalizations/blocks, as they appear: 'ReLU+BatchNorm'."""
    kinds = [k for k, _ in _layers(spec)]
    acts = [k for k in dict.fromkeys(kinds) if k in ACTIVATIONS and k != "Softmax"]
    extra = [k for k in dict.fromkeys(kinds) if k in NORMS_AND_BLOCKS]
    return "+".join(acts + extra) or "no activation"


def _dropout(spec: Mapping[str, Any]) -> float:
    return max(
        (float(p.get("p", 0.5)) for k, p in _layers(spec) if k == "Dropout"),
        default=0.0,
    )


def _depth(spec: Mapping[str, Any]) -> int:
    return sum(1 for k, _ in _layers(spec) if k in WEIGHTED)


def _num_text(x: Any) -> str:
    return (
        f"{x:g}" if isinstance(x, int | float) and not isinstance(x, bool) else str(x)
    )


def _off_or(prefix: str, off: str):
    return lambda v: f"{prefix} {_num_text(v)}" if v else off


# One row per setting a student changes, most telling first:
# (key, value of a record, label of a value, phrase for two values or None).
def _settings(r: Mapping[str, Any]) -> tuple[dict, dict]:
    s = r.get("settings", {})
    return s.get("spec", {}) or {}, s.get("config", {}) or {}


def _vs(fmt: str):
    """A phrase that names the setting once: 'lr 0.1 vs 0.01'."""
    return lambda a, b: fmt.format(a=_num_text(a), b=_num_text(b))


# fmt: off
_FEATURES = (
    ("recipe", lambda sp, c: _recipe(sp), str, None),
    ("dropout", lambda sp, c: _dropout(sp), _off_or("dropout", "no dropout"),
     lambda a, b: f"dropout {_num_text(a) if a else 'none'} vs "
                  f"{_num_text(b) if b else 'none'}"),
    ("depth", lambda sp, c: _depth(sp), lambda v: f"{v} layers",
     _vs("{a} vs {b} layers")),
    ("network", lambda sp, c: spec_summary(sp), str, None),
    ("init", lambda sp, c: sp.get("init", "default"),
     lambda v: f"{INIT_NAMES.get(v, v)} init", None),
    ("optimizer", lambda sp, c: c.get("optimizer", "adam"),
     lambda v: OPTIMIZER_NAMES.get(v, v), None),
    ("lr", lambda sp, c: c.get("lr", 0.01), _off_or("lr", "lr 0"),
     _vs("lr {a} vs {b}")),
    ("momentum", lambda sp, c: c.get("momentum", 0.0),
     _off_or("momentum", "no momentum"), None),
    ("batch_size", lambda sp, c: c.get("batch_size", 32), lambda v: f"batch {v}",
     _vs("batch {a} vs {b}")),
    ("weight_decay", lambda sp, c: c.get("weight_decay", 0.0),
     _off_or("weight decay", "no weight decay"), None),
    ("l1", lambda sp, c: c.get("l1", 0.0), _off_or("L1", "no L1"), None),
    ("clip_norm", lambda sp, c: c.get("clip_norm", 0.0),
     _off_or("clip", "no clipping"), None),
    ("schedule", lambda sp, c: c.get("schedule", "none"),
     lambda v: "constant lr" if v == "none" else f"{v} schedule", None),
    ("loss", lambda sp, c: c.get("loss", "cross-entropy"), str, None),
    ("dataset", lambda sp, c: c.get("dataset", ""), str, None),
    ("epochs", lambda sp, c: c.get("epochs", 0), lambda v: f"{v} epochs",
     _vs("{a} vs {b} epochs")),
    ("seed", lambda sp, c: c.get("seed", 0), lambda v: f"seed {v}",
     _vs("seed {a} vs {b}")),
)
# fmt: on
# Named only when nothing more telling differs: the classic cure for vanishing
# gradients changes the activation and the init together, and "Sigmoid vs
# ReLU+BatchNorm" says the point; a changed depth already explains a new summary.
_SUBSUMED_BY = {"init": ("recipe",), "network": ("recipe", "dropout", "depth")}
MAX_PARTS = 2  # a legend entry, not a diff listing


def _differing(records: list[Mapping[str, Any]], subsume: bool = True) -> list[tuple]:
    settings = [_settings(r) for r in records]
    rows = []
    for key, value, label, phrase in _FEATURES:
        values = [value(sp, c) for sp, c in settings]
        if len({repr(v) for v in values}) > 1:
            rows.append((key, values, label, phrase))
    keys = {row[0] for row in rows}
    hidden = {key for key, by in _SUBSUMED_BY.items() if keys & set(by)}
    if not subsume:
        hidden.discard("init")  # a report names the init that came with the change
    return [row for row in rows if row[0] not in hidden]


def all_differences(
    a: Mapping[str, Any], b: Mapping[str, Any], everything: bool = False
) -> list[str]:
    """Differing settings as 'x vs y' phrases, most telling first.

    `everything` also names what the headline leaves implied (the init that goes with
    a new activation), for reports.
    """
    out = []
    for _key, (va, vb), label, phrase in _differing([a, b], subsume=not everything):
        out.append(phrase(va, vb) if phrase else f"{label(va)} vs {label(vb)}")
    return out


def describe_difference(a: Mapping[str, Any], b: Mapping[str, Any]) -> str:
    """What the second run does differently, in a few words: 'SGD vs Adam'."""
    parts = all_differences(a, b)[:MAX_PARTS]
    return ", ".join(parts) if parts else "same settings"


def difference_labels(records: list[Mapping[str, Any]]) -> list[str]:
    """A legend name per run that says only what sets it apart from the others."""
    rows = _differing(records)[:MAX_PARTS]
    if not rows:
        return [f"run {i + 1}" for i in range(len(records))]
    return [
        ", ".join(label(values[i]) for _k, values, label, _p in rows)
        for i in range(len(records))
    ]


# --- "Compare": the same run with one setting changed ---------------------------------


def one_setting_variants(config: Any, spec: Any) -> list[dict[str, Any]]:
    """Runs worth comparing with this one, each changing exactly one thing.

    Returns dicts {"label", "spec" (dict), "config" (dict)}; the seed is kept so the
    only difference is the one named. Specs that would not build are left out.
    """
    cfg, sp = _to_dict(config), _to_dict(spec)
    out = []
    for label, new_spec, new_cfg in [*_config_variants(cfg), *_spec_variants(sp)]:
        if new_spec is None or _builds(new_spec):
            out.append(
                {"label": label, "spec": new_spec or sp, "config": new_cfg or cfg}
            )
    return out


def _config_variants(c: dict[str, Any]) -> list[tuple]:
    opt = c.get("optimizer", "adam")
    other = "sgd" if opt != "sgd" else "adam"
    lr = float(c.get("lr", 0.01))
    batch = int(c.get("batch_size", 32))
    return [
        (
            f"{OPTIMIZER_NAMES[other]} instead of {OPTIMIZER_NAMES.get(opt, opt)}",
            None,
            {**c, "optimizer": other},
        ),
        (f"learning rate {lr * 10:g} instead of {lr:g}", None, {**c, "lr": lr * 10}),
        (f"learning rate {lr / 10:g} instead of {lr:g}", None, {**c, "lr": lr / 10}),
        (
            f"batch size {batch * 4} instead of {batch}",
            None,
            {**c, "batch_size": batch * 4},
        ),
    ]


def _spec_variants(sp: dict[str, Any]) -> list[tuple]:
    layers = list(sp.get("layers", []))
    if not layers:
        return []
    out = []
    kinds = [lay.get("kind") for lay in layers]
    for old in ("Sigmoid", "Tanh", "ReLU"):
        if old in kinds:
            new = "ReLU" if old != "ReLU" else "Tanh"
            swapped = [
                {"kind": new, "params": {}} if lay.get("kind") == old else lay
                for lay in layers
            ]
            out.append((f"{new} instead of {old}", {**sp, "layers": swapped}, None))
            break
    if "Dropout" in kinds:
        kept = [lay for lay in layers if lay.get("kind") != "Dropout"]
        out.append(("no dropout", {**sp, "layers": kept}, None))
    elif len(layers) > 1 and layers[-1].get("kind") == "Linear":
        added = [*layers[:-1], {"kind": "Dropout", "params": {"p": 0.5}}, layers[-1]]
        out.append(("dropout 0.5 before the last layer", {**sp, "layers": added}, None))
    if "BatchNorm" not in kinds:
        out.append(
            (
                "BatchNorm after each hidden layer",
                {**sp, "layers": _with_batchnorm(layers)},
                None,
            )
        )
    if sp.get("init", "default") != "kaiming_normal":
        out.append(("He init", {**sp, "init": "kaiming_normal"}, None))
    return out


def _with_batchnorm(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    last = max(i for i, lay in enumerate(layers) if lay.get("kind") in WEIGHTED)
    for i, lay in enumerate(layers):
        out.append(lay)
        if lay.get("kind") in ("Linear", "Conv2d") and i < last:
            out.append({"kind": "BatchNorm", "params": {}})
    return out


def _builds(spec: dict[str, Any]) -> bool:
    from nnstudio.core.network.shapes import check  # torch-heavy: only when asked
    from nnstudio.core.network.spec import NetworkSpec

    try:
        return check(NetworkSpec.from_dict(spec)).ok
    except Exception:  # a variant that can't even be read is simply not offered
        return False
