"""The one place that finds nnstudio's files: assets, translations, per-user folders.

The same code runs from three layouts, so nothing else may build these paths by hand:

- frozen build: ``sys._MEIPASS/nnstudio/{assets,translations}``
- installed wheel: ``<site-packages>/nnstudio/{assets,translations}``
- source checkout (also an editable install): ``<repo>/assets`` and
  ``<repo>/nnstudio/translations``

The wheel gets its ``assets`` and ``.qm`` files from setup.py's build hook, the frozen
build from packaging/nnstudio.spec.
No Qt and nothing heavy is imported here: setup.py loads this file in a bare build env.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

APP_NAME = "nnstudio"
PACKAGE_DIR = Path(__file__).resolve().parent
LRELEASE_NAMES = ("pyside6-lrelease", "lrelease", "lrelease-qt6")  # PATH fallbacks
LRELEASE_TIMEOUT_S = 60  # a few .ts files compile in well under a second

log = logging.getLogger(__name__)


def is_frozen() -> bool:
    """True inside a PyInstaller build, where data lives under sys._MEIPASS."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def _bundle_dir() -> Path:
    """The folder that holds the ``nnstudio`` package data in this layout."""
    if is_frozen():
        return Path(sys._MEIPASS) / APP_NAME  # type: ignore[attr-defined]
    return PACKAGE_DIR


def checkout_root() -> Path | None:
    """The repository root when running from a source checkout (or editable install)."""
    root = PACKAGE_DIR.parent
    if not is_frozen() and (root / "pyproject.toml").is_file():
        return root
    return None


def asset_roots() -> list[Path]:
    """Candidate ``assets`` folders, most specific first."""
    roots = [_bundle_dir() / "assets"]
    if checkout_root() is not None:
        roots.append(checkout_root() / "assets")
    return roots


def asset_path(*parts: str) -> Path:
    """Path of a file under ``assets/`` (``asset_path("icons", "nnstudio.svg")``).

    Raises FileNotFoundError naming every place looked in, so a broken package says
    what is missing instead of showing a blank icon.
    """
    roots = asset_roots()
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    looked = ", ".join(str(r.joinpath(*parts)) for r in roots)
    raise FileNotFoundError(f"nnstudio asset not found; looked in: {looked}")


def app_icon_path() -> Path:
    """The scalable application icon (Qt renders it crisply at every size)."""
    return asset_path("icons", "nnstudio.svg")


def translations_dir() -> Path:
    """The folder with the shipped ``.ts`` sources and, when built, their ``.qm``."""
    return _bundle_dir() / "translations"


def qt_translations_dir() -> Path | None:
    """Qt's own translations (``qtbase_zh_CN.qm``): bundled when frozen, else PySide6's.

    Found without importing PySide6 so this module stays importable without Qt.
    """
    if is_frozen():
        return translations_dir()
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "Qt" / "translations"
    return folder if folder.is_dir() else None


# --- per-user folders ---------------------------------------------------------------


def _platformdirs():  # imported late: setup.py loads this module without platformdirs
    import platformdirs

    return platformdirs


def user_data_dir() -> Path:
    """Per-user data (datasets the user imports, saved runs); created on first use."""
    return _platformdirs().user_data_path(APP_NAME, appauthor=False, ensure_exists=True)


def user_cache_dir() -> Path:
    """Re-creatable files (downloads, compiled translations); created on first use."""
    return _platformdirs().user_cache_path(
        APP_NAME, appauthor=False, ensure_exists=True
    )


def user_config_dir() -> Path:
    """Per-user settings files; created on first use."""
    return _platformdirs().user_config_path(
        APP_NAME, appauthor=False, ensure_exists=True
    )


# --- translations: .ts -> .qm --------------------------------------------------------


def find_lrelease() -> str | None:
    """Qt's ``lrelease``: the binary inside the PySide6 wheel, else one on PATH.

    PySide6-Essentials ships lrelease on Linux, Windows and macOS, so wherever nnstudio
    can run, it can compile its own translations. Found without importing PySide6.
    """
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0])
        for name in ("lrelease.exe", "lrelease"):
            if (folder / name).is_file():
                return str(folder / name)
    return next(filter(None, map(shutil.which, LRELEASE_NAMES)), None)


def compile_translations(source: Path, target: Path) -> list[Path]:
    """Compile every ``source/*.ts`` to ``target/<name>.qm``; returns the .qm paths.

    Each file is written under a temporary name and then renamed, so a second process
    (a parallel test, another window) never reads half a file. Raises RuntimeError when
    there are .ts files but no lrelease, or lrelease fails.
    """
    sources = sorted(Path(source).glob("*.ts"))
    if not sources:
        return []
    lrelease = find_lrelease()
    if lrelease is None:
        raise RuntimeError("Qt's lrelease not found: install PySide6-Essentials")
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    return [_lrelease_one(lrelease, ts, target / f"{ts.stem}.qm") for ts in sources]


def _lrelease_one(lrelease: str, ts: Path, qm: Path) -> Path:
    partial = qm.with_name(f".{qm.name}.{os.getpid()}.tmp")
    done = subprocess.run(
        [lrelease, "-silent", str(ts), "-qm", str(partial)],
        capture_output=True,
        text=True,
        timeout=LRELEASE_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"lrelease failed on {ts.name}: {done.stderr.strip()}")
    os.replace(partial, qm)
    return qm


def _is_fresh(ts: Path, qm: Path, *, by_time: bool) -> bool:
    if not qm.is_file():
        return False
    return not by_time or qm.stat().st_mtime >= ts.stat().st_mtime


def ensure_translations() -> Path:
    """A folder with an up-to-date ``.qm`` for every shipped ``.ts``; load from it.

    Why: the wheel and the frozen build carry .qm from their build, but an editable
    install (what CI and developers use) has only the .ts. Here missing or stale .qm
    are compiled: in place in a checkout (.qm files are gitignored), else into the
    user cache, never into site-packages. In a checkout a .qm older than its .ts is
    stale; installed files never change, so there any .qm is current. Never raises:
    without lrelease the UI stays in English and a warning is logged.
    """
    source = translations_dir()
    checkout = checkout_root() is not None
    if is_frozen() or _all_fresh(source, source, by_time=checkout):
        return source
    target = source if checkout else user_cache_dir() / "translations"
    if target != source and _all_fresh(source, target, by_time=True):
        return target
    try:
        compile_translations(source, target)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        log.warning("translations not compiled, UI stays in English: %s", exc)
        return source
    return target


def _all_fresh(source: Path, target: Path, *, by_time: bool) -> bool:
    return all(
        _is_fresh(ts, target / f"{ts.stem}.qm", by_time=by_time)
        for ts in source.glob("*.ts")
    )
