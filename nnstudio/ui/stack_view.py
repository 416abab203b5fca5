"""The network editor: a vertical stack of layer cards between the input and the total.

`NetworkEditor` (objectName `networkEditor`) is the QListView itself, so its model's
mimeData/dropMimeData are the whole drag-and-drop story; `NetworkPanel` adds the
input line above, the total and the one-click fix below, and the edit actions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QDrag,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.network.layers import CATEGORIES, LAYER_KINDS, LayerSpec
from nnstudio.core.network.shapes import format_shape
from nnstudio.ui.document import Document
from nnstudio.ui.icons import category_color, layer_icon
from nnstudio.ui.messages import (
    ERROR_COLOR,
    WARNING_COLOR,
    WrapLabel,
    core_text,
    problem_text,
)
from nnstudio.ui.stack_model import (
    ClassesRole,
    LayerStackModel,
    ProblemRole,
    SeverityRole,
    ShapeRole,
    SummaryRole,
)

CARD_HEIGHT = 48  # two comfortable lines of text at the default font
CARD_MARGIN = 4
ICON = 24
TEXT_LEFT = 12 + ICON + 10  # stripe and icon, then the text

MORE_FIXES = 2  # buttons for a problem's other fixes beside the first


# --- frozen layers (issue 15) ---------------------------------------------------------
LOCK = 14  # px: the padlock on a frozen card's top-right corner


def paint_lock(painter: QPainter, card: QRect, color: QColor) -> None:
    """A small padlock (shackle and body) drawn with the painter: no emoji font
    needed, crisp at any devicePixelRatio."""
    x, y = card.right() - LOCK - 8, card.top() + 6
    painter.setPen(QPen(color, 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRect(x + 3, y, LOCK - 6, LOCK - 4), 0, 180 * 16)
    painter.drawLine(x + 3, y + (LOCK - 4) // 2, x + 3, y + LOCK // 2)
    painter.drawLine(x + LOCK - 3, y + (LOCK - 4) // 2, x + LOCK - 3, y + LOCK // 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(QRect(x + 1, y + LOCK // 2, LOCK - 2, LOCK // 2 + 1), 2, 2)


class CardDelegate(QStyledItemDelegate):
    """Paints a layer as a card: stripe, icon, kind and key params, shape and params.

    A layer with a problem gets a red border and the message under its title.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        height = CARD_HEIGHT
        problems = index.data(ProblemRole) or []
        if problems:
            view = self.parent()
            total = view.viewport().width() if view is not None else option.rect.width()
            width = max(120, total - 2 * CARD_MARGIN - TEXT_LEFT - 8)
            flags = int(Qt.TextFlag.TextWordWrap)
            rect = option.fontMetrics.boundingRect(
                QRect(0, 0, width, 4000), flags, "\n".join(problems)
            )
            height += rect.height() + 6
        return QSize(200, height + 2 * CARD_MARGIN)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = option.rect.adjusted(
            CARD_MARGIN, CARD_MARGIN // 2 + 1, -CARD_MARGIN, -CARD_MARGIN // 2 - 1
        )
        self._paint_frame(painter, option, index, card)
        self._paint_text(painter, option, index, card)
        layer = index.data(Qt.ItemDataRole.UserRole + 1)
        if layer is not None and layer.frozen:
            paint_lock(painter, card, option.palette.color(QPalette.ColorRole.Text))
        painter.restore()

    def _paint_frame(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex,
        card: QRect,
    ) -> None:
        pal = option.palette
        layer = index.data(Qt.ItemDataRole.UserRole + 1)
        category = LAYER_KINDS[layer.kind].category if layer.kind in LAYER_KINDS else ""
        severity = index.data(SeverityRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = pal.color(QPalette.ColorRole.Base)
        border = pal.color(QPalette.ColorRole.Mid)
        if severity:
            border = QColor(ERROR_COLOR if severity == "error" else WARNING_COLOR)
            tint = QColor(border)
            tint.setAlpha(28)
            painter.setBrush(fill)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(card, 6, 6)
            fill = tint
        if selected:
            border = pal.color(QPalette.ColorRole.Highlight)
        painter.setBrush(fill)
        painter.setPen(QPen(border, 2.0 if (selected or severity) else 1.0))
        painter.drawRoundedRect(card, 6, 6)
        stripe = QRect(card.left() + 1, card.top() + 1, 5, card.height() - 1)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(category_color(category))
        painter.drawRoundedRect(stripe, 2, 2)
        icon_rect = QRect(
            card.left() + 12, card.top() + (CARD_HEIGHT - 8 - ICON) // 2 + 4, ICON, ICON
        )
        layer_icon(layer.kind, category).paint(painter, icon_rect)

    def _paint_text(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex,
        card: QRect,
    ) -> None:
        """Line 1: position, kind (bold) and key params; line 2: output shape and
        parameter count, muted. Two short lines fit even a narrow dock."""
        pal = option.palette
        layer = index.data(Qt.ItemDataRole.UserRole + 1)
        shape = index.data(ShapeRole)
        metrics = option.fontMetrics
        left = card.left() + TEXT_LEFT
        width = card.right() - left - 8
        line_h = metrics.height()
        top = card.top() + (CARD_HEIGHT - 8 - 2 * line_h) // 2 + 2
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        kind_text = f"{index.row() + 1}  {layer.kind}"
        kind_w = QFontMetrics(bold).horizontalAdvance(kind_text)
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(QRect(left, top, width, line_h), flags, kind_text)
        painter.setFont(option.font)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        summary_rect = QRect(left + kind_w + 10, top, width - kind_w - 10, line_h)
        painter.drawText(
            summary_rect,
            flags,
            metrics.elidedText(
                index.data(SummaryRole) or "",
                Qt.TextElideMode.ElideRight,
                summary_rect.width(),
            ),
        )
        if shape is not None:
            text = self.tr("→ {shape}   ·   {n} params").format(
                shape=format_shape(shape.out_shape), n=f"{shape.params:,}"
            )
            if classes := index.data(ClassesRole):  # the output layer: class names
                text += f"   ·   {classes}"
            painter.drawText(
                QRect(left, top + line_h, width, line_h),
                flags,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, width),
            )
        self._paint_problems(painter, index, card, left)

    def _paint_problems(
        self, painter: QPainter, index: QModelIndex, card: QRect, left: int
    ) -> None:
        problems = index.data(ProblemRole) or []
        if not problems:
            return
        severity = index.data(SeverityRole)
        painter.setPen(QColor(ERROR_COLOR if severity == "error" else WARNING_COLOR))
        rect = QRect(
            left,
            card.top() + CARD_HEIGHT - 6,
            card.right() - left - 8,
            card.bottom() - card.top() - CARD_HEIGHT + 4,
        )
        painter.drawText(rect, int(Qt.TextFlag.TextWordWrap), "\n".join(problems))


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
