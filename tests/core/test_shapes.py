"""Shape checking: plain-language problems that name the layer, never a traceback."""

import pytest

from nnstudio.core.network.fixes import suggest_fix
from nnstudio.core.network.layers import LayerSpec as L
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec

CNN = PRESETS["cnn-mnist"].spec


def messages(spec, **kw):
    return [p.message() for p in check(spec, **kw).problems]


def test_preset_parameter_counts() -> None:
    assert check(CNN).total_params == 21_840
    assert check(PRESETS["mlp-fashion"].spec).total_params == 669_706


def test_every_preset_is_valid_for_its_loss() -> None:
    for preset in PRESETS.values():
        report = check(preset.spec, loss=preset.train_config().loss)
        assert report.ok and not report.problems, (preset.name, report.problems)


def test_flatten_above_first_conv_names_that_conv() -> None:
    bad = CNN.move(6, 0)
    (problem,) = check(bad).problems
    assert problem.index == 1 and problem.kind == "Conv2d"
    assert (
        "layer 2 Conv2d" in problem.message()
        and "move Flatten below it" in problem.message()
    )
    fixed = suggest_fix(bad, problem)
    assert check(fixed).ok and [layer.kind for layer in fixed.layers] == [
        layer.kind for layer in CNN.layers
    ]


def test_missing_flatten_is_offered_as_one_click_fix() -> None:
    bad = CNN.remove(6)
    (problem,) = check(bad).problems
    assert (
        problem.code == "needs-flat" and "add a Flatten above it" in problem.message()
    )
    assert check(suggest_fix(bad, problem)).ok


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        (
            NetworkSpec((1, 3, 3), (L("Conv2d", {"kernel_size": 5}),)),
            "kernel 5x5 is larger than the 3x3 feature map",
        ),
        (
            NetworkSpec((1, 4, 4), (L("MaxPool2d", {"kernel_size": 2}),) * 3),
            "larger than the 1x1",
        ),
        (NetworkSpec((2,), (L("Conv2d"),)), "needs a 3-D input"),
        (NetworkSpec((2,), (L("Dropout", {"p": 1.0}),)), "p = 1.0 is outside 0 to <1"),
        (
            NetworkSpec((2,), (L("Linear", {"out_features": 0}),)),
            "out_features = 0 is outside",
        ),
        (NetworkSpec((2,), (L("Linear", {"out_features": "ten"}),)), "whole number"),
        (NetworkSpec((2,), (L("Bogus"),)), "unknown layer kind 'Bogus'"),
        (NetworkSpec((2,), (L("Linear", {"colour": 3}),)), "no parameter 'colour'"),
        (NetworkSpec((2,), ()), "no layers"),
        (NetworkSpec((0,), (L("ReLU"),)), "input shape"),
        (
            NetworkSpec((50_000,), (L("Linear", {"out_features": 50_000}),)),
            "parameters, more than",
        ),
    ],
)
def test_problems_are_worded(spec, fragment) -> None:
    found = messages(spec)
    assert any(fragment in m for m in found), found


def test_output_width_and_softmax_warning() -> None:
    spec = NetworkSpec((2,), (L("Linear", {"out_features": 3}), L("Softmax")))
    report = check(spec, num_outputs=4, loss="cross-entropy")
    codes = {p.code: p.severity for p in report.problems}
    assert codes == {"output-width": "error", "softmax-before-ce": "warning"}
    assert check(spec, num_outputs=3, loss="cross-entropy").ok  # a warning only


def test_chinese_messages() -> None:
    spec = NetworkSpec((1, 3, 3), (L("Conv2d", {"kernel_size": 5}),))
    assert "第 1 层" in check(spec).problems[0].message("zh")


def test_500_layers_check_quickly() -> None:
    spec = NetworkSpec(
        (8,), tuple(L("Linear", {"out_features": 8}) for _ in range(500))
    )
    report = check(spec)
    assert report.ok and len(report.layers) == 500 and report.total_params == 500 * 72


def test_a_problem_with_a_huge_dimension_is_still_worded() -> None:
    """Hypothesis found MeanOverTime on a (10^5000,) input: the message raised
    ValueError (ints of over 4300 digits have no str)."""
    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.core.network.spec import NetworkSpec

    spec = NetworkSpec((10**5000,), (LayerSpec("MeanOverTime"),))
    report = check(spec)
    assert report.problems and all(p.message() for p in report.problems)
    assert all("\n" not in p.message() for p in report.problems)
