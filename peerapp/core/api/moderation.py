"""Facilitators' commands and a circle's settings (docs/node.md "Facilitators")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import Command, Done, Result, command
from peerapp.core.events import CircleInfoView


@dataclass(frozen=True, kw_only=True)
class MemberCommand(Command[Done]):
    """A facilitator's action on one member."""

    circle: str
    member: str


@command("promote", "Make a member a co-facilitator.")
@dataclass(frozen=True, kw_only=True)
class Promote(MemberCommand):
    pass


@command("demote", "Make a co-facilitator ranked below you a member again.")
@dataclass(frozen=True, kw_only=True)
class Demote(MemberCommand):
    pass


@command("transfer_founder", "Hand the founder role to another facilitator.")
@dataclass(frozen=True, kw_only=True)
class TransferFounder(MemberCommand):
    pass


@command("remove_member", "Remove a member ranked below you; the circle rekeys.")
@dataclass(frozen=True, kw_only=True)
class RemoveMember(MemberCommand):
    pass


@dataclass(frozen=True)
class Banned(Result):
    removed: list[str]  # the members removed with it (its invitees)


@command(
    "ban",
    "Remove a member (or former member) for good; with invitees, also remove the "
    "members it brought in (and they brought in).",
)
@dataclass(frozen=True, kw_only=True)
class Ban(Command[Banned]):
    circle: str
    member: str
    invitees: bool | None = None


@dataclass(frozen=True)
class Muted(Result):
    until: int  # ms since the epoch; 0 when lifted


@command("mute", "Mute a member ranked below you for some seconds (0 lifts a mute).")
@dataclass(frozen=True, kw_only=True)
class Mute(Command[Muted]):
    circle: str
    member: str
    seconds: int


@command("delete_message", "Delete a message for everyone (your own, or as a facilitator).")
@dataclass(frozen=True, kw_only=True)
class DeleteMessage(Command[Done]):
    circle: str
    message: str


@dataclass(frozen=True)
class CircleSettings(Result):
    slow_mode_seconds: int
    join_approval: bool
    guidelines: str
    harm_flags_to_hide: int
    members_invite: bool
    flag_after_hours: int


@command(
    "set_settings",
    "Change slow mode, join approval, guidelines, the harm flags that hide a "
    "message for review, or whether members may invite (facilitators).",
)
@dataclass(frozen=True, kw_only=True)
class SetSettings(Command[CircleSettings]):
    circle: str
    slow_mode_seconds: int | None = None
    join_approval: bool | None = None
    guidelines: str | None = None
    harm_flags_to_hide: int | None = None
    members_invite: bool | None = None
    flag_after_hours: int | None = None


@command("revoke_invite", "Withdraw an invite (its code or id).")
@dataclass(frozen=True, kw_only=True)
class RevokeInvite(Command[Done]):
    circle: str
    code: str


@command("leave", "Leave a circle; the others rekey.")
@dataclass(frozen=True, kw_only=True)
class Leave(Command[Done]):
    circle: str


@command("circle_info", "A circle's settings, guidelines and your standing in it.")
@dataclass(frozen=True, kw_only=True)
class CircleInfo(Command[CircleInfoView]):
    circle: str


@dataclass(frozen=True)
class InviteView:
    """An active invite of a circle."""

    id: str
    code: str | None  # the code's text for invites we made; None for other members'
    uses: int
    max_uses: int
    expires: int  # seconds since the epoch
    revoked: bool
    created_by: str  # member id
    created_by_name: str
    mine: bool


@dataclass(frozen=True)
class InviteList(Result):
    invites: tuple[InviteView, ...]  # soonest expiry first


@command("invites", "A circle's active invites.")
@dataclass(frozen=True, kw_only=True)
class Invites(Command[InviteList]):
    circle: str


@dataclass(frozen=True)
class ModerationLog(Result):
    # {id, actor, actor_name, action, target, target_name, ts, lamport, details}
    entries: list[dict[str, Any]]


@command("moderation_log", "Who did what to whom, when: every moderation action.")
@dataclass(frozen=True, kw_only=True)
class ModerationLogOf(Command[ModerationLog]):
    circle: str


@dataclass(frozen=True)
class EquivocationList(Result):
    # {author, author_name, seq, versions: [{id, type, text, deleted, ts, lamport, accepted}]}
    equivocations: list[dict[str, Any]]


@command(
    "equivocations",
    "Events a member signed twice under one number, every version side by side (facilitators).",
)
@dataclass(frozen=True, kw_only=True)
class Equivocations(Command[EquivocationList]):
    circle: str
