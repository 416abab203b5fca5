"""One layer's card in the network editor: how `CardDelegate` paints it.

A card shows the layer's icon and colour stripe, its name and summary, its output
shape and parameter count, a padlock when frozen, and its problem in red or amber.
The list itself (`NetworkEditor`) and the panel around it are in stack_view.py.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from nnstudio.core.network.layers import LAYER_KINDS
from nnstudio.core.network.shapes import format_shape
from nnstudio.ui.icons import category_color, layer_icon
from nnstudio.ui.messages import (
    ERROR_COLOR,
    WARNING_COLOR,
)
from nnstudio.ui.stack_model import (
    ClassesRole,
    ProblemRole,
    SeverityRole,
    ShapeRole,
    SummaryRole,
)

CARD_HEIGHT = 48  # two comfortable lines of text at the default font
CARD_MARGIN = 4
ICON = 24
TEXT_LEFT = 12 + ICON + 10  # stripe and icon, then the text


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
