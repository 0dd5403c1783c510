"""Per-member quotas every replica enforces on the events other members send it.

Pure and sans-IO: the clock comes in as `now` (seconds, any monotonic origin). One
`Quotas` per circle; each author (a member key) has its own buckets, so one member's
flood never spends another's allowance.

Rules, per author, for every event that arrives from the network (fast path or sync):

| quota         | rule                                                             |
|---------------|------------------------------------------------------------------|
| events        | a token bucket of `event_burst`, refilled at `events_per_minute` |
| bytes per day | a token bucket of `bytes_per_day`, refilled evenly over 24 h     |
| stored bytes  | at most `stored_bytes` of signed events kept per author (disk)   |

An event over any of them is not stored and is counted. Not storing is not losing: a
later sync offers it again and it is taken once the author's buckets have refilled, so
an honest member's backlog is slowed, never dropped. The stored-bytes budget does not
refill: past it an author's events are refused until the user clears what it stored.
Our own events never pass through here. Held events (parents missing) have their own
per-author cap and expiry (engine/held_events.py, with `held_per_author`/`held_seconds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

MIB = 1024 * 1024


@dataclass(frozen=True)
class QuotaRules:
    events_per_minute: float = 300.0
    # a burst this large lets a busy member's month of messages through one catch-up
    event_burst: int = 5000
    bytes_per_day: int = 16 * MIB
    stored_bytes: int = 64 * MIB
    held_per_author: int = 64
    held_seconds: float = 600.0


DEFAULT_RULES = QuotaRules()
DAY_SECONDS = 24 * 3600


class Verdict(Enum):
    OK = "ok"
    OVER_RATE = "over_rate"  # events per minute
    OVER_BYTES = "over_bytes"  # bytes per day
    OVER_DISK = "over_disk"  # stored bytes per member


@dataclass
class _Bucket:
    """Tokens left at time `at` (mutable: it is the quota's running state)."""

    tokens: float
    at: float

    def refill(self, now: float, rate: float, capacity: float) -> None:
        elapsed = max(0.0, now - self.at)  # a clock that steps back refills nothing
        self.tokens = min(capacity, self.tokens + elapsed * rate)
        self.at = max(self.at, now)


class Quotas:
    """The quotas of one circle. `stored`: bytes the store already keeps per author."""

    def __init__(
        self, rules: QuotaRules = DEFAULT_RULES, stored: Mapping[bytes, int] | None = None
    ) -> None:
        self.rules = rules
        self._events: dict[bytes, _Bucket] = {}
        self._bytes: dict[bytes, _Bucket] = {}
        self._stored: dict[bytes, int] = dict(stored or {})
        self.refused: dict[bytes, int] = {}  # author -> events refused by a quota

    def stored_bytes(self, author: bytes) -> int:
        return self._stored.get(author, 0)

    def check(self, author: bytes, size: int, now: float) -> Verdict:
        """Whether one event of `size` bytes by `author` fits now, without charging it."""
        events, day = self._buckets(author, now)
        if events.tokens < 1:
            return Verdict.OVER_RATE
        if day.tokens < size:
            return Verdict.OVER_BYTES
        if self.stored_bytes(author) + size > self.rules.stored_bytes:
            return Verdict.OVER_DISK
        return Verdict.OK

    def charge(self, author: bytes, size: int, now: float) -> Verdict:
        """Check, and when it fits, spend the author's allowance on it."""
        verdict = self.check(author, size, now)
        if verdict is Verdict.OK:
            events, day = self._buckets(author, now)
            events.tokens -= 1
            day.tokens -= size
            self._stored[author] = self.stored_bytes(author) + size
        else:
            self.refused[author] = self.refused.get(author, 0) + 1
        return verdict

    def refund(self, author: bytes, size: int) -> None:
        """An event charged but not stored after all (already held, refused by the store)
        gives its disk budget back; the rate buckets stay spent (the work was done)."""
        self._stored[author] = max(0, self.stored_bytes(author) - size)

    def forget_stored(self, author: bytes, size: int) -> None:
        """The user erased `size` bytes this author had stored."""
        self.refund(author, size)

    def _buckets(self, author: bytes, now: float) -> tuple[_Bucket, _Bucket]:
        rules = self.rules
        events = self._events.setdefault(author, _Bucket(float(rules.event_burst), now))
        day = self._bytes.setdefault(author, _Bucket(float(rules.bytes_per_day), now))
        events.refill(now, rules.events_per_minute / 60.0, rules.event_burst)
        day.refill(now, rules.bytes_per_day / DAY_SECONDS, rules.bytes_per_day)
        return events, day
