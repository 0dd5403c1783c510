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
