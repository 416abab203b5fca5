"""Runs side by side: every run kept with its settings, overlaid on demand.

The legend names what differs between the selected runs ("Sigmoid vs ReLU+BatchNorm")
instead of "run 3 vs run 4", because the point of comparing is to see what one change
does. "Compare" starts a run that changes one setting, from the same seed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.errors import NNStudioError
from nnstudio.core.export import report
from nnstudio.core.training import run_diff, runs
from nnstudio.core.training.events import Finished, Started
from nnstudio.ui.plot_style import (
    fit_legend_columns,
    legend_below,
    use_tidy_log_axis,
)
from nnstudio.ui.studio import Studio
from nnstudio.ui.views.base import EPS, View, class_color
from nnstudio.ui.views.export import png_bytes, render_views

ROLE_ID = Qt.ItemDataRole.UserRole


class RunsView(View):
    PROBES: frozenset[str] = frozenset()  # records from events that come anyway
    TITLE = "Runs"
    MIN_INTERVAL_S = 1.0
    sig_compare_requested = Signal(object, object)  # NetworkSpec, TrainConfig
    sig_report_written = Signal(str)  # path of report.md

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsView")
        self.runs: list[dict[str, Any]] = []  # oldest first
        self.checked: set[str] = set()
        self.recorder: runs.RunRecorder | None = None
        self.views: dict[str, QWidget] = {}  # other views, for report pictures
        self._curve_key: tuple = ()
        self._build()

    def _build(self) -> None:
        self.run_list = QListWidget()
        self.run_list.setObjectName("runList")
        self.run_list.itemChanged.connect(self._on_run_list_item_changed)
        self.compare = QToolButton()
        self.compare.setObjectName("runsCompare")
        self.compare.setText(self.tr("Compare…"))
        self.compare.setToolTip(
            self.tr("Train again with one setting changed, same seed")
        )
        self.compare.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.compare_menu = QMenu(self.compare)
        self.compare_menu.aboutToShow.connect(self._on_compare_menu_about_to_show)
        self.compare.setMenu(self.compare_menu)
        self.export = QPushButton(self.tr("Export report…"))
        self.export.setObjectName("runsExport")
        self.export.clicked.connect(self._on_export_clicked)
        self.tensorboard = QCheckBox(self.tr("also TensorBoard files"))
        self.tensorboard.setObjectName("runsTensorBoard")
        self.status = QLabel()
        self.status.setObjectName("runsStatus")
        self.status.setWordWrap(True)
        left = QWidget()
        box = QVBoxLayout(left)
        box.addWidget(QLabel(self.tr("Runs (tick to overlay):")))
        box.addWidget(self.run_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare)
        buttons.addWidget(self.export)
        box.addLayout(buttons)
        box.addWidget(self.tensorboard)
        box.addWidget(self.status)
        self.difference = QLabel()
        self.difference.setObjectName("runsDifference")
        # wraps, and never asks for width: a long difference grew the window from
        # 1440 to 1794 px (wider than the screen) and it never shrank back
        self.difference.setWordWrap(True)
        self.difference.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.loss_plot = self._plot("runsLossPlot", self.tr("training loss"), log=True)
        self.acc_plot = self._plot("runsAccuracyPlot", self.tr("validation accuracy"))
        self.grad_plot = self._plot(
            "runsGradientPlot",
            self.tr("gradient norm: first (solid) and last (dashed) layer"),
            log=True,
        )
        right = QWidget()
        plots = QVBoxLayout(right)
        plots.addWidget(self.difference)
        for p in (self.loss_plot, self.acc_plot, self.grad_plot):
            plots.addWidget(p, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(split)

    def _plot(self, name: str, title: str, log: bool = False) -> pg.PlotWidget:
        plot = pg.PlotWidget(title=title)
        plot.setObjectName(name)
        if log:
            use_tidy_log_axis(plot)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.setLabel("bottom", self.tr("epochs"))
        legend_below(plot)
        return plot

    # --- records ----------------------------------------------------------------------
    def bind(self, studio: Studio, demand: Any = None) -> None:
        super().bind(studio, demand)
        self.load_history(studio.document.history)

    @Slot()
    def _on_document_loaded(self) -> None:
        if self.studio is not None:
            self.load_history(self.studio.document.history)

    def check_stamp(self, current: str | None = None) -> None:
        """Runs are history: each names its own network, none is ever stale."""

    def load_history(self, history: list[dict[str, Any]]) -> None:
        """Show the runs of a project's history (ours, or the trainer's summaries)."""
        self.runs = [runs.from_history_entry(h) for h in history if isinstance(h, dict)]
        last = self.runs[-1:] and dataset_of(self.runs[-1])
        same = [r for r in self.runs if dataset_of(r) == last]
        self.checked = {r["id"] for r in same[-2:] if r.get("id")}
        self._fill_list()
        self.dirty = True

    def _on_started(self, e: Started) -> None:
        self.recorder = runs.RunRecorder(*self._run_settings())
        self.recorder.feed(e)
        self.runs.append(self.recorder.record)
        # overlay only runs on the same data: other datasets' losses are not
        # comparable on one axis (tick them to overlay them anyway)
        dataset = dataset_of(self.recorder.record)
        self.checked = {
            r.get("id") for r in self.runs if dataset_of(r) == dataset
        } & self.checked
        self.checked.add(e.run_id)
        self._fill_list()

    def _run_settings(self) -> tuple[Any, Any]:
        """(spec, config) of the run that just started: the controller's snapshot."""
        if self.studio is None:
            return None, None
        record = getattr(self.studio.controller.recorder, "record", None)
        settings = record.get("settings", {}) if isinstance(record, dict) else {}
        if settings.get("spec"):
            return settings["spec"], settings.get("config")
        doc = self.studio.document
        return doc.spec, doc.config

    def _on_step(self, e: Any) -> bool:
        return self._record(e)

    _on_epoch = _on_probe = _on_epoch_eval = _on_step

    def _record(self, e: Any) -> bool:
        if self.recorder is None:
            return False
        self.recorder.feed(e)
        return True

    def _on_finished(self, e: Finished) -> bool:
        if self.recorder is None:
            return False
        record = self.recorder.feed(e)
        self.recorder = None
        self._store(record)
        self._fill_list()
        return True

    def _store(self, record: dict[str, Any]) -> None:
        """Into the project's history (replacing an entry with the same id), unless
        the controller keeps the history itself (it has `record()`)."""
        if self.studio is None:
            return
        controller = self.studio.controller
        if callable(getattr(controller, "record", None)):
            return
        history = self.studio.document.history
        if not isinstance(history, list):
            return
        for i, entry in enumerate(history):
            if isinstance(entry, dict) and entry.get("id") == record["id"]:
                history[i] = record
                return
        history.append(record)

    def _fill_list(self) -> None:
        self.run_list.blockSignals(True)
        self.run_list.clear()
        for i, r in enumerate(self.runs):
            text = f"{run_diff.run_label(r, i)} · {dataset_of(r)}"
            if not r.get("stopped_reason"):
                text += self.tr(" (running)")
            item = QListWidgetItem(text)
            item.setToolTip(r.get("settings", {}).get("spec_summary", ""))
            item.setData(ROLE_ID, r.get("id", ""))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked
                if r.get("id") in self.checked
                else Qt.CheckState.Unchecked
            )
            self.run_list.addItem(item)
        self.run_list.blockSignals(False)
        self.dirty = True

    @Slot(QListWidgetItem)
    def _on_run_list_item_changed(self, item: QListWidgetItem) -> None:
        run_id = item.data(ROLE_ID)
        if item.checkState() == Qt.CheckState.Checked:
            self.checked.add(run_id)
        else:
            self.checked.discard(run_id)
        self.redraw_now()

    def redraw_now(self) -> None:
        """A click deserves an answer now, whatever the frame budget."""
        self.dirty = True
        self._last_draw = -1e9
        self.refresh()

    def select_runs(self, ids: list[str]) -> None:
        self.checked = set(ids)
        self._fill_list()
        self.redraw_now()

    def selected(self) -> list[dict[str, Any]]:
        if self.recorder is not None:
            self.recorder.finish()  # bring the live run's series up to date
        return [r for r in self.runs if r.get("id") in self.checked]

    # --- drawing ----------------------------------------------------------------------
    def draw(self) -> None:
        chosen = self.selected()
        labels = self.curve_labels(chosen)
        key = tuple(
            (r.get("id"), label) for r, label in zip(chosen, labels, strict=True)
        )
        if key != self._curve_key:
            self._make_curves(labels)
            self._curve_key = key
        for i, r in enumerate(chosen):
            self._set_curves(i, r)
        self.difference.setText(self._difference_text(chosen, labels))

    def curve_labels(self, chosen: list[dict[str, Any]]) -> list[str]:
        """One distinct name per run: what sets it apart ("ReLU+BatchNorm"), with
        its dataset when the runs' datasets differ and its number when two names
        would still be the same ("#3 20 epochs", not "20 epochs" five times)."""
        what = (
            run_diff.difference_labels(chosen)
            if len(chosen) > 1
            else [run_diff.run_label(r) for r in chosen]
        )
        if len({dataset_of(r) for r in chosen}) > 1:
            what = [f"{dataset_of(r)}: {w}" for r, w in zip(chosen, what, strict=True)]
        if len(set(what)) < len(what):
            index = {id(r): i for i, r in enumerate(self.runs)}
            what = [
                f"#{index.get(id(r), 0) + 1} {w}"
                for r, w in zip(chosen, what, strict=True)
            ]
        return what

    def _difference_text(self, chosen: list[dict], labels: list[str]) -> str:
        if len(chosen) == 2:
            return self.tr("What differs: {d}").format(
                d=run_diff.describe_difference(chosen[0], chosen[1])
            )
        if len(chosen) > 2:
            return self.tr("What differs: {d}").format(d=" / ".join(labels))
        return self.tr("Tick two runs to compare them.")

    def _make_curves(self, labels: list[str]) -> None:
        self.curves: list[tuple] = []
        for plot in (self.loss_plot, self.acc_plot, self.grad_plot):
            plot.clear()
            plot.plotItem.legend.clear()
        for i, label in enumerate(labels):
            color = class_color(i)
            solid, dashed = (
                pg.mkPen(color, width=2),
                pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine),
            )
            self.curves.append(
                (
                    self.loss_plot.plot(pen=solid, name=label, connect="finite"),
                    self.acc_plot.plot(
                        pen=solid,
                        name=label,
                        connect="finite",
                        symbol="o",
                        symbolSize=5,
                        symbolBrush=color,
                    ),
                    self.grad_plot.plot(pen=solid, name=f"{label}", connect="finite"),
                    self.grad_plot.plot(pen=dashed, connect="finite"),
                )
            )
        for plot in (self.loss_plot, self.acc_plot, self.grad_plot):
            fit_legend_columns(plot.plotItem.legend, plot.width() * 0.9)

    def _set_curves(self, i: int, r: dict[str, Any]) -> None:
        loss, acc, first, last = self.curves[i]
        steps = r.get("steps", {})
        loss.setData(_arr(steps.get("progress")), _pos(steps.get("loss")))
        epochs = r.get("epochs", [])
        metric = (
            "val_accuracy"
            if any(e.get("val_accuracy") is not None for e in epochs)
            else "val_r2"
        )
        acc.setData(
            _arr([e.get("epoch") for e in epochs]),
            _arr([e.get(metric) for e in epochs]),
        )
        x, norms = grad_series(r)
        if norms.size:
            first.setData(x, np.clip(norms[:, 0], EPS, None))
            last.setData(x, np.clip(norms[:, -1], EPS, None))

    def curve_count(self) -> int:
        """Loss curves drawn: one per selected run."""
        return len(getattr(self, "curves", []))

    def legend_names(self) -> list[str]:
        legend = self.loss_plot.plotItem.legend
        return [label.text for _sample, label in legend.items]

    # --- compare and export -----------------------------------------------------------
    @Slot()
    def _on_compare_menu_about_to_show(self) -> None:
        self.compare_menu.clear()
        if self.studio is None:
            return
        doc = self.studio.document
        for variant in run_diff.one_setting_variants(doc.config, doc.spec):
            action = self.compare_menu.addAction(variant["label"])
            action.setData(variant)
            action.triggered.connect(self._on_compare_action_triggered)

    @Slot()
    def _on_compare_action_triggered(self) -> None:
        self.start_variant(self.sender().data())

    def start_variant(self, variant: dict[str, Any]) -> None:
        from nnstudio.core.network.spec import NetworkSpec
        from nnstudio.core.training.config import TrainConfig

        spec = NetworkSpec.from_dict(variant["spec"])
        config = TrainConfig.from_dict(variant["config"])
        self.sig_compare_requested.emit(spec, config)
        if self.studio is not None:
            self.studio.start_training(spec, config)

    @Slot()
    def _on_export_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export the run to"))
        if folder:
            self.export_report(folder)

    def export_report(self, folder: str | Path) -> Path | None:
        """report.md + PNGs of every view, for the newest ticked run (or newest)."""
        chosen = self.selected() or self.runs[-1:]
        if not chosen:
            self.status.setText(self.tr("Train a run first."))
            return None
        run, other = chosen[-1], (chosen[-2] if len(chosen) > 1 else None)
        images = render_views(self.views)
        images[self.tr("Runs compared")] = png_bytes(self)
        path = report.write_report(Path(folder) / _folder_name(run), run, images, other)
        self.status.setText(self.tr("Report written to {p}").format(p=str(path)))
        if self.tensorboard.isChecked():
            try:
                logdir = report.write_tensorboard(run, path.parent / "tensorboard")
                self.status.setText(
                    self.status.text()
                    + "\n"
                    + self.tr("TensorBoard files in {p}").format(p=str(logdir))
                )
            except NNStudioError as exc:
                self.status.setText(self.status.text() + "\n" + str(exc))
        self.sig_report_written.emit(str(path))
        return path


def dataset_of(run: dict[str, Any]) -> str:
    """The dataset a run trained on, as the list shows it (a path by its name)."""
    config = (run.get("settings") or {}).get("config") or {}
    name = str(config.get("dataset") or "?")
    return Path(name).name if ("/" in name or "\\" in name) else name


def _folder_name(run: dict[str, Any]) -> str:
    stamp = str(run.get("started_at", "")).replace(":", "").replace(" ", "-")
    return f"nnstudio-run-{stamp or run.get('id', 'run')}"


def _arr(values: Any) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in (values or [])], dtype=float)


def _pos(values: Any) -> np.ndarray:
    return np.clip(_arr(values), EPS, None)


def grad_series(r: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, points x layers) gradient norms over the run.

    The probes' values when there are several (they exist if the Gradients view was
    watched), else the per-epoch means that every run records.
    """
    g = r.get("grad_norms", {})
    if len(g.get("values") or []) >= 2:
        per_epoch = max(1, int(r.get("steps_per_epoch") or 1))
        return _arr(g["step"]) / per_epoch, _arr(g["values"])
    epochs = [e for e in r.get("epochs", []) if e.get("grad_norms")]
    if not epochs:
        return np.zeros(0), np.zeros((0, 1))
    return _arr([e["epoch"] for e in epochs]), _arr([e["grad_norms"] for e in epochs])
