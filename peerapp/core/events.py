"""Events the engine reports to its fronts (GUI, headless node, tests).

Immutable snapshots: they never carry keys, seeds, passphrases or message text that the
front did not ask for.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class EngineEvent:
    name: ClassVar[str] = "event"

    def to_json(self) -> dict[str, Any]:
        return {"event": self.name, **asdict(self)}


@dataclass(frozen=True)
class EngineReady(EngineEvent):
    name: ClassVar[str] = "ready"
    peer_id: str
    addrs: tuple[str, ...]


@dataclass(frozen=True)
class PeerConnected(EngineEvent):
    name: ClassVar[str] = "peer_connected"
    peer_id: str


@dataclass(frozen=True)
class PeerDisconnected(EngineEvent):
    name: ClassVar[str] = "peer_disconnected"
    peer_id: str


@dataclass(frozen=True)
class EngineError(EngineEvent):
    """Something failed inside the engine; `message` is short and fit to show a person."""

    name: ClassVar[str] = "error"
    message: str
    fatal: bool


@dataclass(frozen=True)
class EngineStopped(EngineEvent):
    name: ClassVar[str] = "stopped"


@dataclass(frozen=True)
class MessageView:
    id: str
    author: str
    author_name: str
    text: str
    ts: int  # milliseconds since the epoch, by the author's clock
    mine: bool
    lamport: int = 0  # with the id, the message's place in the one order all members share
    held_by: int = 0  # own messages: how many other members are known to hold it


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    role: str
    online: bool


@dataclass(frozen=True)
class CircleView:
    id: str
    name: str
    members: int
    unread: int


@dataclass(frozen=True)
class MessageArrived(EngineEvent):
    name: ClassVar[str] = "message"
    circle: str
    message: MessageView


@dataclass(frozen=True)
class MemberJoined(EngineEvent):
    name: ClassVar[str] = "member_joined"
    circle: str
    member: MemberView


@dataclass(frozen=True)
class CirclesChanged(EngineEvent):
    """The list of circles, a name, or an unread count changed."""

    name: ClassVar[str] = "circles_changed"


@dataclass(frozen=True)
class SyncProgress(EngineEvent):
    """A large pull is under way: `received` of `total` missing events so far."""

    name: ClassVar[str] = "sync_progress"
    circle: str
    received: int
    total: int


@dataclass(frozen=True)
class HistoryChanged(EngineEvent):
    """Many events arrived at once (a sync): reload the history instead of appending."""

    name: ClassVar[str] = "history_changed"
    circle: str


@dataclass(frozen=True)
class DeliveryChanged(EngineEvent):
    """Members were found to hold more of our messages: delivery states moved on."""

    name: ClassVar[str] = "delivery_changed"
    circle: str
