"""What a newcomer hit in the window (issue 13 §4): the window fits the screen, the
Runs tab never widens it and names its runs, log axes and bar charts keep their
labels apart, nothing is clipped, and views that were hidden during a run show it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen

from nnstudio.core.training import runs
from nnstudio.core.training.events import EpochEval
from nnstudio.ui.plot_style import LABEL_PX, TidyLogAxis, thinned_ticks
from nnstudio.ui.views import EvaluationView, GradientsView, RunsView
from nnstudio.ui.window_layout import FRAME_ALLOWANCE, fit_size

SHOTS = "/tmp/shots_win"


def _shot(widget, name: str) -> None:
    import os

    os.makedirs(SHOTS, exist_ok=True)
    widget.grab().save(f"{SHOTS}/{name}.png")


@pytest.mark.parametrize(
    "screen, expected",
    [((1366, 768), (1366 - 16, 768 - 40)), ((1920, 1080), (1440, 900))],
)
def test_the_window_size_fits_the_available_screen(screen, expected) -> None:
    assert fit_size((1440, 900), screen) == expected
    assert FRAME_ALLOWANCE == (16, 40)


def test_the_window_opens_inside_a_small_screen(ui_env, qtbot, monkeypatch) -> None:
    from nnstudio.ui.main_window import MainWindow

    monkeypatch.setattr(
        QScreen, "availableGeometry", lambda self: QRect(0, 0, 1366, 768)
    )
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.width() <= 1366 and window.height() <= 768 - FRAME_ALLOWANCE[1]
    from PySide6.QtWidgets import QPushButton

    train = window.findChild(QPushButton, "trainButton")
    bottom = train.mapTo(window, train.rect().bottomLeft()).y()
    assert train.isVisible() and bottom < window.height()
    _shot(window, "window_1366x768")
    window.close()


def _record(dataset: str, epochs: int, n: int) -> dict:
    record = runs.new_record(
        {"input_shape": [2], "layers": [{"kind": "Linear", "params": {}}]},
        {"dataset": dataset, "epochs": epochs, "lr": 0.01, "optimizer": "adam"},
    )
    record.update(id=f"run{n}", stopped_reason="finished")
    record["epochs"] = [{"epoch": 1, "train_loss": 0.5, "val_accuracy": 0.8}]
    return record


def test_runs_are_named_apart_with_their_dataset_and_not_mixed(qtbot) -> None:
    view = RunsView()
    qtbot.addWidget(view)
    history = [_record("spiral", 20, i) for i in range(5)] + [
        _record("/data/my-digits", 20, 5)
    ]
    view.load_history(history)
    assert view.checked == {"run5"}  # the newest run's dataset only
    view.load_history(history[:5])
    labels = view.curve_labels(view.runs)
    assert len(set(labels)) == 5  # not "20 epochs" five times
    mixed = view.curve_labels([view.runs[0], runs.from_history_entry(history[5])])
    assert "spiral" in mixed[0] and "my-digits" in mixed[1]
    items = [view.run_list.item(i).text() for i in range(view.run_list.count())]
    assert all("spiral" in t for t in items)
    view.load_history(history)
    assert "my-digits" in view.run_list.item(5).text()


def test_a_long_difference_wraps_and_never_widens_the_window(main_window) -> None:
    window = main_window()
    window.resize(1440, 900)
    window.select_view("runs")
    view = window.views["runs"]
    view.difference.setText("What differs: " + " / ".join(["Linear 100 → ReLU"] * 40))
    for _ in range(3):
        window.layout().activate()
    assert view.difference.wordWrap()
    assert window.width() <= 1440 and window.minimumSizeHint().width() <= 1440


def test_log_axis_labels_never_overprint(qtbot) -> None:
    import pyqtgraph as pg

    plot = pg.PlotWidget(axisItems={"left": TidyLogAxis("left")})
    qtbot.addWidget(plot)
    plot.setLogMode(y=True)
    plot.resize(300, 160)
    plot.plot([0, 1, 2], [0.08, 0.3, 0.9])
    plot.show()
    qtbot.waitExposed(plot)
    axis = plot.getAxis("left")
    lo, hi = axis.range
    values = [
        v for level in axis.tickValues(lo, hi, axis.size().height()) for v in level[1]
    ]
    shown = [s for s in axis.tickStrings(values, 1.0, 1.0) if s]
    assert 0 < len(shown) <= axis.size().height() / LABEL_PX


def test_thirty_one_layer_labels_are_thinned() -> None:
    labels = [str(i) for i in range(1, 32)]
    shown = thinned_ticks(labels, 300)
    assert len(shown) < 31 and len(shown) * 22 <= 300 + 22
    assert thinned_ticks(labels[:4], 300) == [
        (float(i), t) for i, t in enumerate(labels[:4])
    ]


def test_gradient_bars_of_31_layers_keep_labels_apart(qtbot) -> None:
    view = GradientsView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view._set_layers(tuple(f"{i}_linear" for i in range(1, 32)))
    ticks = view.bars.getAxis("bottom")._tickLevels[0]
    assert 2 <= len(ticks) < 31
    assert view.legend.columnCount > 1  # entries side by side, under the plot


def test_evaluation_lists_the_worst_mistakes_without_a_click(qtbot) -> None:
    view = EvaluationView()
    qtbot.addWidget(view)
    cm = np.array([[8, 2], [1, 9]])
    view.on_event(
        EpochEval(1, cm, np.diag(cm) / cm.sum(1), ((4, 0, 1, 0.7), (9, 1, 0, 0.95)))
    )
    view.refresh()
    texts = [view.samples.item(i).text() for i in range(view.samples.count())]
    assert len(texts) == 2 and "#9" in texts[0] and "95%" in texts[0]


def test_weight_history_is_recorded_while_the_tab_is_hidden(main_window) -> None:
    window = main_window()
    window.select_view("curves") or window.select_view("boundary")
    assert not window.views["weights"].isVisible()
    assert "weights" in window.controller.probe_request.kinds


def test_nothing_is_clipped_in_the_palette_and_properties(main_window) -> None:
    window = main_window()
    from nnstudio.ui.palette import LayerPalette

    palette = window.findChild(LayerPalette)
    item = palette.item_for("AdaptiveAvgPool2d")
    room = palette.visualItemRect(item).width()
    icon_and_gap = palette._icon_px() + 8
    needed = palette.fontMetrics().horizontalAdvance("AdaptiveAvgPool2d")
    assert room - icon_and_gap >= needed, (room, needed)
    window.load_preset("cnn-mnist")
    window.network_panel.editor.select_row(0)
    formula = window.layer_editor.formula
    rect = formula.fontMetrics().boundingRect(
        QRect(0, 0, formula.width(), 100_000),
        int(Qt.TextFlag.TextWordWrap),
        formula.text(),
    )
    assert "W[c,k]" in formula.text() and formula.height() >= rect.height()
    _shot(window.docks["layerPropertiesDock"], "conv_properties_test")
    _shot(window.docks["layerPaletteDock"], "palette_test")


def test_a_2d_preview_keeps_its_aspect_ratio(main_window) -> None:
    window = main_window()
    from nnstudio.ui.data_preview import DataPreview

    preview = window.findChild(DataPreview)
    assert preview.kind == "points"
    assert preview.plot.getPlotItem().vb.state["aspectLocked"] == 1.0


def test_a_failed_download_is_not_retried_on_every_setting(main_window, qtbot) -> None:
    window = main_window()
    source = window.data_source
    started = []
    source.sig_loading.connect(lambda name: name and started.append(name))
    source.request("mnist", 0, {"timeout": 2})
    qtbot.waitUntil(lambda: not source.loading, timeout=30_000)
    assert source.error and started == ["mnist"]
    source.request("mnist", 0, {"timeout": 2})  # what an lr edit does
    assert not source.loading and started == ["mnist"]
    source.request("spiral", 0, {})
    source.request("mnist", 0, {"timeout": 2})  # chosen again: tried again
    assert started == ["mnist", "mnist"]
    qtbot.waitUntil(lambda: not source.loading, timeout=30_000)


def test_imported_dataset_folders_are_remembered(ui_env, tmp_path) -> None:
    from nnstudio.ui.settings import Settings

    folder = tmp_path / "digits"
    folder.mkdir()
    Settings().add_dataset_folder(str(folder))
    again = Settings()  # a later session
    assert again.dataset_folders() == [str(folder.resolve())]
    assert again.dataset_start_folder() == str(tmp_path.resolve())
    folder.rmdir()
    assert Settings().dataset_folders() == []
