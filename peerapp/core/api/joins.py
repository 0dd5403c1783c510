"""Joining with approval (docs/node.md "Joining with approval")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import Command, Done, Result, command


@dataclass(frozen=True)
class InvitePreview(Result):
    circle: str
    name: str
    guidelines: str
    join_approval: bool
    members: int


@command("preview_invite", "A circle's name, guidelines, join approval and size, before joining.")
@dataclass(frozen=True, kw_only=True)
class PreviewInvite(Command[InvitePreview]):
    code: str


@dataclass(frozen=True)
class PendingJoinList(Result):
    requests: list[dict[str, Any]]  # {id, name, received_at}, oldest first


@command("pending_joins", "Requests to join waiting for us as a facilitator.")
@dataclass(frozen=True, kw_only=True)
class PendingJoins(Command[PendingJoinList]):
    circle: str


@command("approve_join", "Admit a waiting request to join.")
@dataclass(frozen=True, kw_only=True)
class ApproveJoin(Command[Done]):
    circle: str
    request: str


@command("reject_join", "Turn down a waiting request to join.")
@dataclass(frozen=True, kw_only=True)
class RejectJoin(Command[Done]):
    circle: str
    request: str


@dataclass(frozen=True)
class WaitingJoinList(Result):
    joins: list[dict[str, Any]]  # {circle, name, since}


@command("joins_waiting", "Our requests to join that wait for a facilitator.")
@dataclass(frozen=True, kw_only=True)
class JoinsWaiting(Command[WaitingJoinList]):
    pass


@command("cancel_join", "Stop waiting to join a circle.")
@dataclass(frozen=True, kw_only=True)
class CancelJoin(Command[Done]):
    circle: str
