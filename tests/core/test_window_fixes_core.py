""""kernel 13x13 is larger than the 12x12 feature map" gets one-click fixes."""

from __future__ import annotations

from nnstudio.core.network.fixes import fixes_for
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec


def _conv(k: int) -> LayerSpec:
    return LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": k})


def test_kernel_too_large_offers_padding_smaller_kernel_and_one_pool_fewer() -> None:
    pool = LayerSpec("MaxPool2d", {"kernel_size": 2})
    spec = NetworkSpec((1, 28, 28), (_conv(5), pool, _conv(13), LayerSpec("Flatten"),
                                     LayerSpec("Linear", {"out_features": 10})))
    report = check(spec, num_outputs=10)
    problem = next(p for p in report.problems if p.code == "kernel-too-large")
    assert "13x13" in problem.message("en") and "12x12" in problem.message("en")
    fixes = fixes_for(spec, problem)
    labels = [f.label["en"] for f in fixes]
    assert labels == ["Padding 1", "Kernel 12x12", "One pooling layer fewer"]
    for fix in fixes:
        assert fix.label["zh"] and fix.label["zh"] != fix.label["en"]
        fixed = check(fix.spec, num_outputs=10)
        assert fixed.ok, (fix.label, fixed.problems)
    assert [x.kind for x in fixes[2].spec.layers].count("MaxPool2d") == 0


def test_a_pool_window_too_large_shrinks_without_padding() -> None:
    spec = NetworkSpec((1, 8, 8), (LayerSpec("MaxPool2d", {"kernel_size": 9}),
                                   LayerSpec("Flatten"),
                                   LayerSpec("Linear", {"out_features": 2})))
    problem = next(p for p in check(spec).problems if p.code == "kernel-too-large")
    fixes = fixes_for(spec, problem)
    assert [f.label["en"] for f in fixes] == ["Kernel 8x8"]
    assert check(fixes[0].spec).ok
