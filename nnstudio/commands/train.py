"""`nnstudio train NET --dataset D ...`: train from the command line.

Options not given fall back to the preset's (or project's) settings; bad values exit
2 with one line before any data is loaded. Without --json a progress line goes to
stderr; with --json the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import sys
import time
import unicodedata
from typing import Any

from nnstudio.cli import say
from nnstudio.commands import add_threads_option, apply_threads

NUMBER_OPTIONS = ("lr", "momentum", "weight_decay", "l1", "clip_norm")
WHOLE_OPTIONS = {"epochs": "epochs", "batch_size": "batch_size", "seed": "seed",
                 "patience": "early_stopping_patience", "probe_every": "probe_every",
                 "train_samples": "train_samples"}
TEXT_OPTIONS = ("optimizer", "loss", "device", "schedule")
BAR_S = 0.25  # progress redraws per second on a terminal
LINE_S = 2.0  # progress lines when stderr is a file/pipe: a log, not a flood
EXIT_FAILED = 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a network and optionally save it")
    p.add_argument("net", help="a preset name, a spec .json or a .nnstudio project")
    p.add_argument("--dataset", help="dataset name or path (default: the preset's)")
    p.add_argument("--epochs")
    p.add_argument("--batch-size")
    p.add_argument("--lr", help="learning rate")
    p.add_argument("--optimizer",
                   help="sgd, adam, adamw, adagrad, rmsprop or adadelta")
    p.add_argument("--momentum")
    p.add_argument("--nesterov", action="store_true", default=None,
                   help="Nesterov momentum (SGD)")
    p.add_argument("--weight-decay", help="L2 penalty")
    p.add_argument("--l1", help="L1 penalty on the weights")
    p.add_argument("--clip-norm", help="clip the gradient norm to this (0 = off)")
    p.add_argument("--schedule", help="learning-rate schedule: none, step or cosine")
    p.add_argument("--patience", help="stop early after N epochs without a "
                   "better validation loss (0 = off)")
    p.add_argument("--loss",
                   help="cross-entropy, mse, bce-with-logits, l1, huber or half-sse")
    p.add_argument("--init", help="weight initialisation of the network")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--seed")
    p.add_argument("--probe-every", help="steps between probes (0 = by time)")
    p.add_argument("--no-probes", action="store_true", help="no probes: fastest")
    p.add_argument("--mirror", metavar="URL", help="download mirror for the dataset")
    p.add_argument("--train-samples", metavar="N",
                   help="train on the first N training samples only (0 = all)")
    p.add_argument("--dataset-option", metavar="KEY=VALUE", action="append",
                   help="a dataset option, e.g. upsample=true (digits) or noise=0.3 "
                   "(spiral); repeat for more")
    p.add_argument("--resume", action="store_true",
                   help="continue from the weights and settings of the project given "
                   "as NET for --epochs more epochs (the run history shows one run)")
    p.add_argument("--pretrained", metavar="SOURCE",
                   help="start from the weights of SOURCE (a .nnstudio project, a "
                   ".safetensors file or a torchvision model name): layers whose "
                   "shapes match take them, the rest start fresh")
    p.add_argument("--freeze", metavar="N",
                   help="freeze layers 1..N (stack positions): their weights stay "
                   "as they are")
    p.add_argument("--save", metavar="FILE.nnstudio", help="save the trained project")
    p.add_argument("--json", action="store_true",
                   help="the last line of stdout is one JSON object")
    add_threads_option(p)


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.network.resolve import resolve_net
    from nnstudio.core.training.coach import Coach
    from nnstudio.core.training.evaluate import resolve_device
    from nnstudio.core.training.loop import fit, preflight
    from nnstudio.core.training.runs import RunRecorder

    apply_threads(args.threads)  # a bad count is refused before any work
    resolved = resolve_net(args.net)
    config = settings(resolved.config, args)
    spec = _freeze(_spec(resolved.spec, args.init), args.freeze)
    model = _resume_model(resolved, args.resume)
    resolve_device(config.device)  # a missing GPU is refused before loading data
    options = dict(config.dataset_options)
    data = load_dataset(config.dataset, mirror=args.mirror, **options)
    if args.dataset and model is None:  # as `summary --dataset`: take its input shape
        spec = spec.with_input_shape(tuple(data.input_shape))
    preflight(spec, data, config)  # refuse before any work: exit 2
    model, transfer = _start_from(spec, config, model, args)
    _warn(spec, data, config)
    recorder = RunRecorder(spec, config, name=args.net)
    progress = Progress(config.epochs, show=not args.json)
    coach = Coach(config.loss)

    def on_event(event: Any) -> None:
        recorder.feed(event)
        coach.feed(event)
        progress(event)

    summary = fit(spec, data, config, model=model, on_event=on_event)
    progress.close()
    summary["diagnoses"] = coach.codes()
    diagnoses = coach.diagnoses()
    if args.save and summary.finished.reason == "failed":
        say(f"nnstudio: {args.save} was not saved: the run failed")
    elif args.save:
        _save(args.save, resolved, spec, config, summary, recorder.finish(), data,
              args.resume)
    _report(_with_counts(summary, spec, transfer, data), args.json)
    if not args.json:
        for diagnosis in diagnoses:
            print(f"  coach: {diagnosis.sentence()}")
    return EXIT_FAILED if summary.finished.reason == "failed" else 0


def settings(base, args: argparse.Namespace):
    """The preset's/project's TrainConfig with the options given, validated."""
    from nnstudio.core.errors import ConfigError
    from nnstudio.core.training.config import parse_number, validate

    changes: dict[str, Any] = {}
    for name in NUMBER_OPTIONS:
        raw = getattr(args, name)
        if raw is not None:
            try:
                changes[name] = parse_number(raw)
            except ValueError as exc:
                raise ConfigError(f"--{name.replace('_', '-')}: {exc}") from None
    for name, field in WHOLE_OPTIONS.items():
        if getattr(args, name) is not None:
            changes[field] = _whole(getattr(args, name), name.replace("_", " "))
    changes.update({n: getattr(args, n) for n in TEXT_OPTIONS if getattr(args, n)})
    if args.nesterov:
        changes["nesterov"] = True
    if args.no_probes:
        changes["probes"] = False
    if args.dataset and args.dataset != base.dataset:
        changes.update(dataset=args.dataset, dataset_options={})
    if args.dataset_option:
        options = dict(changes.get("dataset_options", base.dataset_options))
        changes["dataset_options"] = {**options,
                                      **dataset_options(args.dataset_option)}
    return validate(base.with_(**changes))


def dataset_options(pairs: list[str]) -> dict[str, Any]:
    """`--dataset-option key=value` pairs as a dict, values read as what they look
    like (true/false, whole numbers, numbers, else text); the loader then checks
    each key and value against the dataset's own options, in one line."""
    from nnstudio.core.errors import ConfigError
    from nnstudio.core.i18n import text

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key or not raw.strip():
            raise ConfigError(text({
                "en": f"--dataset-option wants KEY=VALUE, e.g. noise=0.3 "
                      f"(got '{pair}')",
                "zh": f"--dataset-option 的格式是 KEY=VALUE，例如 noise=0.3"
                      f"(输入的是“{pair}”)"}))
        options[key] = _option_value(raw.strip())
    return options


def _option_value(raw: str) -> Any:
    words = {"true": True, "yes": True, "false": False, "no": False}
    if raw.lower() in words:
        return words[raw.lower()]
    for kind in (int, float):
        try:
            value = kind(raw)
        except ValueError:
            continue
        return value if kind is int or math.isfinite(value) else raw
    return raw


def _whole(raw: str, label: str) -> int:
    """A whole number as people type it (full-width digits, "1,000"), else one line;
    "0,5" or "1e3" are refused rather than guessed."""
    from nnstudio.core.errors import ConfigError
    from nnstudio.core.i18n import text

    cleaned = unicodedata.normalize("NFKC", raw).strip().replace("_", "")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", cleaned):  # thousands separators
        cleaned = cleaned.replace(",", "")
    if cleaned.lstrip("+-").isdigit():
        return int(cleaned)
    raise ConfigError(text({"en": f"{label} must be a whole number (got '{raw}')",
                            "zh": f"{label} 必须是整数(输入的是“{raw}”)"}))


def _warn(spec, data, config) -> None:
    """The shape check's warnings (e.g. Softmax before cross-entropy): it trains,
    but the student should hear about it."""
    from nnstudio.core.network.shapes import check

    report = check(spec, num_outputs=data.num_outputs, loss=config.loss,
                   per_step=getattr(data, "per_step", False))
    for problem in report.problems:
        if problem.severity == "warning":
            say(f"nnstudio: warning: {problem.message()}")


def _spec(spec, init: str | None):
    from nnstudio.core.errors import SpecError
    from nnstudio.core.i18n import text
    from nnstudio.core.network.spec import INITS

    if init is None:
        return spec
    if init not in INITS:
        inits = ", ".join(INITS)
        raise SpecError(text({
            "en": f"unknown weight init '{init}': use one of {inits}",
            "zh": f"未知的权重初始化方式“{init}”：请使用 {inits} 之一",
        }))
    return dataclasses.replace(spec, init=init)


# --- issue 15: --pretrained and --freeze ----------------------------------------------
def _freeze(spec, raw: str | None):
    from nnstudio.core.network.frozen import freeze_first

    return spec if raw is None else freeze_first(spec, _whole(raw, "--freeze"))


def _start_from(spec, config, model, args):
    """The model to train and the transfer report (None without --pretrained).
    ImageNet backbones are fetched here, with the download's own messages, so the
    run itself never waits on the network."""
    from nnstudio.core.errors import ConfigError
    from nnstudio.core.i18n import text
    from nnstudio.core.network.build import build_model
    from nnstudio.core.network.pretrained import read_source, transfer
    from nnstudio.core.pretrained import load_backbones

    if args.pretrained and model is not None:
        raise ConfigError(text({
            "en": "--pretrained starts a new run from other weights; --resume "
                  "continues this project's — give one of them",
            "zh": "--pretrained 从其他权重开始新的训练，--resume 继续本项目的训练"
                  "——请只给出其中一个"}))
    if model is not None:
        return model, None
    if not args.pretrained and not _downloads_backbone(spec):
        return None, None  # the trainer builds it: its set-up failures are reported
    model = build_model(spec, seed=config.seed)
    load_backbones(model, spec, mirror=args.mirror)
    if not args.pretrained:
        return model, None
    report = transfer(model, read_source(args.pretrained, mirror=args.mirror),
                      args.pretrained)
    if not args.json:
        say(f"nnstudio: {report.describe()}")
    return model, report


def _with_counts(summary, spec, report, data):
    """Trainable and frozen parameter counts (and what took weights) in the result;
    a single Linear layer on a regression also gets the least-squares answer."""
    from nnstudio.core.lessons.least_squares import compare
    from nnstudio.core.network.shapes import check

    shapes = check(spec)
    summary["trainable_params"] = shapes.trainable_params
    summary["frozen_params"] = shapes.frozen_params
    if report is not None:
        summary["pretrained"] = report.to_dict()
    if "least_squares" not in summary:  # the loop adds it to the metrics itself
        fit = compare(spec, data, summary.weights)
        if fit is not None:
            summary["least_squares"] = fit
    return summary


def _downloads_backbone(spec) -> bool:
    """Whether a layer's ImageNet weights must be fetched before the run."""
    from nnstudio.core.pretrained import BY_KIND

    return any(
        layer.kind in BY_KIND and layer.params.get("weights") == "imagenet"
        for layer in spec.layers
    )


def _resume_model(resolved, resume: bool):
    from nnstudio.core.errors import ConfigError
    from nnstudio.core.i18n import text

    if not resume:
        return None
    if resolved.project is None:
        raise ConfigError(text({
            "en": "--resume continues a saved project: give a .nnstudio file as NET",
            "zh": "--resume 用于继续训练已保存的项目：请把 .nnstudio 文件作为 NET"}))
    if resolved.project.weights is None:
        raise ConfigError(text({
            "en": "the project has no trained weights to resume from — train it "
                  "without --resume first",
            "zh": "这个项目还没有训练好的权重可以继续——请先不带 --resume 训练"}))
    return resolved.project.model()


def _save(path: str, resolved, spec, config, summary, record: dict, data,
          resume: bool = False) -> None:
    """Spec, settings, weights, this run appended to the project's history (the
    studio's run record plus the last epoch's mean gradient norm per layer), and what
    the data was (normalization, class names) so `predict` sees what training saw;
    a resumed run joins the last entry instead, as its continuation."""
    from nnstudio.core.pretrained import adapt_data
    from nnstudio.core.project.files import Project, data_info, save_project
    from nnstudio.core.training.runs import continue_record

    record["grad_norm_summary"] = dict(zip(summary["grad_layers"],
                                           summary["grad_norms"], strict=True))
    history = list(resolved.project.history) if resolved.project else []
    info = data_info(adapt_data(spec, data)) if data is not None else {}
    if resume and history and isinstance(history[-1], dict):
        record = continue_record(history.pop(), record)
    save_project(path, Project(spec, config.to_dict(), summary.weights,
                               [*history, json_safe(record)], info))


def _report(summary, as_json: bool) -> None:
    if summary.finished.reason == "failed":
        say(f"nnstudio: {summary.finished.message}")
    if as_json:
        print(json.dumps(json_safe(dict(summary))))
        return
    print(summary.finished.message)
    for key in ("train_loss", "val_loss", "val_accuracy", "val_r2", "samples_per_s"):
        if summary.get(key) is not None:
            print(f"  {key:<14} {summary[key]:.6g}")
    if summary.get("device") is not None:  # absent when set-up itself failed
        print(f"  {'device':<14} {summary['device']}")
    print(f"  {'parameters':<14} {summary.get('trainable_params', 0):,} trainable, "
          f"{summary.get('frozen_params', 0):,} frozen")
    fit = summary.get("least_squares")
    if fit:
        learned = ", ".join(f"{v:.6g}" for v in fit["weight"] + fit["bias"])
        exact = ", ".join(f"{v:.6g}" for v in fit["least_squares_weight"]
                          + fit["least_squares_bias"])
        print(f"  {'weight, bias':<14} {learned}  (least squares: {exact})")


def json_safe(value: Any) -> Any:
    """NaN/Inf become null so the line is strict JSON any tool can read."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


class Progress:
    """Epoch, bar, loss and ETA on stderr: redrawn in place on a terminal, a few
    lines on a log. Called with every event of the run."""

    def __init__(self, epochs: int, show: bool = True) -> None:
        self.epochs, self.shown, self.line = epochs, 0.0, ""
        self.show = show and sys.stderr is not None
        self.tty = bool(self.show and sys.stderr.isatty())

    def __call__(self, event: Any) -> None:
        from nnstudio.core.training.events import Step

        if not self.show or not isinstance(event, Step):
            return
        now = time.monotonic()
        done = event.progress >= self.epochs
        if now - self.shown < (BAR_S if self.tty else LINE_S) and not done:
            return
        self.shown = now
        self.line = self._line(event)
        end = "" if self.tty else "\n"
        print(("\r" + self.line) if self.tty else self.line, end=end, file=sys.stderr,
              flush=True)

    def _line(self, e: Any) -> str:
        frac = min(e.progress / self.epochs, 1.0)
        eta = e.elapsed * (1 - frac) / frac if frac > 0 else 0.0
        bar = "#" * int(frac * 20)
        return (f"epoch {min(e.epoch + 1, self.epochs)}/{self.epochs} [{bar:<20}] "
                f"loss {e.loss:.4g}  {e.samples_per_s:,.0f} samples/s  "
                f"ETA {int(eta) // 60}:{int(eta) % 60:02d}")

    def close(self) -> None:
        if self.tty and self.line and sys.stderr is not None:
            print(file=sys.stderr)
