"""Our own events on their way to GossipSub (the fast path): a bounded queue per circle,
published in batches by one task per circle.

Why batches: each pubsub message costs every member an RPC to read, a libp2p signature
to check, relays to drop and a database transaction. Past a few dozen messages per second
in a five-member circle that per-message work, not the bytes, is the limit; publishing
one message per event then waited for room in the peers' queues, the waiting publishes
piled up (one task each) and most ended in PublishStalled, so only sync delivered them,
seconds later. Now one task per circle drains the queue, one envelope per
COALESCE_SECONDS at most: what queued meanwhile leaves together in one version 2 envelope
(up to envelope.MAX_BATCH_EVENTS events of one epoch and key). An event after a quiet
spell leaves alone and at once; under load the batches grow, the per-message work does
not, and the fast path keeps its capacity.

Back-pressure, not silent loss: publishing waits for room in the peers' outbound queues
(network/pubsub.py), up to PUBLISH_STALL_SECONDS. The queue is bounded: past
MAX_QUEUED_EVENTS the oldest waiting events leave the fast path, counted in
`dropped_overflow`; a batch the network refuses is counted in `dropped_unpublished`. Every
dropped event is already stored, and each later event we publish names it among its
ancestors: a member who receives that one lacks its parents, holds it back and pulls the
gap from us at once (ingest._hold_orphans); the periodic sync is the backstop.

    | queue state | put(events)                  | drain task                         |
    |-------------|------------------------------|------------------------------------|
    | idle        | queue them, start the drain  | -                                  |
    | draining    | queue them, oldest over the  | take a batch, publish, wait        |
    |             | bound dropped (counted)      | COALESCE_SECONDS; idle when empty  |
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

import trio

from peerapp.crypto import envelope

log = logging.getLogger(__name__)

# ~10 s of a member's share at the bench's capacity; older ones go by sync instead
MAX_QUEUED_EVENTS = 512
# a member whose queue does not drain for this long no longer holds up our fast path:
# we publish anyway, and that member's full queue drops what does not fit (counted)
PUBLISH_STALL_SECONDS = 2.0
# while busy, one envelope per circle this often: at most this much added latency, and
# five members then send at most 5 / COALESCE_SECONDS pubsub messages a second in all
COALESCE_SECONDS = 0.2
# CBOR overhead of a batch: a byte string's header is at most 5 bytes, the list's 3
_ITEM_OVERHEAD, _LIST_OVERHEAD = 5, 3

COUNTER_NAMES = (
    "queued",  # events waiting now
    "sent_events",  # events handed to GossipSub
    "sent_envelopes",  # pubsub messages they went in
    "dropped_overflow",  # oldest events pushed out of a full queue (they go by sync)
    "dropped_unpublished",  # events of batches the network refused (they go by sync)
)

# (topic, data, seconds to wait for room, publish anyway after that)
Publish = Callable[[str, bytes, float, bool], Awaitable[None]]


@dataclass(frozen=True)
class Outgoing:
    """One stored, signed event and how to seal it: its topic, epoch and key."""

    signed: bytes
    topic: str
    circle_id: bytes
    epoch_id: bytes
    key: bytes
    done: trio.Event | None = field(default=None, compare=False)

    def same_envelope(self, other: Outgoing) -> bool:
        return (self.topic, self.epoch_id, self.key) == (other.topic, other.epoch_id, other.key)


class Outbox:
    def __init__(self) -> None:
        self._queues: dict[bytes, deque[Outgoing]] = {}
        self._draining: set[bytes] = set()
        self._nursery: trio.Nursery | None = None
        self._publish: Publish | None = None
        self._counts = dict.fromkeys(COUNTER_NAMES, 0)

    def attach(self, nursery: trio.Nursery, publish: Publish) -> None:
        self._nursery = nursery
        self._publish = publish

    def counters(self) -> dict[str, int]:
        return {**self._counts, "queued": sum(len(q) for q in self._queues.values())}

    def put(self, circle_id: bytes, events: list[Outgoing]) -> trio.Event:
        """Queue events in order; the returned event is set once all have left the queue
        (published or dropped, both counted)."""
        left = trio.Event()
        if not events or self._nursery is None:
            # before the engine runs there is no fast path: stored events go by sync
            self._counts["dropped_unpublished"] += len(events)
            left.set()
            return left
        *first, last = events
        queue = self._queues.setdefault(circle_id, deque())
        queue.extend([*first, replace(last, done=left)])
        while len(queue) > MAX_QUEUED_EVENTS:
            self._dropped(queue.popleft(), "dropped_overflow")
        if circle_id not in self._draining:
            self._draining.add(circle_id)
            self._nursery.start_soon(self._drain, circle_id)
        return left

    def _dropped(self, entry: Outgoing, why: str) -> None:
        self._counts[why] += 1
        if entry.done is not None:
            entry.done.set()

    async def _drain(self, circle_id: bytes) -> None:
        queue = self._queues[circle_id]
        try:
            while queue:
                batch = _take_batch(queue)
                await self._send(batch)
                for entry in batch:
                    if entry.done is not None:
                        entry.done.set()
                # still draining: what is put meanwhile waits and leaves as one batch
                await trio.sleep(COALESCE_SECONDS)
        finally:
            self._draining.discard(circle_id)
            if not queue:
                self._queues.pop(circle_id, None)

    async def _send(self, batch: list[Outgoing]) -> None:
        first = batch[0]
        try:
            if len(batch) == 1:
                data = envelope.seal(first.signed, first.key, first.circle_id, first.epoch_id)
            else:
                data = envelope.seal_batch(
                    [e.signed for e in batch], first.key, first.circle_id, first.epoch_id
                )
            assert self._publish is not None  # put() queues nothing before attach()
            await self._publish(first.topic, data, PUBLISH_STALL_SECONDS, True)
        except Exception as error:  # the network layer's failures are varied
            self._counts["dropped_unpublished"] += len(batch)
            log.warning(
                "publish of %d events failed (%s); they stay stored and go by sync",
                len(batch),
                type(error).__name__,
            )
        else:
            self._counts["sent_events"] += len(batch)
            self._counts["sent_envelopes"] += 1


def _take_batch(queue: deque[Outgoing]) -> list[Outgoing]:
    """The oldest event and those after it that fit in the same envelope."""
    batch = [queue.popleft()]
    size = _LIST_OVERHEAD + _ITEM_OVERHEAD + len(batch[0].signed)
    while queue and len(batch) < envelope.MAX_BATCH_EVENTS:
        entry = queue[0]
        size += _ITEM_OVERHEAD + len(entry.signed)
        if size > envelope.MAX_BATCH_BYTES or not entry.same_envelope(batch[0]):
            break
        batch.append(queue.popleft())
    return batch
