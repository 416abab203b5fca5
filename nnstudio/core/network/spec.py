"""NetworkSpec: the network the user designed, as plain immutable data.

The GUI edits a spec by replacing it, so the copy handed to the training thread can
never change under it. JSON carries a schema version; older versions are migrated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from nnstudio.core.errors import SpecError
from nnstudio.core.fileio import JsonTooDeep, parse_json
from nnstudio.core.i18n import Text, formatter, shown
from nnstudio.core.network.layers import LayerSpec

SCHEMA_VERSION = 1
MAX_LAYERS = 1_000  # ~7x the deepest textbook net (ResNet-152); 10^5 froze the
# window for 38 s, so longer lists are refused before any layer is read
INITS = (
    "default",
    "zeros",
    "normal",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
)
_KEYS = {
    "schema_version",
    "input_shape",
    "layers",
    "init",
    "init_std",
    "initial_weights",
}

# What a refused spec is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "not-object": {
        "en": "a network spec must be a JSON object",
        "zh": "网络结构必须是一个 JSON 对象",
    },
    "unknown-keys": {
        "en": "unknown key(s) in the network spec: {keys}",
        "zh": "网络结构中有未知的键：{keys}",
    },
    "input-shape": {
        "en": "'input_shape' must be a list of whole numbers, e.g. [1, 28, 28]",
        "zh": "'input_shape' 必须是由整数组成的列表，例如 [1, 28, 28]",
    },
    "layers": {
        "en": "'layers' must be a list of layers",
        "zh": "'layers' 必须是由层组成的列表",
    },
    "init": {
        "en": "unknown weight init '{init}': use one of {inits}",
        "zh": "未知的权重初始化方式“{init}”：请使用 {inits} 之一",
    },
    "init-std": {
        "en": "'init_std' must be a positive number within float range (got {value})",
        "zh": "'init_std' 必须是浮点范围内的正数（当前为 {value}）",
    },
    "too-many-layers": {
        "en": "the network spec has {count:,} layers; nnstudio handles up to {limit:,}",
        "zh": "网络结构有 {count:,} 层；nnstudio 最多支持 {limit:,} 层",
    },
    "too-deep": {
        "en": "the network spec is nested more than {depth} levels deep — it is not a "
        "file nnstudio wrote",
        "zh": "网络结构的嵌套超过 {depth} 层——这不是 nnstudio 写出的文件",
    },
    "initial-weights": {
        "en": "'initial_weights' must map weight names to (nested) lists of finite "
        "numbers",
        "zh": "'initial_weights' 必须把权重名称对应到由有限数字组成的（嵌套）列表",
    },
    "not-json": {
        "en": "the network spec is not valid JSON ({detail})",
        "zh": "网络结构不是有效的 JSON（{detail}）",
    },
    "schema-version": {
        "en": "'schema_version' must be a positive whole number (got {version})",
        "zh": "'schema_version' 必须是正整数（当前为 {version}）",
    },
    "newer": {
        "en": "this network was saved by a newer nnstudio (schema {version}; this one "
        "reads up to {latest}) — update nnstudio to open it",
        "zh": "这个网络是由更新版本的 nnstudio 保存的（结构版本 {version}；当前版本最多"
        "只能读取版本 {latest}）——请先更新 nnstudio 再打开它",
    },
}


_msg = formatter(_MESSAGES)


@dataclass(frozen=True)
class NetworkSpec:
    """Input shape (no batch dimension) plus the ordered layers and their init."""

    input_shape: tuple[int, ...]
    layers: tuple[LayerSpec, ...] = ()
    init: str = "default"
    init_std: float = 0.01
    initial_weights: Mapping[str, Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "input_shape", tuple(int(d) for d in self.input_shape))
        object.__setattr__(self, "layers", tuple(self.layers))

    # --- editing: every edit returns a new spec -------------------------------------
    def insert(self, index: int, layer: LayerSpec) -> NetworkSpec:
        layers = list(self.layers)
        layers.insert(index, layer)
        return replace(self, layers=tuple(layers))

    def remove(self, index: int) -> NetworkSpec:
        return replace(self, layers=self.layers[:index] + self.layers[index + 1 :])

    def replace_layer(self, index: int, layer: LayerSpec) -> NetworkSpec:
        layers = list(self.layers)
        layers[index] = layer
        return replace(self, layers=tuple(layers))

    def move(self, src: int, dst: int) -> NetworkSpec:
        """Move layer `src` so that it ends up at position `dst`."""
        layers = list(self.layers)
        layers.insert(dst, layers.pop(src))
        return replace(self, layers=tuple(layers))

    def with_input_shape(self, shape: tuple[int, ...]) -> NetworkSpec:
        return replace(self, input_shape=tuple(shape))

    def with_layers(
        self, layers: tuple[LayerSpec, ...] | list[LayerSpec]
    ) -> NetworkSpec:
        return replace(self, layers=tuple(layers))

    # --- serialization ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "input_shape": list(self.input_shape),
            "layers": [layer.to_dict() for layer in self.layers],
            "init": self.init,
            "init_std": self.init_std,
        }
        if self.initial_weights:
            data["initial_weights"] = dict(self.initial_weights)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any) -> NetworkSpec:
        if not isinstance(data, Mapping):
            raise SpecError(_msg("not-object"))
        data = migrate(dict(data))
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise SpecError(_msg("unknown-keys", keys=", ".join(unknown)))
        shape = data.get("input_shape")
        if not isinstance(shape, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) for d in shape
        ):
            raise SpecError(_msg("input-shape"))
        layers = data.get("layers")
        if not isinstance(layers, list):
            raise SpecError(_msg("layers"))
        if len(layers) > MAX_LAYERS:
            raise SpecError(
                _msg("too-many-layers", count=len(layers), limit=MAX_LAYERS)
            )
        init = data.get("init", "default")
        if init not in INITS:
            raise SpecError(_msg("init", init=_words(init), inits=", ".join(INITS)))
        std = data.get("init_std", 0.01)
        if not _finite(std) or not std > 0:
            raise SpecError(_msg("init-std", value=shown(std)))
        weights = data.get("initial_weights")
        if weights is not None and not _weights_form(weights):
            raise SpecError(_msg("initial-weights"))
        return cls(
            tuple(shape),
            tuple(LayerSpec.from_dict(item) for item in layers),
            init,
            float(std),
            weights,
        )

    @classmethod
    def from_json(cls, text: str) -> NetworkSpec:
        try:
            data = parse_json(text)
        except JsonTooDeep:
            raise SpecError(_msg("too-deep", depth=JsonTooDeep.limit())) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SpecError(_msg("not-json", detail=exc.msg)) from None
        except ValueError as exc:  # anything else json refuses, in its words
            raise SpecError(_msg("not-json", detail=shown(str(exc), 80))) from None
        return cls.from_dict(data)


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older spec dict to SCHEMA_VERSION; refuse newer ones by name."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SpecError(_msg("schema-version", version=shown(version)))
    if version > SCHEMA_VERSION:
        raise SpecError(
            _msg("newer", version=shown(version), latest=SCHEMA_VERSION)
        )
    return data


def _finite(x: Any) -> bool:
    """A real number inside float range (10**400 is an int, but no float)."""
    if not isinstance(x, int | float) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def _weights_form(weights: Any) -> bool:
    """Names to nested lists of finite numbers (checked without recursion)."""
    if not isinstance(weights, Mapping) or not all(isinstance(k, str) for k in weights):
        return False
    stack = list(weights.values())
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif not _finite(item):
            return False
    return True


def _words(value: Any) -> str:
    """A value as a message quotes it: text as typed, anything else short and safe."""
    return value if isinstance(value, str) else shown(value)
