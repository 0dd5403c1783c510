"""Sync with members for the circle service: pull on connect, on a timer and on demand;
answer members' pulls. The protocol drivers are in sync_session.py; verification and
storage stay with the service, reached through `ingest`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import trio

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages
from peerapp.core.errors import StorageFull
from peerapp.core.events import (
    DeliveryChanged,
    HistoryChanged,
    SyncProgress,
)
from peerapp.engine import sync_session
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.clock import Stopwatch
from peerapp.engine.context import EngineContext
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import NetworkNode
from peerapp.storage.circle_store import NO_LIMIT, CircleStore

log = logging.getLogger(__name__)

PROGRESS_THRESHOLD = 200  # events: below this a pull is quick enough to go unannounced


@dataclass(frozen=True)
class Ingested:
    """What storing a batch from the network came to: `valid` False when it held an
    invalid event (then nothing of it was stored); `over_quota`, the authors whose events
    were over their quota and not stored."""

    valid: bool
    over_quota: frozenset[bytes] = frozenset()


# stores a batch from a sync
Ingest = Callable[[CircleRuntime, list[bytes]], Awaitable[Ingested]]


class CircleSync:
    def __init__(
        self,
        store: CircleStore,
        *,
        context: EngineContext,
        ingest: Ingest,
        runtimes: Callable[[], dict[bytes, CircleRuntime]],
        node: Callable[[bytes], NetworkNode | None],
        online: Callable[[], set[str]],
        served_former: Callable[[str, float], Awaitable[None]],
        count: Callable[[str], None],
        delivery: Callable[[CircleRuntime, int, int], dict[str, int]],
        serve_chunks: Callable[[FramedStream, sync_messages.ChunkWant], Awaitable[None]]
        | None = None,
    ) -> None:
        """`delivery(runtime, after, through)`: how many members hold each of our messages
        with a lamport in (after, through] (engine/messages.py), for DeliveryChanged.
        `serve_chunks(stream, first request)`: answers a stream that asks for chunks of
        files instead of pulling (engine/attachments.py)."""
        self._store = store
        self._delivery = delivery
        self._serve_chunks = serve_chunks
        self._clock = context.clock
        self._emit = context.emit
        self._interval = context.timings.sync_interval
        self._ingest = ingest
        self._runtimes = runtimes
        self._node = node
        self._online = online
        self._served_former = served_former
        self._count = count
        self._nursery: trio.Nursery | None = None
        self._pulling: set[tuple[bytes, str]] = set()

    def attach(self, nursery: trio.Nursery) -> None:
        self._nursery = nursery

    def on_peer_connected(self, peer_id: str) -> None:
        """A connection opened: pull every circle that peer is a member of."""
        for runtime in self._runtimes().values():
            if runtime.member_with_peer(peer_id) is not None:
                self.start_pull(runtime, peer_id)

    def start_pull(self, runtime: CircleRuntime, peer_id: str) -> None:
        key = (runtime.circle_id, peer_id)
        if self._nursery is None or key in self._pulling:
            return
        if not runtime.state.is_member(runtime.me):
            return  # removed or left: members no longer serve us
        self._pulling.add(key)
        self._nursery.start_soon(self._pull, runtime, peer_id)

    async def run_periodically(self) -> None:
        """GossipSub drops what it sent before a mesh formed or while a member was away;
        pulling from every connected member on a timer closes those gaps."""
        while True:
            await trio.sleep(self._interval)
            online = self._online()
            for runtime in list(self._runtimes().values()):
                for member in list(runtime.state.members.values()):
                    if member.key != runtime.me and member.peer in online:
                        self.start_pull(runtime, member.peer)

    async def _pull(self, runtime: CircleRuntime, peer_id: str) -> None:
        try:
            await self._pull_once(runtime, peer_id)
        except StorageFull:
            self._count("disk_full")  # nothing more is stored; the engine carries on
        finally:
            self._pulling.discard((runtime.circle_id, peer_id))

    async def _pull_once(self, runtime: CircleRuntime, peer_id: str) -> None:
        node = self._node(runtime.circle_id)
        member = runtime.member_with_peer(peer_id)
        if node is None or member is None:
            return
        try:
            stream = await node.open_stream(peer_id, sync_messages.PROTOCOL)
        except Exception as error:  # a member that went away again: nothing to pull
            log.debug("sync: no stream (%s)", type(error).__name__)
            return
        circle_hex = runtime.circle_id.hex()
        took = Stopwatch()  # for the log (see clock.py), not the clock

        def progress(received: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                self._emit(SyncProgress(circle_hex, received, total))

        async def store_batch(signed: list[bytes]) -> bool:
            outcome = await self._ingest(runtime, signed)
            if outcome.valid and member.key in outcome.over_quota:
                raise sync_session.SyncAborted("its own events are over its quota")
            if outcome.over_quota:
                # an honest member relaying someone's backlog: take the rest later
                raise sync_session.SyncPaused("events over their authors' quotas")
            return outcome.valid

        try:
            outcome = await sync_session.pull(
                stream,
                runtime.circle_id,
                # from our admission on, as the answerer counts for us: a member back after
                # a removal keeps older messages the answerer would never offer it
                mine=self._store.summary(runtime.circle_id, _messages_from(runtime)),
                present=self._store.present,
                store_batch=store_batch,
                progress=progress,
            )
        except sync_session.SyncPaused as error:
            self._emit(HistoryChanged(circle_hex))  # ends any progress shown for this pull
            self._count("sync_paused")
            log.info("sync paused: %s", error)
            return
        except sync_session.SyncAborted as error:
            self._emit(HistoryChanged(circle_hex))  # ends any progress shown for this pull
            # a member that sends what no honest member would is cut off
            self._count("sync_cut_off")
            log.warning("sync with a member aborted: %s; disconnecting it", error)
            try:
                await node.disconnect(peer_id)
            except Exception as failure:  # a connection already gone is fine
                log.info("disconnect after a bad sync failed (%s)", type(failure).__name__)
            return
        except (StreamError, jm.FrameError, trio.TooSlowError) as error:
            log.debug("sync broke off (%s)", type(error).__name__)
            return
        finally:
            with trio.move_on_after(1) as scope:
                scope.shield = True
                await stream.close()
        self._store.record_sync(runtime.circle_id, member.key, None, self._clock.now_ms())
        log.info(
            "sync: pulled %d of %d missing events in %.2f s",
            outcome.received,
            outcome.wanted,
            took.seconds(),
        )
        if outcome.received:
            # rows, unread counts, members and settings came with what ingest stored
            self._emit(HistoryChanged(circle_hex))

    async def serve(self, stream: FramedStream) -> None:
        try:
            summary = sync_messages.decode_sync_frame(
                await stream.receive(sync_messages.MAX_FRAME_BYTES)
            )
        except sync_messages.SyncFrameError:
            return
        if isinstance(summary, sync_messages.ChunkWant) and self._serve_chunks is not None:
            await self._serve_chunks(stream, summary)
            return
        if not isinstance(summary, sync_messages.Summary):
            return
        began = trio.current_time()  # a former member's connections until now close after
        runtime = self._runtimes().get(summary.circle)
        if runtime is not None and not runtime.reached_at(stream.local_peer):
            runtime = None  # a circle reached at another host: as if we were not in it
        span = None if runtime is None else self._span(runtime, stream.remote_peer)
        if runtime is None or span is None:
            await stream.send(jm.encode_frame(jm.Refused(jm.Refusal.NOT_A_MEMBER)))
            return
        # a member reads messages from its admission on, never earlier ones; a former
        # member reads up to its removal or leaving, so it learns of it, and nothing after
        asker, horizon, through = span
        circle_id = runtime.circle_id
        holds_through = min(self._store.max_lamport(circle_id), through)
        try:
            await sync_session.answer(
                stream,
                summary,
                self._store.summary(circle_id, horizon, through),
                lambda low, high: self._store.ids_between(
                    circle_id, low, min(high, through), horizon
                ),
                lambda ids: self._store.signed_in_order(circle_id, ids),
            )
        except sync_session.SyncAborted as error:
            log.info("sync answer aborted: %s", error)
            return
        # the asker now holds everything we had when it asked
        known = self._store.member_syncs(circle_id).get(asker)
        if self._store.record_sync(circle_id, asker, holds_through, self._clock.now_ms()):
            after = known.holds_through if known is not None else -1
            held_by = self._delivery(runtime, after, holds_through)
            self._emit(DeliveryChanged(circle_id.hex(), held_by))
        if through != NO_LIMIT:
            await self._served_former(stream.remote_peer, began)

    def _span(self, runtime: CircleRuntime, peer_id: str) -> tuple[bytes, int, int] | None:
        """(asker's key, message horizon, last lamport it may read) for a member or a
        former member asking from this peer; None for anyone else."""
        member = runtime.member_with_peer(peer_id)
        if member is not None:
            return member.key, member.since_lamport, NO_LIMIT
        refused = runtime.refused_joiner_span(peer_id)
        if refused is not None:
            return refused
        return runtime.former_member_span(
            peer_id, self._store.control_events_in_order(runtime.circle_id)
        )


def _messages_from(runtime: CircleRuntime) -> int:
    """The lamport our messages are counted from in a pull (our admission's)."""
    me = runtime.state.members.get(runtime.me)
    return 0 if me is None else me.since_lamport
