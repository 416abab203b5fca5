"""Small datasets drawn from a formula: offline, instant, seedable.

They exist to make one idea visible each (a linear boundary fails on spirals, XOR needs
a hidden layer, ...). `size` counts points per class for classification and points in
total for regression; `noise` is each set's own jitter (documented per generator).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import torch

from .base import Data, DatasetInfo, Request, tabular_data
from .messages import fail

Generator = Callable[..., tuple[np.ndarray, np.ndarray]]
# Points drawn at most (size x classes): a million 2-D points already take seconds
# per epoch on a laptop and cannot be told apart in a 500-pixel scatter plot.
MAX_POINTS = 1_000_000


def spiral(n: int, noise: float, rng: np.random.Generator, classes: int = 3):
    """CS231n's spiral arms: radius grows linearly, angle jittered by `noise` rad."""
    xs, ys = [], []
    for k in range(classes):
        r = np.linspace(0.0, 1.0, n)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n) + rng.standard_normal(n) * noise
        xs.append(np.c_[r * np.sin(t), r * np.cos(t)])
        ys.append(np.full(n, k))
    return np.concatenate(xs), np.concatenate(ys)


def moons(n: int, noise: float, rng: np.random.Generator):
    """Two interleaving half circles (as sklearn's make_moons); noise = point std."""
    t = rng.uniform(0.0, np.pi, (2, n))
    upper = np.c_[np.cos(t[0]), np.sin(t[0])]
    lower = np.c_[1.0 - np.cos(t[1]), 0.5 - np.sin(t[1])]
    x = np.concatenate([upper, lower]) + rng.standard_normal((2 * n, 2)) * noise
    return x, np.repeat([0, 1], n)


def circles(n: int, noise: float, rng: np.random.Generator):
    """A ring around a disc-like inner ring (radius 1 and 0.5); noise = point std."""
    t = rng.uniform(0.0, 2.0 * np.pi, (2, n))
    outer = np.c_[np.cos(t[0]), np.sin(t[0])]
    inner = 0.5 * np.c_[np.cos(t[1]), np.sin(t[1])]
    x = np.concatenate([outer, inner]) + rng.standard_normal((2 * n, 2)) * noise
    return x, np.repeat([0, 1], n)


def xor(n: int, noise: float, rng: np.random.Generator):
    """Four quadrants, opposite ones share a class; noise = point std after labeling.

    Points keep a small gap from the axes (as in TensorFlow Playground) so the
    noise-free set is cleanly separable by two lines.
    """
    pad = 0.05
    same = rng.uniform(pad, 1.0, (n, 2)) * rng.choice([-1.0, 1.0], (n, 1))
    sign = rng.choice([-1.0, 1.0], n)
    diff = rng.uniform(pad, 1.0, (n, 2)) * np.c_[sign, -sign]
    x = np.concatenate([same, diff]) + rng.standard_normal((2 * n, 2)) * noise
    return x, np.repeat([0, 1], n)


def gaussians(n: int, noise: float, rng: np.random.Generator, classes: int = 3):
    """Round blobs with centres on a circle of radius 2; noise = blob std."""
    angles = 2.0 * np.pi * np.arange(classes) / classes
    centres = 2.0 * np.c_[np.cos(angles), np.sin(angles)]
    x = np.repeat(centres, n, axis=0) + rng.standard_normal((classes * n, 2)) * noise
    return x, np.repeat(np.arange(classes), n)


def sincos(n: int, noise: float, rng: np.random.Generator):
    """y = sin(x) + cos(x) on two periods, plus Gaussian noise of std `noise`."""
    x = rng.uniform(-2.0 * np.pi, 2.0 * np.pi, n)
    y = np.sin(x) + np.cos(x) + rng.standard_normal(n) * noise
    return x[:, None], y[:, None]


def house_prices(n: int, noise: float, rng: np.random.Generator):
    """Price (in 100,000s) = 0.5 + 0.015 * area (m²) + noise: one straight line."""
    area = rng.uniform(30.0, 200.0, n)
    price = 0.5 + 0.015 * area + rng.standard_normal(n) * noise
    return area[:, None], price[:, None]


def load_generated(make: Generator, info: DatasetInfo, req: Request) -> Data:
    """Draw `req.size` points (per class) and split/standardize them."""
    names = info.class_names
    count = int(req.options.get("classes", len(names) or 1))
    if "classes" in req.options and count < 1:  # 1 says "only one class" later
        fail("bad_value", option="classes", value=count, choices="2 or more")
    total = req.size * count
    if total > MAX_POINTS:
        fail("gen_too_big", name=info.name, count=f"{total:,}", limit=f"{MAX_POINTS:,}")
    rng = np.random.default_rng(req.seed)
    x, y = make(req.size, req.noise, rng, **req.options)
    if info.task == "classification" and count != len(names):
        names = tuple(str(i) for i in range(count))
    return tabular_data(
        info, x, y, req, name=info.name, class_names=names, task=info.task
    )


def load_backprop(info: DatasetInfo, req: Request) -> Data:
    """The one worked example of Mazur's backprop walkthrough, kept exact.

    No standardization and no split: the point is to recompute the textbook numbers,
    so train and validation are both the single sample.
    """
    x = torch.tensor([[0.05, 0.10]], dtype=torch.float32)
    y = torch.tensor([[0.01, 0.99]], dtype=torch.float32)
    return Data(
        name=info.name,
        task="regression",
        input_shape=(2,),
        class_names=(),
        x_train=x,
        y_train=y,
        x_val=x.clone(),
        y_val=y.clone(),
        preview_kind=info.preview_kind,
    )


def _declare(make: Generator, name: str, **kw) -> DatasetInfo:
    kw.setdefault("task", "classification")
    kw.setdefault("input_shape", (2,))
    kw.setdefault("class_names", ("0", "1"))
    loader = functools.partial(load_generated, make)
    return DatasetInfo(name, offline=True, source="generated", loader=loader, **kw)


INFOS: tuple[DatasetInfo, ...] = (
    _declare(
        spiral,
        "spiral",
        class_names=("0", "1", "2"),
        size=300,
        noise=0.2,
        options={"classes": 3},
        description={
            "en": "Three interleaved spiral arms in 2-D: a straight line cannot "
            "separate them, one hidden ReLU layer can.",
            "zh": "二维平面上三条交错的螺旋臂：直线无法把它们分开，"
            "一个 ReLU 隐藏层就能。",
        },
    ),
    _declare(
        moons,
        "moons",
        size=250,
        noise=0.1,
        description={
            "en": "Two interleaving half moons in 2-D: a gently curved boundary.",
            "zh": "二维平面上两个交错的半月形：需要一条略微弯曲的边界。",
        },
    ),
    _declare(
        circles,
        "circles",
        size=250,
        noise=0.08,
        description={
            "en": "A ring around a smaller ring in 2-D: the boundary must close on "
            "itself.",
            "zh": "二维平面上大圆环套着小圆环：边界必须是闭合的。",
        },
    ),
    _declare(
        xor,
        "xor",
        size=250,
        noise=0.05,
        description={
            "en": "XOR: opposite quadrants share a class; impossible without a "
            "hidden layer.",
            "zh": "异或：对角象限属于同一类；没有隐藏层就无法解决。",
        },
    ),
    _declare(
        gaussians,
        "gaussians",
        class_names=("0", "1", "2"),
        size=200,
        noise=0.6,
        options={"classes": 3},
        description={
            "en": "Round Gaussian blobs in 2-D, one per class: almost linearly "
            "separable.",
            "zh": "二维平面上每类一个高斯团：几乎可以线性分开。",
        },
    ),
    _declare(
        sincos,
        "sincos",
        task="regression",
        input_shape=(1,),
        class_names=(),
        size=500,
        noise=0.05,
        preview_kind="curve",
        description={
            "en": "Regression of y = sin(x) + cos(x) from one input: fit a curve.",
            "zh": "回归 y = sin(x) + cos(x)（一个输入）：拟合一条曲线。",
        },
    ),
    _declare(
        house_prices,
        "house-prices",
        task="regression",
        input_shape=(1,),
        class_names=(),
        size=200,
        noise=0.2,
        preview_kind="curve",
        description={
            "en": "House price against floor area: linear regression with one "
            "weight and one bias.",
            "zh": "房价与面积：只有一个权重和一个偏置的线性回归。",
        },
    ),
    DatasetInfo(
        "backprop-example",
        "regression",
        (2,),
        (),
        offline=True,
        source="generated",
        loader=load_backprop,
        preview_kind="table",
        description={
            "en": "The single sample [0.05, 0.10] -> [0.01, 0.99] of the classic "
            "step-by-step backpropagation example.",
            "zh": "经典逐步反向传播示例中的唯一样本 [0.05, 0.10] -> [0.01, 0.99]。",
        },
    ),
)
