"""Architecture: stacks that cannot work, what the checker says about each (in both
languages), the CLI refusing them, the window explaining the disabled Train button —
and the studio still usable after (undo brings Train back). Also: 500 layers, and
editing the stack while a run is going on.
"""

from __future__ import annotations

import json
import time

import pytest

from nnstudio.core.datasets import load_dataset
from nnstudio.core.errors import NNStudioError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec as L
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.loop import fit, preflight

from .helpers import (
    assert_cli_refuses,
    assert_error_message,
    assert_user_message,
    has_cjk,
    run_cli,
)

IMG = (1, 8, 8)  # the `digits` dataset: image cases stay tiny and offline


def flat(*layers: L) -> NetworkSpec:
    return NetworkSpec((2,), layers)


def image(*layers: L, shape=IMG) -> NetworkSpec:
    return NetworkSpec(shape, layers)


def lin(n) -> L:
    return L("Linear", {"out_features": n})


def deep(count: int) -> NetworkSpec:
    layers = [lin(8) if i % 2 == 0 else L("ReLU") for i in range(count - 1)]
    return flat(*layers, lin(3))


# (case id, spec, dataset whose outputs it must fit, fragment of the first error)
BAD_STACKS = [
    ("empty-stack", flat(), "spiral", "no layers"),
    (
        "kernel-larger-than-map",
        image(L("Conv2d", {"kernel_size": 9})),
        "digits",
        "larger than the 8x8",
    ),
    (
        "pool-to-zero",
        image(*[L("MaxPool2d", {"kernel_size": 2})] * 4),
        "digits",
        "larger than the 1x1",
    ),
    (
        "avgpool-to-zero",
        image(*[L("AvgPool2d", {"kernel_size": 3})] * 3),
        "digits",
        "larger than",
    ),
    ("zero-width", flat(lin(0)), "spiral", "outside 1 to"),
    ("negative-width", flat(lin(-4)), "spiral", "outside 1 to"),
    ("huge-width", flat(lin(10**9)), "spiral", "outside 1 to"),
    ("fractional-width", flat(lin(2.5)), "spiral", "whole number"),
    ("nan-width", flat(lin(float("nan"))), "spiral", "whole number"),
    ("zero-filters", image(L("Conv2d", {"out_channels": 0})), "digits", "outside"),
    ("stride-zero", image(L("Conv2d", {"stride": 0})), "digits", "outside"),
    (
        "too-many-parameters",
        NetworkSpec((20_000,), (lin(20_000),)),
        None,
        "more than 200,000,000",
    ),
    (
        "dropout-one",
        flat(L("Dropout", {"p": 1.0}), lin(3)),
        "spiral",
        "outside 0 to <1",
    ),
    ("dropout-negative", flat(L("Dropout", {"p": -0.1}), lin(3)), "spiral", "outside"),
    ("dropout-above-one", flat(L("Dropout", {"p": 1.5}), lin(3)), "spiral", "outside"),
    (
        "dropout-nan",
        flat(L("Dropout", {"p": float("nan")}), lin(3)),
        "spiral",
        "must be a number",
    ),
    (
        "leaky-slope-negative",
        flat(L("LeakyReLU", {"negative_slope": -1}), lin(3)),
        "spiral",
        "outside",
    ),
    (
        "output-width-vs-classes",
        flat(lin(16), L("ReLU"), lin(5)),
        "spiral",
        "gives 5 outputs but the dataset needs 3",
    ),
    ("output-not-flat", image(L("Conv2d")), "digits", "must be a flat vector"),
    ("conv-on-points", flat(L("Conv2d"), lin(3)), "spiral", "works on images"),
    ("pool-on-points", flat(L("MaxPool2d"), lin(3)), "spiral", "works on images"),
    ("linear-on-image", image(lin(10)), "digits", "add a Flatten above it"),
    (
        "conv-after-flatten",
        image(L("Flatten"), L("Conv2d")),
        "digits",
        "move Flatten below it",
    ),
    ("unknown-kind", flat(L("Capsule"), lin(3)), "spiral", "unknown layer kind"),
    (
        "unknown-parameter",
        flat(L("ReLU", {"alpha": 2}), lin(3)),
        "spiral",
        "no parameter 'alpha'",
    ),
    (
        "bias-not-a-choice",
        flat(L("Linear", {"out_features": 3, "bias": True})),
        "spiral",
        "must be one of",
    ),
    ("input-zero", NetworkSpec((0,), (lin(3),)), "spiral", "1 or more"),
    ("input-negative", NetworkSpec((-1, 8, 8), (L("Flatten"),)), "digits", "1 or more"),
    ("input-empty", NetworkSpec((), (lin(3),)), "spiral", "1 or more"),
]
IDS = [c[0] for c in BAD_STACKS]
OUTPUTS = {"spiral": 3, "digits": 10, None: None}


@pytest.mark.parametrize("name,spec,dataset,fragment", BAD_STACKS, ids=IDS)
def test_checker_explains(name, spec, dataset, fragment) -> None:
    report = check(spec, num_outputs=OUTPUTS[dataset], loss="cross-entropy")
    assert not report.ok
    assert_user_message(report.errors[0].message("en"), fragment)
    zh = report.errors[0].message("zh")
    assert has_cjk(zh), zh  # every shape problem is also worded in Chinese
    assert_user_message(zh)
    if not check(spec).ok:  # building refuses it too (output width needs the data)
        with pytest.raises(NNStudioError) as info:
            build_model(spec)
        assert_error_message(info.value)


@pytest.mark.parametrize("name,spec,dataset,fragment", BAD_STACKS, ids=IDS)
def test_cli_refuses_bad_stack(name, spec, dataset, fragment, tmp_path, capsys) -> None:
    path = tmp_path / f"{name}.json"
    body = json.dumps(spec.to_dict(), allow_nan=True)
    path.write_text(body, encoding="utf-8")
    if dataset is None or name.startswith("input-"):
        # `train --dataset` would adopt the dataset's input shape: ask `summary`
        result = run_cli(capsys, "summary", path)
        assert result.rc == 2 and "Traceback" not in result.err
        assert all(line.startswith("nnstudio: ") for line in result.err_lines)
        assert_user_message(result.err_lines[0], fragment)
    else:
        result = run_cli(
            capsys, "train", path, "--dataset", dataset, "--epochs", "1", "--no-probes"
        )
        assert_cli_refuses(result, fragment)
    assert path.read_text(encoding="utf-8") == body


def test_input_shape_set_by_dataset_is_named(tmp_path, capsys) -> None:
    """A spec for 2 inputs trained on digits: the CLI adopts the dataset's shape and
    then explains the first layer that cannot take it."""
    path = tmp_path / "points.json"
    path.write_text(flat(lin(16), L("ReLU"), lin(3)).to_json(), encoding="utf-8")
    result = run_cli(capsys, "train", path, "--dataset", "digits", "--epochs", "1")
    assert_cli_refuses(result, "add a Flatten above it")


def test_softmax_before_cross_entropy_is_a_warning(capsys) -> None:
    spec = flat(lin(16), L("ReLU"), lin(3), L("Softmax"))
    report = check(spec, num_outputs=3, loss="cross-entropy")
    assert report.ok  # a warning, not an error: the student may try it
    (warning,) = report.problems
    assert warning.severity == "warning"
    assert_user_message(warning.message(), "Softmax", "remove it")
    assert has_cjk(warning.message("zh"))
    data = load_dataset("spiral", size=30)
    summary = fit(
        spec, data, PRESETS["spiral-relu"].train_config(epochs=1, probes=False)
    )
    assert summary.finished.reason == "finished"


def test_cli_train_warns_about_softmax(tmp_path, capsys) -> None:
    path = tmp_path / "softmax.json"
    path.write_text(flat(lin(16), L("ReLU"), lin(3), L("Softmax")).to_json(), "utf-8")
    result = run_cli(capsys, "train", path, "--epochs", "1", "--no-probes")
    assert result.rc == 0
    assert "Softmax" in result.err


def test_batchnorm_with_batches_of_one(capsys) -> None:
    preset = PRESETS["deep-relu-bn"]
    data = load_dataset("spiral", size=20)
    with pytest.raises(NNStudioError) as info:
        preflight(preset.spec, data, preset.train_config(batch_size=1))
    assert_error_message(info.value, "BatchNorm", "batch size to 2")
    result = run_cli(capsys, "train", "deep-relu-bn", "--batch-size", "1")
    assert_cli_refuses(result, "BatchNorm")


def test_output_width_against_the_chosen_dataset(capsys) -> None:
    result = run_cli(
        capsys, "train", "spiral-relu", "--dataset", "moons", "--epochs", "1"
    )
    assert_cli_refuses(result, "3 outputs but the dataset needs 2")


def test_five_hundred_layers_check_build_and_train(capsys, tmp_path) -> None:
    spec = deep(500)
    started = time.perf_counter()
    report = check(spec, num_outputs=3)
    assert report.ok and len(report.layers) == 500
    assert time.perf_counter() - started < 10
    path = tmp_path / "deep.json"
    path.write_text(spec.to_json(), encoding="utf-8")
    result = run_cli(capsys, "summary", path)
    assert result.rc == 0 and "500  Linear" in result.out
    data = load_dataset("spiral", size=20)
    summary = fit(
        spec, data, PRESETS["spiral-relu"].train_config(epochs=1, probes=True)
    )
    assert summary.finished.reason == "finished", summary.finished.message


# --- the window -----------------------------------------------------------------------
UI_STACKS = [
    "empty-stack",
    "kernel-larger-than-map",
    "pool-to-zero",
    "dropout-one",
    "output-width-vs-classes",
    "conv-on-points",
    "linear-on-image",
    "unknown-kind",
]


@pytest.mark.parametrize(
    "name,spec,dataset,fragment",
    [c for c in BAD_STACKS if c[0] in UI_STACKS],
    ids=UI_STACKS,
)
def test_window_explains_and_recovers(
    name, spec, dataset, fragment, studio, shots
) -> None:
    window = studio
    doc, panel = window.document, window.training_panel
    if dataset != "spiral":
        panel.data_box.choose_dataset(dataset)
        doc.set_spec(image(L("Flatten"), lin(10)), "a valid network for digits")
    good = doc.spec
    assert panel.run.train_button.isEnabled(), panel.run.blocked_label.text()
    doc.set_spec(spec.with_input_shape(good.input_shape), name)
    assert not panel.run.train_button.isEnabled()
    assert panel.run.blocked_label.isVisible()
    assert_user_message(panel.run.blocked_label.text(), fragment)
    assert fragment.lower() in panel.run.train_button.toolTip().lower()
    assert not window.start_training()  # F5 / the menu refuse too
    assert not window.controller.running
    if name == "kernel-larger-than-map":
        window.grab().save(str(shots / "stack_kernel_too_large.png"))
    doc.undo_stack.undo()  # the student's way back
    assert doc.spec == good
    assert panel.run.train_button.isEnabled(), panel.run.blocked_label.text()
    assert window.modals.calls == []


def test_window_dropout_p_field_refuses_one(studio) -> None:
    """Typing p = 1 into the Dropout editor is refused on the spot, range shown."""
    window = studio
    from nnstudio.ui.layer_editor import NumberEdit

    doc = window.document
    doc.insert_layer(1, L("Dropout"))
    window.network_panel.editor.select_row(1)
    edit = window.layer_editor.editors["p"]
    assert isinstance(edit, NumberEdit)
    for typed in ("1", "1.5", "-0.1", "nan"):
        edit.setText(typed)
        assert not edit.commit()
        assert_user_message(edit.error, "outside the range")
        assert doc.spec.layers[1]["p"] == 0.5
    edit.setText("０．２")  # a Chinese IME's full-width digits
    assert edit.commit() and doc.spec.layers[1]["p"] == pytest.approx(0.2)


def test_window_softmax_warning_still_trains(studio, qtbot) -> None:
    window = studio
    doc, panel = window.document, window.training_panel
    doc.insert_layer(3, L("Softmax"))
    warnings = [p for p in doc.report.problems if p.severity == "warning"]
    assert warnings and warnings[0].code == "softmax-before-ce"
    assert panel.run.train_button.isEnabled()
    window.network_panel.editor.select_row(3)
    assert_user_message(window.layer_editor.problem_label.text(), "Softmax")


def test_window_batch_size_one_with_batchnorm(studio) -> None:
    window = studio
    panel = window.training_panel
    window.load_preset("deep-relu-bn")
    edit = panel.form.numbers["batch_size"]
    edit.setText("1")
    assert edit.commit()
    assert not panel.run.train_button.isEnabled()
    assert_user_message(panel.run.blocked_label.text(), "BatchNorm", "2 or more")
    window.document.undo_stack.undo()
    assert panel.run.train_button.isEnabled()


def test_window_five_hundred_layers(studio, qtbot) -> None:
    """500 cards: the window takes them, Train is possible, edits and undo work.
    (Each edit re-checks all 500 layers in the GUI thread: ~2 s here.)"""
    window = studio
    doc = window.document
    started = time.perf_counter()
    doc.set_spec(deep(500), "500 layers")
    doc.insert_layer(0, L("Flatten"))
    assert time.perf_counter() - started < 20
    assert window.network_panel.editor.model().rowCount() == 501
    panel = window.training_panel
    assert panel.run.train_button.isEnabled(), panel.run.blocked_label.text()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.spec == PRESETS["spiral-relu"].spec


def test_window_editing_the_stack_while_training(studio, qtbot) -> None:
    """The run trains the spec it started with; edits go on meanwhile; its weights
    belong to that spec (back by undo), and nothing is lost or mixed up."""
    window = studio
    doc, ctl = window.document, window.controller
    doc.set_config(doc.config.with_(epochs=400), "long")
    trained_spec = doc.spec
    assert window.start_training()
    qtbot.waitUntil(lambda: ctl.last_step is not None, timeout=30_000)
    doc.insert_layer(1, L("Dropout", {"p": 0.2}))
    doc.remove_layer(0)
    doc.replace_layer(0, L("Tanh"))
    window.network_panel.editor.select_row(0)
    assert ctl.running and ctl.spec == trained_spec  # the run's snapshot is untouched
    assert not window.load_preset("cnn-mnist")  # refused while running, with a reason
    assert_user_message(window.message_bar.last_text, "Stop the training")
    ctl.stop()
    qtbot.waitUntil(lambda: not ctl.running, timeout=30_000)
    assert ctl.finished.reason == "stopped"
    assert doc.spec != trained_spec and doc.weights is None  # not this architecture's
    while doc.spec != trained_spec and doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert doc.spec == trained_spec and doc.weights is not None
    assert window.training_panel.run.train_button.isEnabled()


# --- issue 13: the shape check never raises, whatever the values ---------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nnstudio.core.network.layers import LAYER_KINDS  # noqa: E402

HOSTILE = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.text(max_size=5),
        st.integers(-(10**400), 10**400),
        st.integers(0, 4).map(lambda i: (10**400, -(10**400), 10**5000, 2**63,
                                         2**64)[i]),  # no repr for 10^5000
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3),
                                                               inner, max_size=2),
    max_leaves=6,
)


def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


@st.composite
def hostile_layers(draw):
    kind = draw(st.sampled_from(sorted(LAYER_KINDS)))
    names = [p.name for p in LAYER_KINDS[kind].params] + ["zz"]
    keys = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    params = {}
    for key in keys:
        params[key] = draw(HOSTILE | st.just(_deep(900)))
    return L(kind, params)


DIMS = st.integers(-3, 40) | st.integers(0, 2).map(
    lambda i: (10**400, 2**63, 10**5000)[i])


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(shape=st.lists(DIMS, min_size=0, max_size=4),
       stack=st.lists(hostile_layers(), max_size=4))
def test_issue13_shape_check_never_raises(shape, stack) -> None:
    """A property test found OverflowError (10^400 in a parameter); check() must
    answer every spec with a report, and every problem must be wordable."""
    spec = NetworkSpec(tuple(shape), tuple(stack))
    report = check(spec)
    for problem in report.problems:
        words = problem.message()
        assert words and "\n" not in words and len(words) < 600


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.dictionaries(
    st.sampled_from(["schema_version", "input_shape", "layers", "init", "init_std",
                     "initial_weights", "extra"]), HOSTILE, max_size=3))
def test_issue13_spec_from_dict_refuses_in_words(changes) -> None:
    """Whatever a hand-edited spec holds: a spec, or one plain line (SpecError)."""
    data = {**PRESETS["spiral-relu"].spec.to_dict(), **changes}
    try:
        NetworkSpec.from_dict(data)
    except NNStudioError as exc:
        assert str(exc) and "\n" not in str(exc) and len(str(exc)) < 600
