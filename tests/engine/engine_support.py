"""Shared by the engine tests: a thread-safe record of what an engine reported, and the
short timings of engines whose test waits for a sync round."""

from __future__ import annotations

import threading
from typing import TypeVar

from peerapp.core.events import EngineEvent
from peerapp.engine.context import Timings

# a victim's periodic sync round every 0.25 s instead of 5 s: the hostile-member tests
# wait for the victim's next pull from the member it just admitted
QUICK_SYNC = Timings(sync_interval=0.25)

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
