"""What every part of a run shares: one clock, one emit, one spawn, and the run's timings.

Made once by the Engine (`EngineContext(clock, emit, timings=...)`) and handed to the
circle service, which adds its spawn (the run's nursery, once it runs) and passes the
context on to its parts instead of a clock, an emit and a spawn each. The timings are
here, not module constants, so that a test can run an engine whose sync round comes
every fraction of a second instead of every 5 s, and wait for the round it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peerapp.core.events import EngineEvent
from peerapp.engine.clock import Clock

Emit = Callable[[EngineEvent], None]
# run task(*args) in the background of this run (a write meeting a full disk is counted,
# never the engine's end); a no-op before the run started
Spawn = Callable[..., None]


@dataclass(frozen=True)
class Timings:
    """The run's intervals, in seconds (the defaults are the app's)."""

    # GossipSub drops what it sent before a mesh formed; a pull from every connected
    # member on this timer closes those gaps (engine/circle_sync.py)
    sync_interval: float = 5.0
    # Tor mode: dial every member not connected this often (engine/reconnects.py)
    redial_interval: float = 30.0
    # after Tor became ready, dial again after each of these pauses: an onion service
    # restarted with us is reachable only once its descriptor is out again
    reconnect_backoff: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)


DEFAULT_TIMINGS = Timings()


def _not_running(task: Callable[..., Any], *args: Any) -> None:
    """Before the circle service runs, nothing is spawned (as its own spawn does then)."""


@dataclass(frozen=True)
class EngineContext:
    """`spawn`: the circle service's (no-op until its run starts); a part made before
    the service hands it its own (tests: a recorder)."""

    clock: Clock
    emit: Emit
    timings: Timings = DEFAULT_TIMINGS
    spawn: Spawn = field(default=_not_running)
