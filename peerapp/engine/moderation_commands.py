"""The facilitators' commands as the engine serves them: argument mapping -> reply.

Kept apart from engine.py so the command table stays readable; each handler only
unpacks arguments and calls peerapp.engine.moderation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from peerapp.core.circle_events import EventType
from peerapp.engine.circle_service import CircleService
from peerapp.engine.moderation import Moderation

Result = dict[str, Any]
Handler = Callable[[dict[str, Any]], Awaitable[Result]]

# command -> the event type it authors about one member
MEMBER_ACTIONS = {
    "promote": EventType.PROMOTE,
    "demote": EventType.DEMOTE,
    "transfer_founder": EventType.TRANSFER_FOUNDER,
    "remove_member": EventType.REMOVE,
}


def moderation_handlers(service: Callable[[], CircleService]) -> dict[str, Handler]:
    def moderation() -> Moderation:
        return service().moderation

    def on_member(kind: EventType) -> Handler:
        async def handle(arguments: dict[str, Any]) -> Result:
            await moderation().on_member(arguments["circle"], kind, arguments["member"])
            return {}

        return handle

    async def ban(arguments: dict[str, Any]) -> Result:
        removed = await moderation().ban(
            arguments["circle"], arguments["member"], invitees=arguments.get("invitees", False)
        )
        return {"removed": removed}

    async def mute(arguments: dict[str, Any]) -> Result:
        until = await moderation().mute(
            arguments["circle"], arguments["member"], arguments["seconds"]
        )
        return {"until": until}

    async def delete_message(arguments: dict[str, Any]) -> Result:
        await moderation().delete_message(arguments["circle"], arguments["message"])
        return {}

    async def set_settings(arguments: dict[str, Any]) -> Result:
        return await moderation().set_settings(
            arguments["circle"],
            slow_mode_seconds=arguments.get("slow_mode_seconds"),
            join_approval=arguments.get("join_approval"),
            guidelines=arguments.get("guidelines"),
            harm_flags_to_hide=arguments.get("harm_flags_to_hide"),
            members_invite=arguments.get("members_invite"),
            flag_after_hours=arguments.get("flag_after_hours"),
        )

    async def revoke_invite(arguments: dict[str, Any]) -> Result:
        await moderation().revoke_invite(arguments["circle"], arguments["code"])
        return {}

    async def leave(arguments: dict[str, Any]) -> Result:
        await moderation().leave(arguments["circle"])
        return {}

    async def circle_info(arguments: dict[str, Any]) -> Result:
        return moderation().circle_info(arguments["circle"])

    async def invites(arguments: dict[str, Any]) -> Result:
        return {"invites": moderation().invites(arguments["circle"])}

    async def moderation_log(arguments: dict[str, Any]) -> Result:
        return {"entries": moderation().moderation_log(arguments["circle"])}

    async def equivocations(arguments: dict[str, Any]) -> Result:
        return {"equivocations": moderation().equivocations(arguments["circle"])}

    return {
        **{command: on_member(kind) for command, kind in MEMBER_ACTIONS.items()},
        "ban": ban,
        "mute": mute,
        "equivocations": equivocations,
        "delete_message": delete_message,
        "set_settings": set_settings,
        "revoke_invite": revoke_invite,
        "leave": leave,
        "circle_info": circle_info,
        "invites": invites,
        "moderation_log": moderation_log,
    }
