"""Turn what a user names on the command line into a spec (and its settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nnstudio.core.errors import SpecError
from nnstudio.core.fileio import NotRegularFile, open_regular
from nnstudio.core.i18n import Text, formatter, text
from nnstudio.core.network.presets import PRESETS, get_preset
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import EXTENSION, Project, load_project
from nnstudio.core.training.config import TrainConfig


@dataclass
class Resolved:
    spec: NetworkSpec
    config: TrainConfig
    project: Project | None = None


# What an unreadable spec file is told as, in both languages (the OS's reason stays
# as it says it); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "unreadable": {
        "en": "cannot read {name}: {reason}",
        "zh": "无法读取 {name}：{reason}",
    },
}


_NOT_REGULAR: Text = {"en": "not a regular file (a folder, a pipe or a device)",
                      "zh": "不是普通文件（而是文件夹、管道或设备）"}
_TOO_BIG: Text = {"en": "larger than any network spec", "zh": "比任何网络结构文件都大"}
MAX_SPEC_BYTES = 64 << 20  # as a project's JSON entry (MAX_JSON_BYTES)
_msg = formatter(_MESSAGES)


def resolve_net(net: str) -> Resolved:
    """NET is a preset name, a spec .json file or a .nnstudio project."""
    path = Path(net)
    if net in PRESETS:
        preset = get_preset(net)
        return Resolved(preset.spec, preset.train_config())
    if path.suffix.lower() == EXTENSION:
        project = load_project(path)
        return Resolved(project.spec, TrainConfig.from_dict(project.config), project)
    if path.suffix.lower() == ".json":
        try:
            with open_regular(path) as handle:  # a FIFO would block forever
                body = handle.read(MAX_SPEC_BYTES + 1).decode("utf-8")
        except NotRegularFile:
            reason = text(_NOT_REGULAR)
            raise SpecError(_msg("unreadable", name=path.name, reason=reason)) from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise SpecError(_msg("unreadable", name=path.name, reason=reason)) from None
        if len(body) > MAX_SPEC_BYTES:
            reason = text(_TOO_BIG)
            raise SpecError(_msg("unreadable", name=path.name, reason=reason))
        spec = NetworkSpec.from_json(body)
        return Resolved(spec, TrainConfig())
    get_preset(net)  # raises the "unknown preset" message listing the names
    raise AssertionError("unreachable")
