"""Step, Train N more epochs, the step table and the coach banner, added to the run
controls.

- Step (F10) runs exactly one batch while paused; the table shows its numbers and
  every view moves by that one step.
- "Train N more epochs" goes on from the kept weights with the current settings; the
  run history shows the continuation as part of the same run.
- The coach banner names what went wrong in the run (core/training/coach.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSpinBox

from nnstudio.core.project.files import Project
from nnstudio.core.training.events import StepDetail
from nnstudio.core.training.runs import continue_record
from nnstudio.ui.coach_banner import CoachBanner
from nnstudio.ui.step_table import StepTable

MORE_EPOCHS = 5  # what "Train N more epochs" offers first: a quick look further
MAX_MORE = 100_000


class StepControls(QObject):
    """Adds its widgets to `controls` (a RunControls) and drives them."""

    def __init__(self, controls: Any) -> None:
        super().__init__(controls)
        self.controls = controls
        self.document, self.controller = controls.document, controls.controller
        self.continuing = False
        self._make_widgets()
        self._place()
        self._connect()
        self.update_buttons()

    def _make_widgets(self) -> None:
        c = self.controls
        self.step_button = QPushButton(self.tr("Step"), c)
        self.step_button.setObjectName("stepButton")
        self.step_button.setToolTip(
            self.tr("While paused: run exactly one batch and show its numbers (F10)"))
        self.more_spin = QSpinBox(c)
        self.more_spin.setObjectName("moreEpochsSpin")
        self.more_spin.setRange(1, MAX_MORE)
        self.more_spin.setValue(MORE_EPOCHS)
        self.more_button = QPushButton(c)
        self.more_button.setObjectName("continueButton")
        self.more_button.setToolTip(self.tr(
            "Go on from the trained weights with the current settings; Train starts "
            "from scratch"))
        self._word_more(MORE_EPOCHS)
        self.table = StepTable(c)
        self.banner = CoachBanner(self.document, c)

    def _place(self) -> None:
        layout = self.controls.layout()
        buttons = layout.itemAt(0).layout()
        buttons.addWidget(self.step_button)
        more = QHBoxLayout()
        more.addWidget(self.more_button, 1)
        more.addWidget(self.more_spin)
        layout.insertLayout(1, more)
        layout.addWidget(self.table)
        layout.addWidget(self.banner)

    def _connect(self) -> None:
        ctl = self.controller
        self.step_button.clicked.connect(self._on_step_clicked)
        self.more_button.clicked.connect(self._on_more_clicked)
        self.more_spin.valueChanged.connect(self._word_more)
        ctl.sig_event.connect(self._on_controller_event)
        ctl.sig_state_changed.connect(self.update_buttons)
        ctl.sig_finished.connect(self._on_controller_finished)  # after RunControls'
        self.document.sig_weights_changed.connect(self.update_buttons)
        self.document.sig_checked.connect(self.update_buttons)
        self.banner.sig_why.connect(self._on_banner_why)

    def build_menu(self, menu: Any, make: Any) -> None:
        """Step (F10) and Train N more epochs in the Train menu."""
        self.step_action = make(self.tr("S&tep One Batch"), self._on_step_clicked,
                                "F10", name="stepAction")
        self.more_action = make(self.tr("Train &More Epochs"), self._on_more_clicked,
                                name="continueAction")
        menu.addActions([self.step_action, self.more_action])
        self.update_buttons()

    # --- state ----------------------------------------------------------------
    @Slot(int)
    def _word_more(self, n: int) -> None:
        self.more_button.setText(self.tr("Train {n} more epochs").format(n=n))

    @Slot()
    def update_buttons(self, *_: Any) -> None:
        paused = self.controller.state == "paused"
        more = self.can_continue()
        self.step_button.setEnabled(paused)
        self.more_button.setEnabled(more)
        for name, on in (("step_action", paused), ("more_action", more)):
            if hasattr(self, name):
                getattr(self, name).setEnabled(on)

    def can_continue(self) -> bool:
        return (not self.controller.running and self.document.weights is not None
                and self.controls.train_blocker() is None)

    # --- actions --------------------------------------------------------------
    @Slot()
    def _on_step_clicked(self) -> None:
        self.controller.step_once()

    @Slot()
    def _on_more_clicked(self) -> None:
        self.continue_training(self.more_spin.value())

    def continue_training(self, epochs: int) -> bool:
        """Train `epochs` more epochs from the kept weights (current settings)."""
        if not self.can_continue():
            return False
        doc = self.document
        model = Project(doc.spec, weights=doc.weights).model()
        config = doc.config.with_(epochs=epochs)
        data = self.controls.data_source.data
        self.continuing = self.controller.start(doc.spec, data, config, model=model)
        return self.continuing

    @Slot(object)
    def _on_controller_event(self, event: Any) -> None:
        if isinstance(event, StepDetail):
            self.table.show_detail(event)
        self.banner.on_event(event)

    @Slot(object)
    def _on_controller_finished(self, _finished: Any) -> None:
        """A continuation joins the run it continued: one record in the history."""
        session = self.document.session
        if self.continuing and len(session.runs) >= 2:
            *before, previous, more = session.runs
            session.runs = [*before, continue_record(previous, more)]
        self.continuing = False
        self.update_buttons()

    @Slot(str)
    def _on_banner_why(self, code: str) -> None:
        learn = getattr(self.controls.window(), "learn_more", None)  # not in tests
        if learn is not None:
            learn.show(code)
