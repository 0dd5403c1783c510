"""Ingest: what arrives from the network, from the pubsub message to the fronts' events.

One part, injected like the others (registry, log, store, clock, emit, spawn, counters):

- `authentic`: the GossipSub validator (run before a message is delivered or relayed);
- `receive`: a pubsub message the validator let through: open it, then `ingest`;
- `ingest`: verify, charge quotas, hold back orphans (engine/held_events.py) and release
  them when their parents arrive, store through `CircleLog.store` (the one write path),
  then `after_accepting`: what accepted events mean beyond the log (keys, members,
  messages, unread counts, topics);
- `announce_decided`: the same effects for deferred events the late-event resolver
  (engine/late_events.py) found accepted.

Every byte here came from a peer: what does not open, verify or fit is counted (the
`count` callback, surfaced by `status`) and dropped, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import trio

from peerapp.core.circle_events import EventError, EventType
from peerapp.core.errors import StorageFull
from peerapp.core.events import (
    HistoryChanged,
    MessageArrived,
    MessageView,
    UnreadChanged,
)
from peerapp.core.quotas import DEFAULT_RULES, QuotaRules, Quotas, Verdict
from peerapp.crypto import envelope
from peerapp.crypto.signing import VerifiedEvent, verify_signed
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import MAX_HELD_EVENTS, CircleRuntime, decoded
from peerapp.engine.circle_sync import Ingested
from peerapp.engine.context import EngineContext
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.topics import CircleTopics
from peerapp.network.pubsub import PubsubMessage
from peerapp.storage.circle_store import CircleStore, StoredEvent

log = logging.getLogger(__name__)

QUIET_BATCH = 20
# events verified, and stored (one transaction), between yields to the scheduler while
# ingesting a batch: small enough that a command waits at most a few tens of ms behind a
# flood (bench/hostile.py), large enough that catch-up is not spent on transactions
VERIFY_CHUNK = 16
INGEST_CHUNK = 16
ORPHAN_PULL_SECONDS = 1.0


class Ingest:
    def __init__(
        self,
        store: CircleStore,
        *,
        runtimes: CircleRuntimes,
        log: CircleLog,
        topics: CircleTopics,
        boundaries: Boundaries,
        context: EngineContext,
        count: Callable[[str], None],
        give_way: Callable[[], Awaitable[None]],
        online: Callable[[], set[str]],
        start_pull: Callable[[CircleRuntime, str], None],
        member_joined: Callable[[CircleRuntime, bytes], None],
        reconnect: Callable[[CircleRuntime], Awaitable[None]],
        message_view: Callable[[CircleRuntime, StoredEvent], MessageView],
        admission_lost: Callable[[CircleRuntime], Awaitable[None]],
        repair_epoch: Callable[[CircleRuntime], Awaitable[None]],
        quota_rules: QuotaRules = DEFAULT_RULES,
        row_changed: Callable[[CircleRuntime], None] = lambda _runtime: None,
    ) -> None:
        """`give_way`: yield to waiting commands between chunks of a large batch.
        `start_pull(runtime, peer)`: ask a member for what we lack (engine/circle_sync.py).
        `member_joined`, `reconnect`, `message_view`, `admission_lost`, `repair_epoch`:
        the effects of accepted events owned by other parts. `row_changed(runtime)`: a
        batch of messages came without a `message` event each (a large one): the circle's
        row (its last message) is announced once instead."""
        self._store = store
        self._runtimes = runtimes
        self._log = log
        self._topics = topics
        self._boundaries = boundaries
        self._clock = context.clock
        self._emit = context.emit
        self._spawn = context.spawn
        self._count = count
        self._give_way = give_way
        self._online = online
        self._start_pull = start_pull
        self._member_joined = member_joined
        self._reconnect = reconnect
        self._message_view = message_view
        self._admission_lost = admission_lost
        self._repair_epoch = repair_epoch
        self._quota_rules = quota_rules
        self._row_changed = row_changed
        self._pull_nudges: set[tuple[bytes, str]] = set()
        self._watchers: list[Callable[[PubsubMessage], None]] = []

    # -- pubsub -------------------------------------------------------------------------

    def watch(self, watcher: Callable[[PubsubMessage], None]) -> None:
        """Call `watcher` with each pubsub message `receive` is handed, before it is
        ingested (tests see what the fast path brought without replacing it)."""
        self._watchers.append(watcher)

    async def receive(self, message: PubsubMessage) -> None:
        """A pubsub message on a subscribed topic: open it and ingest what it carries."""
        for watcher in self._watchers:
            watcher(message)
        opened = self.open(message)
        if opened is not None:
            runtime, signed = opened
            await self.ingest(runtime, signed, source_peer=message.sender)

    def open(self, message: PubsubMessage) -> tuple[CircleRuntime, list[bytes]] | None:
        """The circle and the signed events inside a GossipSub message (one, or a batch),
        if it opens."""
        known = self._topics.get(message.topic)
        if known is None:
            self._count("unknown_topic")
            return None
        circle_id, keys = known
        runtime = self._runtimes.get(circle_id)
        if runtime is None:
            return None
        try:
            signed = envelope.open_envelope(
                message.data, [keys.message_key, keys.control_key], circle_id, keys.epoch_id
            )
        except envelope.EnvelopeError:
            self._count("undecryptable")
            return None
        return runtime, signed

    def authentic(self, message: PubsubMessage) -> bool:
        """The GossipSub validator, run before a message is delivered or relayed: it opens
        under an epoch we hold, is signed, is for that circle and its author is a current
        member; in a batch, every event must. Anything else is not relayed (the network
        counts it); what we cannot judge yet (an author whose admission has not reached us)
        comes by sync instead."""
        opened = self.open(message)
        if opened is None:
            return False
        runtime, batch = opened
        for signed in batch:
            try:
                event = verify_signed(signed).event
            except EventError:
                self._count("invalid")
                return False
            if event.circle != runtime.circle_id or not runtime.state.is_member(event.author):
                return False
        return True

    # -- ingest ---------------------------------------------------------------------------

    async def ingest(
        self,
        runtime: CircleRuntime,
        signed_events: list[bytes],
        *,
        strict: bool = False,
        quiet: bool = False,
        source_peer: str | None = None,
        via: str = "gossip",
    ) -> Ingested:
        """Verify, store and resolve events from the network.

        `strict` (sync): one bad event rejects the whole batch (nothing of it is stored),
        so a peer that sends invalid events stores nothing. `quiet`: a large batch is
        announced as one HistoryChanged instead of a MessageArrived per message. Events
        over their author's quota (core/quotas.py) are not stored; the outcome names those
        authors. The work goes in chunks (VERIFY_CHUNK, INGEST_CHUNK) with a yield to the scheduler
        between them, so commands are answered while a large batch is stored. A full disk
        stores no more of the batch and is counted; it never stops the engine.
        """
        verified: list[VerifiedEvent] = []
        for start in range(0, len(signed_events), VERIFY_CHUNK):
            if start and not await self._still_held(runtime):
                return Ingested(True)
            verified += self._log.verify(runtime, signed_events[start : start + VERIFY_CHUNK])
        if strict and len(verified) != len(signed_events):
            return Ingested(False)
        fresh, over = self._within_quota(runtime, verified)
        accepted: list[StoredEvent] = []
        try:
            for start in range(0, len(fresh), INGEST_CHUNK):
                if start and not await self._still_held(runtime):
                    break
                chunk = fresh[start : start + INGEST_CHUNK]
                ready = self._hold_orphans(runtime, chunk, source_peer)
                accepted += self._log.store(runtime, ready)
                accepted += self._release_held(runtime, [v.id for v in ready])
            if not accepted:
                return Ingested(True, over)
            messages = sum(s.type is EventType.MESSAGE for s in accepted)
            announce = not quiet or messages <= QUIET_BATCH
            await self.after_accepting(runtime, accepted, announce_messages=announce, via=via)
        except StorageFull:
            self._count("disk_full")
            log.warning("the disk is full: events from the network are not stored")
        return Ingested(True, over)

    async def _still_held(self, runtime: CircleRuntime) -> bool:
        """Give way to commands; False when the circle was forgotten meanwhile."""
        await self._give_way()
        return self._runtimes.holds(runtime)

    def quotas(self, runtime: CircleRuntime) -> Quotas:
        """The circle's per-member quotas, their stored bytes read from the store once."""
        if runtime.quotas is None:
            stored = self._store.stored_bytes_by_author(runtime.circle_id)
            runtime.quotas = Quotas(self._quota_rules, stored)
        return runtime.quotas

    def _within_quota(
        self, runtime: CircleRuntime, verified: list[VerifiedEvent]
    ) -> tuple[list[VerifiedEvent], frozenset[bytes]]:
        """The events not yet stored or held that fit their author's quota, charged; and
        the authors of those that did not fit (counted by quota)."""
        quotas = self.quotas(runtime)
        known = self._store.present(v.id for v in verified)
        now = self._clock.monotonic()
        fresh: dict[bytes, VerifiedEvent] = {}
        over: set[bytes] = set()
        for event in verified:
            if event.id in known or event.id in runtime.held or event.id in fresh:
                continue  # a copy of what we have: costs its author nothing
            author = event.event.author
            if author != runtime.me:  # our own, relayed back: ours to keep
                verdict = quotas.charge(author, len(event.signed), now)
                if verdict is not Verdict.OK:
                    self._count(verdict.value)
                    over.add(author)
                    continue
            fresh[event.id] = event
        return list(fresh.values()), frozenset(over)

    # -- orphans --------------------------------------------------------------------------

    def _hold_orphans(
        self, runtime: CircleRuntime, events: list[VerifiedEvent], source_peer: str | None
    ) -> list[VerifiedEvent]:
        """Keep back events whose parents we lack (bounded per author, in total and in
        time: engine/held_events.py), and ask for the parents."""
        in_batch = {v.id for v in events}
        wanted = {p for v in events for p in v.event.prev if p not in in_batch}
        known = self._store.present(wanted) if wanted else set()
        horizon = _horizon(runtime)
        ready: list[VerifiedEvent] = []
        held_any = False
        now = self._clock.monotonic()
        for verified in events:
            missing = [p for p in verified.event.prev if p not in in_batch and p not in known]
            if missing and verified.event.lamport > horizon:
                if runtime.held.hold(verified, missing, now):
                    held_any = True
                else:
                    self._count("held_refused")
            else:
                ready.append(verified)
        if held_any:
            peers = [source_peer] if source_peer else sorted(self._online())
            for peer in peers:
                if runtime.member_with_peer(peer) is not None:
                    self._pull_if_still_held(runtime, peer)
        return ready

    def _pull_if_still_held(self, runtime: CircleRuntime, peer: str) -> None:
        """Pull from `peer` in ORPHAN_PULL_SECONDS if events are still held back then.

        Under load, gossip from different members arrives out of causal order and the
        missing parents mostly come by gossip moments later; pulling at once made every
        such reordering a sync session (each one summarises the whole log). A parent the
        fast path dropped still arrives within about a second this way."""
        key = (runtime.circle_id, peer)
        if key in self._pull_nudges:
            return
        self._pull_nudges.add(key)

        async def later() -> None:
            try:
                await trio.sleep(ORPHAN_PULL_SECONDS)
            finally:
                self._pull_nudges.discard(key)
            if runtime.held:
                self._start_pull(runtime, peer)

        self._spawn(later)

    def _release_held(self, runtime: CircleRuntime, arrived: list[bytes]) -> list[StoredEvent]:
        """Store held events whose parents have now arrived, and so on down the line."""
        accepted: list[StoredEvent] = []
        now = self._clock.monotonic()
        for _ in range(MAX_HELD_EVENTS):
            candidates = runtime.held.waiting_on(arrived)
            if not candidates:
                break
            known = self._store.present({p for v in candidates for p in v.event.prev})
            free = [v for v in candidates if all(p in known for p in v.event.prev)]
            free_ids = {v.id for v in free}
            for verified in candidates:
                if verified.id not in free_ids:
                    # still short of another parent: wait on those again
                    missing = [p for p in verified.event.prev if p not in known]
                    runtime.held.hold(verified, missing, now)
            for verified in free:
                runtime.held.release(verified)
            accepted += self._log.store(runtime, free)
            arrived = [v.id for v in free]
        return accepted

    # -- what accepted events mean --------------------------------------------------------

    async def announce_decided(self, runtime: CircleRuntime, accepted: list[StoredEvent]) -> None:
        """What deferred events turn out accepted means beyond the log (keys, members,
        deletes), and their messages, as for any batch (a large one as HistoryChanged)."""
        if accepted:
            self._log.erase_deleted(runtime, accepted)
            messages = sum(s.type is EventType.MESSAGE for s in accepted)
            if messages > QUIET_BATCH:
                self._emit(HistoryChanged(runtime.circle_id.hex()))
            await self.after_accepting(runtime, accepted, announce_messages=messages <= QUIET_BATCH)

    async def after_accepting(
        self,
        runtime: CircleRuntime,
        accepted: list[StoredEvent],
        announce_messages: bool = True,
        via: str = "gossip",
    ) -> None:
        new_messages = 0
        silent = self._boundaries.is_silenced(runtime.circle_id)
        for stored in accepted:
            if stored.type is EventType.KEY_ROTATE:
                secret = runtime.open_rotation(decoded(stored))
                if secret is not None:
                    keys = runtime.add_epoch_secret(secret)
                    self._store.add_epoch(runtime.circle_id, keys.epoch_id, secret)
            elif stored.type is EventType.ADD_MEMBER:
                added = decoded(stored)
                joiner = verify_signed(added.body["request"]).event.author
                self._member_joined(runtime, joiner)
                self._spawn(self._reconnect, runtime)
            elif stored.type is EventType.MESSAGE and self._boundaries.reader_sees(runtime, stored):
                # a blocked member's or a hidden topic's message: no event, no unread
                new_messages += 1
                if announce_messages:
                    view = self._message_view(runtime, stored)
                    self._emit(MessageArrived(runtime.circle_id.hex(), view, silent, via))
        if new_messages:
            self._store.add_unread(runtime.circle_id, new_messages)
            unread = self._store.unread(runtime.circle_id)
            self._emit(UnreadChanged(runtime.circle_id.hex(), unread))
            if not announce_messages:
                self._row_changed(runtime)
        await self._log.announce(runtime, accepted)
        if runtime.lost_admission() and runtime.epochs:
            await self._admission_lost(runtime)
        await self._topics.sync(runtime)
        await self._repair_epoch(runtime)


def _horizon(runtime: CircleRuntime) -> int:
    """Events older than our admission may name parents we will never hold."""
    me = runtime.state.members.get(runtime.me)
    return 0 if me is None else me.since_lamport
