"""The backprop lab: one training step of a tiny network worked out like a textbook.

Every number comes from torch autograd on the real nnstudio model (built by
`build_model` from a spec): net and out tensors keep their gradients with
`retain_grad`, the local derivatives dout/dnet and dnet/dw come from
`torch.autograd.grad` on the same graph, and the update is the app's own SGD. The lab
only names things the way textbooks do (Mazur's "A Step by Step Backpropagation
Example"): inputs i1.., hidden units h1.., outputs o1.., weights w1.. layer by layer
(w1: i1->h1, w2: i2->h1, w3: i1->h2, ...), biases b1.. .
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
from torch import nn

from nnstudio.core.errors import SpecError
from nnstudio.core.i18n import Text, formatter
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.losses import LOSSES
from nnstudio.core.training.optimizers import OPTIMIZERS

MAX_LAYERS = 4  # weight layers: beyond this a hand-worked step no longer fits a screen
MAX_UNITS = 8  # per layer (inputs included), same reason
ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU", "linear": None}
_KIND_TO_ACT = {kind: name for name, kind in ACTIVATIONS.items() if kind}
LAB_LOSSES = ("half-sse", "mse")
BIAS_MODES = ("shared", "per-unit", "none")
MAX_RUN = 1_000_000  # steps in one Run: the loop is cheap, but not unbounded

# What the lab refuses is told as, in both languages (the CLI and the window say the
# same sentence); `_msg()` picks the user's language when the error is raised.
_MESSAGES: dict[str, Text] = {
    "no-weight": {
        "en": "no weight named '{name}' in this network",
        "zh": "这个网络中没有名为“{name}”的权重",
    },
    "steps": {
        "en": "the number of steps must be from 1 to {most:,}",
        "zh": "步数必须在 1 到 {most:,} 之间",
    },
    "lab-only": {
        "en": "the backprop lab works on fully connected networks: Linear layers, each "
        "followed by at most one Sigmoid, Tanh or ReLU, with up to {layers} layers of "
        "up to {units} units",
        "zh": "反向传播实验室只适用于全连接网络：由 Linear 层组成，每个 Linear "
        "后面最多跟一个 Sigmoid、Tanh 或 ReLU，最多 {layers} 层，每层最多 {units} "
        "个单元",
    },
    "same-bias": {
        "en": "the backprop lab needs every Linear layer to use the same bias setting",
        "zh": "反向传播实验室要求每个 Linear 层使用相同的偏置设置",
    },
    "sizes": {
        "en": "the backprop lab takes 1 to {layers} layers of 1 to {units} units "
        "(inputs included)",
        "zh": "反向传播实验室接受 1 到 {layers} 层、每层 1 到 {units} 个单元"
        "（含输入层）",
    },
    "activations": {
        "en": "give one activation per layer ({layers})",
        "zh": "请为每一层指定一个激活函数（共 {layers} 层）",
    },
    "unknown-activation": {
        "en": "unknown activation '{value}': use one of {choices}",
        "zh": "未知的激活函数“{value}”：请使用 {choices} 之一",
    },
    "unknown-loss": {
        "en": "unknown loss '{value}': use one of {choices}",
        "zh": "未知的损失函数“{value}”：请使用 {choices} 之一",
    },
    "unknown-bias": {
        "en": "unknown bias '{value}': use one of {choices}",
        "zh": "未知的偏置方式“{value}”：请使用 {choices} 之一",
    },
    "lr": {
        "en": "learning rate must be a number greater than 0 (got {lr})",
        "zh": "学习率必须是大于 0 的数（当前为 {lr}）",
    },
}


_msg = formatter(_MESSAGES)


@dataclass(frozen=True)
class Unit:
    """A node of the drawing: an input, a hidden unit or an output."""

    name: str  # "i1", "h2", "o1"; "h1_2" when there is more than one hidden layer
    layer: int  # 0 = inputs, 1 = first weight layer's units, ...
    index: int  # position within its layer, 0-based


@dataclass(frozen=True)
class Weight:
    """One scalar parameter: a weight edge src -> dst or a bias of a layer."""

    name: str  # "w5", "b1"
    layer: int  # the weight layer it belongs to, 1-based
    key: str  # state_dict key, e.g. "3_linear.weight"
    row: int  # index into the tensor: (row, col) for weights, (row,) for biases
    col: int | None  # None for a bias
    src: Unit | None  # None for a bias
    dst: tuple[Unit, ...]  # the unit(s) it feeds: one, or all units for a shared bias

    @property
    def is_bias(self) -> bool:
        return self.col is None


# What a chain-rule factor is, for the words beside it (the UI words each code):
# the error's slope at an output (per loss), the sum over the next layer for a hidden
# unit, the activation's slope, 1 for a bias, the input a weight multiplies.
FACTOR_MEANINGS = (
    "error-half-sse",
    "error-mse",
    "sum-next",
    "slope-sigmoid",
    "slope-tanh",
    "slope-relu",
    "slope-linear",
    "bias",
    "input",
)


@dataclass(frozen=True)
class Factor:
    """One factor of the chain rule, named as a textbook writes it.

    `meaning` (one of FACTOR_MEANINGS, "" where none applies) says what it is, so
    nobody has to parse `name`; `source` is the unit an "input" factor comes from.
    """

    name: str  # "dE/dout_o1"
    value: float
    meaning: str = ""
    source: str = ""


@dataclass(frozen=True)
class Term:
    """A product of factors; a gradient is one term or the sum of several."""

    factors: tuple[Factor, ...]

    @property
    def product(self) -> float:
        result = 1.0
        for factor in self.factors:
            result *= factor.value
        return result


@dataclass(frozen=True)
class ChainRule:
    """dE/d<weight> written out: sum over terms of the product of their factors.

    `expansion` spells out dE/dout of a hidden unit as the sum over the units it
    feeds (dE/dnet_o * w); `gradient` is autograd's value for the same parameter.
    """

    weight: str
    terms: tuple[Term, ...]
    gradient: float
    trainable: bool
    expansion: tuple[Term, ...] = ()
    expanded: str = ""  # the factor the expansion explains, e.g. "dE/dout_h1"

    @property
    def product(self) -> float:
        return sum(term.product for term in self.terms)

    def formula(self) -> str:
        """'dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5'."""
        sums = " + ".join(" * ".join(f.name for f in t.factors) for t in self.terms)
        return f"dE/d{self.weight} = {sums}"

    def numbers(self, digits: int = 8) -> str:
        """The same with values: '= 0.74136507 * 0.18681560 * 0.59326999 = 0.0822'."""
        sums = " + ".join(
            " * ".join(f"{f.value:.{digits}f}" for f in t.factors) for t in self.terms
        )
        return f"= {sums} = {self.product:.{digits}f}"


@dataclass(frozen=True)
class UnitRow:
    """Forward table row: a unit's net input and its output (inputs: out only)."""

    unit: Unit
    net: float | None
    out: float


@dataclass(frozen=True)
class LossRow:
    """Loss table row: target, output and this output's share of the error."""

    unit: Unit
    target: float
    out: float
    error: float


@dataclass
class _Pass:
    """One forward/backward pass with every tensor a chain rule needs."""

    inputs: torch.Tensor
    nets: list[torch.Tensor]
    outs: list[torch.Tensor]
    local: list[torch.Tensor]  # dout/dnet per layer (autograd, elementwise)
    loss: torch.Tensor
    d_net: list[torch.Tensor]  # dE/dnet per layer (retain_grad), read right after
    d_out: list[torch.Tensor]  # dE/dout per layer    backward, before autograd.grad
    grads: dict[str, torch.Tensor] = field(default_factory=dict)  # state key -> grad


class LabNetwork:
    """A small fully connected network, one sample, and a loss, for hand-working.

    Editing anything (inputs, targets, a weight, the activation ...) discards the
    computed pass; the tables recompute it on demand from the model.
    """

    def __init__(
        self,
        sizes: Sequence[int] = (2, 2, 2),
        *,
        activation: str | Sequence[str] = "sigmoid",
        loss: str = "half-sse",
        bias: str = "shared",
        train_bias: bool = True,
        lr: float = 0.5,
        inputs: Sequence[float] | None = None,
        targets: Sequence[float] | None = None,
        weights: dict[str, object] | None = None,
        seed: int = 0,
    ) -> None:
        self.sizes = _check_sizes(sizes)
        self.activations = _check_activations(activation, len(self.sizes) - 1)
        self.loss_name = _check_choice(loss, LAB_LOSSES, "loss")
        self.bias = _check_choice(bias, BIAS_MODES, "bias")
        self.train_bias = bool(train_bias)
        self.lr = _check_lr(lr)
        self.inputs = _vector(inputs, self.sizes[0], 0.5)
        self.targets = _vector(targets, self.sizes[-1], 0.5)
        self.model = build_model(self._spec(weights), seed=seed)
        self._pass: _Pass | None = None
        self.last_update: dict[str, tuple[float, float]] = {}

    # --- construction ------------------------------------------------------------
    def copy(self) -> LabNetwork:
        """An independent lab with the same settings, sample and weights (e.g. the
        network as it was before an update, to show the rule that update used)."""
        return LabNetwork(
            self.sizes,
            activation=list(self.activations),
            loss=self.loss_name,
            bias=self.bias,
            train_bias=self.train_bias,
            lr=self.lr,
            inputs=self.inputs,
            targets=self.targets,
            weights=self.state(),
        )

    @classmethod
    def from_spec(
        cls,
        spec: NetworkSpec,
        *,
        loss: str = "half-sse",
        lr: float = 0.5,
        inputs: Sequence[float] | None = None,
        targets: Sequence[float] | None = None,
        seed: int = 0,
    ) -> LabNetwork:
        """Open a designed network in the lab; SpecError says why one does not fit."""
        sizes, acts, bias, train_bias = describe(spec)
        model = build_model(spec, seed=seed)
        weights = {k: v.tolist() for k, v in model.state_dict().items()}
        return cls(
            sizes,
            activation=acts,
            loss=loss if loss in LAB_LOSSES else "half-sse",
            bias=bias,
            train_bias=train_bias,
            lr=lr,
            inputs=inputs,
            targets=targets,
            weights=weights,
            seed=seed,
        )

    @classmethod
    def from_preset(cls, name: str = "backprop-2-2-2") -> LabNetwork:
        """A preset with the first training sample of its dataset (no download)."""
        from nnstudio.core.network.presets import get_preset

        preset = get_preset(name)
        config = preset.train_config()
        x, y = _first_sample(preset.dataset, config.seed)
        return cls.from_spec(
            preset.spec,
            loss=config.loss,
            lr=config.lr,
            inputs=x,
            targets=y,
            seed=config.seed,
        )

    def _spec(self, weights: dict[str, object] | None = None) -> NetworkSpec:
        layers: list[LayerSpec] = []
        for width, act in zip(self.sizes[1:], self.activations, strict=True):
            layers.append(
                LayerSpec(
                    "Linear",
                    {
                        "out_features": width,
                        "bias": self.bias,
                        "train_bias": self.train_bias,
                    },
                )
            )
            if ACTIVATIONS[act]:
                layers.append(LayerSpec(ACTIVATIONS[act]))
        return NetworkSpec((self.sizes[0],), tuple(layers), initial_weights=weights)

    @property
    def spec(self) -> NetworkSpec:
        """The network as an nnstudio spec; its initial weights are the current ones."""
        return self._spec(self.state())

    def state(self) -> dict[str, list]:
        return {k: v.tolist() for k, v in self.model.state_dict().items()}

    def config(self) -> TrainConfig:
        """The matching training settings: SGD, batch 1, this loss and rate."""
        return TrainConfig(
            dataset="backprop-example",
            loss=self.loss_name,
            optimizer="sgd",
            lr=self.lr,
            batch_size=1,
            epochs=1,
            probes=False,
        )

    # --- structure ---------------------------------------------------------------
    def linears(self) -> list[nn.Linear]:
        return [m for m in self.model.children() if isinstance(m, nn.Linear)]

    def _keys(self) -> list[str]:
        return [
            name for name, m in self.model.named_children() if isinstance(m, nn.Linear)
        ]

    def units(self) -> list[list[Unit]]:
        """Units per layer, inputs first."""
        hidden = len(self.sizes) - 2
        result = []
        for layer, width in enumerate(self.sizes):
            prefix = _prefix(layer, len(self.sizes) - 1, hidden)
            result.append([Unit(f"{prefix}{k + 1}", layer, k) for k in range(width)])
        return result

    def weights(self) -> list[Weight]:
        """Every scalar parameter in textbook order: w1..wN, then b1..bM."""
        units = self.units()
        edges: list[Weight] = []
        biases: list[Weight] = []
        for layer, key in enumerate(self._keys(), start=1):
            src, dst = units[layer - 1], units[layer]
            for k, d in enumerate(dst):
                for j, s in enumerate(src):
                    edges.append(
                        Weight(
                            f"w{len(edges) + 1}", layer, f"{key}.weight", k, j, s, (d,)
                        )
                    )
            biases += self._biases(layer, key, dst, len(biases))
        return edges + biases

    def _biases(self, layer: int, key: str, dst: list[Unit], done: int) -> list[Weight]:
        if self.bias == "none":
            return []
        if self.bias == "shared":
            return [
                Weight(f"b{done + 1}", layer, f"{key}.bias", 0, None, None, tuple(dst))
            ]
        return [
            Weight(f"b{done + k + 1}", layer, f"{key}.bias", k, None, None, (d,))
            for k, d in enumerate(dst)
        ]

    def weight(self, name: str) -> Weight:
        for w in self.weights():
            if w.name == name:
                return w
        raise SpecError(_msg("no-weight", name=name))

    def value(self, name: str) -> float:
        w = self.weight(name)
        return float(self._tensor(w)[_index(w)])

    def values(self) -> dict[str, float]:
        return {w.name: float(self._tensor(w)[_index(w)]) for w in self.weights()}

    def _tensor(self, w: Weight) -> torch.Tensor:
        return self.model.state_dict()[w.key]

    # --- editing -----------------------------------------------------------------
    def set_value(self, name: str, value: float) -> None:
        w = self.weight(name)
        with torch.no_grad():
            self._tensor(w)[_index(w)] = float(value)
        self._changed()

    def set_input(self, index: int, value: float) -> None:
        self.inputs[index] = float(value)
        self._changed()

    def set_target(self, index: int, value: float) -> None:
        self.targets[index] = float(value)
        self._changed()

    def set_lr(self, lr: float) -> None:
        self.lr = _check_lr(lr)

    def set_loss(self, loss: str) -> None:
        self.loss_name = _check_choice(loss, LAB_LOSSES, "loss")
        self._changed()

    def set_activation(self, activation: str | Sequence[str]) -> None:
        self.activations = _check_activations(activation, len(self.sizes) - 1)
        self._rebuild()

    def set_train_bias(self, train: bool) -> None:
        self.train_bias = bool(train)
        self._rebuild()

    def set_bias_mode(self, bias: str) -> None:
        """Switch shared/per-unit/none; a shared bias is copied to every unit."""
        new = _check_choice(bias, BIAS_MODES, "bias")
        state = self.state()
        for key in self._keys():
            width = len(state[f"{key}.weight"])
            old = state.pop(f"{key}.bias", None)
            if new != "none":
                mean = sum(old) / len(old) if old else 0.0
                state[f"{key}.bias"] = [mean] * (1 if new == "shared" else width)
        self.bias = new
        self._rebuild(state)

    def resize(self, sizes: Sequence[int], seed: int = 0) -> None:
        """New sizes, fresh seeded weights; inputs and targets kept where they fit."""
        sizes = _check_sizes(sizes)
        acts = (self.activations + [self.activations[-1]] * MAX_LAYERS)[
            : len(sizes) - 1
        ]
        self.sizes, self.activations = sizes, acts
        self.inputs = _vector(self.inputs[: sizes[0]], sizes[0], 0.5)
        self.targets = _vector(self.targets[: sizes[-1]], sizes[-1], 0.5)
        self.model = build_model(self._spec(), seed=seed)
        self._changed()

    def _rebuild(self, state: dict[str, list] | None = None) -> None:
        """Same weights, new structure flags (activation layers, trainable bias)."""
        self.model = build_model(self._spec(state or self.state()))
        self._changed()

    def _changed(self) -> None:
        self._pass = None

    # --- the worked step -----------------------------------------------------------
    def evaluate(self) -> _Pass:
        """Forward and backward on the real model, keeping every tensor needed."""
        if self._pass is None:
            self._pass = self._compute()
        return self._pass

    def _compute(self) -> _Pass:
        x = torch.tensor([self.inputs], dtype=torch.float32)
        t = torch.tensor([self.targets], dtype=torch.float32)
        with _all_trainable(self.model):  # frozen biases still show their gradient
            nets, outs = self._forward(x)
            loss = LOSSES[self.loss_name].make()(outs[-1], t)
            self.model.zero_grad(set_to_none=True)
            loss.backward(retain_graph=True)  # the chain rule asks autograd again
            grads = {
                k: p.grad.detach().clone()
                for k, p in self.model.named_parameters()
                if p.grad is not None
            }
            d_net = [n.grad.detach().clone() for n in nets]
            d_out = [o.grad.detach().clone() for o in outs]
            # after the snapshot: autograd.grad also feeds retained .grad fields
            local = [_local_derivative(o, n) for n, o in zip(nets, outs, strict=True)]
        self.model.zero_grad(set_to_none=True)
        return _Pass(x, nets, outs, local, loss.detach(), d_net, d_out, grads)

    def _forward(
        self, x: torch.Tensor
    ) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Run the model's own children, keeping each net and out with its grad."""
        nets: list[torch.Tensor] = []
        outs: list[torch.Tensor] = []
        h = x
        for module in self.model.children():
            h = module(h)
            if isinstance(module, nn.Linear):
                nets.append(h)
                outs.append(h)
            else:
                outs[-1] = h
            h.retain_grad()
        return nets, outs

    def forward_table(self) -> list[UnitRow]:
        """Inputs (out only), then every unit's net input and output."""
        p = self.evaluate()
        units = self.units()
        rows = [UnitRow(u, None, float(p.inputs[0, u.index])) for u in units[0]]
        for layer, (net, out) in enumerate(zip(p.nets, p.outs, strict=True), start=1):
            net, out = net.detach(), out.detach()
            rows += [
                UnitRow(u, float(net[0, u.index]), float(out[0, u.index]))
                for u in units[layer]
            ]
        return rows

    def outputs(self) -> list[float]:
        return [float(v) for v in self.evaluate().outs[-1].detach()[0]]

    def loss_table(self) -> tuple[list[LossRow], float]:
        """Each output's share of E (½(t−o)², or (t−o)²/n for MSE) and autograd's E."""
        p = self.evaluate()
        out = p.outs[-1][0].detach()
        t = torch.tensor(self.targets)
        scale = 0.5 if self.loss_name == "half-sse" else 1.0 / len(self.targets)
        shares = scale * (t - out) ** 2
        rows = [
            LossRow(
                u, self.targets[u.index], float(out[u.index]), float(shares[u.index])
            )
            for u in self.units()[-1]
        ]
        return rows, float(p.loss)

    def total_loss(self) -> float:
        return float(self.evaluate().loss)

    def gradient(self, name: str) -> float:
        """Autograd's dE/d<name> (also for a bias that does not train)."""
        w = self.weight(name)
        return float(self.evaluate().grads[w.key][_index(w)])

    def gradients(self) -> dict[str, float]:
        grads = self.evaluate().grads
        return {w.name: float(grads[w.key][_index(w)]) for w in self.weights()}

    def chain_rule(self, name: str) -> ChainRule:
        """dE/d<name> as the product of named factors, each taken from autograd."""
        w = self.weight(name)
        p = self.evaluate()
        terms = tuple(self._term(p, w, dst) for dst in w.dst)
        trainable = not w.is_bias or self.train_bias
        expansion, expanded = self._expansion(p, w)
        return ChainRule(
            name, terms, self.gradient(name), trainable, expansion, expanded
        )

    def _term(self, p: _Pass, w: Weight, dst: Unit) -> Term:
        layer, k = dst.layer, dst.index
        net = p.nets[layer - 1]
        with _all_trainable(self.model):
            param = self.model.get_parameter(w.key)
            dnet = torch.autograd.grad(net[0, k], param, retain_graph=True)[0]
        d = dst.name
        last = layer == len(self.sizes) - 1
        return Term(
            (
                Factor(
                    f"dE/dout_{d}",
                    float(p.d_out[layer - 1][0, k]),
                    f"error-{self.loss_name}" if last else "sum-next",
                ),
                Factor(
                    f"dout_{d}/dnet_{d}",
                    float(p.local[layer - 1][0, k]),
                    f"slope-{self.activations[layer - 1]}",
                ),
                Factor(
                    f"dnet_{d}/d{w.name}",
                    float(dnet[_index(w)]),
                    "bias" if w.is_bias else "input",
                    w.src.name if w.src is not None else "",
                ),
            )
        )

    def _expansion(self, p: _Pass, w: Weight) -> tuple[tuple[Term, ...], str]:
        """For a hidden unit: dE/dout_h = Σ_o dE/dnet_o * dnet_o/dout_h."""
        if len(w.dst) != 1 or w.layer == len(self.sizes) - 1:
            return (), ""
        h = w.dst[0]
        out_h = p.outs[h.layer - 1]
        nxt = p.nets[h.layer]
        terms = []
        for o in self.units()[h.layer + 1]:
            local = torch.autograd.grad(nxt[0, o.index], out_h, retain_graph=True)[0]
            terms.append(
                Term(
                    (
                        Factor(
                            f"dE/dnet_{o.name}", float(p.d_net[h.layer][0, o.index])
                        ),
                        Factor(
                            f"dnet_{o.name}/dout_{h.name}", float(local[0, h.index])
                        ),
                    )
                )
            )
        return tuple(terms), f"dE/dout_{h.name}"

    def step(self) -> dict[str, tuple[float, float]]:
        """One SGD step with the app's optimizer; returns name -> (old, new)."""
        self.run(1)
        return self.last_update

    def run(self, n: int) -> list[float]:
        """`n` SGD steps on the one sample; the loss before each step, then after."""
        if not 1 <= int(n) <= MAX_RUN:
            raise SpecError(_msg("steps", most=MAX_RUN))
        x = torch.tensor([self.inputs], dtype=torch.float32)
        t = torch.tensor([self.targets], dtype=torch.float32)
        params = [q for q in self.model.parameters() if q.requires_grad]
        optimizer = OPTIMIZERS["sgd"].make(params, self.config())
        loss_fn = LOSSES[self.loss_name].make()
        before = self.values()
        losses = [
            _sgd_step(self.model, loss_fn, optimizer, x, t) for _ in range(int(n))
        ]
        self._changed()
        losses.append(self.total_loss())
        after = self.values()
        self.last_update = {k: (before[k], after[k]) for k in before}
        return losses


def _sgd_step(
    model: nn.Module,
    loss_fn: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    t: torch.Tensor,
) -> float:
    """The textbook step: forward, loss, backward, w <- w - lr * dE/dw."""
    loss = loss_fn(model(x), t)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.item()


# --- helpers ---------------------------------------------------------------------
def describe(spec: NetworkSpec) -> tuple[list[int], list[str], str, bool]:
    """(sizes, activations, bias mode, train_bias) of a lab-sized net, or SpecError."""
    why = _msg("lab-only", layers=MAX_LAYERS, units=MAX_UNITS)
    if len(spec.input_shape) != 1 or not spec.layers or spec.layers[0].kind != "Linear":
        raise SpecError(why)
    sizes, acts, linears = [spec.input_shape[0]], [], []
    for layer in spec.layers:
        if layer.kind == "Linear":
            sizes.append(int(layer["out_features"]))
            acts.append("linear")
            linears.append(layer)
        elif layer.kind in _KIND_TO_ACT and acts[-1] == "linear":
            acts[-1] = _KIND_TO_ACT[layer.kind]
        else:
            raise SpecError(why)
    modes = {(lin["bias"], bool(lin["train_bias"])) for lin in linears}
    if len(modes) != 1:
        raise SpecError(_msg("same-bias"))
    _check_sizes(sizes, why)
    bias, train = modes.pop()
    return sizes, acts, bias, train


def _first_sample(dataset: str, seed: int) -> tuple[list[float], list[float]]:
    from nnstudio.core.datasets import load_dataset

    data = load_dataset(dataset, seed=seed)
    x = data.inputs(data.x_train[:1])[0]
    return short_floats(x), short_floats(data.y_train[0])


def short_floats(values: torch.Tensor) -> list[float]:
    """float32 values as the short decimals they stand for (0.01, not 0.0099999998).

    numpy prints the shortest decimal that reads back as the same float32.
    """
    return [float(str(v)) for v in values.detach().float().cpu().numpy()]


def _prefix(layer: int, last: int, hidden: int) -> str:
    if layer == 0:
        return "i"
    if layer == last:
        return "o"
    return "h" if hidden == 1 else f"h{layer}_"


def _index(w: Weight) -> tuple[int, ...]:
    return (w.row,) if w.col is None else (w.row, w.col)


def _local_derivative(out: torch.Tensor, net: torch.Tensor) -> torch.Tensor:
    """dout/dnet per unit: elementwise activations make the Jacobian diagonal."""
    if out is net:  # no activation: out = net
        return torch.ones_like(net)
    # the gradient of the sum is the same diagonal; passing `grad_outputs` instead
    # makes torch import sympy (1.5 s) on first use, while the window opens
    return torch.autograd.grad(out.sum(), net, retain_graph=True)[0].detach()


@contextmanager
def _all_trainable(model: nn.Module) -> Iterator[None]:
    """Let autograd see frozen parameters too, then restore their flags."""
    frozen = [p for p in model.parameters() if not p.requires_grad]
    for p in frozen:
        p.requires_grad_(True)
    try:
        yield
    finally:
        for p in frozen:
            p.requires_grad_(False)


def _check_sizes(sizes: Sequence[int], why: str | None = None) -> list[int]:
    sizes = [int(s) for s in sizes]
    ok = 2 <= len(sizes) <= MAX_LAYERS + 1 and all(1 <= s <= MAX_UNITS for s in sizes)
    if not ok:
        raise SpecError(why or _msg("sizes", layers=MAX_LAYERS, units=MAX_UNITS))
    return sizes


def _check_activations(activation: str | Sequence[str], layers: int) -> list[str]:
    acts = [activation] * layers if isinstance(activation, str) else list(activation)
    if len(acts) != layers:
        raise SpecError(_msg("activations", layers=layers))
    return [_check_choice(a, tuple(ACTIVATIONS), "activation") for a in acts]


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        choices_text = ", ".join(choices)
        raise SpecError(_msg(f"unknown-{what}", value=value, choices=choices_text))
    return value


def _check_lr(lr: float) -> float:
    lr = float(lr)
    if not 0 < lr <= 1e6:
        raise SpecError(_msg("lr", lr=lr))
    return lr


def _vector(values: Sequence[float] | None, n: int, fill: float) -> list[float]:
    values = [float(v) for v in (values or [])][:n]
    return values + [fill] * (n - len(values))
