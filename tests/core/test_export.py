"""Export: JSON and safetensors round trips, the CLI's choice by extension, ONNX
against torch, and the standalone script: same weights, same data, same first-epoch
loss as the app, with `python` and with `torchrun --nproc_per_node=2`."""

from __future__ import annotations

import argparse
import ast
import os
import re
import runpy
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from nnstudio.cli import main as cli_main
from nnstudio.core.datasets import load_dataset
from nnstudio.core.errors import NNStudioError
from nnstudio.core.export.data import Recipe
from nnstudio.core.export.formats import ExportError, export, model_of
from nnstudio.core.export.script import script_text
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.resolve import resolve_net
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import Project, save_project
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.loop import fit

EPOCH_RE = re.compile(r"epoch 1/\d+\s+train loss ([0-9.]+)")


# --- spec, weights, CLI ------------------------------------------------------------
def test_json_round_trip(tmp_path: Path) -> None:
    out = export(resolve_net("cnn-mnist"), tmp_path / "net.json")
    assert NetworkSpec.from_json(out.read_text()) == PRESETS["cnn-mnist"].spec


def test_safetensors_of_a_preset_are_the_seeded_initial_weights(tmp_path: Path) -> None:
    resolved = resolve_net("spiral-relu")
    resolved.config = resolved.config.with_(seed=7)
    export(resolved, tmp_path / "w.safetensors")
    saved = load_file(tmp_path / "w.safetensors")
    expected = build_model(resolved.spec, seed=7).state_dict()
    assert saved.keys() == expected.keys()
    assert all(torch.equal(saved[k], expected[k]) for k in saved)


def test_safetensors_of_a_project_are_its_weights(tmp_path: Path) -> None:
    preset = PRESETS["backprop-2-2-2"]
    weights = {k: v + 1 for k, v in build_model(preset.spec).state_dict().items()}
    save_project(
        tmp_path / "p.nnstudio",
        Project(preset.spec, preset.train_config().to_dict(), weights),
    )
    code = cli_main(
        [
            "export",
            str(tmp_path / "p.nnstudio"),
            "--to",
            str(tmp_path / "weights.safetensors"),
        ]
    )
    assert code == 0
    saved = load_file(tmp_path / "weights.safetensors")
    assert set(saved) == {
        "1_linear.weight",
        "1_linear.bias",
        "3_linear.weight",
        "3_linear.bias",
    }
    assert torch.allclose(saved["3_linear.weight"], weights["3_linear.weight"])


def test_unknown_extension_exits_2_listing_formats(tmp_path: Path, capsys) -> None:
    code = cli_main(["export", "spiral-relu", "--to", str(tmp_path / "net.txt")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("nnstudio: ")
    for ext in (".py", ".onnx", ".safetensors", ".json"):
        assert ext in err


def test_missing_folder_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="folder does not exist"):
        export(resolve_net("spiral-relu"), tmp_path / "nope" / "net.json")


# --- ONNX --------------------------------------------------------------------------
@pytest.mark.parametrize("preset", ["spiral-relu", "cnn-mnist"])
def test_onnx_matches_torch(preset: str, tmp_path: Path) -> None:
    pytest.importorskip("onnxscript")
    ort = pytest.importorskip("onnxruntime")
    resolved = resolve_net(preset)
    export(resolved, tmp_path / "net.onnx")
    x = torch.randn(5, *resolved.spec.input_shape)
    with torch.no_grad():
        expected = model_of(resolved).eval()(x).numpy()
    session = ort.InferenceSession(str(tmp_path / "net.onnx"))
    got = session.run(None, {"input": x.numpy()})[0]
    assert got.shape == expected.shape
    assert abs(got - expected).max() < 1e-5


# --- the script: model -------------------------------------------------------------
def _write(
    tmp_path: Path,
    spec: NetworkSpec,
    config: TrainConfig,
    recipe: Recipe | None = None,
    name: str = "model",
) -> Path:
    path = tmp_path / f"{name}.py"
    text = script_text(spec, config, recipe or Recipe.from_config(config), name)
    path.write_text(text, encoding="utf-8")
    return path


def _namespace(path: Path) -> dict:
    return runpy.run_path(str(path), run_name="exported")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_script_is_standalone_and_builds_the_same_initial_weights(
    preset: str, tmp_path: Path
) -> None:
    p = PRESETS[preset]
    config = p.train_config(seed=3)
    path = _write(tmp_path, p.spec, config, name=preset.replace("-", "_"))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        a.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for a in n.names
    }
    imported |= {
        n.module.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module
    }
    assert "nnstudio" not in imported
    assert imported <= {
        "__future__",
        "argparse",
        "os",
        "typing",
        "numpy",
        "torch",
        "torchvision",
        "sklearn",
        "csv",
        "gzip",
        "shutil",
        "tempfile",
        "pathlib",
        "re",
        "tarfile",
        "PIL",
    }
    torch.manual_seed(config.seed)
    script_model = _namespace(path)["Net"]()
    expected = build_model(p.spec, seed=config.seed).state_dict()
    got = script_model.state_dict()
    assert list(got) == list(expected)
    assert all(torch.equal(got[k], expected[k]) for k in got)
    trainable = [n for n, q in script_model.named_parameters() if q.requires_grad]
    app = build_model(p.spec)
    assert trainable == [n for n, q in app.named_parameters() if q.requires_grad]


# --- the script: data --------------------------------------------------------------
def _flat_spec(shape: tuple[int, ...], outputs: int) -> NetworkSpec:
    layers = (LayerSpec("Flatten"),) if len(shape) > 1 else ()
    return NetworkSpec(shape, (*layers, LayerSpec("Linear", {"out_features": outputs})))


def _same_data(tmp_path: Path, source: str, seed: int = 0, **options) -> None:
    data = load_dataset(source, seed=seed, **options)
    recipe = Recipe.from_data(data)
    config = TrainConfig(
        dataset=source, loss="mse" if data.task == "regression" else "cross-entropy"
    )
    path = _write(
        tmp_path, _flat_spec(data.input_shape, data.num_outputs), config, recipe
    )
    args = argparse.Namespace(data=source, data_dir=str(tmp_path))
    got = _namespace(path)["load_data"](args)
    for name in ("x_train", "y_train", "x_val", "y_val"):
        a, b = getattr(got, name), getattr(data, name)
        assert a.dtype == b.dtype and torch.equal(a, b), name
    assert got.mean == data.mean and got.std == data.std


@pytest.mark.parametrize(
    "name",
    [
        "spiral",
        "moons",
        "circles",
        "xor",
        "gaussians",
        "sincos",
        "house-prices",
        "backprop-example",
    ],
)
def test_script_generates_the_same_data(name: str, tmp_path: Path) -> None:
    _same_data(tmp_path, name, seed=5)


def test_script_generated_data_options(tmp_path: Path) -> None:
    _same_data(tmp_path, "spiral", seed=2, size=40, noise=0.5, classes=4)


def test_script_sklearn_data(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    _same_data(tmp_path, "iris", seed=1)
    _same_data(tmp_path, "diabetes", seed=1, size=100)
    _same_data(tmp_path, "digits", seed=1, upsample=True)


def _idx(path: Path, array: torch.Tensor) -> None:
    import gzip

    dims = list(array.shape)
    magic = bytes([0, 0, 8, len(dims)])
    head = magic + b"".join(d.to_bytes(4, "big") for d in dims)
    blob = head + array.to(torch.uint8).numpy().tobytes()
    if path.suffix == ".gz":
        blob = gzip.compress(blob)
    path.write_bytes(blob)


def test_script_idx_folders(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(0)
    official = tmp_path / "official"
    official.mkdir()
    for prefix, n in (("train", 30), ("t10k", 10)):
        _idx(
            official / f"{prefix}-images-idx3-ubyte.gz",
            torch.randint(0, 256, (n, 6, 6), generator=gen),
        )
        _idx(
            official / f"{prefix}-labels-idx1-ubyte",
            torch.randint(0, 3, (n,), generator=gen),
        )
    _same_data(tmp_path, str(official))
    pooled = tmp_path / "pooled"
    pooled.mkdir()
    _idx(
        pooled / "digits-images-idx3-ubyte",
        torch.randint(0, 256, (25, 5, 5), generator=gen),
    )
    _idx(pooled / "digits-labels-idx1-ubyte", torch.randint(0, 2, (25,), generator=gen))
    _same_data(tmp_path, str(pooled), seed=4)


def test_script_csv_tables(tmp_path: Path) -> None:
    classes = tmp_path / "flowers.csv"
    rows = ["a,label,b"] + [
        f"{i * 0.5},{'cat' if i % 3 else 'dog'},{i % 7}" for i in range(30)
    ]
    classes.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _same_data(tmp_path, str(classes), seed=3)
    regression = tmp_path / "prices.csv"
    rows = [f"{i};{i % 5};{100 + 3.5 * i}" for i in range(20)]
    regression.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _same_data(tmp_path, str(regression))


def test_script_image_folder_and_cifar(tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    folder = tmp_path / "shapes"
    for k, name in enumerate(("circle", "square")):
        (folder / name).mkdir(parents=True)
        for i in range(6):
            size = (8, 8) if i else (10, 9)  # one odd size: resized like the app does
            pixels = rng.integers(0, 256, (size[1], size[0]), dtype=np.uint8) // (k + 1)
            Image.fromarray(pixels, "L").save(folder / name / f"{i}.png")
    _same_data(tmp_path, str(folder))
    cifar = tmp_path / "cifar-10-batches-bin"
    cifar.mkdir()
    for name, n in (
        ("data_batch_1.bin", 12),
        ("data_batch_2.bin", 8),
        ("test_batch.bin", 5),
    ):
        records = rng.integers(0, 256, (n, 3073), dtype=np.uint8)
        records[:, 0] %= 10
        (cifar / name).write_bytes(records.tobytes())
    _same_data(tmp_path, str(cifar))


def test_unsupported_dataset_is_refused_plainly(tmp_path: Path) -> None:
    config = TrainConfig(dataset=str(tmp_path / "missing-folder"))
    with pytest.raises(NNStudioError, match="cannot write loading code"):
        script_text(_flat_spec((2,), 3), config, Recipe.from_config(config))


def test_input_shape_mismatch_is_refused(tmp_path: Path) -> None:
    config = TrainConfig(dataset="spiral")
    with pytest.raises(ExportError, match="input"):
        script_text(_flat_spec((4,), 3), config, Recipe.from_config(config))


def test_export_errors_in_chinese(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    with pytest.raises(ExportError, match="无法导出到“net.txt”：文件名必须以 .py"):
        export(resolve_net("spiral-relu"), tmp_path / "net.txt")
    with pytest.raises(ExportError, match="文件夹不存在"):
        export(resolve_net("spiral-relu"), tmp_path / "nope" / "net.json")
    config = TrainConfig(dataset=str(tmp_path / "missing-folder"))
    with pytest.raises(
        ExportError, match="无法为数据集.*missing-folder.*torchvision 数据集"
    ):
        script_text(_flat_spec((2,), 3), config, Recipe.from_config(config))
    config = TrainConfig(dataset="spiral")
    with pytest.raises(
        ExportError, match=r"网络的输入是 \[4\].*数据集“spiral”给出的是 \[2\]"
    ):
        script_text(_flat_spec((4,), 3), config, Recipe.from_config(config))


# --- the script: training -------------------------------------------------------------
def _app_first_loss(spec: NetworkSpec, config: TrainConfig) -> float:
    data = load_dataset(config.dataset, seed=config.seed, **config.dataset_options)
    summary = fit(spec, data, config.with_(device="cpu", probes=False))
    return summary.epochs[0]["train_loss"]


def _run_in_process(path: Path, monkeypatch, capsys, *args: str) -> str:
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    monkeypatch.chdir(path.parent)
    monkeypatch.setattr(sys, "argv", [str(path), "--device", "cpu", *args])
    runpy.run_path(str(path), run_name="__main__")
    return capsys.readouterr().out


def _first_loss(output: str) -> float:
    match = EPOCH_RE.search(output)
    assert match, output
    return float(match.group(1))


SMALL = {"size": 40}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "optimizer": "sgd",
            "momentum": 0.9,
            "nesterov": True,
            "weight_decay": 1e-3,
            "l1": 1e-3,
            "clip_norm": 0.5,
            "schedule": "step",
            "batch_size": 7,
        },
        {"loss": "mse", "optimizer": "rmsprop", "momentum": 0.5, "batch_size": 13},
    ],
)
def test_first_epoch_loss_matches_the_app_in_process(
    changes, tmp_path, monkeypatch, capsys
) -> None:
    spec = NetworkSpec(
        (2,),
        (
            LayerSpec("Linear", {"out_features": 16}),
            LayerSpec("BatchNorm"),
            LayerSpec("ReLU"),
            LayerSpec("Dropout", {"p": 0.3}),
            LayerSpec("Linear", {"out_features": 3, "bias": "shared"}),
        ),
        init="xavier_uniform",
    )
    config = TrainConfig(
        dataset="spiral", epochs=2, seed=11, dataset_options=SMALL, **changes
    )
    path = _write(tmp_path, spec, config)
    out = _run_in_process(path, monkeypatch, capsys)
    assert _first_loss(out) == pytest.approx(_app_first_loss(spec, config), rel=1e-6)
    assert "test accuracy" in out and (tmp_path / "model.pt").exists()


def test_backprop_script_one_epoch_gives_mazur_weights(
    tmp_path, monkeypatch, capsys
) -> None:
    resolved = resolve_net("backprop-2-2-2")
    path = tmp_path / "backprop.py"
    export(resolved, path)
    out = _run_in_process(path, monkeypatch, capsys, "--epochs", "1")
    assert _first_loss(out) == pytest.approx(0.298371109, abs=1e-7)
    weights = torch.load(tmp_path / "backprop.pt", weights_only=True)
    assert float(weights["3_linear.weight"][0, 0]) == pytest.approx(
        0.35891648, abs=1e-7
    )
    assert float(weights["1_linear.weight"][0, 0]) == pytest.approx(
        0.14978072, abs=1e-7
    )


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "PYTHONPATH")
    }
    return {**env, "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def spiral_script(tmp_path_factory) -> tuple[Path, float]:
    folder = tmp_path_factory.mktemp("script")
    resolved = resolve_net("spiral-relu")
    resolved.config = replace(resolved.config, epochs=1, dataset_options=SMALL)
    path = folder / "spiral.py"
    export(resolved, path)
    return path, _app_first_loss(resolved.spec, resolved.config)


def test_script_runs_with_python(spiral_script) -> None:
    path, app_loss = spiral_script
    done = subprocess.run(
        [sys.executable, path.name, "--device", "cpu"],
        cwd=path.parent,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _first_loss(done.stdout) == pytest.approx(app_loss, rel=1e-6)
    assert "test accuracy" in done.stdout
    saved = torch.load(path.with_suffix(".pt"), weights_only=True)
    assert list(saved) == [
        "1_linear.weight",
        "1_linear.bias",
        "3_linear.weight",
        "3_linear.bias",
    ]


def test_script_runs_with_torchrun_on_two_cpu_processes(spiral_script) -> None:
    path, _ = spiral_script
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node=2",
        "--standalone",
        path.name,
        "--device",
        "cpu",
        "--save",
        "ddp.pt",
    ]
    done = subprocess.run(
        cmd, cwd=path.parent, env=_env(), capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(EPOCH_RE.findall(done.stdout)) == 1  # only rank 0 reports
    assert (path.parent / "ddp.pt").exists()
    saved = torch.load(path.parent / "ddp.pt", weights_only=True)
    assert set(saved) == set(build_model(PRESETS["spiral-relu"].spec).state_dict())
