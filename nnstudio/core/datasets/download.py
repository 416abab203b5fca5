"""Datasets fetched once into the per-user cache, then read from disk.

Each file streams into a temporary file beside its target (`.NAME.PID.part`), is
checked against its known SHA-256 (MD5 only where no SHA-256 is known) and only
then renamed into place. The bytes read are capped at the file's known size, so an
endless body or a compression bomb stops at once instead of filling the disk. On
any failure, Ctrl+C included, whatever this call added to the cache is removed;
the temporary files of a download that was killed outright (no Python code runs
then) are swept at the next download. Every failure ends as one `DownloadError`
whose message says how to import the files by hand.

The bytes come through requests with `transfer.session`, whose reads wait in short
steps, so a cancel ends the download within a fraction of a second even while the
server sends nothing (a plain blocked read would wait out the whole timeout).

Tests point the loaders at a local server with `mirror=` and their own hashes by
monkeypatching `FILES`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

from .base import Data, DatasetInfo, Progress, Request, size_text
from .cache import (
    ACTIVE_LOCK,
    ACTIVE_PARTS,
    cleanup_on_failure,
    dataset_folder,
    sweep_cache,
)
from .cifar import ARCHIVE, CLASSES, load_cifar
from .idx import find_pairs, load_idx_folder
from .messages import DownloadError, say

TIMEOUT_S = 15.0  # connect and read timeout: a stalled server fails well within 30 s
CHUNK = 64 * 1024  # bytes per progress callback: ~150 calls for MNIST's 11 MB
# A file whose size is not known (a test's own file) may still not be endless:
# the largest known file, CIFAR-10's archive, is 170 MB.
MAX_UNKNOWN_BYTES = 256 * 1024**2
_MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
BASE_URLS: dict[str, str] = {
    "mnist": _MNIST_URL,
    # The official host, fashion-mnist.s3-website.eu-central-1.amazonaws.com, is an
    # S3 website endpoint, which serves plain http only; the dataset's own GitHub
    # repository serves the same files (same SHA-256) over https.
    "fashion-mnist": "https://raw.githubusercontent.com/zalandoresearch/"
    "fashion-mnist/master/data/fashion/",
    "kmnist": "https://codh.rois.ac.jp/kmnist/dataset/kmnist/",
    "cifar10": "https://www.cs.toronto.edu/~kriz/",
}

TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}

# file name -> known hash: "sha256:<hex>", or "md5:<hex>" where no SHA-256 is known
# (a bare hex string is SHA-256). The SHA-256 sums are those TensorFlow Datasets
# publishes for the same files (url_checksums/{mnist,fashion_mnist,kmnist,
# cifar10}.txt), each also found paired with the MD5 torchvision checks.
FILES: dict[str, dict[str, str]] = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "sha256:"
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "sha256:"
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "sha256:"
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "sha256:"
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": "sha256:"
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train-labels-idx1-ubyte.gz": "sha256:"
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "t10k-images-idx3-ubyte.gz": "sha256:"
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "t10k-labels-idx1-ubyte.gz": "sha256:"
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    },
    "kmnist": {
        "train-images-idx3-ubyte.gz": "sha256:"
        "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
        "train-labels-idx1-ubyte.gz": "sha256:"
        "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
        "t10k-images-idx3-ubyte.gz": "sha256:"
        "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
        "t10k-labels-idx1-ubyte.gz": "sha256:"
        "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c",
    },
    "cifar10": {
        ARCHIVE: "sha256:"
        "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
    },
}

# file name -> its size in bytes (same sources): no more is ever read for it
SIZES: dict[str, dict[str, int]] = {
    "mnist": {
        "train-images-idx3-ubyte.gz": 9_912_422,
        "train-labels-idx1-ubyte.gz": 28_881,
        "t10k-images-idx3-ubyte.gz": 1_648_877,
        "t10k-labels-idx1-ubyte.gz": 4_542,
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": 26_421_880,
        "train-labels-idx1-ubyte.gz": 29_515,
        "t10k-images-idx3-ubyte.gz": 4_422_102,
        "t10k-labels-idx1-ubyte.gz": 5_148,
    },
    "kmnist": {
        "train-images-idx3-ubyte.gz": 18_165_135,
        "train-labels-idx1-ubyte.gz": 29_497,
        "t10k-images-idx3-ubyte.gz": 3_041_136,
        "t10k-labels-idx1-ubyte.gz": 5_120,
    },
    "cifar10": {ARCHIVE: 170_052_171},
}




class TooBig(Exception):
    """The server sent (or announced) more bytes than the file can have."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class ChecksumMismatch(Exception):
    """The downloaded bytes are not the known file."""


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
    sweep_cache(req.cache_dir)
    url = base_url(name, req.mirror)
    with cleanup_on_failure(folder):
        progress = _Progress(req.progress, req.cancel)
        for fname, known_hash in FILES[name].items():
            try:
                check_cancel(req.cancel)
                target = folder / fname
                if not (target.is_file() and hash_matches(target, known_hash)):
                    size = SIZES.get(name, {}).get(fname)
                    download = _Downloader(progress, timeout_s(req), size)
                    _retrieve(url + fname, known_hash, target, download)
            except Exception as exc:
                raise _translate(exc, name, fname, url, timeout_s(req)) from None
            progress.next_file()
    return folder


def _retrieve(url: str, known_hash: str, target: Path, download: _Downloader) -> None:
    """Stream `url` into a temporary file beside `target`, check its hash, rename.

    The temporary file is removed on any failure or interruption; its name holds
    this process's id, so the next download can tell a killed one's leftovers from
    a running download's file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.parent / f".{target.name}.{os.getpid()}.part"
    with ACTIVE_LOCK:
        ACTIVE_PARTS.add(part)
    try:
        download(url, part)
        if not hash_matches(part, known_hash):
            raise ChecksumMismatch(target.name)
        os.replace(part, target)
    finally:
        with ACTIVE_LOCK:
            ACTIVE_PARTS.discard(part)
        with contextlib.suppress(OSError):
            part.unlink()


def hash_matches(path: Path, known_hash: str) -> bool:
    """Whether the file's digest is `known_hash` ("sha256:hex", "md5:hex", or a
    bare hex SHA-256)."""
    algorithm, _, digest = known_hash.rpartition(":")
    h = hashlib.new(algorithm.lower() or "sha256")
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest() == digest.strip().lower()


class _Downloader:
    """Stream one URL into a file, reading at most its known `size` in bytes.

    Connecting may take `timeout` seconds, and so may a silence while reading. The
    cancel flag is checked on every chunk and, while the server sends nothing, every
    `transfer.SLICE_S` seconds (not while connecting). The server is asked for the
    bytes as they are (no compression on the fly), and whatever it sends counts
    against the size as decoded: a body that is endless or inflates without bound
    stops one chunk past it (a file of unknown size: MAX_UNKNOWN_BYTES).
    """

    def __init__(self, progress: _Progress, timeout: float, size: int | None):
        self.progress, self.timeout, self.size = progress, timeout, size
        self.limit = size or MAX_UNKNOWN_BYTES

    def __call__(self, url: str, output_file: Path) -> None:
        from .transfer import session

        cancel = self.progress.cancel
        headers = {"Accept-Encoding": "identity"}
        timeout = (self.timeout, self.timeout)
        with (
            session(lambda: check_cancel(cancel)) as client,
            client.get(url, stream=True, timeout=timeout, headers=headers) as reply,
        ):
            reply.raise_for_status()
            announced = int(reply.headers.get("content-length") or 0)
            if announced > self.limit:
                raise TooBig(self.limit)
            self.progress.start(announced or self.size or 0)
            written = 0
            with open(output_file, "wb") as out:
                for chunk in reply.iter_content(chunk_size=CHUNK):
                    written += len(chunk)
                    if written > self.limit:
                        raise TooBig(self.limit)
                    out.write(chunk)
                    self.progress.update(len(chunk))


def _translate(exc: Exception, name: str, fname: str, url: str, timeout: float):
    """One plain `DownloadError` for whatever requests or the checks raised."""
    import requests

    errors = requests.exceptions
    title = TITLES.get(name, name)
    manual = manual_hint(name)
    if isinstance(exc, Cancelled):
        return DownloadError(say("dl_cancelled", title=title), "cancelled")
    if isinstance(exc, ChecksumMismatch):
        return DownloadError(
            say("dl_checksum", file=fname, title=title, manual=manual), "checksum"
        )
    if isinstance(exc, TooBig):
        reason = say("r_too_big", file=fname, size=size_text(exc.limit))
        message = say("dl_failed", title=title, reason=reason, manual=manual)
        return DownloadError(message, "too-big")
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
    for name, files in FILES.items():
        for fname, known in files.items():
            path = folder / fname
            if ("labels" in fname or fname == ARCHIVE) and path.is_file():
                with contextlib.suppress(OSError):
                    if hash_matches(path, known):
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
