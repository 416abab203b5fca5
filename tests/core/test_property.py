"""Random stacks either build and run with the predicted shape, or are refused."""

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnstudio.core.export.formats import token_count
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LAYER_KINDS, LayerSpec
from nnstudio.core.network.shapes import check
from nnstudio.core.network.spec import NetworkSpec


def _param_value(param):
    if param.type == "int":
        return st.integers(int(param.min or 0) - 1, min(int(param.max or 8), 8))
    if param.type == "float":
        return st.floats(-0.5, 1.5, allow_nan=False)
    if param.type == "bool":
        return st.booleans()
    return st.sampled_from(param.choices)


@st.composite
def layers(draw):
    kind = LAYER_KINDS[draw(st.sampled_from(sorted(LAYER_KINDS)))]
    params = {p.name: draw(_param_value(p)) for p in kind.params if draw(st.booleans())}
    return LayerSpec(kind.kind, params)


shapes = st.one_of(
    st.tuples(st.integers(1, 12)),
    st.tuples(st.integers(1, 3), st.integers(1, 12), st.integers(1, 12)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes, stack=st.lists(layers(), min_size=0, max_size=6))
def test_random_stacks_build_or_are_refused(shape, stack) -> None:
    spec = NetworkSpec(shape, tuple(stack))
    report = check(spec)
    if not report.ok:
        assert report.errors and all(p.message() for p in report.errors)
        return
    model = build_model(spec, seed=0).eval()
    tokens = token_count(spec)  # an Embedding first takes token ids, not floats
    x = (
        torch.randn(2, *shape)
        if tokens is None
        else torch.randint(0, tokens, (2, *shape))
    )
    with torch.no_grad():
        out = model(x)
    assert tuple(out.shape[1:]) == report.output_shape
    assert sum(p.numel() for p in model.parameters()) == report.total_params
