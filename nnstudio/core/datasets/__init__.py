"""Datasets: one registry of named sets plus import from a folder or CSV file.

    from nnstudio.core.datasets import load_dataset
    data = load_dataset("spiral", seed=0)          # generated, offline
    data = load_dataset("mnist", progress=print)   # downloaded once into the cache
    data = load_dataset("/path/to/folder")         # IDX files, class folders, CSV

Nothing here imports Qt; downloads block, so the UI runs them in a worker thread and
passes a `cancel` Event.
"""

from nnstudio.core.errors import DatasetError, DownloadError

from .base import Data, DatasetInfo, Request
from .registry import DATASETS, dataset_names, describe, load_dataset

__all__ = [
    "DATASETS",
    "Data",
    "DatasetError",
    "DatasetInfo",
    "DownloadError",
    "Request",
    "dataset_names",
    "describe",
    "load_dataset",
]
