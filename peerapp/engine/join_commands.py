"""The engine's join-approval commands (docs/node.md "Joining with approval"), each a
thin call into the circle service's JoinService."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peerapp.core.api.contract import Done
from peerapp.core.api.joins import (
    ApproveJoin,
    CancelJoin,
    InvitePreview,
    JoinRequestView,
    JoinsWaiting,
    PendingJoinList,
    PendingJoins,
    PreviewInvite,
    RejectJoin,
    WaitingJoinList,
    WaitingJoinView,
)
from peerapp.engine.dispatch import Handlers

if TYPE_CHECKING:
    from peerapp.engine.circle_join import JoinService
    from peerapp.engine.circle_service import CircleService


def join_handlers(service: Callable[[], CircleService]) -> Handlers:
    def joins() -> JoinService:
        return service().joins

    async def preview_invite(command: PreviewInvite) -> InvitePreview:
        return InvitePreview(**await joins().preview_invite(command.code))

    async def pending_joins(command: PendingJoins) -> PendingJoinList:
        rows = joins().pending_joins(command.circle)
        return PendingJoinList(requests=tuple(JoinRequestView(**row) for row in rows))

    async def approve_join(command: ApproveJoin) -> Done:
        await joins().approve_join(command.circle, command.request)
        return Done()

    async def reject_join(command: RejectJoin) -> Done:
        joins().reject_join(command.circle, command.request)
        return Done()

    async def joins_waiting(command: JoinsWaiting) -> WaitingJoinList:
        rows = joins().joins_waiting()
        return WaitingJoinList(joins=tuple(WaitingJoinView(**row) for row in rows))

    async def cancel_join(command: CancelJoin) -> Done:
        joins().cancel_join(command.circle)
        return Done()

    handlers = Handlers()
    handlers.add(PreviewInvite, preview_invite)
    handlers.add(PendingJoins, pending_joins)
    handlers.add(ApproveJoin, approve_join)
    handlers.add(RejectJoin, reject_join)
    handlers.add(JoinsWaiting, joins_waiting)
    handlers.add(CancelJoin, cancel_join)
    return handlers
