"""Learn more: every topic shows its formula, advice and experiment; Try it emits the
experiment; the window runs an experiment's two runs one after the other.

Saves test-artifacts/learn-more-relu.png and learn-more-experiment.png.
"""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QApplication

from nnstudio.core.i18n import text
from nnstudio.core.lessons import experiments as core_experiments
from nnstudio.core.lessons.experiments import EXPERIMENTS, Run, topic, topics
from nnstudio.core.network.presets import PRESETS
from nnstudio.ui.learn_more import (
    LearnMore,
    LearnMorePanel,
    install_learn_more,
    topic_tooltip,
)
from tests.ui.conftest import shot, wait_idle

QUICK = {"epochs": 2, "probes": False}  # two runs that end in a second or two


@pytest.mark.parametrize("name", topics())
def test_panel_shows_formula_advice_and_experiment(qtbot, name: str) -> None:
    panel = LearnMorePanel()
    qtbot.addWidget(panel)
    panel.show_topic(name)
    t = topic(name)
    assert t.formula.split()[0] in panel.formula.text()
    assert panel.description.text() == text(t.description, "en")
    assert panel.when.text() == text(t.when, "en")
    assert panel.experiment_id == t.experiment
    assert not panel.experiment_box.isHidden()
    with qtbot.waitSignal(panel.sig_run_experiment) as blocker:
        panel.try_button.click()
    assert blocker.args == [t.experiment]


def test_tooltip_names_formula_and_way_in() -> None:
    tip = topic_tooltip("ReLU")
    assert "max(0, x)" in tip and "Learn more" in tip


def test_install_adds_help_entry_and_opens_on_a_topic(main_window, artifacts) -> None:
    window = main_window()
    learn = install_learn_more(window)
    assert install_learn_more(window) is learn  # idempotent
    assert isinstance(window.learn_more, LearnMore)
    action = window.menus["help"].actions()[0]
    assert action.objectName() == "learnMoreAction"
    action.trigger()
    dialog = learn.dialog
    assert dialog.isVisible() and dialog.panel.name == topics()[0]
    learn.show("ReLU")
    assert dialog.panel.name == "ReLU"
    assert dialog.tree.currentItem().text(0) == "ReLU"
    dialog.tree.setCurrentItem(dialog.item_for("adam"))
    assert dialog.panel.name == "adam" and "Optimizers" in dialog.panel.title.text()
    learn.show("ReLU")
    shot(dialog, artifacts / "learn-more-relu.png")
    dialog.close()


def test_palette_right_click_offers_learn_more(main_window) -> None:
    window = main_window()
    learn = install_learn_more(window)
    palette = window.palette_panel.palette
    rect = palette.visualItemRect(palette.item_for("Dropout"))
    palette.customContextMenuRequested.emit(rect.center())
    actions = learn.menu.actions()
    assert [a.text() for a in actions] == ["Learn more about Dropout…"]
    actions[0].trigger()
    assert learn.dialog.panel.name == "Dropout"
    learn.menu.close()
    learn.dialog.close()


def test_loss_box_right_click_offers_learn_more(main_window) -> None:
    window = main_window(show=False)
    learn = install_learn_more(window)
    combo = window.training_panel.form.loss_combo
    combo.customContextMenuRequested.emit(combo.rect().center())
    assert learn.menu.actions()[0].text() == "Learn more about cross-entropy…"
    learn.menu.close()


def _quick(experiment_id: str) -> core_experiments.Experiment:
    """The experiment with every run shortened to QUICK."""
    e = EXPERIMENTS[experiment_id]
    runs = tuple(dataclasses.replace(r, config={**r.config, **QUICK}) for r in e.runs)
    return dataclasses.replace(e, runs=runs)


def test_try_it_trains_both_runs_and_overlays_them(
    main_window, monkeypatch, qtbot, artifacts
) -> None:
    monkeypatch.setitem(EXPERIMENTS, "relu", _quick("relu"))
    window = main_window()
    learn = install_learn_more(window)
    before = len(window.document.history)
    done = []
    learn.runner.sig_done.connect(done.append)
    assert learn.run_experiment("relu")
    assert window.document.spec == PRESETS["spiral-linear"].spec
    assert window.view_tabs.currentWidget() is window.views["boundary"]
    qtbot.waitUntil(lambda: done == ["relu"], timeout=240_000)
    wait_idle(qtbot, window)
    doc = window.document
    assert doc.spec == PRESETS["spiral-relu"].spec, "the last run stays loaded"
    assert len(doc.history) == before + 2
    assert doc.weights is not None
    assert window.view_tabs.currentWidget() is window.views["runs"]
    undo = doc.undo_stack
    assert "Experiment: Why the ReLU matters (with ReLU)" == undo.text(undo.index() - 1)
    shot(window, artifacts / "learn-more-experiment.png")


def test_experiment_refused_while_training(main_window, qtbot) -> None:
    window = main_window(show=False)
    learn = install_learn_more(window)
    window.document.set_config(window.document.config.with_(epochs=500), "long")
    assert window.start_training()
    try:
        assert not learn.run_experiment("relu")
        assert "Stop the training" in window.message_bar.last_text
        assert not learn.runner.active
    finally:
        window.controller.stop()
        wait_idle(qtbot, window)


def test_stopping_a_run_drops_the_rest(main_window, monkeypatch, qtbot) -> None:
    slow = dataclasses.replace(
        EXPERIMENTS["adam-vs-sgd"],
        runs=tuple(
            dataclasses.replace(r, config={**r.config, "epochs": 500})
            for r in EXPERIMENTS["adam-vs-sgd"].runs
        ),
    )
    monkeypatch.setitem(EXPERIMENTS, "adam-vs-sgd", slow)
    window = main_window(show=False)
    learn = install_learn_more(window)
    before = len(window.document.history)
    assert learn.run_experiment("adam-vs-sgd")
    qtbot.waitUntil(lambda: window.controller.events > 2, timeout=60_000)
    window.controller.stop()
    qtbot.waitUntil(lambda: not learn.runner.active, timeout=60_000)
    wait_idle(qtbot, window)
    QApplication.processEvents()
    assert not window.controller.running
    assert len(window.document.history) == before + 1
    assert window.document.config.optimizer == "sgd"


def test_single_run_experiment_opens_its_view(main_window, monkeypatch, qtbot) -> None:
    quick = dataclasses.replace(
        _quick("sigmoid"), runs=(Run("deep-sigmoid", {"en": "x", "zh": "x"}, QUICK),)
    )
    monkeypatch.setitem(EXPERIMENTS, "sigmoid", quick)
    window = main_window(show=False)
    learn = install_learn_more(window)
    assert learn.run_experiment("sigmoid")
    assert window.view_tabs.currentWidget() is window.views["gradients"]
    qtbot.waitUntil(lambda: not learn.runner.active, timeout=240_000)
    wait_idle(qtbot, window)
    assert window.document.spec == PRESETS["deep-sigmoid"].spec
