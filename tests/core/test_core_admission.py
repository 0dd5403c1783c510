"""The numbers an author chooses, checked before a replica stores an event: a bound
genesis, lamport exactly one above the parents, timestamps neither from the future nor
before the parents'."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerapp.core.admission import (
    MAX_CLOCK_SKEW_MS,
    ParentFacts,
    from_the_future,
    next_numbers,
    why_not_admissible,
)
from peerapp.core.circle_events import Event, EventType, bound_genesis
from tests.crypto.circle_fixtures import NOW_MS, circle_id_for, founded_circle, identity

BUILDER, FOUNDER = founded_circle("admission")
GENESIS = BUILDER.events[0].event
PARENT = BUILDER.events[-1]
PARENTS = {PARENT.id: ParentFacts(PARENT.event.lamport, PARENT.event.ts)}
CLOCK = PARENT.event.ts + 1000


def message(**changes: object) -> Event:
    event = BUILDER.make(FOUNDER, EventType.MESSAGE, {"text": "hi"})
    return replace(event, **changes)  # type: ignore[arg-type]


def test_an_honest_event_is_admitted() -> None:
    event = message()
    assert event.lamport == PARENT.event.lamport + 1
    assert why_not_admissible(event, PARENTS, CLOCK) == ""


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"lamport": 2**53 - 1}, "a lamport clock that is not one above its highest parent's"),
        ({"lamport": 2**53}, "a lamport clock that is not one above its highest parent's"),
        ({"lamport": PARENT.event.lamport}, "a lamport clock that is not one above"),
        ({"lamport": PARENT.event.lamport + 2}, "a lamport clock that is not one above"),
        ({"prev": ()}, "an event without parents"),
        ({"ts": CLOCK + MAX_CLOCK_SKEW_MS + 1}, "a timestamp from the future"),
        ({"ts": PARENT.event.ts - MAX_CLOCK_SKEW_MS - 1}, "a timestamp before its parents'"),
    ],
    ids=["2^53-1", "2^53", "same as parent", "a jump", "no parents", "future", "back-dated"],
)
def test_numbers_a_peer_chose_badly_are_refused(changes: dict[str, object], reason: str) -> None:
    assert reason in why_not_admissible(message(**changes), PARENTS, CLOCK)


def test_within_the_skew_is_admitted() -> None:
    assert why_not_admissible(message(ts=CLOCK + MAX_CLOCK_SKEW_MS), PARENTS, CLOCK) == ""
    older = message(ts=PARENT.event.ts - MAX_CLOCK_SKEW_MS)
    assert why_not_admissible(older, PARENTS, CLOCK) == ""


def test_only_a_timestamp_from_the_future_may_pass_later() -> None:
    ahead = message(ts=CLOCK + MAX_CLOCK_SKEW_MS + 1)
    reason = why_not_admissible(ahead, PARENTS, CLOCK)
    assert from_the_future(reason)
    assert why_not_admissible(ahead, PARENTS, ahead.ts) == ""
    assert not from_the_future(why_not_admissible(message(lamport=99), PARENTS, CLOCK))


def test_parents_the_replica_lacks_skip_only_the_parent_rules() -> None:
    """Events from before our admission may name parents we will never hold."""
    assert why_not_admissible(message(lamport=7), {}, CLOCK) == ""
    assert from_the_future(why_not_admissible(message(ts=CLOCK + 10**9), {}, CLOCK))


def test_the_genesis_must_be_the_one_the_circle_id_commits_to() -> None:
    assert why_not_admissible(GENESIS, {}, NOW_MS) == ""
    unbound = replace(GENESIS, circle=circle_id_for("admission"))
    assert "does not commit" in why_not_admissible(unbound, {}, NOW_MS)
    other = bound_genesis(replace(GENESIS, author=identity("attacker").key))
    assert other.circle != GENESIS.circle  # another genesis founds another circle
    for bad in (
        replace(GENESIS, lamport=1),
        replace(GENESIS, seq=1),
        replace(GENESIS, prev=(b"p" * 32,)),
    ):
        assert "a genesis has seq 0" in why_not_admissible(bad, {}, NOW_MS)


def test_next_numbers_are_what_every_replica_admits() -> None:
    facts = {b"a" * 32: ParentFacts(4, NOW_MS + 9000), b"b" * 32: ParentFacts(9, NOW_MS)}
    assert next_numbers(facts, NOW_MS) == (10, NOW_MS + 9000)  # a clock behind waits for ts
    assert next_numbers(facts, NOW_MS + 20_000) == (10, NOW_MS + 20_000)
    assert next_numbers({}, NOW_MS) == (0, NOW_MS)
