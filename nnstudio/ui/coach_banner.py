"""The coach's banner: what went wrong in the run, the numbers, what to try.

Shown like the vanishing-gradient banner: one diagnosis at a time, the most important
first; a "why?" link opens its Learn more page; "Try the cure" makes the change as one
undo step through the document. The judging is the core's (`core/training/coach.py`,
`cures.py`); this widget only listens to the run's events and shows the result.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from nnstudio.core.training.coach import Coach
from nnstudio.core.training.coach_words import Diagnosis
from nnstudio.core.training.cures import cure
from nnstudio.core.training.events import Epoch, Finished, Started
from nnstudio.ui.messages import ui_language
from nnstudio.ui.provenance import BANNER_STYLE


class CoachBanner(QWidget):
    """Feed it the run's events (`on_event`); hidden while nothing is wrong."""

    sig_why = Signal(str)  # a diagnosis code: open its Learn more page
    sig_cured = Signal(str)  # a cure was applied (its label)

    def __init__(self, document: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coachBanner")
        self.document = document
        self.coach = Coach()
        self.current: Diagnosis | None = None
        self.label = QLabel(self)
        self.label.setObjectName("coachText")
        self.label.setWordWrap(True)
        self.label.setStyleSheet(BANNER_STYLE)
        self.label.linkActivated.connect(self._on_label_link_activated)
        self.cure_button = QPushButton(self.tr("Try the cure"), self)
        self.cure_button.setObjectName("coachCure")
        self.cure_button.clicked.connect(self._on_cure_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cure_button)
        self.hide()

    # --- the run --------------------------------------------------------------
    def on_event(self, event: Any) -> None:
        """Take one event of the run; re-judge at each epoch and at the end."""
        if isinstance(event, Started):
            loss = self.document.config.loss if self.document is not None else None
            self.coach = Coach(loss or "cross-entropy")
        self.coach.feed(event)
        if isinstance(event, Epoch | Finished | Started):
            self.show_diagnoses(self.coach.diagnoses())

    def show_diagnoses(self, diagnoses: list[Diagnosis]) -> None:
        """Show the first (most important) one, or hide."""
        self.current = diagnoses[0] if diagnoses else None
        if self.current is None:
            self.hide()
            return
        d, language = self.current, ui_language()
        more = len(diagnoses) - 1
        extra = self.tr(" (+{n} more)").format(n=more) if more else ""
        colon, stop = ("：", "。") if language == "zh" else (": ", ".")
        advice = d.advice(language)
        self.label.setText(
            f"<b>{html.escape(d.title(language))}</b>{html.escape(extra)}{colon}"
            f"{html.escape(d.because(language))}{stop}<br>"
            f"{html.escape(advice[:1].upper() + advice[1:])}{stop} "
            f"<a href='why:{d.code}'>{self.tr('Why?')}</a>")
        fix = self._cure()
        self.cure_button.setVisible(fix is not None)
        if fix is not None:
            self.cure_button.setToolTip(fix.text(language))
        self.show()

    def _cure(self):
        if self.current is None or self.document is None:
            return None
        return cure(self.current.code, self.document.spec, self.document.config)

    # --- the user ------------------------------------------------------------
    @Slot(str)
    def _on_label_link_activated(self, link: str) -> None:
        if link.startswith("why:"):
            self.sig_why.emit(link[4:])

    @Slot()
    def _on_cure_clicked(self) -> None:
        fix = self._cure()
        if fix is None:
            return
        label = fix.text(ui_language())
        self.document.edit(fix.spec, fix.config, self.tr("Coach: %1").replace(
            "%1", label))
        self.sig_cured.emit(label)
        self.hide()
