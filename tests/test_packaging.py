"""Packaging files: desktop entry, MIME type, icons, PyInstaller spec, wheel build hook.

The build-hook tests really build (setup.py build_py, and a wheel where bdist_wheel is
available offline) from a copy of the sources with a throwaway .ts, and look inside:
the assets and a compiled .qm must be there.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import setuptools
from PIL import Image

from nnstudio import paths

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
ICONS = REPO / "assets" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
CJK = re.compile(r"[\u4e00-\u9fff]")
MIME = "application/x-nnstudio-project"


def load_setup_py():
    spec = importlib.util.spec_from_file_location("_nnstudio_setup", REPO / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive: Name[zh_CN]
    parser.read(PACKAGING / "nnstudio.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


# --- Linux desktop integration -------------------------------------------------------


def test_desktop_entry_is_bilingual_and_in_education_science() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    for key in ("Name", "Comment"):
        assert entry[key] and not CJK.search(entry[key])
        assert CJK.search(entry[f"{key}[zh_CN]"])
    assert {"Education", "Science"} <= set(entry["Categories"].split(";"))
    assert entry["Exec"] == "nnstudio %f" and entry["Icon"] == "nnstudio"
    assert MIME in entry["MimeType"].split(";")


def test_mime_type_maps_the_project_extension() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(PACKAGING / "nnstudio-mime.xml").getroot().find("m:mime-type", ns)
    assert mime.get("type") == MIME
    assert mime.find("m:glob", ns).get("pattern") == "*.nnstudio"


# --- icons --------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_png_icon_exists_at_its_size(size: int) -> None:
    with Image.open(
        ICONS / "hicolor" / f"{size}x{size}" / "apps" / "nnstudio.png"
    ) as im:
        assert im.size == (size, size) and im.mode == "RGBA"


def test_ico_and_icns_hold_the_platform_sizes() -> None:
    with Image.open(ICONS / "nnstudio.ico") as ico:
        assert {(s, s) for s in (16, 32, 48, 256)} <= ico.info["sizes"]
    with Image.open(ICONS / "nnstudio.icns") as icns:
        assert icns.format == "ICNS" and (512, 512, 2) in icns.info["sizes"]


def test_svg_source_is_square_vector() -> None:
    root = ET.parse(ICONS / "nnstudio.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 512 512"


# --- PyInstaller ----------------------------------------------------------------------


def test_spec_bundles_assets_translations_and_qt_chinese() -> None:
    text = (PACKAGING / "nnstudio.spec").read_text(encoding="utf-8")
    ast.parse(text)  # a spec file is Python
    for needle in (
        "nnstudio/assets",
        "nnstudio/translations",
        "qtbase_zh_CN.qm",
        "launcher.py",
        "console=False",
        'collect_submodules("nnstudio")',
    ):
        assert needle in text, needle


def test_launcher_survives_a_windowed_build_without_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "_launcher", PACKAGING / "launcher.py"
    )
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(paths, "user_cache_dir", lambda: tmp_path)
    launcher._redirect_missing_streams()
    print("still alive", file=sys.stderr)
    sys.stderr.flush()
    assert "still alive" in (tmp_path / "nnstudio.log").read_text(encoding="utf-8")


# --- the wheel's build hook (setup.py) ------------------------------------------------


def test_copy_assets_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "nnstudio" / "assets"
    (target / "stale").mkdir(parents=True)
    load_setup_py().copy_assets(target)
    assert (target / "icons" / "nnstudio.svg").is_file()
    assert not (target / "stale").exists()


def test_missing_lrelease_warns_or_fails_when_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a_zh_CN.ts").write_text("<TS/>")
    monkeypatch.setattr(paths, "find_lrelease", lambda: None)
    setup_py = load_setup_py()
    monkeypatch.setattr(setup_py, "load_paths_module", lambda: paths)
    said: list[str] = []
    setup_py.build_translations(tmp_path, tmp_path / "out", said.append)
    assert "WARNING" in said[0]
    monkeypatch.setenv(setup_py.REQUIRE_QM, "1")
    with pytest.raises(RuntimeError):
        setup_py.build_translations(tmp_path, tmp_path / "out", said.append)


needs_lrelease = pytest.mark.skipif(paths.find_lrelease() is None, reason="no lrelease")
# bdist_wheel is built into setuptools >= 70.1, else it comes from the `wheel` package;
# a fresh Python 3.11 venv has neither, and this test must not download build tools.
CAN_BUILD_WHEEL = importlib.util.find_spec("wheel") is not None or tuple(
    int(p) for p in setuptools.__version__.split(".")[:2]
) >= (70, 1)


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """The package sources copied to tmp with a throwaway .ts, to build from."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "nnstudio", src / "nnstudio", ignore=_build_junk)
    shutil.copytree(REPO / "assets", src / "assets")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in"):
        shutil.copy2(REPO / name, src / name)
    ts_dir = src / "nnstudio" / "translations"
    ts_dir.mkdir(exist_ok=True)
    (ts_dir / "zz_test.ts").write_text(TS_DEMO, encoding="utf-8")
    return src


@needs_lrelease
def test_build_py_adds_assets_and_compiled_translations(source_copy: Path) -> None:
    build_lib = source_copy.parent / "build-lib"
    run = [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(build_lib)]
    subprocess.run(run, cwd=source_copy, check=True, capture_output=True, timeout=120)
    package = build_lib / "nnstudio"
    assert (package / "assets" / "icons" / "nnstudio.svg").is_file()
    assert (package / "translations" / "zz_test.qm").is_file()
    assert (package / "translations" / "zz_test.ts").is_file()  # for the run-time path


@needs_lrelease
@pytest.mark.skipif(not CAN_BUILD_WHEEL, reason="no bdist_wheel offline")
def test_wheel_carries_assets_and_compiled_translations(source_copy: Path) -> None:
    dist = source_copy.parent / "dist"
    run = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-cache-dir",
        "-q",
        "-w",
        str(dist),
        str(source_copy),
    ]
    subprocess.run(run, check=True, capture_output=True, timeout=120)
    (wheel,) = dist.glob("nnstudio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "nnstudio/paths.py" in names
    assert "nnstudio/assets/icons/nnstudio.svg" in names
    assert "nnstudio/assets/icons/hicolor/16x16/apps/nnstudio.png" in names
    assert "nnstudio/translations/zz_test.ts" in names
    assert "nnstudio/translations/zz_test.qm" in names


TS_DEMO = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS><TS version="2.1" language="zh_CN"><context><name>Demo</name>
<message><source>Train</source><translation>训练</translation></message>
</context></TS>
"""


def _build_junk(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n == "__pycache__" or n.endswith(".qm")}
