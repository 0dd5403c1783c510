"""Facilitators' commands and a circle's settings (docs/node.md "Facilitators")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from peerapp.core.api.contract import Command, Done, Result, command
from peerapp.core.attachment_policy import DEFAULT_LIMIT_BYTES


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
    reason: str | None = None  # shown to them and in the log; None or "" gives none


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
    reason: str | None = None  # the ban's, shown to them and in the log (not to its invitees)


@dataclass(frozen=True)
class Muted(Result):
    until: int  # ms since the epoch; 0 when lifted


@command("mute", "Mute a member ranked below you for some seconds (0 lifts a mute).")
@dataclass(frozen=True, kw_only=True)
class Mute(Command[Muted]):
    circle: str
    member: str
    seconds: int
    reason: str | None = None  # shown to them and in the log; None or "" gives none


@command("delete_message", "Delete a message for everyone (your own, or as a facilitator).")
@dataclass(frozen=True, kw_only=True)
class DeleteMessage(Command[Done]):
    circle: str
    message: str
    reason: str | None = None  # a facilitator's, shown to the author and in the log


@dataclass(frozen=True)
class CircleSettings(Result):
    slow_mode_seconds: int
    join_approval: bool
    guidelines: str
    harm_flags_to_hide: int
    members_invite: bool
    flag_after_hours: int
    attachment_limit: int = DEFAULT_LIMIT_BYTES  # bytes per attached file
    typing: bool = False  # members see who is typing (left out of the JSON while off)

    # the signed body leaves them out at their default; so does this answer
    OMIT_DEFAULTS = frozenset({"attachment_limit", "typing"})


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
    attachment_limit: int | None = None  # bytes per attached file (1 MiB .. 100 MiB)
    typing: bool | None = None


@command("revoke_invite", "Withdraw an invite (its code or id).")
@dataclass(frozen=True, kw_only=True)
class RevokeInvite(Command[Done]):
    circle: str
    code: str


@command("leave", "Leave a circle; the others rekey.")
@dataclass(frozen=True, kw_only=True)
class Leave(Command[Done]):
    circle: str


@command(
    "forget_circle",
    "Erase a circle we were removed from (its history too); members leave instead.",
)
@dataclass(frozen=True, kw_only=True)
class ForgetCircle(Command[Done]):
    circle: str


@dataclass(frozen=True)
class CircleInfoView(Result):
    """A circle's settings and this member's standing in it (the `circle_info` command's
    answer, and `circle_settings_changed`'s view)."""

    circle: str  # not "id": a node reply's "id" is the request's
    name: str
    guidelines: str
    slow_mode_seconds: int
    join_approval: bool
    harm_flags_to_hide: int
    members_invite: bool
    flag_after_hours: int
    may_invite: str  # "" when we may make invites, else why not
    my_id: str
    my_role: str | None
    my_rank: int | None
    muted_until: int
    next_send_at: int
    removed: bool
    banned: bool
    members: int
    attachment_limit: int = DEFAULT_LIMIT_BYTES  # bytes per attached file (issue 15)
    typing: bool = False  # members see who is typing (left out of the JSON while off)

    OMIT_DEFAULTS = frozenset({"typing"})


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


# -- the moderation log: what each action's entry holds beside who, whom and when


# `reason` in the details below: the facilitator's words, "" when none was given (the
# signed body then has no `reason`); always in the node's JSON, so a front reads one shape


@dataclass(frozen=True)
class MuteDetails:
    until: int  # ms since the epoch; a time not after the entry's ts lifts a mute
    reason: str = ""


@dataclass(frozen=True)
class SettingsDetails:
    """The whole settings a settings entry set. The fields are in the order the signed
    body holds them (canonical CBOR: shorter names first), the order the JSON always had."""

    guidelines: str
    join_approval: bool
    members_invite: bool
    flag_after_hours: int
    slow_mode_seconds: int
    harm_flags_to_hide: int
    # bytes per attached file (issue 15): the body holds it only when not the default,
    # so it comes last here, whatever its place in the canonical order
    attachment_limit: int = DEFAULT_LIMIT_BYTES
    typing: bool = False  # its optional field (issue 15); absent from older entries: off

    # at their defaults, the entry's JSON is what it always was
    OMIT_DEFAULTS: ClassVar[frozenset[str]] = frozenset({"attachment_limit", "typing"})


@dataclass(frozen=True)
class InviteDetails:
    invite: str  # the revoked invite's id (hex)


@dataclass(frozen=True)
class MessageDetails:
    message: str  # the deleted or restored message's id (hex)
    reason: str = ""  # a delete's (a restore gives none)


@dataclass(frozen=True)
class RemovalDetails:
    """Remove and ban: who and whom, and why when the facilitator said."""

    reason: str = ""


@dataclass(frozen=True)
class NoDetails:
    """Promote, demote, transfer_founder: who and whom say it all (`{}`)."""


ModerationDetails = (
    MuteDetails | SettingsDetails | InviteDetails | MessageDetails | RemovalDetails | NoDetails
)

# an entry's action (the event type's wire name) -> what its details hold
DETAILS_OF_ACTION: dict[str, type[ModerationDetails]] = {
    "mute": MuteDetails,
    "settings": SettingsDetails,
    "invite_revoke": InviteDetails,
    "delete": MessageDetails,
    "restore": MessageDetails,
    "remove": RemovalDetails,
    "ban": RemovalDetails,
}


@dataclass(frozen=True)
class ModerationEntryView:
    """One accepted moderation action (a `moderation_log` row, a `moderation` event's
    entry): who did what to whom, when. Names come from members: plain text to a front."""

    id: str
    actor: str  # member id
    actor_name: str
    action: str  # the event type's wire name: "remove", "mute", ...
    target: str | None  # a member id (a message's author for delete/restore); None otherwise
    target_name: str | None  # None exactly when target is
    ts: int  # ms, the actor's clock
    lamport: int  # with the id, its place in the circle's one order
    details: ModerationDetails


@dataclass(frozen=True)
class ModerationLog(Result):
    entries: tuple[ModerationEntryView, ...]  # in log order


@command("moderation_log", "Who did what to whom, when: every moderation action.")
@dataclass(frozen=True, kw_only=True)
class ModerationLogOf(Command[ModerationLog]):
    circle: str


@dataclass(frozen=True)
class VersionView:
    """One event a member signed under a number it also signed another under."""

    id: str
    type: str  # the event type's wire name
    text: str | None = field(repr=False)  # a message's text ("" once erased); None otherwise
    deleted: bool  # a message erased (deleted for everyone)
    ts: int  # ms, the author's clock
    lamport: int
    accepted: bool  # the circle's rules accepted it (a refused one never showed)


@dataclass(frozen=True)
class EquivocationView:
    """The versions one member signed under one number, side by side."""

    author: str
    author_name: str = field(repr=False)
    seq: int
    versions: tuple[VersionView, ...]


@dataclass(frozen=True)
class EquivocationList(Result):
    equivocations: tuple[EquivocationView, ...]


@command(
    "equivocations",
    "Events a member signed twice under one number, every version side by side (facilitators).",
)
@dataclass(frozen=True, kw_only=True)
class Equivocations(Command[EquivocationList]):
    circle: str
