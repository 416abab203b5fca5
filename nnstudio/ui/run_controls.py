"""Train/Pause/Stop, the progress bar and the run's text, for the training panel.

Pause and Stop go straight to the TrainingController; Train is the panel's (it decides
whether a run may start). The device and state labels live in the window's status bar.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.ui.messages import ERROR_COLOR, WrapLabel, format_duration, tr
from nnstudio.ui.training import TrainingController

PROGRESS_STEPS = 1000  # progress bar resolution: fractions of the whole run
TEXT_S = 0.25  # numbers in text change at most 4 times a second: readable


class RunControls(QWidget):
    """The buttons, progress bar, run line and why-not-Train line under the settings."""

    sig_status = Signal(str)  # the run line (epoch, speed, ETA, outcome) for the bar

    def __init__(self, controller: TrainingController, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._last_text = 0.0
        self._make_buttons()
        self._make_labels()
        self._build_layout()
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(self.stop_run)

    def _make_buttons(self) -> None:
        self.train_button = QPushButton(self.tr("Train"), self)
        self.train_button.setObjectName("trainButton")
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(
            self.tr("Pause after this batch; click again to go on (F6)")
        )
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(
            self.tr("Stop after this batch and keep the weights (Shift+F5)")
        )

    def _make_labels(self) -> None:
        self.progress = QProgressBar(self)
        self.progress.setObjectName("trainProgress")
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.stats_label = WrapLabel(self.tr("Not trained yet"), self)
        self.stats_label.setObjectName("runStatsLabel")
        self.blocked_label = WrapLabel(parent=self)
        self.blocked_label.setObjectName("trainBlockedLabel")
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.device_status = QLabel(self)
        self.device_status.setObjectName("deviceStatus")
        self.state_status = QLabel(self.tr("Ready"), self)
        self.state_status.setObjectName("stateStatus")

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.stats_label)
        layout.addWidget(self.blocked_label)

    # --- the user -> the controller ---------------------------------------------------
    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        self.controller.pause(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))

    @Slot()
    def stop_run(self) -> None:
        """Stop after this batch (the Stop button and the Train menu's Stop)."""
        self.controller.stop()

    # --- showing the run --------------------------------------------------------------
    def show_train_blocker(self, blocker: str | None) -> None:
        """Enable what can be clicked now; say why Train can't start, if it can't."""
        running = self.controller.running
        self.train_button.setEnabled(not running and blocker is None)
        self.train_button.setToolTip(
            tr("Can't train: {why}").format(why=blocker)
            if blocker
            else self.tr("Train the network from fresh weights (F5)")
        )
        self.blocked_label.setText(
            tr("Can't train: {why}").format(why=blocker) if blocker else ""
        )
        self.blocked_label.setVisible(blocker is not None)
        active = self.controller.state in ("running", "paused")
        self.pause_button.setEnabled(active)
        self.stop_button.setEnabled(active)

    def show_state(self, state: str) -> None:
        """The controller's state in the status bar; Pause pops out when it ends."""
        names = {
            "idle": self.tr("Ready"),
            "running": self.tr("Training"),
            "paused": self.tr("Paused"),
            "stopping": self.tr("Stopping…"),
        }
        self.state_status.setText(names.get(state, state))
        if state in ("idle", "stopping") and self.pause_button.isChecked():
            self.pause_button.blockSignals(True)
            self.pause_button.setChecked(False)
            self.pause_button.setText(self.tr("Pause"))
            self.pause_button.blockSignals(False)

    def show_device(self, description: str) -> None:
        """'Device: …' in the status bar: the configured one, then the run's own."""
        self.device_status.setText(self.tr("Device: {d}").format(d=description))

    def show_starting(self) -> None:
        """An empty bar and 'Starting…' until the first step arrives."""
        self.progress.setValue(0)
        self.set_stats(self.tr("Starting…"))

    def show_progress(self) -> None:
        """The bar at the last step's place; epoch, speed and ETA at most 4 times/s."""
        ctl = self.controller
        step, started = ctl.last_step, ctl.started
        if step is None or started is None:
            return
        self.progress.setValue(
            int(PROGRESS_STEPS * min(1.0, step.progress / started.epochs))
        )
        now = time.monotonic()
        if now - self._last_text >= TEXT_S:
            self._last_text = now
            self.set_stats(
                self.tr("epoch {e}/{n} · {s} samples/s · ETA {t}").format(
                    e=min(started.epochs, int(step.progress) + 1),
                    n=started.epochs,
                    s=f"{step.samples_per_s:,.0f}",
                    t=format_duration(ctl.eta()),
                )
            )

    def fill_progress(self) -> None:
        """A run that ran to its end shows a full bar, whatever its last step said."""
        self.progress.setValue(self.progress.maximum())

    def set_stats(self, text: str) -> None:
        """The run line, here and (via `sig_status`) in the window's status bar."""
        self.stats_label.setText(text)
        self.sig_status.emit(text)
