"""The sidebar: the circles this profile belongs to, each with its unread count, and the
buttons to start or join another.

The list is updated in place from each answer to `circles` (names, counts, new and gone
circles), so the selection and the scroll position survive the frequent refreshes.

A circle that is quiet now (the person takes a break from it, from everything, or it is
in their quiet hours) shows no unread badge, only a small moon, and its unread messages
do not count in the totals (window title, tray): a break silences the counts too.

For a facilitator, a circle where something waits for their care (open care flags,
messages hidden pending review: CircleView.care_flags / to_review, filled by the engine
and kept current by circle_changed) shows a second badge, left of the unread one: a
heart and the count, outlined on a soft fill so it never reads as unread messages, with
a tooltip and an accessible description in plain words. A break does not hide it (the
flag waits there; only its notification is silenced). Members never have one: the
engine counts 0 for them.

Under each name, the last message (peerapp.ui.circle_preview: what the notification
privacy choice allows of it, a content warning's label rather than its text) and its
time, in small muted type; a `message` event (`message_arrived`), our own send and
`message_changed` move it on in place, the engine's row (`circle_changed`) brings it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.events import CircleView, MessageView
from peerapp.ui import circle_preview, style, theme
from peerapp.ui.preferences import NotificationDetail
from peerapp.ui.text import boundaries, care, circles, conversation, navigation

ID_ROLE = Qt.ItemDataRole.UserRole + 1
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 2
MEMBERS_ROLE = Qt.ItemDataRole.UserRole + 3
QUIET_ROLE = Qt.ItemDataRole.UserRole + 4
ON_BREAK_ROLE = Qt.ItemDataRole.UserRole + 5
ASLEEP_ROLE = Qt.ItemDataRole.UserRole + 6
CARE_ROLE = Qt.ItemDataRole.UserRole + 7  # open care flags (facilitators; else 0)
REVIEW_ROLE = Qt.ItemDataRole.UserRole + 8  # messages hidden pending review (likewise)
LAST_ROLE = Qt.ItemDataRole.UserRole + 9  # the last message (MessageView), or None
PREVIEW_ROLE = Qt.ItemDataRole.UserRole + 10  # (its line, its time) as shown; ("", "")
PREVIEW_GAP = 2  # between the name and the preview line
PREVIEW_LEFT = 13  # the preview line starts under the name (the item's padding and margin)
BADGE_HEIGHT = 18
BADGE_PADDING = 6
BADGE_MARGIN = 8

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CircleEntry:
    id: str
    name: str
    members: int
    unread: int
    quiet: bool = False  # silenced now: by a break or quiet hours
    on_break: bool = False  # the person's own break switch for it (or the global one)
    asleep: str = ""  # why it sleeps (made in the other network mode); "" when reachable
    care_flags: int = 0  # open care flags sent to us as a facilitator
    to_review: int = 0  # messages hidden pending review, for us as a facilitator
    last: MessageView | None = None  # the last message this reader sees (the preview)

    @property
    def care(self) -> int:
        """What waits for our care here, as the care badge counts it."""
        return self.care_flags + self.to_review


def circle_title(circle: CircleView) -> str:
    # a circle's name comes from its log, written by a member: it may be blank
    return circle.name if circle.name.strip() else circles.unnamed_circle()


def entries_from(circles: Sequence[CircleView]) -> list[CircleEntry]:
    """The engine's circles as the list shows them."""
    return [
        CircleEntry(
            id=circle.id,
            name=circle_title(circle),
            members=circle.members,
            unread=max(circle.unread, 0),
            quiet=circle.quiet,
            on_break=circle.on_break,
            asleep=circle.asleep,
            care_flags=max(circle.care_flags, 0),
            to_review=max(circle.to_review, 0),
            last=circle.last_message,
        )
        for circle in circles
    ]


class CircleDelegate(QStyledItemDelegate):
    """The item as the stylesheet draws it, its name in bold when unread, and a badge;
    the preview line under the name."""

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        return small

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Every row has room for a preview line (the list's items are of one size)."""
        size = super().sizeHint(option, index)
        extra = QFontMetrics(self._small(option.font)).height() + PREVIEW_GAP
        return QSize(size.width(), size.height() + extra)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        unread = int(index.data(UNREAD_ROLE) or 0)
        quiet = bool(index.data(QUIET_ROLE))
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        rect: QRect = item.rect
        if quiet:
            unread = 0  # a break silences the badge; a small moon says why
        badge_text = conversation.unread_badge(unread) if unread else ""
        badge_font = QFont(item.font)
        badge_font.setWeight(QFont.Weight.Bold)
        badge_font.setPointSizeF(max(badge_font.pointSizeF() * 0.85, 7.0))
        badge_width = 0
        if badge_text:
            text_width = QFontMetrics(badge_font).horizontalAdvance(badge_text)
            badge_width = max(text_width + 2 * BADGE_PADDING, BADGE_HEIGHT)
            font = QFont(item.font)
            font.setWeight(QFont.Weight.DemiBold)
            item.font = font
        if quiet:
            badge_width = BADGE_HEIGHT  # room for the moon
        waiting = int(index.data(CARE_ROLE) or 0) + int(index.data(REVIEW_ROLE) or 0)
        care_text = care.list_badge(waiting) if waiting else ""
        care_width = 0
        if care_text:
            care_width = max(
                QFontMetrics(badge_font).horizontalAdvance(care_text) + 2 * BADGE_PADDING,
                BADGE_HEIGHT,
            )
        # leave room for the badges so a long name is elided before them
        text_room = rect.width() - badge_width - care_width - 4 * BADGE_MARGIN
        metrics = QFontMetrics(item.font)
        item.text = metrics.elidedText(
            item.text,
            Qt.TextElideMode.ElideRight,
            max(text_room, 0),
        )
        line, when = index.data(PREVIEW_ROLE) or ("", "")
        small = self._small(option.font)  # never bold: unread shows in the name
        preview_height = QFontMetrics(small).height() + PREVIEW_GAP
        name_bottom = self._paint_item(painter, item, index, preview_height)
        if line or when:
            preview = QRect(
                rect.left() + PREVIEW_LEFT, name_bottom - 4, max(text_room, 0), preview_height
            )
            self._paint_preview(painter, item, preview, (line, when), small)
        if badge_text:
            self._paint_badge(painter, rect, badge_text, badge_font, badge_width)
        elif quiet:
            self._paint_moon(painter, rect, badge_font)
        if care_text:
            right = rect.right() - (badge_width + BADGE_MARGIN if badge_width else 0)
            care_badge = QRect(
                right - BADGE_MARGIN - care_width,
                rect.center().y() - BADGE_HEIGHT // 2 + 1,
                care_width,
                BADGE_HEIGHT,
            )
            self._paint_care(painter, care_badge, care_text, badge_font)

    def _paint_item(
        self, painter: QPainter, item: QStyleOptionViewItem, index: Index, preview_height: int
    ) -> int:
        """The row's background across the whole row, then the name in its upper part
        (above the preview line), as the stylesheet draws them; the name's bottom."""
        widget = item.widget
        widget_style = widget.style() if widget is not None else None
        background = QStyleOptionViewItem(item)
        background.text = ""
        named = QStyleOptionViewItem(item)
        named.rect = item.rect.adjusted(0, 0, 0, -preview_height)
        # the focus frame goes round the whole row (the background's), not the name alone
        named.state &= ~QStyle.StateFlag.State_HasFocus
        for part in (background, named):
            if widget_style is None:
                super().paint(painter, part, index)
            else:
                widget_style.drawControl(
                    QStyle.ControlElement.CE_ItemViewItem, part, painter, widget
                )
        return named.rect.bottom()

    def _paint_preview(
        self,
        painter: QPainter,
        item: QStyleOptionViewItem,
        rect: QRect,
        shown: tuple[str, str],
        font: QFont,
    ) -> None:
        """The last message's line, elided, and its time at the line's end."""
        line, when = shown
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        colours = theme.current()
        metrics = QFontMetrics(font)
        time_width = metrics.horizontalAdvance(when) if when else 0
        room = rect.width() - (time_width + BADGE_MARGIN if when else 0)
        painter.save()
        try:
            painter.setFont(font)
            # the muted tone is checked on the list's background; a selected row's soft
            # fill gets the text colour
            painter.setPen(QColor(colours.text if selected else colours.muted))
            elided = metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(room, 0))
            left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            painter.drawText(rect.adjusted(0, 0, -(rect.width() - room), 0), left, elided)
            right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            painter.drawText(rect, right, when)
        finally:
            painter.restore()

    def _paint_care(self, painter: QPainter, badge: QRect, text: str, font: QFont) -> None:
        """The care badge: accent words on the soft fill, outlined (not the unread pill)."""
        colours = theme.current()
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QColor(colours.accent_text))
            painter.setBrush(QColor(colours.accent_soft))
            painter.drawRoundedRect(badge, BADGE_HEIGHT / 2, BADGE_HEIGHT / 2)
            painter.setFont(font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        finally:
            painter.restore()

    def _paint_moon(self, painter: QPainter, rect: QRect, font: QFont) -> None:
        moon = QRect(
            rect.right() - BADGE_MARGIN - BADGE_HEIGHT, rect.top(), BADGE_HEIGHT, rect.height()
        )
        painter.save()
        try:
            painter.setPen(QColor(theme.current().muted))
            painter.setFont(font)
            painter.drawText(moon, Qt.AlignmentFlag.AlignCenter, boundaries.break_moon())
        finally:
            painter.restore()

    def _paint_badge(
        self, painter: QPainter, rect: QRect, text: str, font: QFont, width: int
    ) -> None:
        badge = QRect(
            rect.right() - BADGE_MARGIN - width,
            rect.center().y() - BADGE_HEIGHT // 2 + 1,
            width,
            BADGE_HEIGHT,
        )
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.current().accent))
            painter.drawRoundedRect(badge, BADGE_HEIGHT / 2, BADGE_HEIGHT / 2)
            painter.setPen(QColor(theme.current().on_accent))
            painter.setFont(font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        finally:
            painter.restore()


class CircleList(QFrame):
    circleSelected = Signal(str)  # circle id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setMinimumWidth(200)
        self.setMaximumWidth(280)
        heading = QLabel(circles.circles_heading())
        style.set_role(heading, "subheading")
        self.list = QListWidget()
        self.list.setObjectName("circleList")
        self.list.setAccessibleName(navigation.circle_list_name())
        self.list.setItemDelegate(CircleDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.none_label = QLabel(circles.no_circles_yet())
        style.set_role(self.none_label, "muted")
        self.create_button = QPushButton(f"+  {circles.new_circle_button()}")
        style.set_role(self.create_button, "quiet")
        self.join_button = QPushButton(f"→  {circles.join_button()}")
        style.set_role(self.join_button, "quiet")
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 16, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.none_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._layout = layout
        self.detail = NotificationDetail.CIRCLE  # what previews say (the person's choice)
        self.list.currentItemChanged.connect(self._current_changed)

    def add_section(self, widget: QWidget) -> None:
        """Put `widget` under the circles, above the buttons (requests waiting to join)."""
        self._layout.insertWidget(self._layout.count() - 1, widget)

    # -- contents -----------------------------------------------------------------------

    def set_circles(self, entries: Sequence[CircleEntry]) -> None:
        wanted = {entry.id for entry in entries}
        for row in reversed(range(self.list.count())):
            if self._id_of(self.list.item(row)) not in wanted:
                self.list.takeItem(row)
        for position, entry in enumerate(entries):
            item = self._item(entry.id)
            if item is None:
                item = QListWidgetItem()
                item.setData(ID_ROLE, entry.id)
                self.list.insertItem(position, item)
            _show(item, entry, self.detail)
        self.none_label.setVisible(not entries)

    def set_circle(self, entry: CircleEntry) -> bool:
        """One circle's row changed (the engine's circle_changed event); False when it is
        not listed (the list itself comes with circles_changed)."""
        item = self._item(entry.id)
        if item is None:
            return False
        _show(item, entry, self.detail)
        return True

    def set_detail(self, detail: NotificationDetail) -> None:
        """How much previews say (the notification privacy choice): every row again."""
        self.detail = detail
        for row in range(self.list.count()):
            item = self.list.item(row)
            _show_preview(item, item.data(LAST_ROLE), detail)

    def message_arrived(self, circle_id: str, message: MessageView) -> None:
        """A message arrived or was sent: the preview moves on if it is the newest."""
        item = self._item(circle_id)
        if item is not None:
            last = circle_preview.newer(item.data(LAST_ROLE), message)
            _show_preview(item, last, self.detail)

    def message_changed(self, circle_id: str, message: MessageView) -> None:
        """A message's view changed (deleted, hidden pending review, shown again): the
        preview follows if it shows that message."""
        item = self._item(circle_id)
        if item is None:
            return
        last = item.data(LAST_ROLE)
        if isinstance(last, MessageView) and last.id == message.id:
            _show_preview(item, message, self.detail)

    def last_message(self, circle_id: str) -> MessageView | None:
        item = self._item(circle_id)
        last = item.data(LAST_ROLE) if item is not None else None
        return last if isinstance(last, MessageView) else None

    def preview(self, circle_id: str) -> tuple[str, str]:
        """The preview line and its time as the row shows them (("", "") for none)."""
        item = self._item(circle_id)
        shown = item.data(PREVIEW_ROLE) if item is not None else None
        return shown or ("", "")

    def set_unread(self, circle_id: str, unread: int) -> None:
        """One circle's unread count changed (the engine's unread_changed event)."""
        item = self._item(circle_id)
        if item is None:
            return
        item.setData(UNREAD_ROLE, unread)
        line, _ = item.data(PREVIEW_ROLE) or ("", "")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(self._entry(item), line))

    def _entry(self, item: QListWidgetItem) -> CircleEntry:
        return _entry_of(item)

    def entry(self, circle_id: str) -> CircleEntry | None:
        """The circle's row as the list shows it; None when it is not listed."""
        item = self._item(circle_id)
        return self._entry(item) if item is not None else None

    def care(self, circle_id: str) -> int:
        """What the care badge counts for the circle (0: no badge)."""
        entry = self.entry(circle_id)
        return entry.care if entry is not None else 0

    def waiting_for_care(self) -> list[str]:
        """The circles with a care badge, in the list's order."""
        return [circle for circle in self.ids() if self.care(circle) > 0]

    def count(self) -> int:
        return self.list.count()

    def ids(self) -> list[str]:
        return [self._id_of(self.list.item(row)) for row in range(self.list.count())]

    def name_of(self, circle_id: str) -> str:
        item = self._item(circle_id)
        return item.text() if item is not None else circles.unnamed_circle()

    def unread(self, circle_id: str) -> int:
        item = self._item(circle_id)
        return int(item.data(UNREAD_ROLE) or 0) if item is not None else 0

    def quiet(self, circle_id: str) -> bool:
        """Whether the circle is silenced now (a break or quiet hours)."""
        item = self._item(circle_id)
        return bool(item.data(QUIET_ROLE)) if item is not None else False

    def on_break(self, circle_id: str) -> bool:
        """Whether the person's break (this circle's own or the global one) is on."""
        item = self._item(circle_id)
        return bool(item.data(ON_BREAK_ROLE)) if item is not None else False

    def asleep(self, circle_id: str) -> str:
        """Why the circle sleeps (made in the other network mode); "" when reachable."""
        item = self._item(circle_id)
        return str(item.data(ASLEEP_ROLE) or "") if item is not None else ""

    def badge(self, circle_id: str) -> int:
        """The unread count the badge shows: 0 (none) while the circle is quiet."""
        item = self._item(circle_id)
        return _badge(item) if item is not None else 0

    def members(self, circle_id: str) -> int:
        item = self._item(circle_id)
        return int(item.data(MEMBERS_ROLE) or 1) if item is not None else 1

    def total_unread(self) -> int:
        # quiet circles do not count: a break silences the totals as well as the badge
        return sum(_badge(self.list.item(row)) for row in range(self.list.count()))

    # -- selection ----------------------------------------------------------------------

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return self._id_of(item) if item is not None and item.isSelected() else None

    def select(self, circle_id: str) -> bool:
        item = self._item(circle_id)
        if item is None:
            return False
        self.list.setCurrentItem(item)
        return True

    @Slot(QListWidgetItem, QListWidgetItem)
    def _current_changed(self, current: QListWidgetItem | None, _: object) -> None:
        if current is not None:
            self.circleSelected.emit(self._id_of(current))

    # -- helpers ------------------------------------------------------------------------

    def _item(self, circle_id: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if self._id_of(item) == circle_id:
                return item
        return None

    @staticmethod
    def _id_of(item: QListWidgetItem) -> str:
        return str(item.data(ID_ROLE))


def _show(item: QListWidgetItem, entry: CircleEntry, detail: NotificationDetail) -> None:
    item.setText(entry.name)
    _show_preview(item, entry.last, detail)
    item.setData(UNREAD_ROLE, entry.unread)
    item.setData(MEMBERS_ROLE, entry.members)
    item.setData(QUIET_ROLE, entry.quiet)
    item.setData(ON_BREAK_ROLE, entry.on_break)
    item.setData(ASLEEP_ROLE, entry.asleep)
    item.setData(CARE_ROLE, entry.care_flags)
    item.setData(REVIEW_ROLE, entry.to_review)
    line, _ = item.data(PREVIEW_ROLE)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(entry, line))
    waiting = care.list_badge_description(entry.care_flags, entry.to_review) if entry.care else ""
    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, waiting)
    item.setData(Qt.ItemDataRole.ToolTipRole, waiting or None)


def _show_preview(
    item: QListWidgetItem, last: MessageView | None, detail: NotificationDetail
) -> None:
    item.setData(LAST_ROLE, last)
    line = circle_preview.preview_text(last, detail)
    when = circle_preview.preview_time(last, detail, date.today())
    item.setData(PREVIEW_ROLE, (line, when))
    item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(_entry_of(item), line))


def _entry_of(item: QListWidgetItem) -> CircleEntry:
    return CircleEntry(
        id=str(item.data(ID_ROLE)),
        name=item.text(),
        members=int(item.data(MEMBERS_ROLE) or 1),
        unread=int(item.data(UNREAD_ROLE) or 0),
        quiet=bool(item.data(QUIET_ROLE)),
        on_break=bool(item.data(ON_BREAK_ROLE)),
        asleep=str(item.data(ASLEEP_ROLE) or ""),
        care_flags=int(item.data(CARE_ROLE) or 0),
        to_review=int(item.data(REVIEW_ROLE) or 0),
        last=_last_of(item),
    )


def _last_of(item: QListWidgetItem) -> MessageView | None:
    last = item.data(LAST_ROLE)
    return last if isinstance(last, MessageView) else None


def _badge(item: QListWidgetItem) -> int:
    return 0 if item.data(QUIET_ROLE) else int(item.data(UNREAD_ROLE) or 0)


def _spoken(entry: CircleEntry, preview: str = "") -> str:
    """What a screen reader says of a row: its name, unread count or break, care badge,
    and the preview line when there is one."""
    spoken = entry.name
    if entry.quiet:
        spoken = f"{entry.name}, {boundaries.on_break_spoken()}"
    elif entry.unread:
        spoken = f"{entry.name}, {conversation.unread_count(entry.unread)}"
    if entry.care:
        spoken = f"{spoken}, {care.care_badge(entry.care_flags, entry.to_review)}"
    return f"{spoken}. {preview}" if preview else spoken
