"""The layer stack as a Qt list model over the document's (immutable) spec.

The model never edits anything itself: drops, moves and deletes call the document,
whose undo command replaces the spec; the model then diffs the old and new layer
tuples and emits the matching begin/end signals (insert, remove, move or a plain
dataChanged), so the view keeps its selection and scroll position (napari's
_qt/containers idea).

Drag payloads: `application/x-nnstudio-layer` holds either a bare kind name ("Conv2d",
what the palette sends) or the layer as JSON (a card, with its parameters);
`application/x-nnstudio-layer-row` marks a card dragged inside this same model.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from nnstudio.core.errors import SpecError
from nnstudio.core.network.layers import LAYER_KINDS, LayerSpec
from nnstudio.core.network.problems import Problem
from nnstudio.core.network.shapes import LayerShape, ShapeReport, format_shape
from nnstudio.ui.document import Document
from nnstudio.ui.messages import ERROR_COLOR, core_text, problem_text, tr

LAYER_MIME = "application/x-nnstudio-layer"
ROW_MIME = "application/x-nnstudio-layer-row"

LayerRole = Qt.ItemDataRole.UserRole + 1  # LayerSpec
ShapeRole = Qt.ItemDataRole.UserRole + 2  # LayerShape | None (None after a problem)
ProblemRole = Qt.ItemDataRole.UserRole + 3  # list[str], this layer's problems
SeverityRole = Qt.ItemDataRole.UserRole + 4  # "error" | "warning" | ""
SummaryRole = Qt.ItemDataRole.UserRole + 5  # "100 units"
IndexRole = Qt.ItemDataRole.UserRole + 6
ClassesRole = Qt.ItemDataRole.UserRole + 7  # the output layer's class names, or ""

_ParentIndex = QModelIndex | QPersistentModelIndex


def key_params_text(layer: LayerSpec) -> str:
    """The parameters that matter at a glance, in words: '100 units', '16 × 3x3'."""
    declared = LAYER_KINDS.get(layer.kind)
    if declared is None:
        return ""
    p = layer.params
    parts = []
    for name in declared.key_params:
        value = p.get(name)
        if name == "out_features":
            parts.append(tr("{n} units").format(n=value))
        elif name == "out_channels":
            parts.append(
                tr("{n} channels").format(n=value) if value else tr("same width")
            )
        elif name in ("kernel_size", "output_size"):
            parts.append(f"{value}x{value}")
        elif name == "stride":
            parts.append(tr("stride {n}").format(n=value))
        elif name == "weights":  # a pretrained backbone
            parts.append(tr("ImageNet weights") if value == "imagenet"
                         else tr("random weights"))
        else:
            parts.append(f"{name}={value}")
    return ", ".join(parts)


def diff_layers(old: Sequence[Any], new: Sequence[Any]) -> tuple:
    """The single structural change from `old` to `new`, or ('reset',)."""
    old, new = list(old), list(new)
    if old == new:
        return ("same",)
    for i in range(min(len(old), len(new)) + 1):
        if old[:i] == new[:i] and i < len(new) and old[i:] == new[i + 1 :]:
            return ("insert", i)
        if old[:i] == new[:i] and i < len(old) and old[i + 1 :] == new[i:]:
            return ("remove", i)
    if len(old) != len(new):
        return ("reset",)
    diff = [i for i in range(len(old)) if old[i] != new[i]]
    i, j = diff[0], diff[-1]
    if i == j:
        return ("changed", i)
    if new[i : j + 1] == old[i + 1 : j + 1] + [old[i]]:
        return ("move", i, j)
    if new[i : j + 1] == [old[j]] + old[i:j]:
        return ("move", j, i)
    return ("changed-all",)


def hint_fits(old: Sequence[Any], new: Sequence[Any], hint: tuple | None) -> bool:
    """Whether the document's hint really turns `old` into `new`."""
    old, new = list(old), list(new)
    if not hint:
        return False
    if hint[0] == "insert" and len(new) == len(old) + 1 and 0 <= hint[1] < len(new):
        return new[: hint[1]] + new[hint[1] + 1 :] == old
    if hint[0] == "remove" and len(old) == len(new) + 1 and 0 <= hint[1] < len(old):
        return old[: hint[1]] + old[hint[1] + 1 :] == new
    if hint[0] == "move" and len(old) == len(new) and max(hint[1:]) < len(old):
        moved = list(old)
        moved.insert(hint[2], moved.pop(hint[1]))
        return moved == new and hint[1] != hint[2]
    return False


def layers_from_mime(data: QMimeData) -> list[LayerSpec]:
    """Layers carried by a drag: a kind name, several names, or JSON layer dicts."""
    if not data.hasFormat(LAYER_MIME):
        return []
    raw = bytes(data.data(LAYER_MIME).data()).decode("utf-8", "replace").strip()
    try:
        if raw.startswith(("{", "[")):
            items = json.loads(raw)
            items = items if isinstance(items, list) else [items]
            layers = [LayerSpec.from_dict(item) for item in items]
        else:
            layers = [LayerSpec(kind) for kind in raw.split()]
    except (ValueError, SpecError):
        return []
    return layers if all(layer.kind in LAYER_KINDS for layer in layers) else []


def kind_mime(kind: str) -> QMimeData:
    """What the palette sends when a layer kind is dragged out of it."""
    mime = QMimeData()
    mime.setData(LAYER_MIME, QByteArray(kind.encode("utf-8")))
    mime.setText(kind)
    return mime


class LayerStackModel(QAbstractListModel):
    """One row per layer; roles carry the layer, its shape and its problems."""

    def __init__(self, document: Document, parent: Any = None) -> None:
        super().__init__(parent)
        self._doc = document
        self._layers: tuple[LayerSpec, ...] = document.spec.layers
        self._report: ShapeReport = document.report
        self._token = uuid.uuid4().hex  # tells our own row drags from another window's
        document.sig_spec_changed.connect(self._on_document_spec_changed)
        document.sig_checked.connect(self._on_document_checked)
        document.sig_loaded.connect(self._on_document_loaded)

    @property
    def document(self) -> Document:
        return self._doc

    # --- reading ----------------------------------------------------------------------
    def rowCount(self, parent: _ParentIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._layers)

    def layer(self, row: int) -> LayerSpec:
        return self._layers[row]

    def shape(self, row: int) -> LayerShape | None:
        rows = self._report.layers
        return rows[row] if row < len(rows) and rows[row].index == row else None

    def problems(self, row: int) -> tuple[Problem, ...]:
        return self._report.problems_for(row)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._layers):
            return None
        row = index.row()
        layer = self._layers[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, layer)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, layer)
        if role == LayerRole:
            return layer
        if role == ShapeRole:
            return self.shape(row)
        if role == ProblemRole:
            return [problem_text(p) for p in self.problems(row)]
        if role == SeverityRole:
            return self._severity(row)
        if role == SummaryRole:
            return key_params_text(layer)
        if role == IndexRole:
            return row
        if role == ClassesRole:
            return self._classes(row)
        if role == Qt.ItemDataRole.ForegroundRole and self._severity(row) == "error":
            return QBrush(QColor(ERROR_COLOR))
        return None

    def _classes(self, row: int) -> str:
        """The class names on the output layer's row ("0 T-shirt/top, 1 Trouser…"),
        when its width is the dataset's number of classes."""
        if row != len(self._layers) - 1:
            return ""
        facts = getattr(self._doc.session, "facts", None)
        names = tuple(getattr(facts, "class_names", ()) or ())
        shape = self.shape(row)
        if not names or shape is None or tuple(shape.out_shape) != (len(names),):
            return ""
        return ", ".join(n if n == str(i) else f"{i} {n}" for i, n in enumerate(names))

    def _severity(self, row: int) -> str:
        severities = {p.severity for p in self.problems(row)}
        return "error" if "error" in severities else ("warning" if severities else "")

    def _display(self, row: int, layer: LayerSpec) -> str:
        text = f"{layer.kind} {key_params_text(layer)}".strip()
        shape = self.shape(row)
        if shape is not None:
            text += "  → " + format_shape(shape.out_shape)
            text += "  " + tr("{n} params").format(n=f"{shape.params:,}")
        for message in self.data(self.index(row), ProblemRole):
            text += "\n" + message
        return text

    def _tooltip(self, row: int, layer: LayerSpec) -> str:
        declared = LAYER_KINDS.get(layer.kind)
        lines = [f"<b>{row + 1}. {layer.kind}</b>"]
        if declared:
            lines.append(core_text(declared.description))
            lines.append(f"<code>{declared.formula}</code>")
        shape = self.shape(row)
        if shape is not None:
            lines.append(
                tr("in {a} → out {b}, {n} parameters").format(
                    a=format_shape(shape.in_shape),
                    b=format_shape(shape.out_shape),
                    n=f"{shape.params:,}",
                )
            )
        if layer.frozen:  # the card shows a padlock; say what it means
            lines.append(tr("Frozen: training leaves this layer's weights unchanged"))
        if classes := self._classes(row):
            lines.append(tr("outputs: {names}").format(names=classes))
        for message in self.data(self.index(row), ProblemRole):
            lines.append(f"<span style='color:{ERROR_COLOR}'>{message}</span>")
        return "<br>".join(lines)

    # --- drag and drop ----------------------------------------------------------------
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME, ROW_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        if not rows:
            return mime
        layers = [self._layers[r].to_dict() for r in rows]
        payload = json.dumps(layers[0] if len(layers) == 1 else layers)
        mime.setData(LAYER_MIME, QByteArray(payload.encode("utf-8")))
        mime.setData(ROW_MIME, QByteArray(f"{self._token}:{rows[0]}".encode()))
        mime.setText(self._layers[rows[0]].kind)
        return mime

    def _own_row(self, data: QMimeData) -> int | None:
        if not data.hasFormat(ROW_MIME):
            return None
        raw = bytes(data.data(ROW_MIME).data()).decode("utf-8", "replace")
        token, _, row = raw.partition(":")
        if token != self._token or not row.isdigit() or int(row) >= len(self._layers):
            return None
        return int(row)

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _ParentIndex,
    ) -> bool:
        return bool(layers_from_mime(data))

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _ParentIndex,
    ) -> bool:
        """Insert the dragged layer(s) before `row`; a card of ours moves instead."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        row = self._drop_row(row, parent)
        src = self._own_row(data)
        if src is not None and action == Qt.DropAction.MoveAction:
            self._doc.move_layer(src, row - 1 if row > src else row)
            return True
        layers = layers_from_mime(data)
        if not layers:
            return False
        self._doc.insert_layers(row, layers)
        return True

    def _drop_row(self, row: int, parent: _ParentIndex) -> int:
        if row >= 0:
            return min(row, len(self._layers))
        if parent.isValid():
            return parent.row()
        return len(self._layers)

    def moveRows(
        self,
        source_parent: _ParentIndex,
        source_row: int,
        count: int,
        destination_parent: _ParentIndex,
        destination_child: int,
    ) -> bool:
        """Qt's own internal move (QListView): `destination_child` is insert-before."""
        if count != 1 or source_parent.isValid() or destination_parent.isValid():
            return False
        dst = (
            destination_child - 1
            if destination_child > source_row
            else destination_child
        )
        self._doc.move_layer(source_row, max(0, min(dst, len(self._layers) - 1)))
        return True

    def removeRows(
        self,
        row: int,
        count: int,
        parent: _ParentIndex = QModelIndex(),  # noqa: B008 - Qt's own default
    ) -> bool:
        if parent.isValid() or count != 1 or not 0 <= row < len(self._layers):
            return False
        self._doc.remove_layer(row)
        return True

    # --- following the document -------------------------------------------------------
    @Slot(object)
    def _on_document_spec_changed(self, spec: Any) -> None:
        old, new = self._layers, spec.layers
        hint = self._doc.change_hint
        change = hint if hint_fits(old, new, hint) else diff_layers(old, new)
        kind = change[0]
        if kind == "insert":
            self.beginInsertRows(QModelIndex(), change[1], change[1])
            self._layers = new
            self.endInsertRows()
        elif kind == "remove":
            self.beginRemoveRows(QModelIndex(), change[1], change[1])
            self._layers = new
            self.endRemoveRows()
        elif kind == "move":
            src, dst = change[1], change[2]
            self.beginMoveRows(
                QModelIndex(), src, src, QModelIndex(), dst + 1 if dst > src else dst
            )
            self._layers = new
            self.endMoveRows()
        elif kind == "reset":
            self.beginResetModel()
            self._layers = new
            self.endResetModel()
        else:
            self._layers = new

    @Slot()
    def _on_document_loaded(self) -> None:
        self.beginResetModel()
        self._layers = self._doc.spec.layers
        self._report = self._doc.report
        self.endResetModel()

    @Slot(object)
    def _on_document_checked(self, report: ShapeReport) -> None:
        self._report = report
        if self._layers:
            self.dataChanged.emit(self.index(0), self.index(len(self._layers) - 1))
