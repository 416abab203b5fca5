"""Canvas and images: an empty canvas, one dot, strokes on (and past) the edges, very
thin and very thick strokes, inverted colours, fractional HiDPI scaling, files that are
not images, huge images, and predicting with no trained model or with one that takes
2-D points. Each case gives a prediction or a plain hint — never a traceback — and the
panel keeps answering afterwards.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw, ImageOps
from PySide6.QtCore import QPoint, Qt

from nnstudio.core.errors import PredictError
from nnstudio.core.network.build import build_model
from nnstudio.core.network.layers import LayerSpec as L
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.predict.predictor import predict_array, predict_paths
from nnstudio.core.predict.preprocess import load_image, prepare_image
from nnstudio.core.project.files import Project, save_project
from nnstudio.ui.canvas import CANVAS_SIZE, PEN_RANGE
from nnstudio.ui.predict_panel import PredictPanel

from .helpers import assert_cli_refuses, assert_user_message, has_cjk, run_cli

ROOT = Path(__file__).resolve().parents[2]
MNIST = ((1, 28, 28), 0.1307, 0.3081)
DIGITS = tuple(str(i) for i in range(10))
IMAGE_SPEC = NetworkSpec((1, 28, 28), (L("Flatten"), L("Linear", {"out_features": 10})))
POINTS_SPEC = NetworkSpec((2,), (L("Linear", {"out_features": 3}),))


def image_model():
    return build_model(IMAGE_SPEC, seed=0).eval()


def nan_model():
    model = image_model()
    with torch.no_grad():
        model[1].weight.fill_(float("nan"))
    return model


# --- image files ----------------------------------------------------------------------
def digit_image(size=(200, 200), ink=0, paper=255, mode="L", width=18) -> Image.Image:
    img = Image.new(mode, size, paper)
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.line([(w * 0.5, h * 0.2), (w * 0.5, h * 0.8)], fill=ink, width=width)
    draw.line([(w * 0.35, h * 0.3), (w * 0.5, h * 0.2)], fill=ink, width=width)
    return img


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def save(img: Image.Image, path: Path, **kw) -> Path:
    img.save(path, **kw)
    return path


def _write(name: str, body: bytes):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(body)
        return path

    return make


def _truncated_png(folder: Path) -> Path:
    path = save(digit_image(), folder / "cut.png")
    path.write_bytes(path.read_bytes()[:120])
    return path


def _rgba(folder: Path) -> Path:
    img = digit_image(mode="LA", ink=(0, 255), paper=(0, 0)).convert("RGBA")
    return save(img, folder / "transparent.png")


def _sixteen_bit(folder: Path) -> Path:
    arr = np.asarray(digit_image(), dtype=np.uint16) * 257
    return save(Image.fromarray(arr), folder / "sixteen.png")


# (case id, file maker, "prediction" or a fragment of the hint)
FILES = [
    (
        "text-named-png",
        _write("note.png", b"just some text, not pixels"),
        "not an image",
    ),
    ("empty-file", _write("empty.png", b""), "not an image"),
    ("truncated-png", _truncated_png, "not an image"),
    ("pdf-bytes", _write("scan.jpg", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "not an image"),
    (
        "decompression-bomb",
        _write("bomb.png", png_claiming(40_000, 40_000)),
        "too large to open safely",
    ),
    ("missing", lambda d: d / "gone.png", "no such file"),
    ("a-folder", lambda d: (d / "pics.png").mkdir() or d / "pics.png", "no such file"),
    (
        "all-white",
        lambda d: save(Image.new("L", (64, 64), 255), d / "white.png"),
        "blank",
    ),
    (
        "all-black",
        lambda d: save(Image.new("L", (64, 64), 0), d / "black.png"),
        "blank",
    ),
    ("one-pixel", lambda d: save(Image.new("L", (1, 1), 0), d / "dot.png"), "blank"),
    ("digit", lambda d: save(digit_image(), d / "one.png"), "prediction"),
    (
        "inverted",
        lambda d: save(ImageOps.invert(digit_image()), d / "inv.png"),
        "prediction",
    ),
    ("transparent", _rgba, "prediction"),
    ("sixteen-bit", _sixteen_bit, "prediction"),
    (
        "cmyk-jpeg",
        lambda d: save(
            digit_image(mode="CMYK", ink=(0, 0, 0, 255), paper=(0, 0, 0, 0)),
            d / "c.jpg",
        ),
        "prediction",
    ),
    (
        "huge-photo",
        lambda d: save(digit_image((6000, 4000), width=300), d / "big.jpg", quality=70),
        "prediction",
    ),
    ("chinese-name", lambda d: save(digit_image(), d / "我的 数字.png"), "prediction"),
]
FILE_IDS = [c[0] for c in FILES]


@pytest.mark.parametrize("name,make,expect", FILES, ids=FILE_IDS)
def test_core_image_file(name, make, expect, tmp_path) -> None:
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    started = time.perf_counter()
    [result] = predict_paths(image_model(), *MNIST, DIGITS, [path])
    assert time.perf_counter() - started < 5  # a 24-megapixel photo stays quick
    if expect == "prediction":
        assert "error" not in result, result
        assert result["prediction"] in DIGITS
        assert sum(result["probabilities"].values()) == pytest.approx(1, abs=1e-4)
    else:
        assert_user_message(result["error"], expect)
    if before is not None:
        assert path.read_bytes() == before


def test_inverted_image_is_seen_like_the_original(tmp_path) -> None:
    """White ink on black and black ink on white reach the model as the same digit."""
    normal = load_image(save(digit_image(), tmp_path / "a.png"))
    inverted = load_image(save(ImageOps.invert(digit_image()), tmp_path / "b.png"))
    a = prepare_image(normal, *MNIST)
    b = prepare_image(inverted, *MNIST)
    assert np.abs(a - b).mean() < 0.05


@pytest.mark.parametrize("name,make,expect", FILES[:6:2], ids=FILE_IDS[:6:2])
def test_core_image_file_messages_in_chinese(name, make, expect, tmp_path, zh) -> None:
    [result] = predict_paths(image_model(), *MNIST, DIGITS, [make(tmp_path)])
    assert has_cjk(result["error"]), result["error"]


# (case id, model, input shape, fragment of the PredictError)
MODELS = [
    ("no-model", lambda: None, (1, 28, 28), "Train a model first"),
    ("points-model", lambda: build_model(POINTS_SPEC), (2,), "takes 2 numbers"),
    ("tiny-image-model", image_model, (1, 2, 2), "not a gray or colour image"),
    ("four-channel-model", image_model, (4, 28, 28), "not a gray or colour image"),
    ("diverged-model", nan_model, (1, 28, 28), "not numbers"),
    ("shape-mismatch", image_model, (1, 32, 32), "cannot take a 1x32x32 image"),
]


@pytest.mark.parametrize(
    "name,make_model,shape,fragment", MODELS, ids=[m[0] for m in MODELS]
)
def test_core_predict_refuses_model(
    name, make_model, shape, fragment, tmp_path
) -> None:
    path = save(digit_image(), tmp_path / "one.png")
    with pytest.raises(PredictError) as info:
        result = predict_paths(make_model(), shape, 0.13, 0.31, DIGITS, [path])
        raise PredictError(result[0]["error"])  # per-file problems come back in rows
    assert_user_message(str(info.value), fragment)


def test_predict_array_with_garbage_input() -> None:
    model = image_model()
    for bad in (np.full((1, 28, 28), np.nan, np.float32), np.zeros((3, 5, 5))):
        with pytest.raises(PredictError) as info:
            predict_array(model, bad, DIGITS)
        assert_user_message(str(info.value))


# --- the CLI --------------------------------------------------------------------------
@pytest.fixture
def projects(tmp_path):
    info = {
        "name": "mnist",
        "task": "classification",
        "input_shape": [1, 28, 28],
        "class_names": list(DIGITS),
        "mean": 0.1307,
        "std": 0.3081,
    }
    paths = {}
    for name, spec, weights, data in (
        ("trained", IMAGE_SPEC, image_model().state_dict(), info),
        ("untrained", IMAGE_SPEC, None, info),
        ("points", POINTS_SPEC, build_model(POINTS_SPEC).state_dict(), {}),
    ):
        paths[name] = tmp_path / f"{name}.nnstudio"
        save_project(paths[name], Project(spec, {}, weights, [], data))
    return paths


@pytest.mark.parametrize(
    "project,fragment",
    [
        ("untrained", "holds no trained weights"),
        ("points", "takes 2 numbers, not an image"),
    ],
)
def test_cli_predict_refuses_model(
    project, fragment, projects, tmp_path, capsys
) -> None:
    image = save(digit_image(), tmp_path / "one.png")
    assert_cli_refuses(run_cli(capsys, "predict", projects[project], image), fragment)


def test_cli_predict_bad_and_good_files(projects, tmp_path, capsys) -> None:
    paths = [
        make(tmp_path)
        for name, make, _ in FILES
        if name
        in (
            "text-named-png",
            "decompression-bomb",
            "missing",
            "all-white",
            "chinese-name",
            "inverted",
        )
    ]
    result = run_cli(capsys, "predict", projects["trained"], *paths, "--json")
    assert result.rc == 1  # some files failed: said on stderr, one line each
    assert len(result.err_lines) == 4
    for line in result.err_lines:
        assert line.startswith("nnstudio: ")
        assert_user_message(line)
    assert "Traceback" not in result.err
    lines = result.out.splitlines()
    assert len(lines) == 2 and "我的 数字.png" in lines[1]  # the good ones, in order


# --- the panel ------------------------------------------------------------------------
@pytest.fixture
def panel(qtbot):
    widget = PredictPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_model(image_model(), *MNIST, DIGITS)
    return widget


def stroke(panel, points, width=None) -> None:
    canvas = panel.canvas()
    if width is not None:
        canvas.set_pen_width(width)
    for x, y in points:
        canvas.add_point(x, y)
    canvas.end_stroke()


def _line(x0, y0, x1, y1, n=40):
    return [(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(n + 1)]


def _scribble(panel):
    for y in range(0, CANVAS_SIZE + 1, 20):
        stroke(panel, _line(0, y, CANVAS_SIZE, y), PEN_RANGE[1])


CANVAS = [
    ("empty", lambda p: None, "Draw a digit"),
    ("one-dot", lambda p: stroke(p, [(140, 140)]), "either"),
    ("one-tiny-dot", lambda p: stroke(p, [(140, 140)], PEN_RANGE[0]), "either"),
    ("top-edge", lambda p: stroke(p, _line(0, 0, CANVAS_SIZE, 0)), "prediction"),
    ("corner-to-corner", lambda p: stroke(p, _line(0, 0, 279, 279)), "prediction"),
    ("past-the-edges", lambda p: stroke(p, _line(-200, 140, 500, 140)), "prediction"),
    (
        "hairline",
        lambda p: stroke(p, _line(140, 40, 140, 240), PEN_RANGE[0]),
        "prediction",
    ),
    (
        "marker",
        lambda p: stroke(p, _line(140, 40, 140, 240), PEN_RANGE[1]),
        "prediction",
    ),
    ("all-ink", _scribble, "either"),
    (
        "cleared",
        lambda p: (stroke(p, _line(140, 40, 140, 240)), p.canvas().clear()),
        "Draw a digit",
    ),
    (
        "undone",
        lambda p: (stroke(p, _line(140, 40, 140, 240)), p.canvas().undo_stroke()),
        "Draw a digit",
    ),
]


@pytest.mark.parametrize("name,draw,expect", CANVAS, ids=[c[0] for c in CANVAS])
def test_panel_canvas(name, draw, expect, panel, qtbot, shots) -> None:
    got = []
    panel.sig_predicted.connect(got.append)
    draw(panel)
    qtbot.wait(50)  # the debounce timer
    predicted = panel.bars().probabilities() is not None
    if expect == "prediction" or (expect == "either" and predicted):
        assert predicted, panel.hint_text()
        assert np.isfinite(panel.bars().probabilities()).all()
        assert panel.model_input() is not None
        assert panel.bars().top_label() in DIGITS
    else:
        assert not predicted
        fragment = "Draw" if expect == "either" else expect
        assert_user_message(panel.hint_text(), fragment)
    if name in ("past-the-edges", "all-ink"):
        panel.grab().save(str(shots / f"canvas_{name}.png"))
    panel.canvas().clear()
    stroke(panel, _line(150, 30, 150, 250), 18)  # and it answers the next drawing
    qtbot.wait(50)
    assert panel.bars().probabilities() is not None


def test_panel_mouse_strokes_past_the_widget(panel, qtbot) -> None:
    canvas = panel.canvas()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    for x in range(10, 400, 15):  # the pointer leaves the canvas mid-stroke
        qtbot.mouseMove(canvas, QPoint(x, x // 2))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(399, 199))
    qtbot.wait(50)
    assert canvas.stroke_count() == 1
    assert panel.bars().probabilities() is not None


PANEL_FILES = [
    c
    for c in FILES
    if c[0]
    in (
        "text-named-png",
        "empty-file",
        "decompression-bomb",
        "inverted",
        "huge-photo",
        "missing",
    )
]


@pytest.mark.parametrize(
    "name,make,expect", PANEL_FILES, ids=[c[0] for c in PANEL_FILES]
)
def test_panel_file(name, make, expect, panel, tmp_path, shots) -> None:
    path = make(tmp_path)
    prediction = panel.predict_file(path)
    if expect == "prediction":
        assert prediction is not None and prediction.label in DIGITS
        assert path.name in panel.hint_text()
    else:
        assert prediction is None
        assert_user_message(panel.hint_text(), expect)
        assert panel.bars().probabilities() is None
    if name == "text-named-png":
        panel.grab().save(str(shots / "predict_not_an_image.png"))
    assert panel.predict_file(save(digit_image(), tmp_path / "ok.png")) is not None


def test_panel_blank_file_says_the_file_is_blank(panel, tmp_path) -> None:
    path = save(Image.new("L", (64, 64), 255), tmp_path / "white.png")
    assert panel.predict_file(path) is None
    assert_user_message(panel.hint_text(), "blank")


@pytest.mark.parametrize(
    "name,make_model,shape,fragment", MODELS[:5], ids=[m[0] for m in MODELS[:5]]
)
def test_panel_model(name, make_model, shape, fragment, panel, qtbot, shots) -> None:
    model = make_model()
    if model is None:
        panel.set_model(None)
    else:
        panel.set_model(model, shape, 0.13, 0.31, DIGITS)
    stroke(panel, _line(140, 40, 140, 240))
    qtbot.wait(50)
    assert_user_message(panel.hint_text(), fragment)
    assert panel.bars().probabilities() is None
    if name == "points-model":
        panel.grab().save(str(shots / "predict_points_model.png"))
    panel.set_model(image_model(), *MNIST, DIGITS)  # a usable model: it answers again
    assert panel.bars().probabilities() is not None


def test_window_predict_tab_without_and_with_a_points_model(studio, qtbot) -> None:
    panel = studio.predict_panel
    stroke(panel, _line(140, 40, 140, 240))
    qtbot.wait(50)
    assert_user_message(panel.hint_text(), "Train a model first")
    doc = studio.document
    doc.set_config(doc.config.with_(epochs=1, dataset_options={"size": 30}), "quick")
    assert studio.start_training()
    qtbot.waitUntil(lambda: not studio.controller.running, timeout=60_000)
    assert_user_message(panel.hint_text(), "takes 2 numbers")


# --- fractional HiDPI -----------------------------------------------------------------
HIDPI = textwrap.dedent("""
    import sys
    import numpy as np
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from nnstudio.core.predict.preprocess import to_mnist_like
    from nnstudio.ui.canvas import DigitCanvas
    canvas = DigitCanvas()
    canvas.show()
    QTest.qWaitForWindowExposed(canvas)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(60, 40))
    for y in range(40, 241, 5):  # a "7" with the mouse, in logical pixels
        x = 60 + y // 2 if y < 60 else 200 - (y - 60) // 3
        QTest.mouseMove(canvas, QPoint(x, y))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(140, 240))
    print("dpr", canvas.devicePixelRatioF(), flush=True)
    canvas.grab().save(sys.argv[2])
    seen = (to_mnist_like(canvas.to_array()) * 255).round().astype(np.uint8)
    seen = seen.repeat(10, 0).repeat(10, 1)  # 280x280, to stack with the canvas
    np.save(sys.argv[1], np.stack([canvas.to_array(), seen]))
""")


@pytest.mark.slow
def test_fractional_hidpi_gives_the_same_model_input(tmp_path, shots) -> None:
    """At 100 %, 125 %, 150 % and 200 % scaling the same mouse stroke reaches the
    model as the same 28x28 input."""
    results = {}
    for scale in ("1", "1.25", "1.5", "2"):
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "QT_SCALE_FACTOR": scale,
            "PYTHONPATH": str(ROOT),
        }
        out = tmp_path / f"{scale}.npy"
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                HIDPI,
                str(out),
                str(shots / f"canvas_scale_{scale}.png"),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        assert f"dpr {float(scale)}" in proc.stdout
        results[scale] = np.load(out)
    base_canvas, base_input = results["1"]
    for scale, (canvas, model_input) in results.items():
        assert canvas.shape == (CANVAS_SIZE, CANVAS_SIZE)
        assert (canvas < 128).sum() > 1000, scale  # the stroke is there
        diff = np.abs(model_input.astype(int) - base_input.astype(int)).mean()
        assert diff < 4, f"scale {scale}: model input differs by {diff:.1f} grey levels"
