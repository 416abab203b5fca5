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

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnstudio.ui.frame_clock import FrameClock
from nnstudio.ui.icons import app_icon
from nnstudio.ui.messages import MessageBar, core_text, tr
from nnstudio.ui.settings import Settings

log = logging.getLogger(__name__)
DEFAULT_SIZE = (1440, 900)
FRAME_ALLOWANCE = (16, 40)  # title bar and borders the window manager adds around us
STATUS_CHARS = 100  # the status bar repeats a message briefly; the bar holds it all
MIN_WIDTHS = (190, 330, 190, 330)  # names, cards and form labels readable, no clipping
# Used where the platform theme defines no standard key (e.g. Quit on some desktops)
FALLBACK_KEYS = {
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.FullScreen: "F11",
    QKeySequence.StandardKey.HelpContents: "F1",
    QKeySequence.StandardKey.SaveAs: "Ctrl+Shift+S",
}
DOCK_NAMES = (
    "layerPaletteDock",
    "networkEditorDock",
    "layerPropertiesDock",
    "trainingPanelDock",
)


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
        self.docks = {name: self._make_dock(name) for name in DOCK_NAMES}
        self._arrange_docks()
        self._build_menus()
        self.status_label = QLabel(self.tr("Loading PyTorch…"), self)
        self.status_label.setObjectName("statusText")
        self.statusBar().addWidget(self.status_label, 1)
        self.setWindowTitle("nnstudio")
        self._restore_layout()
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

    def _dock_title(self, name: str) -> str:
        return {
            "layerPaletteDock": self.tr("Layers"),
            "networkEditorDock": self.tr("Network"),
            "layerPropertiesDock": self.tr("Properties"),
            "trainingPanelDock": self.tr("Data and training"),
        }[name]

    def _make_dock(self, name: str) -> QDockWidget:
        dock = QDockWidget(self._dock_title(name), self)
        dock.setObjectName(name)
        placeholder = QLabel(self.tr("Loading PyTorch…"), dock)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dock.setWidget(placeholder)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _arrange_docks(self) -> None:
        """Two columns on the left: palette over properties, network over training."""
        d = self.docks
        self.splitDockWidget(
            d["layerPaletteDock"], d["networkEditorDock"], Qt.Orientation.Horizontal
        )
        self.splitDockWidget(
            d["layerPaletteDock"], d["layerPropertiesDock"], Qt.Orientation.Vertical
        )
        self.splitDockWidget(
            d["networkEditorDock"], d["trainingPanelDock"], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [d["layerPaletteDock"], d["networkEditorDock"]],
            [230, 400],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks(
            [d["networkEditorDock"], d["trainingPanelDock"]],
            [340, 520],
            Qt.Orientation.Vertical,
        )
        self.resizeDocks(
            [d["layerPaletteDock"], d["layerPropertiesDock"]],
            [440, 420],
            Qt.Orientation.Vertical,
        )

    def _build_menus(self) -> None:
        """Menu titles now (the bar paints at once); their entries in finish_loading."""
        self.menus: dict[str, QMenu] = {}
        titles = (
            ("file", self.tr("&File")),
            ("edit", self.tr("&Edit")),
            ("view", self.tr("&View")),
            ("presets", self.tr("&Presets")),
            ("train", self.tr("&Train")),
            ("help", self.tr("&Help")),
        )
        for key, title in titles:
            menu = self.menuBar().addMenu(title)
            menu.setObjectName(f"{key}Menu")
            menu.setToolTipsVisible(True)
            self.menus[key] = menu

    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        self._fit_screen()
        self._default_state = self.saveState()
        if state is not None:
            self.restoreState(state)

    def _fit_screen(self) -> None:
        """Never larger than the screen's free area (a 1366x768 laptop had Train
        and the status bar off screen), whatever the default or the saved size."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        width, height = fit_size(
            (self.width(), self.height()), (area.width(), area.height())
        )
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
            self.move(area.topLeft())

    def restore_default_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state)

    # --- the rest, once the core can be imported --------------------------------------
    def finish_loading(
        self, file: str | None = None, devices: list[tuple[str, str]] | None = None
    ) -> None:
        """Import the core, fill the docks and menus, open `file` or the default."""
        self._install_engine()
        self._install_panels(devices)
        self._install_views()
        self._fill_menus()
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
        from nnstudio.ui.training import DataSource, TrainingController

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

    def _fill_menus(self) -> None:
        self.files.build_menu(self.menus["file"])
        from nnstudio.ui.export_menu import install_export_menu

        self._add_import_weights(self.menus["file"])
        install_export_menu(self)
        from nnstudio.ui.finetune_actions import install_finetune_actions

        install_finetune_actions(self)  # Start from Weights…, Import Pretrained…
        self.network_panel.build_menu(self.menus["edit"])
        self._fill_view_menu(self.menus["view"])
        self._fill_presets_menu(self.menus["presets"])
        self.training_panel.build_menu(self.menus["train"], self.make_action)
        self._fill_help_menu(self.menus["help"])
        from nnstudio.ui.learn_more import install_learn_more
        from nnstudio.ui.preferences import install_preferences

        install_preferences(self)
        install_learn_more(self)

    def _add_import_weights(self, menu: QMenu) -> None:
        """File > Import Weights…, above Export (the exported scripts point here)."""
        action = self.make_action(
            self.tr("&Import Weights…"),
            lambda: self.import_weights(),
            tip=self.tr(
                "Load trained weights (.pt, .pth or .safetensors) into this network"
            ),
            name="importWeightsAction",
        )
        separators = [a for a in menu.actions() if a.isSeparator()]
        if separators:
            menu.insertAction(separators[-1], action)
        else:
            menu.addAction(action)

    def _fill_view_menu(self, menu: QMenu) -> None:
        for i, name in enumerate(DOCK_NAMES, start=1):
            action = self.docks[name].toggleViewAction()
            action.setShortcut(QKeySequence(f"Ctrl+{i}"))
            menu.addAction(action)
        menu.addAction(
            self.make_action(
                self.tr("Restore &Default Layout"), self.restore_default_layout
            )
        )
        menu.addSeparator()
        menu.addAction(self.curves.log_action)
        themes = menu.addMenu(self.tr("&Theme"))
        names = {
            "system": self.tr("System"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for key, label in names.items():
            themes.addAction(
                self.make_action(
                    label, lambda _=False, k=key: self.set_theme(k), name=f"theme_{key}"
                )
            )
        full = self.make_action(
            self.tr("&Full Screen"),
            self._on_full_screen_triggered,
            QKeySequence.StandardKey.FullScreen,
        )
        menu.addAction(full)

    def _fill_presets_menu(self, menu: QMenu) -> None:
        """Grouped by lesson (a section per group); each preset shows its one-line
        description under its name."""
        from nnstudio.core.network.presets import PRESET_GROUPS, presets_by_group
        from nnstudio.ui.preset_menu import preset_entry

        for group, presets in presets_by_group():
            menu.addSection(core_text(PRESET_GROUPS.get(group, group)))
            for p in presets:
                menu.addAction(preset_entry(
                    menu, p.name, core_text(p.description),
                    lambda _=False, n=p.name: self.load_preset(n), f"preset_{p.name}"))

    def _fill_help_menu(self, menu: QMenu) -> None:
        menu.addAction(
            self.make_action(
                self.tr("&About nnstudio"),
                self._on_about,
                QKeySequence.StandardKey.HelpContents,
            )
        )

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
        from nnstudio.core.project.files import import_state_dict

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

    @Slot()
    def _on_full_screen_triggered(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    @Slot()
    def _on_about(self) -> None:
        from nnstudio import __version__

        QMessageBox.about(
            self,
            self.tr("About nnstudio"),
            self.tr(
                "<b>nnstudio {v}</b><p>Build, train and look inside neural networks "
                "with real PyTorch.</p>"
            ).format(v=__version__),
        )

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Menu shortcuts also work when Qt's shortcut map is not consulted (no
        active window: offscreen, a remote session): a key nobody took ends here."""
        pressed = QKeySequence(event.keyCombination())
        for menu in self.menus.values():
            for action in _all_actions(menu):
                if action.isEnabled() and pressed in action.shortcuts():
                    action.trigger()
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
        action = QAction(text, self)
        if shortcut is not None:
            keys = QKeySequence(shortcut)
            if keys.isEmpty() and isinstance(shortcut, QKeySequence.StandardKey):
                keys = QKeySequence(FALLBACK_KEYS.get(shortcut, ""))
            action.setShortcut(keys)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        return action


def fit_size(wanted: tuple[int, int], available: tuple[int, int]) -> tuple[int, int]:
    """The window size: `wanted`, shrunk to the available screen area less the frame
    the window manager adds (title bar, borders)."""
    frame_w, frame_h = FRAME_ALLOWANCE
    return (
        max(1, min(wanted[0], available[0] - frame_w)),
        max(1, min(wanted[1], available[1] - frame_h)),
    )


def _all_actions(menu: QMenu) -> list[QAction]:
    """The actions of a menu and of its submenus."""
    found = []
    for action in menu.actions():
        found += _all_actions(action.menu()) if action.menu() else [action]
    return found
