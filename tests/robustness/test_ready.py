"""Ready to train sooner (issue 13 §5): the window's first shape check must not pay
the meta device's first use (it imports torch._dynamo, 1.5-2 s), and the small-layer
CPU pass must give exactly the meta pass's answers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nnstudio.core.network import dry_run, shapes
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.spec import NetworkSpec

ROOT = Path(__file__).resolve().parents[2]

FIRST_CHECKS = textwrap.dedent("""
    import sys
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.network.shapes import check
    from nnstudio.core.lessons import backprop
    from nnstudio.core.network.layers import LAYER_KINDS
    for preset in PRESETS.values():
        kinds = [LAYER_KINDS[layer.kind] for layer in preset.spec.layers]
        if any(kind.category in ("Pretrained", "Attention") for kind in kinds):
            # an ImageNet body is big: its check runs on the meta device; attention
            # still imports torch._dynamo on its first check (not a default preset)
            continue
        assert check(preset.spec).ok
    print("dynamo", "torch._dynamo" in sys.modules)
    print("sympy", "sympy" in sys.modules)
""")


def test_checking_every_preset_does_not_import_torch_dynamo() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_CHECKS],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "dynamo False" in proc.stdout and "sympy False" in proc.stdout


ODD = [
    NetworkSpec((1, 5, 5), (LayerSpec("Conv2d", {"kernel_size": 7}),)),
    NetworkSpec((1, 6, 6), (LayerSpec("MaxPool2d", {"kernel_size": 4, "stride": 4}),)),
    NetworkSpec((3, 8, 8), (LayerSpec("AdaptiveAvgPool2d", {"output_size": 20}),)),
    NetworkSpec((3, 2, 2), (LayerSpec("Conv2d", {"kernel_size": 3, "padding": 15}),)),
    NetworkSpec((4,), (LayerSpec("BatchNorm"), LayerSpec("Linear"), LayerSpec("GELU"))),
    NetworkSpec(
        (2, 9, 9), (LayerSpec("Residual", {"stride": 2}), LayerSpec("Flatten"))
    ),
    NetworkSpec((7,), (LayerSpec("LayerNorm"), LayerSpec("Softmax"))),
    NetworkSpec((1, 8, 8), (LayerSpec("Resize", {"size": 40}), LayerSpec("Flatten"))),
    NetworkSpec((4, 8, 8), (LayerSpec("DenseBlock"), LayerSpec("AvgPool2d"))),
]


@pytest.mark.parametrize(
    "spec", [p.spec for p in PRESETS.values()] + ODD, ids=lambda s: str(s.layers[0])
)
def test_the_cpu_pass_answers_exactly_as_the_meta_pass(spec, monkeypatch) -> None:
    fast = shapes.check(spec)
    monkeypatch.setattr(dry_run, "CPU_DRY_ELEMENTS", 0)  # every layer on meta
    assert shapes.check(spec) == fast


def test_a_big_layer_still_goes_to_the_meta_device(monkeypatch) -> None:
    spec = NetworkSpec((4096,), (LayerSpec("Linear", {"out_features": 4096}),))
    used = []
    real = dry_run.meta_forward
    monkeypatch.setattr(dry_run, "meta_forward", lambda *a: used.append(1) or real(*a))
    report = shapes.check(spec)
    assert used and report.total_params == 4096 * 4096 + 4096


def test_a_check_leaves_the_random_stream_alone() -> None:
    import torch

    torch.manual_seed(3)
    expected = torch.rand(4)
    torch.manual_seed(3)
    shapes.check(PRESETS["cnn-mnist"].spec)  # layers built for real on the CPU
    assert torch.equal(torch.rand(4), expected)
