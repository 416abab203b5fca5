"""The small classic datasets that ship inside scikit-learn: offline, real data.

scikit-learn is imported only when one of them is loaded (it costs about a second).
"""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F

from .base import Data, DatasetInfo, Request, image_data, split_images, tabular_data

UPSAMPLED = 28  # MNIST's size, so a network or a drawn digit made for MNIST fits


def _bunch(loader_name: str):
    import sklearn.datasets

    return getattr(sklearn.datasets, loader_name)()


def load_table(loader_name: str, info: DatasetInfo, req: Request) -> Data:
    """Rows of measurements; diabetes' targets (25..346) are standardized too."""
    bunch = _bunch(loader_name)
    return tabular_data(
        info,
        bunch.data,
        bunch.target,
        req,
        name=info.name,
        class_names=info.class_names,
        task=info.task,
        scale_targets=True,
    )


def load_digits(info: DatasetInfo, req: Request) -> Data:
    """8x8 digits with grey levels 0..16 stored as uint8 images 0..255.

    `upsample=True` stretches them to 28x28 (bilinear) so MNIST-sized networks and
    the drawing canvas can use them.
    """
    bunch = _bunch("load_digits")
    scaled = np.rint(bunch.images * (255.0 / 16.0)).astype(np.uint8)
    images = torch.from_numpy(scaled).unsqueeze(1)
    if req.options.get("upsample"):
        images = _upsample(images)
    labels = torch.from_numpy(bunch.target.astype(np.int64))
    x, y = split_images(images, labels, req.seed)
    return image_data(info.name, x, y, info.class_names)


def _upsample(images: torch.Tensor) -> torch.Tensor:
    size = (UPSAMPLED, UPSAMPLED)
    big = F.interpolate(images.float(), size=size, mode="bilinear", align_corners=False)
    return big.round().clamp(0, 255).to(torch.uint8)


def _table(name: str, loader_name: str, classes: tuple[str, ...], **kw) -> DatasetInfo:
    return DatasetInfo(
        name,
        kw.pop("task", "classification"),
        kw.pop("input_shape"),
        classes,
        offline=True,
        source="sklearn",
        loader=functools.partial(load_table, loader_name),
        preview_kind="table",
        **kw,
    )


INFOS: tuple[DatasetInfo, ...] = (
    DatasetInfo(
        "digits",
        "classification",
        (1, 8, 8),
        tuple(str(i) for i in range(10)),
        offline=True,
        source="sklearn",
        loader=load_digits,
        preview_kind="image",
        options={"upsample": False},
        description={
            "en": "1,797 handwritten digits, 8x8 pixels (upsample=True gives 28x28); "
            "a tiny offline MNIST.",
            "zh": "1,797 个 8x8 像素的手写数字（upsample=True 放大到 28x28）；离线的"
            "迷你 MNIST。",
        },
    ),
    _table(
        "iris",
        "load_iris",
        ("setosa", "versicolor", "virginica"),
        input_shape=(4,),
        description={
            "en": "150 iris flowers, 4 measurements, 3 species.",
            "zh": "150 朵鸢尾花，4 项测量值，3 个品种。",
        },
    ),
    _table(
        "wine",
        "load_wine",
        ("class_0", "class_1", "class_2"),
        input_shape=(13,),
        description={
            "en": "178 wines, 13 chemical measurements, 3 cultivars.",
            "zh": "178 种葡萄酒，13 项化学测量值，3 个品种。",
        },
    ),
    _table(
        "breast-cancer",
        "load_breast_cancer",
        ("malignant", "benign"),
        input_shape=(30,),
        description={
            "en": "569 breast tumour samples, 30 cell measurements: malignant or "
            "benign.",
            "zh": "569 个乳腺肿瘤样本，30 项细胞测量值：恶性或良性。",
        },
    ),
    _table(
        "diabetes",
        "load_diabetes",
        (),
        task="regression",
        input_shape=(10,),
        description={
            "en": "442 diabetes patients, 10 measurements: regress disease "
            "progression one year later (target standardized).",
            "zh": "442 名糖尿病患者，10 项测量值：回归一年后的病情进展"
            "（目标已标准化）。",
        },
    ),
)
