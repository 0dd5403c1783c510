"""One open circle's state, held once: what its features read and are told about.

The pane composes widgets and features; this holds what they share about the circle
(issue 13), so a feature depends on it and on the few widgets it shows things in, never
on the pane or on another feature:

- the settings (core/api's CircleInfoView, as circle_info last answered; None before),
- the members (core's MemberView, as `members` last answered),
- who one is here (id, role, rank: `my_id`, `my_standing`, `facilitating`) and whether
  one was removed (or banned, or never really admitted; by whom, when the event said),
  or is a member again after a rejoin (`set_member_again`),
- the history's paging facts (the first page shown, older pages left, one on its way).

It reads the settings and the members again when asked (`refresh_info`,
`refresh_members`; answers that were overtaken are dropped: ui/engine_query.py), takes
them as the engine's circle_settings_changed and members_changed events carry them
(`show_info`, `show_members`: newer than any answer still on its way, which is then
dropped) and signals each part that changed: `settingsChanged`, `membersChanged`,
`removedChanged` (the state is updated before any of them is emitted, so a reader sees
all of it).

Rules:
- The message rules (delete, report, flag, restore, a care flag) are the core's
  (core/permissions.py); `may_*` here hand them the facts held here.
- One error route: `report_error(error, what)` words a failure once (failure_message) and
  either shows it in the circle's banner (`errorReported`) or, for reads nobody waits
  on, only logs it; `attempt` runs a command that way. Dialogs and passing words go out
  through `open_dialog` (`dialogRequested`) and `say` (`statusMessage`), which the window
  opens and shows.
- Features tell facts rather than reach each other: a message deleted from a dialog
  (`message_deleted`, the tombstone is moderation's), the slow-mode hold a send's
  result gives (`sent`, `holdChanged`), a check-in's mood (`checked_in`, the follow-up
  after a low one is pane_follow_up's) and "Get help now" (`ask_for_help`: the app's
  one help window, ui/help_desk.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from peerapp.core.api.circles import Members
from peerapp.core.api.contract import Result
from peerapp.core.api.moderation import CircleInfo, CircleInfoView
from peerapp.core.events import MemberView, MessageView
from peerapp.core.permissions import (
    PLAIN_MEMBER,
    Standing,
    may_care,
    may_delete_message,
    may_edit,
    may_flag,
    may_react,
    may_reply,
    may_report,
    may_restore,
    may_talk_privately,
    signed_by_me,
    someone_to_tell,
)
from peerapp.ui import clock
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_info import facilitating, my_standing
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.engine_query import Latest, latest_answer
from peerapp.ui.help_desk import open_help
from peerapp.ui.text import conversation, moderation

log = logging.getLogger(__name__)

Command = Callable[[], "asyncio.Future[Result]"]  # a request to the engine, not yet made


def standing(member: MemberView) -> Standing:
    """A listed member's standing, as the message rules take it."""
    return Standing(member.role, member.rank)


class CircleController(QObject):
    # CircleInfoView, each time circle_info is read or circle_settings_changed tells it
    settingsChanged = Signal(object)
    # tuple[MemberView, ...], each time members are read or members_changed tells them
    membersChanged = Signal(object)
    removedChanged = Signal()  # removed, banned or admission_lost changed (or a rejoin)
    checkedIn = Signal(int)  # our check-in went out, with this mood
    ownMessage = Signal(str, object)  # circle id, the MessageView of our message sent
    # muted_until, next_send_at (ms since the epoch: beyond a Qt int) from a send's result
    holdChanged = Signal(object, object)
    messageDeleted = Signal(str)  # a message one deleted for everyone from a dialog
    errorReported = Signal(str)  # a failure, worded, for the circle's banner
    errorCleared = Signal()
    dialogRequested = Signal(object)  # a QDialog for the window to open (window-modal)
    statusMessage = Signal(str)  # a passing word of thanks or confirmation
    privateRequested = Signal(str)  # member id: open the private conversation with them

    def __init__(self, bridge: EngineBridge, circle_id: str, parent: QObject) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.circle_id = circle_id
        self.info: CircleInfoView | None = None
        self.members: tuple[MemberView, ...] = ()
        self.removed = False
        self.banned = False
        self.admission_lost = False
        self.removed_by = ""  # who removed us, when the engine said (its event)
        # counts removals and rejoins told by events: a circle_info answer asked before
        # the latest of them must not undo it (it was read before the change)
        self._membership_told = 0
        # the history's paging: the first page is shown, older pages are left to fetch,
        # one older page is on its way
        self.loaded = False
        self.has_older = False
        self.loading_older = False
        # whether the people waiting to join may differ from when settings last came: a
        # read (anything may have changed), or an event that made us a facilitator or
        # turned join approval (otherwise the pane need not ask for them again)
        self.joins_may_differ = True
        self._info = Latest()
        self._members = Latest()
        # members who wrote to us privately (peerapp.ui.pane_private keeps it): a plain
        # member may answer them
        self.wrote_to_me: frozenset[str] = frozenset()

    # -- who one is here ----------------------------------------------------------------

    @property
    def my_id(self) -> str:
        """One's own member id here; "" until circle_info has been read."""
        return self.info.my_id if self.info is not None else ""

    @property
    def my_standing(self) -> Standing:
        return PLAIN_MEMBER if self.removed else my_standing(self.info)

    @property
    def facilitating(self) -> bool:
        """Whether one facilitates this circle (and was not removed from it)."""
        return facilitating(self.info) and not self.removed

    # -- the members --------------------------------------------------------------------

    def member(self, member_id: str) -> MemberView | None:
        return next((m for m in self.members if m.id == member_id), None)

    def name_of(self, member_id: str) -> str:
        """A member's name as the member list has it (a kind stand-in when it has none)."""
        member = self.member(member_id)
        return (member.name if member is not None else "") or conversation.unnamed_member()

    def standing_of(self, member_id: str) -> Standing:
        member = self.member(member_id)
        return PLAIN_MEMBER if member is None else standing(member)  # former: plain

    def someone_to_tell(self, about: str) -> bool:
        """Whether a facilitator other than oneself and `about` could hear a report or a
        care flag about `about`."""
        leaders = [m.id for m in self.members if standing(m).leads]
        return someone_to_tell(leaders, self.my_id, about)

    def may_talk_privately(self, member_id: str) -> bool:
        """Whether "Talk privately" is offered for a member (core/permissions.py)."""
        member = self.member(member_id)
        return bool(self.my_id) and may_talk_privately(
            self.my_standing,
            self.standing_of(member_id),
            myself=member_id == self.my_id,
            removed=self.removed,
            other_here=member is not None,
            they_wrote=member_id in self.wrote_to_me,
            blocked=member is not None and member.blocked,
        )

    def set_wrote_to_me(self, members: frozenset[str]) -> None:
        """Who wrote to us privately changed: the member menus are offered again."""
        if members != self.wrote_to_me:
            self.wrote_to_me = members
            self.membersChanged.emit(self.members)

    def request_private(self, member_id: str) -> None:
        """Open the private conversation with a member (a care flag's "Reach out")."""
        self.privateRequested.emit(member_id)

    # -- the message rules (core/permissions.py, with the facts held here) --------------

    def may_delete(self, message: MessageView) -> bool:
        return may_delete_message(
            self.my_standing,
            self.standing_of(message.author),
            mine=message.mine,
            deleted=bool(message.deleted),
            removed=self.removed,
            earlier_membership=message.earlier_membership,
        )

    def may_report(self, message: MessageView) -> bool:
        return may_report(
            mine=message.mine,
            deleted=bool(message.deleted),
            removed=self.removed,
            someone_to_tell=self.someone_to_tell(message.author),
        )

    def may_flag(self, message: MessageView) -> bool:
        return may_flag(
            mine=message.mine,
            deleted=bool(message.deleted),
            restored=message.restored,
            removed=self.removed,
        )

    def may_restore(self, message: MessageView) -> bool:
        return may_restore(
            facilitating=self.facilitating,
            hidden=message.hidden,
            deleted=bool(message.deleted),
            mine=message.mine,
        )

    def may_care(self, message: MessageView) -> bool:
        return bool(self.my_id) and may_care(
            mine=message.mine,
            deleted=bool(message.deleted),
            removed=self.removed,
            author_here=self.member(message.author) is not None,
            someone_to_tell=self.someone_to_tell(message.author),
        )

    # replies, reactions and edits (issue 15)

    def may_reply(self, message: MessageView) -> bool:
        return may_reply(deleted=bool(message.deleted), removed=self.removed)

    def may_react(self, message: MessageView) -> bool:
        return may_react(deleted=bool(message.deleted), removed=self.removed, hidden=message.hidden)

    def may_edit(self, message: MessageView) -> bool:
        return may_edit(
            # one's own to edit only under the key that wrote it (signed_by_me)
            mine=signed_by_me(mine=message.mine, earlier_membership=message.earlier_membership),
            deleted=bool(message.deleted),
            removed=self.removed,
            check_in=message.mood > 0,
            sent_at=message.ts,
            now=clock.now_ms(),
        )

    # -- reading the circle again -------------------------------------------------------

    @async_slot()
    async def refresh_info(self) -> None:
        """Read the circle's settings again (they may have changed)."""
        told = self._membership_told
        info = await latest_answer(
            self._info,
            lambda: self.bridge.request(CircleInfo(circle=self.circle_id)),
            self,
            lambda error: self.report_error(error, "read a circle's settings", shown=False),
        )
        if info is None:
            return
        # an answer asked before the last removal or rejoin was told cannot flip it back
        self._set_info(info, joins_may_differ=True, current=told == self._membership_told)

    def show_info(self, info: CircleInfoView) -> None:
        """The settings as the engine's circle_settings_changed event gives them (newer
        than any answer still on its way, which is then dropped)."""
        self._info.take(self._info.ask())
        before = self.info
        self._set_info(
            info,
            joins_may_differ=(
                not facilitating(before)
                or before is None
                or before.join_approval != info.join_approval
            ),
        )

    def _set_info(
        self, info: CircleInfoView, *, joins_may_differ: bool, current: bool = True
    ) -> None:
        """`current`: the view is as new as the last removal or rejoin we were told of
        (an event's always is: events arrive in the order the engine said them)."""
        self.info = info
        self.joins_may_differ = joins_may_differ
        if current and info.removed and (not self.removed or info.banned != self.banned):
            self._set_removed(info.banned, admission_lost=False)
        self.settingsChanged.emit(info)

    @async_slot()
    async def refresh_members(self) -> None:
        result = await latest_answer(
            self._members,
            lambda: self.bridge.request(Members(circle=self.circle_id)),
            self,
            lambda error: self.report_error(error, "list members", shown=False),
        )
        if result is None:
            return
        self._set_members(result.members)

    def show_members(self, members: Sequence[MemberView]) -> None:
        """The members as the engine's members_changed event gives them (newer than any
        answer still on its way, which is then dropped)."""
        self._members.take(self._members.ask())
        self._set_members(members)

    def _set_members(self, members: Sequence[MemberView]) -> None:
        self.members = tuple(members)
        self.membersChanged.emit(self.members)

    def set_removed(self, banned: bool, admission_lost: bool = False, by_name: str = "") -> None:
        """The engine says we are no longer a member (removed, banned, or never really
        admitted: another joiner took the invite's last use at the same moment); `by_name`
        who removed us, when it said."""
        self._membership_told += 1
        self.removed_by = by_name
        self._set_removed(banned, admission_lost)

    def set_member_again(self) -> None:
        """The engine says a new invite admitted us again after a removal: the circle is
        ours as it now is (its settings and members read again), the history stays."""
        self._membership_told += 1
        self.removed = self.banned = self.admission_lost = False
        self.removed_by = ""
        self.removedChanged.emit()
        self.refresh_info()
        self.refresh_members()

    def _set_removed(self, banned: bool, admission_lost: bool) -> None:
        self.removed = True
        self.banned = banned
        self.admission_lost = admission_lost
        self.removedChanged.emit()

    def ask_for_help(self) -> None:
        """ "Get help now" from one of the circle's features: the app's one help window
        (raised if open), never another copy."""
        open_help()

    # -- what features tell -------------------------------------------------------------

    def sent(self, next_send_at: int) -> None:
        """Our message went: slow mode holds the composer back until `next_send_at` (the
        send's result says it, so circle_info need not be read again)."""
        if self.info is not None:
            self.info = replace(self.info, next_send_at=next_send_at)
        muted_until = self.info.muted_until if self.info is not None else 0
        self.holdChanged.emit(muted_until, next_send_at)

    def own_message(self, view: MessageView) -> None:
        """Our message (or check-in) was sent: its view, for the circle list's preview."""
        self.ownMessage.emit(self.circle_id, view)

    def checked_in(self, mood: int) -> None:
        """Our check-in went out (the follow-up after a low one listens)."""
        self.checkedIn.emit(mood)

    def message_deleted(self, message_id: str) -> None:
        """A message one deleted for everyone (from a dialog): its tombstone."""
        self.messageDeleted.emit(message_id)

    # -- dialogs, passing words and errors ----------------------------------------------

    def open_dialog(self, dialog: QDialog, on_accepted: Callable[[], object] | None = None) -> None:
        """Have the window open `dialog` (window-modal); `on_accepted` runs if it is accepted."""
        if on_accepted is not None:
            dialog.accepted.connect(on_accepted)
        self.dialogRequested.emit(dialog)

    def say(self, text: str) -> None:
        """A passing word (thanks, a confirmation) in the window's status line."""
        self.statusMessage.emit(text)

    def report_error(
        self,
        error: Exception,
        what: str,
        *,
        say: Callable[[str], str] = str,
        shown: bool = True,
    ) -> None:
        """The one route for a failure to `what`: its reason (worded by `say`) in the
        circle's banner; with `shown` False (a read nobody waits on: the next read may
        well work) only logged, by kind, never its details."""
        if not shown:
            log.info("could not %s: %s", what, type(error).__name__)
            return
        self.errorReported.emit(say(failure_message(error, what)))

    def clear_error(self) -> None:
        self.errorCleared.emit()

    async def attempt(
        self,
        command: Command,
        on_done: Callable[[], object],
        what: str = moderation.to_moderate(),
        say: Callable[[str], str] = moderation.moderation_failed,
    ) -> None:
        """Run a command without asking first: `on_done` once it went through; if it did
        not, the reason (why it failed `what`, worded by `say`) in the banner."""
        self.clear_error()
        try:
            await command()
        except Exception as error:
            if still_alive(self):
                self.report_error(error, what, say=say)
            return
        if still_alive(self):
            on_done()
