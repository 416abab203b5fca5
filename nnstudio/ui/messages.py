"""What the window says: core problems and run outcomes worded in the UI language,
and the non-modal message bar that shows them.

Core objects carry both languages (`Problem.message(language)`); UI-only sentences go
through `QCoreApplication.translate` with plain literals so lupdate can find them.
Nothing here imports torch: the message bar is part of the first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from nnstudio.core.i18n import lang, text

ERROR_COLOR = "#d32f2f"  # the red of a bad card, the error bar and the Train reason
WARNING_COLOR = "#ef6c00"
_LEVEL_COLORS = {"info": "#1565c0", "warning": WARNING_COLOR, "error": ERROR_COLOR}


def tr(source: str) -> str:
    """Translate a UI sentence that does not live in a QObject method."""
    return QCoreApplication.translate("nnstudio", source)


def ui_language() -> str:
    """'en' or 'zh': the same choice the core makes (NNSTUDIO_LANG, then the locale)."""
    return lang()


def core_text(value: Any) -> str:
    """A bilingual core text (dict with 'en'/'zh') in the UI language."""
    return text(value, ui_language())


def problem_text(problem: Any) -> str:
    """A shape problem as one sentence that always names the layer it is about.

    The core's own wording is used; network-level problems pinned to a layer (the
    output width) get the "layer N Kind:" prefix so the user knows where to look.
    """
    message = problem.message(ui_language())
    if problem.index is None:
        return message
    pos = problem.index + 1
    if str(pos) in message and (problem.kind or "") in message:
        return message
    prefix = tr("layer {pos} {kind}").format(pos=pos, kind=problem.kind)
    return f"{prefix}: {message}"


def blocker_text(blocker: Any) -> str:
    """Why Train waits (a core `Blocker`), worded for the window: the CLI's advice
    ("use --device cpu") becomes what to do here."""
    code, data = blocker.code, blocker.data
    sentences = {
        "running": tr("a run is in progress"),
        "loading": tr("the dataset is still loading"),
        "no-data": tr("no dataset is loaded"),
    }
    if code in sentences:
        return sentences[code]
    if code == "problem":
        return problem_text(data["problem"])
    if code == "device-absent":
        return f"{data['what']} — {tr('choose CPU or Automatic in the Device box')}"
    return blocker.message


def finish_text(reason: str, message: str) -> str:
    """How a run ended, in one line for the status bar and the message bar."""
    heads = {
        "finished": tr("Training finished"),
        "stopped": tr("Training stopped"),
        "early-stopped": tr("Stopped early: validation loss stopped improving"),
        "failed": tr("Training failed"),
    }
    if not message:
        return heads.get(reason, reason)
    if reason == "failed" and not message.lower().startswith("training failed"):
        return f"{heads['failed']}: {message}"  # said once, even if the core says it
    return message[:1].upper() + message[1:]  # the core says it well: "finished 40…"


def format_duration(seconds: float) -> str:
    """0:05, 3:12, 1:02:03: an ETA a student reads at a glance."""
    if seconds != seconds or seconds < 0 or seconds == float("inf"):
        return "–"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class WrapLabel(QLabel):
    """A word-wrapped label that always gets the height its text needs.

    Dock widgets do not pass height-for-width down their layouts, so a plain wrapped
    QLabel there is cut after its first line.
    """

    def __init__(self, text: str = "", parent: Any = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        # measured with the font, not heightForWidth(), which is bounded by the
        # fixed height set last time and so could never shrink again
        width = self.width() if self.width() > 50 else self.sizeHint().width()
        margins = self.contentsMargins()
        inner = max(10, width - margins.left() - margins.right() - 2 * self.margin())
        rect = self.fontMetrics().boundingRect(
            QRect(0, 0, inner, 100_000), int(Qt.TextFlag.TextWordWrap), self.text()
        )
        extra = margins.top() + margins.bottom() + 2 * self.margin()
        height = rect.height() + extra if self.text() else 0
        if height != self.minimumHeight() or height != self.maximumHeight():
            self.setFixedHeight(height)  # exactly its lines: no gaps, no clipping


class MessageBar(QFrame):
    """A closable line above the views: errors from the worker, crash recovery offers.

    Never modal, so nothing the training thread reports can block the window (or a
    test). `last_text` and `last_level` keep what was said for tests and the log.
    """

    sig_closed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._label = QLabel(self)
        self._label.setObjectName("messageText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setToolTip(self.tr("Hide this message"))
        self._close.clicked.connect(self._on_close_clicked)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 4, 4)
        self._layout.addWidget(self._label, 1)
        self._layout.addWidget(self._close)
        self._buttons: list[QPushButton] = []
        self.last_text = ""
        self.last_level = ""
        self.last_topic = ""
        self.hide()

    def show_message(
        self,
        message: str,
        level: str = "info",
        actions: Sequence[tuple[str, Callable[[], None]]] = (),
        topic: str = "",
    ) -> None:
        """Show one message (replacing the previous one) with optional buttons.

        A `topic` ("dataset") lets whoever said it take it back with `retract`
        once it no longer holds (another dataset loaded).
        """
        self.last_text, self.last_level, self.last_topic = message, level, topic
        color = _LEVEL_COLORS.get(level, _LEVEL_COLORS["info"])
        self.setStyleSheet(
            f"#messageBar {{ border: 1px solid {color}; "
            f"border-left: 4px solid {color}; }}"
        )
        self._label.setText(message)
        self._label.setToolTip(message)
        self._set_actions(actions)
        self.show()

    def _set_actions(self, actions: Sequence[tuple[str, Callable[[], None]]]) -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        for label, callback in actions:
            button = QPushButton(label, self)
            button.clicked.connect(callback)
            button.clicked.connect(self._on_close_clicked)
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)

    def retract(self, topic: str) -> None:
        """Hide the message if it is about `topic` and still shown."""
        if topic and self.last_topic == topic and self.isVisible():
            self.hide()

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    @Slot()
    def _on_close_clicked(self) -> None:
        self.hide()
        self.sig_closed.emit()
