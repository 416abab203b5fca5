"""Preferences in QSettings: window geometry and dock layout, recent files, theme.

INI format everywhere (not the Windows registry) so tests can redirect it with
`QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tmp)` and a user can
delete one file to reset the studio.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "nnstudio"
APPLICATION = "nnstudio"
MAX_RECENT = 8  # what fits a menu without scrolling
LAYOUT_VERSION = 1  # bump when dock objectNames change so old layouts are ignored


class Settings:
    """Typed access to the few things the studio remembers between launches."""

    def __init__(self) -> None:
        self._q = QSettings(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            ORGANIZATION,
            APPLICATION,
        )

    # --- window -----------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self._q.value("window/geometry", None)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        if self._q.value("window/layout_version", 0, type=int) != LAYOUT_VERSION:
            return None
        value = self._q.value("window/state", None)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._q.setValue("window/geometry", geometry)
        self._q.setValue("window/state", state)
        self._q.setValue("window/layout_version", LAYOUT_VERSION)
        self._q.sync()

    # --- recent files -----------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self._q.value("files/recent", [])
        if isinstance(value, str):  # QSettings gives a str for a one-item list
            value = [value]
        return [str(p) for p in (value or []) if Path(str(p)).is_file()][:MAX_RECENT]

    def add_recent_file(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [p for p in self.recent_files() if p != path]
        self._q.setValue("files/recent", [path, *files][:MAX_RECENT])

    def clear_recent_files(self) -> None:
        self._q.setValue("files/recent", [])

    def last_folder(self) -> str:
        return str(self._q.value("files/last_folder", str(Path.home()), type=str))

    def set_last_folder(self, folder: str) -> None:
        self._q.setValue("files/last_folder", folder)

    # --- appearance -------------------------------------------------------------------
    def theme(self) -> str:
        return str(self._q.value("view/theme", "system", type=str))

    def set_theme(self, name: str) -> None:
        self._q.setValue("view/theme", name)
