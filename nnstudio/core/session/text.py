"""The session's words, in both languages: undo step names and why Train waits.

The window shows step names in the Edit menu ("Undo Use dataset mnist") and the CLI
and scripts print the same; kept apart from session.py because it is a content table.
"""

from __future__ import annotations

from typing import Any

from nnstudio.core.i18n import Text

STEP_NAMES: dict[str, Text] = {
    "add": {"en": "Add {kind}", "zh": "添加 {kind}"},
    "delete": {"en": "Delete {kind}", "zh": "删除 {kind}"},
    "duplicate": {"en": "Duplicate {kind}", "zh": "复制 {kind}"},
    "move": {"en": "Move {kind}", "zh": "移动 {kind}"},
    "change": {"en": "Change {kind}", "zh": "修改 {kind}"},
    "init": {"en": "Set weight init {init}", "zh": "设置权重初始化 {init}"},
    "set": {"en": "Set {field}", "zh": "设置 {field}"},
    "preset": {"en": "Load preset {name}", "zh": "加载预设 {name}"},
    "dataset": {"en": "Use dataset {name}", "zh": "使用数据集 {name}"},
    "options": {"en": "Dataset options", "zh": "数据集选项"},
    "shape": {"en": "Input shape from the dataset", "zh": "输入形状取自数据集"},
}

BLOCKERS: dict[str, Text] = {
    "running": {"en": "a run is in progress", "zh": "正在训练中"},
    "loading": {"en": "the dataset is still loading", "zh": "数据集仍在加载"},
    "no-data": {"en": "no dataset is loaded", "zh": "没有加载数据集"},
}


def step_name(key: str, **values: Any) -> Text:
    """A step's name in both languages, filled in (the Edit menu picks one)."""
    table = STEP_NAMES[key]
    return {language: words.format(**values) for language, words in table.items()}
