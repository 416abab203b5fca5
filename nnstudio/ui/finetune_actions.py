"""File > Start from Weights… and File > Import Pretrained Weights…

"Start from" builds the current network, lets the layers whose shapes match take the
weights of a source (a .nnstudio project, a .safetensors file, or a cached pretrained
torchvision model) and keeps the result as the document's weights; the message bar
says which layers took weights and which start fresh. "Import" checks a weights file
downloaded by hand (SHA-256, weights-only load) and puts it in the cache.

Both run on the GUI thread: reading a project or a cached file takes well under a
second, and nothing here touches the network (a torchvision model that is not
cached is refused with the way to get it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu

from nnstudio.ui.messages import tr

SOURCE_FILTER = "nnstudio / safetensors (*.nnstudio *.safetensors)"
WEIGHTS_FILTER = "PyTorch weights (*.pth *.pt)"


def install_finetune_actions(window: Any) -> list[QAction]:
    """Add the two actions to the File menu, before its last separator (Quit)."""
    menu: QMenu = window.menus["file"]
    start = QAction(tr("Start from &Weights…"), menu)
    start.setObjectName("startFromAction")
    start.setToolTip(tr("Give the layers whose shapes match the weights of another "
                        "project, a .safetensors file or a pretrained model"))
    start.triggered.connect(lambda: start_from_dialog(window))
    imp = QAction(tr("Import &Pretrained Weights…"), menu)
    imp.setObjectName("importPretrainedAction")
    imp.setToolTip(tr("Check and cache a pretrained weights file you downloaded "
                      "by hand (e.g. resnet34-b627a593.pth)"))
    imp.triggered.connect(lambda: import_dialog(window))
    drawn = QAction(tr("New &Drawn Dataset…"), menu)
    drawn.setObjectName("newDrawnDatasetAction")
    drawn.setToolTip(tr("Name classes, draw examples of each, and train on them"))
    drawn.triggered.connect(lambda: open_drawn_dataset(window))
    separators = [a for a in menu.actions() if a.isSeparator()]
    before = separators[-1] if separators else None
    for action in (drawn, start, imp):
        menu.insertAction(before, action) if before else menu.addAction(action)
    # a start point belongs to the open project: New/Open/a preset forget it
    window.document.sig_loaded.connect(lambda: forget_start_point(window))
    return [drawn, start, imp]


def forget_start_point(window: Any) -> None:
    session = window.document.session
    if getattr(session, "start_point", None) is not None:
        session.start_point = None


def open_drawn_dataset(window: Any) -> Any:
    """Open the New drawn dataset dialog (not modal); "Use this dataset" makes it
    the document's dataset, through the data box as the … button does."""
    from nnstudio.ui.drawn_dataset import DrawnDatasetDialog

    dialog = DrawnDatasetDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_use_dataset.connect(window.training_panel.data_box.choose_dataset)
    dialog.open()
    return dialog


def start_from_dialog(window: Any) -> bool:
    from nnstudio.core.network.pretrained import BUNDLED
    from nnstudio.core.pretrained import MODELS

    file_choice = tr("A project or .safetensors file…")
    names = [file_choice, BUNDLED, *MODELS]
    choice, ok = QInputDialog.getItem(window, tr("Start from weights"),
                                      tr("Source of the weights:"), names, 0, False)
    if not ok:
        return False
    if choice == file_choice:
        choice, _ = QFileDialog.getOpenFileName(window, tr("Start from weights"), "",
                                                SOURCE_FILTER)
        if not choice:
            return False
    return start_from(window, choice)


def start_from(window: Any, source: str) -> bool:
    """Transfer `source`'s weights into the current network; say which layers
    took them. Returns whether any layer did."""
    from nnstudio.core.errors import NNStudioError
    from nnstudio.core.network.build import build_model
    from nnstudio.core.network.pretrained import StartPoint, read_source, transfer
    from nnstudio.core.pretrained import MODELS, cached_path

    doc = window.document
    if source in MODELS and not cached_path(source).exists():
        window.show_message(tr(
            "The {name} weights are not downloaded yet: run `nnstudio pretrained "
            "download {name}`, or download the file by hand and use File > Import "
            "Pretrained Weights…").format(name=source), "warning")
        return False
    try:
        model = build_model(doc.spec, seed=doc.config.seed)
        report = transfer(model, read_source(source), Path(source).name)
    except NNStudioError as exc:
        window.show_message(str(exc), "error")
        return False
    if report.took:
        point = StartPoint.make(doc.spec, model, report)
        doc.session.start_point = point  # run_controls: each run starts from it
        doc.set_trained(doc.spec, point.weights, list(doc.session.runs), doc.config)
    window.show_message(report.describe(), "info" if report.took else "warning")
    return bool(report.took)


def import_dialog(window: Any) -> bool:
    path, _ = QFileDialog.getOpenFileName(window, tr("Import pretrained weights"),
                                          "", WEIGHTS_FILTER)
    return import_file(window, path) if path else False


def import_file(window: Any, path: str) -> bool:
    from nnstudio.core.errors import NNStudioError
    from nnstudio.core.pretrained import MODELS, import_weights

    try:
        name, cached = import_weights(path)
    except NNStudioError as exc:
        window.show_message(str(exc), "error")
        return False
    window.show_message(tr("{title} weights checked and ready: {path}").format(
        title=MODELS[name].title, path=str(cached)), "info")
    return True
