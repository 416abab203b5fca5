"""Every layer kind: the shape check's prediction equals torch's own module."""

import pytest
import torch
from torch import nn

from nnstudio.core.network.layers import CATEGORIES, LAYER_KINDS, LayerSpec
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec

# Reference modules written straight from torch.nn, independent of the catalog.
ORACLES = {
    "Linear": ({"out_features": 7}, lambda s: nn.Linear(s[-1], 7)),
    "Conv2d": (
        {"out_channels": 5, "kernel_size": 3, "stride": 2, "padding": 1},
        lambda s: nn.Conv2d(s[0], 5, 3, 2, 1),
    ),
    "MaxPool2d": ({"kernel_size": 2}, lambda s: nn.MaxPool2d(2)),
    "AvgPool2d": ({"kernel_size": 3, "stride": 1}, lambda s: nn.AvgPool2d(3, 1)),
    "AdaptiveAvgPool2d": ({"output_size": 2}, lambda s: nn.AdaptiveAvgPool2d(2)),
    "Flatten": ({}, lambda s: nn.Flatten()),
    "ReLU": ({}, lambda s: nn.ReLU()),
    "LeakyReLU": ({"negative_slope": 0.2}, lambda s: nn.LeakyReLU(0.2)),
    "Sigmoid": ({}, lambda s: nn.Sigmoid()),
    "Tanh": ({}, lambda s: nn.Tanh()),
    "GELU": ({}, lambda s: nn.GELU()),
    "Softmax": ({}, lambda s: nn.Softmax(dim=-1 if len(s) == 2 else 1)),
    "Dropout": ({"p": 0.3}, lambda s: nn.Dropout(0.3)),
    "BatchNorm": (
        {},
        lambda s: nn.BatchNorm2d(s[0]) if len(s) == 3 else nn.BatchNorm1d(s[0]),
    ),
    "LayerNorm": (
        {},
        lambda s: nn.LayerNorm(s[-1]) if len(s) == 2 else nn.LayerNorm(list(s)),
    ),
    "Residual": ({"out_channels": 8, "stride": 2}, None),
    "Resize": ({"size": 5}, lambda s: nn.Upsample(size=(5, 5), mode="bilinear")),
    "DenseBlock": ({"growth_rate": 3, "layers": 2}, None),
    **{kind: ({"weights": "none"}, None) for kind in
       ("ResNet18", "ResNet34", "MobileNetV3Small", "SqueezeNet11")},
    # sequences: (time, features); torch's own modules, batch-first
    "Embedding": (
        {"num_embeddings": 70, "embedding_dim": 4},
        lambda s: nn.Embedding(70, 4),
    ),
    "RNN": (
        {"hidden_size": 6, "num_layers": 2, "nonlinearity": "relu"},
        lambda s: _first(nn.RNN(s[-1], 6, 2, nonlinearity="relu", batch_first=True)),
    ),
    "LSTM": (
        {"hidden_size": 5, "num_layers": 1},
        lambda s: _first(nn.LSTM(s[-1], 5, 1, batch_first=True)),
    ),
    "GRU": (
        {"hidden_size": 4, "num_layers": 3},
        lambda s: _first(nn.GRU(s[-1], 4, 3, batch_first=True)),
    ),
    "MultiheadAttention": (
        {"num_heads": 1, "causal": True},
        lambda s: _SelfAttention(nn.MultiheadAttention(s[-1], 1, batch_first=True)),
    ),
    "PositionalEncoding": ({"kind": "learned"}, lambda s: _AddTable(s)),
    "TransformerEncoderLayer": (
        {"num_heads": 1, "dim_feedforward": 16, "dropout": 0.0},
        lambda s: nn.TransformerEncoderLayer(s[-1], 1, 16, 0.0, batch_first=True),
    ),
    "LastStep": ({}, lambda s: _Lambda(lambda x: x[:, -1])),
    "MeanOverTime": ({}, lambda s: _Lambda(lambda x: x.mean(dim=1))),
}
BACKBONES = {"ResNet18": "resnet18", "ResNet34": "resnet34",
             "MobileNetV3Small": "mobilenet_v3_small", "SqueezeNet11": "squeezenet1_1"}


class _DenseReference(nn.Module):
    """DenseNet's rule written out: each BN-ReLU-conv3x3 output joins the input."""

    def __init__(self, c: int, growth: int, layers: int) -> None:
        super().__init__()
        self.convs = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(c + i * growth), nn.ReLU(),
                          nn.Conv2d(c + i * growth, growth, 3, 1, 1, bias=False))
            for i in range(layers))

    def forward(self, x):
        for conv in self.convs:
            x = torch.cat([x, conv(x)], 1)
        return x


def _reference(kind: str, shape):
    """Reference modules for the kinds with no single torch.nn class."""
    import torchvision

    if kind == "DenseBlock":
        return _DenseReference(shape[0], 3, 2)
    model = torchvision.models.get_model(BACKBONES[kind], weights=None)
    if kind.startswith("ResNet"):
        model.fc = nn.Identity()
    elif kind == "SqueezeNet11":
        model.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    else:
        model.classifier = nn.Identity()
    return model
FLAT = [(3,), (17,), (64,)]
IMAGES = [(1, 8, 8), (3, 11, 9), (4, 28, 28)]
SEQUENCES = [(5, 3), (12, 8)]


class _Lambda(nn.Module):
    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def _first(module: nn.Module) -> nn.Module:
    """torch's recurrent layers return (output, state): keep the output."""
    wrapper = _Lambda(lambda x: module(x)[0])
    wrapper.inner = module
    return wrapper


class _SelfAttention(nn.Module):
    def __init__(self, attn: nn.MultiheadAttention) -> None:
        super().__init__()
        self.attn = attn

    def forward(self, x):
        return self.attn(x, x, x, need_weights=False)[0]


class _AddTable(nn.Module):
    def __init__(self, shape) -> None:
        super().__init__()
        self.table = nn.Parameter(torch.zeros(shape))

    def forward(self, x):
        return x + self.table


def _residual_reference(shape):
    c = shape[0]
    body = nn.Sequential(
        nn.Conv2d(c, 8, 3, 2, 1, bias=False),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.Conv2d(8, 8, 3, 1, 1, bias=False),
        nn.BatchNorm2d(8),
    )
    skip = nn.Sequential(nn.Conv2d(c, 8, 1, 2, bias=False), nn.BatchNorm2d(8))
    return body, skip


def _cases():
    for kind, (params, _) in ORACLES.items():
        ranks = LAYER_KINDS[kind].ranks
        shapes = [
            s for s in FLAT + IMAGES + SEQUENCES if ranks is None or len(s) in ranks
        ]
        if kind in BACKBONES:  # colour images only, of a size the nets can shrink
            shapes = [(3, 32, 32)]
        for shape in shapes:
            yield pytest.param(
                kind, params, shape, id=f"{kind}-{'x'.join(map(str, shape))}"
            )


def test_oracle_covers_every_kind() -> None:
    assert set(ORACLES) == set(LAYER_KINDS)
    assert {"Dense", "Convolution", "Activation"} <= set(CATEGORIES)


@pytest.mark.parametrize(("kind", "params", "shape"), list(_cases()))
def test_prediction_matches_torch(kind, params, shape) -> None:
    report = check(NetworkSpec(shape, (LayerSpec(kind, params),)))
    assert report.ok, [p.message() for p in report.problems]
    x = torch.randn(2, *shape)
    if LAYER_KINDS[kind].tokens:  # Embedding: token ids, not values
        x = torch.randint(0, 70, (2, *shape))
    if kind == "Residual":
        body, skip = _residual_reference(shape)
        expected = body(x) + skip(x)
        count = sum(p.numel() for m in (body, skip) for p in m.parameters())
    elif ORACLES[kind][1] is None:
        module = _reference(kind, shape).eval()
        expected = module(x)
        count = sum(p.numel() for p in module.parameters())
    else:
        module = ORACLES[kind][1](shape)
        expected = module(x)
        count = sum(p.numel() for p in module.parameters())
    assert report.layers[0].out_shape == tuple(expected.shape[1:])
    assert report.total_params == count


def test_every_kind_has_both_languages_and_a_formula() -> None:
    for kind in LAYER_KINDS.values():
        assert kind.description["en"] and kind.description["zh"] and kind.formula
        for param in kind.params:
            assert param.help.get("en") and param.help.get("zh"), (
                kind.kind,
                param.name,
            )


def test_layer_spec_fills_defaults_and_is_immutable() -> None:
    layer = LayerSpec("Linear", {"out_features": 10})
    assert layer["bias"] == "per-unit" and layer["out_features"] == 10
    with pytest.raises(TypeError):
        layer.params["out_features"] = 3  # type: ignore[index]
    assert layer.with_params(out_features=3)["out_features"] == 3
    assert LayerSpec.from_dict(layer.to_dict()) == layer
