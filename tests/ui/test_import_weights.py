"""File > Import Weights…: the entry point of core.project.import_state_dict."""

from __future__ import annotations

from typing import Any

import torch
from PySide6.QtGui import QAction

from nnstudio.core.network.build import build_model
from nnstudio.core.network.presets import PRESETS


def test_imported_weights_are_the_networks_and_show_at_once(
    qtbot: Any, main_window: Any, tmp_path
) -> None:
    window = main_window()
    action = window.findChild(QAction, "importWeightsAction")
    assert action is not None and action in window.menus["file"].actions()
    qtbot.waitUntil(lambda: window.data is not None, timeout=30_000)
    assert window.document.weights is None
    weights = build_model(PRESETS["spiral-relu"].spec, seed=5).state_dict()
    torch.save(weights, tmp_path / "trained.pt")
    assert window.import_weights(tmp_path / "trained.pt")
    got = window.document.weights
    assert got is not None and all(torch.equal(got[k], weights[k]) for k in weights)
    assert window.document.dirty  # the project changed: Save is offered
    boundary = window.views["boundary"]
    assert boundary.rgb is not None and not boundary.stale  # drawn from them
    assert "trained.pt" in window.message_bar.last_text


def test_weights_of_another_network_are_refused_with_the_reason(
    main_window: Any, tmp_path
) -> None:
    window = main_window(show=False)
    other = build_model(PRESETS["deep-sigmoid"].spec, seed=0).state_dict()
    torch.save(other, tmp_path / "other.pt")
    assert not window.import_weights(tmp_path / "other.pt")
    assert window.document.weights is None
    assert "other.pt" in window.message_bar.last_text
