"""Disk use and quotas (docs/node.md "Disk use and quotas")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class UsageView(Result):
    # {circle, name, events, bytes, member_budget, members: [{id, name, member, removed,
    # banned, events, bytes, refused}]}
    circles: list[dict[str, Any]]
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
