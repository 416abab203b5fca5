"""The coach banner on a real run: the diagnosis, the why? link, the one-step cure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nnstudio.core.datasets import load_dataset
from nnstudio.core.network.presets import PRESETS
from nnstudio.core.training.loop import run
from nnstudio.ui.coach_banner import CoachBanner
from nnstudio.ui.document import Document

SHOTS = Path(os.environ.get("NNSTUDIO_SHOTS", "/tmp/shots_coach"))


def _feed(banner: CoachBanner, preset: str, **config) -> None:
    p = PRESETS[preset]
    c = p.train_config(dataset_options={"size": 60}, **config)
    for event in run(p.spec, load_dataset("spiral", size=60), c):
        banner.on_event(event)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_banner_names_the_underfit_and_cures_it_in_one_undo_step(
        qtbot, monkeypatch, language) -> None:
    monkeypatch.setenv("NNSTUDIO_LANG", language)
    doc = Document()
    doc.edit(PRESETS["spiral-linear"].spec, doc.config, "preset")
    banner = CoachBanner(doc)
    qtbot.addWidget(banner)
    banner.resize(760, 90)
    _feed(banner, "spiral-linear", epochs=25)
    assert banner.isVisibleTo(banner.parentWidget() or banner) or not banner.isHidden()
    assert banner.current.code == "underfitting"
    text = banner.label.text()
    assert ("Underfitting" in text) == (language == "en")
    assert ("欠拟合" in text) == (language == "zh")
    assert "why:underfitting" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    banner.show()
    banner.grab().save(str(SHOTS / f"coach_banner_{language}.png"))
    with qtbot.waitSignal(banner.sig_why) as why:
        banner.label.linkActivated.emit("why:underfitting")
    assert why.args == ["underfitting"]
    count = doc.undo_stack.count()
    banner.cure_button.click()
    assert doc.undo_stack.count() == count + 1
    assert [layer.kind for layer in doc.spec.layers] == ["Linear", "ReLU", "Linear"]
    doc.undo_stack.undo()
    assert [layer.kind for layer in doc.spec.layers] == ["Linear", "Linear"]


def test_banner_stays_hidden_for_a_healthy_run(qtbot) -> None:
    banner = CoachBanner(Document())
    qtbot.addWidget(banner)
    _feed(banner, "spiral-relu", epochs=25)
    assert banner.current is None and banner.isHidden()
