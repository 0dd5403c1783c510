"""Why the engine refuses a command: one enum, with each refusal's user text here only.

A refusal's value is its stable code (the node's JSON `code`); its text is a template
filled from the refusal's details (`CommandError(Refusal.MISSING_ARGUMENT,
command="join", argument="name")`). Fronts match on the member, never on the text.
`REFUSED` covers the refusals not yet given a member of their own: its text is the
message the engine wrote (`CommandError("...")`).
"""

from __future__ import annotations

import enum


class Refusal(enum.Enum):
    REFUSED = "refused"
    # the contract's own (core/api/registry.py)
    UNKNOWN_COMMAND = "unknown_command"
    EXTRA_ARGUMENTS = "extra_arguments"
    MISSING_ARGUMENT = "missing_argument"
    WRONG_TYPE = "wrong_type"
    FRONT_ONLY = "front_only"
    # the engine's
    BUSY = "busy"
    NOT_RUNNING = "not_running"
    NOT_A_MULTIADDR = "not_a_multiaddr"
    NO_ANSWER = "no_answer"
    NOT_CONNECTED = "not_connected"
    NO_PROFILE_ADDRESS_IN_TOR = "no_profile_address_in_tor"
    # flags (docs/node.md "Care flags")
    FLAG_KIND = "flag_kind"
    CARE_FLAG_NEEDS_MEMBER = "care_flag_needs_member"
    HARM_FLAG_NEEDS_MESSAGE = "harm_flag_needs_message"
    HARM_FLAG_ONLY_MESSAGE = "harm_flag_only_message"
    # crisis resources
    NO_CRISIS_RESOURCES = "no_crisis_resources"

    @property
    def template(self) -> str:
        return _TEXTS[self]

    def text(self, **detail: str) -> str:
        return _TEXTS[self].format(**detail)


_TEXTS: dict[Refusal, str] = {
    Refusal.REFUSED: "{text}",
    Refusal.UNKNOWN_COMMAND: "unknown command: {command!r}",
    Refusal.EXTRA_ARGUMENTS: "{command} does not take: {arguments}",
    Refusal.MISSING_ARGUMENT: "{command} needs the argument {argument!r}",
    Refusal.WRONG_TYPE: "{argument!r} must be {kind}",
    Refusal.FRONT_ONLY: "{command} is handled by the front, not the engine",
    Refusal.BUSY: "Hearth is busy; try again in a moment.",
    Refusal.NOT_RUNNING: "Hearth's engine is not running.",
    Refusal.NOT_A_MULTIADDR: "{address!r} is not a full multiaddr ending in /p2p/PEER_ID",
    Refusal.NO_ANSWER: "No answer from {address} within {seconds} s.",
    Refusal.NOT_CONNECTED: "Could not connect to {address}: {reason}",
    Refusal.NO_PROFILE_ADDRESS_IN_TOR: (
        "In Tor mode each circle has its own onion address and peer id: members "
        "are dialled from the circle, there is no profile-wide address to use."
    ),
    Refusal.FLAG_KIND: 'A flag\'s kind is "care" or "harm".',
    Refusal.CARE_FLAG_NEEDS_MEMBER: "A care flag needs the member you are worried about.",
    Refusal.HARM_FLAG_NEEDS_MESSAGE: "A harm flag needs the message.",
    Refusal.HARM_FLAG_ONLY_MESSAGE: "A harm flag takes only the message.",
    Refusal.NO_CRISIS_RESOURCES: (
        "No crisis resources are bundled for country {country!r}. "
        "Use crisis_countries to list the country codes there are."
    ),
}
