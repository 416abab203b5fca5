"""The backprop lab against torch: Mazur's worked numbers, and random small networks
whose displayed factors must multiply to autograd's gradient."""

from __future__ import annotations

import random

import pytest
import torch

from nnstudio.core.errors import SpecError
from nnstudio.core.lessons.backprop import LabNetwork, describe
from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.losses import LOSSES


@pytest.fixture
def mazur() -> LabNetwork:
    return LabNetwork.from_preset("backprop-2-2-2")


def test_mazur_forward_and_loss(mazur: LabNetwork) -> None:
    rows = {r.unit.name: r for r in mazur.forward_table()}
    assert rows["i1"].out == pytest.approx(0.05)
    assert rows["h1"].net == pytest.approx(0.3775, abs=1e-6)
    assert rows["h1"].out == pytest.approx(0.593269992, abs=1e-6)
    assert rows["o1"].out == pytest.approx(0.75136507, abs=1e-6)
    assert rows["o2"].out == pytest.approx(0.772928465, abs=1e-6)
    shares, total = mazur.loss_table()
    assert [r.error for r in shares] == pytest.approx(
        [0.274811083, 0.023560026], abs=1e-6
    )
    assert total == pytest.approx(0.298371109, abs=1e-6)


def test_mazur_chain_rule_w5(mazur: LabNetwork) -> None:
    rule = mazur.chain_rule("w5")
    assert rule.formula() == "dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5"
    values = [f.value for f in rule.terms[0].factors]
    assert values == pytest.approx([0.74136507, 0.186815602, 0.593269992], abs=1e-6)
    assert rule.product == pytest.approx(0.082167041, abs=1e-7)
    assert rule.gradient == pytest.approx(rule.product, rel=1e-5)


def test_mazur_hidden_weight_expansion(mazur: LabNetwork) -> None:
    rule = mazur.chain_rule("w1")
    assert rule.expanded == "dE/dout_h1"
    assert sum(t.product for t in rule.expansion) == pytest.approx(
        0.036350306, abs=1e-6
    )
    assert rule.terms[0].factors[0].value == pytest.approx(0.036350306, abs=1e-6)
    assert rule.gradient == pytest.approx(0.000438568, abs=1e-8)


def _meanings(rule) -> list[tuple[str, str]]:
    return [(f.meaning, f.source) for f in rule.terms[0].factors]


def test_each_factor_says_what_it_is(mazur: LabNetwork) -> None:
    """The words beside a factor come from its meaning, never from its name."""
    assert _meanings(mazur.chain_rule("w5")) == [
        ("error-half-sse", ""),
        ("slope-sigmoid", ""),
        ("input", "h1"),
    ]
    assert _meanings(mazur.chain_rule("w1")) == [
        ("sum-next", ""),
        ("slope-sigmoid", ""),
        ("input", "i1"),
    ]
    assert _meanings(mazur.chain_rule("b2"))[2] == ("bias", "")
    mazur.set_loss("mse")
    mazur.set_activation(["relu", "tanh"])
    assert _meanings(mazur.chain_rule("w5"))[:2] == [
        ("error-mse", ""),
        ("slope-tanh", ""),
    ]
    assert _meanings(mazur.chain_rule("w1"))[1] == ("slope-relu", "")


def test_a_copy_keeps_the_numbers_and_stays_apart(mazur: LabNetwork) -> None:
    before = mazur.copy()
    mazur.step()
    assert before.value("w5") == pytest.approx(0.4)
    assert before.chain_rule("w5").product == pytest.approx(0.082167041, abs=1e-7)
    assert mazur.value("w5") != pytest.approx(0.4)


def test_mazur_one_step(mazur: LabNetwork) -> None:
    update = mazur.step()
    assert update["w5"][1] == pytest.approx(0.35891648, abs=1e-7)
    assert update["w1"][1] == pytest.approx(0.14978072, abs=1e-7)
    assert update["w8"][1] == pytest.approx(0.56137012, abs=1e-7)
    assert update["b1"] == (pytest.approx(0.35), pytest.approx(0.35))  # frozen bias
    assert mazur.state()["3_linear.weight"][0][0] == pytest.approx(0.35891648, abs=1e-7)


def test_frozen_bias_shows_its_gradient_but_does_not_move(mazur: LabNetwork) -> None:
    rule = mazur.chain_rule("b2")
    assert not rule.trainable and len(rule.terms) == 2  # shared by o1 and o2
    assert rule.product == pytest.approx(rule.gradient, rel=1e-5)
    mazur.set_train_bias(True)
    assert mazur.step()["b2"][1] == pytest.approx(0.6 - 0.5 * rule.gradient, abs=1e-6)


def test_run_approaches_targets(mazur: LabNetwork) -> None:
    losses = mazur.run(1000)
    assert len(losses) == 1001 and losses[-1] < losses[0] / 10
    assert mazur.outputs() == pytest.approx([0.01, 0.99], abs=0.05)


def _random_lab(rng: random.Random) -> LabNetwork:
    depth = rng.randint(1, 4)
    sizes = [rng.randint(1, 8) for _ in range(depth + 1)]
    lab = LabNetwork(
        sizes,
        activation=[
            rng.choice(["sigmoid", "tanh", "relu", "linear"]) for _ in sizes[1:]
        ],
        loss=rng.choice(["half-sse", "mse"]),
        bias=rng.choice(["shared", "per-unit", "none"]),
        train_bias=rng.random() < 0.5,
        lr=0.1,
        inputs=[rng.uniform(-1, 1) for _ in range(sizes[0])],
        targets=[rng.uniform(0, 1) for _ in range(sizes[-1])],
        seed=rng.randint(0, 999),
    )
    return lab


def _oracle(
    lab: LabNetwork,
) -> tuple[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """Plain torch on an independent copy of the same network: out, loss, gradients."""
    model = build_model(lab.spec)
    for p in model.parameters():
        p.requires_grad_(True)
    x = torch.tensor([lab.inputs])
    t = torch.tensor([lab.targets])
    out = model(x)
    loss = LOSSES[lab.loss_name].make()(out, t)
    names = [n for n, _ in model.named_parameters()]
    grads = torch.autograd.grad(loss, list(model.parameters()))
    return out.detach(), loss.detach(), dict(zip(names, grads, strict=True))


@pytest.mark.parametrize("seed", range(25))
def test_random_networks_match_autograd(seed: int) -> None:
    lab = _random_lab(random.Random(seed))
    out, loss, grads = _oracle(lab)
    assert lab.outputs() == pytest.approx(out[0].tolist(), abs=1e-6)
    shares, total = lab.loss_table()
    assert total == pytest.approx(float(loss), abs=1e-6)
    assert sum(r.error for r in shares) == pytest.approx(total, abs=1e-6)
    for w in lab.weights():
        index = (w.row,) if w.col is None else (w.row, w.col)
        expected = float(grads[w.key][index])
        rule = lab.chain_rule(w.name)
        assert rule.gradient == pytest.approx(expected, abs=1e-6)
        assert rule.product == pytest.approx(expected, rel=1e-4, abs=1e-7)
        if rule.expansion:
            first = rule.terms[0].factors[0].value
            assert sum(t.product for t in rule.expansion) == pytest.approx(
                first, abs=1e-6
            )


@pytest.mark.parametrize("seed", range(5))
def test_random_step_is_sgd(seed: int) -> None:
    lab = _random_lab(random.Random(100 + seed))
    _, _, grads = _oracle(lab)
    before = lab.values()
    update = lab.step()
    for w in lab.weights():
        index = (w.row,) if w.col is None else (w.row, w.col)
        moves = not w.is_bias or lab.train_bias
        expected = before[w.name] - (
            lab.lr * float(grads[w.key][index]) if moves else 0
        )
        assert update[w.name][1] == pytest.approx(expected, abs=1e-6)


def test_weight_names_follow_the_textbook(mazur: LabNetwork) -> None:
    names = {
        w.name: (w.src.name if w.src else None, [d.name for d in w.dst])
        for w in mazur.weights()
    }
    assert names["w1"] == ("i1", ["h1"])
    assert names["w2"] == ("i2", ["h1"])
    assert names["w3"] == ("i1", ["h2"])
    assert names["w4"] == ("i2", ["h2"])
    assert names["w5"] == ("h1", ["o1"])
    assert names["w8"] == ("h2", ["o2"])
    assert names["b1"] == (None, ["h1", "h2"])
    assert names["b2"] == (None, ["o1", "o2"])


def test_edits_change_the_numbers(mazur: LabNetwork) -> None:
    before = mazur.outputs()
    mazur.set_value("w5", 1.0)
    assert mazur.outputs()[0] > before[0]
    mazur.set_input(0, 1.0)
    mazur.set_target(1, 0.5)
    mazur.set_loss("mse")
    shares, total = mazur.loss_table()
    assert shares[1].target == 0.5 and total == pytest.approx(
        sum(r.error for r in shares)
    )
    mazur.set_activation("tanh")
    assert mazur.value("w5") == pytest.approx(1.0)  # structure change keeps weights
    mazur.set_bias_mode("per-unit")
    assert [w.name for w in mazur.weights() if w.is_bias] == ["b1", "b2", "b3", "b4"]
    assert mazur.value("b3") == pytest.approx(0.6)
    mazur.resize([3, 4, 2, 1])
    assert len(mazur.inputs) == 3 and len(mazur.outputs()) == 1


def test_spec_round_trip(mazur: LabNetwork) -> None:
    mazur.step()
    again = LabNetwork.from_spec(mazur.spec, inputs=mazur.inputs, targets=mazur.targets)
    assert again.values() == pytest.approx(mazur.values())
    assert describe(PRESETS["backprop-2-2-2"].spec) == (
        [2, 2, 2],
        ["sigmoid"] * 2,
        "shared",
        False,
    )


@pytest.mark.parametrize("preset", ["spiral-relu", "cnn-mnist", "deep-sigmoid"])
def test_networks_too_big_or_not_dense_are_refused(preset: str) -> None:
    with pytest.raises(SpecError, match="backprop lab"):
        LabNetwork.from_spec(PRESETS[preset].spec)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(SpecError):
        LabNetwork([2, 9])
    with pytest.raises(SpecError):
        LabNetwork([2, 2], loss="cross-entropy")
    with pytest.raises(SpecError):
        LabNetwork([2, 2], lr=0)
    with pytest.raises(SpecError):
        LabNetwork([2, 2]).run(0)


def test_lab_refusals_in_chinese(monkeypatch) -> None:
    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    with pytest.raises(SpecError, match="反向传播实验室只适用于全连接网络"):
        LabNetwork.from_spec(PRESETS["cnn-mnist"].spec)
    with pytest.raises(SpecError, match="未知的损失函数“cross-entropy”"):
        LabNetwork([2, 2], loss="cross-entropy")
    with pytest.raises(SpecError, match="学习率.*0.0"):
        LabNetwork([2, 2], lr=0)
    with pytest.raises(SpecError, match="步数必须在 1 到 1,000,000 之间"):
        LabNetwork([2, 2]).run(0)
    with pytest.raises(SpecError, match="没有名为“w99”的权重"):
        LabNetwork([2, 2]).weight("w99")
