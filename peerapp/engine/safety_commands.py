"""The node commands of the circle-log side of safety (engine/safety.py): check-ins and
facilitator review. (`send` takes `cw` in engine.py; `flag` lives with the care flags.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peerapp.engine.circle_service import CircleService

Result = dict[str, Any]
Handler = Callable[[dict[str, Any]], Awaitable[Result]]


def safety_handlers(service: Callable[[], CircleService]) -> dict[str, Handler]:
    async def checkin(arguments: dict[str, Any]) -> Result:
        view = await service().safety.checkin(
            arguments["circle"], arguments["mood"], arguments.get("text", "")
        )
        return {"message": view.id}

    async def restore_message(arguments: dict[str, Any]) -> Result:
        await service().safety.restore(arguments["circle"], arguments["message"])
        return {}

    return {"checkin": checkin, "restore_message": restore_message}
