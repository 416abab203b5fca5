"""Layer properties: typed editors with ranges for the selected layer.

Numbers are typed into `NumberEdit`, a line edit read with the core's `parse_number`
so a Chinese IME's full-width "０．０１" and a decimal comma "0,01" both work (a spin
box's validator would reject them). A value is committed on Enter or focus-out; one
out of range is refused on the spot with the range shown, and the shapes are
re-checked by the document as soon as a value is committed.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.network.layers import LAYER_KINDS, LR_FACTOR_MAX, LayerSpec, Param
from nnstudio.core.network.shapes import format_shape
from nnstudio.core.training.config import parse_number
from nnstudio.ui.document import Document
from nnstudio.ui.messages import ERROR_COLOR, WrapLabel, core_text, problem_text, tr


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class NumberEdit(QLineEdit):
    """A number field: int or float, optional range, commits on Enter/focus-out.

    `sig_committed(value)` carries the parsed, range-checked number; a bad entry shows
    the reason in the tooltip and a red border, and `error` holds it.
    """

    sig_committed = Signal(object)

    def __init__(
        self,
        kind: str = "float",
        lo: float | None = None,
        hi: float | None = None,
        hi_exclusive: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind, self.lo, self.hi, self.hi_exclusive = kind, lo, hi, hi_exclusive
        self.error = ""
        self._value: Any = None
        self._help = ""
        self.editingFinished.connect(self._on_editing_finished)
        self.textEdited.connect(self._on_text_edited)

    def set_help(self, text: str) -> None:
        self._help = text
        self.setToolTip(self._tooltip())

    def range_text(self) -> str:
        if self.lo is None and self.hi is None:
            return ""
        hi = "∞" if self.hi is None else _fmt(self.hi)
        lo = "-∞" if self.lo is None else _fmt(self.lo)
        return tr("from {lo} to {hi}").format(lo=lo, hi=hi) + (
            tr(" (not included)") if self.hi_exclusive else ""
        )

    def _tooltip(self) -> str:
        parts = [p for p in (self._help, self.range_text(), self.error) if p]
        return "\n".join(parts)

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        """Show a value from the document (never emits)."""
        self._value = value
        if not self.hasFocus() or not self.isModified():
            self.setText(_fmt(value))
            self.setModified(False)
            self._set_error("")

    def parse(self, raw: str) -> Any:
        """The typed text as a number of this field's type, or raise ValueError."""
        number = parse_number(raw, integer=self.kind == "int")
        if self.kind == "int":
            if not math.isfinite(number) or number != int(number):  # inf, nan, 1.5
                raise ValueError(tr("'{raw}' is not a whole number").format(raw=raw))
            number = int(number)
        too_low = self.lo is not None and number < self.lo
        too_high = self.hi is not None and (
            number >= self.hi if self.hi_exclusive else number > self.hi
        )
        if too_low or too_high or number != number:
            raise ValueError(
                tr("{value} is outside the range {range}").format(
                    value=_fmt(number), range=self.range_text()
                )
            )
        return number

    def commit(self) -> bool:
        """Parse the text now; emit the value if it is good and new."""
        try:
            value = self.parse(self.text())
        except ValueError as exc:
            self._set_error(str(exc))
            return False
        self._set_error("")
        self.setModified(False)
        if value != self._value:
            self._value = value
            self.sig_committed.emit(value)
        self.setText(_fmt(value))
        return True

    def _set_error(self, message: str) -> None:
        self.error = message
        self.setStyleSheet(
            f"QLineEdit {{ border: 2px solid {ERROR_COLOR}; }}" if message else ""
        )
        self.setToolTip(self._tooltip())

    @Slot()
    def _on_editing_finished(self) -> None:
        self.commit()

    @Slot(str)
    def _on_text_edited(self, text: str) -> None:
        try:
            self.parse(text)
            self._set_error("")
        except ValueError as exc:
            self._set_error(str(exc))

    def keyPressEvent(self, event: Any) -> None:
        """Up/Down step an int field, like a spin box."""
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(event.key())
        if step and self.kind == "int" and self._value is not None:
            self.setText(str(self._value + step))
            self.commit()
            return
        super().keyPressEvent(event)


class LayerEditor(QWidget):
    """objectName `layerProperties`: the selected layer's description and parameters."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerProperties")
        self.document = document
        self.row = -1
        self._kind = ""
        self.editors: dict[str, QWidget] = {}
        self.title = QLabel(self)
        self.title.setObjectName("propertiesTitle")
        self.description = WrapLabel(parent=self)
        self.description.setWordWrap(True)
        self.formula = WrapLabel(parent=self)
        self.formula.setWordWrap(True)
        # plain text in the label's own monospace font: WrapLabel measures its
        # height with that font, so a <code> span (wider) lost its second line
        self.formula.setTextFormat(Qt.TextFormat.PlainText)
        self.formula.setFont(
            QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        )
        self.formula.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.shape_label = WrapLabel(parent=self)
        self.shape_label.setObjectName("propertiesShape")
        self.problem_label = WrapLabel(parent=self)
        self.problem_label.setObjectName("propertyError")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(
            QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for widget in (self.title, self.description, self.formula):
            layout.addWidget(widget)
        layout.addLayout(self.form)
        layout.addWidget(self._build_training_box())
        layout.addWidget(self._build_stages())
        layout.addWidget(self.shape_label)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        document.sig_checked.connect(self._on_document_checked)
        document.sig_loaded.connect(self._on_document_loaded)
        self.show_layer(-1)

    def show_layer(self, row: int) -> None:
        """Edit layer `row` (0-based), or show a hint when nothing is selected."""
        layers = self.document.spec.layers
        self.row = row if 0 <= row < len(layers) else -1
        self.training_box.setVisible(self.row >= 0)
        self.stages.setVisible(False)
        if self.row < 0:
            self._clear_form()
            self.title.setText(self.tr("No layer selected"))
            self.description.setText(
                self.tr("Select a card in the network to edit its parameters.")
            )
            for label in (self.formula, self.shape_label, self.problem_label):
                label.clear()
            return
        layer = layers[self.row]
        if layer.kind != self._kind or not self.editors:
            self._build_form(layer)
        self._refresh(layer)

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors, self._kind = {}, ""

    def _build_form(self, layer: LayerSpec) -> None:
        self._clear_form()
        self._kind = layer.kind
        declared = LAYER_KINDS.get(layer.kind)
        for param in declared.params if declared else ():
            editor = self._make_editor(param)
            editor.setObjectName(f"param_{param.name}")
            label = QLabel(param.name, self)
            label.setToolTip(core_text(param.help))
            self.form.addRow(label, editor)
            self.editors[param.name] = editor

    def _make_editor(self, param: Param) -> QWidget:
        help_text = core_text(param.help)
        if param.type == "bool":
            box = QCheckBox(self)
            box.setToolTip(help_text)
            box.toggled.connect(lambda on, n=param.name: self._commit(n, bool(on)))
            return box
        if param.type == "choice":
            combo = QComboBox(self)
            combo.addItems(list(param.choices))
            combo.setToolTip(help_text)
            combo.currentTextChanged.connect(lambda t, n=param.name: self._commit(n, t))
            return combo
        edit = NumberEdit(param.type, param.min, param.max, param.max_exclusive, self)
        edit.set_help(help_text)
        edit.sig_committed.connect(lambda v, n=param.name: self._commit(n, v))
        return edit

    def _refresh(self, layer: LayerSpec) -> None:
        declared = LAYER_KINDS.get(layer.kind)
        self.title.setText(f"<b>{self.row + 1}. {layer.kind}</b>")
        self.description.setText(core_text(declared.description) if declared else "")
        self.formula.setText(declared.formula if declared else "")
        for name, editor in self.editors.items():
            self._show_value(editor, layer.params.get(name))
        shape = next(
            (s for s in self.document.report.layers if s.index == self.row), None
        )
        self.shape_label.setText(
            tr("in {a} → out {b}, {n} parameters").format(
                a=format_shape(shape.in_shape),
                b=format_shape(shape.out_shape),
                n=f"{shape.params:,}",
            )
            if shape
            else ""
        )
        problems = self.document.report.problems_for(self.row)
        self.problem_label.setText("\n".join(problem_text(p) for p in problems))
        self._show_training(layer)
        self._show_stages(layer, shape)

    def _show_value(self, editor: QWidget, value: Any) -> None:
        editor.blockSignals(True)
        if isinstance(editor, NumberEdit):
            editor.set_value(value)
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        editor.blockSignals(False)

    def _commit(self, name: str, value: Any) -> None:
        if self.row < 0 or self.row >= len(self.document.spec.layers):
            return
        layer = self.document.spec.layers[self.row]
        if layer.params.get(name) != value:
            self.document.replace_layer(self.row, layer.with_params(**{name: value}))

    # --- frozen switch and learning-rate factor (issue 15) -------------------------
    def _build_training_box(self) -> QWidget:
        """A layer's own training settings, below its parameters: frozen (its
        weights stay as they are) and a learning-rate factor."""
        self.training_box = QWidget(self)
        form = QFormLayout(self.training_box)
        form.setContentsMargins(0, 6, 0, 0)
        self.frozen_box = QCheckBox(self.tr("Frozen"), self.training_box)
        self.frozen_box.setObjectName("layerFrozen")
        self.frozen_box.setToolTip(self.tr(
            "A frozen layer keeps its weights: training leaves it unchanged. Freeze a "
            "pretrained body and train only a new head."))
        self.frozen_box.toggled.connect(self._on_frozen_toggled)
        self.lr_factor_edit = NumberEdit("float", 0.0, LR_FACTOR_MAX,
                                         parent=self.training_box)
        self.lr_factor_edit.setObjectName("layerLrFactor")
        self.lr_factor_edit.set_help(self.tr(
            "This layer learns at the learning rate times this factor (1 = as the "
            "others, 0.1 = ten times slower)"))
        self.lr_factor_edit.sig_committed.connect(self._on_lr_factor_committed)
        form.addRow(self.tr("Training"), self.frozen_box)
        form.addRow(self.tr("lr factor"), self.lr_factor_edit)
        return self.training_box

    def _show_training(self, layer: LayerSpec) -> None:
        self.frozen_box.blockSignals(True)
        self.frozen_box.setChecked(layer.frozen)
        self.frozen_box.blockSignals(False)
        self.lr_factor_edit.set_value(layer.lr_factor)
        self.lr_factor_edit.setEnabled(not layer.frozen)

    def _replace_training(self, **changes: Any) -> None:
        if 0 <= self.row < len(self.document.spec.layers):
            layer = self.document.spec.layers[self.row]
            changed = dataclasses.replace(layer, **changes)
            if changed != layer:
                self.document.replace_layer(self.row, changed)

    def _build_stages(self) -> QTreeWidget:
        """A pretrained backbone's stages, collapsed under one row: the card is one
        block, and here it opens up (stage, output shape, parameters)."""
        self.stages = QTreeWidget(self)
        self.stages.setObjectName("backboneStages")
        self.stages.setColumnCount(3)
        self.stages.setHeaderLabels(
            [self.tr("Stage"), self.tr("Output"), self.tr("Parameters")])
        self.stages.setRootIsDecorated(True)
        self.stages.setVisible(False)
        self._stages_key: tuple = ()
        return self.stages

    def _show_stages(self, layer: LayerSpec, shape: Any) -> None:
        from nnstudio.core.pretrained import BY_KIND, stages

        backbone = BY_KIND.get(layer.kind)
        self.stages.setVisible(backbone is not None and shape is not None)
        if backbone is None or shape is None:
            return
        key = (layer.kind, tuple(shape.in_shape))
        if key == self._stages_key:
            return
        self._stages_key = key
        self.stages.clear()
        rows = stages(backbone.name, tuple(shape.in_shape))
        top = QTreeWidgetItem(self.stages, [
            self.tr("{title}: {n} stages").format(title=backbone.title, n=len(rows)),
            format_shape(shape.out_shape), f"{shape.params:,}"])
        for name, out, params in rows:
            QTreeWidgetItem(top, [name, format_shape(out), f"{params:,}"])
        self.stages.resizeColumnToContents(0)

    @Slot(bool)
    def _on_frozen_toggled(self, on: bool) -> None:
        self._replace_training(frozen=bool(on))

    @Slot(object)
    def _on_lr_factor_committed(self, value: Any) -> None:
        self._replace_training(lr_factor=float(value))

    @Slot(object)
    def _on_document_checked(self, report: Any) -> None:
        self.show_layer(self.row)

    @Slot()
    def _on_document_loaded(self) -> None:
        self.show_layer(-1)
