"""Two languages: the .ts is complete and consistent, the .qm builds, the window speaks
Chinese under zh_CN, and the core's bilingual text (catalog, presets, datasets,
losses, optimizers, experiments) and the CLI have Chinese for every entry.

The window test saves test-artifacts/main-window-zh.png: look at it (Chinese glyphs,
not boxes; nothing clipped).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDockWidget, QTabWidget

from nnstudio import paths
from tests.conftest import REPO
from tests.ui.conftest import shot

TS = paths.translations_dir() / "nnstudio_zh_CN.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
# {name}, {0}, {0:.1f}; Qt's %1 and %n; HTML tags; the characters of a shortcut
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%L?\d+|</?\w+[^>]*>")
UPDATE = ".venv/bin/python packaging/update_translations.py"


def messages(path: Path = TS) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) for every message of a .ts."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append(
                (name, message.findtext("source"), message.find("translation"))
            )
    return found


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text or ""))


def test_no_translation_is_unfinished_or_empty() -> None:
    bad = [
        f"[{ctx}] {src!r}"
        for ctx, src, tr in messages()
        if tr is None or tr.get("type") is not None or not (tr.text or "").strip()
    ]
    assert not bad, f"translate these (then run {UPDATE}):\n" + "\n".join(bad)


def test_placeholders_and_accelerators_survive_translation() -> None:
    for ctx, src, tr in messages():
        text = tr.text or ""
        assert Counter(PLACEHOLDER.findall(src)) == Counter(
            PLACEHOLDER.findall(text)
        ), (ctx, src, text)
        if re.search(r"&[^&\s]", src):
            assert re.search(r"\(&[A-Z]\)|&[^&\s]", text), (ctx, src, text)


def test_every_current_ui_string_is_translated(tmp_path: Path) -> None:
    """Strings added to the UI since the .ts was updated fail here, by name."""
    sys.path.insert(0, str(REPO / "packaging"))
    try:
        import update_translations as ut
    finally:
        sys.path.remove(str(REPO / "packaging"))
    _, stats = ut.merge(ut.extract("zh_CN", tmp_path), ut.known_translations(TS))
    new = [f"[{ctx}] {src!r}" for ctx, src, _ in stats["new"]]
    assert not new, f"run {UPDATE} and translate:\n" + "\n".join(new)


def test_module_level_strings_use_the_runtime_context() -> None:
    """messages.tr() translates in context "nnstudio": the .ts must file them there."""
    contexts = {ctx for ctx, _, _ in messages()}
    assert "" not in contexts
    assert "nnstudio" in contexts


def test_qm_compiles(tmp_path: Path) -> None:
    built = paths.compile_translations(paths.translations_dir(), tmp_path)
    assert [p.name for p in built] == ["nnstudio_zh_CN.qm"]
    assert built[0].stat().st_size > 1000


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch):
    """zh_CN translators installed as app.py does, removed again afterwards."""
    from nnstudio.ui.app import install_translators

    monkeypatch.setenv("NNSTUDIO_LANG", "zh")
    paths.ensure_translations()  # compiles the .qm in the checkout when stale
    app = QApplication.instance()
    translators = install_translators(app, "zh")
    assert translators, "no zh_CN translator could be loaded"
    yield translators
    for translator in translators:
        app.removeTranslator(translator)


def test_main_window_speaks_chinese(chinese, main_window, artifacts) -> None:
    from nnstudio.ui.learn_more import install_learn_more
    from nnstudio.ui.preferences import install_preferences

    window = main_window()
    install_preferences(window)
    install_learn_more(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:6] == [
        "文件(&F)",
        "编辑(&E)",
        "视图(&V)",
        "预设(&P)",
        "训练(&T)",
        "帮助(&H)",
    ]
    for menu in window.menus.values():
        texts = [a.text() for a in menu.actions() if a.text() and not a.isSeparator()]
        english = [
            t for t in texts if not has_cjk(t) and menu is not window.menus["presets"]
        ]
        assert not english, english
    docks = [d.windowTitle() for d in window.findChildren(QDockWidget)]
    assert all(has_cjk(t) for t in docks), docks
    tabs = window.findChild(QTabWidget, "viewTabs")
    assert all(has_cjk(tabs.tabText(i)) for i in range(tabs.count()))
    assert has_cjk(window.menus["presets"].actions()[0].toolTip())  # core text
    shot(window, artifacts / "main-window-zh.png")


def test_learn_more_speaks_chinese(chinese, main_window, artifacts) -> None:
    from nnstudio.ui.learn_more import install_learn_more

    window = main_window()
    dialog = install_learn_more(window).show("Dropout")
    panel = dialog.panel
    assert has_cjk(dialog.windowTitle()) and has_cjk(panel.description.text())
    assert has_cjk(panel.experiment_text.text()) and has_cjk(panel.try_button.text())
    shot(dialog, artifacts / "learn-more-zh.png")
    dialog.close()


def _zh_texts():
    from nnstudio.core.datasets import DATASETS
    from nnstudio.core.lessons.experiments import EXPERIMENTS
    from nnstudio.core.network.layers import LAYER_KINDS
    from nnstudio.core.network.presets import PRESETS
    from nnstudio.core.training.losses import LOSSES
    from nnstudio.core.training.optimizers import OPTIMIZERS

    for k in LAYER_KINDS.values():
        yield f"layer {k.kind}", k.description
        yield from ((f"layer {k.kind}.when", k.when) for _ in [0] if k.when)
        yield from ((f"param {k.kind}.{p.name}", p.help) for p in k.params)
    yield from ((f"preset {p.name}", p.description) for p in PRESETS.values())
    yield from ((f"dataset {d.name}", d.description) for d in DATASETS.values())
    yield from ((f"loss {x.name}", x.description) for x in LOSSES.values())
    yield from ((f"optimizer {x.name}", x.description) for x in OPTIMIZERS.values())
    for e in EXPERIMENTS.values():
        yield f"experiment {e.id}", e.explanation


def test_core_text_has_chinese_for_every_entry() -> None:
    missing = [
        name
        for name, text in _zh_texts()
        if not text.get("en", "").strip() or not has_cjk(text.get("zh", ""))
    ]
    assert not missing, missing


def test_cli_presets_prints_chinese_under_zh() -> None:
    env = {**os.environ, "NNSTUDIO_LANG": "zh"}
    done = subprocess.run(
        [sys.executable, "-m", "nnstudio", "presets"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines and sum(has_cjk(line) for line in lines) >= len(lines) - 1, lines
