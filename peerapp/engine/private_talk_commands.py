"""The node commands of private conversations (engine/private_talk.py; docs/node.md
"Private conversations")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peerapp.core.api.contract import Done
from peerapp.core.api.private_talk import (
    PrivateConversationList,
    PrivateConversations,
    PrivateHistory,
    PrivateMessages,
    PrivateRead,
    PrivateSend,
    PrivateSent,
)
from peerapp.engine.dispatch import Handlers

if TYPE_CHECKING:
    from peerapp.engine.circle_service import CircleService


def private_talk_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def private_send(command: PrivateSend) -> PrivateSent:
        view = await service().private.send(command.circle, command.member, command.text)
        return PrivateSent(message=view.id, view=view)

    async def private_messages(command: PrivateHistory) -> PrivateMessages:
        views = service().private.messages(
            command.circle, command.member, command.before, command.limit
        )
        return PrivateMessages(messages=views)

    async def private_conversations(command: PrivateConversationList) -> PrivateConversations:
        return PrivateConversations(conversations=service().private.conversations(command.circle))

    async def private_read(command: PrivateRead) -> Done:
        service().private.read(command.circle, command.member)
        return Done()

    handlers = Handlers()
    handlers.add(PrivateSend, private_send)
    handlers.add(PrivateHistory, private_messages)
    handlers.add(PrivateConversationList, private_conversations)
    handlers.add(PrivateRead, private_read)
    return handlers
