"""What an event must satisfy before a replica stores it: the numbers its author chose.

Every number in an event header is the author's choice, and a member running a modified
app may choose any. The log rules (`circle_state`) decide what an event means; these rules
decide whether it may enter the log at all. A replica checks them once, when it first
receives the event and holds its parents; an event that fails is dropped (not stored) and
counted, and the same event is never accepted later on the strength of a retry, except
for a timestamp from the future, which a later receipt may accept once the clock has
caught up (so an honest member whose clock runs slightly fast loses nothing).

Rules:
- GENESIS: seq 0, lamport 0, no parents, and `circle` is the id the genesis commits to
  (`genesis_circle_id`): one circle, one genesis.
- Any other event:
  - names at least one parent (only a genesis starts a log);
  - lamport is exactly 1 + the highest lamport among its parents, when the replica holds
    them all. So a lamport cannot jump: an attacker cannot push the circle's clock towards
    2^53 and starve honest authors of numbers, nor place an event after events it never saw;
  - ts is at most MAX_CLOCK_SKEW_MS ahead of the receiver's clock (checked at receipt) and
    at least its newest parent's ts minus MAX_CLOCK_SKEW_MS: along every causal chain time
    moves forward (within the skew), so a mute's or slow mode's end cannot be claimed early.
- An event whose parents the replica does not hold (older than the replica's own
  admission, so it may never hold them) is checked for everything but the parent rules.

What remains possible, by design: an author may name OLD parents, and so place an event
in the past of the log (a low lamport, an old ts); such an event is concurrent with
everything since, which the log rules treat with suspicion (a mute or removal it did not
see still binds it, see `resolution`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from peerapp.core.circle_events import Event, EventType, genesis_circle_id

MAX_CLOCK_SKEW_MS = 5 * 60 * 1000  # how far an honest member's clock may run ahead


@dataclass(frozen=True)
class ParentFacts:
    """What the replica stores about one of an event's parents."""

    lamport: int
    ts: int


FUTURE = "a timestamp from the future"


def _why_not_genesis(event: Event) -> str:
    if event.seq != 0 or event.lamport != 0 or event.prev:
        return "a genesis has seq 0, lamport 0 and no parents"
    if genesis_circle_id(event) != event.circle:
        return "a genesis the circle id does not commit to"
    return ""


def why_not_admissible(event: Event, parents: Mapping[bytes, ParentFacts], now_ms: int) -> str:
    """Why `event` may not enter the log, or "" when it may.

    `parents`: the facts of those of the event's parents the replica holds (the rest are
    unknown: parent rules are then skipped)."""
    if event.type is EventType.GENESIS:
        return _why_not_genesis(event)
    known = [parents[p] for p in event.prev if p in parents]
    complete = bool(known) and len(known) == len(event.prev)
    top_lamport = max((facts.lamport for facts in known), default=0)
    top_ts = max((facts.ts for facts in known), default=0)
    checks = [
        (not event.prev, "an event without parents"),
        (event.ts > now_ms + MAX_CLOCK_SKEW_MS, FUTURE),
        (
            complete and event.lamport != 1 + top_lamport,
            "a lamport clock that is not one above its highest parent's",
        ),
        (complete and event.ts < top_ts - MAX_CLOCK_SKEW_MS, "a timestamp before its parents'"),
    ]
    return next((reason for failed, reason in checks if failed), "")


def from_the_future(reason: str) -> bool:
    """A refusal that a later receipt may lift (the receiver's clock catches up)."""
    return reason == FUTURE


def next_numbers(parents: Mapping[bytes, ParentFacts], now_ms: int) -> tuple[int, int]:
    """(lamport, ts) for a new event naming `parents`: what every replica will admit.

    ts never goes back before the newest parent's, even when our own clock is behind."""
    if not parents:
        return 0, now_ms
    lamport = 1 + max(facts.lamport for facts in parents.values())
    return lamport, max(now_ms, *(facts.ts for facts in parents.values()))
