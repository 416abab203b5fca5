"""File > Export: the network as a PyTorch script, ONNX, weights or the spec JSON.

The core's `export` picks the format from the extension; this module only asks where.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

from nnstudio.ui.messages import tr


def _formats() -> list[tuple[str, str, str, str]]:
    """(menu text, file filter, extension, objectName) per format."""
    return [
        (
            tr("PyTorch &Script…"),
            tr("Python script (*.py)"),
            ".py",
            "exportScriptAction",
        ),
        (tr("&ONNX Model…"), tr("ONNX model (*.onnx)"), ".onnx", "exportOnnxAction"),
        (
            tr("&Weights (safetensors)…"),
            tr("safetensors weights (*.safetensors)"),
            ".safetensors",
            "exportWeightsAction",
        ),
        (
            tr("Network &Spec (JSON)…"),
            tr("JSON spec (*.json)"),
            ".json",
            "exportJsonAction",
        ),
    ]


def install_export_menu(window: Any) -> QMenu:
    """Add File > Export before the File menu's last separator (above Quit)."""
    file_menu: QMenu = window.menus["file"]
    menu = QMenu(tr("&Export"), file_menu)
    menu.setObjectName("exportMenu")
    for text, filter_, ext, name in _formats():
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(
            lambda _=False, f=filter_, e=ext: export_with_dialog(window, f, e)
        )
    separators = [a for a in file_menu.actions() if a.isSeparator()]
    before = separators[-1] if separators else None
    file_menu.insertMenu(before, menu) if before else file_menu.addMenu(menu)
    return menu


def export_with_dialog(window: Any, filter_: str, ext: str) -> None:
    default = f"{window.document.name or 'network'}{ext}"
    path, _ = QFileDialog.getSaveFileName(window, tr("Export"), default, filter_)
    if path:
        export_to(window, path if path.endswith(ext) else path + ext)


def export_to(window: Any, path: str) -> bool:
    """Export the open project to `path`; errors become a message in the window."""
    from nnstudio.core.errors import NNStudioError
    from nnstudio.core.export.formats import export

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # ONNX takes seconds
    try:
        export(window.document.to_project(), path, data=window.data)
    except NNStudioError as exc:
        window.show_message(tr("Export failed: {reason}").format(reason=exc), "error")
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    window.show_message(tr("Exported to {path}").format(path=path))
    return True
