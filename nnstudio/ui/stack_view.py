"""The network editor: a vertical stack of layer cards between the input and the total.

`NetworkEditor` (objectName `networkEditor`) is the QListView itself, so its model's
mimeData/dropMimeData are the whole drag-and-drop story; `NetworkPanel` adds the
input line above, the total and the one-click fix below, and the edit actions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QDrag,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.network.layers import CATEGORIES, LAYER_KINDS, LayerSpec
from nnstudio.core.network.shapes import format_shape
from nnstudio.ui.document import Document
from nnstudio.ui.icons import layer_icon
from nnstudio.ui.layer_card import CardDelegate
from nnstudio.ui.messages import (
    ERROR_COLOR,
    WrapLabel,
    core_text,
    problem_text,
)
from nnstudio.ui.stack_model import (
    LayerStackModel,
)

MORE_FIXES = 2  # buttons for a problem's other fixes beside the first


class NetworkEditor(QListView):
    """The stack of cards; accepts palette drops anywhere and reorders by dragging."""

    sig_layer_selected = Signal(int)  # -1 when nothing is selected

    def __init__(self, model: LayerStackModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkEditor")
        self.setModel(model)
        self.setItemDelegate(CardDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setSpacing(0)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setToolTip(
            self.tr(
                "The network, input at the top. Drag layers here from "
                "the palette, drag cards to reorder them, Delete removes "
                "the selected one, Ctrl+D duplicates it."
            )
        )
        model.rowsInserted.connect(self._on_model_rows_inserted)
        model.rowsMoved.connect(self._on_model_rows_moved)
        model.rowsRemoved.connect(self._on_model_rows_removed)
        self.selectionModel().currentChanged.connect(self._on_selection_current_changed)

    def stack_model(self) -> LayerStackModel:
        return self.model()  # type: ignore[return-value]

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            self.setCurrentIndex(self.model().index(row, 0))
        else:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())
            self.sig_layer_selected.emit(-1)

    def startDrag(self, supported: Qt.DropAction) -> None:
        """Drag the selected card; the model performs the move itself on drop, so
        nothing is removed here afterwards (QAbstractItemView would)."""
        indexes = self.selectedIndexes()
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        rect = self.visualRect(indexes[0])
        drag.setPixmap(self.viewport().grab(rect))
        drag.setHotSpot(
            self.viewport().mapFromGlobal(self.cursor().pos()) - rect.topLeft()
        )
        drag.exec(
            Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,
            Qt.DropAction.MoveAction,
        )

    def keyPressEvent(self, event: Any) -> None:
        """Edit keys also work when the window-level shortcut does not fire."""
        doc = self.stack_model().document
        row = self.current_row()
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() in (
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        ):
            if row >= 0:
                doc.remove_layer(row)
            return
        if event.matches(QKeySequence.StandardKey.Undo):
            doc.undo_stack.undo()
            return
        if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Z
            and event.modifiers()
            == Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        ):
            doc.undo_stack.redo()
            return
        if (
            event.key() == Qt.Key.Key_D
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            if row >= 0:
                doc.duplicate_layer(row)
            return
        super().keyPressEvent(event)

    @Slot(QModelIndex, int, int)
    def _on_model_rows_inserted(
        self, parent: QModelIndex, first: int, last: int
    ) -> None:
        self.select_row(first)
        self.sig_layer_selected.emit(self.current_row())

    @Slot(QModelIndex, int, int, QModelIndex, int)
    def _on_model_rows_moved(
        self, parent: QModelIndex, start: int, end: int, dest: QModelIndex, row: int
    ) -> None:
        self.select_row(row - 1 if row > start else row)
        self.sig_layer_selected.emit(self.current_row())

    @Slot(QModelIndex, int, int)
    def _on_model_rows_removed(
        self, parent: QModelIndex, first: int, last: int
    ) -> None:
        self.select_row(min(first, self.model().rowCount() - 1))
        self.sig_layer_selected.emit(self.current_row())

    @Slot(QModelIndex, QModelIndex)
    def _on_selection_current_changed(
        self, current: QModelIndex, previous: QModelIndex
    ) -> None:
        self.sig_layer_selected.emit(current.row() if current.isValid() else -1)


class NetworkPanel(QWidget):
    """Input line, the card stack, total parameters, first problem and its fix."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkPanel")
        self.document = document
        self.model = LayerStackModel(document, self)
        self.editor = NetworkEditor(self.model, self)
        self.input_label = QLabel(self)
        self.input_label.setObjectName("inputShapeLabel")
        self.input_label.setToolTip(
            self.tr(
                "The shape of one sample of the dataset; it changes with the dataset."
            )
        )
        self.total_label = QLabel(self)
        self.total_label.setObjectName("totalParamsLabel")
        self.total_label.setToolTip(
            self.tr("Weights and biases the optimizer adjusts.")
        )
        self.problem_label = WrapLabel(parent=self)
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.fix_button = QPushButton(self)
        self.fix_button.setObjectName("fixButton")
        self._fix: Any = None  # the core's one-click fix of the first error
        self.fix_button.clicked.connect(self._on_fix_clicked)
        # the other fixes of the same problem (e.g. a kernel larger than its map:
        # padding, a smaller kernel, one pooling layer fewer), one button each
        self.more_fix_buttons = [QPushButton(self) for _ in range(MORE_FIXES)]
        for n, button in enumerate(self.more_fix_buttons, start=2):
            button.setObjectName(f"fixButton{n}")
            button.hide()
            button.clicked.connect(lambda _=False, i=n - 1: self._apply_fix_number(i))
        self._build_layout()
        self.actions_by_name = self._make_actions()
        document.sig_checked.connect(self._on_document_checked)
        self.editor.sig_layer_selected.connect(self._on_editor_layer_selected)
        self._on_document_checked(document.report)

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.input_label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.problem_label)
        row = QHBoxLayout()  # the fix under its problem, never squeezed beside it
        row.addWidget(self.fix_button)
        for button in self.more_fix_buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def _make_actions(self) -> dict[str, QAction]:
        specs = {
            "delete": (
                self.tr("&Delete Layer"),
                QKeySequence.StandardKey.Delete,
                self._on_delete_triggered,
            ),
            "duplicate": (
                self.tr("D&uplicate Layer"),
                QKeySequence("Ctrl+D"),
                self._on_duplicate_triggered,
            ),
            "move_up": (
                self.tr("Move Layer &Up"),
                QKeySequence("Alt+Up"),
                self._on_move_up_triggered,
            ),
            "fix": (
                self.tr("Apply the Suggested &Fix"),
                QKeySequence("Ctrl+Shift+F"),
                self._on_fix_clicked,
            ),
            "move_down": (
                self.tr("Move Layer Do&wn"),
                QKeySequence("Alt+Down"),
                self._on_move_down_triggered,
            ),
        }
        actions = {}
        for name, (text, keys, slot) in specs.items():
            action = QAction(text, self)
            action.setObjectName(f"{name}LayerAction")
            action.setShortcut(keys)
            action.setEnabled(False)
            action.triggered.connect(slot)
            actions[name] = action
        return actions

    def build_menu(self, menu: Any) -> None:
        """The Edit menu: undo/redo of every edit, then the layer actions."""
        stack = self.document.undo_stack
        undo = stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        redo = stack.createRedoAction(self, self.tr("&Redo"))
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        shift_z = QKeySequence("Ctrl+Shift+Z")
        redo.setShortcuts(keys + ([] if shift_z in keys else [shift_z]))
        undo.setObjectName("undoAction")
        redo.setObjectName("redoAction")
        menu.addActions([undo, redo])
        menu.addSeparator()
        menu.addActions(list(self.actions_by_name.values()))
        self._add_insert_menu(menu.addMenu(self.tr("&Insert Layer")))

    def _add_insert_menu(self, menu: Any) -> None:
        """Every palette entry as a menu item: the keyboard way to add a layer."""
        menu.setObjectName("insertLayerMenu")
        for category in CATEGORIES:
            sub = menu.addMenu(category)
            for kind, declared in LAYER_KINDS.items():
                if declared.category == category:
                    action = sub.addAction(layer_icon(kind, category), kind)
                    action.setData(kind)
                    action.setStatusTip(core_text(declared.description))
                    action.triggered.connect(self._on_insert_action_triggered)

    @Slot()
    def _on_insert_action_triggered(self) -> None:
        row = self.editor.current_row()
        at = row + 1 if row >= 0 else self.model.rowCount()
        self.document.insert_layer(at, LayerSpec(self.sender().data()))

    @Slot(object)
    def _frozen_counts(self, report: Any) -> str:
        """ "n trainable, m frozen" on a second line once any parameter is frozen
        (issue 15): ResNet-sized counts do not fit beside the total."""
        if not report.frozen_params:
            return ""
        return "\n" + self.tr("{t} trainable, {f} frozen").format(
            t=f"{report.trainable_params:,}", f=f"{report.frozen_params:,}")

    def _on_document_checked(self, report: Any) -> None:
        spec = self.document.spec
        self.input_label.setText(
            self.tr("Input  {shape}   ({dataset})").format(
                shape=format_shape(spec.input_shape),
                dataset=self.document.config.dataset,
            )
        )
        errors = report.errors
        first = errors[0] if errors else None
        self.total_label.setText(
            self.tr("Total  {n} parameters").format(n=f"{report.total_params:,}")
            + self._frozen_counts(report)
            if first is None
            else self.tr("Total  – (the network has a problem)")
        )
        self._fix = self._first_fix()
        # the card already shows its own problem; repeat it here only beside its fix
        # or when it belongs to no card (an empty network, a bad input shape)
        footer = first is not None and (self._fix is not None or first.index is None)
        self.problem_label.setText(problem_text(first) if footer else "")
        self.problem_label.setVisible(footer)
        self.fix_button.setVisible(self._fix is not None)
        if first is not None and self._fix is not None:
            self.fix_button.setText(core_text(self._fix.label))
            self.fix_button.setToolTip(problem_text(first))
        self._show_more_fixes(first)
        self._update_actions()

    def _all_fixes(self) -> tuple:
        errors = [p for p in self.document.session.problems if p.severity == "error"]
        return tuple(errors[0].fixes) if errors else ()

    def _show_more_fixes(self, first: Any) -> None:
        more = self._all_fixes()[1:] if first is not None else ()
        for i, button in enumerate(self.more_fix_buttons):
            button.setVisible(i < len(more))
            if i < len(more):
                button.setText(core_text(more[i].label))
                button.setToolTip(problem_text(first))

    def _apply_fix_number(self, i: int) -> None:
        fixes = self._all_fixes()
        if i < len(fixes):
            self.document.session.apply_fix(fixes[i])

    def _first_fix(self) -> Any:
        """The session's one-click fix of the first error (it decides, not us)."""
        errors = [p for p in self.document.session.problems if p.severity == "error"]
        return errors[0].fix if errors else None

    @Slot()
    def _on_fix_clicked(self) -> None:
        if self._fix is not None:
            self.document.session.apply_fix(self._fix)

    @Slot(int)
    def _on_editor_layer_selected(self, row: int) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        row, count = self.editor.current_row(), self.model.rowCount()
        self.actions_by_name["delete"].setEnabled(row >= 0)
        self.actions_by_name["duplicate"].setEnabled(row >= 0)
        self.actions_by_name["move_up"].setEnabled(row > 0)
        self.actions_by_name["move_down"].setEnabled(0 <= row < count - 1)
        self.actions_by_name["fix"].setEnabled(self._fix is not None)

    @Slot()
    def _on_delete_triggered(self) -> None:
        if (row := self.editor.current_row()) >= 0:
            self.document.remove_layer(row)

    @Slot()
    def _on_duplicate_triggered(self) -> None:
        if (row := self.editor.current_row()) >= 0:
            self.document.duplicate_layer(row)

    @Slot()
    def _on_move_up_triggered(self) -> None:
        if (row := self.editor.current_row()) > 0:
            self.document.move_layer(row, row - 1)

    @Slot()
    def _on_move_down_triggered(self) -> None:
        row = self.editor.current_row()
        if 0 <= row < self.model.rowCount() - 1:
            self.document.move_layer(row, row + 1)
