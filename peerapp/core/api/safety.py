"""A safe support space: check-in review, reports and flags (docs/node.md "Reports",
"Care flags")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import Command, Done, Result, command


@command(
    "restore_message",
    "End the review of a message hidden by harm flags and show it again (facilitators).",
)
@dataclass(frozen=True, kw_only=True)
class RestoreMessage(Command[Done]):
    circle: str
    message: str


@dataclass(frozen=True)
class Reported(Result):
    report: str  # its id


@command("report", "Report a message to the circle's facilitators, privately.")
@dataclass(frozen=True, kw_only=True)
class Report(Command[Reported]):
    circle: str
    message: str
    reason: str


@dataclass(frozen=True)
class ReportList(Result):
    # {id, kind, reporter, reporter_name, message, author, author_name, excerpt, reason,
    # ts, received_at, resolved}, newest first
    reports: list[dict[str, Any]]


@command("reports", "Reports sent to us as a facilitator, newest first.")
@dataclass(frozen=True, kw_only=True)
class Reports(Command[ReportList]):
    circle: str


@command("resolve_report", "Mark a report as dealt with.")
@dataclass(frozen=True, kw_only=True)
class ResolveReport(Command[Done]):
    circle: str
    report: str


@dataclass(frozen=True)
class Flagged(Result):
    """A care flag answers `flag` (its id); a harm flag `hidden` and `harm_flags`."""

    flag: str = ""
    hidden: bool | None = None
    harm_flags: int | None = None

    OMIT_DEFAULTS = frozenset({"flag", "hidden", "harm_flags"})


@command(
    "flag",
    'Flag a member to the facilitators, privately ("care": I am worried about '
    'them, or myself), or a message as harmful ("harm").',
)
@dataclass(frozen=True, kw_only=True)
class Flag(Command[Flagged]):
    circle: str
    kind: str
    member: str | None = None
    message: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class FlagList(Result):
    # {id, member, member_name, message, message_text, note, from, from_name,
    # received_at, resolved}, newest first
    flags: list[dict[str, Any]]
    # {message, author, author_name, harm_flags, ts, lamport}: hidden pending our review
    pending_review: list[dict[str, Any]]


@command("flags", "Care flags sent to us as a facilitator, newest first.")
@dataclass(frozen=True, kw_only=True)
class Flags(Command[FlagList]):
    circle: str


@command("resolve_flag", "Mark a care flag as dealt with.")
@dataclass(frozen=True, kw_only=True)
class ResolveFlag(Command[Done]):
    circle: str
    flag: str
