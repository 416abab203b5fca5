"""The views inside the real main window: wired by install_views, live during a run.

One short run of deep-sigmoid with the Gradients tab in front: the banner appears,
only the visible view's probes are asked for, and the run lands in the Runs view.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget

pytestmark = pytest.mark.slow


def test_gradients_tab_during_a_real_run(qtbot: Any, main_window: Any, artifacts):
    window = main_window()
    assert window.load_preset("deep-sigmoid")
    qtbot.waitUntil(lambda: window.data is not None, timeout=30_000)
    assert window.select_view("gradients")
    request = window.controller.probe_request
    assert request.kinds == frozenset({"gradients"})  # hidden views ask for nothing
    assert window.findChild(QWidget, "gradientPlot") is not None
    assert window.start_training(config=window.document.config.with_(epochs=1))
    qtbot.waitUntil(lambda: window.controller.finished is not None, timeout=90_000)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=10_000)
    window.frame_clock.tick()
    banner = window.findChild(QLabel, "gradientBanner")
    assert banner.isVisible() and "vanishing" in banner.text()
    runs = window.views["runs"]
    assert [r["id"] for r in runs.runs] == [window.controller.started.run_id]
    assert len(window.document.history) == 1  # stored once, by the controller
    window.grab().save(str(artifacts / "views" / "window-gradients-deep-sigmoid.png"))
