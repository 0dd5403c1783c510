"""Care flags in one circle's pane: "I'm worried about someone" for every member, and the
open flags for facilitators.

Rules:
- Sending: the member menu offers "I'm worried about them…" on every other member and
  "I'd like support…" on oneself (peerapp.ui.member_actions.care_actions), and a
  message's menu offers "I'm worried about this person…" on others' messages still
  showing; each only when some facilitator other than oneself and that member could
  receive the flag. All open peerapp.ui.dialogs.care_flag.CareFlagDialog; once sent, a
  word of thanks goes to the status bar. Nothing shows in the conversation, and the
  member it is about is never told.
- Facilitators: "Care flags…" in the circle's More menu and, while any are open, a
  "2 care flags" badge in the header open peerapp.ui.dialogs.care_flags.CareFlagsDialog.
  The count is read (the engine's `flags`) when circle_info says we facilitate and on
  each `care_flag` event (`flag_arrived`); resolving in the dialog updates it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from peerapp.core.errors import HearthError
from peerapp.core.events import MessageView
from peerapp.ui import messages
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_info import CircleInfo
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.care_flags import CareFlagsDialog, care_flags_from, open_flags
from peerapp.ui.member_actions import CARE_ACTIONS

if TYPE_CHECKING:
    from peerapp.ui.circle_pane import CirclePane

log = logging.getLogger(__name__)


class PaneCare(QObject):
    def __init__(self, pane: CirclePane) -> None:
        super().__init__(pane)
        self.pane = pane
        self.bridge = pane.bridge
        self.circle = pane.circle_id
        self.facilitating = False
        self.open_count = 0
        self._asked = 0
        self._shown = 0
        self.flags_action = QAction(messages.CARE_FLAGS_ACTION, self)
        self.flags_action.triggered.connect(self.open_list)
        self.flags_action.setVisible(False)
        moderation = pane.moderation
        moderation.more_menu.insertAction(moderation.log_action, self.flags_action)
        pane.member_panel.actionChosen.connect(self.member_action)
        pane.message_list.set_care_rule(self.may_care)
        pane.message_list.careRequested.connect(self.open_for_message)
        pane.header.care_flags_button.clicked.connect(self.open_list)
        pane.infoChanged.connect(self.info_changed)

    # -- sending ------------------------------------------------------------------------

    def _my_id(self) -> str:
        info = self.pane.moderation.info
        return info.my_id if info is not None else ""

    def may_care(self, message: MessageView) -> bool:
        moderation = self.pane.moderation
        if moderation.removed or message.deleted or message.mine or not self._my_id():
            return False
        author_here = any(member.id == message.author for member in moderation.members)
        return author_here and moderation.someone_to_tell(message.author)

    @Slot(str, object, int)
    def member_action(self, member_id: str, action: object, _seconds: int) -> None:
        if action in CARE_ACTIONS:
            self.open_flag(member_id, None)

    @Slot(str)
    def open_for_message(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is not None and self.may_care(message):
            self.open_flag(message.author, message.id)

    def open_flag(self, member_id: str, message_id: str | None) -> CareFlagDialog:
        member = next((m for m in self.pane.moderation.members if m.id == member_id), None)
        name = (member.name if member is not None else "") or messages.UNNAMED_MEMBER
        my_id = self._my_id()
        dialog = CareFlagDialog(
            self.bridge,
            self.circle,
            member_id,
            name,
            message_id,
            self.pane,
            myself=(member_id == my_id) if my_id else None,
        )
        moderation = self.pane.moderation
        dialog.accepted.connect(lambda: moderation.statusMessage.emit(dialog.sent_text()))
        moderation.dialogRequested.emit(dialog)
        return dialog

    # -- facilitators: the open flags ---------------------------------------------------

    @Slot(object)
    def info_changed(self, info: CircleInfo) -> None:
        facilitating = info.facilitating and not self.pane.moderation.removed
        self.flags_action.setVisible(facilitating)
        if facilitating and not self.facilitating:
            self.facilitating = True
            self.refresh_count()
        elif not facilitating:
            self.facilitating = False
            self.show_count(0)

    def flag_arrived(self) -> None:
        """A `care_flag` event for this circle."""
        self.refresh_count()

    @async_slot()
    async def refresh_count(self) -> None:
        self._asked += 1
        asked = self._asked
        try:
            result = await self.bridge.call("flags", circle=self.circle)
        except HearthError as error:
            log.info("could not read care flags: %s", type(error).__name__)
            return
        if not still_alive(self.pane) or asked < self._shown:
            return
        self._shown = asked
        self.show_count(len(open_flags(care_flags_from(result.get("flags", [])))))

    @Slot(int)
    def show_count(self, count: int) -> None:
        self.open_count = count
        self.pane.header.set_open_care_flags(count)

    @Slot()
    def open_list(self) -> CareFlagsDialog:
        dialog = CareFlagsDialog(self.bridge, self.circle, self.pane)
        dialog.changed.connect(self.show_count)
        self.pane.moderation.dialogRequested.emit(dialog)
        dialog.load()
        return dialog
