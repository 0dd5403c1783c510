"""What the status bar says about the engine, as an immutable snapshot.

Pure (no Qt) so the wording of every state is easy to test. It holds peer ids, never
anything secret.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from peerapp.ui import messages

SHORT_ID_HEAD = 8  # "12D3KooW" for every Ed25519 peer: recognisable, not distinctive
SHORT_ID_TAIL = 6


class Connection(Enum):
    STARTING = "starting"
    ONLINE = "online"
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass(frozen=True)
class ConnectionStatus:
    connection: Connection = Connection.STARTING
    peer_id: str = ""
    peers: frozenset[str] = frozenset()

    def online(self, peer_id: str) -> ConnectionStatus:
        return replace(self, connection=Connection.ONLINE, peer_id=peer_id)

    def with_peer(self, peer_id: str) -> ConnectionStatus:
        return replace(self, peers=self.peers | {peer_id})

    def without_peer(self, peer_id: str) -> ConnectionStatus:
        return replace(self, peers=self.peers - {peer_id})

    def stopped(self) -> ConnectionStatus:
        # a failure is the more useful thing to keep showing once the run has ended
        if self.connection is Connection.FAILED:
            return self
        return replace(self, connection=Connection.STOPPED, peers=frozenset())

    def failed(self) -> ConnectionStatus:
        return replace(self, connection=Connection.FAILED, peers=frozenset())


def shorten_peer_id(peer_id: str) -> str:
    if len(peer_id) <= SHORT_ID_HEAD + SHORT_ID_TAIL + 1:
        return peer_id
    return f"{peer_id[:SHORT_ID_HEAD]}…{peer_id[-SHORT_ID_TAIL:]}"


def describe(status: ConnectionStatus) -> str:
    match status.connection:
        case Connection.STARTING:
            return messages.STATUS_STARTING
        case Connection.ONLINE:
            return messages.status_online(len(status.peers))
        case Connection.STOPPED:
            return messages.STATUS_STOPPED
        case Connection.FAILED:
            return messages.STATUS_FAILED
