"""The per-user dataset cache: where it is, and keeping it free of debris.

A download writes `.NAME.PID.part` beside its target (download.py); a failed call
removes what it added (`cleanup_on_failure`), and the parts of a download that was
killed outright (no Python code runs then) are swept at the next download
(`sweep_cache`). `ACTIVE_PARTS` are this process's own parts, never swept.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

# A temporary file of a process still alive is left alone unless it has not grown
# for this long (a live download writes every few seconds, or times out in 15 s).
STALE_PART_S = 600.0
PART_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.part$")
LEGACY_TMP_RE = re.compile(r"^tmp[a-z0-9_]{8}$")  # pooch's, before nnstudio 0.2
ACTIVE_PARTS: set[Path] = set()  # temporary files this process is writing right now
ACTIVE_LOCK = threading.Lock()


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """The nnstudio cache folder: argument, NNSTUDIO_CACHE_DIR, else platformdirs."""
    if cache_dir is None:
        cache_dir = os.environ.get("NNSTUDIO_CACHE_DIR") or None
    if cache_dir is None:
        import platformdirs

        cache_dir = platformdirs.user_cache_dir("nnstudio")
    return Path(cache_dir).expanduser()


def dataset_folder(name: str, cache_dir: str | os.PathLike | None = None) -> Path:
    return cache_root(cache_dir) / "datasets" / name


def sweep_cache(cache_dir: str | os.PathLike | None = None) -> list[Path]:
    """Delete the temporary files that killed downloads left in the cache.

    A `.NAME.PID.part` file goes when its process is gone (or, where that cannot
    be asked, when it has not changed for STALE_PART_S); pooch's `tmpXXXXXXXX`
    files from older versions go after STALE_PART_S. Returns what was deleted.
    """
    root = cache_root(cache_dir) / "datasets"
    removed = []
    with contextlib.suppress(OSError):
        for folder in (p for p in root.iterdir() if p.is_dir()):
            for entry in folder.iterdir():
                if _is_debris(entry):
                    with contextlib.suppress(OSError):
                        entry.unlink()
                        removed.append(entry)
    return removed


def _is_debris(entry: Path) -> bool:
    match = PART_RE.match(entry.name)
    if not match and not LEGACY_TMP_RE.match(entry.name):
        return False
    try:
        age = time.time() - entry.stat().st_mtime
    except OSError:
        return False
    if not match:
        return age > STALE_PART_S
    pid = int(match["pid"])
    if pid == os.getpid():
        with ACTIVE_LOCK:
            return entry not in ACTIVE_PARTS
    alive = _process_alive(pid)
    return age > STALE_PART_S if alive is None else not alive or age > STALE_PART_S


def _process_alive(pid: int) -> bool | None:
    """Whether process `pid` runs; None where that cannot be asked safely (on
    Windows, os.kill(pid, 0) would not probe but terminate it)."""
    if os.name == "nt":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


@contextlib.contextmanager
def cleanup_on_failure(folder: Path) -> Iterator[None]:
    """On any failure, remove what appeared in `folder` (and the folders made)."""
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    before = set(os.listdir(folder)) if folder.exists() else set()
    try:
        yield
    except BaseException:
        if folder.exists():
            for entry in set(os.listdir(folder)) - before:
                _remove(folder / entry)
        for path in made:  # deepest first
            with contextlib.suppress(OSError):
                path.rmdir()
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
