"""Joining with approval (docs/node.md "Joining with approval")."""

from __future__ import annotations

from dataclasses import dataclass

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
class JoinRequestView:
    """A request to join waiting for us as a facilitator."""

    id: str
    name: str  # the name the joiner chose
    received_at: int  # ms since the epoch


@dataclass(frozen=True)
class PendingJoinList(Result):
    requests: tuple[JoinRequestView, ...]  # oldest first


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
class WaitingJoinView:
    """Our own request to join, waiting for a facilitator."""

    circle: str
    name: str  # the circle's
    since: int  # ms since the epoch


@dataclass(frozen=True)
class WaitingJoinList(Result):
    joins: tuple[WaitingJoinView, ...]


@command("joins_waiting", "Our requests to join that wait for a facilitator.")
@dataclass(frozen=True, kw_only=True)
class JoinsWaiting(Command[WaitingJoinList]):
    pass


@command("cancel_join", "Stop waiting to join a circle.")
@dataclass(frozen=True, kw_only=True)
class CancelJoin(Command[Done]):
    circle: str
