"""Data files and downloads that would spend memory, disk or time, or give wrong
answers (issue 13, §2-§3), without Qt.

Each is refused in one line before the memory is spent: IDX and CIFAR headers
that promise more (or less) than the file holds, generated sets too large to draw,
download bodies that never end or inflate without bound. A killed download's
temporary file goes at the next download; Ctrl+C leaves nothing. CSV files naming a
missing label column, or holding targets float32 cannot represent, are refused
with the place to fix.
"""

from __future__ import annotations

import gzip
import io
import os
import signal
import struct
import subprocess
import sys
import tarfile
import textwrap
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from nnstudio.core.datasets import DatasetError, DownloadError, cache, load_dataset
from nnstudio.core.datasets import download as dl

from .helpers import (
    assert_error_message,
    cache_files,
    has_cjk,
    synthetic_mnist,
)

ROOT = Path(__file__).resolve().parents[2]
MB = 1024**2


def peak_bytes(call) -> tuple[int, BaseException | None]:
    """The most memory Python and numpy held while `call()` ran, and what it
    raised."""
    tracemalloc.start()
    error = None
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - handed back to the test
        error = exc
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, error


# --- IDX and CIFAR headers against the real data ------------------------------------
def idx_pair(folder: Path, images_head: bytes, body: bytes, labels: int = 10) -> Path:
    """An images file (`images_head` + `body`, gzipped) with a labels file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "x-images-idx3-ubyte.gz").write_bytes(gzip.compress(images_head + body))
    label_bytes = struct.pack(">II", 0x0801, labels) + bytes(labels)
    (folder / "x-labels-idx1-ubyte").write_bytes(label_bytes)
    return folder


def zeros_gz(folder: Path, head: bytes, count: int) -> Path:
    """Gzip `head` + `count` zero bytes without holding them in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "x-images-idx3-ubyte.gz"
    with gzip.open(path, "wb", compresslevel=1) as gz:
        gz.write(head)
        block = bytes(MB)
        for _ in range(count // MB):
            gz.write(block)
    labels = struct.pack(">II", 0x0801, 10) + bytes(10)
    (folder / "x-labels-idx1-ubyte").write_bytes(labels)
    return folder


def test_idx_header_promising_gigabytes_is_refused_before_reading(tmp_path):
    """1 MB of .gz whose header declares 5 million 28x28 images (3.9 GB)."""
    head = struct.pack(">IIII", 0x0803, 5_000_000, 28, 28)
    folder = zeros_gz(tmp_path / "bomb", head, 48 * MB)
    assert (folder / "x-images-idx3-ubyte.gz").stat().st_size < 1 * MB
    peak, error = peak_bytes(lambda: load_dataset(str(folder)))
    assert isinstance(error, DatasetError), error
    assert_error_message(error, "3.9 GB", "2.0 GB")
    assert peak < 8 * MB, f"{peak / MB:.0f} MB spent before refusing"


def test_idx_body_longer_than_its_header_stops_at_the_header(tmp_path):
    """The header says 10 images, the .gz inflates to 48 MB: read 10, then stop."""
    head = struct.pack(">IIII", 0x0803, 10, 28, 28)
    folder = zeros_gz(tmp_path / "long", head, 48 * MB)
    peak, error = peak_bytes(lambda: load_dataset(str(folder)))
    assert isinstance(error, DatasetError), error
    assert_error_message(error, "x-images-idx3-ubyte.gz", "more than the 7840 bytes")
    assert peak < 8 * MB, f"{peak / MB:.0f} MB spent before refusing"


@pytest.mark.parametrize("gz", [True, False], ids=["gz", "plain"])
def test_idx_body_shorter_than_its_header_names_both_sizes(gz, tmp_path):
    head = struct.pack(">IIII", 0x0803, 1000, 28, 28)
    folder = tmp_path / "short"
    idx_pair(folder, head, bytes(5 * 784))
    if not gz:
        plain = gzip.decompress((folder / "x-images-idx3-ubyte.gz").read_bytes())
        (folder / "x-images-idx3-ubyte.gz").unlink()
        (folder / "x-images-idx3-ubyte").write_bytes(plain)
    with pytest.raises(DatasetError) as info:
        load_dataset(str(folder))
    want, got = ("784000", "3920") if gz else ("784016", "3936")  # plain: + header
    assert_error_message(info.value, want, got)


def test_idx_with_a_wrong_magic_number_says_so(tmp_path):
    head = struct.pack(">IIII", 0x0D03, 10, 28, 28)  # 0x0D: float32, not ubyte
    folder = idx_pair(tmp_path / "float", head, bytes(10 * 784 * 4))
    with pytest.raises(DatasetError) as info:
        load_dataset(str(folder))
    assert_error_message(info.value, "00000d03", "unsigned-byte")


def lying_cifar(path: Path, declared: int, actual: int) -> Path:
    """A .tar.gz whose test_batch.bin header declares `declared` bytes but only
    `actual` follow (the archive then ends)."""
    info = tarfile.TarInfo("cifar-10-batches-bin/test_batch.bin")
    info.size = declared
    head = info.tobuf(format=tarfile.GNU_FORMAT)
    path.write_bytes(gzip.compress(head + bytes(actual)))
    return path


def test_cifar_member_declaring_gigabytes_is_refused_before_reading(tmp_path):
    path = lying_cifar(tmp_path / "c.tar.gz", declared=3073 * 1_000_000, actual=3073)
    peak, error = peak_bytes(lambda: load_dataset(str(path)))
    assert isinstance(error, DatasetError), error
    assert_error_message(error, "3.1 GB", "2.0 GB")
    assert peak < 8 * MB, f"{peak / MB:.0f} MB spent before refusing"


def test_cifar_batch_that_is_not_whole_records_is_refused(tmp_path):
    path = lying_cifar(tmp_path / "c.tar.gz", declared=3000, actual=3000)
    with pytest.raises(DatasetError) as info:
        load_dataset(str(path))
    assert_error_message(info.value, "test_batch.bin", "3000 bytes")


@pytest.mark.skipif(os.name == "nt", reason="FIFOs are POSIX")
@pytest.mark.parametrize("where", ["csv", "cifar-archive", "cifar-batch"])
def test_fifo_as_a_dataset_file_does_not_hang(where, tmp_path):
    cifar = tmp_path / "cifar-10-batches-bin"
    cifar.mkdir()
    (cifar / "test_batch.bin").write_bytes(bytes(3073))
    fifo, target = {
        "csv": (tmp_path / "table.csv",) * 2,
        "cifar-archive": (tmp_path / "cifar-10-binary.tar.gz",) * 2,
        "cifar-batch": (cifar / "data_batch_1.bin", cifar),
    }[where]
    os.mkfifo(fifo)
    done: list = []
    worker = threading.Thread(
        target=lambda: done.append(_raised(load_dataset, str(target))), daemon=True
    )
    worker.start()
    worker.join(3)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # unblock the reader
        worker.join(5)
        pytest.fail(f"{fifo.name}: reading the FIFO blocked")
    assert isinstance(done[0], DatasetError), done
    assert_error_message(done[0], fifo.name, "not a regular file")


def _raised(call, *args):
    try:
        call(*args)
    except BaseException as exc:  # noqa: BLE001 - handed back to the test
        return exc
    return None


# --- generated sets ------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,options",
    [("spiral", {"size": 400_000}), ("moons", {"size": 10**9}), ("sincos", {})],
)
def test_generated_sets_are_capped_before_drawing(name, options):
    if not options:
        options = {"size": 2_000_000}
    started = time.perf_counter()
    with pytest.raises(DatasetError) as info:
        load_dataset(name, **options)
    assert time.perf_counter() - started < 1
    assert_error_message(info.value, name, "the most is 1,000,000")


def test_generated_class_count_must_be_positive():
    with pytest.raises(DatasetError) as info:
        load_dataset("spiral", classes=-1)
    assert_error_message(info.value, "'classes'", "-1")


# --- CSV: a missing label column, targets beyond float32 -----------------------------
def csv(path: Path, header: str, rows: list[str]) -> str:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_csv_label_option_naming_a_missing_column_is_refused(tmp_path):
    path = csv(
        tmp_path / "t.csv", "a,b,label", [f"{i},{i % 3},{i % 2}" for i in range(20)]
    )
    with pytest.raises(DatasetError) as info:
        load_dataset(path, label="price")
    assert_error_message(info.value, "'price'", "a, b, label")
    with pytest.raises(DatasetError) as info:
        load_dataset(path, label=7)
    assert_error_message(info.value, "'7'", "a, b, label")


def test_csv_label_option_without_header_lists_column_numbers(tmp_path):
    path = csv(tmp_path / "n.csv", "1,2,0", [f"{i},{i % 3},{i % 2}" for i in range(20)])
    with pytest.raises(DatasetError) as info:
        load_dataset(path, label=5)
    assert_error_message(info.value, "'5'", "1, 2, 3")


def test_csv_label_message_in_chinese(tmp_path, zh):
    path = csv(
        tmp_path / "t.csv", "a,b,label", [f"{i},{i % 3},{i % 2}" for i in range(20)]
    )
    with pytest.raises(DatasetError) as info:
        load_dataset(path, label="price")
    assert has_cjk(str(info.value)) and "price" in str(info.value)


TARGETS = [
    ("1e308-guessed", "1e308", {}, "row 7, column 'y'", "too large"),
    ("1e308-asked", "1e308", {"task": "regression"}, "row 7, column 'y'", "too large"),
    ("-4e38", "-4e38", {}, "row 7, column 'y'", "too large"),
    ("inf-guessed", "inf", {}, "row 7, column 'y'", "not a finite number"),
    ("nan-asked", "nan", {"task": "regression"}, "row 7", "Missing value"),
]


@pytest.mark.parametrize(
    "name,value,options,place,words", TARGETS, ids=[t[0] for t in TARGETS]
)
def test_csv_targets_float32_cannot_hold_are_refused_at_load(
    name, value, options, place, words, tmp_path
):
    rows = [f"{i},{value if i == 5 else i * 1.5 + 0.25}" for i in range(40)]
    path = csv(tmp_path / "r.csv", "x,y", rows)
    with pytest.raises(DatasetError) as info:
        load_dataset(path, **options)
    assert_error_message(info.value, place, words)


def test_targets_too_far_apart_for_float32_are_refused(tmp_path):
    """Each value fits float32 but their spread does not: the scaled targets
    would be infinite, or all zero."""
    rows = [f"{i},{(i % 7) * 1e37 - 3e38 if i % 2 else 0.5}" for i in range(40)]
    with pytest.raises(DatasetError) as info:
        load_dataset(csv(tmp_path / "wide.csv", "x,y", rows))
    assert_error_message(info.value, "wide", "float32")


# --- downloads -----------------------------------------------------------------------
@pytest.fixture
def mirror(server, monkeypatch, tmp_path):
    """The local server as the MNIST mirror with its own hashes, a cache of our own."""
    server.files = synthetic_mnist(train=300)
    monkeypatch.setitem(dl.FILES, "mnist", server.hashes())
    monkeypatch.setenv("NNSTUDIO_MIRROR", server.url)
    monkeypatch.setenv("NNSTUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NNSTUDIO_DOWNLOAD_TIMEOUT", "5")
    return server


@pytest.mark.parametrize("mode", ["endless", "gzip-bomb"])
def test_download_stops_at_the_known_size(mode, mirror, tmp_path):
    """An endless body streamed 676 MB in 2 s; a gzip bomb wrote 2 GiB before the
    checksum failed. Now both stop one chunk past the file's known size."""
    mirror.mode = mode
    written: list[int] = []
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", progress=lambda done, total: written.append(done))
    elapsed = time.monotonic() - started
    assert info.value.code == "too-big", str(info.value)
    assert_error_message(info.value, "more than the 9.9 MB", "train-images")
    assert max(written, default=0) <= dl.SIZES["mnist"]["train-images-idx3-ubyte.gz"]
    assert elapsed < 10, f"{elapsed:.1f} s"
    if mode == "endless":
        assert mirror.sent < 64 * MB, f"the server got to send {mirror.sent / MB} MB"
    assert cache_files(tmp_path / "cache") == []


def test_download_announcing_more_than_the_known_size_is_refused_at_once(
    mirror, monkeypatch, tmp_path
):
    monkeypatch.setitem(dl.SIZES["mnist"], "train-images-idx3-ubyte.gz", 1000)
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist")
    assert info.value.code == "too-big"
    assert_error_message(info.value, "more than the 1.0 KB")
    assert cache_files(tmp_path / "cache") == []


def test_download_checks_sha256_first():
    """Every known file has a SHA-256 and a size (the README promises SHA-256)."""
    for name, files in dl.FILES.items():
        for fname, known in files.items():
            algorithm, _, digest = known.rpartition(":")
            assert algorithm == "sha256" and len(digest) == 64, (name, fname)
            assert dl.SIZES[name][fname] > 0
        assert dl.BASE_URLS[name].startswith("https://"), name


def test_md5_still_verifies_where_no_sha256_is_known(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"nnstudio")
    assert dl.hash_matches(
        path, "md5:" + __import__("hashlib").md5(b"nnstudio").hexdigest()
    )
    assert not dl.hash_matches(path, "md5:" + "0" * 32)


def test_ctrl_c_during_a_download_leaves_nothing(mirror, tmp_path):
    mirror.mode, mirror.delay = "slow", 0.02

    def press_ctrl_c(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_dataset("mnist", progress=press_ctrl_c)
    assert cache_files(tmp_path / "cache") == []


KILLED = textwrap.dedent("""
    import sys
    from nnstudio.core.datasets import download as dl, load_dataset
    dl.FILES["mnist"] = dict(arg.split("=") for arg in sys.argv[1:])
    load_dataset("mnist", progress=lambda done, total: print(done, flush=True))
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_temp_file_of_a_killed_download_is_swept_at_the_next(mirror, tmp_path):
    """A download killed outright (no Python code runs) left a 2.9 GB temporary
    file in the cache for good. The next download removes it."""
    mirror.mode, mirror.delay = "slow", 0.05
    folder = tmp_path / "cache" / "datasets" / "mnist"
    hashes = [f"{n}={h}" for n, h in dl.FILES["mnist"].items()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, *hashes],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout.readline(), "the download never started"
        partial = [p for p in cache_files(folder)]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert partial, "no temporary file while downloading"
    assert all(p.exists() for p in partial)  # the kill left them
    mirror.mode = "ok"
    load_dataset("mnist")
    assert sorted(p.name for p in cache_files(folder)) == sorted(dl.FILES["mnist"])


def test_sweep_keeps_a_running_download_of_another_process(tmp_path):
    folder = tmp_path / "datasets" / "mnist"
    folder.mkdir(parents=True)
    mine = folder / f".train-images-idx3-ubyte.gz.{os.getppid()}.part"  # alive
    dead = folder / ".train-labels-idx1-ubyte.gz.999999999.part"
    legacy = folder / "tmpab12cd34"
    for path in (mine, dead, legacy):
        path.write_bytes(b"partial")
    old = time.time() - 2 * cache.STALE_PART_S
    os.utime(legacy, (old, old))
    removed = cache.sweep_cache(tmp_path)
    assert sorted(p.name for p in removed) == sorted([dead.name, legacy.name])
    assert mine.exists()


@pytest.mark.skipif(os.name == "nt", reason="pid probing is POSIX")
def test_first_load_of_a_session_sweeps_the_cache_whatever_the_dataset(tmp_path):
    """The studio's start loads spiral, not MNIST: a killed download's 2.9 GB file
    must still go, not wait for the next download."""
    folder = tmp_path / "datasets" / "cifar10"
    folder.mkdir(parents=True)
    left = folder / f".{dl.ARCHIVE}.999999999.part"
    left.write_bytes(b"x" * 1000)
    load_dataset("spiral", cache_dir=tmp_path)
    assert not left.exists()


def test_cifar_download_reads_a_raw_archive(server, monkeypatch, tmp_path):
    """The archive path goes through the same capped, hashed transfer."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, n in (("data_batch_1.bin", 6), ("test_batch.bin", 4)):
            records = np.zeros((n, 3073), np.uint8)
            records[:, 0] = np.arange(n) % 10
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = records.nbytes
            tar.addfile(info, io.BytesIO(records.tobytes()))
    server.files = {dl.ARCHIVE: buf.getvalue()}
    monkeypatch.setitem(dl.FILES, "cifar10", {dl.ARCHIVE: server.hashes()[dl.ARCHIVE]})
    url = server.url.replace("/mnist/", "/cifar10/")
    data = load_dataset("cifar10", mirror=url, cache_dir=tmp_path)
    assert data.x_train.shape == (6, 3, 32, 32)
