"""`nnstudio evaluate PROJECT --dataset D`: score a saved model on every sample of D
(its training and validation parts together), with the project's loss."""

from __future__ import annotations

import argparse
import json

from nnstudio.commands import add_threads_option, apply_threads


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score a saved model on a dataset")
    p.add_argument("project", help="a .nnstudio project with trained weights")
    p.add_argument("--dataset", help="dataset name or path (default: the project's)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--mirror", metavar="URL", help="download mirror for the dataset")
    p.add_argument(
        "--json", action="store_true", help="the last line of stdout is one JSON object"
    )
    add_threads_option(p)


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.datasets import load_dataset
    from nnstudio.core.errors import ProjectFileError
    from nnstudio.core.i18n import text
    from nnstudio.core.project.files import load_project
    from nnstudio.core.training.config import TrainConfig
    from nnstudio.core.training.evaluate import preflight, score_model

    apply_threads(args.threads)
    project = load_project(args.project)
    if project.weights is None:
        raise ProjectFileError(
            text(
                {
                    "en": f"{args.project} has no trained weights — train it first "
                    "(nnstudio train NET --save FILE.nnstudio)",
                    "zh": f"{args.project} 还没有训练好的权重——请先训练它"
                    "(nnstudio train NET --save FILE.nnstudio)",
                }
            )
        )
    config = TrainConfig.from_dict({**project.config, "device": args.device})
    if args.dataset and args.dataset != config.dataset:
        config = config.with_(dataset=args.dataset, dataset_options={})
    data = load_dataset(
        config.dataset, mirror=args.mirror, **dict(config.dataset_options)
    )
    data = _as_trained(data, project.data_info)
    device = preflight(project.spec, data, config)
    scores = score_model(project.model(), data, config.loss, device)
    result = {
        "samples": scores.samples,
        "loss": scores.loss,
        "accuracy": scores.accuracy,
        "r2": scores.r2,
        "dataset": data.name,
        "device": str(device),
    }
    if args.json:
        from nnstudio.commands.train import json_safe

        print(json.dumps(json_safe(result)))
        return 0
    print(f"{data.name}: {scores.samples:,} samples, loss {scores.loss:.4g}")
    if scores.accuracy is not None:
        print(f"accuracy {scores.accuracy:.2%}")
    if scores.r2 is not None:
        print(f"R² {scores.r2:.4f}")
    return 0


def _as_trained(data, info: dict):
    """Score images normalized as in training (data.json), not by the statistics
    of the data scored; say so when its classes are not the ones trained on."""
    import dataclasses

    from nnstudio.cli import say
    from nnstudio.core.i18n import text
    from nnstudio.core.project.files import stored_stats

    mean, std = stored_stats(info)
    if data.is_image and mean is not None:
        data = dataclasses.replace(data, mean=mean, std=std)
    trained = info.get("class_names")
    if trained and data.task == "classification" and list(data.class_names) != trained:
        ours, theirs = ", ".join(trained[:10]), ", ".join(data.class_names[:10])
        say("nnstudio: warning: " + text({
            "en": f"the model was trained on classes {ours} but {data.name} has "
                  f"{theirs}: they are compared by position",
            "zh": f"模型训练时的类别是 {ours}，而 {data.name} 的类别是 {theirs}："
                  "按位置对应比较"}))
    return data
