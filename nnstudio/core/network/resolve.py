"""Turn what a user names on the command line into a spec (and its settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nnstudio.core.errors import SpecError
from nnstudio.core.i18n import Text, formatter
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
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise SpecError(_msg("unreadable", name=path.name, reason=reason)) from None
        spec = NetworkSpec.from_json(body)
        return Resolved(spec, TrainConfig())
    get_preset(net)  # raises the "unknown preset" message listing the names
    raise AssertionError("unreachable")
