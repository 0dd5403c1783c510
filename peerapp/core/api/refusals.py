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
}
