"""Private conversations in one circle's pane (issue 14): opening them, their unread
badges on the member list, and the messages that arrive.

Rules:
- Three doors open the same "Private conversation" window for a member
  (peerapp.ui.dialogs.private_talk, one per member, non-modal; opening it again brings
  it to the front): the member menu's "Talk privately…" (offered where
  core/permissions.may_talk_privately allows, through the controller), a care flag's
  "Reach out" and a reviewed message's "Reach out to the author" (the care list asks the
  controller, `privateRequested`).
- The conversations (`private_conversations`) are read when circle_info first says who
  we are and on each `private_message` event for this circle; they give the member
  list's unread badges and who wrote to us (so a plain member is offered to answer).
- A message for an open window goes into it (and is read if the window is active); its
  badge goes when the window marks it read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.api.private_talk import PrivateConversationList, PrivateConversationView
from peerapp.core.events import PrivateMessageArrived
from peerapp.core.permissions import MemberAction
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.private_talk import PrivateTalkDialog
from peerapp.ui.engine_query import Latest, latest_answer

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


class PanePrivate(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = self.controller
        self.windows: dict[str, PrivateTalkDialog] = {}
        self.conversations: dict[str, PrivateConversationView] = {}
        self._read = Latest()
        self._known = False
        pane.member_panel.actionChosen.connect(self.member_action)
        controller.privateRequested.connect(self.open)
        controller.settingsChanged.connect(self.info_changed)

    @Slot(object)
    def info_changed(self, _info: CircleInfoView) -> None:
        if not self._known:
            self._known = True
            self.refresh()

    @Slot(str, object, int)
    def member_action(self, member_id: str, action: object, _seconds: int) -> None:
        if action is MemberAction.TALK_PRIVATELY:
            self.open(member_id)

    @Slot(str)
    def open(self, member_id: str) -> PrivateTalkDialog:
        window = self.windows.get(member_id)
        if window is not None and still_alive(window):
            window.show()
            window.raise_()
            window.activateWindow()
            return window
        known = self.conversations.get(member_id)
        may_write = known.may_write if known else self.controller.may_talk_privately(member_id)
        name = self.controller.name_of(member_id) or (known.member_name if known else "")
        window = PrivateTalkDialog(
            self.bridge, self.circle, member_id, name, self.pane.surface, may_write=may_write
        )
        window.readChanged.connect(self._marked_read)
        window.finished.connect(lambda _result, key=member_id: self.windows.pop(key, None))
        self.windows[member_id] = window
        window.show()
        window.load()
        return window

    def arrived(self, event: PrivateMessageArrived) -> None:
        """A `private_message` event for this circle."""
        window = self.windows.get(event.member)
        if window is not None and still_alive(window):
            window.arrived(event.message)
        self.refresh()

    @Slot(str)
    def _marked_read(self, member_id: str) -> None:
        known = self.conversations.get(member_id)
        if known is not None and known.unread:
            self.conversations[member_id] = PrivateConversationView(
                member=known.member,
                member_name=known.member_name,
                messages=known.messages,
                unread=0,
                last_at=known.last_at,
                opened_by_me=known.opened_by_me,
                may_write=known.may_write,
            )
            self._show()

    @async_slot()
    async def refresh(self) -> None:
        result = await latest_answer(
            self._read,
            lambda: self.bridge.request(PrivateConversationList(circle=self.circle)),
            self.pane.surface,
            lambda error: self.controller.report_error(
                error, "read private conversations", shown=False
            ),
        )
        if result is None:
            return
        self.conversations = {c.member: c for c in result.conversations}
        for member_id, window in self.windows.items():
            known = self.conversations.get(member_id)
            if known is not None and still_alive(window):
                window.set_may_write(known.may_write)
        self._show()

    def _show(self) -> None:
        counts = {}
        for member_id, known in self.conversations.items():
            window = self.windows.get(member_id)
            reading = window is not None and still_alive(window) and window.isVisible()
            counts[member_id] = 0 if reading else known.unread
        self.pane.member_panel.set_private_unread(counts)
        self.controller.set_wrote_to_me(
            frozenset(m for m, known in self.conversations.items() if not known.opened_by_me)
        )

    def unread(self, member_id: str) -> int:
        """The badge's count for a member (0 when none shows)."""
        return self.pane.member_panel.private_unread.get(member_id, 0)
