"""A run as something a student can hand in: a folder with report.md and pictures.

The UI renders its views to PNG bytes and passes them in; this module only writes
files, so it has no Qt. TensorBoard event files are optional: written only when the
`tensorboard` package is installed, otherwise the caller gets a plain sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nnstudio.core.errors import NNStudioError
from nnstudio.core.fileio import atomic_write_bytes
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.training.run_diff import all_differences, describe_difference

MAX_EPOCH_ROWS = 25  # a table a reader can take in; longer runs are thinned evenly
_SETTINGS = (  # (config key, label)
    ("dataset", "Dataset"),
    ("loss", "Loss"),
    ("optimizer", "Optimizer"),
    ("lr", "Learning rate"),
    ("momentum", "Momentum"),
    ("batch_size", "Batch size"),
    ("epochs", "Epochs"),
    ("weight_decay", "Weight decay"),
    ("l1", "L1 penalty"),
    ("clip_norm", "Gradient clipping"),
    ("schedule", "LR schedule"),
    ("early_stopping_patience", "Early-stopping patience"),
    ("seed", "Seed"),
)

# What a failed export is told as, in both languages (the OS's reason stays as it
# says it); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "tensorboard": {
        "en": "TensorBoard files need the 'tensorboard' package: install the export "
        "extras with \"pip install -e '.[export]'\" in the nnstudio folder (or "
        "'pip install tensorboard') and export again",
        "zh": "导出 TensorBoard 文件需要 'tensorboard' 包：请在 nnstudio 文件夹中运行 "
        "\"pip install -e '.[export]'\" 安装导出扩展(或 'pip install tensorboard')，"
        "然后再导出",
    },
    "graph": {
        "en": "TensorBoard could not trace the network's graph: {detail}",
        "zh": "TensorBoard 无法追踪网络的计算图：{detail}",
    },
    "no-folder": {
        "en": "cannot create the folder {folder}: {reason}",
        "zh": "无法创建文件夹 {folder}：{reason}",
    },
}


_msg = formatter(_MESSAGES)


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "view"


def settings_table(run: Mapping[str, Any]) -> list[str]:
    settings = run.get("settings", {})
    config = settings.get("config", {})
    spec = settings.get("spec", {})
    rows = [
        ("Network", settings.get("spec_summary") or "–"),
        ("Input shape", " x ".join(map(str, spec.get("input_shape", []))) or "–"),
        ("Weight init", spec.get("init", "default")),
    ]
    rows += [(label, _fmt(config[key])) for key, label in _SETTINGS if key in config]
    rows.append(("Device", run.get("device") or "–"))
    return ["| Setting | Value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]


def results_section(run: Mapping[str, Any]) -> list[str]:
    epochs = run.get("epochs", [])
    last = epochs[-1] if epochs else {}
    lines = [
        f"- Stopped: {run.get('stopped_reason') or 'still running'}"
        + (f" — {run['message']}" if run.get("message") else ""),
        f"- Epochs: {run.get('epochs_done', len(epochs))}, steps: "
        f"{run.get('steps_done', 0)}, time: {_fmt(run.get('elapsed'))} s",
    ]
    for key, label in (
        ("train_loss", "Training loss"),
        ("val_loss", "Validation loss"),
        ("val_accuracy", "Validation accuracy"),
        ("val_r2", "Validation R²"),
    ):
        if last.get(key) is not None:
            lines.append(f"- {label}: {_fmt(last[key])}")
    return lines


def epoch_table(run: Mapping[str, Any]) -> list[str]:
    epochs = run.get("epochs", [])
    if not epochs:
        return ["No epoch finished."]
    step = max(1, -(-len(epochs) // MAX_EPOCH_ROWS))
    shown = epochs[::step]
    if shown[-1] is not epochs[-1]:
        shown.append(epochs[-1])
    lines = ["| Epoch | Train loss | Val loss | Val accuracy |", "|---|---|---|---|"]
    lines += [
        f"| {e.get('epoch')} | {_fmt(e.get('train_loss'))} | "
        f"{_fmt(e.get('val_loss'))} | {_fmt(e.get('val_accuracy'))} |"
        for e in shown
    ]
    return lines


def render_report(
    run: Mapping[str, Any],
    images: Mapping[str, str] | None = None,
    compared_with: Mapping[str, Any] | None = None,
) -> str:
    """The Markdown text; `images` maps a title to a file name beside report.md."""
    title = run.get("name") or "Training run"
    lines = [
        f"# {title}",
        "",
        f"Run `{run.get('id', '')}`, started {run.get('started_at', '')}.",
        "",
        "## Settings",
        "",
        *settings_table(run),
        "",
        "## Results",
        "",
        *results_section(run),
        "",
        "### Per epoch",
        "",
        *epoch_table(run),
        "",
    ]
    if compared_with is not None:
        lines += [
            "## What differed",
            "",
            f"Compared with run `{compared_with.get('id', '')}`: "
            f"**{describe_difference(compared_with, run)}**.",
            "",
        ]
        lines += [
            f"- {d}" for d in all_differences(compared_with, run, everything=True)
        ]
        lines.append("")
    for caption, fname in (images or {}).items():
        lines += [f"## {caption}", "", f"![{caption}]({fname})", ""]
    return "\n".join(lines)


def write_report(
    folder: str | Path,
    run: Mapping[str, Any],
    images: Mapping[str, bytes] | None = None,
    compared_with: Mapping[str, Any] | None = None,
) -> Path:
    """Write report.md plus one PNG per image title into `folder`; return report.md.

    `images` maps a caption ("Gradients") to PNG bytes rendered by the UI.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NNStudioError(
            _msg("no-folder", folder=folder, reason=exc.strerror), "report"
        ) from None
    names: dict[str, str] = {}
    for caption, png in (images or {}).items():
        fname = f"{_slug(caption)}.png"
        atomic_write_bytes(folder / fname, png)
        names[caption] = fname
    path = folder / "report.md"
    text = render_report(run, names, compared_with)
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def tensorboard_available() -> bool:
    try:
        from torch.utils.tensorboard import SummaryWriter  # noqa: F401
    except Exception:  # ImportError, or a broken tensorboard install
        return False
    return True


def write_tensorboard(
    run: Mapping[str, Any], folder: str | Path, graph: bool = True
) -> Path:
    """Write the run as TensorBoard event files under folder/<run id>.

    With `graph`, the network the run trained (rebuilt from its spec; the structure
    does not depend on the weights) goes in too, for TensorBoard's Graphs tab.
    Raises NNStudioError (code "tensorboard-missing") with an install hint when the
    package is absent.
    """
    writer_class = _summary_writer()
    logdir = Path(folder) / _slug(str(run.get("id") or run.get("name") or "run"))
    writer = writer_class(log_dir=str(logdir))
    try:
        _write_scalars(writer, run)
        settings = run.get("settings", {})
        writer.add_text("settings", "\n".join(settings_table(run)))
        writer.add_text("network", settings.get("spec_summary", ""))
        if graph and settings.get("spec"):
            write_graph(writer, settings["spec"])
    finally:
        writer.close()
    return logdir


def write_network_tensorboard(
    spec: Mapping[str, Any], folder: str | Path, name: str = "network"
) -> Path:
    """The graph alone (a network with no runs yet) under folder/<name>."""
    logdir = Path(folder) / _slug(name)
    writer = _summary_writer()(log_dir=str(logdir))
    try:
        write_graph(writer, spec)
    finally:
        writer.close()
    return logdir


def _summary_writer() -> Any:
    try:
        from torch.utils.tensorboard import SummaryWriter
    except Exception:
        raise NNStudioError(_msg("tensorboard"), "tensorboard-missing") from None
    return SummaryWriter


def write_graph(writer: Any, spec: Mapping[str, Any]) -> None:
    """Trace the network on an example batch into the writer's Graphs tab."""
    import warnings

    import torch

    from nnstudio.core.network.build import build_model
    from nnstudio.core.network.spec import NetworkSpec

    network = NetworkSpec.from_dict(spec)
    try:
        model = build_model(network, seed=0).eval()
        with warnings.catch_warnings():  # tracing warns torch developers, not users
            warnings.simplefilter("ignore")
            example = torch.randn(
                (1, *network.input_shape), generator=torch.Generator().manual_seed(0)
            )
            writer.add_graph(model, example)
    except Exception as exc:  # tracing raises many kinds; the user needs one line
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise NNStudioError(_msg("graph", detail=detail), "tensorboard") from None


def _write_scalars(writer: Any, run: Mapping[str, Any]) -> None:
    steps = run.get("steps", {})
    for step, loss in zip(steps.get("step", []), steps.get("loss", []), strict=False):
        if loss is not None:
            writer.add_scalar("loss/train_step", loss, step)
    for e in run.get("epochs", []):
        for key in ("train_loss", "val_loss", "val_accuracy", "val_r2"):
            if e.get(key) is not None:
                writer.add_scalar(f"epoch/{key}", e[key], e["epoch"])
    grads = run.get("grad_norms", {})
    layers = grads.get("layers", [])
    for step, values in zip(
        grads.get("step", []), grads.get("values", []), strict=False
    ):
        for name, value in zip(layers, values, strict=False):
            if value is not None:
                writer.add_scalar(f"grad_norm/{name}", value, step)
