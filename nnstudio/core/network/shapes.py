"""Shape checking: a dry run on the meta device, layer by layer.

torch is the source of truth for shapes and parameter counts: every layer is built on
the `meta` device (no memory, no compute) and fed a meta tensor. The catalog's
declarations only catch the common mistakes first so they can be worded plainly.
A bad stack never raises: it yields a report with problems.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field, replace
from typing import Any

import torch

from nnstudio.core.i18n import Text, shown, text
from nnstudio.core.network.layers import LAYER_KINDS, LayerKind, LayerSpec, Shape
from nnstudio.core.network.spec import NetworkSpec

MAX_PARAMS = 200_000_000  # ~800 MB of float32 weights: beyond a student's machine
DRY_BATCH = 2  # BatchNorm needs more than one value per channel in training mode
# Small layers run their dry pass on the CPU: the meta device's first use imports
# torch._dynamo (1.5-2 s), which kept the window from being ready to train.
CPU_DRY_ELEMENTS = 4_000_000  # weights or activations: at most 16 MB each
CPU_DRY_MACS = 50_000_000  # multiply-adds of the pass: ~10-20 ms on one core
_META_FIRST_USE = threading.Lock()  # one thread pays the meta first-use import
_WARM_LOCK = threading.Lock()  # one thread imports torch._dynamo
_meta_warm = False

_MESSAGES: dict[str, Text] = {
    "empty": {
        "en": "the network has no layers — drag a layer from the palette",
        "zh": "网络中还没有层——请从层面板拖入一层",
    },
    "bad-input": {
        "en": "the input shape {shape} is not valid — every size must be 1 or more",
        "zh": "输入形状 {shape} 无效——每个维度都必须至少为 1",
    },
    "unknown-kind": {
        "en": "layer {pos}: unknown layer kind '{kind}'",
        "zh": "第 {pos} 层：未知的层类型“{kind}”",
    },
    "unknown-param": {
        "en": "layer {pos} {kind} has no parameter '{param}'",
        "zh": "第 {pos} 层 {kind} 没有参数“{param}”",
    },
    "param-type": {
        "en": "layer {pos} {kind}: {param} = {value} — {reason}",
        "zh": "第 {pos} 层 {kind}：{param} = {value}——{reason}",
    },
    "param-range": {
        "en": "layer {pos} {kind}: {param} = {value} is outside {lo} to {hi}",
        "zh": "第 {pos} 层 {kind}：{param} = {value} 超出范围 {lo} 到 {hi}",
    },
    "needs-image-flattened": {
        "en": "layer {pos} {kind} needs a 3-D input (channels, height, width) but gets a "
        "flat vector of {size} — move Flatten below it",
        "zh": "第 {pos} 层 {kind} 需要三维输入(通道, 高, 宽)，但得到的是长度为 {size} "
        "的向量——请把 Flatten 移到它下面",
    },
    "needs-image": {
        "en": "layer {pos} {kind} needs a 3-D input (channels, height, width) but gets "
        "shape {shape} — it works on images, not on this data",
        "zh": "第 {pos} 层 {kind} 需要三维输入(通道, 高, 宽)，但得到的形状是 {shape}——"
        "它只适用于图像数据",
    },
    "needs-flat": {
        "en": "layer {pos} {kind} needs a flat vector but gets {shape} — add a Flatten "
        "above it",
        "zh": "第 {pos} 层 {kind} 需要一维向量，但得到的是 {shape}——请在它上面加一个 "
        "Flatten",
    },
    "kernel-too-large": {
        "en": "layer {pos} {kind}: kernel {k}x{k} is larger than the {h}x{w} feature map",
        "zh": "第 {pos} 层 {kind}：{k}x{k} 的窗口比 {h}x{w} 的特征图还大",
    },
    "map-vanishes": {
        "en": "layer {pos} {kind} shrinks the feature map to nothing ({shape}) — remove a "
        "pooling layer or add padding",
        "zh": "第 {pos} 层 {kind} 把特征图缩小到没有了({shape})——请去掉一个池化层或加补零",
    },
    "torch": {
        "en": "layer {pos} {kind} cannot take input {shape}: {detail}",
        "zh": "第 {pos} 层 {kind} 无法接受输入 {shape}：{detail}",
    },
    "output-width": {
        "en": "the last layer gives {got} outputs but the dataset needs {want} — set "
        "out_features of the last Linear to {want}",
        "zh": "最后一层输出 {got} 个值，但数据集需要 {want} 个——请把最后一个 Linear 的 "
        "out_features 设为 {want}",
    },
    "output-not-flat": {
        "en": "the network ends with shape {shape}; the output must be a flat vector — "
        "add Flatten and a Linear layer at the end",
        "zh": "网络输出形状为 {shape}；输出必须是一维向量——请在末尾加 Flatten 和 Linear",
    },
    "softmax-before-ce": {
        "en": "layer {pos} Softmax before cross-entropy: the loss already applies softmax, "
        "so this slows learning — remove it",
        "zh": "第 {pos} 层 Softmax 位于交叉熵之前：损失函数已包含 softmax，这会减慢学习"
        "——请删除它",
    },
    "too-large": {
        "en": "the network has {params:,} parameters, more than {limit:,} — make the "
        "layers narrower",
        "zh": "网络有 {params:,} 个参数，超过 {limit:,}——请减小层的宽度",
    },
}


# --- sequences: what a sequence layer in the wrong place is told -----------------------
SEQUENCE_MESSAGES: dict[str, Text] = {
    "needs-sequence-flattened": {
        "en": "layer {pos} {kind} needs a sequence (time, features) but gets a flat "
        "vector — remove the {culprit} above it",
        "zh": "第 {pos} 层 {kind} 需要序列(时间, 特征)，但得到的是一维向量——请删除它上面的 "
        "{culprit}",
    },
    "needs-sequence-flat": {
        "en": "layer {pos} {kind} needs a sequence (time, features) but gets a flat "
        "vector of {size} — put an Embedding above it for token ids, or set the "
        "input shape to (time, features)",
        "zh": "第 {pos} 层 {kind} 需要序列(时间, 特征)，但得到的是长度为 {size} 的一维"
        "向量——词元编号请在它上面加 Embedding，否则请把输入形状设为(时间, 特征)",
    },
    "needs-sequence-image": {
        "en": "layer {pos} {kind} needs a sequence (time, features) but gets shape "
        "{shape} — it works on sequences, not on images",
        "zh": "第 {pos} 层 {kind} 需要序列(时间, 特征)，但得到的形状是 {shape}——"
        "它只适用于序列，不适用于图像",
    },
    "needs-tokens": {
        "en": "layer {pos} Embedding takes token ids, so it must be the first layer — "
        "move it to the top",
        "zh": "第 {pos} 层 Embedding 的输入是词元编号，所以它必须是第一层——请把它移到最上面",
    },
    "heads": {
        "en": "layer {pos} {kind}: embed dim {dim} is not divisible by {heads} heads — "
        "use {choices} heads, or change the width",
        "zh": "第 {pos} 层 {kind}：嵌入维度 {dim} 不能被 {heads} 个头整除——请使用 "
        "{choices} 个头，或修改宽度",
    },
    "output-sequence": {
        "en": "the network ends with a sequence {shape} but the dataset needs one answer "
        "per sample — add LastStep or MeanOverTime before the last Linear",
        "zh": "网络输出的是序列 {shape}，但数据集每个样本只需要一个答案——请在最后一个 "
        "Linear 之前加 LastStep 或 MeanOverTime",
    },
    "output-per-step": {
        "en": "the dataset needs one answer per time step ({steps} steps) but the "
        "network ends with {shape} — remove LastStep/MeanOverTime/Flatten so a Linear "
        "acts on every step",
        "zh": "数据集每个时间步都需要一个答案(共 {steps} 步)，但网络输出的是 {shape}——"
        "请删除 LastStep/MeanOverTime/Flatten，让 Linear 作用于每一步",
    },
}
_MESSAGES.update(SEQUENCE_MESSAGES)
SEQUENCE_REDUCERS = ("Flatten", "LastStep", "MeanOverTime")  # sequence -> vector


_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")  # a template field, format spec and all


@dataclass(frozen=True)
class Problem:
    """A structured problem; `message()` words it in the user's language."""

    index: int | None
    kind: str | None
    code: str
    severity: str = "error"  # "error" | "warning"
    data: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        template = text(_MESSAGES[self.code], language)
        pos = self.index + 1 if self.index is not None else ""
        values = {"pos": pos, "kind": self.kind, **self.data}
        try:
            return template.format(**values)
        except (ValueError, OverflowError):  # a 10^5000 dimension has no str
            plain = {k: v if isinstance(v, str) else shown(v) for k, v in values.items()}
            return _FIELD.sub(lambda m: plain.get(m.group(1), m.group(0)), template)

    def __str__(self) -> str:
        return self.message()


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
        out = _small_cpu_forward(declared, module, params, shape, dtype)
        if out is None:
            out = _meta_forward(module, shape, dtype)
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


def _meta_forward(
    module: torch.nn.Module, shape: Shape, dtype: torch.dtype = torch.float32
) -> torch.Tensor:
    """The forward pass on the meta device. Its first use runs torch's Python
    reference ops, which import torch._dynamo (1.5-2 s): one thread at a time pays
    it (`warm_up_meta`), so a check never races another thread's import."""
    global _meta_warm
    if not _meta_warm:
        warm_torch_imports()
        with _META_FIRST_USE:
            with torch.device("meta"):
                out = module(torch.zeros((DRY_BATCH, *shape), dtype=dtype))
            _meta_warm = True
            return out
    with torch.device("meta"):
        return module(torch.zeros((DRY_BATCH, *shape), dtype=dtype))


def warm_torch_imports() -> None:
    """Import torch._dynamo (and sympy, which it pulls in) once, with Python's
    cyclic garbage collector paused. Safe from any thread; a no-op once done.

    torch imports them on first use (the first optimizer, the first meta-device op),
    which can be in the training thread. Done there while the GUI thread painted,
    it hung the process with the GIL held (1 run in 3 of tests/ui/test_training.py;
    the stacks: the worker inside this import, the GUI thread in a paintEvent).
    The likely cause: the import allocates enough for a full collection in the
    worker, which frees Qt objects of closed windows outside the GUI thread. With
    collection paused during the import, that run passed 8 times in 8.
    """
    import gc
    import sys

    if "torch._dynamo" in sys.modules:
        return
    with _WARM_LOCK:
        if "torch._dynamo" in sys.modules:
            return
        enabled = gc.isenabled()
        gc.disable()
        try:
            import torch._dynamo  # noqa: F401
        finally:
            if enabled:
                gc.enable()


def warm_up_meta() -> None:
    """Pay the meta device's first-use cost now (a background thread after the
    window is ready); checks of big layers meanwhile wait for it, not race it."""
    with torch.device("meta"):
        module = torch.nn.Sequential(
            torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.BatchNorm1d(4)
        )
    _meta_forward(module, (4,))


def _small_cpu_forward(
    declared: LayerKind,
    module: torch.nn.Module,
    params: dict[str, Any],
    shape: Shape,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor | None:
    """The forward pass on the CPU when it is small, else None.

    Still torch's answer, not a formula: the layer is built again on the CPU (the
    meta-built `module` only tells its size; moving it with `to_empty` would hit
    the reference ops too) and runs on a zero batch, in milliseconds. Bounds come
    from the parameters that can enlarge the output (features, channels, padding,
    pooled size); a refusal here is asked again on meta so problems are worded
    exactly as before.
    """
    weights = sum(p.numel() for p in module.parameters())
    steps, width = _output_bound(declared, params, shape, weights)
    if (
        weights > CPU_DRY_ELEMENTS
        or DRY_BATCH * max(math.prod(shape), steps * width) > CPU_DRY_ELEMENTS
        or DRY_BATCH * weights * steps > CPU_DRY_MACS
    ):
        return None
    try:
        # the real init draws from the global RNG: a check must not change what a
        # seeded run draws next (weights, dropout masks)
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            real = declared.make(shape, params)
            return real(torch.zeros((DRY_BATCH, *shape), dtype=dtype))
    except Exception:  # noqa: BLE001 - worded by the meta pass
        return None


def _output_bound(
    declared: LayerKind, params: dict[str, Any], shape: Shape, weights: int
) -> tuple[int, int]:
    """(positions, values per position) that bound one sample's output: pixels
    (padding and sizes included) or time steps, times channels or features. An
    output channel or feature needs a weight, so input width + weights bounds
    them where the parameters do not say."""
    if len(shape) == 3:
        pad = params.get("padding", 0)
        size = max(params.get("output_size", 0), params.get("size", 0))
        area = max(shape[1] + 2 * pad, size) * max(shape[2] + 2 * pad, size)
        return area, _channels_bound(params, shape, weights)
    if len(shape) == 2:  # (time, features)
        return shape[0], shape[1] + weights
    if declared.tokens:  # (time,) token ids
        return shape[0], max(1, weights)
    return 1, max(shape[0] if shape else 1, params.get("out_features") or 0)


def _channels_bound(params: dict[str, Any], shape: Shape, weights: int) -> int:
    """At least the output channels of an image layer: the declared ones (Conv2d,
    Residual, DenseBlock's growth), else input channels + weights (an output
    channel needs a weight), which sends an unknown big layer to the meta pass."""
    if "out_channels" in params or "growth_rate" in params:
        grown = params.get("growth_rate", 0) * params.get("layers", 0)
        return shape[0] + (params.get("out_channels") or 0) + grown
    return shape[0] + weights


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


@dataclass(frozen=True)
class Fix:
    """A one-click fix: what the button says (both languages) and the fixed spec."""

    label: Text
    spec: NetworkSpec


_FIX_LABELS: dict[str, Text] = {
    "needs-flat": {"en": "Insert Flatten", "zh": "插入 Flatten"},
    "needs-image-flattened": {"en": "Move Flatten", "zh": "移动 Flatten"},
    "output-width": {"en": "Set outputs to {want}", "zh": "把输出数设为 {want}"},
    "needs-sequence-flattened": {"en": "Remove {culprit}", "zh": "删除 {culprit}"},
}


def fixes_for(spec: NetworkSpec, problem: Problem) -> tuple[Fix, ...]:
    """Every obvious one-click fix of `problem`, best first (often none)."""
    if problem.code == "kernel-too-large":
        return _window_fixes(spec, problem)
    fixed = _fixed_spec(spec, problem)
    if fixed is None:
        return ()
    label = {k: v.format(**problem.data) for k, v in _FIX_LABELS[problem.code].items()}
    return (Fix(label, fixed),)


def suggest_fix(spec: NetworkSpec, problem: Problem) -> NetworkSpec | None:
    """The best one-click fix's spec, or None."""
    fixes = fixes_for(spec, problem)
    return fixes[0].spec if fixes else None


def _fixed_spec(spec: NetworkSpec, problem: Problem) -> NetworkSpec | None:
    if problem.code == "needs-flat" and problem.index is not None:
        return spec.insert(problem.index, LayerSpec("Flatten"))
    if problem.code == "needs-image-flattened" and problem.index is not None:
        kinds = [layer.kind for layer in spec.layers]
        src = max(i for i in range(problem.index) if kinds[i] == "Flatten")
        later = [i for i in range(problem.index, len(kinds)) if kinds[i] == "Linear"]
        dst = (later[0] if later else len(kinds)) - 1  # just above the first Linear
        return spec.move(src, dst)
    if problem.code == "needs-sequence-flattened" and problem.index is not None:
        kinds = [layer.kind for layer in spec.layers[: problem.index]]
        return spec.remove(len(kinds) - 1 - kinds[::-1].index(problem.data["culprit"]))
    last = spec.layers[-1] if spec.layers else None
    if problem.code == "output-width" and last is not None and last.kind == "Linear":
        want = problem.data["want"]  # the width the dataset needs from the last layer
        return spec.replace_layer(
            len(spec.layers) - 1, last.with_params(out_features=want)
        )
    return None


POOLS = ("MaxPool2d", "AvgPool2d")


def _window_fixes(spec: NetworkSpec, problem: Problem) -> tuple[Fix, ...]:
    """A kernel larger than its feature map: pad the map up to the kernel, shrink
    the kernel down to the map, or drop the last pooling layer before it (the map
    it shrank is then twice as big)."""
    i = problem.index
    if i is None or not 0 <= i < len(spec.layers):
        return ()
    layer, (k, h, w) = spec.layers[i], (problem.data[x] for x in ("k", "h", "w"))
    fixes: list[Fix] = []
    if "padding" in layer.params:
        pad = -(-(k - min(h, w)) // 2)
        fixes.append(
            Fix(
                {"en": f"Padding {pad}", "zh": f"补零 {pad}"},
                spec.replace_layer(i, layer.with_params(padding=pad)),
            )
        )
    small = min(h, w)
    if small >= 1:
        params = {"kernel_size": small}
        if "stride" in layer.params and layer.params.get("stride") in (None, k):
            params["stride"] = small  # a pool whose stride follows its kernel
        fixes.append(
            Fix(
                {"en": f"Kernel {small}x{small}", "zh": f"卷积核 {small}x{small}"},
                spec.replace_layer(i, layer.with_params(**params)),
            )
        )
    pools = [j for j in range(i) if spec.layers[j].kind in POOLS]
    if pools:
        fixes.append(
            Fix(
                {"en": "One pooling layer fewer", "zh": "少一个池化层"},
                spec.remove(pools[-1]),
            )
        )
    return tuple(fixes)
