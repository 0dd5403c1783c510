"""Paints a circle's rows: day separators, and messages as bubbles.

Others' messages sit on the left in white bubbles, each group under its author's name in
that author's colour; one's own sit on the right in the accent's soft tone. The time sits
at the end of the last line when it fits there, else on a line of its own.

Text is laid out with QTextLayout (wrapping at word boundaries, or anywhere for a word
longer than the bubble). Row heights depend on the view's width; they are cached per
width, so scrolling does not lay text out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from peerapp.ui import style, timeline
from peerapp.ui.timeline import DayRow, MessageRow, Row
from peerapp.ui.widgets.message_model import ROW_ROLE, describe

Index = QModelIndex | QPersistentModelIndex

SIDE_MARGIN = 18
PAD_X = 12
PAD_Y = 7
RADIUS = 12
MAX_BUBBLE_FRACTION = 0.72
MIN_TEXT_WIDTH = 80
GROUP_GAP = 10
FOLLOW_GAP = 3
NAME_GAP = 3
TIME_GAP = 10
DAY_ROW_HEIGHT = 44
DAY_LINE_GAP = 12


@dataclass(frozen=True)
class TextBlock:
    """`text` laid out to a width: the layout to draw, and what it measures."""

    layout: QTextLayout
    width: float
    height: float
    last_line_width: float


def lay_out(text: str, font: QFont, width: int) -> TextBlock:
    # QTextLayout breaks lines only at U+2028, not at "\n"
    layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    height = widest = last = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
        last = line.naturalTextWidth()
        widest = max(widest, last)
    layout.endLayout()
    return TextBlock(layout, widest, height, last)


@dataclass(frozen=True)
class BubbleGeometry:
    """Where everything of one message row goes, relative to the row's top left."""

    row_height: int
    bubble: QRectF
    name_top: float
    text_origin: QPointF
    time_rect: QRectF


class MessageDelegate(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._sizes: dict[tuple[str, bool], QSize] = {}
        self._sized_for_width = -1

    # -- fonts --------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        body = QFont(self._view.font())
        name = QFont(body)
        name.setWeight(QFont.Weight.DemiBold)
        small = QFont(body)
        small.setPointSizeF(max(body.pointSizeF() * 0.82, 7.0))
        return body, name, small

    # -- geometry -----------------------------------------------------------------------

    def _row_width(self) -> int:
        return max(self._view.viewport().width(), 2 * SIDE_MARGIN + MIN_TEXT_WIDTH)

    def _geometry(self, row: MessageRow, width: int) -> tuple[BubbleGeometry, TextBlock]:
        body, name_font, small = self._fonts()
        message = row.message
        max_text = max(int(width * MAX_BUBBLE_FRACTION) - 2 * PAD_X, MIN_TEXT_WIDTH)
        block = lay_out(message.text, body, max_text)
        small_metrics = QFontMetrics(small)
        time_width = small_metrics.horizontalAdvance(timeline.clock(message.ts))
        if block.last_line_width + TIME_GAP + time_width <= max_text:
            content_width = max(block.width, block.last_line_width + TIME_GAP + time_width)
            content_height = max(block.height, small_metrics.height())
        else:
            content_width = max(block.width, time_width)
            content_height = block.height + small_metrics.height()
        bubble_width = content_width + 2 * PAD_X
        bubble_height = content_height + 2 * PAD_Y
        top = GROUP_GAP if row.starts_group else FOLLOW_GAP
        name_top = float(top)
        if row.starts_group and not message.mine:
            top += QFontMetrics(name_font).height() + NAME_GAP
        left = width - SIDE_MARGIN - bubble_width if message.mine else SIDE_MARGIN
        bubble = QRectF(left, top, bubble_width, bubble_height)
        time_rect = QRectF(
            bubble.right() - PAD_X - time_width,
            bubble.bottom() - PAD_Y - small_metrics.height(),
            time_width,
            small_metrics.height(),
        )
        geometry = BubbleGeometry(
            row_height=int(bubble.bottom() + 0.999),
            bubble=bubble,
            name_top=name_top,
            text_origin=QPointF(left + PAD_X, top + PAD_Y),
            time_rect=time_rect,
        )
        return geometry, block

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row: Row = index.data(ROW_ROLE)
        width = self._row_width()
        if width != self._sized_for_width:
            self._sizes.clear()
            self._sized_for_width = width
        if isinstance(row, DayRow):
            return QSize(width, DAY_ROW_HEIGHT)
        key = (row.message.id, row.starts_group)
        size = self._sizes.get(key)
        if size is None:
            geometry, _ = self._geometry(row, width)
            size = QSize(width, geometry.row_height)
            self._sizes[key] = size
        return size

    # -- painting -----------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: Row = index.data(ROW_ROLE)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            rect: QRect = option.rect
            if isinstance(row, DayRow):
                self._paint_day(painter, rect, row)
            else:
                state = option.state
                selected = bool(state & QStyle.StateFlag.State_Selected)
                self._paint_message(painter, rect, row, selected)
        finally:
            painter.restore()

    def _paint_day(self, painter: QPainter, rect: QRect, row: DayRow) -> None:
        small = self._fonts()[2]
        label = describe(row, date.today())
        font = QFont(small)
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(font)
        text_width = metrics.horizontalAdvance(label)
        centre_x = rect.center().x()
        centre_y = rect.center().y()
        painter.setPen(QPen(QColor(style.BORDER), 1))
        left_end = centre_x - text_width / 2 - DAY_LINE_GAP
        right_start = centre_x + text_width / 2 + DAY_LINE_GAP
        painter.drawLine(QPointF(rect.left() + SIDE_MARGIN, centre_y), QPointF(left_end, centre_y))
        painter.drawLine(
            QPointF(right_start, centre_y), QPointF(rect.right() - SIDE_MARGIN, centre_y)
        )
        painter.setFont(font)
        painter.setPen(QColor(style.MUTED))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_message(
        self, painter: QPainter, rect: QRect, row: MessageRow, selected: bool
    ) -> None:
        geometry, block = self._geometry(row, rect.width())
        origin = QPointF(rect.topLeft())
        message = row.message
        _, name_font, small = self._fonts()

        if row.starts_group and not message.mine:
            painter.setFont(name_font)
            painter.setPen(QColor(style.name_colour(message.author)))
            name_rect = QRectF(
                origin.x() + geometry.bubble.left() + 2,
                origin.y() + geometry.name_top,
                rect.width() - 2 * SIDE_MARGIN,
                QFontMetrics(name_font).height(),
            )
            painter.drawText(
                name_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                message.author_name,
            )

        bubble = geometry.bubble.translated(origin)
        fill = style.BUBBLE_MINE if message.mine else style.BUBBLE_OTHER
        if selected:
            painter.setPen(QPen(QColor(style.BUBBLE_SELECTED), 1.5))
        elif message.mine:
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setPen(QPen(QColor(style.BUBBLE_BORDER), 1))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(bubble.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)

        painter.setPen(QColor(style.TEXT))
        block.layout.draw(painter, geometry.text_origin + origin)

        painter.setFont(small)
        painter.setPen(QColor(style.MUTED))
        painter.drawText(
            geometry.time_rect.translated(origin),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
            timeline.clock(message.ts),
        )
