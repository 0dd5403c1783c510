"""The GUI's one clock: the engine's system clock (peerapp.engine.clock), so "now" is
read one way everywhere (mute ends, slow mode, how long since a sync, invite expiry)."""

from __future__ import annotations

from peerapp.engine.clock import Clock

_CLOCK = Clock()


def now_ms() -> int:
    """Milliseconds since the epoch."""
    return _CLOCK.now_ms()


def now_s() -> float:
    """Seconds since the epoch."""
    return _CLOCK.wall()


def monotonic() -> float:
    """Seconds from an arbitrary origin, never stepping back (how long something shows)."""
    return _CLOCK.monotonic()
