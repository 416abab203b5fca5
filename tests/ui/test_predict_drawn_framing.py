"""Predict frames a drawing on the canvas as a drawn dataset saved its drawings
(the MNIST recipe), even when the classes are not digits."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from torch import nn

from nnstudio.core.datasets.drawn import DrawnDataset, is_drawn
from nnstudio.ui.predict_panel import PredictPanel


class Recorder(nn.Module):
    """Keeps what it was shown (in the class: Predict works on a copy of the model);
    answers the first class."""

    seen: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        Recorder.seen.append(x.detach().clone())
        return torch.tensor([[5.0, 0.0]]).expand(len(x), 2)


def _draw_bar(canvas) -> None:
    """A wide, flat stroke: the digit and object framings differ most on it."""
    for x in range(40, 241, 10):
        canvas.add_point(x, 140)
    canvas.end_stroke()


def _shown(panel: PredictPanel, source: str) -> np.ndarray:
    Recorder.seen.clear()
    panel.set_model(Recorder(), (1, 28, 28), 0.0, 1.0, ["圆", "横线"], source)
    assert Recorder.seen, "the canvas was predicted"
    return Recorder.seen[-1][0, 0].numpy()


def test_canvas_framed_as_the_drawn_dataset_saved_it(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("NNSTUDIO_DRAWN_DIR", str(tmp_path / "drawn"))
    dataset = DrawnDataset("符号")
    dataset.add_class("圆")
    dataset.add_class("横线")
    panel = PredictPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 420)
    panel.show()
    _draw_bar(panel.canvas())
    saved = dataset.add_drawing("横线", panel.canvas().to_array())
    stored = np.asarray(Image.open(saved), dtype=np.float32) / 255.0
    assert is_drawn(dataset.path) and not is_drawn(tmp_path)
    drawn = _shown(panel, str(dataset.path))
    assert np.abs(drawn - stored).max() < 2 / 255, "the model sees what it trained on"
    other = _shown(panel, str(tmp_path / "elsewhere"))  # same names, not drawn
    assert np.abs(other - stored).max() > 0.2, "other images keep the object framing"
