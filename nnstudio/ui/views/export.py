"""Render views to PNG bytes for reports and tests (the core report has no Qt)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtWidgets import QWidget

REPORT_SIZE = QSize(1100, 700)  # a readable page width for a view that was never shown


def png_bytes(widget: QWidget, size: QSize | None = None) -> bytes:
    """The widget as PNG; a hidden tab is laid out at `size` first so it isn't tiny."""
    if size is not None and not widget.isVisible():
        widget.resize(size)
    refresh = getattr(widget, "draw", None)
    if callable(refresh):
        refresh()
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(array.data())


def render_views(views: dict[str, QWidget]) -> dict[str, bytes]:
    """{title: PNG bytes} for every view, in the given order."""
    return {title: png_bytes(view, REPORT_SIZE) for title, view in views.items()}
