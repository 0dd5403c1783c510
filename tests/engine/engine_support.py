"""Shared by the engine tests: a thread-safe record of what an engine reported."""

from __future__ import annotations

import threading
from typing import TypeVar

from peerapp.core.events import EngineEvent

E = TypeVar("E", bound=EngineEvent)


class EventLog:
    """An engine's `on_event` callback (called from the engine's thread) that keeps every
    event for the test thread to read."""

    def __init__(self) -> None:
        self.seen: list[EngineEvent] = []
        self.changed = threading.Condition()

    def __call__(self, event: EngineEvent) -> None:
        with self.changed:
            self.seen.append(event)
            self.changed.notify_all()

    def of_type(self, kind: type[E]) -> list[E]:
        with self.changed:
            return [event for event in self.seen if isinstance(event, kind)]

    def named(self, name: str) -> list[EngineEvent]:
        with self.changed:
            return [event for event in self.seen if event.name == name]
