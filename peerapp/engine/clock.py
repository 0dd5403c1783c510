"""The engine's one clock: made once per Engine and handed to whatever reads the time.

Two readings, for two kinds of question:

- wall time (`wall`, `now_ms`, `local_minutes`): what is signed, stored or compared with
  another member's time: event timestamps, invite and mute ends, a receiving key's age,
  a mailbox note's next attempt, quiet hours (local time of day);
- monotonic time (`monotonic`): what only this run compares: quota buckets, how long an
  event has been held back for its parents.

Not read here: trio's own sleeps and timeouts (trio's clock; tests use
trio.testing.MockClock for those). `Stopwatch` is here too but is no clock of the run: it
times what a step cost, for the log, in real seconds whatever clock the engine runs on (a
fake clock stands still; the step's cost did not). Nothing else in engine/ reads the time.
core/ never reads a clock: the engine passes it the times it needs.

`FakeClock` is the settable one for tests: it stands still until told to move, so an
expiry is tested by moving it past the end instead of waiting for the end.
"""

from __future__ import annotations

import threading
import time

from peerapp.core.quiet_hours import minutes_of


class Clock:
    """The system's clocks."""

    def wall(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never steps back."""
        return time.monotonic()

    def now_ms(self) -> int:
        """Milliseconds since the epoch (what events, notes and the store carry)."""
        return int(self.wall() * 1000)

    def local_minutes(self) -> int:
        """The local time of day, in minutes after midnight (quiet hours are written so)."""
        now = time.localtime(self.wall())
        return minutes_of(now.tm_hour, now.tm_min)


class Stopwatch:
    """Real seconds since it was made (monotonic), for log lines and a thread's join
    bound: never compared with an event's time, so never the engine's (fake) clock."""

    def __init__(self) -> None:
        self._began = time.monotonic()

    def seconds(self) -> float:
        return time.monotonic() - self._began


class FakeClock(Clock):
    """A clock that moves only when told (wall and monotonic together).

    Thread-safe: the engines read it in their own threads while a test moves it. Several
    engines may share one, so their events' timestamps agree as real members' would."""

    def __init__(self, wall: float | None = None, monotonic: float = 1000.0) -> None:
        """`wall`: seconds since the epoch to start at (default: the real time now, to the
        whole second, so that whole seconds moved give exact milliseconds)."""
        self._lock = threading.Lock()
        self._wall = float(int(time.time())) if wall is None else wall
        self._monotonic = monotonic

    def wall(self) -> float:
        with self._lock:
            return self._wall

    def monotonic(self) -> float:
        with self._lock:
            return self._monotonic

    def advance(self, seconds: float) -> None:
        """Move both readings forward (a monotonic clock never goes back)."""
        if seconds < 0:
            raise ValueError("a fake clock moves forward only")
        with self._lock:
            self._wall += seconds
            self._monotonic += seconds
