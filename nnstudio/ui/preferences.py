"""Preferences: the interface language and the theme (Edit > Preferences…).

The language is read once at start (`apply_language_preference()`, before the
translators are installed), so changing it takes effect after a restart; the dialog
offers to restart at once. Both the Qt translators and the core's bilingual text
(`nnstudio.core.i18n.lang()`, read from NNSTUDIO_LANG) follow the same choice, so the
layer catalog, presets and datasets switch with the menus. The theme applies at once.
Stored in the studio's QSettings file beside the window layout (settings.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QProcess, QSettings, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from nnstudio.ui.messages import tr
from nnstudio.ui.settings import APPLICATION, ORGANIZATION, Settings

LANGUAGE_KEY = "view/language"
LANGUAGES = ("system", "en", "zh")
# Each language is named in itself: someone who cannot read the current one still
# finds their own.
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
FALLBACK_SHORTCUT = "Ctrl+,"  # where the platform defines no Preferences key (Linux)
ENV = "NNSTUDIO_LANG"
DIALOG_MIN_WIDTH = 420  # the restart note on one line in both languages


def _store() -> QSettings:
    """The same INI file settings.Settings uses (tests redirect it with setPath)."""
    return QSettings(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        ORGANIZATION,
        APPLICATION,
    )


def saved_language() -> str:
    """'system', 'en' or 'zh' as chosen in Preferences ('system' when never set)."""
    value = str(_store().value(LANGUAGE_KEY, "system", type=str))
    return value if value in LANGUAGES else "system"


def save_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {LANGUAGES}")
    store = _store()
    store.setValue(LANGUAGE_KEY, language)
    store.sync()


def apply_language_preference() -> str:
    """At start, before translators: the saved language, unless NNSTUDIO_LANG (or
    `--lang`, which sets it) already chose one. Returns the language now in force.

    Setting NNSTUDIO_LANG is what makes the core's text follow: `core.i18n.lang()`
    reads it first.
    """
    from nnstudio.core.i18n import lang

    language = saved_language()
    if not os.environ.get(ENV) and language != "system":
        os.environ[ENV] = language
    return lang()


def restart_arguments(argv: Sequence[str]) -> list[str]:
    """The command line again without `--lang X`, which would override the choice."""
    args, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            args.append(arg)
    return args


def _launch_again(language: str) -> bool:
    """Start a new studio process in `language` (it inherits our environment)."""
    if language == "system":
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = language
    args = restart_arguments(sys.argv)
    if getattr(sys, "frozen", False):
        return QProcess.startDetached(sys.executable, args[1:])
    return QProcess.startDetached(sys.executable, args)


def restart_studio(
    window: Any, language: str, launch: Callable[[str], bool] = _launch_again
) -> bool:
    """Save or discard changes (Cancel keeps the studio open: False), end this
    session (autosave, training thread), start a new studio in `language`, quit.

    The session ends before the new process starts, so it never mistakes this one
    for a crashed session.
    """
    if not window.files.maybe_save():
        return False
    window.shutdown()
    launched = launch(language)
    if not launched:
        QMessageBox.warning(
            window,
            tr("Language"),
            tr("nnstudio could not restart itself: please start it again."),
        )
    window.close()
    app = QApplication.instance()
    if app is not None:
        app.quit()
    return launched


class PreferencesDialog(QDialog):
    """Language and theme. `accept()` stores both; the caller applies them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.language_combo = self._combo(
            "languageCombo",
            {"system": self.tr("System language"), **LANGUAGE_NAMES},
            saved_language(),
        )
        self.theme_combo = self._combo(
            "themeCombo",
            {
                "system": self.tr("System"),
                "light": self.tr("Light"),
                "dark": self.tr("Dark"),
            },
            Settings().theme(),
        )
        self._build()
        self.setMinimumWidth(DIALOG_MIN_WIDTH)

    def _combo(self, name: str, items: dict[str, str], current: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for key, label in items.items():
            combo.addItem(label, key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def _build(self) -> None:
        self.language_combo.setToolTip(
            self.tr("The language of menus, messages, layers, presets and datasets.")
        )
        self.theme_combo.setToolTip(self.tr("Light or dark colours for the window."))
        note = QLabel(self.tr("A new language takes effect after a restart."), self)
        note.setObjectName("restartNote")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language_combo)
        form.addRow(self.tr("&Theme:"), self.theme_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def theme(self) -> str:
        return str(self.theme_combo.currentData())

    def accept(self) -> None:
        save_language(self.language())
        Settings().set_theme(self.theme())
        super().accept()


class Preferences(QAction):
    """Edit > Preferences…: opens the dialog, applies the theme, offers a restart."""

    def __init__(self, window: Any) -> None:
        super().__init__(tr("&Preferences…"), window)
        self.main_window = window
        self.setObjectName("preferencesAction")
        self.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the app menu
        keys = QKeySequence(QKeySequence.StandardKey.Preferences)
        if keys.isEmpty():
            keys = QKeySequence(FALLBACK_SHORTCUT)
        self.setShortcut(keys)
        self.setStatusTip(tr("Choose the language and the theme"))
        self.triggered.connect(self._on_triggered)
        self.dialog: PreferencesDialog | None = None

    @Slot()
    def _on_triggered(self) -> None:
        self.open_dialog().exec()

    def open_dialog(self) -> PreferencesDialog:
        """A fresh dialog (tests drive it without exec)."""
        self.dialog = PreferencesDialog(self.main_window)
        self.dialog.accepted.connect(self._on_dialog_accepted)
        return self.dialog

    @Slot()
    def _on_dialog_accepted(self) -> None:
        dialog = self.dialog
        self.main_window.set_theme(dialog.theme())
        if language_changed(dialog.language()):
            self.offer_restart(dialog.language())

    def offer_restart(self, language: str) -> None:
        box = QMessageBox(self.main_window)
        box.setObjectName("restartBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(tr("Language"))
        box.setText(tr("The new language takes effect after a restart."))
        now = box.addButton(tr("Restart Now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is now:
            restart_studio(self.main_window, language)


def language_changed(choice: str) -> bool:
    """Would `choice` show another language than the one running now?"""
    from nnstudio.core.i18n import lang

    if choice == "system":
        saved_env = os.environ.pop(ENV, None)
        try:
            wanted = lang()
        finally:
            if saved_env is not None:
                os.environ[ENV] = saved_env
    else:
        wanted = choice
    return wanted != lang()


def install_preferences(window: Any) -> Preferences:
    """Add Edit > Preferences… to the main window (after the Edit menu is filled).
    Idempotent: a second call returns the first one's action."""
    existing = window.preferences
    if isinstance(existing, Preferences):
        return existing
    action = Preferences(window)
    menu = window.menus["edit"]
    menu.addSeparator()
    menu.addAction(action)
    window.preferences = action
    return action
