"""Inbound connections from strangers: a small, short-lived budget; members are never limited.

A stranger is a peer the gate does not let speak GossipSub: it is in no circle we hold.
Anyone who ever saw an invite can dial us, so strangers get little, and only for long
enough to ask to join. A joiner is a stranger too until its join completes; it is told
apart early by proving an invite's seed on the join protocol (the engine then vouches for
it), which a stranger without an invite cannot do.

Limits, on inbound stranger connections only (connections we dialled are our own choice,
and a member's are never counted):

    | budget                     | size                    | over it                          |
    |----------------------------|-------------------------|----------------------------------|
    | per peer id                | MAX_PER_PEER            | close that peer's oldest         |
    | per remote IP              | MAX_PER_IP              | close that IP's first to go      |
    | in total                   | MAX_STRANGERS           | close the first to go            |

The first to go in a full group (per IP, in total), first row that has one:

    | connections of the group                                   | the oldest of them goes |
    |------------------------------------------------------------|-------------------------|
    | unproven and silent (no stream through the gate yet)       | yes                     |
    | unproven, asking (opened a stream the gate let through)    | yes                     |
    | none left: all proven                                      | the new one is refused  |

(the connection just opened is never the first to go while another unproven one can)

Rules for each tracked connection (first row that applies, checked every SWEEP_SECONDS
and at once when the engine vouches or distrusts):

    | the connection's peer                         | then                                |
    |-----------------------------------------------|-------------------------------------|
    | is a member now (the gate allows GossipSub)   | no longer tracked, never limited    |
    | failed an invite proof (distrusted)           | closed at once                      |
    | proved an invite (vouched) < JOINING_SECONDS  | kept (counted in the budgets)       |
    | opened < GRACE_SECONDS ago                    | kept (counted in the budgets)       |
    | otherwise (idle stranger)                     | closed                              |

Eviction picks the oldest *unproven* connection in the full group: a flood of new
strangers pushes out older strangers, never a joiner that proved an invite, and a new
honest joiner gets a slot at once. Among the unproven, silent ones go before those
asking: a stranger whose connection opened a stream the gate let through (for a
stranger, only the join protocol) is asking to join, and its proof is a few round trips
away. Without that order a joiner had to prove before MAX_PER_IP newer strangers
arrived, and a flood from its address (everyone on loopback; one NAT) arrives faster
than a loaded node answers a join: the newcomer was turned out before its proof was
read (invite_unreachable, issue 14). A flood that asks too is back to oldest first.
Only when a group is full of proven joiners is the new connection itself refused.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

MAX_STRANGERS = 64
MAX_PER_IP = 32
MAX_PER_PEER = 2
GRACE_SECONDS = 10.0
JOINING_SECONDS = 60.0
SWEEP_SECONDS = 1.0

K = TypeVar("K", bound=Hashable)


@dataclass
class _Tracked:
    peer: str
    ip: str
    opened_at: float
    vouched_until: float = 0.0
    asking: bool = False  # opened a stream the gate let through (the join protocol)

    def proven(self, now: float) -> bool:
        return self.vouched_until > now


@dataclass(frozen=True)
class Limits:
    total: int = MAX_STRANGERS
    per_ip: int = MAX_PER_IP
    per_peer: int = MAX_PER_PEER
    grace: float = GRACE_SECONDS
    joining: float = JOINING_SECONDS


class StrangerBudget(Generic[K]):
    """The bookkeeping of the rules above, sans IO: keys stand for connections, `now` is
    a monotonic clock reading, and every answer names the connections to close."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._tracked: dict[K, _Tracked] = {}

    def __len__(self) -> int:
        return len(self._tracked)

    def opened(self, key: K, peer: str, ip: str, now: float) -> list[tuple[K, str]]:
        self._tracked[key] = _Tracked(peer, ip, now)
        limits = self.limits
        groups: list[tuple[Callable[[_Tracked], bool], int, bool]] = [
            # same peer id: its oldest goes even if proven (one peer, one join at a time)
            (lambda t: t.peer == peer, limits.per_peer, True),
            (lambda t: t.ip == ip, limits.per_ip, False),
            (lambda t: True, limits.total, False),
        ]
        closing: list[tuple[K, str]] = []
        for member_of, size, proven_too in groups:
            members = [(k, t) for k, t in self._tracked.items() if member_of(t)]
            while len(members) > size:
                victim = self._first_to_go(members, key, now, proven_too)
                closing.append((victim, "strangers_refused"))
                members = [(k, t) for k, t in members if k != victim]
                del self._tracked[victim]
        return closing

    def _first_to_go(
        self, members: list[tuple[K, _Tracked]], new: K, now: float, proven_too: bool
    ) -> K:
        """The oldest silent unproven connection other than the one just opened, else the
        oldest asking one; all proven: the new one is refused instead (a new connection
        always gets its slot while an unproven one can give way)."""
        others = [(k, t) for k, t in members if k != new]
        unproven = [(k, t) for k, t in others if proven_too or not t.proven(now)]
        silent = [(k, t) for k, t in unproven if not t.asking]
        pool = silent or unproven
        if not pool:
            return new
        return min(pool, key=lambda item: item[1].opened_at)[0]

    def closed(self, key: K) -> None:
        self._tracked.pop(key, None)

    def asking(self, peer: str) -> None:
        """The peer opened a stream the gate let through: it is asking to join."""
        for tracked in self._tracked.values():
            if tracked.peer == peer:
                tracked.asking = True

    def vouch(self, peer: str, now: float) -> None:
        for tracked in self._tracked.values():
            if tracked.peer == peer:
                tracked.vouched_until = now + self.limits.joining

    def distrust(self, peer: str) -> list[tuple[K, str]]:
        keys = [k for k, t in self._tracked.items() if t.peer == peer]
        for key in keys:
            del self._tracked[key]
        return [(key, "strangers_bad_proof") for key in keys]

    def sweep(self, now: float, is_member: Callable[[str], bool]) -> list[tuple[K, str]]:
        closing: list[tuple[K, str]] = []
        for key, tracked in list(self._tracked.items()):
            if is_member(tracked.peer):
                del self._tracked[key]
            elif not tracked.proven(now) and now - tracked.opened_at >= self.limits.grace:
                del self._tracked[key]
                closing.append((key, "strangers_idle_dropped"))
        return closing
