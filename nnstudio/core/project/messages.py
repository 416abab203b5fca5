"""What a refused project or weights file is told as, in both languages."""

from __future__ import annotations

from nnstudio.core.i18n import Text, formatter

# What a refused file is told as, in both languages (the CLI and the window say the
# same sentence); `msg()` picks the user's language when the error is raised.
MESSAGES: dict[str, Text] = {
    "named": {"en": "{name}: {reason}", "zh": "{name}：{reason}"},
    "no-file": {"en": "{name}: no such file", "zh": "{name}：文件不存在"},
    "not-project": {
        "en": "{name} is not an nnstudio project: the file is empty, corrupt or "
        "truncated",
        "zh": "{name} 不是 nnstudio 项目文件：文件为空、已损坏或不完整",
    },
    "unreadable": {
        "en": "{name} is corrupt or truncated (an entry cannot be read)",
        "zh": "{name} 已损坏或不完整（其中有一项无法读取）",
    },
    "huge-entry": {
        "en": "{name}: entry {entry} is implausibly large",
        "zh": "{name}：其中的 {entry} 大得不合常理",
    },
    "huge-total": {
        "en": "{name}: its entries would take {size:,} MB unpacked, more than any "
        "project nnstudio writes ({limit:,} MB)",
        "zh": "{name}：解压后需要 {size:,} MB，超过 nnstudio 写出的任何项目"
        "（{limit:,} MB）",
    },
    "duplicate": {
        "en": "{name}: entry {entry} appears twice — the file was not written by "
        "nnstudio and is refused",
        "zh": "{name}：{entry} 出现了两次——这个文件不是 nnstudio 写出的，已拒绝",
    },
    "not-regular": {
        "en": "{name} is not an nnstudio project: it is a folder, a pipe or a device, "
        "not a regular file",
        "zh": "{name} 不是 nnstudio 项目文件：它是文件夹、管道或设备，而不是普通文件",
    },
    "bad-version": {
        "en": "{name}: unknown file format version {version} — it was not written by "
        "this or an earlier nnstudio",
        "zh": "{name}：未知的文件格式版本 {version}——它不是由当前或更早版本的 "
        "nnstudio 写出的",
    },
    "too-deep": {
        "en": "{name}: {entry} is nested more than {depth} levels deep",
        "zh": "{name}：{entry} 的嵌套超过 {depth} 层",
    },
    "bad-data": {
        "en": "{name}: data.json is not valid ({field}) — delete that entry or save "
        "the project again from nnstudio",
        "zh": "{name}：data.json 无效（{field}）——请删除这一项，或在 nnstudio 中"
        "重新保存项目",
    },
    "newer": {
        "en": "{name} was saved by a newer nnstudio (file format {version}) — update "
        "nnstudio to open it",
        "zh": "{name} 是由更新版本的 nnstudio 保存的（文件格式 {version}）——请先更新 "
        "nnstudio 再打开它",
    },
    "wrong-form": {
        "en": "{name}: config, data or history has the wrong form",
        "zh": "{name}：训练设置、数据信息或历史记录的格式不对",
    },
    "missing-entry": {
        "en": "{name} is not a complete project: {entry} is missing",
        "zh": "{name} 不是完整的项目文件：缺少 {entry}",
    },
    "bad-json": {
        "en": "{name}: {entry} is not valid JSON",
        "zh": "{name}：{entry} 不是有效的 JSON",
    },
    "bad-weights": {
        "en": "{name}: the weights are corrupt",
        "zh": "{name}：权重已损坏",
    },
    "mismatch": {
        "en": "the weights don't match the network: {problems}",
        "zh": "权重与网络不匹配：{problems}",
    },
    "missing": {"en": "missing {keys}", "zh": "缺少 {keys}"},
    "extra": {"en": "unexpected {keys}", "zh": "多出 {keys}"},
    "shape": {
        "en": "{tensor} is {given} but the network needs {needed}",
        "zh": "{tensor} 的形状是 {given}，但网络需要 {needed}",
    },
    "sep": {"en": "; ", "zh": "；"},
    "pickle": {
        "en": "{name} was refused: it is not a plain PyTorch state_dict of tensors "
        "(files that hold other Python objects could run code, so nnstudio never "
        "loads them)",
        "zh": "{name} 被拒绝：它不是只含张量的普通 PyTorch state_dict（含有其他 Python "
        "对象的文件可能会运行代码，所以 nnstudio 从不加载这类文件）",
    },
    "not-state-dict": {
        "en": "{name} does not hold a state_dict (names to tensors)",
        "zh": "{name} 中没有 state_dict（名称到张量的映射）",
    },
}


msg = formatter(MESSAGES)
