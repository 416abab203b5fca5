"""The backprop lab: one training step of a tiny network, worked out like a textbook.

Left, the network as a graph (inputs, units with net/out, edges labelled with their
weights and, after Backward, their gradients; click an edge or a bias for its chain
rule) over the worked chain rule. Right, everything editable (inputs, targets,
weights) and the worked numbers. All numbers come from
`core.lessons.backprop.LabNetwork`: autograd on the real model, never recomputed here.

The parts: backprop_graph.py (the drawing), backprop_controls.py (settings and
buttons), backprop_tables.py (the side tabs), backprop_worked.py (the chain-rule
text). This module wires them to one LabNetwork and to the studio's document.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.errors import NNStudioError
from nnstudio.core.lessons.backprop import LabNetwork
from nnstudio.ui.studio import Studio, current_data
from nnstudio.ui.views.backprop_controls import LabControls
from nnstudio.ui.views.backprop_edits import LABEL_ALL_UP_TO, LabEdits
from nnstudio.ui.views.backprop_graph import BackpropGraph
from nnstudio.ui.views.backprop_source import dataset_of, lab_for
from nnstudio.ui.views.backprop_tables import LabTables
from nnstudio.ui.views.backprop_worked import WorkedText

RUN_CHUNK = 200  # steps per timer tick: ~50 ms of work, the window stays responsive
# The parts' widgets the lab (and its tests) use by name.
CONTROL_NAMES = (
    "layers_edit",
    "activation_combo",
    "loss_combo",
    "bias_combo",
    "train_bias_check",
    "lr_spin",
    "labels_check",
    "buttons",
    "steps_spin",
    "run_button",
    "reset_button",
)
TABLE_NAMES = ("values_table", "weights_table", "forward_table", "loss_table")

log = logging.getLogger(__name__)


class BackpropLab(LabEdits, QWidget):
    """The lab view. Owns one LabNetwork; `bind(studio)` follows the document."""

    sig_changed = Signal()  # the numbers on screen changed (tests, screenshots)
    TITLE = "Backprop lab"  # as the live views name themselves (views.view_title)

    def __init__(self, parent: QWidget | None = None, lab: LabNetwork | None = None):
        super().__init__(parent)
        self.setObjectName("backpropLab")
        self.lab = lab or LabNetwork.from_preset("backprop-2-2-2")
        self.stage = "edit"
        self.selected: str | None = None
        self.last_update: dict[str, tuple[float, float]] = {}
        self.losses: list[float] = []
        self.studio: Studio | None = None
        self._before: LabNetwork | None = None  # the lab before the last Update
        self._grads_used: dict[str, float] = {}  # the gradients that Update used
        self._filling = False
        self._remaining = 0
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.worked = WorkedText(self)
        self._build()
        self._connect()
        self._select_default()
        self.forward()

    # --- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.controls = LabControls(self)
        layout.addWidget(self.controls)
        for name in CONTROL_NAMES:
            setattr(self, name, getattr(self.controls, name))
        self.status = self._label("labStatus")
        self.message = self._label("labMessage")
        self.message.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QSplitter(Qt.Orientation.Vertical, split)  # the drawing over its maths
        self.graph = BackpropGraph(left)
        left.addWidget(self.graph)
        left.addWidget(self._chain_box())
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        self.left = left
        self.tabs = LabTables(self)
        for name in TABLE_NAMES:
            setattr(self, name, getattr(self.tabs, name))
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        self.split = split
        layout.addWidget(split, 1)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    def _chain_box(self) -> QWidget:
        self.chain_text = self._label("chainRuleText")
        self.chain_text.setTextFormat(Qt.TextFormat.RichText)
        self.chain_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chain_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.chain_text.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(4, 4, 4, 4)
        heading = QLabel(
            self.tr(
                "<b>Backward</b>: the chain rule for the selected weight "
                "(click an edge or a bias box)"
            ),
            box,
        )
        heading.setWordWrap(True)
        column.addWidget(heading)
        column.addWidget(self.chain_text, 1)
        return box

    def _connect(self) -> None:
        c = self.controls
        c.layers_edit.editingFinished.connect(self._on_layers_edit_finished)
        for combo in (c.activation_combo, c.loss_combo, c.bias_combo):
            combo.currentIndexChanged.connect(self._on_combo_changed)
        c.train_bias_check.toggled.connect(self._on_train_bias_check_toggled)
        c.lr_spin.valueChanged.connect(self._on_lr_spin_value_changed)
        c.labels_check.toggled.connect(self._on_labels_check_toggled)
        c.buttons["forwardButton"].clicked.connect(self.forward)
        c.buttons["backwardButton"].clicked.connect(self.backward)
        c.buttons["updateButton"].clicked.connect(self.update_step)
        c.run_button.clicked.connect(self._on_run_button_clicked)
        c.reset_button.clicked.connect(self._on_reset_button_clicked)
        t = self.tabs
        t.values_table.itemChanged.connect(self._on_values_table_item_changed)
        t.weights_table.itemChanged.connect(self._on_weights_table_item_changed)
        t.weights_table.cellClicked.connect(self._on_weights_table_cell_clicked)
        self.graph.sig_picked.connect(self._on_graph_picked)

    def showEvent(self, event: Any) -> None:
        """First show: the drawing gets 60% of the width and of the height."""
        super().showEvent(event)
        if not getattr(self, "_sized", False) and hasattr(self, "left"):
            self._sized = True
            width = max(self.split.width(), 1)
            self.split.setSizes([int(width * 0.6), width - int(width * 0.6)])
            height = max(self.left.height(), 1)
            self.left.setSizes([int(height * 0.62), height - int(height * 0.62)])

    # --- the four actions -------------------------------------------------------------
    @Slot()
    def forward(self) -> None:
        self.stage = "forward"
        self.last_update = {}
        self._show()

    @Slot()
    def backward(self) -> None:
        self.stage = "backward"
        self.last_update = {}
        self._show()

    @Slot()
    def update_step(self) -> None:
        """Apply one SGD step; the drawing shows old → new for every weight."""
        self._before = self.lab.copy()  # its chain rules stay on show after the step
        self._grads_used = self.lab.gradients()
        self.last_update = self.lab.step()
        self.losses.append(self.lab.total_loss())
        self.stage = "update"
        self._show()

    def run_steps(self, n: int) -> None:
        """Start n steps in chunks on a timer (the GUI stays responsive)."""
        if self._remaining:
            return
        self._remaining = int(n)
        self._before_run = self.lab.values()
        self._set_running(True)
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        chunk = min(RUN_CHUNK, self._remaining)
        try:
            losses = self.lab.run(chunk)
        except NNStudioError as exc:
            self._stop_run()
            self._say(str(exc))
            return
        self.losses += losses[1:]
        self._remaining -= chunk
        if self._remaining <= 0:
            self._stop_run()
        after = self.lab.values()
        self.last_update = {k: (self._before_run[k], after[k]) for k in after}
        self.stage = "forward"
        self._show()

    def _stop_run(self) -> None:
        self._timer.stop()
        self._remaining = 0
        self._set_running(False)

    @property
    def running(self) -> bool:
        return self._remaining > 0

    def _set_running(self, running: bool) -> None:
        self.controls.set_running(running)

    # --- drawing ----------------------------------------------------------------------
    def _show(self) -> None:
        """Fill every panel from the lab (graph, tables, chain rule, loss curve)."""
        self._filling = True
        try:
            self.controls.sync(self.lab)
            grads = self._grads()
            self.graph.draw(
                self.lab, self.stage, self.selected, self.last_update, grads
            )
            self.tabs.fill(
                self.lab,
                self.stage,
                grads,
                self.last_update,
                self.selected,
                self.losses,
            )
            self.chain_text.setText(
                self.worked.html(
                    self.lab,
                    self.stage,
                    self.selected,
                    self._before,
                    self.last_update,
                    self._grads_used,
                )
            )
            self._fill_status()
        finally:
            self._filling = False
        self.sig_changed.emit()

    def _grads(self) -> dict[str, float]:
        """The gradients on show: current after Backward, the ones used after Update."""
        if self.stage == "update":
            return self._grads_used
        return self.lab.gradients() if self.stage == "backward" else {}

    def _fill_status(self) -> None:
        outs = ", ".join(f"{v:.4f}" for v in self.lab.outputs())
        wanted = ", ".join(f"{v:.4g}" for v in self.lab.targets)
        self.status.setText(
            self.tr("E = {0}   outputs ({1}), targets ({2})").format(
                f"{self.lab.total_loss():.8f}", outs, wanted
            )
        )

    def chain_rule_text(self) -> str:
        """The chain rule panel as plain text (tests and screen readers)."""
        return self.chain_text.text()

    # --- selection --------------------------------------------------------------------
    def select_weight(self, name: str) -> None:
        self.selected = name
        if self.stage in ("edit", "forward"):
            self.stage = "backward"
            self.last_update = {}
        self._show()

    def _select_default(self) -> None:
        names = [w.name for w in self.lab.weights()]
        layer1 = self.lab.sizes[0] * self.lab.sizes[1]
        self.selected = (
            names[layer1]
            if len(names) > layer1 and not self.lab.weights()[layer1].is_bias
            else (names[0] if names else None)
        )

    @Slot(str)
    def _on_graph_picked(self, name: str) -> None:
        self.select_weight(name)

    @Slot(int, int)
    def _on_weights_table_cell_clicked(self, row: int, column: int) -> None:
        item = self.weights_table.item(row, 0)
        if item is not None and column != 2:
            self.select_weight(item.text())

    @Slot(bool)
    def _on_labels_check_toggled(self, checked: bool) -> None:
        self.graph.label_all = checked
        if not self._filling:
            self._show()

    @Slot()
    def _on_run_button_clicked(self) -> None:
        if self.running:
            self._stop_run()
            return
        self.run_steps(self.steps_spin.value())

    @Slot()
    def _on_reset_button_clicked(self) -> None:
        self.set_lab(
            getattr(self, "_origin", None) or LabNetwork.from_preset("backprop-2-2-2")
        )

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- opening networks -------------------------------------------------------------
    def set_lab(self, lab: LabNetwork, origin: LabNetwork | None = None) -> None:
        """Show another network (a fresh start: stage Forward, no history)."""
        self._stop_run()
        self.lab = lab
        if origin is not None:
            self._origin = origin
        self.losses = []
        self.last_update = {}
        self._say("")
        self._select_default()
        self.labels_check.setChecked(len(lab.weights()) <= LABEL_ALL_UP_TO)
        self.forward()

    def open_spec(
        self,
        spec: Any,
        config: Any = None,
        data: Any = None,
        weights: dict[str, Any] | None = None,
    ) -> bool:
        """Open the studio's network if it fits; otherwise say why and keep ours."""
        try:
            lab = lab_for(spec, config, data, weights)
        except NNStudioError as exc:
            self._say(
                self.tr(
                    "The studio's network does not fit the lab: {0}. The lab "
                    "keeps its own network."
                ).format(str(exc))
            )
            return False
        self.set_lab(lab, lab.copy())
        return True

    def bind(self, studio: Studio, demand: Any = None) -> None:
        """Follow the studio's document: open its network whenever it fits.

        `demand` is accepted (and unused) so `install_views` can bind the lab like
        the live views; the lab asks the trainer for nothing.
        """
        self.studio = studio
        doc = studio.document
        doc.sig_spec_changed.connect(self._on_document_changed)
        doc.sig_weights_changed.connect(self._on_document_changed)
        if studio.data_source is not None:
            studio.data_source.sig_data_changed.connect(self._on_document_changed)
        self._on_document_changed()

    @Slot()
    def _on_document_changed(self, *_: Any) -> None:
        if self.running:
            return
        if self.studio is None:
            return
        doc = self.studio.document
        try:
            data = dataset_of(current_data(self.studio), doc.config)
            self.open_spec(doc.spec, doc.config, data, doc.weights)
        except Exception:  # noqa: BLE001 - a network the lab cannot draw never breaks the studio
            log.exception("the backprop lab cannot show this network")

    def wanted_probes(self) -> frozenset[str]:
        """Nothing: the lab computes its own numbers (the live views' contract)."""
        return frozenset()
