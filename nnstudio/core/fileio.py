"""Safe saves: write a temp file beside the target, fsync, then os.replace.

A crash, a kill or a full disk mid-save leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import secrets
import socket
import stat
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from nnstudio.core.errors import ProjectFileError
from nnstudio.core.i18n import Text, text

STALE_TMP_S = 120.0  # a live save writes its temporary continuously (1 MB steps),
# so one untouched for 2 minutes is debris even when its writer's pid cannot be checked
NEW_FILE_MODE = 0o666  # what open() asks for; the kernel takes the umask off it
_HOST = socket.gethostname().replace(".", "_") or "host"
_ACTIVE: set[str] = set()  # this process's temporaries being written now
_ACTIVE_LOCK = threading.Lock()
MAX_JSON_DEPTH = 64  # a spec nests 5 deep, a run record 4: deeper is hostile (the
# C parser raises RecursionError near 1,000, and repr/copy of 900 levels fail later)
FLOAT_DIGITS = 309  # an int this long is beyond float range (~1.8e308): read as inf,
# as JSON's 1e400 already is, so every field's finite-number check refuses it


class NotRegularFile(OSError):
    """A path that is a folder, a FIFO, a socket or a device."""


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open `path` for reading only if it is a regular file.

    Opened non-blocking and checked on the descriptor: a FIFO given as a project or a
    spec is refused instead of blocking forever for a writer that never comes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file reads the same either way
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with `data` atomically or raise ProjectFileError.

    A new file gets the user's umask (0644 usually, not mkstemp's 0600); a file
    replaced keeps its mode. The temporary is removed on any failure, Ctrl+C too,
    and stale temporaries of the same target are swept after each save."""
    target = Path(path)
    remove_stale_temporaries(target)
    try:
        fd, tmp = _create_temporary(target)
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
        _discard(tmp)
        raise ProjectFileError(_why(target, exc)) from None
    except BaseException:  # KeyboardInterrupt, SystemExit: no debris either
        _discard(tmp)
        raise
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(tmp)


def _create_temporary(target: Path) -> tuple[int, str]:
    """`.name.HOST-PID.RANDOM.tmp` beside the target: the sweep can tell whose it is.

    Created with O_EXCL and mode 0666 so the kernel applies the umask; an existing
    target's mode is copied so a 0644 file stays 0644."""
    mode = _kept_mode(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = f".{target.name}.{_HOST}-{os.getpid()}.{secrets.token_hex(4)}.tmp"
        tmp = os.path.abspath(target.parent / name)  # one key, however it was named
        with _ACTIVE_LOCK:  # before it exists: another thread's sweep must skip it
            _ACTIVE.add(tmp)
        try:
            fd = os.open(tmp, flags, NEW_FILE_MODE)
        except BaseException as exc:
            with _ACTIVE_LOCK:
                _ACTIVE.discard(tmp)
            if isinstance(exc, FileExistsError):
                continue
            raise
        if mode is not None:
            with contextlib.suppress(OSError):  # e.g. a file system without modes
                os.chmod(tmp, mode)
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _kept_mode(target: Path) -> int | None:
    try:
        info = target.stat()
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def remove_stale_temporaries(target: Path, older_than_s: float = STALE_TMP_S) -> None:
    """Delete what saves of `target` killed mid-write left behind (`.name.*.tmp`).

    Called when a project is opened and on every save. A temporary is stale when
    its writer (host and pid in its name) is gone, or, when that cannot be told (an
    older name, another machine), when nothing wrote to it for `older_than_s`. One
    that another running studio is writing now is left alone."""
    now = time.time()
    for tmp in Path(target).parent.glob(f".{glob.escape(Path(target).name)}.*.tmp"):
        with _ACTIVE_LOCK:
            if os.path.abspath(tmp) in _ACTIVE:
                continue
        with contextlib.suppress(OSError):
            if _writer_gone(tmp.name) or now - tmp.stat().st_mtime > older_than_s:
                tmp.unlink()


def _writer_gone(name: str) -> bool:
    """True when the temporary's name says it was written on this host by a
    process that no longer runs (or by this process, outside a save)."""
    parts = name.rsplit(".", 3)  # [".target", "HOST-PID", "RANDOM", "tmp"]
    host, _, pid = parts[1].rpartition("-") if len(parts) == 4 else ("", "", "")
    if host != _HOST or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True  # ours and not in _ACTIVE: an interrupted save of this process
    return not _alive(int(pid))


def _alive(pid: int) -> bool:
    if os.name == "nt":  # no signal 0 there: leave it to the age rule
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


class JsonTooDeep(ValueError):
    """JSON nested deeper than MAX_JSON_DEPTH."""

    @staticmethod
    def limit() -> int:
        return MAX_JSON_DEPTH


def parse_json(raw: str | bytes) -> Any:
    """`json.loads` for files users hand us: ValueError (never RecursionError) for
    nesting beyond MAX_JSON_DEPTH, and integers beyond float range read as inf."""
    try:
        value = json.loads(raw, parse_int=_json_int)
    except RecursionError:
        raise JsonTooDeep(MAX_JSON_DEPTH) from None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise JsonTooDeep(MAX_JSON_DEPTH)
    return value


def _json_int(digits: str) -> int | float:
    if len(digits.lstrip("-")) >= FLOAT_DIGITS:
        return float("-inf") if digits.startswith("-") else float("inf")
    return int(digits)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Iteratively (a recursive walk would itself overflow)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


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
