"""Around a circle's conversation (issue 15) as the engine serves it: who joined and
left (peerapp.engine.membership_notices), and saying one is typing
(peerapp.engine.typing_signals)."""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core.api.around import MembershipLog, MembershipLogOf, Typing
from peerapp.core.api.contract import Done
from peerapp.engine.circle_service import CircleService
from peerapp.engine.dispatch import Handlers


def around_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def membership_log(command: MembershipLogOf) -> MembershipLog:
        return MembershipLog(entries=service().membership.log(command.circle))

    async def typing(command: Typing) -> Done:
        await service().typing.send(command.circle)
        return Done()

    handlers = Handlers()
    handlers.add(MembershipLogOf, membership_log)
    handlers.add(Typing, typing)
    return handlers
