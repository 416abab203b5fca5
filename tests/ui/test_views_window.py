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
    # hidden views ask for nothing but the weight history (a cheap bounded sample)
    assert request.kinds == frozenset({"gradients", "weights"})
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


def shown(label: QLabel) -> bool:
    """Shown when its tab is in front (hidden tabs hide their children)."""
    return not label.isHidden()


def _views_shots(window: Any, folder: Any, tag: str) -> None:
    """A PNG of every view tab (and the curves) for a person to look at."""
    from tests.ui.conftest import shot

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("curves", *window.views):
        window.select_view(name)
        shot(window.view_tabs, folder / f"{name}-{tag}.png")
    window.view_tabs.setCurrentWidget(window.predict_panel)
    shot(window.view_tabs, folder / f"predict-{tag}.png")


def test_a_preset_after_a_run_marks_every_result_stale(
    qtbot: Any, main_window: Any, artifacts, tmp_path
):
    """spiral-relu trained, then spiral-linear: no view passes the old result off
    as the new network's; undo brings it back; the saved project reopens current."""
    window = main_window()
    qtbot.waitUntil(lambda: window.data is not None, timeout=30_000)
    doc = window.document
    assert window.start_training(config=doc.config.with_(epochs=2))
    qtbot.waitUntil(lambda: not window.controller.running, timeout=90_000)
    folder = artifacts / "views" / "window-stale"
    _views_shots(window, folder, "1-trained")
    notices = [
        w.findChild(QLabel, "staleNotice")
        for w in (window.curves, window.predict_panel, *window.views.values())
    ]
    notices = [n for n in notices if n is not None]
    assert len(notices) >= 8 and not any(shown(n) for n in notices)
    boundary = window.views["boundary"]
    assert boundary.rgb is not None
    window.save_file(tmp_path / "trained.nnstudio")
    assert window.load_preset("spiral-linear")
    _views_shots(window, folder, "2-spiral-linear")
    stale = [n for n in notices if shown(n)]
    assert len(stale) == len(notices) - 1  # all but the Runs view (history)
    doc.undo_stack.undo()
    assert not any(shown(n) for n in notices)
    other = main_window(str(tmp_path / "trained.nnstudio"))
    qtbot.waitUntil(lambda: other.views["boundary"].rgb is not None, timeout=30_000)
    other_notice = other.views["boundary"].findChild(QLabel, "staleNotice")
    assert not shown(other_notice)
    _views_shots(other, folder, "3-reopened")
