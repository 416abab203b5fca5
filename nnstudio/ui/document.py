"""The project document: spec, training settings, weights, history, file, undo.

Every edit of the network or its settings is a QUndoCommand that swaps the whole
(spec, config) pair, because both are frozen dataclasses: undo is exact, and the spec
handed to the training thread can never change under it. After each swap the shapes
are checked once and everyone is told (`sig_checked`).

Weights belong to the architecture they were trained on; they are kept while the
spec changes and come back when an undo returns to that architecture.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import DEFAULT_PRESET, PRESETS, Preset
from nnstudio.core.network.shapes import ShapeReport, check
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.project.files import EXTENSION, Project, load_project, save_project
from nnstudio.core.provenance import fingerprint
from nnstudio.core.training.config import TrainConfig
from nnstudio.ui.messages import tr

UNTITLED = "untitled"


def _inverse(hint: tuple | None) -> tuple | None:
    """The structural change that undoes `hint` (insert <-> remove, move back)."""
    if not hint:
        return None
    if hint[0] == "insert":
        return ("remove", hint[1])
    if hint[0] == "remove":
        return ("insert", hint[1])
    if hint[0] == "move":
        return ("move", hint[2], hint[1])
    return None


class SetStateCommand(QUndoCommand):
    """Replace (spec, config) with another pair; undo puts the old pair back.

    `hint` names the structural change ("insert", row) / ("remove", row) /
    ("move", src, dst) so the list model can tell a duplicate's copy from its source.
    """

    def __init__(
        self,
        doc: Document,
        after: tuple[NetworkSpec, TrainConfig],
        text: str,
        hint: tuple | None = None,
    ) -> None:
        super().__init__(text)
        self._doc = doc
        self._before = (doc.spec, doc.config)
        self._after = after
        self._hint = hint

    def redo(self) -> None:
        self._doc._apply(*self._after, hint=self._hint)

    def undo(self) -> None:
        self._doc._apply(*self._before, hint=_inverse(self._hint))


def _arch(spec: NetworkSpec | None) -> Any:
    return None if spec is None else (spec.input_shape, spec.layers)


class Document(QObject):
    """One open project. The window has exactly one; panels hold a reference."""

    sig_spec_changed = Signal(object)  # NetworkSpec, after any change of the network
    sig_config_changed = Signal(object)  # TrainConfig
    sig_checked = Signal(object)  # ShapeReport of the current spec
    sig_dirty_changed = Signal(bool)
    sig_title_changed = Signal(str)  # project name
    sig_weights_changed = Signal()
    sig_loaded = Signal()  # the whole document was replaced (new, open, restore)
    # network+data fingerprint (core.provenance) after any change of either; views
    # compare it with the stamp of the result they show
    sig_fingerprint_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        preset = PRESETS[DEFAULT_PRESET]
        self.spec: NetworkSpec = preset.spec
        self.config: TrainConfig = preset.train_config()
        self.path: Path | None = None
        self.name_hint = preset.name
        self.history: list[dict[str, Any]] = []
        self.num_outputs: int | None = None
        self.revision = 0  # bumped on every change; autosave compares it
        self.change_hint: tuple | None = None  # set while sig_spec_changed is emitted
        self._weights: dict[str, Any] | None = None
        self._weights_arch: Any = None
        self._weights_dirty = False
        self.report: ShapeReport = check(self.spec, loss=self.config.loss)

    # --- what the document is ---------------------------------------------------------
    @property
    def name(self) -> str:
        return self.path.stem if self.path else self.name_hint

    @property
    def fingerprint(self) -> str:
        """The current network and data (core.provenance.fingerprint)."""
        return fingerprint(self.spec, self.config.dataset, self.config.dataset_options)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean() or self._weights_dirty

    @property
    def weights(self) -> dict[str, Any] | None:
        """Trained weights if they fit the current network, else None."""
        return self._weights if self._weights_arch == _arch(self.spec) else None

    def to_project(self) -> Project:
        return Project(
            self.spec, self.config.to_dict(), self.weights, list(self.history)
        )

    # --- edits (each one undoable) ----------------------------------------------------
    def edit(
        self,
        spec: NetworkSpec,
        config: TrainConfig,
        text: str,
        hint: tuple | None = None,
    ) -> None:
        if spec == self.spec and config == self.config:
            return
        self.undo_stack.push(SetStateCommand(self, (spec, config), text, hint))

    def set_spec(self, spec: NetworkSpec, text: str, hint: tuple | None = None) -> None:
        self.edit(spec, self.config, text, hint)

    def set_config(self, config: TrainConfig, text: str) -> None:
        self.edit(self.spec, config, text)

    def insert_layers(self, row: int, layers: list[LayerSpec]) -> None:
        spec = self.spec
        for offset, layer in enumerate(layers):
            spec = spec.insert(row + offset, layer)
        hint = ("insert", row) if len(layers) == 1 else None
        self.set_spec(spec, tr("Add {kind}").format(kind=layers[0].kind), hint)

    def insert_layer(self, row: int, layer: LayerSpec) -> None:
        self.insert_layers(row, [layer])

    def remove_layer(self, row: int) -> None:
        kind = self.spec.layers[row].kind
        self.set_spec(
            self.spec.remove(row),
            tr("Delete {kind}").format(kind=kind),
            ("remove", row),
        )

    def duplicate_layer(self, row: int) -> None:
        layer = self.spec.layers[row]
        text = tr("Duplicate {kind}").format(kind=layer.kind)
        self.set_spec(self.spec.insert(row + 1, layer), text, ("insert", row + 1))

    def move_layer(self, src: int, dst: int) -> None:
        if src == dst:
            return
        kind = self.spec.layers[src].kind
        self.set_spec(
            self.spec.move(src, dst),
            tr("Move {kind}").format(kind=kind),
            ("move", src, dst),
        )

    def replace_layer(self, row: int, layer: LayerSpec) -> None:
        text = tr("Change {kind}").format(kind=layer.kind)
        self.set_spec(self.spec.replace_layer(row, layer), text)

    def set_dataset(self, name: str, input_shape: tuple[int, ...] | None) -> None:
        """Choose a dataset; its input shape becomes the network's (one undo step)."""
        config = self.config.with_(dataset=name)
        spec = self.spec.with_input_shape(input_shape) if input_shape else self.spec
        self.edit(spec, config, tr("Use dataset {name}").format(name=name))

    def apply_preset(self, preset: Preset) -> None:
        """Load a preset's network, dataset and settings as one undoable step."""
        self.name_hint = preset.name if self.path is None else self.name_hint
        self.edit(
            preset.spec,
            preset.train_config(),
            tr("Load preset {name}").format(name=preset.name),
        )
        self.sig_title_changed.emit(self.name)

    def set_num_outputs(self, count: int | None) -> None:
        """What the data needs from the last layer; re-checks when it changes."""
        if count != self.num_outputs:
            self.num_outputs = count
            self._recheck()

    def _apply(
        self, spec: NetworkSpec, config: TrainConfig, hint: tuple | None = None
    ) -> None:
        spec_changed, config_changed = spec != self.spec, config != self.config
        self.spec, self.config = spec, config
        self.revision += 1
        self._recheck()
        if spec_changed:
            self.change_hint = hint
            self.sig_spec_changed.emit(spec)
            self.change_hint = None
        if config_changed:
            self.sig_config_changed.emit(config)
        self.sig_checked.emit(self.report)
        if spec_changed or config_changed:
            self.sig_fingerprint_changed.emit(self.fingerprint)

    def _recheck(self) -> None:
        self.report = check(
            self.spec, num_outputs=self.num_outputs, loss=self.config.loss
        )

    def recheck(self) -> None:
        self._recheck()
        self.sig_checked.emit(self.report)

    # --- results of training ----------------------------------------------------------
    def set_trained(
        self,
        spec: NetworkSpec,
        weights: dict[str, Any] | None,
        history: list[dict[str, Any]],
    ) -> None:
        """Keep the weights of a finished (or stopped) run for the spec it trained."""
        if weights is None:
            return
        self._weights, self._weights_arch = weights, _arch(spec)
        self.history = list(history)
        self._weights_dirty = True
        self.revision += 1
        self.sig_weights_changed.emit()
        self.sig_dirty_changed.emit(True)

    def clear_weights(self) -> None:
        if self._weights is not None:
            self._weights, self._weights_arch = None, None
            self._weights_dirty = True
            self.revision += 1
            self.sig_weights_changed.emit()
            self.sig_dirty_changed.emit(self.dirty)

    # --- files ------------------------------------------------------------------------
    def new(self) -> None:
        preset = PRESETS[DEFAULT_PRESET]
        self.load(
            Project(preset.spec, preset.train_config().to_dict()),
            None,
            name=preset.name,
        )

    def open(self, path: str | Path) -> None:
        """Load a project file; raises ProjectFileError/ConfigError with one line."""
        project = load_project(path)
        self.load(project, Path(path))

    def load(
        self,
        project: Project,
        path: Path | None,
        name: str | None = None,
        dirty: bool = False,
    ) -> None:
        config = (
            TrainConfig.from_dict(project.config) if project.config else TrainConfig()
        )
        self.undo_stack.clear()
        self.path = path
        self.name_hint = name or (path.stem if path else UNTITLED)
        self.history = list(project.history)
        self._weights = project.weights
        self._weights_arch = (
            _arch(project.spec) if project.weights is not None else None
        )
        self._weights_dirty = dirty
        self.spec, self.config = project.spec, config
        self.revision += 1
        self._recheck()
        self.sig_loaded.emit()
        self.sig_spec_changed.emit(self.spec)
        self.sig_config_changed.emit(self.config)
        self.sig_checked.emit(self.report)
        self.sig_fingerprint_changed.emit(self.fingerprint)
        self.sig_weights_changed.emit()
        self.sig_title_changed.emit(self.name)
        self.sig_dirty_changed.emit(self.dirty)

    def save(self, path: str | Path | None = None) -> Path:
        """Save (atomically) to `path` or the current file; returns the path used."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name: use save(path)")
        if target.suffix.lower() != EXTENSION:
            target = target.with_name(target.name + EXTENSION)
        save_project(target, self.to_project())
        self.path = target
        self._weights_dirty = False
        self.undo_stack.setClean()
        self.sig_title_changed.emit(self.name)
        self.sig_dirty_changed.emit(False)
        return target

    def replace_config_fields(self, text: str, **changes: Any) -> None:
        """Change some TrainConfig fields (one undo step), ignoring unknown names."""
        known = {f.name for f in dataclasses.fields(TrainConfig)}
        self.set_config(
            self.config.with_(**{k: v for k, v in changes.items() if k in known}), text
        )

    @Slot(bool)
    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.sig_dirty_changed.emit(self.dirty)
