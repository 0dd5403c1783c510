"""The engine's join-approval commands (docs/node.md "Joining with approval"), each a
thin call into the circle service's JoinService."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peerapp.engine.circle_join import JoinService
    from peerapp.engine.circle_service import CircleService

Result = dict[str, Any]
Handler = Callable[[dict[str, Any]], Awaitable[Result]]


def join_handlers(service: Callable[[], CircleService]) -> dict[str, Handler]:
    def joins() -> JoinService:
        return service().joins

    async def preview_invite(arguments: dict[str, Any]) -> Result:
        return await joins().preview_invite(arguments["code"])

    async def pending_joins(arguments: dict[str, Any]) -> Result:
        return {"requests": joins().pending_joins(arguments["circle"])}

    async def approve_join(arguments: dict[str, Any]) -> Result:
        await joins().approve_join(arguments["circle"], arguments["request"])
        return {}

    async def reject_join(arguments: dict[str, Any]) -> Result:
        joins().reject_join(arguments["circle"], arguments["request"])
        return {}

    async def joins_waiting(arguments: dict[str, Any]) -> Result:
        return {"joins": joins().joins_waiting()}

    async def cancel_join(arguments: dict[str, Any]) -> Result:
        joins().cancel_join(arguments["circle"])
        return {}

    return {
        "preview_invite": preview_invite,
        "pending_joins": pending_joins,
        "approve_join": approve_join,
        "reject_join": reject_join,
        "joins_waiting": joins_waiting,
        "cancel_join": cancel_join,
    }
