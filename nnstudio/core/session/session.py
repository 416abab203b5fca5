"""`Session`: one open project's state and the studio's rules (see __init__).

Every user action is one undo step; the rules live here, not in widgets: choosing a
dataset (input shape, a loss that fits its task, the stack's problems against it),
presets and projects, one-click fixes, whether training may start and why not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nnstudio.core.errors import NNStudioError
from nnstudio.core.i18n import Text
from nnstudio.core.network.fixes import Fix, fixes_for
from nnstudio.core.network.layers import LayerSpec
from nnstudio.core.network.presets import DEFAULT_PRESET, get_preset
from nnstudio.core.network.shapes import ShapeReport, check
from nnstudio.core.network.spec import NetworkSpec
from nnstudio.core.pretrained import adapt_data
from nnstudio.core.project.files import (
    EXTENSION,
    Project,
    load_project,
    save_project,
)
from nnstudio.core.project.files import data_info as files_data_info
from nnstudio.core.provenance import data_fingerprint, fingerprint, network_fingerprint
from nnstudio.core.session.facts import (
    Blocker,
    DatasetFacts,
    SessionProblem,
    State,
    Trained,
    facts_from_data,
    facts_from_registry,
)
from nnstudio.core.session.rules import blocker, fitted, inverse, is_quick
from nnstudio.core.session.text import step_name
from nnstudio.core.session.undo import Step, UndoHistory
from nnstudio.core.training.config import TrainConfig

UNTITLED = "untitled"
# what listeners are told; the Qt Document maps each to a signal
CHANGES = ("state", "checked", "dataset", "weights", "loaded", "title", "dirty")


class Session:
    """One open project; see the module docstring."""

    def __init__(self, preset: str = DEFAULT_PRESET) -> None:
        chosen = get_preset(preset)
        self._state = State(chosen.spec, chosen.train_config())
        self.history: UndoHistory[State] = UndoHistory()
        self.path: Path | None = None
        self.name_hint = chosen.name
        self.runs: list[dict[str, Any]] = []
        self.data: Any = None  # the loaded Data of the chosen dataset, if loaded
        self._facts: dict[str, DatasetFacts] = {}
        self._trained: Trained | None = None
        # weights the next runs start from (File > Start from Weights…), or None
        self.start_point: Any = None
        self._weights_dirty = False
        self._listeners: list[Callable[[str], None]] = []
        self.hint: tuple | None = None  # structural hint of the change being told
        self.revision = 0  # bumped on every change; autosave compares it
        self._report = self._check()

    # --- listening --------------------------------------------------------------------
    def subscribe(self, listener: Callable[[str], None]) -> None:
        """`listener(change)` after each change; `change` is one of CHANGES."""
        self._listeners.append(listener)

    def _tell(self, *changes: str) -> None:
        for change in changes:
            for listener in list(self._listeners):
                listener(change)

    # --- what the session is ----------------------------------------------------------
    @property
    def spec(self) -> NetworkSpec:
        return self._state.spec

    @property
    def config(self) -> TrainConfig:
        return self._state.config

    @property
    def dataset(self) -> str:
        """The chosen dataset's name, or its path as given."""
        return self._state.config.dataset

    @property
    def facts(self) -> DatasetFacts:
        """What is known of the chosen dataset (from the registry or its loading)."""
        key = self._data_key(self.config)
        if key in self._facts:
            return self._facts[key]
        found = facts_from_registry(self.dataset)
        if found is not None and self.config.dataset_options:
            # options may change the shape (parity's length): unknown until loaded
            found = dataclasses.replace(found, input_shape=None)
        return found or DatasetFacts(self.dataset, "loading")

    @property
    def report(self) -> ShapeReport:
        return self._report

    @property
    def problems(self) -> tuple[SessionProblem, ...]:
        """The current stack's problems against the chosen dataset, with fixes."""
        spec = self.spec
        return tuple(
            SessionProblem(p, fixes_for(spec, p)) for p in self._report.problems
        )

    @property
    def fingerprint(self) -> str:
        """The current network and data: a result with another stamp is stale."""
        return fingerprint(self.spec, self.dataset, self.config.dataset_options)

    @property
    def name(self) -> str:
        return self.path.stem if self.path else self.name_hint

    @property
    def dirty(self) -> bool:
        return not self.history.clean or self._weights_dirty

    # --- edits: each is one undo step -------------------------------------------------
    def edit(
        self,
        spec: NetworkSpec,
        config: TrainConfig,
        name: str | Text,
        hint: tuple | None = None,
    ) -> None:
        """Replace network and settings together, as one undo step named `name`."""
        after = State(spec, config)
        if after == self._state:
            return
        self.history.push(Step(name, self._state, after, hint))
        self._apply(after, hint)

    def set_spec(self, spec: NetworkSpec, name: str | Text, hint: Any = None) -> None:
        self.edit(spec, self.config, name, hint)

    def set_config(self, config: TrainConfig, name: str | Text) -> None:
        self.edit(self.spec, config, name)

    def set_fields(self, name: str | Text | None = None, **changes: Any) -> None:
        """Change some TrainConfig fields (one step), ignoring unknown names."""
        known = {f.name for f in dataclasses.fields(TrainConfig)}
        changes = {k: v for k, v in changes.items() if k in known}
        label = name or step_name("set", field=", ".join(changes))
        self.set_config(self.config.with_(**changes), label)

    def insert_layers(self, row: int, layers: list[LayerSpec]) -> None:
        spec = self.spec
        for offset, layer in enumerate(layers):
            spec = spec.insert(row + offset, layer)
        hint = ("insert", row) if len(layers) == 1 else None
        self.set_spec(spec, step_name("add", kind=layers[0].kind), hint)

    def remove_layer(self, row: int) -> None:
        kind = self.spec.layers[row].kind
        self.set_spec(
            self.spec.remove(row), step_name("delete", kind=kind), ("remove", row)
        )

    def duplicate_layer(self, row: int) -> None:
        layer = self.spec.layers[row]
        name = step_name("duplicate", kind=layer.kind)
        self.set_spec(self.spec.insert(row + 1, layer), name, ("insert", row + 1))

    def move_layer(self, src: int, dst: int) -> None:
        if src != dst:
            name = step_name("move", kind=self.spec.layers[src].kind)
            self.set_spec(self.spec.move(src, dst), name, ("move", src, dst))

    def replace_layer(self, row: int, layer: LayerSpec) -> None:
        name = step_name("change", kind=layer.kind)
        self.set_spec(self.spec.replace_layer(row, layer), name)

    def set_init(self, init: str) -> None:
        if init != self.spec.init:
            spec = dataclasses.replace(self.spec, init=init)
            self.set_spec(spec, step_name("init", init=init))

    def apply_fix(self, fix: Fix) -> None:
        """A problem's one-click fix (from `problems`), as one step named after it."""
        self.set_spec(fix.spec, fix.label)

    def load_preset(self, name: str) -> None:
        """A preset's network, dataset and settings, as one undo step."""
        preset = get_preset(name)
        if self.path is None:
            self.name_hint = preset.name
        self.edit(preset.spec, preset.train_config(), step_name("preset", name=name))
        self._tell("title")

    def choose_dataset(
        self,
        name_or_path: str,
        options: Mapping[str, Any] | None = None,
        *,
        inspect: bool = True,
    ) -> None:
        """Use a dataset: its input shape becomes the network's and a loss of the
        other task is swapped for this task's usual one, all in one undo step.

        A registry name is known without loading it; a folder or CSV is loaded to
        learn its shape and classes when `inspect` (the window passes False and
        reports the background load with `dataset_loaded`/`dataset_failed`).
        """
        # the same dataset again with other options (the Data box's folder options)
        same = name_or_path == self.config.dataset
        config = self.config.with_(dataset=name_or_path, dataset_options=options or {})
        facts = facts_from_registry(name_or_path)
        # options can change the shape (digits' upsample): a quick set is loaded
        shaped = bool(options) and is_quick(name_or_path)
        if inspect and (facts is None or shaped):
            facts = self._inspect(name_or_path, config)
        if facts is not None:
            self._facts[self._data_key(config)] = facts
        after = fitted(self.spec, config, facts)
        name = step_name("options") if same else step_name("dataset", name=name_or_path)
        self.edit(after.spec, after.config, name)
        self._tell("dataset")

    def _inspect(self, name: str, config: TrainConfig) -> DatasetFacts:
        from nnstudio.core.datasets import load_dataset

        try:
            data = load_dataset(name, seed=config.seed, **dict(config.dataset_options))
        except NNStudioError as exc:
            return DatasetFacts(name, "failed", error=str(exc))
        self.data = data
        return facts_from_data(name, data)

    # --- what the data loaders report -------------------------------------------------
    def dataset_loading(self, name: str, options: Mapping[str, Any] | None = None):
        """A background load started: until it ends nothing is assumed of a path
        (a registry dataset keeps what the registry says)."""
        key = data_fingerprint(name, options)
        self._facts[key] = facts_from_registry(name) or DatasetFacts(name, "loading")
        self._refresh("dataset")

    def dataset_loaded(self, data: Any, name: str | None = None) -> None:
        """A load finished: remember its facts; if it is the chosen dataset, fit the
        network to it (into the step that chose it, when that is the last step)."""
        name = name or self.dataset
        options = self.config.dataset_options if name == self.dataset else {}
        self._facts[data_fingerprint(name, options)] = facts_from_data(name, data)
        if name != self.dataset:
            return
        self.data = data
        after = fitted(self.spec, self.config, self.facts)
        if after == self._state:
            self._refresh("dataset")
            return
        top = self.history.top
        if top is not None and top.after == self._state and self._chose(top):
            self.history.amend_top(after)
            self._apply(after)
        else:
            self.edit(after.spec, after.config, step_name("shape"))
        self._tell("dataset")

    def _chose(self, step: Step[State]) -> bool:
        return step.after.config.dataset == self.dataset and (
            step.before.config.dataset != self.dataset
            or step.before.config.dataset_options != self.config.dataset_options
        )

    def dataset_failed(self, name: str, message: str) -> None:
        """A load failed: the stack is checked against no data until another loads."""
        options = self.config.dataset_options if name == self.dataset else {}
        self._facts[data_fingerprint(name, options)] = DatasetFacts(
            name, "failed", error=message
        )
        if name == self.dataset:
            self.data = None
        self._refresh("dataset")

    def load_data(self, **load_options: Any) -> Any:
        """Load the chosen dataset here and now (scripts, tests and the CLI; the
        window loads in the background and reports with `dataset_loaded`)."""
        from nnstudio.core.datasets import load_dataset

        config = self.config
        options = {**dict(config.dataset_options), **load_options}
        try:
            data = load_dataset(config.dataset, seed=config.seed, **options)
        except NNStudioError as exc:
            self.dataset_failed(config.dataset, str(exc))
            raise
        self.dataset_loaded(data)
        return data

    # --- undo -------------------------------------------------------------------------
    def undo(self) -> bool:
        step = self.history.undo()
        if step is not None:
            self._apply(step.before, inverse(step.hint))
        return step is not None

    def redo(self) -> bool:
        step = self.history.redo()
        if step is not None:
            self._apply(step.after, step.hint)
        return step is not None

    # --- training ---------------------------------------------------------------------
    def train_blocker(
        self,
        data: Any = None,
        *,
        spec: NetworkSpec | None = None,
        config: TrainConfig | None = None,
        running: bool = False,
        loading: bool = False,
    ) -> Blocker | None:
        """Why training cannot start now; None when it can."""
        if running:
            return blocker("running")
        if data is None and loading:
            return blocker("loading")
        facts = self.facts
        if data is None and facts.status == "failed":
            return Blocker("data-failed", facts.error or "", {"error": facts.error})
        data = data if data is not None else self.data
        if data is None:
            return blocker("no-data")
        if spec is None and self._report.errors:
            first = self._report.errors[0]
            return Blocker("problem", first.message(), {"problem": first})
        from nnstudio.core.training.loop import preflight

        try:
            preflight(spec or self.spec, data, config or self.config)
        except NNStudioError as exc:
            data = dict(getattr(exc, "data", {}) or {})
            return Blocker(getattr(exc, "code", "error"), str(exc), data)
        return None

    def record_run(
        self,
        spec: NetworkSpec,
        config: TrainConfig,
        weights: dict[str, Any] | None,
        record: Mapping[str, Any] | None = None,
    ) -> None:
        """Keep a finished (or stopped) run's weights for the network and data it
        trained on, and its record in the history."""
        if record is not None:
            self.runs = [*self.runs, dict(record)]
        if weights is None:
            return
        stamp = fingerprint(spec, config.dataset, config.dataset_options)
        same_data = self.data is not None and self.dataset == config.dataset
        # as the network saw it (a pretrained backbone's own normalization)
        info = files_data_info(adapt_data(spec, self.data)) if same_data else {}
        self._trained = Trained(weights, spec, stamp, info)
        self._weights_dirty = True
        self._refresh("weights", "dirty")

    @property
    def weights(self) -> dict[str, Any] | None:
        """Trained weights if they fit the current network's architecture."""
        t = self._trained
        if t is None or network_fingerprint(t.spec) != network_fingerprint(self.spec):
            return None
        return t.weights

    @property
    def trained_fingerprint(self) -> str | None:
        """The stamp of the kept weights: equal to `fingerprint` when current."""
        return None if self._trained is None else self._trained.fingerprint

    def clear_weights(self) -> None:
        if self._trained is not None:
            self._trained = None
            self._weights_dirty = True
            self._refresh("weights", "dirty")

    # --- files ------------------------------------------------------------------------
    def new(self) -> None:
        preset = get_preset(DEFAULT_PRESET)
        project = Project(preset.spec, preset.train_config().to_dict())
        self.load(project, None, name=preset.name)

    def open(self, path: str | Path) -> None:
        """Load a project file; raises ProjectFileError/ConfigError with one line."""
        self.load(load_project(path), Path(path))

    def load(
        self,
        project: Project,
        path: Path | None,
        name: str | None = None,
        dirty: bool = False,
    ) -> None:
        """Replace everything by a project (open, new, crash restore)."""
        cfg = TrainConfig.from_dict(project.config) if project.config else TrainConfig()
        self.history.clear()
        self.path = path
        self.name_hint = name or (path.stem if path else UNTITLED)
        self.runs = list(project.history)
        self._state = State(project.spec, cfg)
        self._trained = None
        if project.weights is not None:  # saved with the network and data it fits
            stamp = fingerprint(project.spec, cfg.dataset, cfg.dataset_options)
            info = project.data_info
            self._trained = Trained(project.weights, project.spec, stamp, info)
        self._weights_dirty = dirty
        if self.data is not None and getattr(self.data, "name", None) != cfg.dataset:
            self.data = None
        self.revision += 1
        self._report = self._check()
        self._tell("loaded", "state", "checked", "weights", "title", "dirty")

    def to_project(self, data_info: Mapping[str, Any] | None = None) -> Project:
        """The project as saved: weights that fit, with what predicting needs of
        the data they were trained on (data.json), unless `data_info` says."""
        weights = self.weights
        if data_info is None:
            kept = self._trained.data_info if self._trained is not None else {}
            data_info = kept if weights is not None else {}
        return Project(
            self.spec, self.config.to_dict(), weights, self.runs, dict(data_info)
        )

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
        self.history.set_clean()
        self._tell("title", "dirty")
        return target

    # --- inside -----------------------------------------------------------------------
    def _apply(self, state: State, hint: tuple | None = None) -> None:
        self._state = state
        self.revision += 1
        self._report = self._check()
        self.hint = hint
        try:
            self._tell("state", "checked", "dirty")
        finally:
            self.hint = None

    def _refresh(self, *changes: str) -> None:
        self.revision += 1
        self._report = self._check()
        self._tell(*changes, "checked")

    def _check(self) -> ShapeReport:
        facts = self.facts
        outputs = facts.num_outputs if facts.usable else None
        return check(self.spec, num_outputs=outputs, loss=self.config.loss,
                     per_step=facts.per_step and facts.usable)

    @staticmethod
    def _data_key(config: TrainConfig) -> str:
        return data_fingerprint(config.dataset, config.dataset_options)
