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

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction

from peerapp.core.api.boundaries import Block, BreaksOf, SetBreak, Unblock
from peerapp.core.permissions import MemberAction
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.dialogs.take_a_break import TakeABreakDialog
from peerapp.ui.text import boundaries

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


class PaneBoundaries(CircleFeature):
    breakChanged = Signal(str)  # circle id: a break was saved or ended from this pane

    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        self.history_reloads = 0  # completed reloads after a block or unblock
        self.break_action = QAction(boundaries.take_a_break_from_circle_action(), self)
        self.break_action.triggered.connect(self.open_break)
        more = pane.more_menu
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

    def confirm_block(self, member_id: str) -> None:
        name = self.controller.name_of(member_id)
        dialog = ConfirmActionDialog(
            self.bridge,
            title=boundaries.block_title(name),
            explanation=boundaries.block_text(name),
            confirm_text=boundaries.block_confirm(),
            command=lambda: self.bridge.request(Block(circle=self.circle, member=member_id)),
            what=boundaries.to_block(),
            parent=self.pane.surface,
        )
        self.controller.open_dialog(
            dialog, lambda: self._blocking_changed(boundaries.blocked_status(name))
        )

    @async_slot(str)
    async def unblock(self, member_id: str) -> None:
        name = self.controller.name_of(member_id)
        await self.controller.attempt(
            lambda: self.bridge.request(Unblock(circle=self.circle, member=member_id)),
            lambda: self._blocking_changed(boundaries.unblocked_status(name)),
            boundaries.to_block(),
            say=str,  # the reason as it is: not worded as moderation
        )

    def _blocking_changed(self, said: str) -> None:
        self.controller.say(said)
        self.controller.refresh_members()
        self.reload_history()

    @async_slot()
    async def reload_history(self) -> None:
        """Show the latest messages afresh (not merged: some are to disappear), as many as
        a reload would; a first page still on its way is read with the block applied."""
        pane = self.pane
        if await pane.replace_latest(pane.reload_size(), jump_to_end=False):
            self.history_reloads += 1

    # -- taking a break -----------------------------------------------------------------

    def show_break(self, *, quiet: bool, on_break: bool) -> None:
        """The circles view's word on this circle: silenced now, a break switched on."""
        self.pane.header.set_break(quiet=quiet, on_break=on_break)

    @Slot()
    def open_break(self) -> TakeABreakDialog:
        dialog = TakeABreakDialog(self.bridge, self.circle, self.pane.name, self.pane.surface)
        self.controller.open_dialog(dialog, lambda: self._break_saved(boundaries.break_saved()))
        dialog.load()
        return dialog

    def _break_saved(self, said: str) -> None:
        self.controller.say(said)
        self.breakChanged.emit(self.circle)

    @async_slot()
    async def end_break(self) -> None:
        """End whichever break silences this circle: its own, the global one, or both."""
        button = self.pane.header.end_break_button
        button.setEnabled(False)
        try:
            current = await self.bridge.request(BreaksOf())
            if current.of(self.circle).on:
                await self.bridge.request(SetBreak(circle=self.circle, on=False))
            if current.global_break.on:
                await self.bridge.request(SetBreak(on=False))
        except Exception as error:
            if still_alive(self.pane.surface):
                button.setEnabled(True)
                self.controller.report_error(error, boundaries.to_end_break())
            return
        if still_alive(self.pane.surface):
            button.setEnabled(True)
            self._break_saved(boundaries.break_ended())
