"""The layer palette: the core's catalog grouped by category, ready to drag.

Each entry carries an icon, and a tooltip that says what the layer computes and when
to use it, in the UI language. Dragging sends the kind under the layer mime type;
double-click (or Enter) appends the layer to the network for people who don't drag.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QSize, Qt, Signal, Slot
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnstudio.core.network.layers import CATEGORIES, LAYER_KINDS, LayerKind
from nnstudio.ui.icons import layer_icon
from nnstudio.ui.messages import core_text
from nnstudio.ui.stack_model import LAYER_MIME, kind_mime

ITEM_PADDING_PX = 26  # gap after the icon, the item's margins, focus frame, air

KindRole = Qt.ItemDataRole.UserRole + 1


class LayerPalette(QTreeWidget):
    """objectName `layerPalette`: categories as top-level items, kinds below them."""

    sig_add_requested = Signal(str)  # kind, from a double-click or Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerPalette")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setToolTip(self.tr("Drag a layer into the network (or double-click it)."))
        self._populate()
        self.itemActivated.connect(self._on_item_activated)

    def _category_titles(self) -> dict[str, str]:
        return {
            "Dense": self.tr("Dense"),
            "Convolution": self.tr("Convolution"),
            "Pooling": self.tr("Pooling"),
            "Activation": self.tr("Activation"),
            "Regularization": self.tr("Regularization"),
            "Normalization": self.tr("Normalization"),
            "Structure": self.tr("Structure"),
            "Blocks": self.tr("Blocks"),
            "Pretrained": self.tr("Pretrained"),
            "Sequence": self.tr("Sequence"),  # sequences
            "Recurrent": self.tr("Recurrent"),
            "Attention": self.tr("Attention"),
        }

    def _populate(self) -> None:
        titles = self._category_titles()
        for category in CATEGORIES:
            group = QTreeWidgetItem(self, [titles.get(category, category)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setData(0, KindRole, "")
            for declared in LAYER_KINDS.values():
                if declared.category == category:
                    self._add_kind(group, declared)
        self.expandAll()

    def _add_kind(self, group: QTreeWidgetItem, declared: LayerKind) -> None:
        item = QTreeWidgetItem(group, [declared.kind])
        item.setIcon(0, layer_icon(declared.kind, declared.category))
        item.setToolTip(0, self.kind_tooltip(declared))
        item.setStatusTip(0, core_text(declared.description))
        item.setData(0, KindRole, declared.kind)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide enough for the longest name ("AdaptiveAvgPool2d" was clipped to
        "AdaptiveAvgP…"): indentation, icon, text, the scroll bar and the frame."""
        hint = super().minimumSizeHint()
        names = self.kinds() + [
            self.topLevelItem(i).text(0) for i in range(self.topLevelItemCount())
        ]
        text = max((self.fontMetrics().horizontalAdvance(n) for n in names), default=0)
        width = (
            2 * self.indentation()
            + self._icon_px()
            + text
            + ITEM_PADDING_PX
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(max(hint.width(), width), hint.height())

    def _icon_px(self) -> int:
        size = self.iconSize().width()  # -1 until set: then the style's small icon
        return (
            size
            if size > 0
            else self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        )

    def kind_tooltip(self, declared: LayerKind) -> str:
        parts = [
            f"<b>{declared.kind}</b>",
            core_text(declared.description),
            f"<code>{declared.formula}</code>",
        ]
        if declared.when:
            parts.append(f"<i>{core_text(declared.when)}</i>")
        return "<br>".join(parts)

    def kinds(self) -> list[str]:
        """Every kind listed, in palette order (for tests and keyboard users)."""
        found = []
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            found += [
                group.child(j).data(0, KindRole) for j in range(group.childCount())
            ]
        return found

    def item_for(self, kind: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, KindRole) == kind:
                    return group.child(j)
        return None

    # --- dragging out -----------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def mimeData(self, items: Any) -> QMimeData:
        kinds = [item.data(0, KindRole) for item in items if item.data(0, KindRole)]
        return kind_mime(" ".join(kinds))

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def startDrag(self, supported: Qt.DropAction) -> None:
        """Copy only: the palette keeps its items whatever the target reports."""
        items = [i for i in self.selectedItems() if i.data(0, KindRole)]
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData(items))
        drag.setPixmap(items[0].icon(0).pixmap(32, 32))
        drag.exec(Qt.DropAction.CopyAction, Qt.DropAction.CopyAction)

    @Slot(QTreeWidgetItem, int)
    def _on_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        kind = item.data(0, KindRole)
        if kind:
            self.sig_add_requested.emit(kind)

    def filter(self, pattern: str) -> None:
        """Hide kinds that match neither the name nor the description."""
        pattern = pattern.strip().lower()
        for i in range(self.topLevelItemCount()):
            group, visible = self.topLevelItem(i), 0
            for j in range(group.childCount()):
                item = group.child(j)
                hit = (
                    not pattern
                    or pattern in item.text(0).lower()
                    or pattern in item.statusTip(0).lower()
                )
                item.setHidden(not hit)
                visible += hit
            group.setHidden(visible == 0)


class PalettePanel(QWidget):
    """The palette with a search box above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText(self.tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Type part of a name or of what a layer does."))
        self.palette = LayerPalette(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.palette, 1)
        self.search.textChanged.connect(self._on_search_text_changed)

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self.palette.filter(text)
