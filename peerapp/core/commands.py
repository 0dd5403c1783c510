"""The engine's command vocabulary and argument checking (shared by every front).

A command is a name plus a JSON-like argument mapping. Each command declares its
arguments with their types; anything missing, extra or of the wrong type is refused with
a message naming the argument, before the engine does any work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from peerapp.core.content_warnings import FILTER_TOPICS
from peerapp.core.errors import CommandError


@dataclass(frozen=True)
class Argument:
    name: str
    kind: type | tuple[type, ...]
    required: bool = True


@dataclass(frozen=True)
class CommandSpec:
    name: str
    summary: str
    arguments: tuple[Argument, ...] = field(default=())


SPECS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec("status", "Peer id, dialable addresses, connected peers, profile folder."),
        CommandSpec("quit", "Stop the engine and exit."),
        CommandSpec(
            "create_circle",
            "Start a new circle.",
            (
                Argument("name", str),
                Argument("guidelines", str, required=False),
                Argument("member_name", str, required=False),
            ),
        ),
        CommandSpec(
            "join",
            "Join a circle with an invite code.",
            (Argument("code", str), Argument("name", str)),
        ),
        CommandSpec("circles", "The circles this profile belongs to."),
        CommandSpec(
            "invite",
            "Make an invite code for a circle.",
            (
                Argument("circle", str),
                Argument("max_uses", int, required=False),
                Argument("expires_in", int, required=False),
            ),
        ),
        CommandSpec(
            "send",
            "Send a message, optionally with a content warning.",
            (Argument("circle", str), Argument("text", str), Argument("cw", str, required=False)),
        ),
        CommandSpec(
            "checkin",
            "Send a check-in: a mood from 1 to 5 and an optional line.",
            (Argument("circle", str), Argument("mood", int), Argument("text", str, required=False)),
        ),
        CommandSpec(
            "restore_message",
            "End the review of a message hidden by harm flags and show it again (facilitators).",
            (Argument("circle", str), Argument("message", str)),
        ),
        CommandSpec(
            "history",
            "Messages of a circle, oldest first.",
            (
                Argument("circle", str),
                Argument("limit", int, required=False),
                Argument("before", str, required=False),
            ),
        ),
        CommandSpec("members", "Members of a circle.", (Argument("circle", str),)),
        CommandSpec("mark_read", "Reset a circle's unread count.", (Argument("circle", str),)),
        CommandSpec(
            "sync_status",
            "Events, heads and each member's last sync for a circle.",
            (Argument("circle", str),),
        ),
        CommandSpec("connect", "Dial a peer at a full multiaddr.", (Argument("addr", str),)),
        # network mode and Tor (docs/node.md "Tor and direct mode")
        CommandSpec(
            "network_settings",
            "This profile's network mode and Tor settings, and what this run uses.",
        ),
        CommandSpec(
            "set_network_settings",
            "Change the profile's network mode or Tor settings (used from the next start).",
            (
                Argument("mode", str, required=False),
                Argument("tor_control", str, required=False),
                Argument("tor_socks", str, required=False),
                Argument("tor_config", str, required=False),
            ),
        ),
        # disk use (docs/node.md "Disk use and quotas")
        CommandSpec(
            "circle_usage",
            "Each circle's size on disk, per member, with quota refusals.",
            (Argument("circle", str, required=False),),
        ),
        CommandSpec(
            "clear_member",
            "Erase the messages a removed or banned member stored with us.",
            (Argument("circle", str), Argument("member", str)),
        ),
        # joining with approval (docs/node.md "Joining with approval")
        CommandSpec(
            "preview_invite",
            "A circle's name, guidelines, join approval and size, before joining.",
            (Argument("code", str),),
        ),
        CommandSpec(
            "pending_joins",
            "Requests to join waiting for us as a facilitator.",
            (Argument("circle", str),),
        ),
        CommandSpec(
            "approve_join",
            "Admit a waiting request to join.",
            (Argument("circle", str), Argument("request", str)),
        ),
        CommandSpec(
            "reject_join",
            "Turn down a waiting request to join.",
            (Argument("circle", str), Argument("request", str)),
        ),
        CommandSpec("joins_waiting", "Our requests to join that wait for a facilitator."),
        CommandSpec(
            "cancel_join",
            "Stop waiting to join a circle.",
            (Argument("circle", str),),
        ),
        # facilitators and moderation (docs/node.md "Facilitators")
        *(
            CommandSpec(name, summary, (Argument("circle", str), Argument("member", str)))
            for name, summary in (
                ("promote", "Make a member a co-facilitator."),
                ("demote", "Make a co-facilitator ranked below you a member again."),
                ("transfer_founder", "Hand the founder role to another facilitator."),
                ("remove_member", "Remove a member ranked below you; the circle rekeys."),
            )
        ),
        CommandSpec(
            "ban",
            "Remove a member (or former member) for good; with invitees, also remove the "
            "members it brought in (and they brought in).",
            (
                Argument("circle", str),
                Argument("member", str),
                Argument("invitees", bool, required=False),
            ),
        ),
        CommandSpec(
            "mute",
            "Mute a member ranked below you for some seconds (0 lifts a mute).",
            (Argument("circle", str), Argument("member", str), Argument("seconds", int)),
        ),
        CommandSpec(
            "delete_message",
            "Delete a message for everyone (your own, or as a facilitator).",
            (Argument("circle", str), Argument("message", str)),
        ),
        CommandSpec(
            "set_settings",
            "Change slow mode, join approval, guidelines, the harm flags that hide a "
            "message for review, or whether members may invite (facilitators).",
            (
                Argument("circle", str),
                Argument("slow_mode_seconds", int, required=False),
                Argument("join_approval", bool, required=False),
                Argument("guidelines", str, required=False),
                Argument("harm_flags_to_hide", int, required=False),
                Argument("members_invite", bool, required=False),
                Argument("flag_after_hours", int, required=False),
            ),
        ),
        CommandSpec(
            "revoke_invite",
            "Withdraw an invite (its code or id).",
            (Argument("circle", str), Argument("code", str)),
        ),
        CommandSpec("leave", "Leave a circle; the others rekey.", (Argument("circle", str),)),
        CommandSpec(
            "circle_info",
            "A circle's settings, guidelines and your standing in it.",
            (Argument("circle", str),),
        ),
        CommandSpec("invites", "A circle's active invites.", (Argument("circle", str),)),
        CommandSpec(
            "moderation_log",
            "Who did what to whom, when: every moderation action.",
            (Argument("circle", str),),
        ),
        CommandSpec(
            "equivocations",
            "Events a member signed twice under one number, every version side by side "
            "(facilitators).",
            (Argument("circle", str),),
        ),
        CommandSpec(
            "report",
            "Report a message to the circle's facilitators, privately.",
            (Argument("circle", str), Argument("message", str), Argument("reason", str)),
        ),
        CommandSpec(
            "reports",
            "Reports sent to us as a facilitator, newest first.",
            (Argument("circle", str),),
        ),
        CommandSpec(
            "resolve_report",
            "Mark a report as dealt with.",
            (Argument("circle", str), Argument("report", str)),
        ),
        # a reader's boundaries, local to this device (docs/node.md "Boundaries")
        CommandSpec(
            "block",
            "Hide a member's messages for you only; nobody is told.",
            (Argument("circle", str), Argument("member", str)),
        ),
        CommandSpec(
            "unblock",
            "Show a blocked member's messages again.",
            (Argument("circle", str), Argument("member", str)),
        ),
        CommandSpec("filters", "How you see each content-warning topic."),
        CommandSpec(
            "set_filters",
            'Show, collapse or hide messages per content-warning topic ("other": custom labels).',
            tuple(Argument(topic, str, required=False) for topic in FILTER_TOPICS),
        ),
        CommandSpec(
            "set_break",
            "Take a break from a circle (or from all, without circle): silence, quiet hours, "
            'and whether members see "taking a break".',
            (
                Argument("circle", str, required=False),
                Argument("on", bool),
                Argument("quiet_hours", (dict, type(None)), required=False),
                Argument("status", bool, required=False),
            ),
        ),
        CommandSpec("breaks", "Your global break and each circle's."),
        CommandSpec(
            "flag",
            'Flag a member to the facilitators, privately ("care": I am worried about '
            'them, or myself), or a message as harmful ("harm").',
            (
                Argument("circle", str),
                Argument("kind", str),
                Argument("member", str, required=False),
                Argument("message", str, required=False),
                Argument("note", str, required=False),
            ),
        ),
        CommandSpec(
            "flags",
            "Care flags sent to us as a facilitator, newest first.",
            (Argument("circle", str),),
        ),
        CommandSpec(
            "resolve_flag",
            "Mark a care flag as dealt with.",
            (Argument("circle", str), Argument("flag", str)),
        ),
        # crisis resources (docs/node.md "Crisis resources"): bundled, no network needed
        CommandSpec(
            "crisis_resources",
            "The bundled crisis services for a country (ISO 3166 alpha-2 code).",
            (Argument("country", str),),
        ),
        CommandSpec("crisis_countries", "The countries the crisis directory covers."),
    )
}

_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def _describe(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def check_arguments(command: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Return the arguments of a known command, or raise CommandError saying what is wrong."""
    spec = SPECS.get(command)
    if spec is None:
        raise CommandError(f"unknown command: {command!r}")
    allowed = {argument.name for argument in spec.arguments}
    extra = sorted(set(arguments) - allowed)
    if extra:
        raise CommandError(f"{command} does not take: {', '.join(extra)}")
    checked: dict[str, Any] = {}
    for argument in spec.arguments:
        if argument.name not in arguments:
            if argument.required:
                raise CommandError(f"{command} needs the argument {argument.name!r}")
            continue
        value = arguments[argument.name]
        # bool is an int subclass; a flag must not pass as a number or the reverse
        wrong_bool = isinstance(value, bool) and bool not in (
            argument.kind if isinstance(argument.kind, tuple) else (argument.kind,)
        )
        if wrong_bool or not isinstance(value, argument.kind):
            raise CommandError(f"{argument.name!r} must be {_describe(argument.kind)}")
        checked[argument.name] = value
    return checked
