"""Training settings: numbers as people type them, and one-line refusals."""

import math

import pytest

from nnstudio.core.errors import ConfigError
from nnstudio.core.training.config import TrainConfig, parse_number, validate


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("０．０１", 0.01),
        ("0,01", 0.01),
        (" 1e-3 ", 0.001),
        ("３２", 32.0),
        ("0。5", 0.5),
    ],
)
def test_parse_number(raw, value) -> None:
    assert math.isclose(parse_number(raw), value)


def test_whole_number_fields_group_thousands() -> None:
    assert parse_number("1,000", integer=True) == 1000
    assert parse_number("１，０００", integer=True) == 1000


def test_not_a_number() -> None:
    with pytest.raises(ValueError, match="'abc' is not a number"):
        parse_number("abc")


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"lr": 0.0}, "learning rate must be a number greater than 0"),
        ({"lr": -1.0}, "learning rate must be"),
        ({"lr": float("nan")}, "learning rate must be"),
        ({"lr": 1e10}, "absurdly large"),
        ({"batch_size": 0}, "batch size must be"),
        ({"epochs": 0}, "epochs must be"),
        ({"epochs": 10**9}, "epochs must be"),
        ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'"),
        ({"loss": "hinge"}, "unknown loss 'hinge'"),
        ({"momentum": 1.0}, "momentum must be"),
    ],
)
def test_bad_settings_are_refused_in_one_line(changes, fragment) -> None:
    with pytest.raises(ConfigError, match=fragment) as info:
        validate(TrainConfig(**changes))
    assert "\n" not in str(info.value)


def test_round_trip_ignores_unknown_keys() -> None:
    config = TrainConfig(lr=0.5, dataset_options={"size": 10})
    again = TrainConfig.from_dict({**config.to_dict(), "from_the_future": 1})
    assert again == config
