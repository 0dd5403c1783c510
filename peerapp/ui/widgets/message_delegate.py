"""Paints a circle's rows: day separators, and messages as bubbles.

Others' messages sit on the left in white bubbles, each group under its author's name in
that author's colour; one's own sit on the right in the accent's soft tone. The time sits
at the end of the last line when it fits there, else on a line of its own.

Own messages carry their delivery state after the time: a small clock while no other
member holds the message yet, a check mark with "N/M" while N of the M others hold it,
a double check once all of them do. The indicator's room is reserved for the widest
state, so a state moving on repaints the bubble without changing its size. Its words
("Delivered to 2 of 3") are the bubble's tooltip. In Tor mode, while Tor is not
ready, a message nobody holds yet keeps its clock and says "Waiting for Tor…" in a note
under its bubble (the model's presentation).

A deleted message keeps its bubble, with its tombstone ("Message removed by a
facilitator") in italics instead of its text. A notice (what a facilitator did) is a
quiet line of small muted text in the middle of the conversation, without a bubble.

A message collapsed for this reader (behind its content warning, or hidden pending review)
shows in muted italics what stands for it, with small buttons drawn in the bubble ("Show",
"Show anyway", "Restore" for facilitators); shown, its tags sit small above its text, with
"Hide again". A press on a button is `buttonClicked` (the list acts on it). A check-in is
one slim line: the name, five dots filled to the mood, the mood's word and the line. A
note about a message (its author signed two versions of it) sits in small muted italics
just under its bubble, on the bubble's side.

Links in a message's text (peerapp.ui.links: http, https, www.) are underlined in the
link colour; a left click on one is `linkClicked` with the address as written (the pane
asks before anything opens it).

Text is laid out with QTextLayout (wrapping at word boundaries, or anywhere for a word
longer than the bubble). Row heights depend on the view's width; they are cached per
width, so scrolling does not lay text out again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from peerapp.core.events import MessageView
from peerapp.ui import links, style, theme, timeline
from peerapp.ui.text import check_ins, content, conversation
from peerapp.ui.theme.palette import CHIP_LOOKS
from peerapp.ui.timeline import DayRow, MessageRow, NoticeRow, Row
from peerapp.ui.widgets.message_model import (
    ROW_ROLE,
    Button,
    Delivery,
    Look,
    MessageModel,
    Presentation,
    Quote,
    ReactionChip,
    delivery_of,
    delivery_text,
    describe,
    presentation,
)

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
INDICATOR_GAP = 5  # between the time and the delivery indicator
COUNT_GAP = 3  # between the check mark and its "N/M"
DOUBLE_CHECK_SHIFT = 0.5  # the second check of a double one, in icon widths
NOTICE_PAD_Y = 6  # above and below a notice's text
NOTICE_MARGIN = 48  # a notice's text keeps this far from the row's sides
TAG_GAP = 3  # below the small tags above a message's text
TAG_SEPARATOR = " · "
BUTTON_PAD_X = 10
BUTTON_PAD_Y = 3
BUTTON_GAP = 6
BUTTON_TOP_GAP = 6  # between a message's text and its buttons
CHECK_IN_PAD_Y = 5  # a check-in's bubble is slimmer than a message's
MOOD_STEPS = 5
DOT_FRACTION = 0.6  # a mood dot's size, as a share of the text's ascent
DOT_GAP = 3
HEAD_GAP = 8  # between a check-in's name, its dots and its mood word
LINE_GAP = 10  # between a check-in's mood word and its line
NOTE_GAP = 2  # between a bubble and the note under it
PICTURE_EDGE = 240  # a picture's preview in a bubble, at most (issue 15)
PICTURE_GAP = 6  # between the preview and the text
BLUR_STEPS = 12  # a blurred preview is drawn from this many pixels across, smoothed
PICTURES_KEPT = 256  # previews decoded and kept (the newest)
QUOTE_BAR = 3  # the accent bar at a reply's quote's left
QUOTE_INDENT = 8  # the quote's text, right of its bar
CHIP_GAP = 3  # between a bubble and the reaction chips just below it
CHIP_OWN_EDGE = 1.5  # our own reaction's chip: its edge, as strong as its fill


@dataclass(frozen=True)
class TextBlock:
    """`text` laid out to a width: the layout to draw, and what it measures."""

    layout: QTextLayout
    width: float
    height: float
    last_line_width: float


def laid_out_text(text: str) -> str:
    """`text` as `lay_out` lays it out, one character for one (a layout's cursor
    positions index this)."""
    # QTextLayout breaks lines only at U+2028, not at "\n"
    return text.replace("\r\n", "\n").replace("\n", "\u2028")


def lay_out(text: str, font: QFont, width: int, with_links: bool = False) -> TextBlock:
    """`text` wrapped to `width`; `with_links`: its links drawn as links."""
    shown = laid_out_text(text)
    layout = QTextLayout(shown, font)
    if with_links:
        layout.setFormats(_link_formats(shown))
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


def _link_formats(text: str) -> list[QTextLayout.FormatRange]:
    formats = []
    for span in links.find_links(text):
        look = QTextCharFormat()
        look.setForeground(QColor(theme.current().link))
        look.setFontUnderline(True)
        link_range = QTextLayout.FormatRange()
        link_range.start = span.start
        link_range.length = span.end - span.start
        link_range.format = look
        formats.append(link_range)
    return formats


@dataclass(frozen=True)
class BubbleGeometry:
    """Where everything of one message row goes, relative to the row's top left."""

    row_height: int
    bubble: QRectF
    name_top: float
    text_origin: QPointF
    time_rect: QRectF
    indicator_rect: QRectF  # empty when the message shows no delivery state
    tag_rect: QRectF = field(
        default_factory=QRectF
    )  # the small tags above the text; empty without any
    buttons: tuple[tuple[Button | ReactionChip, str, QRectF], ...] = ()
    # a check-in's one line: its name and mood word, and the mood's dots
    head_rect: QRectF = field(default_factory=QRectF)
    dots_rect: QRectF = field(default_factory=QRectF)
    word_left: float = 0.0
    note_rect: QRectF = field(default_factory=QRectF)  # the note under it; empty without
    picture_rect: QRectF = field(default_factory=QRectF)  # a picture's preview; empty without
    quote_rect: QRectF = field(default_factory=QRectF)  # a reply's quote; empty without


@dataclass(frozen=True)
class _Footer:
    """The time and the delivery indicator at a bubble's end."""

    clock_width: float
    indicator_width: float
    height: float

    @property
    def width(self) -> float:
        return self.clock_width + (
            INDICATOR_GAP + self.indicator_width if self.indicator_width else 0
        )


class MessageDelegate(QStyledItemDelegate):
    # a button drawn in a bubble was pressed: message id, Button or ReactionChip
    buttonClicked = Signal(str, object)
    # a reply's quote was pressed: the id of the message it answers
    quoteClicked = Signal(str)
    # a link in a message's text was clicked: the address as written (not opened yet)
    linkClicked = Signal(str)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._sizes: dict[tuple[str, Presentation, bool, int], QSize] = {}
        self._pictures: dict[str, QPixmap] = {}  # message id -> its preview, as drawn
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

    def _others(self) -> int:
        model = self._view.model()
        return model.others if isinstance(model, MessageModel) else 0

    def _waiting_for_tor(self) -> bool:
        model = self._view.model()
        return isinstance(model, MessageModel) and model.waiting_for_tor

    def presentation_of(self, message: MessageView) -> Presentation:
        model = self._view.model()
        if isinstance(model, MessageModel):
            return model.presentation_of(message)
        return presentation(message, revealed=False, reviewer=False)

    def _indicator_width(self, message: MessageView, others: int) -> float:
        """The room the delivery indicator takes: the widest of its states."""
        if delivery_of(message, others) is None:
            return 0.0
        small = self._fonts()[2]
        metrics = QFontMetrics(small)
        icon = float(metrics.ascent())
        count = metrics.horizontalAdvance(conversation.held_by_count(others, others))
        partly = icon + COUNT_GAP + count if others > 1 else icon
        return max(icon * (1 + DOUBLE_CHECK_SHIFT), partly)

    def _footer(self, message: MessageView, others: int) -> _Footer:
        metrics = QFontMetrics(self._fonts()[2])
        return _Footer(
            float(metrics.horizontalAdvance(timeline.clock(message.ts))),
            self._indicator_width(message, others),
            float(metrics.height()),
        )

    def _geometry(
        self,
        row: MessageRow,
        width: int,
        others: int | None = None,
        shown: Presentation | None = None,
    ) -> tuple[BubbleGeometry, TextBlock]:
        if others is None:
            others = self._others()
        if shown is None:
            shown = self.presentation_of(row.message)
        if shown.look is Look.CHECK_IN:
            geometry, block = self._check_in_geometry(row, width, others)
        else:
            geometry, block = self._bubble_geometry(row, shown, width, others)
        if shown.note:
            geometry = self._with_note(geometry, shown.note, width, row.message.mine)
        return geometry, block

    def _with_note(
        self, geometry: BubbleGeometry, note: str, width: int, mine: bool
    ) -> BubbleGeometry:
        """Room for `note` under the bubble, on its side, as wide as a bubble may be."""
        block = self._note_block(note, width)
        bubble = geometry.bubble
        left = bubble.right() - block.width if mine else bubble.left() + 2
        below = max(bubble.bottom(), float(geometry.row_height))  # under any reaction chips
        rect = QRectF(left, below + NOTE_GAP, block.width, block.height)
        return replace(geometry, row_height=int(rect.bottom() + 0.999), note_rect=rect)

    def _note_block(self, note: str, width: int) -> TextBlock:
        small = QFont(self._fonts()[2])
        small.setItalic(True)
        return lay_out(note, small, max(int(width * MAX_BUBBLE_FRACTION), MIN_TEXT_WIDTH))

    def _bubble_geometry(
        self, row: MessageRow, shown: Presentation, width: int, others: int
    ) -> tuple[BubbleGeometry, TextBlock]:
        body, name_font, small = self._fonts()
        message = row.message
        max_text = max(int(width * MAX_BUBBLE_FRACTION) - 2 * PAD_X, MIN_TEXT_WIDTH)
        block = self._message_text(shown, body, max_text)
        small_metrics = QFontMetrics(small)
        footer = self._footer(message, others)
        time_width = footer.width
        tag_text = TAG_SEPARATOR.join(shown.tags)
        tag_width = min(float(small_metrics.horizontalAdvance(tag_text)), float(max_text))
        quote_height = small_metrics.height() + TAG_GAP if shown.quote is not None else 0
        if shown.quote is not None:
            quote_width = QUOTE_INDENT + small_metrics.horizontalAdvance(shown.quote.text)
            tag_width = max(tag_width, min(float(quote_width), float(max_text)))
        # the quote and the tags sit above the text: together, the text's head
        tag_height = quote_height + (small_metrics.height() + TAG_GAP if tag_text else 0)
        picture = self._picture(message.id, shown.picture, max_text)
        picture_height = picture.height() + PICTURE_GAP if picture is not None else 0
        tag_height += picture_height  # the preview sits under the tags, above the text
        tag_width = max(tag_width, float(picture.width()) if picture is not None else 0.0)
        button_height = small_metrics.height() + 2 * BUTTON_PAD_Y
        # reaction chips go just below the bubble (as Signal and Element draw them); the
        # other buttons (show, restore, care) stay under the text, inside it
        inner, chips = _split_chips(shown.buttons)
        button_widths = [
            small_metrics.horizontalAdvance(label) + 2 * BUTTON_PAD_X for _, label in inner
        ]
        buttons_width = sum(button_widths) + BUTTON_GAP * max(len(button_widths) - 1, 0)
        buttons_top = tag_height + block.height + BUTTON_TOP_GAP
        if inner:
            if buttons_width + TIME_GAP + time_width <= max_text:  # the time beside them
                content_width = max(tag_width, block.width, buttons_width + TIME_GAP + time_width)
                content_height = buttons_top + button_height
            else:
                content_width = max(tag_width, block.width, buttons_width, time_width)
                content_height = buttons_top + button_height + footer.height
        elif block.last_line_width + TIME_GAP + time_width <= max_text:
            content_width = max(
                tag_width, block.width, block.last_line_width + TIME_GAP + time_width
            )
            content_height = tag_height + max(block.height, footer.height)
        else:
            content_width = max(tag_width, block.width, time_width)
            content_height = tag_height + block.height + footer.height
        bubble_width = content_width + 2 * PAD_X
        bubble_height = content_height + 2 * PAD_Y
        top = GROUP_GAP if row.starts_group else FOLLOW_GAP
        name_top = float(top)
        if row.starts_group and not message.mine:
            top += QFontMetrics(name_font).height() + NAME_GAP
        left = width - SIDE_MARGIN - bubble_width if message.mine else SIDE_MARGIN
        bubble = QRectF(left, top, bubble_width, bubble_height)
        time_rect, indicator_rect = self._footer_rects(bubble, footer)
        room = max(float(max_text + 2 * PAD_X), bubble.width())
        placed = _placed_chips(chips, small_metrics, bubble, room, mine=message.mine)
        buttons = [
            *_in_a_row(
                inner, button_widths, left + PAD_X, top + PAD_Y + buttons_top, button_height
            ),
            *placed,
        ]
        below = max([bubble.bottom(), *(r.bottom() for _, _, r in placed)])
        geometry = BubbleGeometry(
            row_height=int(below + 0.999),
            bubble=bubble,
            name_top=name_top,
            text_origin=QPointF(left + PAD_X, top + PAD_Y + tag_height),
            time_rect=time_rect,
            indicator_rect=indicator_rect,
            tag_rect=(
                QRectF(
                    left + PAD_X, top + PAD_Y + quote_height, content_width, small_metrics.height()
                )
                if tag_text
                else QRectF()
            ),
            buttons=tuple(buttons),
            picture_rect=(
                QRectF(
                    left + PAD_X,
                    top + PAD_Y + tag_height - picture_height,
                    picture.width(),
                    picture.height(),
                )
                if picture is not None
                else QRectF()
            ),
            quote_rect=(
                QRectF(left + PAD_X, top + PAD_Y, content_width, small_metrics.height())
                if shown.quote is not None
                else QRectF()
            ),
        )
        return geometry, block

    def _picture(self, message_id: str, data: bytes, max_width: int) -> QPixmap | None:
        """A message's preview as drawn (decoded once, kept for the newest few); None
        when it has none or Qt cannot read it (the engine checked it with Pillow)."""
        if not data:
            return None
        kept = self._pictures.get(message_id)
        if kept is None:
            image = QImage.fromData(data)
            if image.isNull():
                return None
            edge = min(PICTURE_EDGE, max_width)
            kept = QPixmap.fromImage(image).scaled(
                edge,
                edge,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            if len(self._pictures) >= PICTURES_KEPT:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[message_id] = kept
        return kept

    def _check_in_geometry(
        self, row: MessageRow, width: int, others: int
    ) -> tuple[BubbleGeometry, TextBlock]:
        """One compact line: the name, five dots filled to the mood, the mood's word, and
        the optional line after them (below them when it does not fit beside)."""
        body, name_font, _ = self._fonts()
        message = row.message
        max_text = max(int(width * MAX_BUBBLE_FRACTION) - 2 * PAD_X, MIN_TEXT_WIDTH)
        name_metrics = QFontMetrics(name_font)
        body_metrics = QFontMetrics(body)
        dot = _dot_size(body_metrics)
        dots_width = MOOD_STEPS * dot + (MOOD_STEPS - 1) * DOT_GAP
        name_width = name_metrics.horizontalAdvance(message.author_name)
        word_width = name_metrics.horizontalAdvance(check_ins.mood_name(message.mood))
        head_width = float(name_width + HEAD_GAP + dots_width + HEAD_GAP + word_width)
        head_height = float(max(name_metrics.height(), body_metrics.height()))
        footer = self._footer(message, others)
        beside = max_text - head_width - LINE_GAP
        line_beside = False
        if message.text and beside >= MIN_TEXT_WIDTH:
            block = lay_out(message.text, body, int(beside))
            line_beside = _one_line(block)
        if not line_beside:
            block = lay_out(message.text, body, max_text)
        if not message.text:
            line_width = head_width
            text_offset = QPointF(0, 0)
            last_line_end, last_line_top = head_width, 0.0
        elif line_beside:
            line_width = head_width + LINE_GAP + block.width
            text_offset = QPointF(head_width + LINE_GAP, 0)
            last_line_end, last_line_top = line_width, 0.0
        else:
            line_width = max(head_width, block.width)
            text_offset = QPointF(0, head_height)
            last_line_end, last_line_top = block.last_line_width, head_height
        lines_height = (
            head_height if not message.text or line_beside else head_height + block.height
        )
        if last_line_end + TIME_GAP + footer.width <= max_text:
            content_width = max(line_width, last_line_end + TIME_GAP + footer.width)
            content_height = max(lines_height, last_line_top + footer.height)
        else:
            content_width = max(line_width, footer.width)
            content_height = lines_height + footer.height
        bubble_width = content_width + 2 * PAD_X
        bubble_height = content_height + 2 * CHECK_IN_PAD_Y
        top = GROUP_GAP if row.starts_group else FOLLOW_GAP
        left = width - SIDE_MARGIN - bubble_width if message.mine else SIDE_MARGIN
        bubble = QRectF(left, top, bubble_width, bubble_height)
        time_rect, indicator_rect = self._footer_rects(bubble, footer, CHECK_IN_PAD_Y)
        inner = QPointF(left + PAD_X, top + CHECK_IN_PAD_Y)
        dots_left = inner.x() + name_width + HEAD_GAP
        geometry = BubbleGeometry(
            row_height=int(bubble.bottom() + 0.999),
            bubble=bubble,
            name_top=float(top),
            text_origin=inner + text_offset,
            time_rect=time_rect,
            indicator_rect=indicator_rect,
            head_rect=QRectF(inner.x(), inner.y(), head_width, head_height),
            dots_rect=QRectF(dots_left, inner.y() + (head_height - dot) / 2, dots_width, dot),
            word_left=dots_left + dots_width + HEAD_GAP,
        )
        return geometry, block

    @staticmethod
    def _footer_rects(
        bubble: QRectF, footer: _Footer, pad_y: float = PAD_Y
    ) -> tuple[QRectF, QRectF]:
        footer_top = bubble.bottom() - pad_y - footer.height
        time_rect = QRectF(
            bubble.right() - PAD_X - footer.width, footer_top, footer.clock_width, footer.height
        )
        indicator_rect = QRectF()
        if footer.indicator_width:
            indicator_rect = QRectF(
                bubble.right() - PAD_X - footer.indicator_width,
                footer_top,
                footer.indicator_width,
                footer.height,
            )
        return time_rect, indicator_rect

    def _message_text(self, shown: Presentation, body: QFont, width: int) -> TextBlock:
        if shown.look is Look.PLAIN:
            return lay_out(shown.text, body, width, with_links=True)
        if shown.look is Look.CHECK_IN:
            return lay_out(shown.text, body, width)
        italic = QFont(body)  # a tombstone, or what stands for a collapsed message
        italic.setItalic(True)
        return lay_out(shown.text, italic, width)

    def _notice_text(self, row: NoticeRow, width: int) -> TextBlock:
        small = QFont(self._fonts()[2])
        small.setItalic(True)
        return lay_out(row.notice.text, small, max(width - 2 * NOTICE_MARGIN, MIN_TEXT_WIDTH))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row: Row = index.data(ROW_ROLE)
        width = self._row_width()
        if width != self._sized_for_width:
            self._sizes.clear()
            self._sized_for_width = width
        if isinstance(row, DayRow):
            return QSize(width, DAY_ROW_HEIGHT)
        if isinstance(row, NoticeRow):
            block = self._notice_text(row, width)
            return QSize(width, int(block.height + 2 * NOTICE_PAD_Y + 0.999))
        others = self._others() if row.message.mine else 0
        shown = self.presentation_of(row.message)
        key = (row.message.id, shown, row.starts_group, others)
        size = self._sizes.get(key)
        if size is None:
            geometry, _ = self._geometry(row, width, others, shown)
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
            elif isinstance(row, NoticeRow):
                self._paint_notice(painter, rect, row)
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
        painter.setPen(QPen(QColor(theme.current().divider), 1))
        left_end = centre_x - text_width / 2 - DAY_LINE_GAP
        right_start = centre_x + text_width / 2 + DAY_LINE_GAP
        painter.drawLine(QPointF(rect.left() + SIDE_MARGIN, centre_y), QPointF(left_end, centre_y))
        painter.drawLine(
            QPointF(right_start, centre_y), QPointF(rect.right() - SIDE_MARGIN, centre_y)
        )
        painter.setFont(font)
        painter.setPen(QColor(theme.current().muted))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_notice(self, painter: QPainter, rect: QRect, row: NoticeRow) -> None:
        block = self._notice_text(row, rect.width())
        colours = theme.current()
        if row.notice.divider:  # "New messages": a line across, its words in the accent
            self._paint_divider(painter, rect, block.width)
        left = rect.left() + (rect.width() - block.width) / 2
        painter.setPen(QColor(colours.accent_text if row.notice.divider else colours.muted))
        # each line centred: the layout's lines are laid out from its left edge
        for number in range(block.layout.lineCount()):
            line = block.layout.lineAt(number)
            shift = (block.width - line.naturalTextWidth()) / 2
            line.draw(painter, QPointF(left + shift, rect.top() + NOTICE_PAD_Y))

    def _paint_divider(self, painter: QPainter, rect: QRect, text_width: float) -> None:
        centre_x, centre_y = rect.center().x(), rect.center().y()
        painter.setPen(QPen(QColor(theme.current().accent), 1))
        left_end = centre_x - text_width / 2 - DAY_LINE_GAP
        right_start = centre_x + text_width / 2 + DAY_LINE_GAP
        painter.drawLine(QPointF(rect.left() + SIDE_MARGIN, centre_y), QPointF(left_end, centre_y))
        painter.drawLine(
            QPointF(right_start, centre_y), QPointF(rect.right() - SIDE_MARGIN, centre_y)
        )

    def _paint_message(
        self, painter: QPainter, rect: QRect, row: MessageRow, selected: bool
    ) -> None:
        message = row.message
        shown = self.presentation_of(message)
        geometry, block = self._geometry(row, rect.width(), shown=shown)
        origin = QPointF(rect.topLeft())
        _, name_font, small = self._fonts()
        check_in = shown.look is Look.CHECK_IN

        if row.starts_group and not message.mine and not check_in:
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
        colours = theme.current()
        fill = colours.accent_soft if message.mine else colours.surface
        if selected:
            painter.setPen(QPen(QColor(theme.current().accent), 1.5))
        elif message.mine:
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setPen(QPen(QColor(theme.current().outline), 1))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(bubble.adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)

        if check_in:
            self._paint_check_in_head(painter, geometry, origin, message)
        if not geometry.tag_rect.isEmpty():
            painter.setFont(small)
            painter.setPen(QColor(theme.current().muted))
            tags = TAG_SEPARATOR.join(shown.tags)
            tag_rect = geometry.tag_rect.translated(origin)
            elided = QFontMetrics(small).elidedText(
                tags, Qt.TextElideMode.ElideRight, int(tag_rect.width() + 0.999)
            )
            painter.drawText(
                tag_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
            )
        if not geometry.picture_rect.isEmpty():
            self._paint_picture(painter, geometry.picture_rect.translated(origin), message, shown)
        if shown.quote is not None and not geometry.quote_rect.isEmpty():
            _paint_quote(painter, geometry.quote_rect.translated(origin), shown.quote, small)
        muted = shown.look in (Look.DELETED, Look.HIDDEN, Look.WARNED)
        painter.setPen(QColor(colours.muted if muted else colours.text))
        block.layout.draw(painter, geometry.text_origin + origin)
        _paint_buttons(painter, geometry.buttons, origin, small)

        painter.setFont(small)
        painter.setPen(QColor(theme.current().muted))
        painter.drawText(
            geometry.time_rect.translated(origin),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
            timeline.clock(message.ts),
        )
        if not geometry.indicator_rect.isEmpty():
            self._paint_delivery(painter, geometry.indicator_rect.translated(origin), message)
        if not geometry.note_rect.isEmpty():
            note = self._note_block(shown.note, rect.width())
            painter.setPen(QColor(theme.current().muted))
            note.layout.draw(painter, geometry.note_rect.topLeft() + origin)

    def _paint_picture(
        self, painter: QPainter, target: QRectF, message: MessageView, shown: Presentation
    ) -> None:
        picture = self._picture(message.id, shown.picture, int(target.width()))
        if picture is None:
            return
        if shown.blurred:  # a few pixels across, smoothed back up: nothing to make out
            picture = picture.scaled(
                BLUR_STEPS,
                BLUR_STEPS,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawPixmap(target, picture, QRectF(picture.rect()))
        painter.restore()

    def _paint_check_in_head(
        self, painter: QPainter, geometry: BubbleGeometry, origin: QPointF, message: MessageView
    ) -> None:
        _, name_font, _ = self._fonts()
        head = geometry.head_rect.translated(origin)
        centred = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.setFont(name_font)
        painter.setPen(QColor(style.name_colour(message.author)))
        painter.drawText(head, centred, message.author_name)
        dots = geometry.dots_rect.translated(origin)
        size = dots.height()
        for step in range(MOOD_STEPS):
            circle = QRectF(dots.left() + step * (size + DOT_GAP), dots.top(), size, size)
            filled = step < message.mood
            painter.setPen(QPen(QColor(theme.current().accent), 1.2))
            painter.setBrush(QColor(theme.current().accent) if filled else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle.adjusted(0.6, 0.6, -0.6, -0.6))
        painter.setPen(QColor(theme.current().text))
        word = QRectF(geometry.word_left + origin.x(), head.top(), head.right(), head.height())
        painter.drawText(word, centred, check_ins.mood_name(message.mood))

    # -- buttons in a bubble ----------------------------------------------------------------

    def quote_area(self, index: Index, rect: QRect) -> tuple[Quote, QRectF] | None:
        """A reply's quote and where it is drawn, in the view's coordinates."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, MessageRow):
            return None
        shown = self.presentation_of(row.message)
        if shown.quote is None:
            return None
        geometry, _ = self._geometry(row, rect.width(), shown=shown)
        return shown.quote, geometry.quote_rect.translated(QPointF(rect.topLeft()))

    def quote_at(self, index: Index, rect: QRect, position: QPoint) -> Quote | None:
        """The reply's quote at `position` (the view's coordinates), if one is there."""
        found = self.quote_area(index, rect)
        if found is None or not found[1].contains(QPointF(position)):
            return None
        return found[0]

    def buttons_at(
        self, index: Index, rect: QRect
    ) -> tuple[tuple[Button | ReactionChip, str, QRectF], ...]:
        """The buttons drawn in the message at `index`, in the view's coordinates."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, MessageRow):
            return ()
        geometry, _ = self._geometry(row, rect.width())
        origin = QPointF(rect.topLeft())
        return tuple(
            (kind, label, area.translated(origin)) for kind, label, area in geometry.buttons
        )

    def button_at(
        self, index: Index, rect: QRect, position: QPoint
    ) -> Button | ReactionChip | None:
        for kind, _, area in self.buttons_at(index, rect):
            if area.contains(QPointF(position)):
                return kind
        return None

    def link_at(self, index: Index, rect: QRect, position: QPoint) -> links.LinkSpan | None:
        """The link under `position` (in the view's coordinates) in the text of the
        message at `index`, if any."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, MessageRow):
            return None
        shown = self.presentation_of(row.message)
        if shown.look is not Look.PLAIN:
            return None
        geometry, block = self._geometry(row, rect.width(), shown=shown)
        local = QPointF(position) - QPointF(rect.topLeft()) - geometry.text_origin
        layout = block.layout
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            if not line.y() <= local.y() < line.y() + line.height():
                continue
            if not 0 <= local.x() <= line.naturalTextWidth():
                return None
            cursor = line.xToCursor(local.x(), QTextLine.CursorPosition.CursorOnCharacter)
            return links.link_at(laid_out_text(shown.text), cursor)
        return None

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            position = event.position().toPoint()
            kind = self.button_at(index, option.rect, position)
            row = index.data(ROW_ROLE)
            if kind is not None and isinstance(row, MessageRow):
                self.buttonClicked.emit(row.message.id, kind)
                return True
            quote = self.quote_at(index, option.rect, position)
            if quote is not None:
                self.quoteClicked.emit(quote.message)
                return True
            link = self.link_at(index, option.rect, position)
            if link is not None:
                self.linkClicked.emit(link.written)
                return True
        return super().editorEvent(event, model, option, index)

    # -- the delivery indicator -----------------------------------------------------------

    def _paint_delivery(self, painter: QPainter, rect: QRectF, message: MessageView) -> None:
        others = self._others()
        state = delivery_of(message, others, self._waiting_for_tor())
        if state is None:
            return
        small = self._fonts()[2]
        metrics = QFontMetrics(small)
        size = float(metrics.ascent())
        # the icon sits on the text's baseline, like a glyph of the time before it
        baseline = rect.top() + metrics.ascent()
        icon = QRectF(rect.left(), baseline - size, size, size)
        if state in (Delivery.PENDING, Delivery.WAITING):
            _paint_clock(painter, icon, QColor(theme.current().muted))
        elif state is Delivery.HELD:
            colour = QColor(theme.current().accent_text)
            _paint_check(painter, icon, colour)
            _paint_check(painter, icon.translated(size * DOUBLE_CHECK_SHIFT, 0), colour)
        else:
            _paint_check(painter, icon, QColor(theme.current().muted))
            painter.setFont(small)
            painter.setPen(QColor(theme.current().muted))
            count_rect = QRectF(
                icon.right() + COUNT_GAP, rect.top(), rect.right() - icon.right(), rect.height()
            )
            painter.drawText(
                count_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                conversation.held_by_count(min(message.held_by, others), others),
            )

    # -- tooltips -----------------------------------------------------------------------

    def tooltip_at(self, index: Index, rect: QRect, position: QPoint) -> str | None:
        """What hovering at `position` (in the view's coordinates) explains: the delivery
        state of an own message, over its bubble."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, MessageRow):
            return None
        kind = self.button_at(index, rect, position)
        if isinstance(kind, ReactionChip):  # who gave it
            return content.reacted_by(kind.reaction, list(kind.names))
        if self.quote_at(index, rect, position) is not None:
            return content.quote_hint()
        others = self._others()
        text = delivery_text(row.message, others, self._waiting_for_tor())
        if text is None:
            return None
        geometry, _ = self._geometry(row, rect.width(), others)
        bubble = geometry.bubble.translated(QPointF(rect.topLeft()))
        return text if bubble.contains(QPointF(position)) else None

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        text = self.tooltip_at(index, option.rect, event.pos())
        if text is None:
            QToolTip.hideText()
            event.ignore()
            return False
        QToolTip.showText(event.globalPos(), text, view.viewport(), option.rect)
        return True


def _paint_quote(painter: QPainter, rect: QRectF, quote: Quote, font: QFont) -> None:
    """A reply's quote: an accent bar, then one elided line (muted italics when the
    message it answers is gone)."""
    colours = theme.current()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colours.accent))
    painter.drawRoundedRect(QRectF(rect.left(), rect.top(), QUOTE_BAR, rect.height()), 1.5, 1.5)
    quoted = QFont(font)
    quoted.setItalic(quote.removed)
    painter.setFont(quoted)
    painter.setPen(QColor(colours.muted))
    area = rect.adjusted(QUOTE_INDENT, 0, 0, 0)
    elided = QFontMetrics(quoted).elidedText(
        quote.text, Qt.TextElideMode.ElideRight, int(area.width() + 0.999)
    )
    painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)


def _split_chips(
    buttons: Sequence[tuple[Button | ReactionChip, str]],
) -> tuple[list[tuple[Button | ReactionChip, str]], list[tuple[Button | ReactionChip, str]]]:
    """A message's buttons in the bubble (show, restore, care), and its reaction chips."""
    inner: list[tuple[Button | ReactionChip, str]] = []
    chips: list[tuple[Button | ReactionChip, str]] = []
    for kind, label in buttons:
        (chips if isinstance(kind, ReactionChip) else inner).append((kind, label))
    return inner, chips


def _paint_buttons(
    painter: QPainter,
    buttons: Sequence[tuple[Button | ReactionChip, str, QRectF]],
    origin: QPointF,
    font: QFont,
) -> None:
    for kind, label, rect in buttons:
        if isinstance(kind, ReactionChip):
            _paint_chip(painter, rect.translated(origin), label, font, mine=kind.mine)
        else:
            _paint_button(painter, rect.translated(origin), label, font)


def _in_a_row(
    buttons: Sequence[tuple[Button | ReactionChip, str]],
    widths: list[int],
    left: float,
    top: float,
    height: int,
) -> list[tuple[Button | ReactionChip, str, QRectF]]:
    """Buttons side by side from (left, top), each with its width."""
    placed: list[tuple[Button | ReactionChip, str, QRectF]] = []
    x = left
    for (kind, label), button_width in zip(buttons, widths, strict=True):
        placed.append((kind, label, QRectF(x, top, button_width, height)))
        x += button_width + BUTTON_GAP
    return placed


def _placed_chips(
    chips: Sequence[tuple[Button | ReactionChip, str]],
    metrics: QFontMetrics,
    bubble: QRectF,
    room: float,
    *,
    mine: bool,
) -> list[tuple[Button | ReactionChip, str, QRectF]]:
    """Each reaction chip with where it goes, just below `bubble`."""
    widths = [metrics.horizontalAdvance(label) + 2 * BUTTON_PAD_X for _, label in chips]
    height = metrics.height() + 2 * BUTTON_PAD_Y
    rects = _chip_rects(widths, height, bubble, room, mine=mine)
    return [(kind, label, rect) for (kind, label), rect in zip(chips, rects, strict=True)]


def _chip_rects(
    widths: list[int], height: int, bubble: QRectF, room: float, *, mine: bool
) -> list[QRectF]:
    """Reaction chips in rows just below a bubble, on its side (from its left edge for
    others' messages, its right edge for ours), wrapping within `room`."""
    rows: list[list[int]] = []
    used = 0.0
    for chip_width in widths:
        if rows and used + BUTTON_GAP + chip_width <= room:
            rows[-1].append(chip_width)
            used += BUTTON_GAP + chip_width
        else:
            rows.append([chip_width])
            used = chip_width
    rects: list[QRectF] = []
    for number, row in enumerate(rows):
        top = bubble.bottom() + CHIP_GAP + number * (height + CHIP_GAP)
        total = sum(row) + BUTTON_GAP * (len(row) - 1)
        x = bubble.right() - total if mine else bubble.left()
        for chip_width in row:
            rects.append(QRectF(x, top, chip_width, height))
            x += chip_width + BUTTON_GAP
    return rects


def _paint_chip(painter: QPainter, rect: QRectF, label: str, font: QFont, *, mine: bool) -> None:
    """A reaction chip on the message list's ground, in the palette's CHIP_LOOKS: our own
    filled with the accent, the others' plain (surface, outline)."""
    colours = theme.current()
    text, fill, edge = (colours.role(role) for role in CHIP_LOOKS[mine])
    painter.setPen(QPen(QColor(edge), CHIP_OWN_EDGE if mine else 1))
    painter.setBrush(QColor(fill))
    radius = rect.height() / 2
    painter.drawRoundedRect(rect.adjusted(0.75, 0.75, -0.75, -0.75), radius, radius)
    painter.setFont(font)
    painter.setPen(QColor(text))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)


def _paint_button(painter: QPainter, rect: QRectF, label: str, font: QFont) -> None:
    """A small outlined button in the accent colour, drawn in a bubble."""
    painter.setPen(QPen(QColor(theme.current().accent), 1))
    painter.setBrush(QColor(theme.current().surface))
    radius = rect.height() / 2
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    painter.setFont(font)
    painter.setPen(QColor(theme.current().accent_text))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)


def _dot_size(metrics: QFontMetrics) -> int:
    return max(int(metrics.ascent() * DOT_FRACTION), 6)


def _one_line(block: TextBlock) -> bool:
    return block.layout.lineCount() <= 1


def _paint_clock(painter: QPainter, icon: QRectF, colour: QColor) -> None:
    inset = icon.width() * 0.08
    face = icon.adjusted(inset, inset, -inset, -inset)
    pen = QPen(colour, max(icon.width() * 0.11, 1.0))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(face)
    centre = face.center()
    radius = face.width() / 2
    painter.drawLine(centre, QPointF(centre.x(), centre.y() - radius * 0.62))
    painter.drawLine(centre, QPointF(centre.x() + radius * 0.5, centre.y()))


def _paint_check(painter: QPainter, icon: QRectF, colour: QColor) -> None:
    pen = QPen(colour, max(icon.width() * 0.13, 1.2))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath(
        QPointF(icon.left() + icon.width() * 0.08, icon.top() + icon.height() * 0.55)
    )
    path.lineTo(icon.left() + icon.width() * 0.38, icon.top() + icon.height() * 0.82)
    path.lineTo(icon.left() + icon.width() * 0.92, icon.top() + icon.height() * 0.2)
    painter.drawPath(path)
