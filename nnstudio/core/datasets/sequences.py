"""Sequence datasets: generated offline and seedable, plus a CSV time series.

Each generator returns numpy (x, y) for `size` samples, so the script exporter can
copy it as is. Shapes follow the design: float inputs are (time, features), token
inputs are int64 (time,); a per-step target is (time,) of class ids. The values are
already small (0..1, -2..2), so nothing is standardized: a sequence typed into the
Predict panel goes to the network exactly as written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from .base import Data, DatasetInfo, Request, check_task_targets, split_indices
from .messages import fail


def sine_forecast(n: int, noise: float, rng: np.random.Generator, window: int = 32):
    """Windows of sin(0.3 t) + 0.5 sin(0.11 t) plus Gaussian noise of std `noise`,
    each from a random start; the target is the next (noise-free) value."""
    start = rng.uniform(0.0, 200.0, (n, 1))
    t = start + np.arange(window + 1)
    clean = np.sin(0.3 * t) + 0.5 * np.sin(0.11 * t)
    x = clean[:, :window] + rng.standard_normal((n, window)) * noise
    return x[:, :, None], clean[:, window:]


def parity(n: int, noise: float, rng: np.random.Generator, length: int = 16):
    """Random bit strings; the class is 1 when the number of ones is odd."""
    bits = rng.integers(0, 2, (n, length))
    return bits[:, :, None].astype(np.float64), bits.sum(axis=1) % 2


def adding(n: int, noise: float, rng: np.random.Generator, length: int = 20):
    """Hochreiter & Schmidhuber's adding problem: step features (value, marker); two
    steps are marked, one in each half; the target is the sum of their values."""
    values = rng.uniform(0.0, 1.0, (n, length))
    marks = np.zeros((n, length))
    rows = np.arange(n)
    half = length // 2
    first, second = rng.integers(0, half, n), rng.integers(half, length, n)
    marks[rows, first] = marks[rows, second] = 1.0
    target = values[rows, first] + values[rows, second]
    return np.stack([values, marks], axis=2), target[:, None]


def reverse(n: int, noise: float, rng: np.random.Generator, length: int = 16,
            symbols: int = 10):
    """Random token strings; the target at step t is the token at step T-1-t."""
    tokens = rng.integers(0, symbols, (n, length))
    return tokens, tokens[:, ::-1].copy()


def load_sequences(make: Callable, info: DatasetInfo, req: Request) -> Data:
    """Draw `req.size` sequences and split them 80/20 (seeded)."""
    rng = np.random.default_rng(req.seed)
    x, y = make(req.size, req.noise, rng, **req.options)
    names = info.class_names
    if "symbols" in req.options:
        names = tuple(str(i) for i in range(int(req.options["symbols"])))
    return sequence_data(info.name, x, y, info.task, names, req.seed,
                         info.preview_kind)


def sequence_data(name: str, x: np.ndarray, y: np.ndarray, task: str,
                  class_names: tuple[str, ...], seed: int, preview_kind: str,
                  **extra) -> Data:
    """Wrap generated or imported sequences as a `Data` (tokens stay int64)."""
    check_task_targets(np.asarray(y).reshape(len(y), -1)[:, 0], task, name)
    tr, va = split_indices(len(x), seed)
    tokens = np.issubdtype(np.asarray(x).dtype, np.integer)
    xt = torch.from_numpy(np.ascontiguousarray(x, np.int64 if tokens else np.float32))
    if task == "classification":
        yt = torch.from_numpy(np.ascontiguousarray(y, dtype=np.int64))
    else:
        yt = torch.from_numpy(np.ascontiguousarray(y, dtype=np.float32))
    trt, vat = torch.from_numpy(tr), torch.from_numpy(va)
    return Data(name=name, task=task, input_shape=tuple(xt.shape[1:]),
                class_names=class_names, x_train=xt[trt], y_train=yt[trt],
                x_val=xt[vat], y_val=yt[vat], preview_kind=preview_kind, **extra)


WINDOW = 24  # steps a CSV time series window holds unless the user says otherwise


def load_series_csv(path: Path, window: int, seed: int) -> Data:
    """A CSV time series, one column per variable (a header row is skipped): every
    `window` consecutive rows predict the next row. Columns are standardized with the
    statistics of the whole file (targets likewise, undone when predicting)."""
    try:
        table = np.genfromtxt(path, delimiter=",", dtype=np.float64)
    except (OSError, ValueError) as exc:
        fail("bad_path", path=str(path), reason=str(exc))
    table = np.atleast_2d(table)
    if table.shape[0] == 1 or table.ndim == 1:
        table = table.reshape(-1, 1)
    table = table[~np.isnan(table).all(axis=1)]  # the header row reads as NaN
    if not np.isfinite(table).all():
        fail("nan", where=path.name)
    if window < 1 or len(table) <= window + 1:
        fail("too_few", count=max(0, len(table) - window))
    mean, std = table.mean(axis=0), table.std(axis=0)
    std = np.where(std > 1e-12, std, 1.0)
    scaled = (table - mean) / std
    starts = np.arange(len(table) - window)
    x = np.stack([scaled[s:s + window] for s in starts])
    y = scaled[starts + window]
    stats = tuple(float(v) for v in mean), tuple(float(v) for v in std)
    return sequence_data(path.stem, x, y, "regression", (), seed, "sequence",
                         feature_mean=stats[0], feature_std=stats[1],
                         target_mean=_stat(stats[0]), target_std=_stat(stats[1]))


def _stat(values: tuple[float, ...]) -> float | tuple[float, ...]:
    return values[0] if len(values) == 1 else values


def _declare(make: Callable, name: str, **kw) -> DatasetInfo:
    kw.setdefault("class_names", ())
    loader = functools.partial(load_sequences, make)
    return DatasetInfo(name, offline=True, source="generated", loader=loader, **kw)


INFOS: tuple[DatasetInfo, ...] = (
    _declare(
        sine_forecast, "sine-forecast", task="regression", input_shape=(32, 1),
        size=1000, noise=0.05, options={"window": 32}, preview_kind="sequence",
        description={
            "en": "Windows of a noisy sum of two sines: forecast the next value "
                  "(sequence regression).",
            "zh": "带噪声的两个正弦波之和的窗口：预测下一个值(序列回归)。"},
    ),
    _declare(
        parity, "parity", task="classification", input_shape=(16, 1),
        class_names=("even", "odd"), size=2000, noise=0.0, options={"length": 16},
        preview_kind="sequence",
        description={
            "en": "Bit strings: is the number of ones odd? Every bit matters to the "
                  "end; a plain RNN stays near chance, an LSTM/GRU solves it.",
            "zh": "比特串：1 的个数是奇数吗？每一位都影响结果；"
                  "普通 RNN 停留在随机水平，"
            ""
                  "LSTM/GRU 能解决。"},
    ),
    _declare(
        adding, "adding", task="regression", input_shape=(20, 2), size=2000,
        noise=0.0, options={"length": 20}, preview_kind="sequence",
        description={
            "en": "The adding problem: 20 (value, marker) steps; predict the sum of "
                  "the two marked values.",
            "zh": "加法问题：20 个(数值, 标记)步；预测两个被标记数值之和。"},
    ),
    _declare(
        reverse, "reverse", task="classification", input_shape=(16,),
        class_names=tuple(str(i) for i in range(10)), size=2000, noise=0.0,
        options={"length": 16, "symbols": 10}, preview_kind="tokens",
        description={
            "en": "Token strings (16 tokens of 10 symbols) to the same tokens "
            "reversed: "
                  "one class per time step; accuracy counts tokens.",
            "zh": "词元串(16 个词元，10 种符号)映射为其反转：每个时间步一个类别；"
                  "准确率按词元计算。"},
    ),
)
