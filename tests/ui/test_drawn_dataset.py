"""The "New drawn dataset…" dialog on its own: classes with Chinese names, drawings
counted per class, a bad one deleted, the folder loads as a dataset and trains."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from nnstudio.core.datasets import load_dataset
from nnstudio.ui.drawn_dataset import DrawnDatasetDialog

SHOTS = Path("/tmp/shots_fine")


def draw(canvas, kind: str, wobble: float = 0.0) -> None:
    """Strokes through the canvas's thin handlers (no synthesized events)."""
    import math

    if kind == "circle":
        for i in range(41):
            t = 2 * math.pi * i / 40
            canvas.add_point(140 + (80 + wobble) * math.cos(t), 140 + 80 * math.sin(t))
    elif kind == "bar":
        for y in range(50, 231, 10):
            canvas.add_point(140 + wobble, y)
    else:  # a cross
        for x in range(60, 221, 10):
            canvas.add_point(x, 140 + wobble)
        canvas.end_stroke()
        for y in range(60, 221, 10):
            canvas.add_point(140 + wobble, y)
    canvas.end_stroke()


@pytest.fixture
def dialog(qtbot, tmp_path):
    d = DrawnDatasetDialog(root=tmp_path / "drawn", name="符号")
    qtbot.addWidget(d)
    d.show()
    return d


def test_classes_drawings_counts_and_delete(dialog, tmp_path) -> None:
    assert not dialog.use_button.isEnabled()
    assert dialog.add_drawing() is None  # no class yet: told, nothing saved
    assert "class" in dialog.status.text()
    for name in ("圆", "竖线", "十字"):
        assert dialog.add_class(name)
    assert not dialog.add_class("a/b") and "name" in dialog.status.text()
    for name, kind in (("圆", "circle"), ("竖线", "bar"), ("十字", "cross")):
        dialog.classes.setCurrentRow(_row(dialog, name))
        for i in range(4):
            draw(dialog.canvas, kind, wobble=4 * i - 6)
            assert dialog.add_drawing() is not None
            assert dialog.canvas.is_empty()
    assert dialog.counts() == {"十字": 4, "圆": 4, "竖线": 4}
    assert dialog.add_drawing() is None and "empty" in dialog.status.text()
    dialog.classes.setCurrentRow(_row(dialog, "圆"))
    assert dialog.strip.count() == 4
    dialog.strip.setCurrentRow(1)
    assert dialog.delete_selected()
    assert dialog.counts()["圆"] == 3 and dialog.strip.count() == 3
    assert "(3)" in dialog.classes.currentItem().text()
    assert dialog.use_button.isEnabled()
    draw(dialog.canvas, "circle")
    QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "drawn_dataset_dialog.png"))


def _row(dialog, name: str) -> int:
    return next(i for i in range(dialog.classes.count())
                if dialog.classes.item(i).text().startswith(name))


def test_use_emits_the_folder_that_loads_and_trains(dialog, qtbot) -> None:
    for name, kind in (("circle", "circle"), ("bar", "bar")):
        dialog.add_class(name)
        dialog.classes.setCurrentRow(_row(dialog, name))
        for i in range(5):
            draw(dialog.canvas, kind, wobble=3 * i - 6)
            dialog.add_drawing()
    with qtbot.waitSignal(dialog.sig_use_dataset, timeout=2000) as blocker:
        dialog.use_button.click()
    folder = blocker.args[0]
    data = load_dataset(folder)
    assert data.class_names == ("bar", "circle") and data.input_shape == (1, 28, 28)
    from nnstudio.core.network.layers import LayerSpec
    from nnstudio.core.network.spec import NetworkSpec
    from nnstudio.core.training.config import TrainConfig
    from nnstudio.core.training.loop import fit

    spec = NetworkSpec((1, 28, 28), (LayerSpec("Flatten"),
                                     LayerSpec("Linear", {"out_features": 2})))
    summary = fit(spec, data, TrainConfig(dataset=folder, epochs=30, lr=0.05,
                                          probes=False))
    assert summary["val_accuracy"] == 1.0  # circles and bars are easy


def test_a_second_dialog_proposes_a_free_name(qtbot, tmp_path) -> None:
    first = DrawnDatasetDialog(root=tmp_path)
    qtbot.addWidget(first)
    first.add_class("a")
    second = DrawnDatasetDialog(root=tmp_path)
    qtbot.addWidget(second)
    assert second.name_edit.text() != first.name_edit.text()
