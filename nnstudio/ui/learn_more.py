"""The "Learn more" panel: what a layer kind, loss or optimizer computes, when to
use it, and a one-click experiment that shows it.

The words come from the core (`core.experiments.topic`, bilingual), so the panel, the
tooltips and the CLI never disagree. `install_learn_more(window)` adds Help > Learn
More…, right-click "Learn more" on the palette and the loss/optimizer boxes, and
`window.learn_more`, which other panels call: `window.learn_more.show("ReLU")`.
An experiment loads its first run into the document (one undo step) and trains it;
a second run starts when the first has ended, and the Runs view overlays the two.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnstudio.ui.messages import core_text, tr

NameRole = Qt.ItemDataRole.UserRole + 1
FORMULA_PT = 15  # large enough to read subscripts and Greek letters at a glance
DIALOG_SIZE = (860, 560)  # the topic list and a formula without a scroll bar
CONTINUE_REASONS = ("finished", "early-stopped", "failed")  # "stopped": user said no


def family_title(family: str) -> str:
    return {
        "layer": tr("Layers"),
        "loss": tr("Losses"),
        "optimizer": tr("Optimizers"),
        "setting": tr("Settings"),
        "architecture": tr("Architectures"),
        "diagnosis": tr("Diagnoses"),
        "init": tr("Weight init schemes"),
    }.get(family, family)


def topic_label(name: str) -> str:
    """What the list shows: kind names as they are, settings in words."""
    return {"learning-rate": tr("Learning rate"), "init": tr("Weight init")}.get(
        name, name
    )


def formula_html(formula: str) -> str:
    """A formula in a large monospace font (kept verbatim: no wrapping)."""
    return (
        f"<div style='font-family: monospace; font-size: {FORMULA_PT}pt;'>"
        f"{html.escape(formula)}</div>"
    )


def topic_tooltip(name: str) -> str:
    """A rich tooltip for a layer kind, loss or optimizer, ending with the way in."""
    from nnstudio.core.lessons.experiments import topic

    t = topic(name)
    parts = [
        f"<b>{html.escape(topic_label(name))}</b>",
        html.escape(core_text(t.description)),
        f"<code>{html.escape(t.formula)}</code>",
    ]
    if t.when:
        parts.append(f"<i>{html.escape(core_text(t.when))}</i>")
    parts.append(tr("Right-click: Learn more"))
    return "<br>".join(parts)


def _label(parent: QWidget, name: str, rich: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LearnMorePanel(QWidget):
    """One topic: formula, what it computes, when to use it, and a Try it button."""

    sig_run_experiment = Signal(str)  # experiment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learnMorePanel")
        self.name = ""
        self.experiment_id: str | None = None
        self.title = _label(self, "learnMoreTitle", rich=True)
        self.formula = _label(self, "learnMoreFormula", rich=True)
        self.formula.setWordWrap(False)
        self.formula.setFrameShape(QFrame.Shape.StyledPanel)
        self.formula.setMargin(8)
        self.description = _label(self, "learnMoreDescription")
        self.when = _label(self, "learnMoreWhen")
        self._build_experiment_box()
        self._build_layout()

    def _build_experiment_box(self) -> None:
        self.experiment_box = QGroupBox(self.tr("Try it"), self)
        self.experiment_title = _label(self, "experimentTitle", rich=True)
        self.experiment_text = _label(self, "experimentText")
        self.experiment_runs = _label(self, "experimentRuns")
        self.try_button = QPushButton(self.tr("Run the experiment"), self)
        self.try_button.setObjectName("tryItButton")
        self.try_button.setToolTip(
            self.tr("Loads the experiment into the studio and trains it")
        )
        self.try_button.clicked.connect(self._on_try_button_clicked)
        box = QVBoxLayout(self.experiment_box)
        for widget in (
            self.experiment_title,
            self.experiment_text,
            self.experiment_runs,
        ):
            box.addWidget(widget)
        box.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.formula)
        for heading, widget in (
            (self.tr("What it computes"), self.description),
            (self.tr("When to use it"), self.when),
        ):
            head = QLabel(f"<b>{html.escape(heading)}</b>", self)
            layout.addWidget(head)
            layout.addWidget(widget)
        layout.addWidget(self.experiment_box)
        layout.addStretch(1)

    def show_topic(self, name: str) -> None:
        """Fill the panel for `name` (a layer kind, loss, optimizer or setting)."""
        from nnstudio.core.lessons.experiments import topic

        t = topic(name)
        self.name = name
        self.title.setText(
            f"<span style='font-size: 16pt'><b>{html.escape(topic_label(name))}"
            f"</b></span> — {html.escape(family_title(t.family))}"
        )
        self.formula.setText(formula_html(t.formula))
        self.description.setText(core_text(t.description))
        self.when.setText(core_text(t.when) or "–")
        self._show_experiment(t.experiment)

    def _show_experiment(self, experiment_id: str | None) -> None:
        from nnstudio.core.lessons.experiments import EXPERIMENTS

        experiment = EXPERIMENTS.get(experiment_id or "")
        self.experiment_id = experiment.id if experiment else None
        self.experiment_box.setVisible(experiment is not None)
        if experiment is None:
            return
        title = html.escape(core_text(experiment.title))
        self.experiment_title.setText(f"<b>{title}</b>")
        self.experiment_text.setText(core_text(experiment.explanation))
        labels = [core_text(r.label) for r in experiment.runs]
        runs = self.tr("{a} vs {b}") if len(labels) == 2 else "{a}"
        runs = runs.format(a=labels[0], b=labels[-1])
        self.experiment_runs.setText(self.tr("Runs: {runs}").format(runs=runs))

    @Slot()
    def _on_try_button_clicked(self) -> None:
        if self.experiment_id:
            self.sig_run_experiment.emit(self.experiment_id)


class LearnMoreDialog(QDialog):
    """Every topic in a list on the left, the chosen one on the right. Non-modal."""

    sig_run_experiment = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learnMoreDialog")
        self.setWindowTitle(self.tr("Learn More"))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("learnMoreTopics")
        self.tree.setHeaderHidden(True)
        self.panel = LearnMorePanel(self)
        self.panel.sig_run_experiment.connect(self.sig_run_experiment)
        self._fill_tree()
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.panel)
        splitter = QSplitter(self)
        splitter.addWidget(self.tree)
        splitter.addWidget(scroll)
        splitter.setSizes([200, DIALOG_SIZE[0] - 200])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(*DIALOG_SIZE)

    def _fill_tree(self) -> None:
        from nnstudio.core.lessons.experiments import topic, topics

        groups: dict[str, QTreeWidgetItem] = {}
        for name in topics():
            family = topic(name).family
            if family not in groups:
                groups[family] = QTreeWidgetItem(self.tree, [family_title(family)])
                groups[family].setFlags(Qt.ItemFlag.ItemIsEnabled)
            item = QTreeWidgetItem(groups[family], [topic_label(name)])
            item.setData(0, NameRole, name)
        self.tree.expandAll()

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, NameRole) == name:
                    return group.child(j)
        return None

    def show_topic(self, name: str) -> None:
        item = self.item_for(name)
        if item is not None:
            self.tree.setCurrentItem(item)  # fills the panel through the slot
        self.panel.show_topic(name)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_tree_current_item_changed(self, item: Any, previous: Any) -> None:
        name = item.data(0, NameRole) if item is not None else None
        if name and name != self.panel.name:
            self.panel.show_topic(name)


class ExperimentRunner(QObject):
    """Runs an experiment's runs one after the other through the window's document,
    so every view, the history and the Runs view see ordinary runs."""

    sig_started = Signal(str)  # experiment id
    sig_done = Signal(str)  # experiment id, after its last run (or when abandoned)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.experiment: Any = None
        self.queue: list[Any] = []
        self.waiting_for_data = False
        self.run_ids: list[str] = []
        window.training_panel.run.sig_finished.connect(self._on_training_finished)
        window.data_source.sig_data_changed.connect(self._on_data_changed)
        window.data_source.sig_failed.connect(self._on_data_failed)

    @property
    def active(self) -> bool:
        return self.experiment is not None

    def start(self, experiment_id: str) -> bool:
        """Load the first run and train it; False (with a message) if it can't."""
        from nnstudio.core.lessons.experiments import get_experiment

        if self.window.controller.running:
            self.window.show_message(
                tr("Stop the training before starting an experiment."), "warning"
            )
            return False
        self.experiment = get_experiment(experiment_id)
        self.queue, self.run_ids = list(self.experiment.runs), []
        self.sig_started.emit(experiment_id)
        self.window.show_message(
            tr("Experiment: {title}. {text}").format(
                title=core_text(self.experiment.title),
                text=core_text(self.experiment.explanation),
            )
        )
        self._next_run()
        return True

    def _next_run(self) -> None:
        run = self.queue.pop(0)
        text = tr("Experiment: {title} ({run})").format(
            title=core_text(self.experiment.title), run=core_text(run.label)
        )
        self.window.document.edit(run.network(), run.train_config(), text)
        self.window.select_view(self.experiment.view)
        self._start_when_ready()

    def _start_when_ready(self) -> None:
        source = self.window.data_source
        if source.loading or source.data is None:
            self.waiting_for_data = not source.error
            if source.error:
                self._abandon(source.error)
            return
        self.waiting_for_data = False
        if not self.window.start_training():
            why = self.window.training_panel.run.train_blocker() or ""
            self._abandon(why)

    def _abandon(self, why: str) -> None:
        self.window.show_message(
            tr("The experiment could not start: {why}").format(why=why), "warning"
        )
        self._finish()

    def _finish(self) -> None:
        experiment, self.experiment = self.experiment, None
        self.queue, self.waiting_for_data = [], False
        if experiment is not None:
            self.sig_done.emit(experiment.id)

    @Slot(object)
    def _on_data_changed(self, data: Any) -> None:
        if self.waiting_for_data and data is not None:
            self.waiting_for_data = False
            QTimer.singleShot(0, self._start_when_ready)  # after the panel's own slot

    @Slot(str)
    def _on_data_failed(self, message: str) -> None:
        if self.waiting_for_data:
            self._abandon(message or tr("loading was cancelled"))

    @Slot(object)
    def _on_training_finished(self, finished: Any) -> None:
        if not self.active:
            return
        if finished.reason not in CONTINUE_REASONS:
            self._finish()
        elif self.queue:
            QTimer.singleShot(0, self._next_run)  # let every view take the end first
        else:
            self._show_result()
            self._finish()

    def _show_result(self) -> None:
        """Open the view that shows the outcome, with this experiment's runs ticked."""
        count = len(self.experiment.runs)
        view = self.experiment.compare_view
        if view:
            self.window.select_view(view)
        runs_view = self.window.views.get("runs")
        history = self.window.document.history[-count:]
        ids = [h.get("id") for h in history if isinstance(h, dict) and h.get("id")]
        if count > 1 and runs_view is not None and hasattr(runs_view, "select_runs"):
            runs_view.select_runs(ids)


class LearnMore(QObject):
    """What `install_learn_more` puts on the window as `window.learn_more`."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.runner = ExperimentRunner(window)
        self.dialog: LearnMoreDialog | None = None
        self.menu: QMenu | None = None  # the last context menu (tests read it)

    def show(self, name: str | None = None) -> LearnMoreDialog:
        """Open (or raise) the Learn more window, on `name` if given."""
        if self.dialog is None:
            self.dialog = LearnMoreDialog(self.window)
            self.dialog.sig_run_experiment.connect(self.run_experiment)
        from nnstudio.core.lessons.experiments import topics

        self.dialog.show_topic(name or self.dialog.panel.name or topics()[0])
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    @Slot(str)
    def run_experiment(self, experiment_id: str) -> bool:
        return self.runner.start(experiment_id)

    def context_menu(self, widget: QWidget, name_at: Any) -> None:
        """Right-click on `widget` offers "Learn more about X" (`name_at(pos)`)."""
        widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        def on_request(pos: QPoint) -> None:
            name = name_at(pos)
            if name:
                self.menu = self._menu(widget, name)
                self.menu.popup(widget.mapToGlobal(pos))  # non-blocking

        widget.customContextMenuRequested.connect(on_request)

    def _menu(self, parent: QWidget, name: str) -> QMenu:
        menu = QMenu(parent)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction(tr("Learn more about {name}…").format(name=name))
        action.triggered.connect(lambda: self.show(name))
        return menu


def _palette_kind_at(palette: Any) -> Any:
    from nnstudio.ui.palette import KindRole

    def kind_at(pos: QPoint) -> str | None:
        item = palette.itemAt(pos)
        return item.data(0, KindRole) if item is not None else None

    return kind_at


def _combo_name(combo: Any) -> Any:
    return lambda pos: combo.currentData() or combo.currentText()


def install_learn_more(window: Any) -> LearnMore:
    """Help > Learn More…, right-click on the palette and on the loss and optimizer
    boxes, and `window.learn_more` (call after the window's menus are filled).
    Idempotent: a second call returns the first one's object."""
    existing = window.learn_more
    if isinstance(existing, LearnMore):
        return existing
    learn = LearnMore(window)
    window.learn_more = learn
    action = QAction(tr("&Learn More…"), window)
    action.setObjectName("learnMoreAction")
    action.setStatusTip(tr("Formulas, advice and one-click experiments"))
    action.triggered.connect(lambda: learn.show())
    help_menu = window.menus["help"]
    first = help_menu.actions()[0] if help_menu.actions() else None
    help_menu.insertAction(first, action)
    palette = window.palette_panel.palette
    default = Qt.ContextMenuPolicy.DefaultContextMenu
    if palette is not None and palette.contextMenuPolicy() == default:
        learn.context_menu(palette, _palette_kind_at(palette))
    panel = window.training_panel.form
    for name in ("loss_combo", "optimizer_combo"):
        combo = getattr(panel, name, None)
        if combo is not None:
            learn.context_menu(combo, _combo_name(combo))
    return learn
