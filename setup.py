"""Build hook: the wheel carries ``nnstudio/assets`` and compiled ``.qm`` translations.

Everything else is in pyproject.toml. Two things need code at build time:
- ``assets/`` lives at the repository top (shared with packaging/); the wheel needs it
  inside the package, where nnstudio.paths.asset_path looks.
- ``nnstudio/translations/*.ts`` are compiled to ``.qm`` with Qt's lrelease (shipped
  in PySide6-Essentials, a build requirement), so no one runs a manual step.
An editable install (``pip install -e .``) compiles the .qm in place instead (they are
gitignored) and reads assets from the checkout; nnstudio.paths.ensure_translations()
recompiles at run time whatever is missing or stale after that.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
REQUIRE_QM = "NNSTUDIO_REQUIRE_QM"  # set to 1 in release builds: no lrelease = error


def load_paths_module():
    """nnstudio/paths.py loaded by file: the package's dependencies are absent here."""
    spec = importlib.util.spec_from_file_location(
        "_nnstudio_paths", HERE / "nnstudio" / "paths.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_assets(target: Path, source: Path = HERE / "assets") -> None:
    """Replace ``target`` with a copy of the top-level assets folder."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def say(message: str) -> None:
    """Plain print: distutils' announce() levels differ between setuptools versions."""
    print(f"nnstudio build: {message}", flush=True)


def build_translations(source: Path, target: Path, announce=say) -> None:
    """Compile ``source/*.ts`` into ``target``; no lrelease: warn (or fail if strict).

    Not fatal by default: the wheel still ships the .ts and the app compiles them into
    the user cache at first start, so a build without Qt tools stays usable.
    """
    try:
        built = load_paths_module().compile_translations(source, target)
    except RuntimeError as exc:
        if os.environ.get(REQUIRE_QM) == "1":
            raise
        announce(f"WARNING: .qm translations not built ({exc})")
        return
    announce(f"compiled {len(built)} translation(s) into {target}")


class BuildPy(build_py):
    """build_py plus assets and .qm files (see the module docstring)."""

    def run(self) -> None:
        super().run()
        source = HERE / "nnstudio" / "translations"
        if self.editable_mode:
            build_translations(source, source)
            return
        package = Path(self.build_lib) / "nnstudio"
        copy_assets(package / "assets")
        build_translations(source, package / "translations")


if __name__ == "__main__":  # build backends run this file as __main__; tests import it
    setup(cmdclass={"build_py": BuildPy})
