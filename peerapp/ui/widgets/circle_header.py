"""The top of a circle: its name, how many members it has, how many are reachable now and
how long since this computer last synced with one of them, and the buttons to invite
someone, to show the members and, for facilitators, the people waiting to join and a badge
of what waits for their care (open care flags, messages hidden pending review). While the
person takes a break from the circle (or from everything) or its quiet hours run, a small
moon line says so, with "End break" one click away (shown only when a break is on)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peerapp.core.api.circles import PeerSyncView
from peerapp.core.events import MemberView
from peerapp.ui import style
from peerapp.ui.text import (
    boundaries,
    care,
    circles,
    conversation,
    follow_through,
    invites,
    joins,
    navigation,
)


def connection_text(members: Sequence[MemberView]) -> tuple[str, bool]:
    """What the header says about connections, and whether anyone else is reachable.

    The engine always counts oneself as online, so the others are every member but one
    and the connected others are the online members but one.
    """
    others = max(len(members) - 1, 0)
    if others == 0:
        return conversation.just_you(), False
    connected = min(max(sum(member.online for member in members) - 1, 0), others)
    return conversation.connected_members(connected, others), connected > 0


def sync_text(peers: Sequence[PeerSyncView], now_ms: int) -> tuple[str, str] | None:
    """What the header says about syncing ("synced 12 s ago", from the newest sync with
    any member), and its tooltip (one line per member); None when there is nobody else."""
    if not peers:
        return None
    known = [peer.last_sync for peer in peers if peer.last_sync is not None]
    text = (
        conversation.synced_ago((now_ms - max(known)) / 1000)
        if known
        else conversation.never_synced()
    )
    lines = []
    for peer in peers:
        when = (
            conversation.never_synced()
            if peer.last_sync is None
            else conversation.synced_ago((now_ms - peer.last_sync) / 1000)
        )
        # names come from other members: shown as text, never read as markup
        lines.append(
            html.escape(
                conversation.member_synced(peer.name or conversation.unnamed_member(), when)
            )
        )
    tooltip = (
        f"<p>{html.escape(conversation.sync_tooltip_heading())}</p><p>{'<br>'.join(lines)}</p>"
    )
    return text, tooltip


class ElidedLabel(QLabel):
    """One line of text that gives way when the header is narrow: it ends in "…" rather
    than pushing the buttons beside it out of shape. text() is always the whole text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            min(hint.width(), self.fontMetrics().horizontalAdvance("…") * 3), hint.height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )


def _title(name: str) -> ElidedLabel:
    """The circle's name: a long one gives way with "…" (text() stays the whole name)."""
    title = ElidedLabel()
    title.setText(name)
    title.setObjectName("circleTitle")
    return title


class CircleHeader(QFrame):
    removed = False  # one was removed from the circle (set_removed)
    _members: tuple[MemberView, ...] | None = None  # as last shown

    def __init__(self, name: str, member_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("circleHeader")
        self.title = _title(name)
        self.member_count = QLabel()
        style.set_role(self.member_count, "muted")
        self.dot = QLabel("●")
        style.set_presence(self.dot, False)
        self.connection = ElidedLabel()
        style.set_role(self.connection, "muted")
        self.connection.setToolTip(conversation.connection_tooltip())
        self.sync_separator = QLabel("·")
        style.set_role(self.sync_separator, "muted")
        self.sync_label = ElidedLabel()
        self.sync_label.setObjectName("syncLabel")
        style.set_role(self.sync_label, "muted")
        self.invite_button = QPushButton(invites.invite_button())
        style.mark_primary(self.invite_button)
        self.members_button = QPushButton(conversation.members_button())
        self.members_button.setCheckable(True)
        self.members_button.setChecked(True)
        style.set_role(self.members_button, "toggle")
        # the circle's menu (settings, the moderation log, leaving): the pane fills it
        self.more_button = QPushButton(circles.circle_more_button())
        self.more_button.setObjectName("circleMoreButton")
        # for facilitators: people waiting to join (with approval on); shown when any are
        self.join_requests_button = QPushButton()
        self.join_requests_button.setObjectName("joinRequestsButton")
        self.join_requests_button.setCheckable(True)
        style.set_role(self.join_requests_button, "toggle")
        # for facilitators: open care flags and messages hidden pending review ("1 care
        # flag · 2 to review"); shown while any wait
        self.care_flags_button = QPushButton()
        self.care_flags_button.setObjectName("careFlagsButton")
        self.care_flags_button.hide()

        self._build_small_window_parts()
        self.separator = QLabel("·")
        style.set_role(self.separator, "muted")
        # taking a break: a moon line under the details, and one click to end it
        self.break_label = QLabel()
        self.break_label.setObjectName("breakLabel")
        style.set_role(self.break_label, "muted")
        self.end_break_button = QPushButton(boundaries.end_break())
        self.end_break_button.setObjectName("endBreakButton")
        self.end_break_button.setToolTip(boundaries.end_break_tooltip())
        style.set_role(self.end_break_button, "quiet")
        self._build_layout()
        # who is reachable is known once the members have been asked for
        self.separator.hide()
        self.dot.hide()
        # how long since a sync is known once the engine has been asked
        self.sync_separator.hide()
        self.sync_label.hide()
        self._peer_syncs: Sequence[PeerSyncView] = ()
        self._sync_said = False  # whether there is a sync age to say
        self.set_member_count(member_count)
        self.join_requests_button.hide()
        self.set_break(quiet=False, on_break=False)

    def _build_small_window_parts(self) -> None:
        """Small windows (peerapp.ui.responsive): "Circles" opens the folded circle list;
        every button keeps the width its words need (nothing reads "vite someo"), and
        each has a name for a screen reader."""
        self.circles_button = QPushButton(navigation.circles_drawer_button())
        self.circles_button.setObjectName("circlesDrawerButton")
        self.circles_button.setCheckable(True)
        self.circles_button.setToolTip(navigation.circles_drawer_hint())
        style.set_role(self.circles_button, "toggle")
        self.circles_button.hide()
        self.members_button.setToolTip(navigation.members_drawer_hint())
        for button, name in (
            (self.invite_button, navigation.invite_button_name()),
            (self.members_button, navigation.members_button_name()),
            (self.more_button, navigation.circle_menu_name()),
            (self.circles_button, navigation.circles_drawer_hint()),
        ):
            button.setAccessibleName(name)
        for button in self.buttons():
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.compact = False
        self.invite_offered = True

    def buttons(self) -> list[QPushButton]:
        """Every button of the header, shown or not, left to right."""
        return [
            self.circles_button,
            self.care_flags_button,
            self.join_requests_button,
            self.members_button,
            self.invite_button,
            self.more_button,
        ]

    def set_compact(self, compact: bool) -> None:
        """A narrow pane: "Invite someone" folds into the More menu (the pane's), and the
        sync age steps aside so the line about who is connected reads whole (issue 14's
        walk at 640 px: "Conn… · syn…")."""
        self.compact = compact
        self._show_invite()
        self._show_sync()

    def offer_invite(self, offered: bool) -> None:
        """Whether inviting is offered at all (not to a member who was removed)."""
        self.invite_offered = offered
        self._show_invite()

    def _show_invite(self) -> None:
        self.invite_button.setVisible(self.invite_offered and not self.compact)

    def _build_layout(self) -> None:
        details = QHBoxLayout()
        details.setSpacing(6)
        details.addWidget(self.member_count)
        details.addWidget(self.separator)
        details.addWidget(self.dot)
        details.addWidget(self.connection)
        details.addWidget(self.sync_separator)
        details.addWidget(self.sync_label)
        details.addStretch(1)
        # the sync age's own line, when the details do not fit on one (_place_sync)
        sync_line = QHBoxLayout()
        sync_line.setSpacing(6)
        sync_line.addStretch(1)
        self._details, self._sync_line = details, sync_line
        self.sync_wrapped = False
        on_break = QHBoxLayout()
        on_break.setSpacing(6)
        on_break.addWidget(self.break_label)
        on_break.addWidget(self.end_break_button)
        on_break.addStretch(1)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addLayout(details)
        text.addLayout(sync_line)
        text.addLayout(on_break)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.circles_button)
        layout.addLayout(text, 1)
        layout.addWidget(self.care_flags_button)
        layout.addWidget(self.join_requests_button)
        layout.addWidget(self.members_button)
        layout.addWidget(self.invite_button)
        layout.addWidget(self.more_button)
        self._text = text

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_sync()

    def _place_sync(self) -> None:
        """The status line reads whole or wraps: when who is connected and the sync age
        do not fit on one line beside the buttons (1024 px with both side panels:
        "Connected to 1 of 1 me…"), the sync age goes to a line of its own below."""
        room = self._text.geometry().width()
        if room <= 0 or not self.sync_label.isVisibleTo(self):
            return
        spacing = self._details.spacing()
        shown = [
            widget
            for widget in (self.member_count, self.separator, self.dot, self.connection)
            if widget.isVisibleTo(self)
        ]
        line = sum(w.sizeHint().width() for w in shown) + spacing * max(len(shown) - 1, 0)
        with_sync = (
            line
            + 2 * spacing
            + self.sync_separator.sizeHint().width()
            + self.sync_label.sizeHint().width()
        )
        wrap = with_sync > room
        if wrap == self.sync_wrapped:
            return
        self.sync_wrapped = wrap
        if wrap:
            self._details.removeWidget(self.sync_label)
            self._sync_line.insertWidget(0, self.sync_label)
        else:
            self._sync_line.removeWidget(self.sync_label)
            self._details.insertWidget(
                self._details.indexOf(self.sync_separator) + 1, self.sync_label
            )
        self._show_sync()

    def set_name(self, name: str) -> None:
        self.title.setText(name)

    def set_member_count(self, count: int) -> None:
        self.member_count.setText(conversation.member_count(max(count, 1)))

    def set_members(self, members: Sequence[MemberView]) -> None:
        self._members = tuple(members)
        self.set_member_count(len(members))
        if self.removed:
            # not "just you so far · invite someone": one is not in the list at all
            self.connection.setText(follow_through.no_longer_member())
            self.separator.show()
            self.dot.hide()
            return
        text, reachable = connection_text(members)
        self.connection.setText(text)
        style.set_presence(self.dot, reachable)
        self.separator.show()
        self.dot.show()
        self._place_sync()

    def set_removed(self, removed: bool) -> None:
        """One is no longer a member here (removed, banned) or is again (a rejoin): the
        line about the members says so, and there is no one to invite."""
        self.removed = removed
        self.offer_invite(not removed)
        if self._members is not None:
            self.set_members(self._members)
        elif removed:
            self.connection.setText(follow_through.no_longer_member())
            self.separator.show()

    def set_break(self, *, quiet: bool, on_break: bool) -> None:
        """`on_break`: the person's break (this circle's or the global one) is on; `quiet`:
        the circle is silenced now (a break, or its quiet hours)."""
        shown = quiet or on_break
        if on_break:
            self.break_label.setText(f"{boundaries.break_moon()} {boundaries.on_a_break_here()}")
        elif quiet:
            self.break_label.setText(f"{boundaries.break_moon()} {boundaries.quiet_hours_now()}")
        self.break_label.setVisible(shown)
        self.end_break_button.setVisible(on_break)

    def set_waiting_to_join(self, count: int) -> None:
        """How many people wait for a facilitator's answer (0 hides the button)."""
        self.join_requests_button.setText(joins.waiting_to_join(count))
        if count == 0:
            self.join_requests_button.setChecked(False)
        self.join_requests_button.setVisible(count > 0)

    def set_open_care_flags(self, count: int, to_review: int = 0) -> None:
        """How many care flags and messages hidden pending review wait for this
        facilitator ("2 care flags · 1 to review"; nothing waiting hides the badge)."""
        self.care_flags_button.setText(care.care_badge(count, to_review))
        self.care_flags_button.setToolTip(care.care_badge_tooltip())
        self.care_flags_button.setVisible(count + to_review > 0)

    def set_peer_syncs(self, peers: Sequence[PeerSyncView], now_ms: int) -> None:
        self._peer_syncs = peers
        self.show_sync_age(now_ms)

    def show_sync_age(self, now_ms: int) -> None:
        """Say again how long ago the last sync was (the clock moved on)."""
        said = sync_text(self._peer_syncs, now_ms)
        self._sync_said = said is not None
        if said is not None:
            self.sync_label.setText(said[0])
            self.sync_label.setToolTip(said[1])
        self._show_sync()

    def _show_sync(self) -> None:
        shown = self._sync_said and not self.compact
        self.sync_separator.setVisible(shown and not self.sync_wrapped)  # none to start a line
        self.sync_label.setVisible(shown)
        if shown:
            self._place_sync()
