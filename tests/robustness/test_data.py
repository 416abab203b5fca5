"""Data: downloads that fail (offline without a cache, a stalled server, a transfer cut
short, a wrong checksum, a missing file, a cancel), and datasets that cannot be learned
from (no points, one class, NaN values, missing cells, text where numbers belong).

Each ends as one plain DatasetError (in English and Chinese), a CLI exit 2, a message
in the window with Train explaining why — and nothing partial left in the cache, the
user's file untouched, and the studio back to training after choosing another dataset.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nnstudio.core.datasets import DatasetError, DownloadError, load_dataset
from nnstudio.core.datasets import download as dl

from .helpers import (
    assert_cli_refuses,
    assert_error_message,
    assert_user_message,
    cache_files,
    has_cjk,
    run_cli,
    synthetic_mnist,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mirror(server, monkeypatch, tmp_path):
    """The local server as the MNIST mirror, its hashes as the known ones, an empty
    cache of our own."""
    server.files = synthetic_mnist(train=300)  # ~240 KB: several progress chunks
    monkeypatch.setitem(dl.FILES, "mnist", server.hashes())
    monkeypatch.setenv("NNSTUDIO_MIRROR", server.url)
    monkeypatch.setenv("NNSTUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NNSTUDIO_DOWNLOAD_TIMEOUT", "1")
    return server


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _offline(server, monkeypatch):
    monkeypatch.setenv("NNSTUDIO_MIRROR", f"http://127.0.0.1:{closed_port()}/")


def _stall(server, monkeypatch):
    server.mode = "stall"


def _truncate(server, monkeypatch):
    server.mode = "truncate"


def _checksum(server, monkeypatch):
    monkeypatch.setitem(dl.FILES["mnist"], "t10k-images-idx3-ubyte.gz", "0" * 64)


def _missing(server, monkeypatch):
    del server.files["t10k-labels-idx1-ubyte.gz"]


# (case id, how the download goes wrong, fragments of the message)
DOWNLOADS = [
    ("offline-no-cache", _offline, ("could not connect", "import it by hand")),
    ("stalled-server", _stall, ("did not answer within 1 s",)),
    ("interrupted", _truncate, ("closed before the file was complete",)),
    ("checksum-mismatch", _checksum, ("wrong checksum", "t10k-images")),
    ("missing-on-mirror", _missing, ("HTTP 404",)),
]
IDS = [c[0] for c in DOWNLOADS]


@pytest.mark.parametrize("name,fault,fragments", DOWNLOADS, ids=IDS)
def test_core_download_fault(
    name, fault, fragments, mirror, monkeypatch, tmp_path
) -> None:
    fault(mirror, monkeypatch)
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist")
    assert time.monotonic() - started < 15
    assert_error_message(info.value, *fragments)
    assert cache_files(tmp_path / "cache") == []  # nothing partial kept


@pytest.mark.parametrize("name,fault,fragments", DOWNLOADS[:3], ids=IDS[:3])
def test_core_download_fault_in_chinese(
    name, fault, fragments, mirror, monkeypatch, zh
) -> None:
    fault(mirror, monkeypatch)
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist")
    assert has_cjk(str(info.value)) and "\n" not in str(info.value)


def test_core_cancel_mid_transfer(mirror, tmp_path) -> None:
    mirror.mode, mirror.delay = "slow", 0.05
    cancel, seen = threading.Event(), []

    def progress(done, total):
        seen.append(done)
        cancel.set()  # the user pressed Cancel at the first progress report

    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", progress=progress, cancel=cancel)
    assert info.value.code == "cancelled"
    assert_error_message(info.value, "cancelled", "nothing was kept")
    assert seen and cache_files(tmp_path / "cache") == []


STALLS = ["stall", "stall-body"]  # no headers at all; half the file, then silence


def cancel_once_stalled(server, cancel: threading.Event, pressed: list[float]) -> None:
    """Press Cancel 0.2 s after the server went silent (the client is then blocked
    reading), noting when."""

    def press() -> None:
        if server.stalled.wait(20):
            time.sleep(0.2)
            pressed.append(time.monotonic())
            cancel.set()

    threading.Thread(target=press, daemon=True).start()


@pytest.mark.parametrize("mode", STALLS)
def test_core_cancel_while_the_server_stalls(mode, mirror, monkeypatch, tmp_path):
    monkeypatch.setenv("NNSTUDIO_DOWNLOAD_TIMEOUT", "30")  # far longer than the bound
    mirror.mode = mode
    cancel, pressed = threading.Event(), []
    cancel_once_stalled(mirror, cancel, pressed)
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", cancel=cancel)
    ended = time.monotonic()
    assert info.value.code == "cancelled", str(info.value)
    assert_error_message(info.value, "cancelled", "nothing was kept")
    assert ended - pressed[0] < 3, f"cancel took {ended - pressed[0]:.1f} s"
    assert cache_files(tmp_path / "cache") == []


@pytest.mark.parametrize("mode", STALLS)
def test_core_stall_without_cancel_still_times_out(mode, mirror, tmp_path) -> None:
    mirror.mode = mode  # NNSTUDIO_DOWNLOAD_TIMEOUT is 1 s (the mirror fixture)
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        load_dataset("mnist", cancel=threading.Event())  # a cancel nobody presses
    elapsed = time.monotonic() - started
    assert info.value.code != "cancelled"
    assert_error_message(info.value, "did not answer within 1 s", "import it by hand")
    assert 0.9 < elapsed < 15  # the whole timeout, not one short read's wait
    assert cache_files(tmp_path / "cache") == []


def test_cli_offline_download(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NNSTUDIO_MIRROR", f"http://127.0.0.1:{closed_port()}/")
    monkeypatch.setenv("NNSTUDIO_CACHE_DIR", str(tmp_path))
    result = run_cli(capsys, "train", "cnn-mnist", "--epochs", "1")
    assert_cli_refuses(result, "Could not download MNIST", "by hand")
    assert cache_files(tmp_path) == []


# --- data that cannot be learned from -------------------------------------------------
def write(folder: Path, name: str, body: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return path


def image_folder(folder: Path, classes: dict[str, int], extra: dict | None = None):
    root = folder / "images"
    for cls, count in classes.items():
        (root / cls).mkdir(parents=True)
        for i in range(count):
            Image.fromarray(np.full((8, 8), i * 20, np.uint8)).save(
                root / cls / f"{i}.png"
            )
    for rel, body in (extra or {}).items():
        (root / rel).write_bytes(body)
    return root


BAD_DATA = [
    ("empty-csv", lambda d: write(d, "empty.csv", ""), "has no samples"),
    ("header-only", lambda d: write(d, "header.csv", "a,b,label\n"), "has no samples"),
    (
        "one-class",
        lambda d: write(d, "one.csv", "a,b,label\n1,2,0\n3,4,0\n5,6,0\n"),
        "only one class",
    ),
    (
        "nan-value",
        lambda d: write(d, "nan.csv", "a,b,label\n1,nan,0\n3,4,1\n5,6,0\n"),
        "Missing value",
    ),
    (
        "inf-value",
        lambda d: write(d, "inf.csv", "a,b,label\n1,inf,0\n3,4,1\n5,6,0\n"),
        "is not a number",
    ),
    (
        "missing-cell",
        lambda d: write(d, "gap.csv", "a,b,label\n1,,0\n3,4,1\n5,6,0\n"),
        "row 2, column 'b'",
    ),
    (
        "missing-label",
        lambda d: write(d, "nolab.csv", "a,b,label\n1,2,\n3,4,1\n5,6,0\n"),
        "Missing value",
    ),
    (
        "text-in-features",
        lambda d: write(d, "words.csv", "a,b,label\n1,two,0\n3,4,1\n5,6,0\n"),
        "'two'",
    ),
    (
        "ragged-row",
        lambda d: write(d, "ragged.csv", "a,b,label\n1,2,0\n3,1\n5,6,0\n"),
        "has 2 values but the first row has 3",
    ),
    (
        "one-column",
        lambda d: write(d, "single.csv", "a\n1\n2\n3\n"),
        "feature column and a label column",
    ),
    (
        "binary-garbage",
        lambda d: write(d, "garbage.csv", bytes(range(256)) * 4),
        "Cannot read",
    ),
    ("missing-file", lambda d: d / "nowhere.csv", "Cannot read"),
    ("empty-folder", lambda d: (d / "void").mkdir() or d / "void", "holds no dataset"),
    ("image-folder-one-class", lambda d: image_folder(d, {"cat": 3}), "only one class"),
    (
        "image-folder-with-junk",
        lambda d: image_folder(
            d, {"cat": 3, "dog": 3}, {"dog/notes.png": b"not a png"}
        ),
        "notes.png",
    ),
]
DATA_IDS = [c[0] for c in BAD_DATA]


def snapshot(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    if path.is_dir():
        return {str(p): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return {}


@pytest.mark.parametrize("name,make,fragment", BAD_DATA, ids=DATA_IDS)
def test_core_refuses_bad_data(name, make, fragment, tmp_path) -> None:
    path = make(tmp_path)
    before = snapshot(path)
    with pytest.raises(DatasetError) as info:
        load_dataset(str(path))
    assert_error_message(info.value, fragment)
    assert snapshot(path) == before  # the student's file is never changed


@pytest.mark.parametrize("name,make,fragment", BAD_DATA[::3], ids=DATA_IDS[::3])
def test_core_bad_data_in_chinese(name, make, fragment, tmp_path, zh) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset(str(make(tmp_path)))
    assert has_cjk(str(info.value)), str(info.value)
    assert_user_message(str(info.value))


@pytest.mark.parametrize("name,make,fragment", BAD_DATA[::2], ids=DATA_IDS[::2])
def test_cli_refuses_bad_data(name, make, fragment, tmp_path, capsys) -> None:
    path = make(tmp_path)
    result = run_cli(capsys, "train", "spiral-relu", "--dataset", path, "--epochs", "1")
    assert_cli_refuses(result, fragment)


@pytest.mark.parametrize(
    "options,fragment",
    [
        ({"size": 0}, "at least 1"),
        ({"size": -3}, "at least 1"),
        ({"size": "abc"}, "abc"),
        ({"noise": -1.0}, "0 or more"),
        ({"noise": float("nan")}, "0 or more"),
        ({"colour": "red"}, "no option 'colour'"),
    ],
)
def test_core_refuses_bad_generated_options(options, fragment) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset("spiral", **options)
    assert_error_message(info.value, fragment)


def test_text_labels_become_class_names(tmp_path, capsys) -> None:
    path = write(
        tmp_path,
        "pets.csv",
        "weight,height,label\n"
        + "".join(
            f"{w},{h},{'cat' if w < 5 else 'dog'}\n"
            for w, h in zip(range(10), range(10, 20), strict=True)
        ),
    )
    data = load_dataset(str(path))
    assert data.class_names == ("cat", "dog") and data.task == "classification"
    result = run_cli(
        capsys,
        "train",
        "spiral-linear",
        "--dataset",
        path,
        "--epochs",
        "1",
        "--no-probes",
        "--json",
    )
    assert result.rc == 2  # spiral-linear has 3 outputs; the message says to use 2
    assert_cli_refuses(result, "needs 2")


def test_csv_with_chinese_label_column(tmp_path) -> None:
    path = write(tmp_path, "点.csv", "x,y,类别\n1,2,猫\n3,4,狗\n5,6,猫\n7,8,狗\n")
    data = load_dataset(str(path))
    assert data.class_names == ("狗", "猫") and data.input_shape == (2,)


def test_csv_in_a_chinese_folder_trains(tmp_path, capsys) -> None:
    folder = tmp_path / "我的 数据"
    folder.mkdir()
    rows = "".join(f"{np.cos(i)},{np.sin(i)},{i % 2}\n" for i in range(40))
    path = write(folder, "圆 点.csv", "a,b,label\n" + rows)
    result = run_cli(
        capsys, "train", "spiral-linear", "--dataset", path, "--epochs", "1"
    )
    assert result.rc == 2 and "needs 2" in result.err  # read fine; outputs explained


# --- the window -----------------------------------------------------------------------
def pick(studio, qtbot, dataset: str) -> None:
    studio.training_panel.data_box.choose_dataset(dataset)
    qtbot.waitUntil(lambda: not studio.data_source.loading, timeout=30_000)


def back_to_spiral(studio, qtbot) -> None:
    pick(studio, qtbot, "spiral")
    panel = studio.training_panel
    qtbot.waitUntil(panel.run.train_button.isEnabled, timeout=10_000)


@pytest.mark.parametrize(
    "name,make,fragment",
    [
        c
        for c in BAD_DATA
        if c[0]
        in (
            "one-class",
            "nan-value",
            "text-in-features",
            "binary-garbage",
            "empty-folder",
        )
    ],
    ids=[
        "one-class",
        "nan-value",
        "text-in-features",
        "binary-garbage",
        "empty-folder",
    ],
)
def test_window_bad_data(name, make, fragment, studio, qtbot, tmp_path, shots) -> None:
    path = make(tmp_path)
    before = snapshot(path)
    pick(studio, qtbot, str(path))
    panel, bar = studio.training_panel, studio.message_bar
    assert bar.isVisible() and bar.last_level == "error"
    assert_user_message(bar.last_text, fragment)
    assert not panel.run.train_button.isEnabled()
    assert_user_message(panel.run.blocked_label.text(), fragment)
    if name == "nan-value":
        studio.grab().save(str(shots / "data_nan_csv.png"))
    assert snapshot(path) == before
    back_to_spiral(studio, qtbot)
    assert studio.modals.calls == []


@pytest.mark.parametrize("name,fault,fragments", DOWNLOADS[:3], ids=IDS[:3])
def test_window_download_fault(
    name, fault, fragments, studio, qtbot, mirror, monkeypatch, tmp_path, shots
) -> None:
    fault(mirror, monkeypatch)
    pick(studio, qtbot, "mnist")
    panel, bar = studio.training_panel, studio.message_bar
    assert bar.last_level == "error"
    assert_user_message(bar.last_text, *fragments)
    assert not panel.run.train_button.isEnabled()
    assert_user_message(panel.run.blocked_label.text(), *fragments)
    if name == "offline-no-cache":
        studio.grab().save(str(shots / "download_offline.png"))
    assert cache_files(tmp_path / "cache") == []
    back_to_spiral(studio, qtbot)


def test_window_cancel_during_a_download(
    studio, qtbot, mirror, tmp_path, shots
) -> None:
    mirror.mode, mirror.delay = "slow", 0.05
    panel, source = studio.training_panel, studio.data_source
    progress = []
    source.sig_progress.connect(lambda done, total: progress.append(done))
    panel.data_box.choose_dataset("mnist")
    assert source.loading and not panel.run.train_button.isEnabled()
    qtbot.waitUntil(
        lambda: bool(progress) and panel.data_box._progress_dialog is not None,
        timeout=20_000,
    )
    studio.grab().save(str(shots / "download_in_progress.png"))
    from PySide6.QtWidgets import QPushButton

    panel.data_box._progress_dialog.findChild(
        QPushButton
    ).click()  # the dialog's Cancel button
    assert not source.loading and source.data is None
    assert_user_message(panel.data_box.data_info.text(), "cancelled")
    assert not panel.run.train_button.isEnabled()
    qtbot.waitUntil(lambda: not source._jobs, timeout=20_000)  # the worker ended
    assert cache_files(tmp_path / "cache") == []
    back_to_spiral(studio, qtbot)
    assert studio.modals.calls == []


STALLED_CLOSE = textwrap.dedent("""
    import os, sys, time, types
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    import nnstudio.core
    fake = types.ModuleType("nnstudio.core.datasets")  # no torch: a stalled download
    fake.DATASETS = {}
    def load_dataset(name, **kw):
        time.sleep(3)  # blocked in a socket read; cancel is not looked at meanwhile
    fake.load_dataset = load_dataset
    sys.modules["nnstudio.core.datasets"] = nnstudio.core.datasets = fake
    from nnstudio.ui.data_source import DataSource
    source = DataSource()
    source.request("mnist")
    time.sleep(0.3)
    # what MainWindow.shutdown does on close (JOIN_MS = 5 s < the 15 s read timeout)
    print("joined", source.shutdown(timeout_ms=300), flush=True)
    del source
    app.processEvents()
    print("exit", flush=True)
""")


@pytest.mark.slow
def test_closing_during_a_stalled_download_does_not_crash() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", STALLED_CLOSE],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "joined False" in proc.stdout
    assert proc.returncode == 0, proc.stderr.strip().splitlines()[-1:]


def test_window_keeps_its_width_after_a_failed_download(studio, qtbot, monkeypatch):
    monkeypatch.setenv("NNSTUDIO_MIRROR", f"http://127.0.0.1:{closed_port()}/")
    studio.resize(1440, 900)
    studio.select_view("boundary")
    pick(studio, qtbot, "mnist")
    qtbot.wait(100)
    assert studio.width() <= 1440, f"the window grew to {studio.width()} px"
    back_to_spiral(studio, qtbot)
