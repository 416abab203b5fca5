"""Preferences: the language choice is stored, read at start (the core's text follows
through NNSTUDIO_LANG), never overrides --lang, and offers a restart; the theme
applies at once. Saves test-artifacts/preferences.png."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from nnstudio.core.i18n import lang
from nnstudio.ui import preferences as prefs
from nnstudio.ui.settings import Settings
from tests.ui.conftest import shot


@pytest.fixture
def no_lang(ui_env, monkeypatch: pytest.MonkeyPatch):
    """No NNSTUDIO_LANG and an English locale: what a first start sees."""
    monkeypatch.delenv("NNSTUDIO_LANG", raising=False)
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    yield
    os.environ.pop("NNSTUDIO_LANG", None)  # apply_language_preference sets it


def test_saved_language_drives_the_core_at_start(no_lang) -> None:
    assert prefs.saved_language() == "system"
    assert prefs.apply_language_preference() == "en"
    assert "NNSTUDIO_LANG" not in os.environ
    prefs.save_language("zh")
    assert prefs.apply_language_preference() == "zh"
    assert os.environ["NNSTUDIO_LANG"] == "zh" and lang() == "zh"


def test_command_line_language_wins(no_lang, monkeypatch) -> None:
    prefs.save_language("zh")
    monkeypatch.setenv("NNSTUDIO_LANG", "en")  # what `nnstudio --lang en` does
    assert prefs.apply_language_preference() == "en"


def test_unknown_language_is_refused(no_lang) -> None:
    with pytest.raises(ValueError):
        prefs.save_language("fr")


def test_restart_drops_lang_from_the_command_line() -> None:
    argv = ["nnstudio", "--lang", "zh", "a.nnstudio", "--lang=en"]
    assert prefs.restart_arguments(argv) == ["nnstudio", "a.nnstudio"]


def test_dialog_stores_language_and_theme(no_lang, main_window, artifacts) -> None:
    window = main_window()
    action = prefs.install_preferences(window)
    assert prefs.install_preferences(window) is action  # idempotent
    assert action in window.menus["edit"].actions()
    expected = QKeySequence(QKeySequence.StandardKey.Preferences)
    assert action.shortcut() == (
        expected if not expected.isEmpty() else QKeySequence(prefs.FALLBACK_SHORTCUT)
    )
    dialog = action.open_dialog()
    names = [
        dialog.language_combo.itemText(i) for i in range(dialog.language_combo.count())
    ]
    assert names == ["System language", "English", "简体中文"]
    dialog.show()
    shot(dialog, artifacts / "preferences.png")
    offered = []
    action.offer_restart = offered.append
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh"))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.accept()
    assert prefs.saved_language() == "zh"
    assert Settings().theme() == "dark"
    assert offered == ["zh"]
    window.set_theme("system")


def test_same_language_offers_no_restart(no_lang, main_window) -> None:
    window = main_window(show=False)
    action = prefs.install_preferences(window)
    offered = []
    action.offer_restart = offered.append
    dialog = action.open_dialog()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.accept()
    assert offered == [] and prefs.saved_language() == "en"


def test_restart_now_closes_and_launches(no_lang, main_window, monkeypatch) -> None:
    window = main_window(show=False)
    action = prefs.install_preferences(window)
    launched = []
    monkeypatch.setattr(
        prefs, "restart_studio", lambda w, language: launched.append(language)
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda box: box.buttons()[0].click())
    action.offer_restart("zh")
    assert launched == ["zh"]


def test_restart_studio_ends_the_session_then_launches(
    no_lang, main_window, monkeypatch
) -> None:
    window = main_window()
    quits, order = [], []
    monkeypatch.setattr(QApplication.instance(), "quit", lambda: quits.append(1))
    monkeypatch.setattr(window.files, "maybe_save", lambda: False)  # Cancel
    assert not prefs.restart_studio(window, "zh", launch=order.append)
    assert window.isVisible() and quits == [] and order == []
    monkeypatch.setattr(window.files, "maybe_save", lambda: True)

    def launch(language: str) -> bool:
        order.append((language, window._closed))
        return True

    assert prefs.restart_studio(window, "zh", launch=launch)
    assert order == [("zh", True)], "the old session ended before the launch"
    assert not window.isVisible() and quits == [1]
