"""Entry point of the frozen (PyInstaller) build; `nnstudio` from pip uses cli.main.

Two things only a frozen build needs, done before anything else is imported:
- A windowed build has ``sys.stdout``/``sys.stderr`` set to None, and any library that
  writes a warning or a progress bar to them would crash the app. They go to a log file
  in the user cache instead, which is also where to look when the app misbehaves.
- ``multiprocessing.freeze_support()``, or a worker process (a DataLoader with workers)
  would start a second copy of the app instead of the worker.
- On Windows torch (>= 2.9) fails to load its DLLs once PySide6 has loaded Qt's, so
  torch is imported first.
"""

import os
import sys


def _redirect_missing_streams() -> None:
    if sys.stdout is not None and sys.stderr is not None:
        return
    try:
        from nnstudio.paths import user_cache_dir

        log = open(user_cache_dir() / "nnstudio.log", "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        log = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.stdout = sys.stdout or log
    sys.stderr = sys.stderr or log


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    _redirect_missing_streams()
    if sys.platform == "win32":
        import torch  # noqa: F401

    from nnstudio.cli import main

    sys.exit(main())
