"""The fast path's outbox: one event alone when idle, batches while busy,
order kept, the oldest dropped past the bound, failures counted; never silent."""

from __future__ import annotations

import trio
import trio.testing

from peerapp.crypto import envelope
from peerapp.crypto.epoch import EpochKeys
from peerapp.engine.outbox import MAX_QUEUED_EVENTS, Outbox, Outgoing
from peerapp.network.pubsub import PublishStalled
from tests.crypto.circle_fixtures import circle_id_for, epoch_secret

KEYS = EpochKeys(epoch_secret("outbox"))
CIRCLE = circle_id_for("outbox")
LIMIT = 10.0


def outgoing(index: int, key: bytes = KEYS.message_key) -> Outgoing:
    return Outgoing(b"event %d" % index, KEYS.topic, CIRCLE, KEYS.epoch_id, key)


class Network:
    """Stands in for GossipSub's publish: records envelopes, can hold them or refuse them."""

    def __init__(self) -> None:
        self.sent: list[list[bytes]] = []
        self.gate = trio.Event()
        self.gate.set()
        self.refuse = False

    async def publish(self, topic: str, data: bytes, timeout: float, anyway: bool) -> None:
        assert topic == KEYS.topic and anyway
        await self.gate.wait()
        if self.refuse:
            raise PublishStalled(["a peer"], timeout)
        both = [KEYS.message_key, KEYS.control_key]
        self.sent.append(envelope.open_envelope(data, both, CIRCLE, KEYS.epoch_id))


def run(test: object) -> None:
    async def main() -> None:
        network = Network()
        outbox = Outbox()
        with trio.fail_after(LIMIT):
            async with trio.open_nursery() as nursery:
                outbox.attach(nursery, network.publish)
                await test(outbox, network)  # type: ignore[operator]

    trio.run(main)


def test_alone_when_idle_then_batches_while_busy() -> None:
    async def check(outbox: Outbox, network: Network) -> None:
        await outbox.put(CIRCLE, [outgoing(0)]).wait()
        assert network.sent == [[b"event 0"]]  # idle: alone, at once
        # the outbox is still busy (COALESCE_SECONDS): what comes meanwhile gathers
        await outbox.put(CIRCLE, [outgoing(i) for i in range(1, 150)]).wait()
        sizes = [len(batch) for batch in network.sent]
        assert sizes == [1, envelope.MAX_BATCH_EVENTS, envelope.MAX_BATCH_EVENTS, 21]
        assert [e for batch in network.sent for e in batch] == [b"event %d" % i for i in range(150)]
        counters = outbox.counters()
        assert (counters["sent_events"], counters["sent_envelopes"]) == (150, 4)
        assert counters["queued"] == 0

    run(check)


def test_a_batch_holds_one_key() -> None:
    async def check(outbox: Outbox, network: Network) -> None:
        network.gate = trio.Event()
        outbox.put(CIRCLE, [outgoing(0)])
        await trio.testing.wait_all_tasks_blocked()
        mixed = [outgoing(1), outgoing(2), outgoing(3, KEYS.control_key), outgoing(4)]
        last = outbox.put(CIRCLE, mixed)
        network.gate.set()
        await last.wait()
        assert [len(batch) for batch in network.sent] == [1, 2, 1, 1]

    run(check)


def test_overflow_drops_the_oldest_and_counts_them() -> None:
    async def check(outbox: Outbox, network: Network) -> None:
        network.gate = trio.Event()
        outbox.put(CIRCLE, [outgoing(0)])
        await trio.testing.wait_all_tasks_blocked()
        extra = 7
        last = outbox.put(CIRCLE, [outgoing(i) for i in range(1, MAX_QUEUED_EVENTS + extra + 1)])
        assert outbox.counters()["dropped_overflow"] == extra
        assert outbox.counters()["queued"] == MAX_QUEUED_EVENTS
        network.gate.set()
        await last.wait()
        delivered = [e for batch in network.sent for e in batch]
        assert delivered[0] == b"event 0"
        # the newest always go: they name the dropped ones, whose receivers pull the gap
        assert delivered[1:] == [
            b"event %d" % i for i in range(extra + 1, MAX_QUEUED_EVENTS + extra + 1)
        ]

    run(check)


def test_refused_publishes_are_counted_and_the_queue_goes_on() -> None:
    async def check(outbox: Outbox, network: Network) -> None:
        network.refuse = True
        await outbox.put(CIRCLE, [outgoing(0), outgoing(1)]).wait()
        assert outbox.counters()["dropped_unpublished"] == 2
        network.refuse = False
        await outbox.put(CIRCLE, [outgoing(2)]).wait()
        assert network.sent == [[b"event 2"]]
        assert outbox.counters()["sent_events"] == 1

    run(check)


def test_events_put_before_the_engine_runs_are_counted_not_lost_silently() -> None:
    outbox = Outbox()  # never attached: no network yet
    assert outbox.put(CIRCLE, [outgoing(0), outgoing(1)]).is_set()
    assert outbox.counters()["dropped_unpublished"] == 2
