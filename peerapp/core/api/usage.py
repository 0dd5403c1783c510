"""Disk use and quotas (docs/node.md "Disk use and quotas")."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class MemberUsageView:
    """One author of a circle (a member or a former one) and what we keep of theirs."""

    id: str
    name: str = field(repr=False)  # names stay out of logs and failure reports
    member: bool  # still in the circle
    removed: bool
    banned: bool
    events: int
    bytes: int
    refused: int  # their events a quota refused since the engine started
    files: int = 0  # sealed bytes of their pictures and files we keep (issue 15)

    @property
    def total(self) -> int:
        """All we keep of theirs: signed events and files."""
        return self.bytes + self.files


@dataclass(frozen=True)
class CircleUsageView:
    """A circle's size on this computer, and per author, largest first."""

    circle: str
    name: str = field(repr=False)
    events: int
    bytes: int
    member_budget: int  # each member's stored-bytes budget
    members: tuple[MemberUsageView, ...]
    files: int = 0  # sealed bytes of pictures and files kept (issue 15)

    @property
    def total(self) -> int:
        """All the circle takes: signed events and files."""
        return self.bytes + self.files


@dataclass(frozen=True)
class UsageView(Result):
    circles: tuple[CircleUsageView, ...]
    dropped: dict[str, int]  # reason -> count, since start


@command("circle_usage", "Each circle's size on disk, per member, with quota refusals.")
@dataclass(frozen=True, kw_only=True)
class CircleUsage(Command[UsageView]):
    circle: str | None = None


@dataclass(frozen=True)
class Cleared(Result):
    messages: int
    bytes: int


@command("clear_member", "Erase the messages a removed or banned member stored with us.")
@dataclass(frozen=True, kw_only=True)
class ClearMember(Command[Cleared]):
    circle: str
    member: str
