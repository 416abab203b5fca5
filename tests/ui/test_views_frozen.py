"""The views say which layers are frozen: a real run with a frozen first
convolution, its events fed to the Gradients and Feature maps views."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PySide6.QtWidgets import QLabel

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.frozen import freeze_first
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.training.config import TrainConfig
from nnstudio.core.training.events import Epoch, Probe, Started
from nnstudio.core.training.loop import run
from nnstudio.ui.views import FeatureMapView, GradientsView

SHOTS = Path("/tmp/shots_fine")


def _events() -> list:
    torch.set_num_threads(1)
    spec = freeze_first(NetworkSpec((1, 8, 8), (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
        LayerSpec("ReLU"), LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 10}))), 2)
    config = TrainConfig(dataset="digits", epochs=2, probe_every=5, lr=0.05)
    return list(run(spec, load_dataset("digits"), config))


def test_frozen_layers_are_labelled_in_gradients_and_feature_maps(qtbot) -> None:
    events = _events()
    started = next(e for e in events if isinstance(e, Started))
    assert started.frozen_layers == ("1_conv2d", "2_relu")
    grads = GradientsView()
    maps = FeatureMapView()
    for view in (grads, maps):
        qtbot.addWidget(view)
        view.resize(900, 500)
        for event in events:
            view.on_event(event)
        view.refresh()
    labels = [item[1].text for item in grads.legend.items]
    assert labels[0].endswith("(frozen)") and not labels[1].endswith("(frozen)")
    assert grads.banner.isHidden()  # a frozen layer's zero gradient is no alarm
    epoch = next(e for e in events if isinstance(e, Epoch))
    assert epoch.grad_norms[0] == 0.0 and epoch.grad_norms[1] > 0  # it does not learn
    assert any(isinstance(e, Probe) and e.feature_maps for e in events)
    texts = [w.text() for w in maps.findChildren(QLabel)]
    assert any(t.startswith("1 conv2d (frozen)") for t in texts), texts
    SHOTS.mkdir(parents=True, exist_ok=True)
    grads.grab().save(str(SHOTS / "gradients_frozen.png"))
    maps.grab().save(str(SHOTS / "feature_maps_frozen.png"))
    assert np.isfinite(epoch.train_loss)
