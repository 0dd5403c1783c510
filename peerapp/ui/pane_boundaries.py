"""One's own boundaries in a circle's pane: blocking a member, taking a break from it.

Rules:
- Block / Unblock come through the member menu (peerapp.ui.member_actions offers them on
  every other member, whatever the roles). Blocking asks first ("You won't see their
  messages in this circle. They won't be told."); unblocking does not. Both are local:
  the engine tells nobody.
- After either, the members are read again (the "blocked" mark) and the shown history is
  replaced by a fresh answer: the engine leaves blocked members' messages out of
  history, so they vanish on a block and come back on an unblock.
- "Take a break from this circle…" sits in the circle's More menu and opens the break
  dialog for this circle; the header's moon line shows the break the window reads from
  the circles view (`show_break`), and its "End break" turns off this circle's own break
  and the global one, whichever is on. `breakChanged` tells the window to read the
  breaks and the circles again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction

from peerapp.core.errors import HearthError
from peerapp.ui import messages
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.form_dialog import failure_message
from peerapp.ui.dialogs.take_a_break import TakeABreakDialog, breaks_from
from peerapp.ui.member_actions import MemberAction
from peerapp.ui.widgets.message_model import message_views

if TYPE_CHECKING:
    from peerapp.ui.circle_pane import CirclePane

log = logging.getLogger(__name__)


class PaneBoundaries(QObject):
    breakChanged = Signal(str)  # circle id: a break was saved or ended from this pane

    def __init__(self, pane: CirclePane) -> None:
        super().__init__(pane)
        self.pane = pane
        self.bridge = pane.bridge
        self.circle = pane.circle_id
        self.history_reloads = 0  # completed reloads after a block or unblock
        self.break_action = QAction(messages.TAKE_A_BREAK_FROM_CIRCLE_ACTION, self)
        self.break_action.triggered.connect(self.open_break)
        more = pane.moderation.more_menu
        if more.actions():  # first in the circle's More menu, a line below it
            first = more.actions()[0]
            more.insertAction(first, self.break_action)
            more.insertSeparator(first)
        else:
            more.addAction(self.break_action)
        pane.member_panel.actionChosen.connect(self.member_action)
        pane.header.end_break_button.clicked.connect(self.end_break)

    # -- blocking -----------------------------------------------------------------------

    @Slot(str, object, int)
    def member_action(self, member_id: str, action: object, _seconds: int) -> None:
        if action is MemberAction.BLOCK:
            self.confirm_block(member_id)
        elif action is MemberAction.UNBLOCK:
            self.unblock(member_id)

    def _name_of(self, member_id: str) -> str:
        member = next((m for m in self.pane.member_panel.members if m.id == member_id), None)
        return (member.name if member is not None else "") or messages.UNNAMED_MEMBER

    def confirm_block(self, member_id: str) -> None:
        name = self._name_of(member_id)
        dialog = ConfirmActionDialog(
            self.bridge,
            title=messages.block_title(name),
            explanation=messages.block_text(name),
            confirm_text=messages.BLOCK_CONFIRM,
            command=lambda: self.bridge.call("block", circle=self.circle, member=member_id),
            what=messages.TO_BLOCK,
            parent=self.pane,
        )
        dialog.accepted.connect(lambda: self._blocking_changed(messages.blocked_status(name)))
        self.pane.moderation.dialogRequested.emit(dialog)

    @async_slot(str)
    async def unblock(self, member_id: str) -> None:
        name = self._name_of(member_id)
        banner = self.pane.moderation.error_banner
        banner.dismiss()
        try:
            await self.bridge.call("unblock", circle=self.circle, member=member_id)
        except Exception as error:
            if still_alive(self.pane):
                banner.show_message(failure_message(error, messages.TO_BLOCK))
            return
        if still_alive(self.pane):
            self._blocking_changed(messages.unblocked_status(name))

    def _blocking_changed(self, said: str) -> None:
        self.pane.moderation.statusMessage.emit(said)
        self.pane.refresh_members()
        self.reload_history()

    @async_slot()
    async def reload_history(self) -> None:
        """Show the latest messages afresh (not merged: some are to disappear)."""
        pane = self.pane
        if not pane.loaded:
            return  # the first page, still on its way, is read with the block applied
        limit = pane._reload_size()
        try:
            result = await self.bridge.history(self.circle, limit=limit)
        except HearthError as error:
            log.info("could not reload the history after a block: %s", type(error).__name__)
            return
        if not still_alive(pane):
            return
        views = message_views(result.get("messages", []))
        at_bottom = pane.message_list.at_bottom
        pane.model.replace(views)
        pane.has_older = len(views) >= limit
        if at_bottom:
            pane.message_list.scroll_to_end()
        self.history_reloads += 1

    # -- taking a break -----------------------------------------------------------------

    def show_break(self, *, quiet: bool, on_break: bool) -> None:
        """The circles view's word on this circle: silenced now, a break switched on."""
        self.pane.header.set_break(quiet=quiet, on_break=on_break)

    @Slot()
    def open_break(self) -> TakeABreakDialog:
        dialog = TakeABreakDialog(self.bridge, self.circle, self.pane.name, self.pane)
        dialog.accepted.connect(lambda: self._break_saved(messages.BREAK_SAVED))
        self.pane.moderation.dialogRequested.emit(dialog)
        dialog.load()
        return dialog

    def _break_saved(self, said: str) -> None:
        self.pane.moderation.statusMessage.emit(said)
        self.breakChanged.emit(self.circle)

    @async_slot()
    async def end_break(self) -> None:
        """End whichever break silences this circle: its own, the global one, or both."""
        button = self.pane.header.end_break_button
        button.setEnabled(False)
        try:
            current = breaks_from(await self.bridge.call("breaks"))
            if current.of(self.circle).on:
                await self.bridge.call("set_break", circle=self.circle, on=False)
            if current.everywhere.on:
                await self.bridge.call("set_break", on=False)
        except Exception as error:
            if still_alive(self.pane):
                button.setEnabled(True)
                reason = failure_message(error, messages.TO_END_BREAK)
                self.pane.moderation.error_banner.show_message(reason)
            return
        if still_alive(self.pane):
            button.setEnabled(True)
            self._break_saved(messages.BREAK_ENDED)
