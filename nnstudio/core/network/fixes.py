"""One-click fixes for shape problems: what the button says and the fixed spec.

Kept apart from the checker (`shapes.py`): a fix edits a spec, a check only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnstudio.core.i18n import Text
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.problems import Problem
from nnstudio.core.network.spec import NetworkSpec


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
