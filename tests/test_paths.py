"""nnstudio.paths finds assets and translations: checkout, wheel and frozen build.

The wheel and frozen layouts are simulated in tmp folders (PACKAGE_DIR / sys._MEIPASS
pointed there), so no build is needed for these.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from nnstudio import paths

REPO = Path(__file__).resolve().parents[1]
needs_lrelease = pytest.mark.skipif(paths.find_lrelease() is None, reason="no lrelease")

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>Demo</name>
<message><source>Train</source><translation>训练</translation></message>
</context></TS>
"""


def write_ts(folder: Path, name: str = "demo_zh_CN") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    ts = folder / f"{name}.ts"
    ts.write_text(TS, encoding="utf-8")
    return ts


@pytest.fixture
def wheel_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed package: site-packages/nnstudio with assets/ inside, no repo."""
    package = tmp_path / "site-packages" / "nnstudio"
    (package / "assets" / "icons").mkdir(parents=True)
    (package / "assets" / "icons" / "nnstudio.svg").write_text("<svg/>")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setattr(paths, "user_cache_dir", lambda: tmp_path / "cache")
    return package


@pytest.fixture
def frozen_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PyInstaller one-folder build: data under sys._MEIPASS/nnstudio."""
    meipass = tmp_path / "_internal"
    (meipass / "nnstudio" / "assets" / "icons").mkdir(parents=True)
    (meipass / "nnstudio" / "assets" / "icons" / "nnstudio.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)
    return meipass


# --- assets -----------------------------------------------------------------------


def test_asset_path_in_checkout_is_the_top_level_assets_folder() -> None:
    assert paths.checkout_root() == REPO
    icon = paths.asset_path("icons", "nnstudio.svg")
    assert icon.is_file() and icon.is_relative_to(REPO)
    assert paths.app_icon_path() == icon


def test_missing_asset_names_every_place_looked_in() -> None:
    with pytest.raises(FileNotFoundError, match="no-such.png") as err:
        paths.asset_path("icons", "no-such.png")
    assert str(REPO / "assets") in str(err.value)


def test_asset_path_in_wheel_layout(wheel_layout: Path) -> None:
    assert paths.checkout_root() is None
    assert paths.asset_path("icons", "nnstudio.svg") == (
        wheel_layout / "assets" / "icons" / "nnstudio.svg"
    )
    assert paths.translations_dir() == wheel_layout / "translations"


def test_asset_path_when_frozen(frozen_layout: Path) -> None:
    assert paths.is_frozen() and paths.checkout_root() is None
    assert paths.asset_path("icons", "nnstudio.svg") == (
        frozen_layout / "nnstudio" / "assets" / "icons" / "nnstudio.svg"
    )
    assert paths.translations_dir() == frozen_layout / "nnstudio" / "translations"
    assert paths.qt_translations_dir() == paths.translations_dir()


def test_frozen_translations_are_used_as_shipped(frozen_layout: Path) -> None:
    write_ts(frozen_layout / "nnstudio" / "translations")  # .ts without .qm: no compile
    assert paths.ensure_translations() == frozen_layout / "nnstudio" / "translations"


def test_qt_translations_of_pyside6_hold_qtbase_zh_cn() -> None:
    assert (paths.qt_translations_dir() / "qtbase_zh_CN.qm").is_file()


# --- per-user folders ---------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="XDG variables are Linux-only")
def test_user_dirs_are_created_on_demand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    for func, var in (
        (paths.user_data_dir, "XDG_DATA_HOME"),
        (paths.user_cache_dir, "XDG_CACHE_HOME"),
        (paths.user_config_dir, "XDG_CONFIG_HOME"),
    ):
        folder = func()
        assert folder == tmp_path / var.lower() / "nnstudio" and folder.is_dir()


# --- translations -------------------------------------------------------------------


def test_compile_without_ts_needs_no_lrelease(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "find_lrelease", lambda: None)
    assert paths.compile_translations(tmp_path, tmp_path / "out") == []


def test_compile_without_lrelease_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ts(tmp_path)
    monkeypatch.setattr(paths, "find_lrelease", lambda: None)
    with pytest.raises(RuntimeError, match="PySide6-Essentials"):
        paths.compile_translations(tmp_path, tmp_path / "out")


def test_ensure_translations_never_raises(
    wheel_layout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ts(wheel_layout / "translations")
    monkeypatch.setattr(paths, "find_lrelease", lambda: None)
    assert paths.ensure_translations() == wheel_layout / "translations"


@needs_lrelease
def test_compiled_qm_translates_in_qt(tmp_path: Path) -> None:
    from PySide6.QtCore import QTranslator

    (qm,) = paths.compile_translations(write_ts(tmp_path).parent, tmp_path / "out")
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Demo", "Train") == "训练"
    assert not list((tmp_path / "out").glob("*.tmp"))  # no partial files left


@needs_lrelease
def test_wheel_without_qm_compiles_into_user_cache(wheel_layout: Path) -> None:
    write_ts(wheel_layout / "translations")
    folder = paths.ensure_translations()
    assert folder == wheel_layout.parents[1] / "cache" / "translations"
    assert (folder / "demo_zh_CN.qm").is_file()
    assert not list((wheel_layout / "translations").glob("*.qm"))  # site-packages kept
    assert paths.ensure_translations() == folder  # second start: nothing to do


def test_wheel_with_qm_uses_it_whatever_the_times(wheel_layout: Path) -> None:
    ts = write_ts(wheel_layout / "translations")
    qm = ts.with_suffix(".qm")
    qm.write_bytes(b"built")
    os.utime(qm, (1, 1))  # pip does not keep file times: a .qm may look older
    assert paths.ensure_translations() == wheel_layout / "translations"


@needs_lrelease
def test_checkout_compiles_in_place_and_again_when_ts_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    ts = write_ts(repo / "nnstudio" / "translations")
    (repo / "pyproject.toml").write_text("")
    monkeypatch.setattr(paths, "PACKAGE_DIR", repo / "nnstudio")
    assert paths.ensure_translations() == ts.parent
    qm = ts.with_suffix(".qm")
    os.utime(qm, (1, 1))  # the .ts was edited after the last compile
    paths.ensure_translations()
    assert qm.stat().st_mtime >= ts.stat().st_mtime
