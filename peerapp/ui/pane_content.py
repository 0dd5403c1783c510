"""Replies, reactions and edits in one circle's pane (issue 15).

Rules:
- A message's menu offers "Reply", "React" and, on our own message within a day,
  "Edit", as core/permissions.py's rules say (the controller's may_reply, may_react,
  may_edit); Ctrl+R and Ctrl+E do the same on the current message.
- "Reply" opens the composer's quote bar ("Replying to Bee: …"); "Edit" puts the
  message's text in the box under "Editing your message: …". Sending then sends a reply
  or an edit (`send`); the engine's answer carries the view, so the row follows with
  nothing read again. The close button or Escape goes back to a new message.
- A reaction (from the menu, or a chip under a message pressed) is sent at once; a
  refusal goes to the circle's one error route. The answer's view replaces the row.
- A reply's quote, pressed, goes to the message it answers: scrolled to and made
  current, loading older pages (at most MAX_JUMP_PAGES) until it shows; if it is not
  in the history (deleted, or older than what this computer holds) the status line says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QAbstractItemView

from peerapp.core.api.content import Edit, MessageEdited, React, Reply, Unreact
from peerapp.core.api.messages import MessageSent, SendMessage
from peerapp.core.errors import HearthError
from peerapp.ui.async_slot import async_slot, still_alive
from peerapp.ui.circle_context import CircleFeature
from peerapp.ui.text import content

if TYPE_CHECKING:
    from peerapp.ui.circle_context import CircleContext

# how many older pages a jump to a quoted message may load before it gives up
MAX_JUMP_PAGES = 20


class PaneContent(CircleFeature):
    def __init__(self, pane: CircleContext) -> None:
        super().__init__(pane)
        controller = pane.controller
        messages = pane.message_list
        messages.set_content_rules(controller.may_reply, controller.may_react, controller.may_edit)
        messages.replyRequested.connect(self.reply_to)
        messages.editRequested.connect(self.edit)
        messages.reactRequested.connect(self.react)
        messages.jumpRequested.connect(self.jump_to)
        self.jumping = False

    @Slot(str)
    def reply_to(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is not None:
            self.pane.composer.set_reply(message.id, message.author_name, message.text)

    @Slot(str)
    def edit(self, message_id: str) -> None:
        message = self.pane.model.message(message_id)
        if message is not None:
            self.pane.composer.set_edit(message.id, message.text)

    async def send(self, text: str, cw: str | None) -> MessageSent | MessageEdited:
        """Send what the composer holds: a new message, a reply, or an edit."""
        answering = self.pane.composer.answering
        if answering is None:
            return await self.bridge.request(SendMessage(circle=self.circle, text=text, cw=cw))
        if answering.editing:
            return await self.bridge.request(
                Edit(circle=self.circle, message=answering.message, text=text)
            )
        return await self.bridge.request(
            Reply(circle=self.circle, to=answering.message, text=text, cw=cw)
        )

    def edited(self, result: MessageEdited) -> None:
        """Our edit is stored: its row shows the new text."""
        if result.view is not None:
            self.pane.model.message_changed(result.view)

    @async_slot(str, str, bool)
    async def react(self, message_id: str, reaction: str, on: bool) -> None:
        command = React if on else Unreact
        try:
            result = await self.bridge.request(
                command(circle=self.circle, message=message_id, reaction=reaction)
            )
        except HearthError as error:
            if still_alive(self.pane.surface):
                self.controller.report_error(error, content.to_react())
            return
        if still_alive(self.pane.surface) and result.view is not None:
            self.pane.model.message_changed(result.view)

    @async_slot(str)
    async def jump_to(self, message_id: str) -> None:
        """Go to a quoted message, loading older pages until it shows (bounded)."""
        if self.jumping:
            return
        self.jumping = True
        try:
            for _ in range(MAX_JUMP_PAGES + 1):
                number = self.pane.model.row_of(message_id)
                if number is not None:
                    index = self.pane.model.index(number)
                    self.pane.message_list.setCurrentIndex(index)
                    self.pane.message_list.scrollTo(
                        index, QAbstractItemView.ScrollHint.PositionAtCenter
                    )
                    return
                if not self.pane.controller.has_older:
                    break
                await self.pane.load_older()
                if not still_alive(self.pane.surface):
                    return
            self.controller.say(content.not_found_here())
        finally:
            if still_alive(self.pane.surface):
                self.jumping = False
