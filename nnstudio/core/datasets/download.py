"""Datasets fetched once into the per-user cache with pooch, then read from disk.

pooch streams each file into a temporary name beside the target, checks the known
hash and only then moves it into place. On top of that, every failure here removes
whatever this call added to the cache, so a cancelled, stalled or broken download
never leaves a partial file behind, and ends as one `DownloadError` whose message
says how to import the files by hand.

The bytes come through requests with `transfer.session`, whose reads wait in short
steps, so a cancel ends the download within a fraction of a second even while the
server sends nothing (a plain blocked read would wait out the whole timeout).

Tests point the loaders at a local server with `mirror=` and their own hashes by
monkeypatching `FILES`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from .base import Data, DatasetInfo, Progress, Request
from .cifar import ARCHIVE, CLASSES, load_cifar
from .idx import find_pairs, load_idx_folder
from .messages import DownloadError, say

TIMEOUT_S = 15.0  # connect and read timeout: a stalled server fails well within 30 s
CHUNK = 64 * 1024  # bytes per progress callback: ~150 calls for MNIST's 11 MB

_MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
BASE_URLS: dict[str, str] = {
    "mnist": _MNIST_URL,
    "fashion-mnist": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "kmnist": "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
    "cifar10": "https://www.cs.toronto.edu/~kriz/",
}

TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}

# file name -> pooch hash ("md5:..." or a bare sha256), the ones torchvision checks
FILES: dict[str, dict[str, str]] = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "md5:d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "md5:9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "md5:ec29112dd5afa0611ce80d1b7f02629c",
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "md5:25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "md5:bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "md5:bb300cfdad3c16e7a12a480ee83cd310",
    },
    "kmnist": {
        "train-images-idx3-ubyte.gz": "md5:bdb82020997e1d708af4cf47b453dcf7",
        "train-labels-idx1-ubyte.gz": "md5:e144d726b3acfaa3e44228e80efcd344",
        "t10k-images-idx3-ubyte.gz": "md5:5c965bf0a639b31b8f53240b1b52f4d7",
        "t10k-labels-idx1-ubyte.gz": "md5:7320c461ea6c1c855c0b718fb2a4b134",
    },
    "cifar10": {ARCHIVE: "md5:c32a1d4ab5d03f1284b67883e8d87530"},
}


class Cancelled(Exception):
    """Raised while a transfer runs, once the cancel Event is set, to abort it."""


class _Progress:
    """`progress(bytes_done, total_or_None)` counted over all files of the dataset;
    checks the cancel flag on every chunk."""

    def __init__(self, callback: Progress | None, cancel: threading.Event | None):
        self.callback, self.cancel = callback, cancel
        self.total = 0  # of the current file, from Content-Length (0 when unknown)
        self._count = self._before = 0

    def start(self, total: int) -> None:
        self._count, self.total = 0, total

    def update(self, n: int) -> None:
        check_cancel(self.cancel)
        self._count += n
        if self.total:
            self._count = min(self._count, self.total)
        if self.callback is not None:
            total = self._before + self.total if self.total else None
            self.callback(self._before + self._count, total)

    def next_file(self) -> None:
        self._before += self._count
        self._count, self.total = 0, 0


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """The nnstudio cache folder: argument, NNSTUDIO_CACHE_DIR, else platformdirs."""
    if cache_dir is None:
        cache_dir = os.environ.get("NNSTUDIO_CACHE_DIR") or None
    if cache_dir is None:
        import platformdirs

        cache_dir = platformdirs.user_cache_dir("nnstudio")
    return Path(cache_dir).expanduser()


def dataset_folder(name: str, cache_dir: str | os.PathLike | None = None) -> Path:
    return cache_root(cache_dir) / "datasets" / name


def base_url(name: str, mirror: str | None = None) -> str:
    """The URL folder holding the files: `mirror`, NNSTUDIO_MIRROR, else official.

    A "{name}" inside the environment variable becomes the dataset name, so one
    setting can serve all datasets (their files share names).
    """
    url = mirror or os.environ.get("NNSTUDIO_MIRROR", "").replace("{name}", name)
    return (url or BASE_URLS[name]).rstrip("/") + "/"


def timeout_s(req: Request) -> float:
    value = req.options.get("timeout") or os.environ.get("NNSTUDIO_DOWNLOAD_TIMEOUT")
    return float(value) if value else TIMEOUT_S


def fetch(name: str, req: Request) -> Path:
    """Make sure every file of dataset `name` is in the cache; return its folder."""
    folder = dataset_folder(name, req.cache_dir)
    url = base_url(name, req.mirror)
    with _cleanup_on_failure(folder), _quiet_pooch():
        progress = _Progress(req.progress, req.cancel)
        for fname, known_hash in FILES[name].items():
            try:
                check_cancel(req.cancel)
                _retrieve(url + fname, known_hash, folder, progress, timeout_s(req))
            except Exception as exc:
                raise _translate(exc, name, fname, url, timeout_s(req)) from None
            progress.next_file()
    return folder


def _retrieve(url, known_hash, folder, progress, timeout) -> None:
    import pooch

    pooch.retrieve(
        url,
        known_hash,
        fname=url.rsplit("/", 1)[1],
        path=folder,
        downloader=_Downloader(progress, timeout),
    )


class _Downloader:
    """pooch's downloader protocol: stream `url` into pooch's temporary file.

    Connecting may take `timeout` seconds, and so may a silence while reading. The
    cancel flag is checked on every chunk and, while the server sends nothing, every
    `transfer.SLICE_S` seconds (not while connecting).
    """

    def __init__(self, progress: _Progress, timeout: float):
        self.progress, self.timeout = progress, timeout

    def __call__(self, url: str, output_file: str, pooch: object = None) -> None:
        from .transfer import session

        cancel = self.progress.cancel
        with (
            session(lambda: check_cancel(cancel)) as client,
            client.get(url, stream=True, timeout=(self.timeout, self.timeout)) as reply,
        ):
            reply.raise_for_status()
            self.progress.start(int(reply.headers.get("content-length", 0)))
            with open(output_file, "wb") as out:
                for chunk in reply.iter_content(chunk_size=CHUNK):
                    out.write(chunk)
                    self.progress.update(len(chunk))


@contextlib.contextmanager
def _cleanup_on_failure(folder: Path) -> Iterator[None]:
    """On any failure, remove what appeared in `folder` (and the folders made)."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    before = set(os.listdir(folder)) if folder.exists() else set()
    try:
        yield
    except BaseException:
        if folder.exists():
            for entry in set(os.listdir(folder)) - before:
                _remove(folder / entry)
        for path in made:  # deepest first
            with contextlib.suppress(OSError):
                path.rmdir()
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    """pooch logs every download to stderr; the studio reports progress itself."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _translate(exc: Exception, name: str, fname: str, url: str, timeout: float):
    """One plain `DownloadError` for whatever pooch/requests raised."""
    import requests

    errors = requests.exceptions
    title = TITLES.get(name, name)
    manual = manual_hint(name)
    if isinstance(exc, Cancelled):
        return DownloadError(say("dl_cancelled", title=title), "cancelled")
    if isinstance(exc, ValueError) and "hash" in str(exc):
        return DownloadError(
            say("dl_checksum", file=fname, title=title, manual=manual), "checksum"
        )
    if isinstance(exc, errors.Timeout) or "timed out" in str(exc).lower():
        reason = say("r_timeout", seconds=timeout)
    elif isinstance(exc, errors.ChunkedEncodingError | errors.ContentDecodingError):
        reason = say("r_interrupted")
    elif isinstance(exc, errors.HTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        reason = say("r_http", status=status, file=fname)
    elif isinstance(exc, errors.ConnectionError):
        reason = say("r_connect", host=urlsplit(url).netloc or url)
    elif isinstance(exc, errors.RequestException | OSError | ValueError):
        reason = say("r_other", detail=str(exc).splitlines()[0] if str(exc) else exc)
    else:
        return exc
    return DownloadError(say("dl_failed", title=title, reason=reason, manual=manual))


def manual_hint(name: str) -> str:
    """How to get the files without nnstudio's downloader: from the official site,
    since the mirror in use may be the very thing that failed."""
    files = FILES[name]
    key = "manual" if len(files) > 1 else "manual_one"
    return say(key, files=", ".join(files), url=BASE_URLS[name])


def identify(folder: Path) -> str | None:
    """The known dataset whose label (or archive) file lies in `folder`, if any.

    Lets a folder imported by hand show "T-shirt/top" instead of "0" when it holds
    the Fashion-MNIST files (all MNIST-like sets use the same file names).
    """
    import pooch

    for name, files in FILES.items():
        for fname, known in files.items():
            path = folder / fname
            if ("labels" in fname or fname == ARCHIVE) and path.is_file():
                alg, _, digest = known.rpartition(":")
                if pooch.file_hash(str(path), alg=alg or "sha256") == digest.lower():
                    return name
    return None


def load_mnist_like(info: DatasetInfo, req: Request) -> Data:
    """Download (or reuse) the four IDX files; train-* trains, t10k-* validates."""
    folder = fetch(info.name, req)
    files = [p for p in find_pairs(folder) if p[0].name in FILES[info.name]]
    return load_idx_folder(
        folder, req, name=info.name, class_names=info.class_names, files=files
    )


def load_cifar10(info: DatasetInfo, req: Request) -> Data:
    folder = fetch(info.name, req)
    return load_cifar(folder / ARCHIVE, name=info.name)


def _declare(name: str, loader, shape, classes, en: str, zh: str) -> DatasetInfo:
    return DatasetInfo(
        name,
        "classification",
        shape,
        tuple(classes),
        offline=False,
        source="download",
        loader=loader,
        preview_kind="image",
        options={"timeout": None},
        description={"en": en, "zh": zh},
    )


INFOS: tuple[DatasetInfo, ...] = (
    _declare(
        "mnist",
        load_mnist_like,
        (1, 28, 28),
        map(str, range(10)),
        "70,000 handwritten digits, 28x28 gray (downloaded once, 11 MB).",
        "70,000 个 28x28 灰度手写数字（只需下载一次，11 MB）。",
    ),
    _declare(
        "fashion-mnist",
        load_mnist_like,
        (1, 28, 28),
        (
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        "70,000 clothing images in 10 kinds, 28x28 gray (downloaded once, 30 MB).",
        "70,000 张 10 类服饰图片，28x28 灰度（只需下载一次，30 MB）。",
    ),
    _declare(
        "kmnist",
        load_mnist_like,
        (1, 28, 28),
        ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
        "70,000 handwritten Japanese kana (Kuzushiji), 28x28 gray (downloaded "
        "once, 21 MB).",
        "70,000 个手写日文假名（草书），28x28 灰度（只需下载一次，21 MB）。",
    ),
    _declare(
        "cifar10",
        load_cifar10,
        (3, 32, 32),
        CLASSES,
        "60,000 small colour photos in 10 classes, 32x32 RGB (downloaded once, "
        "162 MB).",
        "60,000 张 10 类彩色小照片，32x32 RGB（只需下载一次，162 MB）。",
    ),
)
