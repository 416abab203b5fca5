"""The main window: lays out the panels and the menus; the panels own their wiring.

Built in two steps so the window paints before torch is imported: the constructor
makes only what needs no core (docks, view tabs with the curves, menu titles, status
bar); `finish_loading()` imports the core and fills the docks and menus.
`MainWindow()` does both at once; `run_app` shows the window in between.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnstudio.ui.frame_clock import FrameClock
from nnstudio.ui.icons import app_icon
from nnstudio.ui.messages import MessageBar, tr
from nnstudio.ui.settings import Settings
from nnstudio.ui.window_layout import DOCK_NAMES, WindowLayout
from nnstudio.ui.window_menus import WindowMenus

log = logging.getLogger(__name__)
STATUS_CHARS = 100  # the status bar repeats a message briefly; the bar holds it all
MIN_WIDTHS = (190, 330, 190, 330)  # names, cards and form labels readable, no clipping

class MainWindow(QMainWindow):
    """The studio; implements `ui.studio.Studio`, the context views are bound to."""

    sig_ready = Signal()  # the core is loaded and the panels are in place
    # installed once the menus are filled (install_learn_more / install_preferences)
    learn_more: Any = None
    preferences: Any = None

    def __init__(
        self,
        file: str | None = None,
        *,
        deferred: bool = False,
        devices: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setDockNestingEnabled(True)
        self.settings = Settings()
        self.frame_clock = FrameClock(self)
        self.controller: Any = None  # these four arrive with finish_loading
        self.data_source: Any = None
        self.curves: Any = None
        self.document: Any = None
        self.views: dict[str, QWidget] = {}
        self.ready = False
        self._closed = False
        self._build_central()
        self.layout_keeper = WindowLayout(self)
        self.docks = self.layout_keeper.docks
        self.menu_builder = WindowMenus(self)
        self.menus = self.menu_builder.menus
        self.status_label = QLabel(self.tr("Loading PyTorch…"), self)
        self.status_label.setObjectName("statusText")
        self.statusBar().addWidget(self.status_label, 1)
        self.setWindowTitle("nnstudio")
        self.layout_keeper.restore()
        self._pending_file = file
        if not deferred:
            self.finish_loading(file, devices)

    # --- skeleton (no torch) ----------------------------------------------------------
    def _build_central(self) -> None:
        self.message_bar = MessageBar(self)
        self.view_tabs = QTabWidget(self)
        self.view_tabs.setObjectName("viewTabs")
        self.view_tabs.setDocumentMode(True)
        self.view_tabs.currentChanged.connect(self._on_view_tabs_current_changed)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.view_tabs, 1)
        self.setCentralWidget(central)

    # --- the rest, once the core can be imported --------------------------------------
    def finish_loading(
        self, file: str | None = None, devices: list[tuple[str, str]] | None = None
    ) -> None:
        """Import the core, fill the docks and menus, open `file` or the default."""
        self._install_engine()
        self._install_panels(devices)
        self._install_views()
        self.menu_builder.fill()
        crashed = self.autosaver.crashed_session()
        self.autosaver.start()
        self.ready = True
        self.update_title()
        if file:
            self.files.open(file)
        self.select_view(self._preset_view())
        self.network_panel.editor.select_row(0)
        if crashed is not None:
            self.files.offer_restore(crashed)
        self.status_label.setText(self.tr("Ready"))
        self.sig_ready.emit()

    @Slot(object)
    def on_core_loaded(self, devices: Any) -> None:
        """The background import finished (run_app): fill the window in."""
        if not self.ready and not self._closed:
            self.finish_loading(self._pending_file, devices)

    def _install_engine(self) -> None:
        """The training controller, the data source and the live curves (pyqtgraph
        and numpy stay off the first paint too)."""
        from nnstudio.ui.curves import CurvesView
        from nnstudio.ui.data_source import DataSource
        from nnstudio.ui.training import TrainingController

        self.controller = TrainingController(self)
        self.data_source = DataSource(self)
        self.curves = CurvesView(self)
        self.view_tabs.insertTab(0, self.curves, self.tr("Curves"))
        self.controller.sig_state_changed.connect(self._on_controller_state_changed)

    def _install_panels(self, devices: list[tuple[str, str]] | None) -> None:
        from nnstudio.ui.autosave import AutoSaver, ProjectFiles
        from nnstudio.ui.document import Document
        from nnstudio.ui.layer_editor import LayerEditor
        from nnstudio.ui.palette import PalettePanel
        from nnstudio.ui.stack_view import NetworkPanel
        from nnstudio.ui.training_panel import TrainingPanel

        doc = self.document = Document(self)
        self.files = ProjectFiles(self)
        self.autosaver = AutoSaver(doc, self)
        self.autosaver.sig_failed.connect(self._on_autosave_failed)
        self.palette_panel = PalettePanel(self)
        self.network_panel = NetworkPanel(doc, self)
        self.layer_editor = LayerEditor(doc, self)
        self.training_panel = TrainingPanel(
            doc, self.controller, self.data_source, devices, self
        )
        widgets = (
            self.palette_panel,
            self.network_panel,
            self.layer_editor,
            self.training_panel,
        )
        for widget, width in zip(widgets, MIN_WIDTHS, strict=True):
            widget.setMinimumWidth(max(width, widget.minimumSizeHint().width()))
        properties = QScrollArea(self)  # a long description never pushes the dock
        properties.setWidgetResizable(True)
        properties.setFrameShape(QFrame.Shape.NoFrame)
        properties.setWidget(self.layer_editor)
        holders = (
            self.palette_panel,
            self.network_panel,
            properties,
            self.training_panel,
        )
        for name, widget in zip(DOCK_NAMES, holders, strict=True):
            old = self.docks[name].widget()
            self.docks[name].setWidget(widget)
            old.deleteLater()
        self.frame_clock.register(self.training_panel.run)
        for label in (
            self.training_panel.run.device_status,
            self.training_panel.run.state_status,
        ):
            self.statusBar().addPermanentWidget(label)
        self._wire_panels()

    def _wire_panels(self) -> None:
        doc = self.document
        self.palette_panel.palette.sig_add_requested.connect(
            self._on_palette_add_requested
        )
        self.network_panel.editor.sig_layer_selected.connect(
            self.layer_editor.show_layer
        )
        self.training_panel.run.sig_message.connect(self.show_message)
        self.training_panel.data_box.sig_data_message.connect(self._on_data_message)
        self.training_panel.run.sig_status.connect(self.status_label.setText)
        self.training_panel.run.sig_finished.connect(self._on_training_finished)
        doc.sig_title_changed.connect(self._on_document_title_changed)
        doc.sig_dirty_changed.connect(self._on_document_dirty_changed)
        doc.sig_loaded.connect(self._on_document_loaded)

    def _install_views(self) -> None:
        """The Predict tab and the "inside the network" views, where importable.
        Each gets the window as its `Studio` (ui/studio.py), never more."""
        self.curves.bind(self)
        try:
            from nnstudio.ui.predict_panel import PredictPanel

            self.predict_panel: Any = PredictPanel(self)
            self.add_view(self.predict_panel, self.tr("Predict"))
            self.predict_panel.bind(self)
        except Exception:  # noqa: BLE001 - a broken optional view must not stop the studio
            log.exception("the Predict panel is unavailable")
            self.predict_panel = None
        try:
            from nnstudio.ui.views import install_views

            self.views = dict(install_views(self, self.add_view))
        except Exception:  # noqa: BLE001
            log.exception("the live views are unavailable")
        self._install_backprop_lab()
        boundary = self.views.get("boundary")
        if boundary is not None:
            boundary.sig_retrain_requested.connect(self._on_boundary_retrain_requested)
        feature_maps = self.views.get("feature-maps")
        if feature_maps is not None and self.predict_panel is not None:
            self.predict_panel.sig_send_to_feature_maps.connect(
                feature_maps.show_drawing
            )

    def _install_backprop_lab(self) -> None:
        try:
            from nnstudio.ui.views.backprop_lab import BackpropLab

            lab = BackpropLab(self)
            self.add_view(lab, self.tr("Backprop lab"))
            lab.bind(self)
            self.views["backprop"] = lab
        except Exception:  # noqa: BLE001
            log.exception("the backprop lab is unavailable")

    # --- what views and tests use -----------------------------------------------------
    def add_view(self, widget: QWidget, title: str) -> int:
        """Add a view as a tab of the main area (the views bind themselves)."""
        return self.view_tabs.addTab(widget, title)

    def select_view(self, name: str) -> bool:
        widget = self.views.get(name) or (self.curves if name == "curves" else None)
        if widget is None:
            return False
        self.view_tabs.setCurrentWidget(widget)
        return True

    @property
    def data(self) -> Any:
        """The current dataset (core Data, CPU tensors), or None while it loads."""
        return self.data_source.data if self.data_source is not None else None

    def start_training(
        self, spec: Any = None, config: Any = None, data: Any = None
    ) -> bool:
        """Start a run of the document, or of a variant (Runs view, boundary)."""
        return self.training_panel.run.start_training(spec, config, data)

    def open_file(self, path: str | Path) -> bool:
        return self.files.open(path)

    def save_file(self, path: str | Path | None = None) -> bool:
        return self.files.save(path)

    def import_weights(self, path: str | Path | None = None) -> bool:
        """Put a state_dict (.pt/.pth, weights-only loading) or .safetensors file
        that fits the network into the project, as if it had been trained."""
        from nnstudio.core.errors import NNStudioError
        from nnstudio.core.project.weights import import_state_dict

        if self.controller.running:
            self.show_message(
                self.tr("Stop the training before importing weights."), "warning"
            )
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Import weights"),
                "",
                self.tr("Weights (*.pt *.pth *.safetensors)"),
            )
            if not path:
                return False
        doc = self.document
        try:
            weights = import_state_dict(path, doc.spec)
        except NNStudioError as exc:
            self.show_message(str(exc), "error")
            return False
        doc.set_trained(doc.spec, weights, doc.history)
        self.show_message(
            self.tr("Imported the weights of {name}.").format(name=Path(path).name)
        )
        return True

    def load_preset(self, name: str) -> bool:
        from nnstudio.core.network.presets import PRESETS

        if self.controller.running:
            self.show_message(
                self.tr("Stop the training before loading a preset."), "warning"
            )
            return False
        preset = PRESETS[name]
        self.document.apply_preset(preset)
        self.select_view(preset.view)
        return True

    def set_theme(self, name: str) -> None:
        from nnstudio.ui.app import apply_theme

        self.settings.set_theme(name)
        apply_theme(name)

    @Slot(str)
    def _on_autosave_failed(self, reason: str) -> None:
        bar = self.message_bar
        if bar.isVisible() and bar.last_level == "error":
            return  # e.g. Save just failed on the same disk: keep that, it says more
        self.show_message(
            self.tr(
                "Autosave failed: {reason}. Your work is still open; save it with "
                "File > Save."
            ).format(reason=reason),
            "warning",
        )

    @Slot(str)
    def _on_data_message(self, text: str) -> None:
        """A dataset's load failure; "" when another dataset loaded after it."""
        if text:
            retry = (self.tr("Retry"), self.training_panel.data_source.reload)
            self.message_bar.show_message(
                text, "error", actions=[retry], topic="dataset"
            )
            self.statusBar().showMessage(text[:STATUS_CHARS], 8000)
        else:
            self.message_bar.retract("dataset")
            if self.statusBar().currentMessage().startswith(self._data_failed_head()):
                self.statusBar().clearMessage()

    def _data_failed_head(self) -> str:
        return tr("The dataset could not be loaded: {m}").split("{m}")[0]

    def show_message(self, text: str, level: str = "info") -> None:
        self.message_bar.show_message(text, level)
        short = text if len(text) <= STATUS_CHARS else text[: STATUS_CHARS - 1] + "…"
        self.statusBar().showMessage(short, 8000)

    def update_title(self) -> None:
        self.setWindowTitle(f"{self.document.name}[*] — nnstudio")
        self.setWindowModified(self.document.dirty)

    def _preset_view(self) -> str:
        from nnstudio.core.network.presets import PRESETS

        preset = PRESETS.get(self.document.name)
        return preset.view if preset else "curves"

    # --- slots ------------------------------------------------------------------------
    @Slot(str)
    def _on_controller_state_changed(self, state: str) -> None:
        if state == "running" and not self.frame_clock.running:
            self.frame_clock.start()
        elif state == "idle":
            self.frame_clock.stop()

    @Slot(int)
    def _on_view_tabs_current_changed(self, index: int) -> None:
        self.frame_clock.poke()

    @Slot(str)
    def _on_palette_add_requested(self, kind: str) -> None:
        from nnstudio.core.network.layers import LayerSpec

        row = self.network_panel.editor.current_row()
        count = len(self.document.spec.layers)
        self.document.insert_layer(row + 1 if row >= 0 else count, LayerSpec(kind))

    @Slot(str)
    def _on_document_title_changed(self, name: str) -> None:
        self.update_title()

    @Slot(bool)
    def _on_document_dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)

    @Slot()
    def _on_document_loaded(self) -> None:
        self.update_title()
        self.network_panel.editor.select_row(0)
        history = self.document.history
        self.curves.load_history(history[-1].get("epochs", []) if history else [])
        from nnstudio.ui.studio import weights_fingerprint

        self.curves.stamp(weights_fingerprint(self.document) if history else None)
        self.frame_clock.poke()

    @Slot(object)
    def _on_training_finished(self, finished: Any) -> None:
        self.frame_clock.poke()

    @Slot(object)
    def _on_boundary_retrain_requested(self, data: Any) -> None:
        self.start_training(data=data)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Menu shortcuts also work when Qt's shortcut map is not consulted (no
        active window: offscreen, a remote session): a key nobody took ends here."""
        if self.menu_builder.trigger_shortcut(event):
            event.accept()
            return
        super().keyPressEvent(event)

    # --- closing ----------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        files = getattr(self, "files", None)
        if not self._closed and files is not None and not files.maybe_save():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the workers, autosave, remember the layout. Idempotent.

        Bounded so closing takes under a second whatever the batch: a worker still
        busy after CLOSE_JOIN_MS is abandoned (ui/training.py `exit_process`)."""
        from nnstudio.ui.training import CLOSE_JOIN_MS

        if self._closed:
            return
        self._closed = True
        self.frame_clock.stop()
        if self.controller is not None and not self.controller.shutdown(CLOSE_JOIN_MS):
            log.warning("the training thread did not stop in time")
        if self.data_source is not None:
            self.data_source.shutdown(CLOSE_JOIN_MS // 2)
        autosaver = getattr(self, "autosaver", None)
        if autosaver is not None:
            autosaver.end_session()
        self.settings.save_window(self.saveGeometry(), self.saveState())

    def make_action(
        self, text: str, slot: Any, shortcut: Any = None, tip: str = "", name: str = ""
    ) -> QAction:
        """An action of this window (panels make their menu entries with it)."""
        return self.menu_builder.make_action(text, slot, shortcut, tip, name)

    def restore_default_layout(self) -> None:
        """View > Restore Default Layout."""
        self.layout_keeper.restore_default()
