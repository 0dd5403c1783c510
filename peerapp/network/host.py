"""The libp2p host: Noise for security and Yamux for multiplexing, nothing else; with
GossipSub (pubsub.py) and framed stream protocols (streams.py) on top.

py-libp2p's default host also accepts /plaintext and secio and falls back to Mplex; a
peer offering only those is refused here. The peer key comes from the profile, so the
peer id is stable across restarts.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import multiaddr
import trio
from libp2p import new_host
from libp2p.abc import INetConn, INetStream, INetwork, INotifee
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.x25519 import create_new_key_pair as new_x25519_key_pair
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux

from peerapp.network.addresses import AddressError, dialable, same_endpoint
from peerapp.network.counters import Counters
from peerapp.network.gate import Allow, Gate
from peerapp.network.pubsub import (
    PUBLISH_TIMEOUT_SECONDS,
    MessageCallback,
    PubsubMessage,
    PubsubService,
    running_pubsub,
)
from peerapp.network.streams import (
    DEFAULT_TIMEOUT_SECONDS,
    FramedStream,
    StreamHandler,
    open_framed_stream,
    serving,
)

log = logging.getLogger(__name__)

YAMUX_RELEASE_ON_READ = "PY_YAMUX_RELEASE_ON_READ"

SECURITY_PROTOCOLS = (str(NOISE_PROTOCOL_ID),)
MUXER_PROTOCOLS = (str(YAMUX_PROTOCOL_ID),)

PeerCallback = Callable[[str], None]


def _ignore_message(message: PubsubMessage) -> None:
    pass


def build_host(peer_seed: bytes) -> Any:
    key_pair = create_new_key_pair(peer_seed)
    noise = NoiseTransport(key_pair, noise_privkey=new_x25519_key_pair().private_key)
    return new_host(
        key_pair=key_pair,
        sec_opt={NOISE_PROTOCOL_ID: noise},
        muxer_opt={TProtocol(YAMUX_PROTOCOL_ID): Yamux},
    )


class _ConnectionWatcher(INotifee):
    """Turns the swarm's notifications into connected/disconnected callbacks per peer."""

    def __init__(self, on_connected: PeerCallback, on_disconnected: PeerCallback) -> None:
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected

    async def opened_stream(self, network: INetwork, stream: INetStream) -> None:
        pass

    async def closed_stream(self, network: INetwork, stream: INetStream) -> None:
        pass

    async def connected(self, network: INetwork, conn: INetConn) -> None:
        self._on_connected(conn.muxed_conn.peer_id.to_base58())

    async def disconnected(self, network: INetwork, conn: INetConn) -> None:
        peer_id = conn.muxed_conn.peer_id
        # a peer may hold several connections; it is gone only when the last one is. The
        # closing connection may still be listed while its notification runs.
        if not [other for other in network.get_connections(peer_id) if other is not conn]:
            self._on_disconnected(peer_id.to_base58())

    async def listen(self, network: INetwork, multiaddr: multiaddr.Multiaddr) -> None:
        pass

    async def listen_close(self, network: INetwork, multiaddr: multiaddr.Multiaddr) -> None:
        pass


class NetworkNode:
    """A running host: its peer id, where it can be dialled, who is connected, GossipSub
    topics and framed stream protocols."""

    def __init__(self, host: Any, pubsub: PubsubService, gate: Gate, counters: Counters) -> None:
        self._host = host
        self._pubsub = pubsub
        self._gate = gate
        self._counters = counters

    @property
    def peer_id(self) -> str:
        return str(self._host.get_id().to_base58())

    def dialable_addrs(self) -> list[str]:
        suffix = f"/p2p/{self.peer_id}"
        return [str(address) + suffix for address in dialable(self._host.get_transport_addrs())]

    def connected_peers(self) -> list[str]:
        return sorted(peer.to_base58() for peer in self._host.get_connected_peers())

    async def connect(self, address: str) -> str:
        """Dial a full /.../p2p/PEER multiaddr; returns the peer id once secured."""
        info = info_from_p2p_addr(multiaddr.Multiaddr(address))
        await self._host.connect(info)
        return str(info.peer_id.to_base58())

    def listen_port(self) -> int:
        """The TCP port of the first bound address."""
        return int(self._host.get_transport_addrs()[0].value_for_protocol("tcp"))

    async def close_connections(self) -> None:
        """Close every connection, so peers see us leave at once."""
        for peer in list(self._host.get_connected_peers()):
            with contextlib.suppress(Exception):
                await self._host.disconnect(peer)

    async def disconnect(self, peer_id: str) -> None:
        """Close every connection to the peer (its streams and pubsub with it)."""
        await self._host.disconnect(ID.from_base58(peer_id))

    def counters(self) -> dict[str, int]:
        return self._counters.snapshot()

    # -- GossipSub --------------------------------------------------------------------

    async def subscribe(self, topic: str) -> None:
        await self._pubsub.subscribe(topic)

    async def unsubscribe(self, topic: str) -> None:
        await self._pubsub.unsubscribe(topic)

    async def publish(
        self,
        topic: str,
        data: bytes,
        timeout: float = PUBLISH_TIMEOUT_SECONDS,
        send_when_stalled: bool = False,
    ) -> None:
        """Sign and send; waits while peers' outbound queues are full (back-pressure).

        ValueError over MAX_MESSAGE_BYTES; PublishStalled if a subscribed peer has not
        drained its queue within `timeout` (nothing is published then), unless
        `send_when_stalled`: then it is published anyway.
        """
        await self._pubsub.publish(topic, data, timeout, send_when_stalled)

    def topic_peers(self, topic: str) -> list[str]:
        """Peers we know to be subscribed to the topic (from their announcements)."""
        return self._pubsub.topic_peers(topic)

    # -- framed streams and the gate --------------------------------------------------

    def set_stream_handler(self, protocol: str, handler: StreamHandler) -> None:
        self._host.set_stream_handler(
            TProtocol(protocol), serving(protocol, handler, self._gate, self._counters)
        )

    async def open_stream(
        self,
        peer_id: str,
        protocol: str,
        addrs: list[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> FramedStream:
        """A stream to the peer, dialling `addrs` first if not connected; StreamError if
        that fails or takes longer than `timeout`."""
        return await open_framed_stream(self._host, peer_id, protocol, addrs, timeout)

    def set_gate(self, allow: Allow | None) -> None:
        """allow(peer_id, protocol) decides who may use which protocol; None allows all.

        Stream protocols: an inbound stream the gate refuses is reset at once.
        GossipSub: we open no pubsub stream to a refused peer (it would list our topics),
        and its inbound pubsub stream waits unread; both go ahead as soon as the gate
        allows the peer (asked again every second, or at once after gate_changed()).
        Streams already open are not re-checked: disconnect() a peer that lost access.
        """
        self._gate.set(allow)
        self._pubsub.gate_changed()

    def gate_changed(self) -> None:
        """The gate's answers may have changed (a joiner was admitted): act on them now
        rather than at the next periodic check."""
        self._pubsub.gate_changed()


@asynccontextmanager
async def running_node(
    peer_seed: bytes,
    listen: list[multiaddr.Multiaddr],
    on_connected: PeerCallback,
    on_disconnected: PeerCallback,
    on_message: MessageCallback | None = None,
) -> AsyncIterator[NetworkNode]:
    """The host and its GossipSub, listening, for the duration of the block.

    Callbacks run in the trio thread. on_message gets every message from another peer on
    a subscribed topic, once; never our own.
    """
    # py-libp2p 0.8.1's Yamux sends a window update for every read by default, a write per
    # pubsub message received (17 % of the read loop under load). Off, it sends one when
    # half the window is used, as go-yamux does. The library reads this at each use.
    os.environ.setdefault(YAMUX_RELEASE_ON_READ, "0")
    host = build_host(peer_seed)
    host.get_network().register_notifee(_ConnectionWatcher(on_connected, on_disconnected))
    failure: AddressError | None = None
    async with host.run(listen):
        bound = list(host.get_transport_addrs())
        missing = [str(a) for a in listen if not any(same_endpoint(a, b) for b in bound)]
        if missing:
            # py-libp2p logs a failed bind and carries on; a node nobody can reach is
            # worse than a clear error. Raised after the host's nursery has closed so the
            # caller gets the AddressError itself, not nested exception groups.
            failure = AddressError(
                f"Could not listen on {', '.join(missing)}: "
                "the address is in use or not on this machine."
            )
        else:
            gate, counters = Gate(), Counters()
            try:
                async with running_pubsub(
                    host, gate, counters, on_message or _ignore_message
                ) as pubsub:
                    node = NetworkNode(host, pubsub, gate, counters)
                    log.info("listening on %s", ", ".join(node.dialable_addrs()))
                    yield node
            finally:
                with trio.move_on_after(1) as scope:
                    scope.shield = True
                    # close every connection explicitly: otherwise their sockets live on
                    # until garbage collection and peers go on seeing us as connected
                    for peer in list(host.get_connected_peers()):
                        with contextlib.suppress(Exception):
                            await host.disconnect(peer)
                    await host.close()
    if failure is not None:
        raise failure
