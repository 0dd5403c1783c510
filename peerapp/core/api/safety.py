"""A safe support space: check-in review, reports and flags (docs/node.md "Reports",
"Care flags")."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerapp.core.api.contract import JSON_NAME, Command, Done, Result, command, json_name


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


@dataclass(frozen=True, kw_only=True)
class FlagNoteView:
    """What a facilitator who resolved a care flag told the other facilitators (a private
    note through the mailbox, issue 14)."""

    sender: str = json_name("from")
    sender_name: str = field(repr=False, metadata={JSON_NAME: "from_name"})
    note: str = field(repr=False)
    received_at: int  # ms, ours


@dataclass(frozen=True)
class ReportView:
    """A member's report that reached our facilitator mailbox (checked when it arrived:
    signed by a member, about a message of the circle)."""

    id: str
    kind: str
    reporter: str
    reporter_name: str = field(repr=False)  # names stay out of logs and failure reports
    message: str | None
    author: str | None
    author_name: str | None = field(repr=False)
    excerpt: str = field(repr=False)  # the reported message's text, as its author signed it
    reason: str = field(repr=False)
    ts: int  # ms, the reporter's clock
    received_at: int  # ms, ours
    resolved: bool
    # the other facilitators' notes on resolving it, oldest first (issue 14)
    notes: tuple[FlagNoteView, ...] = ()


@dataclass(frozen=True)
class ReportList(Result):
    reports: tuple[ReportView, ...]  # newest first


@command("reports", "Reports sent to us as a facilitator, newest first.")
@dataclass(frozen=True, kw_only=True)
class Reports(Command[ReportList]):
    circle: str


@command(
    "resolve_report",
    "Mark a report as dealt with; a note, if any, goes to the other facilitators privately.",
)
@dataclass(frozen=True, kw_only=True)
class ResolveReport(Command[Done]):
    circle: str
    report: str
    note: str | None = None


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


@dataclass(frozen=True, kw_only=True)
class CareFlagView:
    """A member's "I'm worried about someone" flag in our facilitator mailbox."""

    id: str
    member: str
    member_name: str = field(repr=False)  # names stay out of logs and failure reports
    message: str | None
    # the flagged message's text, as its author signed it; "" if none
    message_text: str = field(repr=False)
    note: str = field(repr=False)
    sender: str = json_name("from")  # a Python keyword
    sender_name: str = field(repr=False, metadata={JSON_NAME: "from_name"})
    received_at: int  # ms, ours
    resolved: bool
    # the other facilitators' notes on resolving it, oldest first
    notes: tuple[FlagNoteView, ...] = ()


@dataclass(frozen=True)
class PendingReviewView:
    """A message members' harm flags hid, waiting for a facilitator's review."""

    message: str
    author: str
    author_name: str = field(repr=False)  # names stay out of logs and failure reports
    harm_flags: int  # how many members flagged it (never who)
    ts: int
    lamport: int


@dataclass(frozen=True)
class FlagList(Result):
    flags: tuple[CareFlagView, ...]  # newest first
    pending_review: tuple[PendingReviewView, ...]  # hidden pending our review, oldest first


@command("flags", "Care flags sent to us as a facilitator, newest first.")
@dataclass(frozen=True, kw_only=True)
class Flags(Command[FlagList]):
    circle: str


@command(
    "resolve_flag",
    "Mark a care flag as dealt with, optionally with a private note to the other facilitators.",
)
@dataclass(frozen=True, kw_only=True)
class ResolveFlag(Command[Done]):
    circle: str
    flag: str
    note: str | None = None
