"""Preferences in QSettings: window geometry and dock layout, recent files, imported
dataset folders, theme.

INI format everywhere (not the Windows registry) so tests can redirect it with
`QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tmp)` and a user can
delete one file to reset the studio.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "nnstudio"
APPLICATION = "nnstudio"
MAX_RECENT = 8  # what fits a menu without scrolling
MAX_DATASET_FOLDERS = 8  # imported datasets offered in the dataset list
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

    # --- imported datasets ------------------------------------------------------------
    def dataset_folders(self) -> list[str]:
        """Folders (or files) the user imported as datasets, newest first; the ones
        that no longer exist are left out."""
        value = self._q.value("datasets/imported", [])
        if isinstance(value, str):  # QSettings gives a str for a one-item list
            value = [value]
        return [str(p) for p in (value or []) if Path(str(p)).exists()][
            :MAX_DATASET_FOLDERS
        ]

    def add_dataset_folder(self, path: str) -> None:
        """Remember an imported dataset; its parent is where the next import starts."""
        path = os.path.abspath(path)  # as chosen: a symlinked folder keeps its name
        folders = [p for p in self.dataset_folders() if p != path]
        self._q.setValue("datasets/imported", [path, *folders][:MAX_DATASET_FOLDERS])
        self._q.setValue("datasets/last_folder", str(Path(path).parent))

    def forget_dataset_folder(self, path: str) -> None:
        folders = [p for p in self.dataset_folders() if p != os.path.abspath(path)]
        self._q.setValue("datasets/imported", folders)

    def dataset_start_folder(self) -> str:
        """Where the import dialog opens: beside the last import, else home."""
        folder = str(self._q.value("datasets/last_folder", "", type=str))
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    # --- appearance -------------------------------------------------------------------
    def theme(self) -> str:
        return str(self._q.value("view/theme", "system", type=str))

    def set_theme(self, name: str) -> None:
        self._q.setValue("view/theme", name)
