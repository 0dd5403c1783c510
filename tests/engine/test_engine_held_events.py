"""Held events (parents missing): bounded per author, in total and in time."""

from __future__ import annotations

import os

import nacl.signing

from peerapp.core.circle_events import EVENT_ID_BYTES, Event, EventType
from peerapp.crypto.signing import VerifiedEvent, sign_event
from peerapp.engine.held_events import HeldEvents

CIRCLE = b"\x07" * 16


def _orphan(signing: nacl.signing.SigningKey, seq: int) -> tuple[VerifiedEvent, bytes]:
    parent = os.urandom(EVENT_ID_BYTES)
    event = Event(
        type=EventType.MESSAGE,
        circle=CIRCLE,
        author=bytes(signing.verify_key),
        seq=seq,
        lamport=5,
        prev=(parent,),
        ts=1,
        body={"text": "t"},
    )
    return sign_event(event, bytes(signing)), parent


def test_one_author_holds_at_most_its_share() -> None:
    held = HeldEvents(per_author=3, total=100, expiry_seconds=600)
    mallory = nacl.signing.SigningKey.generate()
    results = [held.hold(*_one(mallory, seq), now=0.0) for seq in range(5)]
    assert results == [True, True, True, False, False]
    assert len(held) == 3


def _one(signing: nacl.signing.SigningKey, seq: int) -> tuple[VerifiedEvent, list[bytes]]:
    verified, parent = _orphan(signing, seq)
    return verified, [parent]


def test_junk_never_pushes_out_an_honest_members_event() -> None:
    held = HeldEvents(per_author=4, total=6, expiry_seconds=600)
    alice = nacl.signing.SigningKey.generate()
    honest, parent = _orphan(alice, 1)
    assert held.hold(honest, [parent], now=0.0)
    for _ in range(5):  # five hostile members fill the table, one event each
        held.hold(*_one(nacl.signing.SigningKey.generate(), 1), now=1.0)
    mallory = nacl.signing.SigningKey.generate()
    for seq in range(20):
        held.hold(*_one(mallory, seq), now=2.0)
    assert honest.id in held
    assert len(held) <= 6
    assert held.waiting_on([parent]) == [honest]


def test_a_full_table_makes_room_from_the_author_holding_most() -> None:
    held = HeldEvents(per_author=5, total=5, expiry_seconds=600)
    mallory = nacl.signing.SigningKey.generate()
    for seq in range(5):
        assert held.hold(*_one(mallory, seq), now=0.0)
    alice = nacl.signing.SigningKey.generate()
    honest, parent = _orphan(alice, 1)
    assert held.hold(honest, [parent], now=0.0)
    assert len(held) == 5 and held.held_by(bytes(mallory.verify_key)) == 4
    # mallory may not push out alice's one event to make room for its own
    assert not held.hold(*_one(mallory, 9), now=0.0)
    assert honest.id in held


def test_held_events_expire() -> None:
    held = HeldEvents(per_author=10, total=100, expiry_seconds=600)
    alice = nacl.signing.SigningKey.generate()
    first, parent = _orphan(alice, 1)
    held.hold(first, [parent], now=0.0)
    second, other = _orphan(alice, 2)
    held.hold(second, [other], now=500.0)
    assert held.expire(601.0) == 1
    assert first.id not in held and second.id in held
    assert held.waiting_on([parent]) == []  # its parent arriving now finds nothing


def test_an_event_waits_for_every_missing_parent() -> None:
    held = HeldEvents(per_author=10, total=100, expiry_seconds=600)
    alice = nacl.signing.SigningKey.generate()
    child, parent = _orphan(alice, 1)
    other = os.urandom(EVENT_ID_BYTES)
    held.hold(child, [parent, other], now=0.0)
    assert held.waiting_on([parent]) == [child]
    assert held.hold(child, [other], now=1.0)  # still short of the other: held again
    assert held.waiting_on([other]) == [child]
    held.release(child)
    assert len(held) == 0
