"""The node commands of a safe support space: check-ins, flags and facilitator review.
(`send` takes `cw` in engine.py; boundaries have boundaries_commands.py.)

- flag kind "care": a private note to the facilitators (engine/mailbox.py), never in the log;
- flag kind "harm": a signed HARM_FLAG in the circle log (engine/safety.py);
- flags: the care flags sent to us, and what harm flags hide pending our review.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peerapp.core.api.contract import Done
from peerapp.core.api.messages import CheckIn, MessageSent
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.safety import (
    Flag,
    Flagged,
    FlagList,
    Flags,
    ResolveFlag,
    RestoreMessage,
)
from peerapp.core.errors import CommandError
from peerapp.engine.dispatch import Handlers

if TYPE_CHECKING:
    from peerapp.engine.circle_service import CircleService


def safety_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def checkin(command: CheckIn) -> MessageSent:
        view = await service().safety.checkin(command.circle, command.mood, command.text or "")
        next_send_at = service().moderation.next_send_at(command.circle)
        return MessageSent(message=view.id, view=view, next_send_at=next_send_at)

    async def restore_message(command: RestoreMessage) -> Done:
        await service().safety.restore(command.circle, command.message)
        return Done()

    async def flag(command: Flag) -> Flagged:
        if command.kind == "care":
            if command.member is None:
                raise CommandError(Refusal.CARE_FLAG_NEEDS_MEMBER)
            flag_id = await service().mailbox.care_flag(
                command.circle, command.member, command.message or None, command.note or ""
            )
            return Flagged(flag=flag_id)
        if command.kind == "harm":
            if command.message is None:
                raise CommandError(Refusal.HARM_FLAG_NEEDS_MESSAGE)
            if command.member is not None or command.note is not None:
                raise CommandError(Refusal.HARM_FLAG_ONLY_MESSAGE)
            return Flagged(**await service().safety.flag_harm(command.circle, command.message))
        raise CommandError(Refusal.FLAG_KIND)

    async def flags(command: Flags) -> FlagList:
        circles = service()
        views = circles.mailbox.flags(command.circle)
        return FlagList(
            flags=tuple(views),
            # harm flags are in the log: what they hide waits for a facilitator's review
            pending_review=circles.safety.pending_review(command.circle),
        )

    async def resolve_flag(command: ResolveFlag) -> Done:
        service().mailbox.resolve_flag(command.circle, command.flag, command.note or "")
        return Done()

    handlers = Handlers()
    handlers.add(CheckIn, checkin)
    handlers.add(RestoreMessage, restore_message)
    handlers.add(Flag, flag)
    handlers.add(Flags, flags)
    handlers.add(ResolveFlag, resolve_flag)
    return handlers
