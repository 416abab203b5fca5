"""Spec JSON round trips and migrations; build names and init determinism."""

import json

import pytest
import torch

from nnstudio.core.errors import SpecError
from nnstudio.core.network.build import build_model, parameter_layers
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.network.spec import INITS, SCHEMA_VERSION, NetworkSpec


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_json_round_trip(name) -> None:
    spec = PRESETS[name].spec
    again = NetworkSpec.from_json(spec.to_json())
    assert again == spec and again.initial_weights == spec.initial_weights
    assert json.loads(spec.to_json())["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"schema_version": 99, "input_shape": [2], "layers": []}, "newer nnstudio"),
        ({"input_shape": [2]}, "'layers' must be a list"),
        ({"layers": []}, "'input_shape'"),
        ({"input_shape": [2], "layers": [], "colour": 1}, "unknown key"),
        ({"input_shape": [2], "layers": [{"params": {}}]}, "needs a 'kind'"),
        ({"input_shape": [2], "layers": [], "init": "magic"}, "unknown weight init"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_bad_spec_dicts(data, fragment) -> None:
    with pytest.raises(SpecError, match=fragment):
        NetworkSpec.from_dict(data)


def test_bad_json_text() -> None:
    with pytest.raises(SpecError, match="not valid JSON"):
        NetworkSpec.from_json("{not json")


def test_model_reads_like_hand_written_pytorch() -> None:
    model = build_model(PRESETS["cnn-mnist"].spec)
    text = str(model)
    assert "(1_conv2d): Conv2d(1, 10, kernel_size=(5, 5), stride=(1, 1))" in text
    assert "(10_linear): Linear(in_features=50, out_features=10, bias=True)" in text
    assert parameter_layers(model) == ["1_conv2d", "4_conv2d", "8_linear", "10_linear"]


@pytest.mark.parametrize("init", INITS)
def test_same_seed_same_weights(init) -> None:
    spec = NetworkSpec(
        PRESETS["spiral-relu"].spec.input_shape,
        PRESETS["spiral-relu"].spec.layers,
        init=init,
    )
    a, b, c = (build_model(spec, seed=s).state_dict() for s in (1, 1, 2))
    assert all(torch.equal(a[k], b[k]) for k in a)
    if init != "zeros":
        assert not all(torch.equal(a[k], c[k]) for k in a)
    else:
        assert all(torch.count_nonzero(v) == 0 for v in a.values())


def test_build_does_not_disturb_global_rng() -> None:
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    build_model(PRESETS["spiral-relu"].spec, seed=1)
    assert torch.equal(torch.rand(3), expected)


def test_backprop_preset_textbook_forward_pass() -> None:
    model = build_model(PRESETS["backprop-2-2-2"].spec)
    out = model(torch.tensor([[0.05, 0.10]]))
    assert torch.allclose(out, torch.tensor([[0.75136507, 0.772928465]]), atol=1e-6)
    assert not model[0].bias.requires_grad and model[0].bias.numel() == 1


def test_invalid_spec_refuses_to_build() -> None:
    with pytest.raises(SpecError, match="layer 2 Conv2d"):
        build_model(PRESETS["cnn-mnist"].spec.move(6, 0))
