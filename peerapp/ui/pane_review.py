"""A circle pane's part in keeping the space safe (issue 6): flagging a message as harmful,
messages hidden pending review and facilitators restoring them, check-ins, and the
conversation read again when the reader's content filters change.

Rules:
- "Flag as harmful…" is offered on others' messages that are not deleted and were not
  already reviewed (restored); once flagged the menu says "Flagged". A short confirmation
  says what happens: when enough members flag it, it is hidden for everyone until a
  facilitator reviews it, and the author is not told who flagged.
- Facilitators may restore a message hidden pending review (not their own: another
  facilitator reviews that); its bubble and its menu offer "Restore". They can also
  delete it for everyone, as any message (peerapp.ui.pane_moderation).
- A message's new state (hidden, shown again, flagged once more) comes with the engine's
  `message_changed` event, which replaces its row (the window hands it to the model); the
  `message_review` that follows gives facilitators a quiet note right below it, "A
  message was hidden pending review after members flagged it". Nothing is read again.
- "Check in" in the composer opens the check-in dialog; the check-in shows once sent.

Who may flag or restore is the core's rule (core/permissions.py), asked through the
circle's controller; dialogs and passing words go out through it too (`open_dialog`,
`say`), and a refused restore shows in the circle's banner (`attempt`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from peerapp.core.api.messages import MessageSent
from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.api.safety import Flag, RestoreMessage
from peerapp.ui.async_slot import async_slot
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.dialogs.check_in import CheckInDialog
from peerapp.ui.dialogs.confirm_action import ConfirmActionDialog
from peerapp.ui.notices import review_notice
from peerapp.ui.text import safety
from peerapp.ui.timeline import Notice

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext


class PaneReview(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = self.controller
        # notes shown to a facilitator below messages hidden for review, by message id
        self.review_notices: dict[str, Notice] = {}

        pane.message_list.set_review_rules(controller.may_flag, controller.may_restore)
        pane.message_list.flagRequested.connect(self.confirm_flag)
        pane.message_list.restoreRequested.connect(self.restore)
        pane.composer.checkInRequested.connect(self.open_check_in)
        # a reload that could not join what was shown replaced it: the notes go back in
        pane.model.modelReset.connect(self.place_review_notices)
        controller.settingsChanged.connect(self.info_changed)

    @Slot(object)
    def info_changed(self, _info: CircleInfoView) -> None:
        self.pane.model.set_reviewer(self.controller.facilitating)

    # -- flagging and restoring -----------------------------------------------------------

    @Slot(str)
    def confirm_flag(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is None or not self.controller.may_flag(message) or message.flagged:
            return
        info = self.controller.info
        flags_to_hide = info.harm_flags_to_hide if info is not None else None
        dialog = ConfirmActionDialog(
            self.bridge,
            title=safety.flag_harm_title(),
            explanation=safety.flag_harm_text(flags_to_hide),
            confirm_text=safety.flag_harm_confirm(),
            command=lambda: self.bridge.request(
                Flag(circle=self.circle, kind="harm", message=message_id)
            ),
            busy_text=safety.flagging(),
            what=safety.to_flag_message(),
            parent=self.pane.surface,
        )
        self.controller.open_dialog(dialog, self._flagged)

    def _flagged(self) -> None:
        # "Flagged", and hidden if this flag was enough: the row comes as message_changed
        self.controller.say(safety.flag_harm_thanks())

    @async_slot(str)
    async def restore(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is None or not self.controller.may_restore(message):
            return
        await self.controller.attempt(
            lambda: self.bridge.request(RestoreMessage(circle=self.circle, message=message_id)),
            self._restored,
            safety.to_restore_message(),
        )

    def _restored(self) -> None:
        self.controller.say(safety.message_restored())  # the row: an event

    # -- what the engine tells --------------------------------------------------------------

    def review_changed(self, message_id: str, hidden: bool) -> None:
        """A `message_review` event: the message was hidden pending review, or shows again
        (its row changed already, with the `message_changed` before it)."""
        message = self.pane.model.message(message_id)
        if hidden and self.controller.facilitating and message is not None:
            notice = review_notice(message)
            self.review_notices[message_id] = notice
            self.pane.merge_items([notice])

    @Slot()
    def place_review_notices(self) -> None:
        shown = self.pane.model
        notices = [
            notice
            for message_id, notice in self.review_notices.items()
            if message_id in shown and notice.id not in shown
        ]
        if notices:
            self.pane.merge_items(notices)

    # -- check-ins ------------------------------------------------------------------------

    @Slot()
    def open_check_in(self) -> None:
        dialog = CheckInDialog(self.bridge, self.circle, self.pane.surface)
        self.controller.open_dialog(dialog, lambda: self._checked_in(dialog))

    def _checked_in(self, dialog: CheckInDialog) -> None:
        sent = dialog.result_data
        self.pane.message_list.scroll_to_end()
        if isinstance(sent, MessageSent) and sent.view is not None:
            self.pane.merge_items([sent.view])
            self.controller.sent(sent.next_send_at)  # slow mode, from the result
            self.controller.own_message(sent.view)
        else:
            self.pane.reload_latest()
            self.controller.refresh_info()  # slow mode: when the next message may go
        self.controller.checked_in(dialog.mood())  # a low one is followed through

    # -- content filters ------------------------------------------------------------------

    @async_slot()
    async def reload_filtered(self) -> None:
        """The reader's filters changed: show the latest messages as they now filter them
        (messages of a topic now hidden go, collapsed ones open or close), scrolled to the
        end."""
        await self.pane.replace_latest(self.pane.history_page, jump_to_end=True)
