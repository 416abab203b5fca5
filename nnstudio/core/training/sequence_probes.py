"""What the sequence views look at: attention maps, gradients through time and
hidden states, for one validation sample.

Kept apart from probes.py: only a network with sequence layers builds a
`SequenceProber`, and it adds its parts to the regular Probe. Attention weights come
from `need_weights=True, average_attn_weights=False` inside a forward hook (training
itself runs the fused kernel without them); the gradient through time is the gradient
of the sample's loss with respect to the embedded input (the Embedding's output, or
the input itself), taken with `torch.autograd.grad` so the parameters' `.grad` that
the other probes read stays untouched. Hooks are removed in `finally`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from nnstudio.core.network.modules import causal_mask

ATTENTION_KINDS = ("MultiheadAttention", "TransformerEncoderLayer")
RECURRENT_KINDS = ("RNN", "LSTM", "GRU")
SEQUENCE_PROBES = ("attention", "through_time", "hidden_state")
MAX_UNITS = 256  # hidden units sent per layer: a heat map taller than this is noise


class PerStepLoss(nn.Module):
    """One class per time step: (batch, time, classes) outputs against (batch, time)
    class ids; the loss is averaged over every step of every sample."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if target.dtype == torch.long:  # cross-entropy wants (batch, classes, time)
            return self.inner(out.transpose(1, 2), target)
        return self.inner(out, target)


def has_sequence_layers(kinds: list[str]) -> bool:
    return any(k in ATTENTION_KINDS + RECURRENT_KINDS for k in kinds)


def _attention_module(child: nn.Module) -> nn.MultiheadAttention | None:
    """The attention inside a child: itself, or an encoder layer's self_attn."""
    if isinstance(child, nn.MultiheadAttention):
        return child
    attn = getattr(child, "self_attn", None)
    return attn if isinstance(attn, nn.MultiheadAttention) else None


def _eval_mode(model: nn.Module, fn: Callable[[], object]) -> object:
    was_training = model.training
    model.eval()
    try:
        return fn()
    finally:
        model.train(was_training)


def attention_maps(model: nn.Module, x: torch.Tensor) -> dict[str, np.ndarray]:
    """heads x query x key weights of every attention layer, for the first sample.

    The hook recomputes the layer's attention on its own input with the weights
    asked for; an encoder layer (post-norm, as built) feeds its input to self_attn.
    """
    maps: dict[str, np.ndarray] = {}
    handles = []
    for name, child in model.named_children():
        attn = _attention_module(child)
        if attn is None:
            continue

        def hook(_m, args, _out, name=name, attn=attn) -> None:
            q = args[0][:1]
            mask = causal_mask(q.shape[1], q.device) if getattr(attn, "causal", False) \
                else None
            _, w = nn.MultiheadAttention.forward(
                attn, q, q, q, attn_mask=mask, need_weights=True,
                average_attn_weights=False)
            maps[name] = w[0].float().cpu().numpy()

        handles.append(child.register_forward_hook(hook))
    try:
        with torch.no_grad():
            _eval_mode(model, lambda: model(x[:1]))
    finally:
        for handle in handles:
            handle.remove()
    return maps


def grad_through_time(model: nn.Module, x: torch.Tensor, target: torch.Tensor,
                      loss_fn: nn.Module) -> np.ndarray:
    """|∂loss/∂input_t| for each time step t of one sample, first step first.

    The input is the first child's output when that child is an Embedding (token ids
    have no gradient), else the sample itself.
    """
    children = list(model.children())
    captured: list[torch.Tensor] = []
    handle = None
    if children and isinstance(children[0], nn.Embedding):
        def keep(_m, _i, out):
            out.retain_grad()
            captured.append(out)
        handle = children[0].register_forward_hook(keep)
        inp = x[:1]
    else:
        inp = x[:1].detach().float().requires_grad_(True)
        captured.append(inp)
    try:
        with torch.enable_grad():
            out = _eval_mode(model, lambda: model(inp))
            loss = loss_fn(out, target[:1])
            (grad,) = torch.autograd.grad(loss, captured[:1])
    finally:
        if handle is not None:
            handle.remove()
    per_step = grad[0].reshape(grad.shape[1], -1).norm(dim=1)
    return per_step.double().cpu().numpy()


def hidden_states(model: nn.Module, x: torch.Tensor,
                  kinds: list[str]) -> dict[str, np.ndarray]:
    """units x time output (the hidden state h_t) of every recurrent layer."""
    states: dict[str, np.ndarray] = {}
    handles = []
    for (name, child), kind in zip(model.named_children(), kinds, strict=True):
        if kind in RECURRENT_KINDS:
            def keep(_m, _i, out, name=name):
                states[name] = out[0, :, :MAX_UNITS].T.float().cpu().numpy()
            handles.append(child.register_forward_hook(keep))
    try:
        with torch.no_grad():
            _eval_mode(model, lambda: model(x[:1]))
    finally:
        for handle in handles:
            handle.remove()
    return states


class SequenceProber:
    """The sequence parts of a Probe, for the validation sample a view chose."""

    def __init__(self, model: nn.Module, data, kinds: list[str],
                 loss_fn: nn.Module, targets: torch.Tensor) -> None:
        self.model, self.data, self.kinds = model, data, kinds
        self.loss_fn, self.targets = loss_fn, targets
        self.attention = any(k in ATTENTION_KINDS for k in kinds)
        self.recurrent = any(k in RECURRENT_KINDS for k in kinds)

    def sample(self, index: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        i = min(max(int(index), 0), len(self.data.x_val) - 1)
        x = self.data.inputs(self.data.x_val[i:i + 1])
        return x, self.targets[i:i + 1]

    def parts(self, wanted: frozenset[str], index: int = 0) -> dict:
        """The Probe fields the wanted kinds need (nothing for other networks)."""
        x, y = self.sample(index)
        parts: dict = {"sequence_index": int(index),
                       "sequence_input": x[0].detach().cpu().numpy()}
        if "attention" in wanted and self.attention:
            parts["attention"] = attention_maps(self.model, x)
        if "through_time" in wanted:
            parts["grad_through_time"] = grad_through_time(self.model, x, y,
                                                           self.loss_fn)
        if "hidden_state" in wanted and self.recurrent:
            parts["hidden_state"] = hidden_states(self.model, x, self.kinds)
        return parts

    def final(self) -> dict:
        """What `nnstudio train --json` adds for validation sample 0: the last
        attention layer's matrix averaged over heads, the gradient per time step."""
        x, y = self.sample(0)
        result: dict = {}
        if self.attention:
            maps = attention_maps(self.model, x)
            last = list(maps.values())[-1]
            result["attention"] = last.mean(axis=0).tolist()
        if self.recurrent:
            result["grad_through_time"] = grad_through_time(
                self.model, x, y, self.loss_fn).tolist()
        return result


def sequence_parts(model: nn.Module, data, layer_kinds: list[str],
                   kinds: frozenset[str], index: int = 0) -> dict:
    """The sequence parts of a probe outside a run (an opened project's weights):
    the loss is the task's usual one (cross-entropy per step, or MSE)."""
    if not has_sequence_layers(layer_kinds) or not kinds & set(SEQUENCE_PROBES):
        return {}
    if data.task == "classification":
        loss: nn.Module = nn.CrossEntropyLoss()
        if getattr(data, "per_step", False):
            loss = PerStepLoss(loss)
    else:
        loss = nn.MSELoss()
    prober = SequenceProber(model, data, layer_kinds, loss, data.y_val)
    return prober.parts(kinds, index)
