"""Shape checking: a dry run on the meta device, layer by layer.

torch is the source of truth for shapes and parameter counts: every layer is built on
the `meta` device (no memory, no compute) and fed a meta tensor. The catalog's
declarations only catch the common mistakes first so they can be worded plainly.
A bad stack never raises: it yields a report with problems. The problems' wording
lives in `problems.py`, the dry pass in `dry_run.py`, one-click fixes in `fixes.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import torch

from nnstudio.core.i18n import shown, text
from nnstudio.core.network.dry_run import dry_forward
from nnstudio.core.network.layers import LAYER_KINDS, LayerKind, LayerSpec, Shape
from nnstudio.core.network.problems import Problem
from nnstudio.core.network.spec import NetworkSpec

MAX_PARAMS = 200_000_000  # ~800 MB of float32 weights: beyond a student's machine
SEQUENCE_REDUCERS = ("Flatten", "LastStep", "MeanOverTime")  # sequence -> vector


@dataclass(frozen=True)
class LayerShape:
    index: int
    kind: str
    name: str
    in_shape: Shape
    out_shape: Shape
    params: int
    frozen_params: int = 0  # those training leaves alone (a frozen layer: all)


@dataclass(frozen=True)
class ShapeReport:
    input_shape: Shape
    layers: tuple[LayerShape, ...]
    problems: tuple[Problem, ...]
    total_params: int

    @property
    def frozen_params(self) -> int:
        """Parameters training leaves unchanged (frozen layers, fixed biases)."""
        return sum(r.frozen_params for r in self.layers)

    @property
    def trainable_params(self) -> int:
        return self.total_params - self.frozen_params

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def output_shape(self) -> Shape | None:
        return self.layers[-1].out_shape if self.layers and self.ok else None

    def problems_for(self, index: int) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.index == index)


def format_shape(shape: Shape) -> str:
    return "x".join(shown(d) for d in shape) if shape else "()"


def layer_name(index: int, kind: str) -> str:
    """Stable child name used by build, probes and export: "1_linear", "2_relu"."""
    return f"{index + 1}_{kind.lower()}"


def check(
    spec: NetworkSpec,
    *,
    num_outputs: int | None = None,
    loss: str | None = None,
    per_step: bool = False,
) -> ShapeReport:
    """Check a spec: per-layer output shapes and parameter counts, or problems.

    `per_step`: the data wants one answer per time step (a (time, classes) output).
    """
    if not spec.layers:
        return ShapeReport(spec.input_shape, (), (Problem(None, None, "empty"),), 0)
    if not spec.input_shape or any(d < 1 for d in spec.input_shape):
        dims = ", ".join(shown(d) for d in spec.input_shape)
        problem = Problem(None, None, "bad-input", data={"shape": f"[{dims}]"})
        return ShapeReport(spec.input_shape, (), (problem,), 0)
    shape, rows, problems = spec.input_shape, [], []
    for index, layer in enumerate(spec.layers):
        result = _guarded(index, layer, shape, spec)
        if isinstance(result, Problem):
            problems.append(result)
            break
        rows.append(result)
        shape = result.out_shape
    total = sum(r.params for r in rows)
    if not problems:
        problems += _check_network(spec, shape, total, num_outputs, loss, per_step)
    return ShapeReport(spec.input_shape, tuple(rows), tuple(problems), total)


def _guarded(
    index: int, layer: LayerSpec, shape: Shape, spec: NetworkSpec
) -> LayerShape | Problem:
    """`_check_layer`, which must never raise: a value no rule foresaw (found by the
    property test) becomes a problem on that layer instead of a traceback."""
    try:
        return _check_layer(index, layer, shape, spec)
    except Exception as exc:  # noqa: BLE001 - check() never raises
        detail = shown(str(exc) or type(exc).__name__, 160)
        data = {"shape": format_shape(shape), "detail": detail}
        return Problem(index, shown(layer.kind), "torch", data=data)


def _check_layer(
    index: int, layer: LayerSpec, shape: Shape, spec: NetworkSpec
) -> LayerShape | Problem:
    declared = LAYER_KINDS.get(layer.kind)
    if declared is None:
        return Problem(index, layer.kind, "unknown-kind")
    params = _validate_params(index, declared, layer)
    if isinstance(params, Problem):
        return params
    problem = (
        _check_sequence(index, declared, params, shape, spec)
        or _check_rank(index, declared, shape, spec)
        or _check_window(index, declared, params, shape)
    )
    if problem:
        return problem
    row = _dry_run(index, declared, params, shape)
    if isinstance(row, LayerShape) and layer.frozen:
        row = replace(row, frozen_params=row.params)
    return row


def _validate_params(
    index: int, declared: LayerKind, layer: LayerSpec
) -> dict[str, Any] | Problem:
    values: dict[str, Any] = {}
    known = {p.name for p in declared.params}
    for name in layer.params:
        if name not in known:
            return Problem(index, declared.kind, "unknown-param", data={"param": name})
    for param in declared.params:
        raw = layer.params[param.name]
        try:
            value = param.coerce(raw)
        except (TypeError, ValueError) as exc:
            data = {"param": param.name, "value": shown(raw), "reason": str(exc)}
            return Problem(index, declared.kind, "param-type", data=data)
        if not param.in_range(value):
            hi = f"<{param.max:g}" if param.max_exclusive else f"{param.max:g}"
            data = {
                "param": param.name,
                "value": shown(value),
                "lo": f"{param.min:g}",
                "hi": hi,
            }
            return Problem(index, declared.kind, "param-range", data=data)
        values[param.name] = value
    return values


def _check_rank(
    index: int, declared: LayerKind, shape: Shape, spec: NetworkSpec
) -> Problem | None:
    if declared.ranks is None or len(shape) in declared.ranks:
        return None
    data = {"shape": format_shape(shape), "size": shape[0] if shape else 0}
    if 1 in declared.ranks:  # Linear: a vector (or a sequence), not an image
        return Problem(index, declared.kind, "needs-flat", data=data)
    flattened = any(layer.kind == "Flatten" for layer in spec.layers[:index])
    code = "needs-image-flattened" if flattened and len(shape) == 1 else "needs-image"
    return Problem(index, declared.kind, code, data=data)


def _check_sequence(
    index: int,
    declared: LayerKind,
    params: dict[str, Any],
    shape: Shape,
    spec: NetworkSpec,
) -> Problem | None:
    """Sequence layers: token input first, a (time, features) input, heads that
    divide the width. Worded before torch would say it in its own terms."""
    if declared.tokens and index > 0:
        return Problem(index, declared.kind, "needs-tokens")
    if declared.ranks == (2,) and len(shape) != 2:
        data = {"shape": format_shape(shape), "size": shape[0] if shape else 0}
        if len(shape) != 1:
            return Problem(index, declared.kind, "needs-sequence-image", data=data)
        above = [layer.kind for layer in spec.layers[:index]]
        culprit = next((k for k in reversed(above) if k in SEQUENCE_REDUCERS), None)
        if culprit is None:
            return Problem(index, declared.kind, "needs-sequence-flat", data=data)
        data["culprit"] = culprit
        return Problem(index, declared.kind, "needs-sequence-flattened", data=data)
    heads = params.get("num_heads")
    if heads and len(shape) == 2 and shape[-1] % heads:
        dim = shape[-1]
        fits = [h for h in range(2, MAX_HEADS_SUGGESTED + 1) if dim % h == 0]
        choices = _or_list(fits or [1])
        data = {"dim": dim, "heads": heads, "choices": choices}
        return Problem(index, declared.kind, "heads", data=data)
    return None


MAX_HEADS_SUGGESTED = 12  # the catalog's num_heads maximum


def _or_list(values: list[int]) -> str:
    """ "2, 3, 5, 6 or 10" (the last two joined by "or", 或 in Chinese)."""
    words = [str(v) for v in values]
    if len(words) == 1:
        return words[0]
    joiner = " 或 " if text({"en": "en", "zh": "zh"}) == "zh" else " or "
    return ", ".join(words[:-1]) + joiner + words[-1]


def _check_window(
    index: int, declared: LayerKind, params: dict[str, Any], shape: Shape
) -> Problem | None:
    if "kernel_size" not in params or len(shape) != 3:
        return None
    k, pad = params["kernel_size"], params.get("padding", 0)
    h, w = shape[1] + 2 * pad, shape[2] + 2 * pad
    if k > h or k > w:
        data = {"k": k, "h": shape[1], "w": shape[2]}
        return Problem(index, declared.kind, "kernel-too-large", data=data)
    return None


def _dry_run(
    index: int, declared: LayerKind, params: dict[str, Any], shape: Shape
) -> LayerShape | Problem:
    try:
        with torch.device("meta"):
            module = declared.make(shape, params)  # building on meta is free
        dtype = torch.long if declared.tokens else torch.float32
        out = dry_forward(declared, module, params, shape, dtype)
    except Exception as exc:  # torch's own refusal, worded by the catalog
        detail = (
            str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc)
        )
        data = {"shape": format_shape(shape), "detail": detail}
        return Problem(index, declared.kind, "torch", data=data)
    out_shape = tuple(out.shape[1:])
    if any(d < 1 for d in out_shape):
        data = {"shape": format_shape(out_shape)}
        return Problem(index, declared.kind, "map-vanishes", data=data)
    count = sum(p.numel() for p in module.parameters())
    fixed = sum(p.numel() for p in module.parameters() if not p.requires_grad)
    name = layer_name(index, declared.kind)
    return LayerShape(index, declared.kind, name, shape, out_shape, count, fixed)


def _check_network(
    spec: NetworkSpec,
    out_shape: Shape,
    total: int,
    num_outputs: int | None,
    loss: str | None,
    per_step: bool = False,
) -> list[Problem]:
    problems: list[Problem] = []
    last = len(spec.layers) - 1
    if total > MAX_PARAMS:
        problems.append(
            Problem(
                None, None, "too-large", data={"params": total, "limit": MAX_PARAMS}
            )
        )
    if num_outputs is not None and (per_step or len(out_shape) == 2):
        problems += _check_sequence_output(spec, out_shape, num_outputs, per_step)
    elif num_outputs is not None:
        if len(out_shape) != 1:
            data = {"shape": format_shape(out_shape)}
            problems.append(
                Problem(last, spec.layers[last].kind, "output-not-flat", data=data)
            )
        elif out_shape[0] != num_outputs:
            data = {"got": out_shape[0], "want": num_outputs}
            problems.append(
                Problem(last, spec.layers[last].kind, "output-width", data=data)
            )
    if loss == "cross-entropy" and spec.layers[last].kind == "Softmax":
        problems.append(Problem(last, "Softmax", "softmax-before-ce", "warning"))
    return problems


def _check_sequence_output(
    spec: NetworkSpec, out_shape: Shape, num_outputs: int, per_step: bool
) -> list[Problem]:
    """A per-step task wants (time, classes); any other task wants a flat vector."""
    last = len(spec.layers) - 1
    kind = spec.layers[last].kind
    shape = format_shape(out_shape)
    if not per_step:
        return [Problem(last, kind, "output-sequence", data={"shape": shape})]
    if len(out_shape) != 2:
        steps = spec.input_shape[0]
        return [
            Problem(
                last, kind, "output-per-step", data={"shape": shape, "steps": steps}
            )
        ]
    if out_shape[-1] != num_outputs:
        data = {"got": out_shape[-1], "want": num_outputs}
        return [Problem(last, kind, "output-width", data=data)]
    return []
