"""The members of a circle: a dot for who is connected, the name, the founder's or a
co-facilitator's badge, a muted mark, a small moon for someone taking a break (when they
chose to show it), a quiet "blocked" for members the viewer blocked (only they see it) and
a quiet "⇄" (its tooltip in words) for a member who signed two versions of its history (the engine's
`equivocated`: evidence everyone's copy of the log holds). For facilitators, a member's
name says in its tooltip who invited them (the pane's `notes`; members are not shown it).
A member with unread private messages for the viewer shows "✉ N" (`set_private_unread`,
peerapp.ui.pane_private's counts).

A member the viewer may act on (promote, mute, remove, …) has a "…" button, reachable
with the keyboard, and a menu on right click; both offer exactly the actions the circle's
rules allow (the core's, core/permissions.py, in peerapp.ui.member_actions' order). The
choice goes out as `actionChosen(member id, action, seconds)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPoint, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.events import MemberView
from peerapp.core.permissions import FACILITATOR, FOUNDER, MemberAction
from peerapp.ui import clock, style
from peerapp.ui.text import boundaries, conversation, moderation, navigation, private_talk
from peerapp.ui.widgets.circle_header import ElidedLabel
from peerapp.ui.widgets.member_menu import member_menu

# wide enough for a name, a private message's badge ("✉ 12"), the founder's badge and the
# actions button side by side, the badges drawn compact (issue 14's walk: at 220 with the
# usual badges "Founder" was squeezed to "Four")
PANEL_WIDTH = 244
ROW_HEIGHT = 32
DOT = "●"


def badge_of(member: MemberView) -> str | None:
    """The founder's or a co-facilitator's badge; None for plain members."""
    if member.role == FOUNDER:
        return conversation.founder_badge()
    return moderation.facilitator_badge() if member.role == FACILITATOR else None


def muted(member: MemberView, now_ms: int) -> bool:
    return member.muted_until > now_ms


def elided(text: str) -> ElidedLabel:
    label = ElidedLabel()
    label.setText(text)
    return label


def keep_whole(*marks: QWidget) -> None:
    """A mark beside the name never shrinks below its text: the name gives way instead;
    a badge is drawn compact (less padding), the row being narrow."""
    for mark in marks:
        mark.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        mark.setProperty("compact", True)


class MemberRow(QWidget):
    unread_label: QLabel | None = None  # unread private messages (set_unread)

    def __init__(
        self,
        member: MemberView,
        actionable: bool = False,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`note`: a quiet line for the name's tooltip (who invited them, for facilitators)."""
        super().__init__(parent)
        self.member = member
        is_muted = muted(member, clock.now_ms())
        self.dot = QLabel(DOT)
        style.set_presence(self.dot, member.online)
        self.dot.setToolTip(conversation.online() if member.online else conversation.offline())
        # the name gives way ("…") rather than the marks beside it (issue 14's walk: a
        # private message's badge squeezed "Founder" to "Four"); text() stays whole
        self.name_label = elided(member.name or conversation.unnamed_member())
        self.name_label.setToolTip(note)
        self.badge = QLabel(badge_of(member) or "")
        style.set_role(self.badge, "badge")
        self.muted_label = QLabel(moderation.muted_badge())
        style.set_role(self.muted_label, "muted")
        self.break_label = QLabel(boundaries.break_moon())
        style.set_role(self.break_label, "muted")
        self.break_label.setToolTip(boundaries.on_break_tooltip())
        self.break_label.setAccessibleName(boundaries.on_break_spoken())
        self.blocked_label = QLabel(boundaries.blocked_badge())
        style.set_role(self.blocked_label, "muted")
        self.blocked_label.setToolTip(boundaries.blocked_tooltip())
        self.equivocated_label = QLabel(boundaries.equivocated_badge())
        self.equivocated_label.setObjectName("equivocatedMark")
        style.set_role(self.equivocated_label, "muted")
        self.equivocated_label.setToolTip(boundaries.equivocated_tooltip())
        self.equivocated_label.setAccessibleName(boundaries.equivocated_spoken())
        self.actions_button = QToolButton()
        self.actions_button.setText(moderation.member_actions_button())
        self.actions_button.setAutoRaise(True)
        self.actions_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        label = moderation.member_actions_name(member.name or conversation.unnamed_member())
        self.actions_button.setToolTip(label)
        self.actions_button.setAccessibleName(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.name_label, 1)
        layout.addWidget(self.break_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.blocked_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.equivocated_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.muted_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.actions_button, 0, Qt.AlignmentFlag.AlignVCenter)
        keep_whole(
            self.break_label,
            self.blocked_label,
            self.equivocated_label,
            self.muted_label,
            self.badge,
        )
        # only once they have a parent: showing a parentless label opens a window of its own
        self.badge.setVisible(badge_of(member) is not None)
        self.muted_label.setVisible(is_muted)
        self.break_label.setVisible(member.on_break)
        self.blocked_label.setVisible(member.blocked)
        self.equivocated_label.setVisible(member.equivocated)
        self.actions_button.setVisible(actionable)

    def set_unread(self, count: int) -> None:
        """Unread private messages from this member: a badge after the name, made the
        first time there are any, hidden at 0."""
        if self.unread_label is None:
            if count <= 0:
                return
            self.unread_label = QLabel()
            self.unread_label.setObjectName("privateUnread")
            style.set_role(self.unread_label, "badge")
            keep_whole(self.unread_label)
            layout = self.layout()
            if isinstance(layout, QHBoxLayout):
                layout.insertWidget(2, self.unread_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.unread_label.setText(private_talk.unread_badge(count) if count > 0 else "")
        self.unread_label.setToolTip(private_talk.unread_spoken(count) if count > 0 else "")
        self.unread_label.setAccessibleName(private_talk.unread_spoken(count))
        self.unread_label.setVisible(count > 0)


class MemberPanel(QFrame):
    actionChosen = Signal(str, object, int)  # member id, MemberAction, seconds (mutes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberPanel")
        self.setFixedWidth(PANEL_WIDTH)
        self.heading = QLabel(conversation.members_heading())
        style.set_role(self.heading, "subheading")
        self.list = QListWidget()
        self.list.setObjectName("memberList")
        self.list.setAccessibleName(navigation.member_list_name())
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 8, 10)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.members: list[MemberView] = []
        self.allowed: dict[str, list[MemberAction]] = {}
        self.notes: dict[str, str] = {}
        self.rows: dict[str, MemberRow] = {}
        self.private_unread: dict[str, int] = {}

    def set_private_unread(self, counts: Mapping[str, int]) -> None:
        """Unread private messages by member id (kept across rebuilds of the rows)."""
        self.private_unread = {key: count for key, count in counts.items() if count > 0}
        for member_id, row in self.rows.items():
            row.set_unread(self.private_unread.get(member_id, 0))

    def set_members(
        self,
        members: Sequence[MemberView],
        actions: Mapping[str, Sequence[MemberAction]] | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> None:
        """Show `members`; `actions` says what the viewer may do to each (by id), `notes`
        a line each member's name shows as tooltip and says to screen readers (who
        invited them, for facilitators)."""
        # a circle has a handful of members: rebuilding the few rows is simplest
        self.members = list(members)
        self.allowed = {key: list(value) for key, value in (actions or {}).items() if value}
        self.notes = dict(notes or {})
        self.list.clear()
        self.rows = {}
        for member in members:
            item = QListWidgetItem()
            item.setSizeHint(QSize(PANEL_WIDTH - 24, ROW_HEIGHT))
            note = self.notes.get(member.id, "")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, _spoken(member, note))
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            self.list.addItem(item)
            row = MemberRow(member, actionable=member.id in self.allowed, note=note)
            row.actions_button.clicked.connect(
                lambda _=False, key=member.id, button=row.actions_button: self._open_menu(
                    key, button.mapToGlobal(QPoint(0, button.height()))
                )
            )
            row.set_unread(self.private_unread.get(member.id, 0))
            self.rows[member.id] = row
            self.list.setItemWidget(item, row)

    def menu_for(self, member_id: str) -> QMenu | None:
        """The menu of one member (None when the viewer may do nothing to them)."""

        def chosen(action: MemberAction, seconds: int) -> None:
            self.actionChosen.emit(member_id, action, seconds)

        return member_menu(self.allowed.get(member_id, []), chosen, self)

    def _open_menu(self, member_id: str, where: QPoint) -> None:
        menu = self.menu_for(member_id)
        if menu is not None:
            menu.aboutToHide.connect(menu.deleteLater)
            menu.popup(where)

    @Slot(QPoint)
    def _context_menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is not None:
            member_id = str(item.data(Qt.ItemDataRole.UserRole))
            self._open_menu(member_id, self.list.viewport().mapToGlobal(position))


def _spoken(member: MemberView, note: str = "") -> str:
    parts = [member.name, conversation.online() if member.online else conversation.offline()]
    badge = badge_of(member)
    if badge is not None:
        parts.append(badge)
    if muted(member, clock.now_ms()):
        parts.append(moderation.muted_badge())
    if member.on_break:
        parts.append(boundaries.on_break_spoken())
    if member.blocked:
        parts.append(boundaries.blocked_badge())
    if member.equivocated:
        parts.append(boundaries.equivocated_spoken())
    if note:
        parts.append(note)
    return ", ".join(parts)
