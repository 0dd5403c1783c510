"""The facilitators' commands as the engine serves them: typed command -> typed result.

Kept apart from engine.py so the command table stays readable; each handler only
unpacks the command and calls peerapp.engine.moderation.
"""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core.api.contract import Done
from peerapp.core.api.moderation import (
    Ban,
    Banned,
    CircleInfo,
    CircleInfoView,
    CircleSettings,
    DeleteMessage,
    Demote,
    EquivocationList,
    Equivocations,
    ForgetCircle,
    InviteList,
    Invites,
    InviteView,
    Leave,
    MemberCommand,
    ModerationLog,
    ModerationLogOf,
    Mute,
    Muted,
    Promote,
    RemoveMember,
    RevokeInvite,
    SetSettings,
    TransferFounder,
)
from peerapp.core.circle_events import EventType
from peerapp.engine.circle_service import CircleService
from peerapp.engine.dispatch import Handlers
from peerapp.engine.moderation import Moderation

# command -> the event type it authors about one member
MEMBER_ACTIONS: dict[type[MemberCommand], EventType] = {
    Promote: EventType.PROMOTE,
    Demote: EventType.DEMOTE,
    TransferFounder: EventType.TRANSFER_FOUNDER,
    RemoveMember: EventType.REMOVE,
}


def moderation_handlers(service: Callable[[], CircleService]) -> Handlers:
    def moderation() -> Moderation:
        return service().moderation

    async def on_member(command: MemberCommand) -> Done:
        reason = command.reason if isinstance(command, RemoveMember) else None
        kind = MEMBER_ACTIONS[type(command)]
        await moderation().on_member(command.circle, kind, command.member, reason or "")
        return Done()

    async def ban(command: Ban) -> Banned:
        removed = await moderation().ban(
            command.circle,
            command.member,
            invitees=bool(command.invitees),
            reason=command.reason or "",
        )
        return Banned(removed=removed)

    async def mute(command: Mute) -> Muted:
        until = await moderation().mute(
            command.circle, command.member, command.seconds, command.reason or ""
        )
        return Muted(until=until)

    async def delete_message(command: DeleteMessage) -> Done:
        await moderation().delete_message(command.circle, command.message, command.reason or "")
        return Done()

    async def set_settings(command: SetSettings) -> CircleSettings:
        settings = await moderation().set_settings(
            command.circle,
            slow_mode_seconds=command.slow_mode_seconds,
            join_approval=command.join_approval,
            guidelines=command.guidelines,
            harm_flags_to_hide=command.harm_flags_to_hide,
            members_invite=command.members_invite,
            flag_after_hours=command.flag_after_hours,
            attachment_limit=command.attachment_limit,
            typing=command.typing,
        )
        return CircleSettings(**settings)

    async def revoke_invite(command: RevokeInvite) -> Done:
        await moderation().revoke_invite(command.circle, command.code)
        return Done()

    async def leave(command: Leave) -> Done:
        await moderation().leave(command.circle)
        return Done()

    async def forget_circle(command: ForgetCircle) -> Done:
        moderation().forget_removed(command.circle)
        return Done()

    async def circle_info(command: CircleInfo) -> CircleInfoView:
        return moderation().circle_info(command.circle)

    async def invites(command: Invites) -> InviteList:
        rows = moderation().invites(command.circle)
        return InviteList(invites=tuple(InviteView(**row) for row in rows))

    async def moderation_log(command: ModerationLogOf) -> ModerationLog:
        return ModerationLog(entries=moderation().moderation_log(command.circle))

    async def equivocations(command: Equivocations) -> EquivocationList:
        return EquivocationList(equivocations=moderation().equivocations(command.circle))

    handlers = Handlers()
    for kind in MEMBER_ACTIONS:
        handlers.add(kind, on_member)
    handlers.add(Ban, ban)
    handlers.add(Mute, mute)
    handlers.add(Equivocations, equivocations)
    handlers.add(DeleteMessage, delete_message)
    handlers.add(SetSettings, set_settings)
    handlers.add(RevokeInvite, revoke_invite)
    handlers.add(Leave, leave)
    handlers.add(ForgetCircle, forget_circle)
    handlers.add(CircleInfo, circle_info)
    handlers.add(Invites, invites)
    handlers.add(ModerationLogOf, moderation_log)
    return handlers
