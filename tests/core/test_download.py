"""Downloads against a local HTTP server on 127.0.0.1: never the internet.

The server hands out synthetic gzip IDX files; `FILES` is monkeypatched with their
hashes and `mirror=` points the loader at the server. Each failure mode must end as
one plain-line DownloadError and leave nothing in the cache.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import socket
import struct
import tarfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from nnstudio.core.datasets import DownloadError, cache, load_dataset
from nnstudio.core.datasets import download as dl

SPLITS = {"train": 50, "t10k": 20}  # images per official split file


def idx_images(images: np.ndarray) -> bytes:
    """Gzipped IDX3: magic 0x0803 (ubyte, 3 dims), big-endian sizes, pixels."""
    n, h, w = images.shape
    return gzip.compress(struct.pack(">IIII", 0x0803, n, h, w) + images.tobytes())


def idx_labels(labels: np.ndarray) -> bytes:
    return gzip.compress(struct.pack(">II", 0x0801, len(labels)) + labels.tobytes())


def synthetic_files() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    files = {}
    for split, n in SPLITS.items():
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = (np.arange(n) % 10).astype(np.uint8)
        files[f"{split}-images-idx3-ubyte.gz"] = idx_images(images)
        files[f"{split}-labels-idx1-ubyte.gz"] = idx_labels(labels)
    return files


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves `server.files`; `server.mode` picks a misbehaviour."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = self.server.files.get(self.path.rsplit("/", 1)[-1])
        if body is None:
            self.send_error(404)
            return
        mode = self.server.mode
        if mode == "stall":
            self.server.release.wait(20)  # say nothing until the test ends
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        length = len(body) + (100_000 if mode == "truncate" else 0)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if mode == "truncate":
            self.close_connection = True  # claims more than it sends, then hangs up

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.files = synthetic_files()
    httpd.mode = "ok"
    httpd.release = threading.Event()
    serve = functools.partial(httpd.serve_forever, poll_interval=0.05)  # fast stop
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def files(server, monkeypatch):
    """Point `FILES["mnist"]` at the synthetic files' sha256 hashes."""
    hashes = {
        name: hashlib.sha256(body).hexdigest() for name, body in server.files.items()
    }
    monkeypatch.setitem(dl.FILES, "mnist", hashes)
    monkeypatch.delenv("NNSTUDIO_MIRROR", raising=False)
    return hashes


def url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/mnist/"


def cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []


def assert_one_line_with_advice(err: DownloadError) -> None:
    message = str(err)
    assert "\n" not in message
    assert "t10k-labels-idx1-ubyte.gz" in message  # says which files to fetch by hand
    assert "folder" in message


def test_download_reports_progress_and_loads_official_split(server, files, tmp_path):
    calls: list[tuple[int, int | None]] = []
    data = load_dataset(
        "mnist",
        mirror=url(server),
        cache_dir=tmp_path,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert data.x_train.shape == (SPLITS["train"], 1, 28, 28)
    assert data.x_val.shape == (SPLITS["t10k"], 1, 28, 28)
    assert data.x_train.dtype.is_floating_point is False
    assert data.class_names == tuple(str(i) for i in range(10))
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == sum(map(len, server.files.values()))
    assert all(total is not None and d <= total for d, total in calls)
    folder = tmp_path / "datasets" / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)


def test_cached_files_are_not_downloaded_again(server, files, tmp_path):
    load_dataset("mnist", mirror=url(server), cache_dir=tmp_path)
    server.mode = "stall"  # any new request would now hang
    calls = []
    data = load_dataset(
        "mnist",
        mirror=url(server),
        cache_dir=tmp_path,
        progress=lambda *a: calls.append(a),
    )
    assert len(data.x_train) == SPLITS["train"] and calls == []


def test_mirror_from_environment(server, files, tmp_path, monkeypatch):
    monkeypatch.setenv("NNSTUDIO_MIRROR", url(server).replace("/mnist/", "/{name}"))
    data = load_dataset("mnist", cache_dir=tmp_path)
    assert len(data.x_val) == SPLITS["t10k"]


def test_checksum_mismatch_removes_file(server, files, tmp_path, monkeypatch):
    monkeypatch.setitem(dl.FILES["mnist"], "t10k-images-idx3-ubyte.gz", "0" * 64)
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", mirror=url(server), cache_dir=tmp_path)
    assert "checksum" in str(info.value) and "t10k-images" in str(info.value)
    assert info.value.code == "checksum"
    assert_one_line_with_advice(info.value)
    assert cache_files(tmp_path) == []


def test_interrupted_transfer_leaves_nothing(server, files, tmp_path):
    server.mode = "truncate"
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", mirror=url(server), cache_dir=tmp_path)
    assert "closed" in str(info.value)
    assert_one_line_with_advice(info.value)
    assert cache_files(tmp_path) == []


def test_stalled_server_times_out(server, files, tmp_path, monkeypatch):
    monkeypatch.setenv("NNSTUDIO_DOWNLOAD_TIMEOUT", "1")
    server.mode = "stall"
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", mirror=url(server), cache_dir=tmp_path)
    assert time.monotonic() - start < 10
    assert "1 s" in str(info.value)
    assert_one_line_with_advice(info.value)
    assert cache_files(tmp_path) == []


def test_cancel_from_progress_leaves_nothing(server, files, tmp_path):
    cancel = threading.Event()
    seen = []

    def progress(done: int, total: int | None) -> None:
        seen.append(done)
        if done > 10_000:  # part-way through the first (largest) file
            cancel.set()

    with pytest.raises(DownloadError) as info:
        load_dataset(
            "mnist",
            mirror=url(server),
            cache_dir=tmp_path,
            progress=progress,
            cancel=cancel,
        )
    assert info.value.code == "cancelled"
    assert seen and cache_files(tmp_path) == []
    assert not (tmp_path / "datasets").exists()


def test_cancel_keeps_files_from_earlier_downloads(server, files, tmp_path):
    load_dataset("mnist", mirror=url(server), cache_dir=tmp_path)
    victim = tmp_path / "datasets" / "mnist" / "t10k-labels-idx1-ubyte.gz"
    victim.unlink()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DownloadError):
        load_dataset("mnist", mirror=url(server), cache_dir=tmp_path, cancel=cancel)
    assert len(cache_files(tmp_path)) == 3  # what was complete before stays


def test_offline_fails_fast_with_advice(files, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", mirror=f"http://127.0.0.1:{port}/", cache_dir=tmp_path)
    assert time.monotonic() - start < 30
    assert "could not connect" in str(info.value)
    assert_one_line_with_advice(info.value)
    assert cache_files(tmp_path) == []


def test_missing_file_on_mirror(server, files, tmp_path):
    del server.files["t10k-labels-idx1-ubyte.gz"]
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", mirror=url(server), cache_dir=tmp_path)
    assert "404" in str(info.value)
    assert cache_files(tmp_path) == []


def test_hand_imported_folder_of_downloaded_files(server, tmp_path):
    for name, body in server.files.items():
        (tmp_path / name).write_bytes(body)
    data = load_dataset(str(tmp_path))
    assert (len(data.x_train), len(data.x_val)) == (SPLITS["train"], SPLITS["t10k"])
    assert data.source_path == str(tmp_path)


def test_cache_dir_defaults_to_platformdirs(monkeypatch):
    import platformdirs

    monkeypatch.delenv("NNSTUDIO_CACHE_DIR", raising=False)
    expected = Path(platformdirs.user_cache_dir("nnstudio")) / "datasets" / "mnist"
    assert cache.dataset_folder("mnist") == expected


def cifar_archive(path: Path, sizes=(("data_batch_1.bin", 30), ("test_batch.bin", 10))):
    """A tiny CIFAR-10 binary release: label byte + 3072 pixel bytes per record."""
    rng = np.random.default_rng(2)
    with tarfile.open(path, "w:gz") as tar:
        for name, n in sizes:
            labels = (np.arange(n) % 10).astype(np.uint8)[:, None]
            raw = np.hstack([labels, rng.integers(0, 256, (n, 3072), dtype=np.uint8)])
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = raw.nbytes
            tar.addfile(info, io.BytesIO(raw.tobytes()))
    return path


def test_cifar10_download_reads_the_binary_archive(server, tmp_path, monkeypatch):
    body = cifar_archive(tmp_path / "a.tar.gz").read_bytes()
    server.files = {dl.ARCHIVE: body}
    digest = hashlib.md5(body).hexdigest()
    monkeypatch.setitem(dl.FILES, "cifar10", {dl.ARCHIVE: f"md5:{digest}"})
    data = load_dataset("cifar10", mirror=url(server), cache_dir=tmp_path / "cache")
    assert data.x_train.shape == (30, 3, 32, 32) and data.x_val.shape[0] == 10
    assert data.class_names[-1] == "truck" and data.name == "cifar10"
    again = load_dataset(str(tmp_path / "a.tar.gz"))  # the archive imported by hand
    assert torch.equal(again.x_val, data.x_val)


def test_cifar_binary_records_are_parsed_without_pickle(tmp_path):
    rng = np.random.default_rng(1)
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    for name, n in (
        ("data_batch_1.bin", 30),
        ("data_batch_2.bin", 20),
        ("test_batch.bin", 10),
    ):
        labels = (np.arange(n) % 10).astype(np.uint8)[:, None]
        pixels = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        (folder / name).write_bytes(np.hstack([labels, pixels]).tobytes())
    data = load_dataset(str(tmp_path))
    assert data.x_train.shape == (50, 3, 32, 32) and len(data.x_val) == 10
    assert data.class_names[0] == "airplane"
    assert isinstance(data.mean, tuple) and len(data.mean) == 3
    raw = (folder / "test_batch.bin").read_bytes()
    assert data.x_val[0, 0, 0, 0] == raw[1]  # red plane first, row-major
    assert data.x_val[0, 2, 31, 31] == raw[3072]
