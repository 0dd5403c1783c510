"""Circles as a whole: the node's status, making, joining and listing circles, invites,
members and sync (docs/node.md "Commands and replies")."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Done, Result, command
from peerapp.core.api.network import TorStatusView
from peerapp.core.events import CircleView, MemberView


@dataclass(frozen=True)
class StatusView(Result):
    mode: str
    tor: TorStatusView | None  # None in direct mode
    peer_id: str
    addrs: list[str]
    hosts: int
    connected_peers: list[str]
    profile: str
    fast_path: dict[str, int]
    network: dict[str, int]
    received_dropped: dict[str, int]
    resolutions: dict[str, int]


@command("status", "Peer id, dialable addresses, connected peers, profile folder.")
@dataclass(frozen=True, kw_only=True)
class Status(Command[StatusView]):
    pass


@command("quit", "Stop the engine and exit.", front_only=True)
@dataclass(frozen=True, kw_only=True)
class Quit(Command[Done]):
    pass


@dataclass(frozen=True)
class CircleCreated(Result):
    circle: str
    name: str
    view: CircleView | None = None

    IN_PROCESS = frozenset({"view"})


@command("create_circle", "Start a new circle.")
@dataclass(frozen=True, kw_only=True)
class CreateCircle(Command[CircleCreated]):
    name: str
    guidelines: str | None = None
    member_name: str | None = None


@dataclass(frozen=True)
class Joined(Result):
    circle: str
    name: str
    pending: bool = False  # a facilitator decides (join approval)

    OMIT_DEFAULTS = frozenset({"pending"})


@command("join", "Join a circle with an invite code.")
@dataclass(frozen=True, kw_only=True)
class Join(Command[Joined]):
    code: str
    name: str


@dataclass(frozen=True)
class CircleList(Result):
    circles: tuple[CircleView, ...]


@command("circles", "The circles this profile belongs to.")
@dataclass(frozen=True, kw_only=True)
class Circles(Command[CircleList]):
    pass


@dataclass(frozen=True)
class InviteMade(Result):
    code: str


@command("invite", "Make an invite code for a circle.")
@dataclass(frozen=True, kw_only=True)
class Invite(Command[InviteMade]):
    circle: str
    max_uses: int | None = None
    expires_in: int | None = None


@dataclass(frozen=True)
class MemberList(Result):
    members: tuple[MemberView, ...]


@command("members", "Members of a circle.")
@dataclass(frozen=True, kw_only=True)
class Members(Command[MemberList]):
    circle: str


@command("mark_read", "Reset a circle's unread count.")
@dataclass(frozen=True, kw_only=True)
class MarkRead(Command[Done]):
    circle: str


@dataclass(frozen=True)
class PeerSyncView:
    """Another member, and when this computer last synced with it."""

    id: str  # member id
    name: str
    peer: str  # its peer id
    online: bool
    last_sync: int | None  # ms since the epoch; None: never


@dataclass(frozen=True)
class SyncStatusView(Result):
    events: int
    heads: list[str]
    held_back: int
    late_waiting: int
    peers: tuple[PeerSyncView, ...]  # the other members


@command("sync_status", "Events, heads and each member's last sync for a circle.")
@dataclass(frozen=True, kw_only=True)
class SyncStatus(Command[SyncStatusView]):
    circle: str


@dataclass(frozen=True)
class Connected(Result):
    peer_id: str


@command("connect", "Dial a peer at a full multiaddr.")
@dataclass(frozen=True, kw_only=True)
class Connect(Command[Connected]):
    addr: str
