"""The screenshot step: the README's pictures come from the real window.

Every run saves them to test-artifacts/screenshots/; with NNSTUDIO_UPDATE_SCREENSHOTS=1
they also replace the ones under assets/screenshots/ that the README shows.
"""

from __future__ import annotations

import os
import shutil

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from tests.ui.conftest import WINDOW_SIZE, shot, wait_idle

ASSETS = os.path.join(os.path.dirname(__file__), "..", "..", "assets", "screenshots")


def _save(window, artifacts, name: str) -> QImage:
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    shot(window, path)
    if os.environ.get("NNSTUDIO_UPDATE_SCREENSHOTS") == "1":
        os.makedirs(ASSETS, exist_ok=True)
        shutil.copy(path, os.path.join(ASSETS, f"{name}.png"))
    return QImage(str(path))


def _colours(image: QImage) -> int:
    step = 37
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


@pytest.mark.slow
def test_screenshots_of_a_trained_default_project(
    main_window, qtbot, artifacts
) -> None:
    window = main_window()
    window.select_view("boundary")
    window.findChild(QPushButton, "trainButton").click()
    wait_idle(qtbot, window)
    assert window.controller.finished.reason == "finished"
    main = _save(window, artifacts, "main-window")
    assert (main.width(), main.height()) == WINDOW_SIZE
    assert _colours(main) > 20  # a rendered window, not a blank frame
    for view in ("curves", "gradients", "weights", "activations", "evaluation"):
        if window.select_view(view):
            assert _colours(_save(window, artifacts, f"view-{view}")) > 10
