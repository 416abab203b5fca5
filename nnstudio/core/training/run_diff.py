"""Runs in a student's words: a run's label, what differs between two runs, and the
runs worth comparing with this one (each changing one setting).

`describe_difference` names what two runs do differently ("Sigmoid vs
ReLU+BatchNorm", "SGD vs Adam"), which is what the legend of an overlay needs. It
reads the records runs.py writes. No Qt here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_dict(obj: Any) -> dict[str, Any]:
    """A spec or config (its `to_dict`), a mapping, or None as a plain dict."""
    if obj is None:
        return {}
    if hasattr(obj, "to_dict"):
        return dict(obj.to_dict())
    return dict(obj)


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
    for kind, params in _layers(as_dict(spec)):
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
    cfg, sp = as_dict(config), as_dict(spec)
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
