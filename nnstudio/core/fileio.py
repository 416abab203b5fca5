"""Safe saves: write a temp file beside the target, fsync, then os.replace.

A crash, a kill or a full disk mid-save leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
import time
from pathlib import Path

from nnstudio.core.errors import ProjectFileError
from nnstudio.core.i18n import Text, text

STALE_TMP_S = 600.0  # a save never takes this long: an older temporary is debris


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
    remove_stale_temporaries(target)


def remove_stale_temporaries(target: Path, older_than_s: float = STALE_TMP_S) -> None:
    """Delete what a save of `target` killed mid-write left behind (`.name.*.tmp`).

    Only old ones: a younger one may belong to a save still running elsewhere."""
    now = time.time()
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > older_than_s:
                tmp.unlink()


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# Why a save failed, in both languages; an unlisted OS error keeps the OS's words.
_MESSAGES: dict[str, Text] = {
    "not-saved": {
        "en": "could not save {target}: {reason} — the previous file is unchanged",
        "zh": "无法保存 {target}：{reason}——原来的文件保持不变",
    },
    "full": {"en": "the disk is full", "zh": "磁盘已满"},
    "denied": {
        "en": "permission denied (the folder or file is read-only)",
        "zh": "没有权限（文件夹或文件是只读的）",
    },
    "read-only": {"en": "the disk is read-only", "zh": "磁盘是只读的"},
    "no-folder": {"en": "the folder does not exist", "zh": "文件夹不存在"},
}
_REASONS = {
    errno.ENOSPC: "full",
    errno.EACCES: "denied",
    errno.EPERM: "denied",
    errno.EROFS: "read-only",
    errno.ENOENT: "no-folder",
}


def _why(target: Path, exc: OSError) -> str:
    key = _REASONS.get(exc.errno or 0)
    reason = text(_MESSAGES[key]) if key else exc.strerror or str(exc)
    return text(_MESSAGES["not-saved"]).format(target=target, reason=reason)
