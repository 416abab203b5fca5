"""Shared checks of the robustness suite: what a user-facing message must look like,
the CLI runner, dialog recording, CJK detection and a misbehaving local HTTP server."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import re
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What must never reach a user: a traceback, a source location, advice to unpickle.
FORBIDDEN = ("Traceback", 'File "', "weights_only=False", "site-packages")


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def assert_user_message(message: str, *fragments: str) -> None:
    """One plain line: not empty, no traceback, each fragment present (any case)."""
    assert message and message.strip(), "empty message"
    assert "\n" not in message.strip(), f"more than one line: {message!r}"
    for bad in FORBIDDEN:
        assert bad not in message, f"{bad!r} reaches the user: {message!r}"
    low = message.lower()
    for fragment in fragments:
        assert fragment.lower() in low, f"{fragment!r} not in {message!r}"


def assert_error_message(exc: BaseException, *fragments: str) -> None:
    """A core NNStudioError: one plain line with the fragments; no chained traceback
    shown to users (the CLI prints str(exc) only)."""
    from nnstudio.core.errors import NNStudioError

    assert isinstance(exc, NNStudioError), f"{type(exc).__name__}: {exc}"
    assert_user_message(str(exc), *fragments)


@dataclass
class CliResult:
    rc: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_cli(capsys: Any, *args: str) -> CliResult:
    """`nnstudio.cli.main([...])` in-process; SystemExit (argparse) becomes rc."""
    from nnstudio.cli import main

    capsys.readouterr()
    try:
        rc = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's own errors
        rc = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return CliResult(int(rc), captured.out, captured.err)


def assert_cli_refuses(result: CliResult, *fragments: str, rc: int = 2) -> None:
    """Bad input: exit status 2, stderr one line `nnstudio: ...`, no traceback."""
    assert result.rc == rc, f"exit {result.rc}, stderr: {result.err!r}"
    lines = result.err_lines
    assert len(lines) == 1, f"stderr is not one line: {result.err!r}"
    assert lines[0].startswith("nnstudio: "), lines[0]
    assert_user_message(lines[0], *fragments)
    assert "Traceback" not in result.out


# --- dialogs --------------------------------------------------------------------------
@dataclass
class ModalRecorder:
    """Records QMessageBox/QFileDialog static calls instead of blocking on them."""

    calls: list[tuple[str, tuple]] = field(default_factory=list)
    file_answer: str = ""

    @classmethod
    def install(cls, monkeypatch: Any) -> ModalRecorder:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        rec = cls()
        button = QMessageBox.StandardButton
        answers = {
            "critical": button.Ok,
            "warning": button.Ok,
            "information": button.Ok,
            "question": button.Cancel,
            "about": None,
        }
        for name, answer in answers.items():
            monkeypatch.setattr(QMessageBox, name, rec._record(name, answer))
        for name in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, name, rec._record(name, None, pair=True))
        monkeypatch.setattr(
            QFileDialog, "getExistingDirectory", rec._record("getExistingDirectory", "")
        )
        return rec

    def _record(self, name: str, answer: Any, pair: bool = False):
        def fake(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, tuple(str(a) for a in args[1:])))
            return (self.file_answer, "") if pair else answer

        return staticmethod(fake)

    def texts(self) -> str:
        return " | ".join(" ".join(args) for _, args in self.calls)


# --- a misbehaving download server ----------------------------------------------------
SPLITS = {"train": 40, "t10k": 12}  # images per split: a tiny synthetic MNIST


def idx_images(images: np.ndarray) -> bytes:
    n, h, w = images.shape
    return gzip.compress(struct.pack(">IIII", 0x0803, n, h, w) + images.tobytes())


def idx_labels(labels: np.ndarray) -> bytes:
    return gzip.compress(struct.pack(">II", 0x0801, len(labels)) + labels.tobytes())


def synthetic_mnist(train: int = SPLITS["train"]) -> dict[str, bytes]:
    """Four gzip IDX files of random digits (`train` training images)."""
    rng = np.random.default_rng(0)
    files = {}
    for split, n in {**SPLITS, "train": train}.items():
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = (np.arange(n) % 10).astype(np.uint8)
        files[f"{split}-images-idx3-ubyte.gz"] = idx_images(images)
        files[f"{split}-labels-idx1-ubyte.gz"] = idx_labels(labels)
    return files


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        srv = self.server
        srv.hits += 1
        body = srv.files.get(self.path.rsplit("/", 1)[-1])
        if body is None:
            self.send_error(404)
            return
        if srv.mode == "stall":
            srv.stalled.set()
            srv.release.wait(30)  # say nothing until released
            return
        if srv.mode in ("endless", "gzip-bomb"):
            self._flood(srv)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        extra = 100_000 if srv.mode == "truncate" else 0
        self.send_header("Content-Length", str(len(body) + extra))
        self.end_headers()
        try:
            if srv.mode == "slow":  # a trickle: progress keeps coming, slowly
                for i in range(0, len(body), 4096):
                    if srv.release.is_set():
                        return
                    self.wfile.write(body[i : i + 4096])
                    self.wfile.flush()
                    time.sleep(srv.delay)
            elif srv.mode == "stall-body":  # half the file, then silence
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                srv.stalled.set()
                srv.release.wait(30)
            else:
                self.wfile.write(body)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        if srv.mode == "truncate":
            self.close_connection = True

    def _flood(self, srv: Server) -> None:
        """endless: no length, zeros until FLOOD_BYTES; gzip-bomb: a small body
        sent with Content-Encoding: gzip that inflates to FLOOD_BYTES."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.close_connection = True
        if srv.mode == "gzip-bomb":
            body = gzip_bomb()
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        chunks = [body] if srv.mode == "gzip-bomb" else _zeros()
        try:
            for chunk in chunks:
                if srv.release.is_set():
                    return
                self.wfile.write(chunk)
                srv.sent += len(chunk)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, *args: Any) -> None:
        pass


FLOOD_BYTES = 256 * 1024**2  # what a flooding mode would send if nobody stopped it


def _zeros(step: int = 256 * 1024):
    block = bytes(step)
    for _ in range(FLOOD_BYTES // step):
        yield block


@functools.cache
def gzip_bomb() -> bytes:
    """FLOOD_BYTES of zeros gzipped: about 250 KB on the wire."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        block = bytes(1024**2)
        for _ in range(FLOOD_BYTES // len(block)):
            gz.write(block)
    return out.getvalue()


class Server(http.server.ThreadingHTTPServer):
    """modes: ok, stall (headers never come), stall-body (half the file, then
    silence), truncate (hangs up early), slow (4 KB every `delay` seconds),
    endless (a body without end), gzip-bomb (a small gzip body inflating to
    256 MB). `stalled` is set once a stalling mode has gone silent; `sent` counts
    the bytes the flooding modes wrote."""

    daemon_threads = True
    mode = "ok"
    hits = 0
    sent = 0
    delay = 0.02

    @classmethod
    def start(cls) -> Server:
        httpd = cls(("127.0.0.1", 0), _Handler)
        httpd.files = synthetic_mnist()
        httpd.release, httpd.stalled = threading.Event(), threading.Event()
        serve = functools.partial(httpd.serve_forever, poll_interval=0.05)
        httpd.thread = threading.Thread(target=serve, daemon=True)
        httpd.thread.start()
        return httpd

    def stop(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self.thread.join(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/mnist/"

    def hashes(self) -> dict[str, str]:
        return {n: hashlib.sha256(b).hexdigest() for n, b in self.files.items()}


def cache_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def shapes_folder(root: Path) -> Path:
    """An image folder with two named classes (bars and rings), 20 images each."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    y, x = np.ogrid[:28, :28]
    ring = ((y - 14) ** 2 + (x - 14) ** 2 < 80) & ((y - 14) ** 2 + (x - 14) ** 2 > 30)
    for cls in ("bar", "ring"):
        (root / cls).mkdir(parents=True)
        for i in range(20):
            img = np.zeros((28, 28), np.uint8)
            if cls == "bar":
                img[4:24, 12:16] = 255
            else:
                img[ring] = 255
            noisy = np.clip(img + rng.integers(0, 40, (28, 28)), 0, 255)
            Image.fromarray(noisy.astype(np.uint8)).save(root / cls / f"{i}.png")
    return root
