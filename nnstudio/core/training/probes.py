"""What the training loop measures, cheaply.

`LossMeter` keeps per-step losses on the device and reads them in one sync per
report; `GradNorms` sums per-layer gradient norms on the device (read once per
epoch, for the vanishing-gradient comparison); `Prober` collects a `Probe` event on
a fixed probe batch with forward hooks that are always removed in `finally`. Only
what `ProbeRequest.kinds` asks for is computed: a hidden view costs nothing.
`probe_model` runs the same Prober once on a trained model outside a run (a project
just opened, a sample picked after training), so the UI has no copy of it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from nnstudio.core.network.build import parameter_layers
from nnstudio.core.training.evaluate import NonFiniteLoss, probabilities
from nnstudio.core.training.events import PROBE_KINDS, Probe, ProbeRequest

PROBE_BATCH = 32  # validation samples the probes look at: stable stats, ~1 step
HIST_BINS = 30
SAMPLE_VALUES = 8192  # values per layer behind a histogram/moments: cost stays flat
GRID = 100  # boundary grid is GRID x GRID points
CURVE_POINTS = 200
PAD = 0.10  # the boundary/curve extent is the data's, padded 10% on each side
MAX_MAPS = 64  # feature-map channels sent per conv layer
MAX_VECTOR = 512  # Linear outputs sent per layer for the probe sample
DIVERGED = 1e4  # a loss 10,000x its first value (at least 1) counts as diverged
SATURATED = {"Sigmoid": (0.02, 0.98), "Tanh": (-0.96, 0.96)}  # "near the limits"
DEAD_KINDS = ("ReLU", "Residual")  # outputs that are exactly zero when dead
MAP_KINDS = ("Conv2d", "Residual")

_foreach_norm = getattr(torch, "_foreach_norm", None)


def _norms(tensors: list[torch.Tensor]) -> torch.Tensor:
    """L2 norm of each tensor, stacked: one fused call where torch has it."""
    if _foreach_norm is not None:
        return torch.stack(_foreach_norm(tensors))
    return torch.stack([torch.linalg.vector_norm(t) for t in tensors])


class LossMeter:
    """Per-step values kept on the device, read in one sync per report.

    Also sums the epoch's loss/accuracy and raises NonFiniteLoss at the first loss
    that is NaN/Inf or plainly diverging toward Inf (Adam with a huge rate stays
    finite for a long time, so a loss DIVERGED x its first value counts too).
    """

    def __init__(self, classify: bool) -> None:
        self.classify, self.step, self.seen, self.window = classify, 0, 0, 0
        self.first, self.limit = np.nan, np.inf
        self.losses: list[torch.Tensor] = []
        self.correct: list[torch.Tensor] = []
        self.sizes: list[int] = []
        self.new_epoch()

    def new_epoch(self) -> None:
        """Restart the epoch's sums; values still pending belong to earlier epochs
        (tiny epochs are not flushed one by one) and count only toward the totals."""
        self.mark = len(self.sizes)
        self.loss_sum = self.correct_sum = 0.0
        self.samples = 0

    def add(self, loss: torch.Tensor, out: torch.Tensor, y: torch.Tensor) -> None:
        self.step += 1
        self.losses.append(loss.detach())
        if self.classify and out.dim() == 3:  # per step: each sample's token share
            self.correct.append((out.argmax(-1) == y).float().mean(dim=1).sum())
        elif self.classify:
            pred = out.argmax(1) if out.shape[1] > 1 else (out[:, 0] > 0).long()
            self.correct.append((pred == y).sum())
        self.sizes.append(len(y))

    def flush(self) -> float:
        """The mean loss since the last flush (one sync); raises on divergence."""
        if not self.sizes:
            return np.nan
        rows = [torch.stack(self.losses).float()]
        if self.correct:
            rows.append(torch.stack(self.correct).float())
        values = torch.stack(rows).cpu().double().numpy()
        sizes = np.asarray(self.sizes, dtype=np.float64)
        self._check(values[0])
        m = self.mark
        self.loss_sum += float(values[0, m:] @ sizes[m:])
        self.correct_sum += float(values[1, m:].sum()) if len(values) > 1 else 0.0
        self.samples += int(sizes[m:].sum())
        total, count = float(values[0] @ sizes), int(sizes.sum())
        self.window, self.seen = self.window + count, self.seen + count
        self.losses, self.correct, self.sizes, self.mark = [], [], [], 0
        return total / max(count, 1)

    def _check(self, losses: np.ndarray) -> None:
        if np.isnan(self.first):
            self.first = float(losses[0])
            self.limit = DIVERGED * max(abs(self.first), 1.0)
        bad = np.flatnonzero(~np.isfinite(losses) | (losses > self.limit))
        if len(bad):
            step = self.step - len(losses) + int(bad[0]) + 1
            raise NonFiniteLoss(step, float(losses[bad[0]]), self.first)


class LayerParams:
    """The trainable parameters of each parameter layer, and which layer owns which."""

    def __init__(self, model: nn.Module, layers: list[str], device: torch.device):
        children = dict(model.named_children())
        self.layers = layers
        self.params: list[nn.Parameter] = []
        owners: list[int] = []
        for i, name in enumerate(layers):
            for p in children[name].parameters():
                if p.requires_grad:
                    self.params.append(p)
                    owners.append(i)
        self.assign = torch.zeros(len(owners), len(layers), device=device)
        rows = torch.arange(len(owners))
        self.assign[rows, torch.tensor(owners, dtype=torch.long)] = 1
        sizes = [float(p.numel()) for p in self.params]
        self.numel = torch.tensor(sizes, device=device)
        self._zero = torch.zeros(1, device=device)

    def grads(self) -> list[torch.Tensor]:
        return [p.grad if p.grad is not None else self._zero for p in self.params]

    def per_layer_norm(self, per_param: torch.Tensor) -> torch.Tensor:
        """sqrt of the summed squares of each layer's parameter norms."""
        return (per_param.square() @ self.assign).sqrt()


class GradNorms:
    """Per-layer gradient norms summed on the device; no sync until `mean()`."""

    def __init__(self, params: LayerParams) -> None:
        self.p = params
        self.total = torch.zeros(len(params.layers), device=params.assign.device)
        self.count = 0

    def add(self) -> None:
        if self.p.params:
            self.total += self.p.per_layer_norm(_norms(self.p.grads()))
        self.count += 1

    def mean(self) -> np.ndarray:
        return self.total.cpu().double().numpy() / max(self.count, 1)

    def reset(self) -> None:
        self.total.zero_()
        self.count = 0


class Prober:
    """Collects one `Probe` on a fixed probe batch; builds its grids once."""

    def __init__(self, model: nn.Module, data, kinds_of: list[str],
                 params: LayerParams, task: str) -> None:
        self.model, self.data, self.params = model, data, params
        self.kinds_of = kinds_of  # layer kind of each child, in order
        self.sampler = Sampler()
        self.names = [name for name, _ in model.named_children()]
        self.x = data.inputs(data.x_val[:PROBE_BATCH])
        self.grid, self.extent = _boundary_grid(data, task)
        self.curve_x = _curve_grid(data, task)

    def __call__(self, step: int, progress: float,
                 request: ProbeRequest | None) -> Probe:
        kinds = request.kinds if request is not None else frozenset(PROBE_KINDS)
        sample = request.sample if request is not None else None
        parts: dict = {"step": step, "progress": progress,
                       "param_layers": tuple(self.params.layers)}
        with torch.no_grad():
            if "gradients" in kinds:
                parts.update(self._gradients())
            if "weights" in kinds:
                parts.update(self._weights())
            if kinds & {"activations", "feature_maps"}:
                parts.update(self._activations(kinds, sample))
            if "boundary" in kinds:
                parts.update(self._boundary())
        return Probe(**parts)

    def _gradients(self) -> dict:
        grads = self.params.grads()
        if not grads:
            return {}
        norm = self.params.per_layer_norm(_norms(grads))
        abs_sum = torch.stack([g.abs().sum() for g in grads]) @ self.params.assign
        mean_abs = abs_sum / (self.params.numel @ self.params.assign).clamp_min(1)
        both = torch.stack([norm, mean_abs]).cpu().double().numpy()
        return {"grad_norm": both[0], "grad_mean_abs": both[1]}

    def _weights(self) -> dict:
        children = dict(self.model.named_children())
        mains = [_main_weight(children[name]) for name in self.params.layers]
        if not mains:
            return {}
        norms = _norms([w.detach() for w in mains]).cpu().double().numpy()
        flat = [self.sampler(name, w.detach().float())
                for name, w in zip(self.params.layers, mains, strict=True)]
        ranges = torch.stack([torch.stack(torch.aminmax(w)) for w in flat])
        counts = _histograms(flat, ranges[:, 0], ranges[:, 1]).cpu().numpy()
        hists = tuple((c, _edges(lo, hi))
                      for c, (lo, hi) in zip(counts, ranges.tolist(), strict=True))
        return {"weight_norm": norms, "weight_hist": hists,
                "first_conv_filters": self._filters(children)}

    def _filters(self, children: dict) -> np.ndarray | None:
        for name, kind in zip(self.names, self.kinds_of, strict=True):
            if kind == "Conv2d":
                w = children[name].weight.detach().float().mean(dim=1)  # N x kh x kw
                return _to_uint8(w).cpu().numpy()
        return None

    def _activations(self, kinds: frozenset[str], sample: np.ndarray | None) -> dict:
        """One hooked forward: the probe sample alone when only its maps are wanted."""
        stats = "activations" in kinds
        outputs = _run_hooked(self.model, self._batch(sample, with_batch=stats))
        parts: dict = {}
        if stats:
            parts.update(_act_stats(outputs, self.names, self.kinds_of, self.sampler))
            parts["vectors"] = {
                n: out[0].flatten()[:MAX_VECTOR].float().cpu().numpy()
                for n, k, out in zip(self.names, self.kinds_of, outputs, strict=True)
                if k == "Linear"}
        if "feature_maps" in kinds:
            parts["feature_maps"] = {
                n: _to_uint8(out[0, :MAX_MAPS].float()).cpu().numpy()
                for n, k, out in zip(self.names, self.kinds_of, outputs, strict=True)
                if k in MAP_KINDS and out.dim() == 4}
        return parts

    def _batch(self, sample: np.ndarray | None, with_batch: bool) -> torch.Tensor:
        """The probe sample (row 0), followed by the probe batch if wanted."""
        first = self.x[:1]
        if sample is not None and tuple(sample.shape) == tuple(self.x.shape[1:]):
            first = torch.as_tensor(sample, dtype=self.x.dtype, device=self.x.device)
            first = first[None]
        return torch.cat([first, self.x]) if with_batch else first

    def _boundary(self) -> dict:
        if self.grid is not None:
            probs = _eval(self.model, lambda m: probabilities(m(self.grid)))
            return {"boundary": probs.view(GRID, GRID, -1).cpu().numpy(),
                    "boundary_extent": self.extent}
        if self.curve_x is not None:
            y = _eval(self.model, lambda m: m(self.curve_x)[:, 0])
            x = self.curve_x[:, 0].cpu().numpy()
            return {"curve": (x, y.float().cpu().numpy())}
        return {}


def probe_model(model: nn.Module, data, layer_kinds: list[str],
                kinds: frozenset[str], sample: np.ndarray | None = None) -> Probe:
    """One Probe of a trained model, as a run would send it, outside any run.

    `layer_kinds` is the spec's layer kind per child (`[l.kind for l in spec.layers]`);
    `data` a core Data on the model's device; `sample` the model input whose feature
    maps to show (None: the first validation sample)."""
    first = next(iter(model.parameters()), None)
    device = first.device if first is not None else torch.device("cpu")
    params = LayerParams(model, parameter_layers(model), device)
    prober = Prober(model, data, list(layer_kinds), params, data.task)
    probe = prober(0, 0.0, ProbeRequest(kinds=frozenset(kinds), sample=sample))
    from nnstudio.core.training.sequence_probes import sequence_parts

    extra = sequence_parts(model, data, list(layer_kinds), frozenset(kinds))
    return dataclasses.replace(probe, **extra) if extra else probe


def _eval(model: nn.Module, fn: Callable) -> torch.Tensor:
    """Run `fn(model)` in eval mode (BatchNorm's running stats stay untouched)."""
    was_training = model.training
    model.eval()
    try:
        return fn(model)
    finally:
        model.train(was_training)


def _run_hooked(model: nn.Module, x: torch.Tensor) -> list[torch.Tensor]:
    """Every child's output for `x`; the hooks never outlive the call."""
    outputs: list[torch.Tensor] = []
    handles = [child.register_forward_hook(lambda _m, _i, out: outputs.append(out))
               for child in model.children()]
    try:
        _eval(model, lambda m: m(x))
    finally:
        for handle in handles:
            handle.remove()
    return outputs


def _act_stats(outputs: list[torch.Tensor], names: list[str], kinds: list[str],
               sampler: Sampler) -> dict:
    """mean, std, saturated and dead fractions, histograms: two syncs in all.

    All but the dead fraction come from a fixed random sample of each output."""
    batch = [out[1:].float() for out in outputs]  # row 0 is the probe sample
    values = [sampler(name, o) for name, o in zip(names, batch, strict=True)]
    rows = torch.stack([_act_row(o, v, k)
                        for o, v, k in zip(batch, values, kinds, strict=True)])
    table = rows.cpu().double().numpy()
    counts = _histograms(values, rows[:, 4], rows[:, 5]).cpu().numpy()
    ranges = zip(counts, table[:, 4], table[:, 5], strict=True)
    act_hist = tuple((c, _edges(lo, hi)) for c, lo, hi in ranges)
    return {"act_layers": tuple(names), "act_mean": table[:, 0], "act_std": table[:, 1],
            "act_saturated": table[:, 2], "act_dead": table[:, 3], "act_hist": act_hist}


def _act_row(out: torch.Tensor, values: torch.Tensor, kind: str) -> torch.Tensor:
    nan = torch.full((), math.nan, device=out.device)
    lo, hi = torch.aminmax(values)
    saturated = nan
    if kind in SATURATED:
        low, high = SATURATED[kind]
        saturated = ((values < low) | (values > high)).float().mean()
    dead = nan
    if kind in DEAD_KINDS:  # a unit (feature or channel) that is 0 for the whole batch
        per_unit = out.amax(dim=[0, *range(2, out.dim())])
        dead = (per_unit <= 0).float().mean()
    std = values.std() if values.numel() > 1 else torch.zeros((), device=out.device)
    return torch.stack([values.mean(), std, saturated, dead, lo, hi])


def _histograms(values: list[torch.Tensor], lo: torch.Tensor,
                hi: torch.Tensor) -> torch.Tensor:
    """HIST_BINS counts per tensor between its lo and hi, in one bincount."""
    sizes = torch.tensor([v.numel() for v in values], device=lo.device)
    layer = torch.repeat_interleave(torch.arange(len(values), device=lo.device), sizes)
    span = torch.where(hi > lo, hi - lo, torch.ones_like(hi))
    v = torch.cat(values)
    bins = ((v - lo[layer]) / span[layer] * HIST_BINS).long().clamp_(0, HIST_BINS - 1)
    counts = torch.bincount(layer * HIST_BINS + bins,
                            minlength=len(values) * HIST_BINS)
    return counts.view(len(values), HIST_BINS)


class Sampler:
    """A fixed random subset of at most SAMPLE_VALUES values of a tensor, the same
    positions at every probe: histograms and moments of a big layer cost as little as
    a small layer's, and successive probes stay comparable."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, int], torch.Tensor] = {}

    def __call__(self, name: str, t: torch.Tensor) -> torch.Tensor:
        flat = t.reshape(-1)
        if flat.numel() <= SAMPLE_VALUES:
            return flat
        key = (name, flat.numel())
        if key not in self.index:
            gen = torch.Generator().manual_seed(flat.numel())
            pick = torch.randint(0, flat.numel(), (SAMPLE_VALUES,), generator=gen)
            self.index[key] = pick.sort().values.to(t.device)  # sorted: cache-friendly
        return flat[self.index[key]]


def _edges(lo: float, hi: float) -> np.ndarray:
    """Bin edges matching `_histograms` (a constant tensor gets a unit-wide range)."""
    return np.linspace(lo, hi if hi > lo else lo + 1.0, HIST_BINS + 1)


def _main_weight(layer: nn.Module) -> torch.Tensor:
    """The tensor a weight histogram shows: the first matrix/kernel, else the first."""
    params = list(layer.parameters())
    return next((p for p in params if p.dim() >= 2), params[0])


def _to_uint8(maps: torch.Tensor) -> torch.Tensor:
    """Each map (first dim) scaled to 0..255 on its own, so faint maps stay visible."""
    flat = maps.flatten(1)
    lo = flat.amin(dim=1, keepdim=True)
    span = (flat.amax(dim=1, keepdim=True) - lo).clamp_min(1e-8)
    return ((flat - lo) / span * 255).round_().to(torch.uint8).view_as(maps)


def _extent(column: torch.Tensor) -> tuple[float, float]:
    lo, hi = (float(v) for v in torch.aminmax(column.float()))
    pad = max(hi - lo, 1e-6) * PAD
    return lo - pad, hi + pad


def _boundary_grid(data, task: str):
    """GRID x GRID points over the 2-D training data, row i at y = y0 + i * dy."""
    if task != "classification" or tuple(data.input_shape) != (2,):
        return None, None
    x0, x1 = _extent(data.x_train[:, 0])
    y0, y1 = _extent(data.x_train[:, 1])
    dev = data.x_train.device
    ys, xs = torch.meshgrid(torch.linspace(y0, y1, GRID, device=dev),
                            torch.linspace(x0, x1, GRID, device=dev), indexing="ij")
    return torch.stack([xs.flatten(), ys.flatten()], dim=1), (x0, x1, y0, y1)


def _curve_grid(data, task: str) -> torch.Tensor | None:
    if task != "regression" or tuple(data.input_shape) != (1,):
        return None
    lo, hi = _extent(data.x_train[:, 0])
    return torch.linspace(lo, hi, CURVE_POINTS, device=data.x_train.device)[:, None]
