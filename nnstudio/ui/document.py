"""The Qt face of the core session: its change notices become signals.

`core.session.Session` owns the studio's state and rules (the network, settings,
chosen dataset, trained weights with their provenance, runs, undo). This adapter
only forwards: widgets call its methods (which call the session) and listen to its
signals; nothing here decides. `undo_stack` offers the part of QUndoStack's API the
Edit menu and the tests use, over the session's plain-Python history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction

from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import Preset
from nnstudio.core.network.shapes import ShapeReport
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import Project
from nnstudio.core.session import Session
from nnstudio.core.training.config import TrainConfig


class UndoStack(QObject):
    """QUndoStack's signals and calls over `Session.history` (undo, redo, clean)."""

    canUndoChanged = Signal(bool)  # noqa: N815 (QUndoStack's names)
    canRedoChanged = Signal(bool)  # noqa: N815
    undoTextChanged = Signal(str)  # noqa: N815
    redoTextChanged = Signal(str)  # noqa: N815
    cleanChanged = Signal(bool)  # noqa: N815
    indexChanged = Signal(int)  # noqa: N815

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._last: tuple = ()

    @property
    def _history(self) -> Any:
        return self._session.history

    def undo(self) -> None:
        self._session.undo()

    def redo(self) -> None:
        self._session.redo()

    def canUndo(self) -> bool:  # noqa: N802
        return self._history.can_undo

    def canRedo(self) -> bool:  # noqa: N802
        return self._history.can_redo

    def undoText(self) -> str:  # noqa: N802
        return self._history.undo_name()

    def redoText(self) -> str:  # noqa: N802
        return self._history.redo_name()

    def text(self, index: int) -> str:
        return self._history.name(index)

    def index(self) -> int:
        return self._history.index

    def count(self) -> int:
        return len(self._history)

    def isClean(self) -> bool:  # noqa: N802
        return self._history.clean

    def setClean(self) -> None:  # noqa: N802
        self._history.set_clean()
        self.changed()

    def clear(self) -> None:
        self._history.clear()
        self.changed()

    def createUndoAction(self, parent: QObject, prefix: str = "") -> QAction:  # noqa: N802
        return self._action(parent, prefix, self.undo, self.canUndo, self.undoText)

    def createRedoAction(self, parent: QObject, prefix: str = "") -> QAction:  # noqa: N802
        return self._action(parent, prefix, self.redo, self.canRedo, self.redoText)

    def _action(self, parent: QObject, prefix: str, slot, can, what) -> QAction:
        """An action that names the step it undoes ("&Undo Add ReLU")."""
        action = QAction(prefix, parent)
        action.triggered.connect(slot)

        def update(*_: Any) -> None:
            action.setEnabled(can())
            action.setText(f"{prefix} {what()}".strip() if can() else prefix)

        self.indexChanged.connect(update)
        update()
        return action

    def changed(self) -> None:
        """Tell listeners what changed since the last call (after every step)."""
        now = (
            self.canUndo(),
            self.canRedo(),
            self.undoText(),
            self.redoText(),
            self.isClean(),
            self.index(),
        )
        last = self._last or (None,) * len(now)
        self._last = now
        signals = (
            self.canUndoChanged,
            self.canRedoChanged,
            self.undoTextChanged,
            self.redoTextChanged,
            self.cleanChanged,
        )
        for signal, old, new in zip(signals, last, now, strict=False):
            if old != new:
                signal.emit(new)
        self.indexChanged.emit(now[-1])


class Document(QObject):
    """One open project. The window has exactly one; panels hold a reference."""

    sig_spec_changed = Signal(object)  # NetworkSpec, after any change of the network
    sig_config_changed = Signal(object)  # TrainConfig
    sig_checked = Signal(object)  # ShapeReport of the current spec against the data
    sig_dirty_changed = Signal(bool)
    sig_title_changed = Signal(str)  # project name
    sig_weights_changed = Signal()
    sig_loaded = Signal()  # the whole document was replaced (new, open, restore)
    sig_dataset_changed = Signal()  # what is known of the chosen dataset changed
    # network+data fingerprint (core.provenance) after any change of either; views
    # compare it with the stamp of the result they show
    sig_fingerprint_changed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, session: Session | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session or Session()
        self.undo_stack = UndoStack(self.session, self)
        self._shown = (self.session.spec, self.session.config, self.fingerprint)
        self._source: Any = None
        self.change_hint: tuple | None = None  # set while sig_spec_changed is emitted
        self.session.subscribe(self._on_session_change)

    # --- what the document is (all from the session) --------------------------------
    spec = property(lambda self: self.session.spec)
    config = property(lambda self: self.session.config)
    report: ShapeReport = property(lambda self: self.session.report)  # type: ignore
    path = property(lambda self: self.session.path)
    name = property(lambda self: self.session.name)
    dirty = property(lambda self: self.session.dirty)
    weights = property(lambda self: self.session.weights)
    history = property(lambda self: self.session.runs)
    revision = property(lambda self: self.session.revision)
    fingerprint = property(lambda self: self.session.fingerprint)

    @property
    def name_hint(self) -> str:
        return self.session.name_hint

    @name_hint.setter
    def name_hint(self, value: str) -> None:
        self.session.name_hint = value

    def to_project(self) -> Project:
        return self.session.to_project()

    # --- edits: the session makes each one undo step ----------------------------
    def edit(
        self, spec: NetworkSpec, config: TrainConfig, text: str, hint: Any = None
    ) -> None:
        self.session.edit(spec, config, text, hint)

    def set_spec(self, spec: NetworkSpec, text: str, hint: Any = None) -> None:
        self.session.set_spec(spec, text, hint)

    def set_config(self, config: TrainConfig, text: str) -> None:
        self.session.set_config(config, text)

    def replace_config_fields(self, text: str, **changes: Any) -> None:
        self.session.set_fields(text, **changes)

    def insert_layers(self, row: int, layers: list[LayerSpec]) -> None:
        self.session.insert_layers(row, layers)

    def insert_layer(self, row: int, layer: LayerSpec) -> None:
        self.session.insert_layers(row, [layer])

    def remove_layer(self, row: int) -> None:
        self.session.remove_layer(row)

    def duplicate_layer(self, row: int) -> None:
        self.session.duplicate_layer(row)

    def move_layer(self, src: int, dst: int) -> None:
        self.session.move_layer(src, dst)

    def replace_layer(self, row: int, layer: LayerSpec) -> None:
        self.session.replace_layer(row, layer)

    def apply_preset(self, preset: Preset) -> None:
        self.session.load_preset(preset.name)

    def choose_dataset(self, name: str, options: dict | None = None) -> None:
        """Use a dataset (one undo step); a path's shape comes with its loading."""
        self.session.choose_dataset(name, options, inspect=False)

    # --- results of training ----------------------------------------------------------
    def set_trained(
        self,
        spec: NetworkSpec,
        weights: dict[str, Any] | None,
        history: list[dict[str, Any]],
        config: TrainConfig | None = None,
    ) -> None:
        """Keep a run's weights for the network (and data) it trained on."""
        record = history[-1] if len(history) > len(self.session.runs) else None
        self.session.record_run(spec, config or self.config, weights, record)

    def clear_weights(self) -> None:
        self.session.clear_weights()

    # --- files ------------------------------------------------------------------------
    def new(self) -> None:
        self.session.new()

    def open(self, path: str | Path) -> None:
        """Load a project file; raises ProjectFileError/ConfigError with one line."""
        self.session.open(path)

    def load(
        self,
        project: Project,
        path: Path | None,
        name: str | None = None,
        dirty: bool = False,
    ) -> None:
        self.session.load(project, path, name=name, dirty=dirty)

    def save(self, path: str | Path | None = None) -> Path:
        """Save (atomically) to `path` or the current file; returns the path used."""
        return self.session.save(path)

    # --- session -> signals -----------------------------------------------------------
    def _on_session_change(self, change: str) -> None:
        handler = getattr(self, f"_emit_{change}", None)
        if handler is not None:
            handler()

    def _emit_state(self) -> None:
        spec, config = self.session.spec, self.session.config
        old_spec, old_config, _ = self._shown
        self._shown = (spec, config, self._shown[2])
        if spec != old_spec:
            self.change_hint = self.session.hint
            try:
                self.sig_spec_changed.emit(spec)
            finally:
                self.change_hint = None
        if config != old_config:
            self.sig_config_changed.emit(config)

    def _emit_checked(self) -> None:
        self.sig_checked.emit(self.session.report)
        now = self.fingerprint
        if now != self._shown[2]:
            self._shown = (*self._shown[:2], now)
            self.sig_fingerprint_changed.emit(now)

    def _emit_dataset(self) -> None:
        self.sig_dataset_changed.emit()

    def _emit_weights(self) -> None:
        self.sig_weights_changed.emit()

    def _emit_loaded(self) -> None:
        self._shown = (None, None, None)
        self.undo_stack.changed()
        self.sig_loaded.emit()

    def _emit_title(self) -> None:
        self.sig_title_changed.emit(self.name)

    def _emit_dirty(self) -> None:
        self.undo_stack.changed()
        self.sig_dirty_changed.emit(self.dirty)

    # --- what the data source reports goes to the session ---------------------------
    def watch(self, source: Any) -> None:
        """Tell the session what the window's DataSource loads, fails or is loading."""
        self._source = source
        source.sig_data_changed.connect(self._on_source_data_changed)
        source.sig_loading.connect(self._on_source_loading)
        source.sig_failed.connect(self._on_source_failed)

    @Slot(object)
    def _on_source_data_changed(self, data: Any) -> None:
        key = self._source.key
        if data is not None and key is not None:
            self.session.dataset_loaded(data, name=key[0])

    @Slot(str)
    def _on_source_loading(self, name: str) -> None:
        key = self._source.loading_key
        if name and key is not None:
            self.session.dataset_loading(key[0], dict(key[2]))

    @Slot(str)
    def _on_source_failed(self, message: str) -> None:
        key = self._source.key
        if key is not None:
            self.session.dataset_failed(key[0], message or self._source.error)
