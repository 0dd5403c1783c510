"""The node commands of a safe support space: check-ins, flags and facilitator review.
(`send` takes `cw` in engine.py; boundaries have boundaries_commands.py.)

- flag kind "care": a private note to the facilitators (engine/mailbox.py), never in the log;
- flag kind "harm": a signed HARM_FLAG in the circle log (engine/safety.py);
- flags: the care flags sent to us, and what harm flags hide pending our review.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from peerapp.core.errors import CommandError

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

    async def flag(arguments: dict[str, Any]) -> Result:
        kind = arguments["kind"]
        if kind == "care":
            if "member" not in arguments:
                raise CommandError("A care flag needs the member you are worried about.")
            flag_id = await service().mailbox.care_flag(
                arguments["circle"],
                arguments["member"],
                arguments.get("message") or None,
                arguments.get("note", ""),
            )
            return {"flag": flag_id}
        if kind == "harm":
            if "message" not in arguments:
                raise CommandError("A harm flag needs the message.")
            if "member" in arguments or "note" in arguments:
                raise CommandError("A harm flag takes only the message.")
            return await service().safety.flag_harm(arguments["circle"], arguments["message"])
        raise CommandError('A flag\'s kind is "care" or "harm".')

    async def flags(arguments: dict[str, Any]) -> Result:
        circles = service()
        views = circles.mailbox.flags(arguments["circle"])
        return {
            "flags": [view.as_reply() for view in views],
            # harm flags are in the log: what they hide waits for a facilitator's review
            "pending_review": circles.safety.pending_review(arguments["circle"]),
        }

    async def resolve_flag(arguments: dict[str, Any]) -> Result:
        service().mailbox.resolve_flag(arguments["circle"], arguments["flag"])
        return {}

    return {
        "checkin": checkin,
        "restore_message": restore_message,
        "flag": flag,
        "flags": flags,
        "resolve_flag": resolve_flag,
    }
