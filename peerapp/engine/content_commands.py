"""The node commands of replies, reactions and edits (issue 15): engine/content.py does
the work; docs/node.md "Replies, reactions and edits"."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peerapp.core.api.content import Edit, MessageEdited, React, ReactionSet, Reply, Unreact
from peerapp.core.api.messages import MessageSent
from peerapp.engine.dispatch import Handlers

if TYPE_CHECKING:
    from peerapp.engine.circle_service import CircleService


def content_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def reply(command: Reply) -> MessageSent:
        circles = service()
        view = await circles.content.reply(command.circle, command.to, command.text, command.cw)
        next_send_at = circles.moderation.next_send_at(command.circle)
        return MessageSent(message=view.id, view=view, next_send_at=next_send_at)

    async def edit(command: Edit) -> MessageEdited:
        view = await service().content.edit(command.circle, command.message, command.text)
        return MessageEdited(message=view.id, view=view)

    async def react(command: React) -> ReactionSet:
        view = await service().content.react(
            command.circle, command.message, command.reaction, on=True
        )
        return ReactionSet(message=view.id, view=view)

    async def unreact(command: Unreact) -> ReactionSet:
        view = await service().content.react(
            command.circle, command.message, command.reaction, on=False
        )
        return ReactionSet(message=view.id, view=view)

    handlers = Handlers()
    handlers.add(Reply, reply)
    handlers.add(Edit, edit)
    handlers.add(React, react)
    handlers.add(Unreact, unreact)
    return handlers
