"""Safe saves: write a temp file beside the target, fsync, then os.replace.

A crash, a kill or a full disk mid-save leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from nnstudio.core.errors import ProjectFileError


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data` atomically or raise ProjectFileError."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise ProjectFileError(_why(target, exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ProjectFileError(_why(target, exc)) from None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _why(target: Path, exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EACCES: "permission denied (the folder or file is read-only)",
        errno.EPERM: "permission denied (the folder or file is read-only)",
        errno.EROFS: "the disk is read-only",
        errno.ENOENT: "the folder does not exist",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return f"could not save {target}: {reason} — the previous file is unchanged"
