"""A reader's boundaries as the engine serves them: argument mapping -> reply.

Each handler only unpacks arguments and calls peerapp.engine.boundaries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from peerapp.core.content_warnings import FILTER_TOPICS
from peerapp.engine.boundaries import KEEP, Boundaries
from peerapp.engine.circle_service import CircleService

Result = dict[str, Any]
Handler = Callable[[dict[str, Any]], Awaitable[Result]]


def boundaries_handlers(service: Callable[[], CircleService]) -> dict[str, Handler]:
    def boundaries() -> Boundaries:
        return service().boundaries

    async def block(arguments: dict[str, Any]) -> Result:
        boundaries().block(arguments["circle"], arguments["member"])
        return {}

    async def unblock(arguments: dict[str, Any]) -> Result:
        boundaries().unblock(arguments["circle"], arguments["member"])
        return {}

    async def filters(_: dict[str, Any]) -> Result:
        return {"filters": boundaries().filters()}

    async def set_filters(arguments: dict[str, Any]) -> Result:
        changes = {topic: arguments[topic] for topic in FILTER_TOPICS if topic in arguments}
        return {"filters": boundaries().set_filters(changes)}

    async def set_break(arguments: dict[str, Any]) -> Result:
        return await boundaries().set_break(
            arguments.get("circle"),
            arguments["on"],
            arguments.get("quiet_hours", KEEP),  # absent keeps, null clears
            arguments.get("status"),
        )

    async def breaks(_: dict[str, Any]) -> Result:
        return boundaries().breaks()

    return {
        "block": block,
        "unblock": unblock,
        "filters": filters,
        "set_filters": set_filters,
        "set_break": set_break,
        "breaks": breaks,
    }
