"""Pretrained weights through the project's downloader, against 127.0.0.1 only:
a good file, a wrong hash, a stalled server, a cancel, and an offline import.
The weights file is a real (small) torchvision state_dict this test makes."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import threading
import time

import pytest
import torch

from nnstudio.cli import main
from nnstudio.core import pretrained as pt
from nnstudio.core.datasets.messages import DownloadError

MODEL = "squeezenet1_1"  # the smallest of the four: ~5 MB of weights


@pytest.fixture(scope="module")
def weights_bytes() -> bytes:
    import torchvision

    torch.manual_seed(0)
    buffer = io.BytesIO()
    torch.save(torchvision.models.squeezenet1_1(weights=None).state_dict(), buffer)
    return buffer.getvalue()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body = self.server.files.get(self.path.rsplit("/", 1)[-1])
        if body is None:
            self.send_error(404)
            return
        if self.server.mode == "stall":
            self.server.release.wait(20)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for start in range(0, len(body), 65536):
            self.wfile.write(body[start:start + 65536])

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(weights_bytes, monkeypatch, tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.files = {pt.file_name(MODEL): weights_bytes}
    httpd.mode, httpd.release = "ok", threading.Event()
    thread = threading.Thread(
        target=functools.partial(httpd.serve_forever, poll_interval=0.05), daemon=True)
    thread.start()
    digest = hashlib.sha256(weights_bytes).hexdigest()
    monkeypatch.setitem(pt.KNOWN_SHA256, pt.file_name(MODEL), digest)
    monkeypatch.setenv("NNSTUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NNSTUDIO_MIRROR", raising=False)
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/weights/"
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _cached(tmp_path) -> list:
    folder = tmp_path / "cache" / "pretrained"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_good_file_is_downloaded_checked_and_loaded(server, tmp_path) -> None:
    seen = []
    path = pt.ensure_weights(MODEL, mirror=server.url,
                             progress=lambda done, total: seen.append((done, total)))
    assert path.name == pt.file_name(MODEL) and _cached(tmp_path) == [path.name]
    assert seen[-1][0] == seen[-1][1] == len(server.files[path.name])
    state = pt.load_weights_file(MODEL, mirror=server.url)
    assert not any(k.startswith("classifier.") for k in state)
    body = pt.make_body(MODEL)
    body.load_state_dict(state)  # every tensor of the body, and nothing else


def test_wrong_hash_is_refused_and_not_kept(server, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(pt.KNOWN_SHA256, pt.file_name(MODEL), "ab" * 32)
    with pytest.raises(DownloadError) as info:
        pt.ensure_weights(MODEL, mirror=server.url)
    assert info.value.code == "checksum" and "deleted" in str(info.value)
    assert "\n" not in str(info.value)
    assert _cached(tmp_path) == []


def test_cli_download_of_a_wrong_file_exits_2(server, tmp_path, monkeypatch,
                                              capsys) -> None:
    monkeypatch.setitem(pt.KNOWN_SHA256, pt.file_name(MODEL), "ab" * 32)
    assert main(["pretrained", "download", MODEL, "--mirror", server.url]) == 2
    assert "SHA-256" in capsys.readouterr().err
    assert _cached(tmp_path) == []


def test_a_damaged_cached_file_is_replaced(server, tmp_path) -> None:
    path = pt.ensure_weights(MODEL, mirror=server.url)
    path.write_bytes(b"not the weights")
    again = pt.ensure_weights(MODEL, mirror=server.url)
    assert pt.sha256_of(again) == pt.KNOWN_SHA256[pt.file_name(MODEL)]


def test_mirror_from_environment(server, monkeypatch) -> None:
    monkeypatch.setenv("NNSTUDIO_MIRROR", server.url)
    assert pt.ensure_weights(MODEL).exists()


def test_stall_times_out_and_leaves_nothing(server, tmp_path) -> None:
    server.mode = "stall"
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        pt.ensure_weights(MODEL, mirror=server.url, timeout=1)
    assert time.monotonic() - start < 10
    assert "1 s" in str(info.value) and "pretrained import" in str(info.value)
    assert _cached(tmp_path) == []


def test_cancel_leaves_nothing(server, tmp_path) -> None:
    cancel = threading.Event()

    def progress(done: int, total: int | None) -> None:
        if done > 100_000:
            cancel.set()

    with pytest.raises(DownloadError) as info:
        pt.ensure_weights(MODEL, mirror=server.url, progress=progress, cancel=cancel)
    assert info.value.code == "cancelled" and _cached(tmp_path) == []


def test_offline_import_of_a_hand_downloaded_file(server, weights_bytes, tmp_path,
                                                  capsys) -> None:
    hand = tmp_path / pt.file_name(MODEL)
    hand.write_bytes(weights_bytes)
    assert main(["pretrained", "import", str(hand)]) == 0
    assert _cached(tmp_path) == [hand.name]
    server.shutdown()  # from now on no server: the cache alone must do
    assert pt.load_weights_file(MODEL, mirror="http://127.0.0.1:9/")


def test_import_refuses_a_wrong_or_foreign_file(server, tmp_path, capsys) -> None:
    bad = tmp_path / pt.file_name(MODEL)
    bad.write_bytes(b"x" * 1000)
    assert main(["pretrained", "import", str(bad)]) == 2
    assert "SHA-256" in capsys.readouterr().err
    other = tmp_path / "weights.pth"
    other.write_bytes(b"x")
    assert main(["pretrained", "import", str(other)]) == 2
    assert _cached(tmp_path) == []


def test_import_never_runs_pickled_code(server, tmp_path, monkeypatch) -> None:
    class Evil:
        def __reduce__(self):
            return (print, ("ran",))

    buffer = io.BytesIO()
    torch.save({"x": Evil()}, buffer)
    path = tmp_path / pt.file_name(MODEL)
    path.write_bytes(buffer.getvalue())
    monkeypatch.setitem(pt.KNOWN_SHA256, path.name,
                        hashlib.sha256(buffer.getvalue()).hexdigest())
    with pytest.raises(DownloadError):
        pt.import_weights(path)
    assert _cached(tmp_path) == []


def test_train_with_a_torchvision_source(server, tmp_path, capsys) -> None:
    """--pretrained squeezenet1_1 fills the backbone block; --freeze 1 keeps it."""
    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.core.network.spec import NetworkSpec

    spec = NetworkSpec((3, 32, 32), (LayerSpec("SqueezeNet11", {"weights": "none"}),
                                     LayerSpec("Linear", {"out_features": 3})))
    net = tmp_path / "net.json"
    net.write_text(spec.to_json(), encoding="utf-8")
    csv = tmp_path / "data"
    csv.mkdir()
    _image_folder(csv)
    capsys.readouterr()
    argv = ["train", str(net), "--dataset", str(csv), "--pretrained", MODEL,
            "--mirror", server.url, "--freeze", "1", "--epochs", "1", "--no-probes",
            "--json"]
    assert main(argv) == 0, capsys.readouterr().err
    import json

    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["pretrained"]["took_weights"] == ["1 squeezenet11"]
    assert result["trainable_params"] == 512 * 3 + 3


def _image_folder(root) -> None:
    from PIL import Image

    for c, colour in enumerate(((255, 0, 0), (0, 255, 0), (0, 0, 255))):
        (root / f"class{c}").mkdir()
        for i in range(6):
            Image.new("RGB", (32, 32), colour).save(root / f"class{c}" / f"{i}.png")
