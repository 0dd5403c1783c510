"""Ingest without sockets (engine/ingest.py): what another member's app sends arrives as
the circle service hands it over (a pubsub message, a sync batch), on the parts of
tests/engine/circle_parts.py. Every byte is a peer's: bad input is counted and dropped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from trio.testing import wait_all_tasks_blocked

from peerapp.core.admission import MAX_CLOCK_SKEW_MS
from peerapp.core.circle_events import EventType
from peerapp.core.events import MessageArrived
from peerapp.core.quotas import QuotaRules
from peerapp.crypto import envelope
from peerapp.crypto.signing import sign_event, verify_signed
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.network.pubsub import PubsubMessage
from tests.engine.circle_parts import Member, admit, circle_of, deliver, epoch_of, run, signed_in


async def _bee_writes(
    ash: Member, bee: Member, circle: CircleRuntime, texts: list[str]
) -> list[bytes]:
    """Bee (admitted to Ash's circle) sends `texts`: the signed messages, in order."""
    mine = await admit(ash, circle, bee)
    await deliver(ash, bee, mine)
    await ash.topics.sync(circle)
    for text in texts:
        await bee.messages.send(mine.circle_id.hex(), text)
    await wait_all_tasks_blocked()
    return [
        s
        for s in signed_in(bee.record.published)
        if verify_signed(s).event.type is EventType.MESSAGE
    ]


def _sealed(circle: CircleRuntime, signed: bytes) -> bytes:
    keys = epoch_of(circle)
    return envelope.seal(signed, keys.message_key, circle.circle_id, keys.epoch_id)


def _arrived(member: Member) -> list[str]:
    return [
        e.message.text
        for e in member.record.events(MessageArrived)
        if isinstance(e, MessageArrived)
    ]


def test_hostile_pubsub_messages_are_counted_never_stored(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            (hello,) = await _bee_writes(ash, bee, circle, ["hello"])
            topic = epoch_of(circle).topic
            events_before = ash.store.event_count(circle.circle_id)
            hostile = [
                PubsubMessage(topic, bee.peer, b"\x00not an envelope"),
                PubsubMessage("not-a-topic-of-ours", bee.peer, _sealed(circle, hello)),
                PubsubMessage(topic, bee.peer, _sealed(circle, b"not a signed event")),
                PubsubMessage(topic, bee.peer, _sealed(circle, hello)[:-1]),
            ]
            for message in hostile:
                assert not ash.ingest.authentic(message)
            ash.record.counted.clear()
            for message in hostile:
                await ash.ingest.receive(message)
            assert ash.record.counted == [
                "undecryptable",
                "unknown_topic",
                "invalid",
                "undecryptable",
            ]
            assert ash.store.event_count(circle.circle_id) == events_before
            assert _arrived(ash) == []
            # a sync batch (strict) with one bad event stores none of it
            outcome = await ash.ingest.ingest(circle, [hello, b"garbage"], strict=True)
            assert not outcome.valid
            assert ash.store.event_count(circle.circle_id) == events_before
            # the genuine message still opens, passes the validator and arrives
            genuine = PubsubMessage(topic, bee.peer, _sealed(circle, hello))
            assert ash.ingest.authentic(genuine)
            await ash.ingest.receive(genuine)
            assert _arrived(ash) == ["hello"]

    run(body)


def test_an_event_from_the_future_is_dropped_and_counted(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            (hello,) = await _bee_writes(ash, bee, circle, ["hello"])
            event = verify_signed(hello).event
            ahead = replace(event, ts=ash.clock.now_ms() + MAX_CLOCK_SKEW_MS + 60_000)
            bee_seed = bee.runtimes.require(circle.circle_id.hex()).membership.signing_seed
            future = sign_event(ahead, bee_seed).signed
            ash.record.counted.clear()
            outcome = await ash.ingest.ingest(circle, [future])
            assert outcome.valid and not outcome.over_quota
            assert ash.record.counted == ["future_ts"]
            assert not ash.store.present([verify_signed(future).id])
            assert _arrived(ash) == []

    run(body)


def test_a_duplicate_is_stored_and_announced_once_and_costs_nothing(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            (hello,) = await _bee_writes(ash, bee, circle, ["hello"])
            await ash.ingest.ingest(circle, [hello, hello])
            quotas = ash.ingest.quotas(circle)
            stored = quotas.stored_bytes(verify_signed(hello).event.author)
            events = ash.store.event_count(circle.circle_id)
            await ash.ingest.ingest(circle, [hello], via="sync")
            assert _arrived(ash) == ["hello"]
            assert ash.store.event_count(circle.circle_id) == events
            assert ash.store.unread(circle.circle_id) == 1
            assert quotas.stored_bytes(verify_signed(hello).event.author) == stored

    run(body)


def test_an_orphan_is_held_then_released_when_its_parent_arrives(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            first, second = await _bee_writes(ash, bee, circle, ["first", "second"])
            assert verify_signed(first).id in verify_signed(second).event.prev
            spawned = len(ash.record.spawned)  # Bee's admission retires epochs later
            await ash.ingest.ingest(circle, [second], source_peer=bee.peer)
            assert len(circle.held) == 1 and _arrived(ash) == []
            # it asks the sender for the parent a little later (the nudge, spawned)
            assert ash.record.spawned[spawned:] == ["later"]
            await ash.ingest.ingest(circle, [first], source_peer=bee.peer)
            assert len(circle.held) == 0
            assert _arrived(ash) == ["first", "second"]
            assert ash.store.unread(circle.circle_id) == 2

    run(body)


def test_events_over_their_authors_quota_are_refused_and_counted(tmp_path: Path) -> None:
    rules = QuotaRules(events_per_minute=1.0, event_burst=2)

    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", quota_rules=rules) as (ash, bee):
            circle = ash.found()
            texts = ["one", "two", "three"]
            signed = await _bee_writes(ash, bee, circle, texts)
            bee_key = verify_signed(signed[0]).event.author
            ash.record.counted.clear()
            outcome = await ash.ingest.ingest(circle, signed)
            assert outcome.valid and outcome.over_quota == frozenset({bee_key})
            assert ash.record.counted == ["over_rate"]
            assert _arrived(ash) == ["one", "two"]
            assert ash.ingest.quotas(circle).refused == {bee_key: 1}

    run(body)
