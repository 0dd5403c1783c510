"""Around a circle's conversation (issue 15): who joined and left, and saying that one
is typing (docs/node.md "Commands and replies")."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Done, Result, command
from peerapp.core.events import MembershipEntryView


@dataclass(frozen=True)
class MembershipLog(Result):
    entries: tuple[MembershipEntryView, ...]  # in log order


@command("membership_log", "Who joined and who left a circle, in log order.")
@dataclass(frozen=True, kw_only=True)
class MembershipLogOf(Command[MembershipLog]):
    circle: str


@command("typing", "Tell a circle's members one is typing (if its settings show typing).")
@dataclass(frozen=True, kw_only=True)
class Typing(Command[Done]):
    circle: str
