"""GossipSub for circles: the fast path. Correctness comes from sync, not from here.

What py-libp2p 0.8.1 does out of the box, and what this module changes:

- Heartbeat every 120 s: set to 1 s. Its "adaptive gossip" would push the interval back
  up to 30-60 s whenever it judges the network's health moderate, so that is off too.
- Spam protection counts messages per *forwarder* and topic and, above 10/s, stops
  forwarding and penalises the forwarder, our own publishes included. A relay is thus
  punished for its origin's rate. It is off: rate limits belong to the circle layer,
  which knows the signed author.
- Each peer's outbound queue (rpc_queue.PriorityQueue) holds 32 RPCs and rejects the rest
  silently; each publish takes two slots per v1.2 mesh peer (the message and an
  IDONTWANT). The queue is enlarged to OUTBOUND_QUEUE_RPCS, rejections are counted, and
  publish() waits while any subscribed peer's queue holds PUBLISH_HIGH_WATER RPCs, so our
  own bursts meet back-pressure instead of loss. A peer that stops reading makes publish()
  raise PublishStalled after a bound, naming it.
- Delivery to subscribers goes through a 32-message channel per topic that also drops on
  bursts; messages are instead handed straight to on_message, in the trio thread.
- Our own messages come back to us; they are filtered out.
- A message the library fails on (e.g. an undecodable key) would raise inside a pubsub
  task and stop the whole pubsub service; it is dropped and counted instead.
- A message read while the service stops was scheduled on its closed task nursery and
  the error took the swarm down with it; the stream is reset instead.
- Every message from another peer passes a validator the engine injects before it is
  delivered or relayed: a member never forwards what it cannot authenticate. The library
  runs it after the signature check and before forwarding; a refusal is counted.
- A peer the gate stops allowing (a removed member) loses its pubsub streams at the next
  gate check: it reads nothing more from us by GossipSub, though its connection may stay
  a little longer for sync to tell it of its removal.

Strict signing stays on (the library default): every message is signed, and unsigned or
badly signed ones are rejected, as js-libp2p and go-libp2p expect.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import trio
from google.protobuf.message import DecodeError
from libp2p.abc import INetStream
from libp2p.custom_types import TProtocol
from libp2p.exceptions import ValidationError
from libp2p.peer.id import ID
from libp2p.pubsub.gossipsub import PROTOCOL_ID, PROTOCOL_ID_V11, PROTOCOL_ID_V12, GossipSub
from libp2p.pubsub.pb import rpc_pb2
from libp2p.pubsub.pubsub import Pubsub
from libp2p.pubsub.rpc_queue import PriorityQueue, RpcQueue
from libp2p.tools.anyio_service import background_trio_service
from libp2p.tools.anyio_service.exceptions import LifecycleError

from peerapp.core.errors import HearthError
from peerapp.network.counters import Counters
from peerapp.network.gate import Gate

log = logging.getLogger(__name__)

# Preferred first. 1.1 before 1.2: py-libp2p 0.8.1 sends 1.2's IDONTWANT for every message,
# however small, to every mesh peer (go-libp2p only above 1 KiB). In a circle, where
# everyone is in everyone's mesh, that is an extra RPC per member per message for each
# member: 12 % more CPU per message at 100 msg/s in five-member circles
# (bench/circle_nodes.py --only 100). js and go speak 1.1 as well.
PUBSUB_PROTOCOLS = (str(PROTOCOL_ID_V11), str(PROTOCOL_ID_V12), str(PROTOCOL_ID))
MAX_MESSAGE_BYTES = 256 * 1024
HEARTBEAT_SECONDS = 1
# go-libp2p's defaults; a circle is small enough that everyone is in everyone's mesh
MESH_DEGREE, MESH_DEGREE_LOW, MESH_DEGREE_HIGH = 6, 4, 12
# Room for relayed messages and control on top of our own; bounded because a peer that
# stops reading makes its queue grow up to this (times the message size).
OUTBOUND_QUEUE_RPCS = 256
# our own publishes never hold more of a peer's queue than the library's default size
PUBLISH_HIGH_WATER = 32
PUBLISH_TIMEOUT_SECONDS = 10.0
# how often the gate is asked again about peers it kept out of pubsub
GATE_RECHECK_SECONDS = 1.0
# how long a gate-refused peer's inbound pubsub stream waits, unread, for admission
PARK_SECONDS = 60.0
OPEN_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class PubsubMessage:
    topic: str
    sender: str  # base58 peer id of the origin, whose signature was verified
    data: bytes


MessageCallback = Callable[[PubsubMessage], None]
# validate(message) -> whether it is authentic enough to deliver and relay
Validate = Callable[[PubsubMessage], bool]


class PubsubError(HearthError):
    pass


class PublishStalled(PubsubError):
    """Some subscribed peers have not drained their outbound queue in time."""

    def __init__(self, peers: list[str], timeout: float) -> None:
        super().__init__(f"Not published: {len(peers)} peer(s) stopped reading for {timeout:g} s.")
        self.peers = peers


class _CountingPriorityQueue(PriorityQueue):
    """The library's queue, larger, and counting what it rejects."""

    def __init__(self, max_size: int, counters: Counters) -> None:
        super().__init__(max_size)
        self._counters = counters

    def push(self, rpc: rpc_pb2.RPC, priority: bool = False) -> bool:
        accepted = super().push(rpc, priority)
        if not accepted:
            self._counters.add("dropped_queue_full")
        return accepted


class _RoomyQueues(dict[ID, RpcQueue]):
    """Pubsub.peer_queues, enlarging each new queue before anything is pushed to it.

    Pubsub._handle_new_peer builds RpcQueue() with the default 32 and stores it here
    before any producer can find it; RpcQueue offers no public way to resize, so its
    inner PriorityQueue (the `_queue` attribute, 0.8.1) is swapped while still empty.
    """

    def __init__(self, counters: Counters) -> None:
        super().__init__()
        self._counters = counters

    def __setitem__(self, peer_id: ID, queue: RpcQueue) -> None:
        inner = getattr(queue, "_queue", None)
        if isinstance(inner, PriorityQueue) and len(inner) == 0:
            queue._queue = _CountingPriorityQueue(OUTBOUND_QUEUE_RPCS, self._counters)
        else:
            log.warning("py-libp2p's RpcQueue changed; outbound queue left at its default")
        super().__setitem__(peer_id, queue)


class _Signal:
    """Wakes every task waiting for "something changed"; they re-check their condition."""

    def __init__(self) -> None:
        self._event = trio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = trio.Event()

    async def wait(self) -> None:
        await self._event.wait()


class _CirclePubsub(Pubsub):
    """py-libp2p's Pubsub with the fixes listed in the module docstring."""

    def __init__(
        self,
        host: Any,
        router: GossipSub,
        gate: Gate,
        counters: Counters,
        on_message: MessageCallback,
    ) -> None:
        super().__init__(host, router, strict_signing=True)
        self._gate = gate
        self._counters = counters
        self._on_message = on_message
        self.room = _Signal()  # space freed in an outbound queue
        self.gate_moved = _Signal()  # the gate may answer differently now
        self.peer_queues = _RoomyQueues(counters)
        # connected peers we did not open a pubsub stream to because the gate said no
        self.gated_out: set[ID] = set()
        self.validate: Validate | None = None
        # each peer's inbound pubsub streams being read, to cut them when it loses access
        self._inbound: dict[ID, set[INetStream]] = {}
        self._write_locks: dict[INetStream, trio.Lock] = {}  # by identity

    # -- gate: a stranger gets no pubsub stream either way -------------------------------

    async def stream_handler(self, stream: INetStream) -> None:
        peer_id = stream.muxed_conn.peer_id
        if not await self._admitted(peer_id.to_base58(), str(stream.get_protocol())):
            self._counters.add("streams_refused")
            await stream.reset()
            return
        self._inbound.setdefault(peer_id, set()).add(stream)
        try:
            await super().stream_handler(stream)
        except DecodeError:
            # an RPC that is not protobuf: the library lets the error out, which took the
            # swarm and the engine down with it. A peer's bytes are hostile; drop the stream.
            self._counters.add("streams_undecodable")
            log.info("pubsub stream from %s sent an undecodable RPC; reset", peer_id)
            await stream.reset()
        except (RuntimeError, LifecycleError):
            # The library hands each message it reads to a task of the pubsub service.
            # While the service stops, a peer still sending makes that raise, which would
            # tear down the peer's whole connection and the swarm with it.
            if self.manager.is_running and not self.manager.is_cancelled:
                raise
            self._counters.add("streams_read_after_stop")
            await stream.reset()
        finally:
            streams = self._inbound.get(peer_id, set())
            streams.discard(stream)
            if not streams:
                self._inbound.pop(peer_id, None)

    async def _admitted(self, peer_id: str, protocol: str) -> bool:
        """Whether the gate lets the stream in, parking it unread for a while if not.

        Parked rather than reset: when its outbound pubsub stream dies, py-libp2p drops
        every subscription it learned from that peer, including ones that arrive on the
        peer's own, healthy stream, and they are not sent again. Resetting a stranger's
        stream could thus leave it blind to our topics for good once it is admitted.
        A parked stream is simply read from its start once the gate says yes.
        """
        if self._gate.allows(peer_id, protocol):
            return True
        self._counters.add("pubsub_streams_parked")
        with trio.move_on_after(PARK_SECONDS):
            while not self._gate.allows(peer_id, protocol):
                with trio.move_on_after(GATE_RECHECK_SECONDS):
                    await self.gate_moved.wait()
            return True
        return False

    async def _handle_new_peer(self, peer_id: ID) -> None:
        # our first RPC to a peer lists every topic we are subscribed to
        if not self._gate.allows_all(peer_id.to_base58(), PUBSUB_PROTOCOLS):
            log.debug("no pubsub stream to %s (gate)", peer_id)
            self.gated_out.add(peer_id)
            return
        self.gated_out.discard(peer_id)
        await super()._handle_new_peer(peer_id)

    async def open_to_admitted(self, nursery: trio.Nursery) -> None:
        """Open the pubsub streams the gate withheld, once it allows them.

        The gate is the engine's membership, which changes without telling us; checking
        every GATE_RECHECK_SECONDS (and at once on gate_changed) means nobody has to
        remember to call us after an admission.
        """
        while True:
            for peer_id in list(self.peers):
                if not self._gate.allows_all(peer_id.to_base58(), PUBSUB_PROTOCOLS):
                    await self._revoke(peer_id)
            for peer_id in list(self.gated_out):
                if not self.host.get_network().get_connections(peer_id):
                    self.gated_out.discard(peer_id)  # a new connection starts afresh
                elif self._gate.allows_all(peer_id.to_base58(), PUBSUB_PROTOCOLS):
                    self.gated_out.discard(peer_id)
                    nursery.start_soon(self.ensure_peer_stream, peer_id, OPEN_TIMEOUT_SECONDS)
            with trio.move_on_after(GATE_RECHECK_SECONDS):
                await self.gate_moved.wait()

    async def _revoke(self, peer_id: ID) -> None:
        """Cut a peer that lost access: both its pubsub streams, and the library forgets it
        (its retry to open a stream again goes through the gated _handle_new_peer)."""
        self._counters.add("pubsub_peers_revoked")
        log.info("pubsub streams to %s cut (gate)", peer_id)
        streams = [self.peers.get(peer_id), *self._inbound.pop(peer_id, set())]
        self._handle_dead_peer(peer_id)
        for stream in streams:
            if stream is not None:
                with trio.CancelScope(shield=True):
                    try:
                        await stream.reset()
                    except Exception as error:  # the muxer raises its own types when dead
                        log.debug("resetting a revoked stream: %s", type(error).__name__)

    # -- receiving -----------------------------------------------------------------------

    async def validate_msg(self, msg_forwarder: ID, msg: rpc_pb2.Message) -> None:
        await super().validate_msg(msg_forwarder, msg)
        validate = self.validate
        if validate is None or msg_forwarder == self.my_id:
            return
        origin = ID(msg.from_id).to_base58()
        try:
            authentic = all(
                validate(PubsubMessage(topic, origin, msg.data)) for topic in msg.topicIDs
            )
        except Exception as error:  # a broken validator fails closed, like the gate
            log.error("validator raised %s; refusing", type(error).__name__)
            authentic = False
        if not authentic:
            self._counters.add("relay_refused")
            raise ValidationError("not authentic")

    async def push_msg(self, msg_forwarder: ID, msg: rpc_pb2.Message) -> None:
        if msg_forwarder == self.my_id:
            await super().push_msg(msg_forwarder, msg)  # our publish: let errors reach it
            return
        if len(msg.data) > MAX_MESSAGE_BYTES:
            self._counters.add("dropped_oversized")
            return
        try:
            await super().push_msg(msg_forwarder, msg)
        except Exception as error:
            self._counters.add("dropped_invalid")
            log.info("dropped a message from %s: %s", msg_forwarder, type(error).__name__)

    def notify_subscriptions(self, publish_message: rpc_pb2.Message) -> None:
        origin = ID(publish_message.from_id)
        if origin == self.my_id:
            return
        for topic in publish_message.topicIDs:
            if topic in self.topic_ids:
                self._deliver(PubsubMessage(topic, origin.to_base58(), publish_message.data))

    def _deliver(self, message: PubsubMessage) -> None:
        try:
            self._on_message(message)
        except Exception as error:
            # inside a pubsub task, an exception would stop the whole service
            self._counters.add("message_callback_errors")
            log.error("on_message raised %s", type(error).__name__)
        else:
            self._counters.add("delivered")

    # -- sending -------------------------------------------------------------------------

    async def write_msg(self, stream: INetStream, rpc_msg: rpc_pb2.RPC) -> bool:
        """The library's write, one at a time per stream.

        Two tasks write to a peer's stream in 0.8.1 (its sending loop, and
        flush_pending_messages after a reconnection), and Yamux cuts a write larger than
        the send window into frames, locking per frame: two large RPCs (batch envelopes)
        could interleave and corrupt the stream for the reader.
        """
        lock = self._write_locks.setdefault(stream, trio.Lock())
        async with lock:
            return await super().write_msg(stream, rpc_msg)

    async def handle_sending_messages(
        self, peer_id: ID, stream: INetStream, queue: RpcQueue
    ) -> None:
        """The library's per-peer sending loop (0.8.1), plus a wake-up for waiting publishers."""
        try:
            while True:
                rpc = await queue.pop()
                self.room.notify()
                if rpc is None or not await self.write_msg(stream, rpc):
                    return
        except Exception:
            log.debug("sending loop for %s ended with an error", peer_id)
            self._handle_dead_peer(peer_id)
        finally:
            # a dead peer's queue is gone: whoever waited on it may go on
            self.room.notify()
            self._write_locks.pop(stream, None)

    def crowded_queues(self, peer_ids: Iterable[ID]) -> list[ID]:
        crowded = []
        for peer_id in peer_ids:
            queue = self.peer_queues.get(peer_id)
            if queue is not None and not queue.closed and len(queue) >= PUBLISH_HIGH_WATER:
                crowded.append(peer_id)
        return crowded


def _router() -> GossipSub:
    return GossipSub(
        protocols=[TProtocol(protocol) for protocol in PUBSUB_PROTOCOLS],
        degree=MESH_DEGREE,
        degree_low=MESH_DEGREE_LOW,
        degree_high=MESH_DEGREE_HIGH,
        heartbeat_interval=HEARTBEAT_SECONDS,
        adaptive_gossip_enabled=False,
        spam_protection_enabled=False,
    )


class PubsubService:
    """Subscribe, publish and look at topic membership; used through NetworkNode."""

    def __init__(self, pubsub: _CirclePubsub, counters: Counters) -> None:
        self._pubsub = pubsub
        self._counters = counters

    async def subscribe(self, topic: str) -> None:
        await self._pubsub.subscribe(topic)

    async def unsubscribe(self, topic: str) -> None:
        await self._pubsub.unsubscribe(topic)

    def topic_peers(self, topic: str) -> list[str]:
        return sorted(peer.to_base58() for peer in self._pubsub.peer_topics.get(topic, ()))

    async def publish(
        self,
        topic: str,
        data: bytes,
        timeout: float = PUBLISH_TIMEOUT_SECONDS,
        send_when_stalled: bool = False,
    ) -> None:
        """`send_when_stalled`: after `timeout`, publish anyway instead of raising
        PublishStalled, so one member that stops reading cannot hold up the others; a full
        queue of that member's drops it there (counted in dropped_queue_full)."""
        if len(data) > MAX_MESSAGE_BYTES:
            raise ValueError(
                f"a pubsub message holds at most {MAX_MESSAGE_BYTES} bytes, not {len(data)}"
            )
        crowded = await self._wait_for_room(topic, timeout)
        if crowded:
            if not send_when_stalled:
                raise PublishStalled([peer.to_base58() for peer in crowded], timeout)
            self._counters.add("published_past_stall")
        await self._pubsub.publish(topic, data)
        self._counters.add("published")

    async def _wait_for_room(self, topic: str, timeout: float) -> list[ID]:
        """The peers whose queues are still crowded after waiting up to `timeout`."""
        pubsub = self._pubsub
        crowded = pubsub.crowded_queues(pubsub.peer_topics.get(topic, ()))
        if not crowded:
            return []
        self._counters.add("publish_waits")
        with trio.move_on_after(timeout):
            while crowded:
                await pubsub.room.wait()
                crowded = pubsub.crowded_queues(pubsub.peer_topics.get(topic, ()))
        return crowded

    def gate_changed(self) -> None:
        """Ask the gate again now, rather than at the next periodic check."""
        self._pubsub.gate_moved.notify()

    def set_validator(self, validate: Validate | None) -> None:
        self._pubsub.validate = validate


@asynccontextmanager
async def running_pubsub(
    host: Any, gate: Gate, counters: Counters, on_message: MessageCallback
) -> AsyncIterator[PubsubService]:
    """GossipSub on a running host, for the duration of the block."""
    router = _router()
    pubsub = _CirclePubsub(host, router, gate, counters, on_message)
    async with (
        background_trio_service(pubsub),
        background_trio_service(router),
        trio.open_nursery() as nursery,
    ):
        await pubsub.wait_until_ready()
        nursery.start_soon(pubsub.open_to_admitted, nursery)
        yield PubsubService(pubsub, counters)
        nursery.cancel_scope.cancel()
