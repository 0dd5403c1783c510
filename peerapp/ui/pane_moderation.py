"""The moderation side of one circle's pane: what facilitators can do there, and what
everyone sees of it.

Rules:
- A member's menu offers the moderation actions the engine sent with `members` (judged
  once, by core/permissions.py); which messages may be deleted for everyone or reported
  is the core's rule too, asked through the circle's controller with the viewer's
  standing (circle_info) and each author's (`members`). The engine checks again.
- Acting: promote, demote and unmute go straight to the engine; making someone founder,
  muting (a listed length or one's own), removing, banning, deleting a message and
  leaving ask first, naming the person or the circle. A mute, a removal, a ban and a
  delete of someone else's message each offer an optional reason, shown to the member
  and in the log (issue 14: the mute menu's listed lengths went at once, with none).
  A ban offers (unchecked) to remove, in the same action, the members the banned one
  brought in (peerapp.ui.invitations). A refusal shows in a banner above the
  conversation (or inline in the dialog that asked: the controller's one error route),
  never as a crash.
- Who invited whom: facilitators see it in each member's tooltip; members are not
  shown it.
- Notices: the moderation log is read when the pane has its first page, then each
  `moderation` event adds its entry. An entry shows as a quiet row among the messages
  (peerapp.ui.notices words it), placed by its log position (lamport, id), which the
  engine gives every entry.
- A deleted message (a "delete" entry, or `deleted` in the history) keeps its row with a
  tombstone instead of its text.
- Composer: circle_info's muted_until and next_send_at hold it back (peerapp.ui.widgets.
  composer); circle_info is read again after each send, on moderation events and when a
  hold ends.
- Removed (circle_info.removed, or the removed_from_circle event; the controller holds
  it): a bar says so (banned: "…and cannot rejoin"), by whom where known, that the
  history stays readable here, with "Get help now" (the window's crisis help) and
  "Forget this circle…" (leaving is moot: the log says one is out); the composer, the
  invite button and every action go away, the history stays. A rejoin (the
  rejoined_circle event) undoes all of it at once.
- Before a mute, a removal or a ban of a member who asked for support recently
  (MemberView.asked_for_support_at, core/care_policy.py), the dialog says so.

What it reads of the circle (settings, members, who one is, removed) is the controller's
(peerapp.ui.circle_controller); it holds only the moderation log's entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from peerapp.core.api.moderation import (
    CircleInfoView,
    Demote,
    ForgetCircle,
    Leave,
    MessageDetails,
    ModerationEntryView,
    ModerationLogOf,
    Mute,
    Promote,
    RemoveMember,
    TransferFounder,
)
from peerapp.core.circle_events import EventType
from peerapp.core.errors import HearthError
from peerapp.core.events import MemberView, MessageView
from peerapp.core.permissions import MemberAction, signed_by_me
from peerapp.ui import clock, style
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.circle_controller import Command
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.dialogs.confirm_action import (
    ConfirmActionDialog,
    ConfirmWithReasonDialog,
    confirm_delete_message,
)
from peerapp.ui.dialogs.confirm_ban import ConfirmBanDialog
from peerapp.ui.dialogs.engine_command import EngineCommandDialog
from peerapp.ui.dialogs.moderation_log import ModerationLogDialog
from peerapp.ui.dialogs.mute_member import MuteMemberDialog
from peerapp.ui.dialogs.report_message import ReportMessageDialog
from peerapp.ui.dialogs.support_note import add_support_note
from peerapp.ui.invitations import brought_in_by, facilitator_notes
from peerapp.ui.member_actions import (
    BOUNDARY_ACTIONS,
    CARE_ACTIONS,
    boundary_actions,
    care_actions,
    in_menu_order,
)
from peerapp.ui.notices import Settings, notice_text, reason_of, with_previous
from peerapp.ui.text import circle_settings, circles, conversation, follow_through, moderation
from peerapp.ui.timeline import Item, Notice
from peerapp.ui.widgets.button_row import button_row
from peerapp.ui.widgets.member_menu import CUSTOM_LENGTH
from peerapp.ui.widgets.message_model import OrderKey, order_key

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


def notice_key(entry: ModerationEntryView) -> OrderKey:
    """Where a notice goes: the engine gives every log entry its place in the circle's one
    order (its lamport), so a notice sorts among the messages as its event does."""
    return (entry.lamport, entry.id)


@dataclass(frozen=True)
class Confirmation:
    title: Callable[[str], str]
    text: Callable[[str], str]
    confirm: Callable[[], str]


# the member actions that ask first, and how they ask
CONFIRMATIONS = {
    MemberAction.MAKE_FOUNDER: Confirmation(
        moderation.confirm_make_founder_title,
        moderation.confirm_make_founder_text,
        moderation.make_founder_confirm,
    ),
    MemberAction.REMOVE: Confirmation(
        moderation.confirm_remove_title, moderation.confirm_remove_text, moderation.remove_confirm
    ),
}  # a ban asks in a dialog of its own (ConfirmBanDialog): it may take invitees along
# the actions whose asking reminds a facilitator that the member asked for support
SUPPORT_NOTED = frozenset({MemberAction.MUTE, MemberAction.REMOVE, MemberAction.BAN})


class RemovedBar(QFrame):
    """Says, above the (read-only) history, that one was removed from the circle: by whom
    where known, kindly, that the history stays readable here; with help one click away
    and a way to forget the circle (there is nothing to leave: the log says one is out)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removedBar")
        self.heading = QLabel(circles.removed_from_circle())
        style.set_role(self.heading, "subheading")
        self.heading.setWordWrap(True)
        self.by_label = QLabel()
        self.by_label.setObjectName("removedBy")
        self.by_label.setTextFormat(Qt.TextFormat.PlainText)  # a name from a peer
        self.by_label.setWordWrap(True)
        self.by_label.hide()
        # the facilitator's reason, when they gave one: their words, plain text
        self.reason = QLabel()
        self.reason.setObjectName("removedReason")
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.detail = QLabel(follow_through.removed_explanation())
        style.set_role(self.detail, "muted")
        self.detail.setWordWrap(True)
        self.help_button = QPushButton(follow_through.get_help_now())
        self.help_button.setObjectName("removedGetHelp")
        style.mark_primary(self.help_button)
        self.forget_button = QPushButton(follow_through.forget_circle_button())
        self.forget_button.setObjectName("forgetCircle")
        buttons = button_row((self.help_button, self.forget_button), spacing=8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 14)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.by_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.detail)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.hide()  # until one is removed

    def set_reason(self, reason: str) -> None:
        self.reason.setText(moderation.removed_reason(reason) if reason else "")
        self.reason.setVisible(bool(reason))

    def set_banned(self, banned: bool, admission_lost: bool = False, by_name: str = "") -> None:
        if admission_lost:
            self.heading.setText(circles.admission_lost())
            self.by_label.hide()
            return
        self.heading.setText(
            circles.banned_from_circle() if banned else circles.removed_from_circle()
        )
        if by_name:
            said = follow_through.banned_by if banned else follow_through.removed_by
            self.by_label.setText(said(by_name))
        self.by_label.setVisible(bool(by_name))

    @property
    def text(self) -> str:
        return self.heading.text()


class PaneModeration(CircleFeature):
    circleLeft = Signal(str)  # circle id: we left it

    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = self.controller
        self.entries: list[ModerationEntryView] = []
        self._entry_ids: set[str] = set()
        self.removal_reason = ""  # removed_from_circle's; else the log's removal of us
        self.log_loaded = False

        self.removed_bar = RemovedBar()
        self.removed_bar.help_button.clicked.connect(controller.ask_for_help)
        self.removed_bar.forget_button.clicked.connect(self.confirm_forget)
        self.settings_action = QAction(circle_settings.circle_settings_action(), self)
        self.log_action = QAction(moderation.moderation_log_action(), self)
        self.leave_action = QAction(circles.leave_circle_action(), self)
        self.settings_action.triggered.connect(self.open_settings)
        self.log_action.triggered.connect(self.open_log)
        self.leave_action.triggered.connect(self.confirm_leave)
        more = pane.more_menu
        more.addAction(self.settings_action)
        more.addAction(self.log_action)
        more.addSeparator()
        more.addAction(self.leave_action)
        self.settings_action.setVisible(False)

        pane.member_panel.actionChosen.connect(self.member_action)
        pane.message_list.set_rules(controller.may_delete, controller.may_report)
        pane.message_list.deleteRequested.connect(self.confirm_delete)
        pane.message_list.reportRequested.connect(self.open_report)
        pane.composer.holdEnded.connect(controller.refresh_info)
        # a reload that could not join what was shown replaced it: notices go back in
        pane.model.modelReset.connect(self.place_notices)
        controller.removedChanged.connect(self._removed_changed)
        controller.settingsChanged.connect(self.info_changed)
        controller.membersChanged.connect(self.show_members)
        controller.holdChanged.connect(self._hold)
        controller.messageDeleted.connect(self.mark_deleted)

    # -- who may do what ----------------------------------------------------------------

    def actions_for(self, member: MemberView) -> list[MemberAction]:
        controller = self.controller
        my_id = controller.my_id
        myself = member.id == my_id or not my_id
        # the moderation actions are the engine's (core/permissions.py); none on oneself,
        # none before circle_info said who one is, none once removed
        removed = controller.removed
        moderating = [] if myself or removed else in_menu_order(member.actions)
        # "Talk privately…" (peerapp.ui.pane_private opens it)
        private = [MemberAction.TALK_PRIVATELY] if controller.may_talk_privately(member.id) else []
        return (
            private
            + self.care_for(member.id)
            + moderating
            + boundary_actions(myself=myself or removed, blocked=member.blocked)
        )

    def care_for(self, member_id: str) -> list[MemberAction]:
        """Care flags: worried about others, asking for support for oneself."""
        controller = self.controller
        my_id = controller.my_id
        if controller.removed or not my_id:
            return []
        return care_actions(
            myself=member_id == my_id, someone_to_tell=controller.someone_to_tell(member_id)
        )

    @Slot()
    def show_members(self, _members: object = None) -> None:
        """The member list, each member with the actions the viewer may take on them."""
        members = list(self.controller.members)
        actions = {member.id: self.actions_for(member) for member in members}
        # who invited whom: for facilitators only, quietly (a tooltip)
        notes = facilitator_notes(members) if self.controller.facilitating else {}
        panel = self.pane.member_panel
        unchanged = (
            panel.members == members
            and panel.allowed == {key: value for key, value in actions.items() if value}
            and panel.notes == notes
        )
        if not unchanged:  # circle_info is read often (after each send): rebuild rarely
            panel.set_members(members, actions, notes)

    # -- what circle_info says ----------------------------------------------------------

    @Slot(object)
    def info_changed(self, info: CircleInfoView) -> None:
        if not self.controller.removed:
            self.pane.composer.set_holds(info.muted_until, info.next_send_at)
        self.settings_action.setVisible(self.controller.facilitating)
        self.show_members()  # the viewer's standing may have changed

    @Slot(object, object)
    def _hold(self, muted_until: int, next_send_at: int) -> None:
        """Our message went: slow mode holds the composer back until `next_send_at`."""
        if not self.controller.removed:
            self.pane.composer.set_holds(muted_until, next_send_at)

    def settings(self) -> Settings:
        info = self.controller.info
        if info is None:
            return Settings()
        return Settings(
            slow_mode_seconds=info.slow_mode_seconds,
            join_approval=info.join_approval,
            guidelines=info.guidelines,
            harm_flags_to_hide=info.harm_flags_to_hide,
            members_invite=info.members_invite,
            flag_after_hours=info.flag_after_hours,
            typing=info.typing,
        )

    # -- acting on members --------------------------------------------------------------

    @Slot(str, object, int)
    def member_action(self, member_id: str, action: object, seconds: int) -> None:
        if (
            not isinstance(action, MemberAction)
            or action in BOUNDARY_ACTIONS | CARE_ACTIONS
            or action is MemberAction.TALK_PRIVATELY  # peerapp.ui.pane_private's
        ):
            # blocking is the pane's boundaries' (peerapp.ui.pane_boundaries), care flags
            # the pane's care's (peerapp.ui.pane_care)
            return
        controller = self.controller
        name = controller.name_of(member_id)
        bridge, circle = self.bridge, self.circle
        commands: dict[MemberAction, Command] = {
            MemberAction.PROMOTE: lambda: bridge.request(Promote(circle=circle, member=member_id)),
            MemberAction.DEMOTE: lambda: bridge.request(Demote(circle=circle, member=member_id)),
            MemberAction.MAKE_FOUNDER: lambda: bridge.request(
                TransferFounder(circle=circle, member=member_id)
            ),
            MemberAction.UNMUTE: lambda: bridge.request(
                Mute(circle=circle, member=member_id, seconds=0)
            ),
        }
        # a member who asked for support recently: the facilitator is reminded first
        # (core/care_policy.py)
        member, now = controller.member(member_id), clock.now_ms()
        dialog: EngineCommandDialog
        if action is MemberAction.MUTE and seconds == CUSTOM_LENGTH:
            dialog = MuteMemberDialog(bridge, circle, member_id, name, self.pane.surface)
        elif action is MemberAction.MUTE:
            # a listed length asks once, with the optional reason every mute may carry
            dialog = ConfirmWithReasonDialog(
                bridge,
                title=moderation.mute_for_title(name, seconds),
                explanation=moderation.mute_text(name),
                confirm_text=moderation.mute_confirm(),
                command=lambda reason: bridge.request(
                    Mute(circle=circle, member=member_id, seconds=seconds, reason=reason)
                ),
                parent=self.pane.surface,
            )
        elif action is MemberAction.REMOVE:
            # the removal may say why: shown to them and in the log
            removal = CONFIRMATIONS[action]
            dialog = ConfirmWithReasonDialog(
                bridge,
                title=removal.title(name),
                explanation=removal.text(name),
                confirm_text=removal.confirm(),
                command=lambda reason: bridge.request(
                    RemoveMember(circle=circle, member=member_id, reason=reason)
                ),
                parent=self.pane.surface,
            )
        elif action is MemberAction.BAN:
            brought = brought_in_by(controller.members, member_id)
            invitees = [m.name or conversation.unnamed_member() for m in brought]
            dialog = ConfirmBanDialog(
                bridge, circle, member_id, name, invitee_names=invitees, parent=self.pane.surface
            )
        else:
            asking = CONFIRMATIONS.get(action)
            if asking is None:
                self.run(commands[action])
                return
            dialog = ConfirmActionDialog(
                bridge,
                title=asking.title(name),
                explanation=asking.text(name),
                confirm_text=asking.confirm(),
                command=commands[action],
                parent=self.pane.surface,
            )
        if action in SUPPORT_NOTED:
            add_support_note(dialog, member, now)
        # what it changes in the members and the settings comes back as the engine's
        # members_changed / circle_settings_changed, with their views: nothing to read again
        controller.open_dialog(dialog)

    @async_slot(object)
    async def run(self, command: Command) -> None:
        """Run one moderation command straight away; a refusal shows in the banner (what it
        changed arrives as the engine's events, as after the dialogs above)."""
        await self.controller.attempt(command, lambda: None)

    # -- acting on messages -------------------------------------------------------------

    @Slot(str)
    def confirm_delete(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is None or not self.controller.may_delete(message):
            return
        # a facilitator deleting someone else's message may say why (an author, no)
        as_author = signed_by_me(mine=message.mine, earlier_membership=message.earlier_membership)
        dialog = confirm_delete_message(
            self.bridge, self.circle, message_id, self.pane.surface, with_reason=not as_author
        )
        self.controller.open_dialog(dialog, lambda: self.mark_deleted(message_id))

    @Slot(str)
    def mark_deleted(self, message_id: str) -> None:
        """A message one deleted for everyone (as its author, or facilitating): its
        tombstone."""
        message = self.pane.model.message(message_id)
        as_author = message is not None and signed_by_me(
            mine=message.mine, earlier_membership=message.earlier_membership
        )
        by = "author" if as_author else "facilitator"
        self.pane.model.mark_deleted(message_id, by)

    @Slot(str)
    def open_report(self, message_id: str) -> None:
        dialog = ReportMessageDialog(self.bridge, self.circle, message_id, self.pane.surface)
        self.controller.open_dialog(dialog, lambda: self.controller.say(moderation.report_sent()))

    # -- the circle: settings, log, leaving ---------------------------------------------

    @Slot()
    def open_settings(self) -> None:
        if not self.controller.facilitating:
            return
        dialog = CircleSettingsDialog(
            self.bridge, self.circle, self.pane.name, self.settings(), self.pane.surface
        )
        self.controller.open_dialog(dialog, self.controller.refresh_info)

    @Slot()
    def open_log(self) -> None:
        dialog = ModerationLogDialog(self.bridge, self.circle, self.pane.surface)
        self.controller.open_dialog(dialog)
        dialog.load()

    @Slot()
    def confirm_leave(self) -> None:
        if self.controller.removed:
            return
        dialog = ConfirmActionDialog(
            self.bridge,
            title=circles.leave_title(self.pane.name),
            explanation=circles.leave_text(self.pane.name),
            confirm_text=circles.leave_confirm(),
            command=lambda: self.bridge.request(Leave(circle=self.circle)),
            busy_text=circles.leaving(),
            what=circles.to_leave(),
            parent=self.pane.surface,
        )
        self.controller.open_dialog(dialog, lambda: self.circleLeft.emit(self.circle))

    # -- removed ------------------------------------------------------------------------

    def show_removed(
        self, banned: bool, admission_lost: bool = False, by_name: str = "", reason: str = ""
    ) -> None:
        """The engine's removed_from_circle: we are no longer a member (the controller
        holds it; `_removed_changed` shows it). `admission_lost`: we were never really
        admitted (another joiner took the invite's last use at the same moment).
        `reason`: the facilitator's words, if any."""
        self.removal_reason = reason
        self.controller.set_removed(banned, admission_lost, by_name)

    def _show_removal_reason(self) -> None:
        """The reason on the removed bar: the event's, or (after a restart, when only
        circle_info says we were removed) the latest removal of us in the log."""
        reason = self.removal_reason
        if not reason and not self.controller.admission_lost:
            mine = self.controller.my_id
            removals = [
                entry
                for entry in self.entries
                if entry.action in (EventType.REMOVE.value, EventType.BAN.value)
                and entry.target == mine
            ]
            latest = max(removals, key=lambda e: (e.lamport, e.id), default=None)
            reason = "" if latest is None else reason_of(latest)
        self.removed_bar.set_reason(reason)

    @Slot()
    def _removed_changed(self) -> None:
        """Removed: say so kindly (by whom where known), keep the history, offer help and
        forgetting the circle. Back again (a rejoin): the circle as it now is."""
        controller = self.controller
        removed = controller.removed
        if removed:
            self.removed_bar.set_banned(
                controller.banned, controller.admission_lost, self.removed_by()
            )
            self._show_removal_reason()
        self.removed_bar.setVisible(removed)
        self.pane.composer.setVisible(not removed)
        self.pane.header.set_removed(removed)
        self.settings_action.setVisible(controller.facilitating)
        self.leave_action.setVisible(not removed)
        self.show_members()

    def removed_by(self) -> str:
        """Who removed us: the engine's event said, or the moderation log says (the newest
        removal or ban of our id); "" when neither is known yet."""
        if self.controller.removed_by:
            return self.controller.removed_by
        my_id = self.controller.my_id
        removals = [
            entry
            for entry in self.entries
            if entry.target == my_id and entry.action in {"remove", "ban"}
        ]
        return removals[-1].actor_name if removals and my_id else ""

    @Slot()
    def confirm_forget(self) -> None:
        """A removed member forgets the circle here (its history too), after asking."""
        if not self.controller.removed:
            return
        dialog = ConfirmActionDialog(
            self.bridge,
            title=follow_through.forget_title(self.pane.name),
            explanation=follow_through.forget_text(self.pane.name),
            confirm_text=follow_through.forget_confirm(),
            command=lambda: self.bridge.request(ForgetCircle(circle=self.circle)),
            busy_text=follow_through.forgetting(),
            what=follow_through.to_forget(),
            parent=self.pane.surface,
        )
        self.controller.open_dialog(dialog, lambda: self.circleLeft.emit(self.circle))

    # -- notices and deletions ----------------------------------------------------------

    @async_slot()
    async def load_log(self) -> None:
        """Read the moderation log and show its notices among the messages."""
        try:
            result = await self.bridge.request(ModerationLogOf(circle=self.circle))
        except HearthError as error:
            self.controller.report_error(error, "read the moderation log", shown=False)
            return
        if not still_alive(self.pane.surface):
            return
        self.log_loaded = True
        for entry in result.entries:
            self._add(entry)
        self.place_notices()
        self._reasons_changed()

    def _reasons_changed(self) -> None:
        """The entries changed: the reasons a removal or a mute of us gave may show now."""
        if self.controller.removed:
            self._removed_changed()  # who removed us, and why, are in the log
        self.pane.composer.set_mute_reason(self.mute_reason())

    def mute_reason(self) -> str:
        """The reason of the latest mute of us, for the composer's hold (it shows only
        while that mute holds; an unmute's own reason is not a mute's)."""
        mine = self.controller.my_id
        mutes = [e for e in self.entries if e.action == EventType.MUTE.value and e.target == mine]
        latest = max(mutes, key=lambda e: (e.lamport, e.id), default=None)
        return "" if latest is None else reason_of(latest)

    def entry_arrived(self, entry: ModerationEntryView) -> None:
        """A `moderation` event's entry: a notice and a tombstone (what it changed in the
        members and the settings comes as members_changed and circle_settings_changed)."""
        if entry.action == EventType.DELETE.value and isinstance(entry.details, MessageDetails):
            by = "author" if entry.actor == entry.target else "facilitator"
            self.pane.model.mark_deleted(entry.details.message, by)
        if self._add(entry):
            self.place_notices()
            self._reasons_changed()

    def _add(self, entry: ModerationEntryView) -> bool:
        if entry.id in self._entry_ids:
            return False
        self._entry_ids.add(entry.id)
        self.entries.append(entry)
        return True

    def notices_for(self) -> list[Notice]:
        """Notices of the entries not in the model yet (each has its place in the order)."""
        present = {notice.id for notice in self.pane.model.notices()}
        notices = []
        for entry, previous in with_previous(self.entries):
            if entry.id in present:
                continue
            text = notice_text(entry, previous)
            if text is None:
                continue
            key = notice_key(entry)
            notices.append(Notice(entry.id, text, entry.ts, key[0], key[1]))
        return notices

    @Slot()
    def place_notices(self) -> None:
        """Put in the notices whose place is now shown."""
        if not self.controller.loaded or not self.entries:
            return
        notices = self.notices_for()
        if notices:
            self.pane.merge_items(notices)

    def with_older(self, older: list[MessageView]) -> list[Item]:
        """An older page with the notices that belong among it, for one prepend."""
        first = self.pane.model.first_message()
        boundary = order_key(first) if first is not None else None
        notices = [
            notice
            for notice in self.notices_for()
            if boundary is None or order_key(notice) < boundary
        ]
        return sorted([*older, *notices], key=order_key)
