"""Train, Pause, Stop: the run controls, the progress and the run line.

Whether Train may start is the session's decision (`Session.train_blocker`); this
part words it for the window, starts and steers the TrainingController, hands a
finished run's weights to the document, and keeps the run line honest: it speaks
of the last run only while that run's network and data are the current ones.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.provenance import fingerprint
from nnstudio.core.training.events import Epoch, Finished, Started, Step
from nnstudio.ui.data_source import DataSource
from nnstudio.ui.document import Document
from nnstudio.ui.messages import (
    ERROR_COLOR,
    WrapLabel,
    blocker_text,
    finish_text,
    format_duration,
    tr,
)
from nnstudio.ui.training import TrainingController
from nnstudio.ui.training_form import device_text

PROGRESS_STEPS = 1000  # progress bar resolution: fractions of the whole run
TEXT_S = 0.25  # numbers in text change at most 4 times a second: readable


class RunControls(QWidget):
    """objectName `runControls`; see the module docstring."""

    sig_message = Signal(str, str)  # text, level ("info" | "warning" | "error")
    sig_finished = Signal(object)  # Finished, after the document took the weights
    sig_status = Signal(str)  # the run line (epoch, speed, ETA, outcome) for the bar

    def __init__(
        self,
        document: Document,
        controller: TrainingController,
        data_source: DataSource,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runControls")
        self.document, self.controller, self.data_source = (
            document,
            controller,
            data_source,
        )
        self.dirty = False
        self._last_text = 0.0
        self._run_text = ""  # how the last run ended, for the run line
        self._run_fingerprint: str | None = None  # the network+data it trained
        self._run_progress = 0  # where its progress bar ended
        self._make_run_widgets()
        buttons = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.stats_label)
        layout.addWidget(self.blocked_label)
        self._connect()
        self.show_device(document.config)
        self.update_buttons()
        from nnstudio.ui.step_controls import StepControls  # Step, more epochs, coach

        self.step_controls = StepControls(self)

    def _make_run_widgets(self) -> None:
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

    def _connect(self) -> None:
        doc, src, ctl = self.document, self.data_source, self.controller
        self.train_button.clicked.connect(self._on_train_clicked)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        doc.sig_checked.connect(self.update_buttons)
        doc.sig_config_changed.connect(self.show_device)
        doc.sig_fingerprint_changed.connect(self._on_document_fingerprint_changed)
        src.sig_data_changed.connect(self.update_buttons)
        src.sig_loading.connect(self.update_buttons)
        src.sig_failed.connect(self.update_buttons)
        ctl.sig_state_changed.connect(self._on_controller_state_changed)
        ctl.sig_event.connect(self._on_controller_event)
        ctl.sig_finished.connect(self._on_controller_finished)

    @Slot(object)
    def show_device(self, config: Any) -> None:
        self.device_status.setText(
            self.tr("Device: {d}").format(d=device_text(config.device))
        )

    @Slot(str)
    def _on_document_fingerprint_changed(self, now: str) -> None:
        """The run line speaks of the last run only while its network and data are
        the current ones; undo back brings it back."""
        if self.controller.running or self._run_fingerprint is None:
            return
        if now == self._run_fingerprint:
            self.progress.setValue(self._run_progress)
            self._set_stats(self._run_text)
        else:
            self.progress.setValue(0)  # a full bar would claim this network trained
            self._set_stats(
                self.tr("Not trained yet: the last run was of another network or data")
            )

    # --- running ----------------------------------------------------------------------
    def train_blocker(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> str | None:
        """Why Train cannot start now, in one sentence; None when it can (the
        session decides, this words it for the window)."""
        src = self.data_source
        blocker = self.document.session.train_blocker(
            data if data is not None else src.data,
            spec=spec,
            config=config,
            running=self.controller.running,
            loading=src.loading,
        )
        return None if blocker is None else blocker_text(blocker)

    @Slot()
    def update_buttons(self) -> None:
        running = self.controller.running
        blocker = None if running else self.train_blocker()
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
        for name, on in (
            ("train_action", self.train_button.isEnabled()),
            ("pause_action", active),
            ("stop_action", active),
        ):
            if hasattr(self, name):
                getattr(self, name).setEnabled(on)

    def start_training(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> bool:
        """Start a run of the document (or of the given spec/config/data variant)."""
        blocker = self.train_blocker(spec, config, data)
        if blocker is not None:
            self.update_buttons()
            if spec is not None or data is not None:
                self.sig_message.emit(
                    tr("Can't train: {why}").format(why=blocker), "warning"
                )
            return False
        self.progress.setValue(0)
        self._set_stats(self.tr("Starting…"))
        doc = self.document
        spec, config = spec or doc.spec, config or doc.config
        point = doc.session.start_point  # File > Start from Weights…
        model = point.model_for(spec, config.seed) if point is not None else None
        return self.controller.start(
            spec, data or self.data_source.data, config, model
        )

    def _set_stats(self, text: str) -> None:
        self.stats_label.setText(text)
        self.sig_status.emit(text)

    def build_menu(self, menu: Any, make: Any) -> None:
        """The Train menu: the three buttons with their shortcuts (`make` makes an
        action: text, slot, shortcut, tip=, name=)."""
        self.train_action = make(
            self.tr("&Train"), lambda: self.start_training(), "F5", name="trainAction"
        )
        self.pause_action = make(
            self.tr("&Pause / Resume"),
            lambda: self.pause_button.toggle(),
            "F6",
            name="pauseAction",
        )
        self.stop_action = make(
            self.tr("&Stop"), self._on_stop_clicked, "Shift+F5", name="stopAction"
        )
        forget = make(
            self.tr("&Forget Trained Weights"),
            self.document.clear_weights,
            name="forgetWeightsAction",
            tip=self.tr("The next run and Predict start from untrained weights"),
        )
        menu.addActions([self.train_action, self.pause_action, self.stop_action])
        self.step_controls.build_menu(menu, make)
        menu.addSeparator()
        menu.addAction(forget)
        self.update_buttons()

    @Slot()
    def _on_train_clicked(self) -> None:
        self.start_training()

    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        self.controller.pause(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))

    @Slot()
    def _on_stop_clicked(self) -> None:
        self.controller.stop()

    @Slot(str)
    def _on_controller_state_changed(self, state: str) -> None:
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
        self.update_buttons()

    @Slot(object)
    def _on_controller_event(self, event: Any) -> None:
        if isinstance(event, Started):
            self.device_status.setText(self.tr("Device: {d}").format(d=event.device))
        if isinstance(event, Step | Epoch | Started):
            self.dirty = True

    def refresh(self) -> None:
        """FrameClock: the progress bar every frame, numbers at most 4 times/s."""
        self.dirty = False
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
            self._set_stats(
                self.tr("epoch {e}/{n} · {s} samples/s · ETA {t}").format(
                    e=min(started.epochs, int(step.progress) + 1),
                    n=started.epochs,
                    s=f"{step.samples_per_s:,.0f}",
                    t=format_duration(ctl.eta()),
                )
            )

    @Slot(object)
    def _on_controller_finished(self, finished: Finished) -> None:
        ctl = self.controller
        if finished.reason in ("finished", "early-stopped"):
            self.progress.setValue(self.progress.maximum())
        else:
            self.refresh()
        self._run_text = finish_text(finished.reason, finished.message)
        self._run_progress = self.progress.value()
        self._run_fingerprint = (
            None
            if ctl.spec is None or ctl.config is None
            else fingerprint(ctl.spec, ctl.config.dataset, ctl.config.dataset_options)
        )
        self._set_stats(self._run_text)
        if ctl.spec is not None:
            self.document.set_trained(
                ctl.spec,
                finished.weights,
                [*self.document.history, ctl.record()],
                config=ctl.config,
            )
        if finished.reason == "failed":
            self.sig_message.emit(
                finish_text(finished.reason, finished.message), "error"
            )
        self.update_buttons()
        self.sig_finished.emit(finished)
