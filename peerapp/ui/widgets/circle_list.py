"""The sidebar: the circles this profile belongs to, each with its unread count, and the
buttons to start or join another.

The list is updated in place from each answer to `circles` (names, counts, new and gone
circles), so the selection and the scroll position survive the frequent refreshes.

A circle that is quiet now (the person takes a break from it, from everything, or it is
in their quiet hours) shows no unread badge, only a small moon, and its unread messages
do not count in the totals (window title, tray): a break silences the counts too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, Signal, Slot
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

from peerapp.core.events import CircleView
from peerapp.ui import style, theme
from peerapp.ui.text import boundaries, circles, conversation, navigation

ID_ROLE = Qt.ItemDataRole.UserRole + 1
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 2
MEMBERS_ROLE = Qt.ItemDataRole.UserRole + 3
QUIET_ROLE = Qt.ItemDataRole.UserRole + 4
ON_BREAK_ROLE = Qt.ItemDataRole.UserRole + 5
ASLEEP_ROLE = Qt.ItemDataRole.UserRole + 6
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
        )
        for circle in circles
    ]


class CircleDelegate(QStyledItemDelegate):
    """The item as the stylesheet draws it, its name in bold when unread, and a badge."""

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
        # leave room for the badge so a long name is elided before it
        text_room = rect.width() - badge_width - 3 * BADGE_MARGIN
        metrics = QFontMetrics(item.font)
        item.text = metrics.elidedText(
            item.text,
            Qt.TextElideMode.ElideRight,
            max(text_room, 0),
        )
        widget = option.widget
        widget_style = widget.style() if widget is not None else None
        if widget_style is None:
            super().paint(painter, item, index)
        else:
            widget_style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        if badge_text:
            self._paint_badge(painter, rect, badge_text, badge_font, badge_width)
        elif quiet:
            self._paint_moon(painter, rect, badge_font)

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
            _show(item, entry)
        self.none_label.setVisible(not entries)

    def set_circle(self, entry: CircleEntry) -> bool:
        """One circle's row changed (the engine's circle_changed event); False when it is
        not listed (the list itself comes with circles_changed)."""
        item = self._item(entry.id)
        if item is None:
            return False
        _show(item, entry)
        return True

    def set_unread(self, circle_id: str, unread: int) -> None:
        """One circle's unread count changed (the engine's unread_changed event)."""
        item = self._item(circle_id)
        if item is None:
            return
        item.setData(UNREAD_ROLE, unread)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(self._entry(item)))

    def _entry(self, item: QListWidgetItem) -> CircleEntry:
        return CircleEntry(
            id=self._id_of(item),
            name=item.text(),
            members=int(item.data(MEMBERS_ROLE) or 1),
            unread=int(item.data(UNREAD_ROLE) or 0),
            quiet=bool(item.data(QUIET_ROLE)),
            on_break=bool(item.data(ON_BREAK_ROLE)),
            asleep=str(item.data(ASLEEP_ROLE) or ""),
        )

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


def _show(item: QListWidgetItem, entry: CircleEntry) -> None:
    item.setText(entry.name)
    item.setData(UNREAD_ROLE, entry.unread)
    item.setData(MEMBERS_ROLE, entry.members)
    item.setData(QUIET_ROLE, entry.quiet)
    item.setData(ON_BREAK_ROLE, entry.on_break)
    item.setData(ASLEEP_ROLE, entry.asleep)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(entry))


def _badge(item: QListWidgetItem) -> int:
    return 0 if item.data(QUIET_ROLE) else int(item.data(UNREAD_ROLE) or 0)


def _spoken(entry: CircleEntry) -> str:
    if entry.quiet:
        return f"{entry.name}, {boundaries.on_break_spoken()}"
    if entry.unread:
        return f"{entry.name}, {conversation.unread_count(entry.unread)}"
    return entry.name
