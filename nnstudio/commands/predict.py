"""`nnstudio predict PROJECT IMAGE... [--json]`: what a saved model sees in images."""

from __future__ import annotations

import argparse
import json

from nnstudio.cli import say

TOP = 3  # classes shown per image without --json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help="predict image files or a typed sequence "
                       "with a trained project")
    p.add_argument("project", help="a trained .nnstudio project")
    p.add_argument("images", nargs="*", metavar="IMAGE", help="PNG, JPEG or BMP files")
    p.add_argument("--sequence", metavar='"3 1 4 ..."',
                   help="a sequence to predict: token ids or numbers, separated by "
                   "spaces or commas")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per image: file, prediction, probabilities",
    )
    p.set_defaults(late_positionals="images")  # images may come after --json


def run(args: argparse.Namespace) -> int:
    from nnstudio.core.errors import PredictError
    from nnstudio.core.i18n import text
    from nnstudio.core.predict.predictor import predict_paths
    from nnstudio.core.project.files import load_project

    project = load_project(args.project)
    if project.weights is None:
        raise PredictError(
            text(
                {
                    "en": f"{args.project} holds no trained weights — train it first",
                    "zh": f"{args.project} 还没有训练好的权重——请先训练它",
                }
            )
        )
    if args.sequence is not None:
        return _sequence(project, args.sequence, args.json)
    if not args.images:
        raise PredictError(text({
            "en": "give image files to predict, or --sequence \"3 1 4 ...\"",
            "zh": "请给出要预测的图像文件，或使用 --sequence \"3 1 4 ...\""}))
    info = dict(project.data_info)
    info.update(_pretrained_norm(project.spec))
    classes = info.get("class_names") or None
    results = predict_paths(
        project.model().eval(),
        project.spec.input_shape,
        info.get("mean"),
        info.get("std"),
        classes,
        args.images,
    )
    for result in results:
        _print(result, args.json)
    return 1 if any("error" in r for r in results) else 0


def _print(result: dict, as_json: bool) -> None:
    if "error" in result:
        say(f"nnstudio: {result['error']}")  # stdout keeps only the predictions
        return
    probabilities = result["probabilities"]
    if as_json:
        print(
            json.dumps(
                {
                    "file": result["file"],
                    "prediction": result["prediction"],
                    "probabilities": list(probabilities.values()),
                    "classes": list(probabilities),
                },
                ensure_ascii=False,
            )
        )
        return
    best = sorted(probabilities.items(), key=lambda kv: -kv[1])[:TOP]
    shown = ", ".join(f"{name} {p:.1%}" for name, p in best)
    print(f"{result['file']}: {result['prediction']}  ({shown})")


def _pretrained_norm(spec) -> dict:
    """A pretrained backbone's own mean/std win over the dataset's (issue 15)."""
    from nnstudio.core.pretrained import preprocessing_of

    prep = preprocessing_of(spec)
    return {} if prep is None else {"mean": prep["mean"], "std": prep["std"]}


def _sequence(project, sequence: str, as_json: bool) -> int:
    """One typed sequence: one JSON object (`prediction` first) or one line."""
    from nnstudio.core.datasets import DATASETS
    from nnstudio.core.predict.sequence import predict_sequence

    info = dict(project.data_info)
    registered = DATASETS.get(str(project.config.get("dataset", "")))
    if registered is not None:
        info.setdefault("task", registered.task)
        info.setdefault("class_names", list(registered.class_names))
    result = predict_sequence(
        project.model(), project.spec.input_shape, sequence,
        task=info.get("task") or "classification",
        class_names=info.get("class_names") or None,
        target_mean=info.get("target_mean", 0.0),
        target_std=info.get("target_std", 1.0))
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    elif isinstance(result.prediction, list):
        print(" ".join(str(v) for v in result.prediction))
    else:
        print(result.prediction)
    return 0
