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
    """The run's intervals, in seconds (the defaults are the app's): every product timer
    a test would otherwise wait out in real time, in one place. Bounds on one attempt
    (dial and answer timeouts) are not here: a test never waits for them to pass."""

    # GossipSub drops what it sent before a mesh formed; a pull from every connected
    # member on this timer closes those gaps (engine/circle_sync.py)
    sync_interval: float = 5.0
    # Tor mode: dial every member not connected this often (engine/reconnects.py)
    redial_interval: float = 30.0
    # after Tor became ready, dial again after each of these pauses: an onion service
    # restarted with us is reachable only once its descriptor is out again
    reconnect_backoff: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)
    # a waiting join asks its facilitator again this often (engine/circle_join.py)
    join_retry: float = 10.0
    # the mailbox's round: notes whose back-off has passed go to connected facilitators
    # (engine/mailbox.py)
    mailbox_interval: float = 5.0
    # a note that could not be delivered waits this long, doubling with each failure
    mailbox_retry_base: float = 5.0


DEFAULT_TIMINGS = Timings()

# For tests only (`peerapp node` with PEERAPP_TIMINGS=quick, node/timings.py; the engine
# tests' own): the same timers a tenth as long or shorter, so an end-to-end test waits
# for the round it needs instead of the product's seconds. A user has no way to it but
# that variable, documented as for tests.
QUICK_TIMINGS = Timings(
    sync_interval=0.5,
    redial_interval=3.0,
    reconnect_backoff=(0.25, 0.5, 1.0, 2.0, 4.0),
    join_retry=1.0,
    mailbox_interval=0.5,
    mailbox_retry_base=0.5,
)


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
