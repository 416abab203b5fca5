"""Fields: learning rate, batch size, epochs (and a layer width) typed the ways people
type them — zero, negative, NaN, huge, full-width digits from a Chinese IME, decimal
commas — in the window (typed key by key, IME text committed as an IME does), on the
command line, and into the core's TrainConfig. A refused value names the range and
leaves the settings as they were; the studio still trains.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from nnstudio.core.datasets import load_dataset
from nnstudio.core.errors import ConfigError
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.config import TrainConfig, parse_number, validate
from nnstudio.core.training.loop import fit

from .helpers import (
    assert_cli_refuses,
    assert_error_message,
    assert_user_message,
    run_cli,
)

REFUSED = None


def type_into(qtbot, edit, text: str) -> None:
    """Replace the field's text the way a user does, then press Enter."""
    edit.setFocus()
    edit.selectAll()
    if text.isascii():
        if text:
            qtbot.keyClicks(edit, text)  # key by key: the live check runs each time
        else:
            qtbot.keyClick(edit, Qt.Key.Key_Delete)
    else:  # a Chinese IME commits its text in one go
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(edit, event)
    assert edit.text() == text
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# (field, typed, value it becomes or REFUSED, fragment of the refusal)
FIELD_CASES = [
    ("lr", "0", REFUSED, "outside the range"),
    ("lr", "-0.01", REFUSED, "outside the range"),
    ("lr", "nan", REFUSED, "outside the range"),
    ("lr", "1e10", REFUSED, "outside the range"),
    ("lr", "inf", REFUSED, "outside the range"),
    ("lr", "abc", REFUSED, "not a number"),
    ("lr", "", REFUSED, "not a number"),
    ("lr", "0.0.1", REFUSED, "not a number"),
    ("lr", "０．０１", 0.01, ""),  # full-width digits and point
    ("lr", "０，０５", 0.05, ""),  # full-width decimal comma
    ("lr", "0,003", 0.003, ""),  # decimal comma
    ("lr", "1e-3", 0.001, ""),
    ("lr", "１e－４", 0.0001, ""),
    ("batch_size", "0", REFUSED, "outside the range"),
    ("batch_size", "-8", REFUSED, "outside the range"),
    ("batch_size", "2.5", REFUSED, "not a whole number"),
    ("batch_size", "1", 1, ""),
    ("batch_size", "１２８", 128, ""),
    ("batch_size", "1e3", 1000, ""),
    ("batch_size", "99999999", REFUSED, "outside the range"),
    ("epochs", "0", REFUSED, "outside the range"),
    ("epochs", "1000001", REFUSED, "outside the range"),
    ("epochs", "1000000", 1_000_000, ""),
    ("epochs", "３", 3, ""),
    ("epochs", "1.5", REFUSED, "not a whole number"),
    ("seed", "-1", REFUSED, "outside the range"),
    # these three were a traceback / Python's own words until fixed (5f10e84)
    ("batch_size", "inf", REFUSED, "not a whole number"),
    ("epochs", "1e400", REFUSED, "not a whole number"),
    ("batch_size", "nan", REFUSED, "not a whole number"),
    ("batch_size", "1,000", 1000, ""),  # a thousands separator (was read as 1.0)
]
XFAIL_FIELD_CASES: list[tuple] = []  # (field, typed, value, fragment, bug)


def _cases():
    params = [pytest.param(*c, id=f"{c[0]}={c[1]!r}") for c in FIELD_CASES]
    params += [
        pytest.param(
            *c[:4],
            id=f"{c[0]}={c[1]!r}",
            marks=pytest.mark.xfail(strict=True, reason="BUG " + c[4]),
        )
        for c in XFAIL_FIELD_CASES
    ]
    return params


@pytest.mark.parametrize("field,typed,value,fragment", _cases())
def test_window_field(field, typed, value, fragment, studio, qtbot) -> None:
    panel, doc = studio.training_panel, studio.document
    edit = panel.form.numbers[field]
    before = doc.config
    type_into(qtbot, edit, typed)
    if value is REFUSED:
        assert doc.config == before, f"{typed!r} changed the settings"
        assert_user_message(edit.error, fragment)
        assert fragment.lower() in edit.toolTip().lower()  # the reason is shown
        button = panel.run.train_button
        assert "Train" in button.text() and button.isEnabled()
    else:
        got = getattr(doc.config, field)
        assert got == pytest.approx(value) and type(got) is type(value)
        assert edit.error == ""
        doc.undo_stack.undo()  # one undo step per committed value
        assert doc.config == before
    assert studio.modals.calls == []


def test_window_layer_width_field(studio, qtbot) -> None:
    window = studio
    window.network_panel.editor.select_row(0)
    edit = window.layer_editor.editors["out_features"]
    doc = window.document
    for typed in ("0", "-3", "1e9", "2.5", "many"):
        type_into(qtbot, edit, typed)
        assert doc.spec.layers[0]["out_features"] == 100, typed
        assert edit.error
    type_into(qtbot, edit, "６４")
    assert doc.spec.layers[0]["out_features"] == 64
    assert window.training_panel.run.train_button.isEnabled()


def test_window_still_trains_after_bad_fields(studio, qtbot) -> None:
    """After the whole table of bad entries above, the same window trains."""
    doc = studio.document
    doc.set_config(doc.config.with_(epochs=1, dataset_options={"size": 30}), "quick")
    assert studio.start_training()
    qtbot.waitUntil(lambda: not studio.controller.running, timeout=60_000)
    assert studio.controller.finished.reason == "finished"


# --- the CLI --------------------------------------------------------------------------
CLI_REFUSED = [
    ("--lr", "0", "learning rate must be a number greater than 0"),
    ("--lr", "-1", "greater than 0"),
    ("--lr", "nan", "greater than 0"),
    ("--lr", "1e10", "absurdly large"),
    ("--lr", "abc", "not a number"),
    ("--lr", "inf", "greater than 0"),
    ("--batch-size", "0", "batch size must be a whole number of at least 1"),
    ("--epochs", "0", "epochs must be a whole number from 1"),
    ("--epochs", "1000001", "epochs must be a whole number from 1"),
    ("--momentum", "1", "momentum must be from 0 to below 1"),
    ("--weight-decay", "-1", "weight decay must be 0 or more"),
    ("--clip-norm", "-1", "clipping"),
    ("--optimizer", "sgdd", "unknown optimizer"),
    ("--loss", "cross_entropy", "unknown loss"),
    ("--schedule", "linear", "unknown schedule"),
    ("--init", "he", "unknown weight init"),
]


@pytest.mark.parametrize(
    "option,value,fragment", CLI_REFUSED, ids=[f"{o}={v}" for o, v, _ in CLI_REFUSED]
)
def test_cli_refuses_field(option, value, fragment, capsys) -> None:
    result = run_cli(capsys, "train", "spiral-relu", option, value)
    assert_cli_refuses(result, fragment)


@pytest.mark.parametrize(
    "option,value", [("--epochs", "ten"), ("--batch-size", "0,5"), ("--epochs", "1e3")]
)
def test_cli_refuses_whole_number_typo_in_one_line(option, value, capsys) -> None:
    result = run_cli(capsys, "train", "spiral-relu", option, value)
    assert_cli_refuses(result, option.lstrip("-").replace("-", " "))


@pytest.mark.parametrize(
    "option,value",
    [
        ("--lr", "０．０２"),
        ("--lr", "0,02"),
        ("--batch-size", "１６"),
        ("--batch-size", "1"),
        ("--batch-size", "100000"),
        ("--epochs", "１"),
    ],
)
def test_cli_accepts_how_people_type(option, value, capsys) -> None:
    extra = [] if option == "--epochs" else ["--epochs", "1"]
    result = run_cli(
        capsys, "train", "spiral-relu", option, value, *extra, "--no-probes", "--json"
    )
    assert result.rc == 0, result.err
    assert '"epochs": 1' in result.out.splitlines()[-1]


# --- the core -------------------------------------------------------------------------
CONFIG_REFUSED = [
    ({"lr": 0.0}, "learning rate"),
    ({"lr": -0.1}, "learning rate"),
    ({"lr": math.nan}, "learning rate"),
    ({"lr": 1e10}, "absurdly large"),
    ({"lr": math.inf}, "learning rate"),
    ({"lr": "0.01"}, "learning rate"),
    ({"batch_size": 0}, "batch size"),
    ({"batch_size": 2.0}, "batch size"),
    ({"batch_size": True}, "batch size"),
    ({"epochs": 0}, "epochs"),
    ({"epochs": 10**9}, "epochs"),
    ({"momentum": -0.5}, "momentum"),
    ({"clip_norm": math.nan}, "clipping"),
    ({"early_stopping_patience": -1}, "patience"),
]


@pytest.mark.parametrize(
    "changes,fragment", CONFIG_REFUSED, ids=[str(c) for c, _ in CONFIG_REFUSED]
)
def test_core_config_refuses(changes, fragment) -> None:
    with pytest.raises(ConfigError) as info:
        validate(TrainConfig(**changes))
    assert_error_message(info.value, fragment)


@pytest.mark.parametrize(
    "raw,value",
    [
        ("０．０１", 0.01),
        ("0,01", 0.01),
        ("０，５", 0.5),
        (" 1e-3 ", 0.001),
        ("１２８", 128.0),
        ("3。5", 3.5),
    ],
)
def test_parse_number_reads_what_people_type(raw, value) -> None:
    assert parse_number(raw) == pytest.approx(value)


@pytest.mark.parametrize("batch", [1, 10_000])
def test_batch_of_one_and_larger_than_the_dataset(batch) -> None:
    data = load_dataset("spiral", size=10)
    config = PRESETS["spiral-relu"].train_config(
        epochs=2, batch_size=batch, probes=False
    )
    summary = fit(PRESETS["spiral-relu"].spec, data, config)
    assert summary.finished.reason == "finished", summary.finished.message
    expected = 2 * (len(data.x_train) if batch == 1 else 1)
    assert summary["steps"] == expected


def test_config_errors_in_chinese(zh) -> None:
    from .helpers import has_cjk

    with pytest.raises(ConfigError) as info:
        validate(TrainConfig(lr=0.0))
    assert has_cjk(str(info.value)), str(info.value)
    assert "学习率" in str(info.value) and "0.0" in str(info.value)
    with pytest.raises(ConfigError, match="批大小.*2.5"):  # the value stays as typed
        validate(TrainConfig(batch_size=2.5))
    with pytest.raises(ValueError, match="“abc”不是数字"):
        parse_number("abc")
