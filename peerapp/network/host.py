"""The libp2p host: Noise for security and Yamux for multiplexing, nothing else; with
GossipSub (pubsub.py) and framed stream protocols (streams.py) on top, and a guard
(guard.py, admission.py) that keeps inbound strangers to a small, short-lived budget.

py-libp2p's default host also accepts /plaintext and secio and falls back to Mplex; a
peer offering only those is refused here. The peer key comes from the profile, so the
peer id is stable across restarts.

py-libp2p 0.8.1 takes a slot of the swarm's inbound limiter for each inbound connection
and gives it back only when the swarm stops (the handler holding it waits for the swarm
to finish, not for the connection to end): after max_connections - min_connections
(250 by default) inbound connections in a node's life, open or long closed, every new one
is closed unread, members' included, until a restart. That limiter is made unbounded
here, and the bound it was meant to give, handshakes in flight, is put back around the
handshake itself (MAX_HANDSHAKES, each within HANDSHAKE_SECONDS); the task that handled
an inbound connection now ends with it rather than with the swarm. Who may stay once the
handshake names the peer is the guard's business; the library's own caps are set far
above it (MAX_CONNECTIONS).

Its auto-connector dials peers from the peer store until the connection count reaches
the middle of its watermarks (200 by default), removed and banned members included;
whom Hearth dials is the engine's choice (members, from the circle log), so it is off.

Tor mode (`tor=OnionReach(...)`, onion_mode.py) changes only what reaches the network:
listen on 127.0.0.1, dial only /onion3 through tor, advertise only the onion addresses.
Without it (tor=None) the host is exactly the direct one.
"""

from __future__ import annotations

import contextlib
import logging
import math
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
from libp2p.network.config import ConnectionConfig
from libp2p.network.exceptions import SwarmException
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.rcmgr import Direction
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux

from peerapp.network.addresses import AddressError, dialable, same_endpoint
from peerapp.network.admission import Limits
from peerapp.network.counters import Counters
from peerapp.network.framed import DEFAULT_TIMEOUT_SECONDS, FramedStream, StreamOpenFailed
from peerapp.network.gate import Allow, Gate
from peerapp.network.guard import ConnectionGuard
from peerapp.network.onion_mode import (
    OnionReach,
    check_loopback_listen,
    check_onion_dial,
    hide_observed_address,
    tor_transports,
)
from peerapp.network.pubsub import (
    PUBLISH_TIMEOUT_SECONDS,
    MessageCallback,
    PubsubMessage,
    PubsubService,
    Validate,
    running_pubsub,
)
from peerapp.network.streams import StreamHandler, open_framed_stream, serving

log = logging.getLogger(__name__)

YAMUX_RELEASE_ON_READ = "PY_YAMUX_RELEASE_ON_READ"

SECURITY_PROTOCOLS = (str(NOISE_PROTOCOL_ID),)
MUXER_PROTOCOLS = (str(YAMUX_PROTOCOL_ID),)

PeerCallback = Callable[[str], None]

# inbound Noise + Yamux handshakes in flight at once, and how long each may take
MAX_HANDSHAKES = 64
HANDSHAKE_SECONDS = 5.0
# the library's own caps on live connections: far above the stranger budget, so that
# members always find room
MAX_CONNECTIONS = 1024


def _ignore_message(message: PubsubMessage) -> None:
    pass


def build_host(
    peer_seed: bytes, counters: Counters | None = None, tor: OnionReach | None = None
) -> Any:
    key_pair = create_new_key_pair(peer_seed)
    noise = NoiseTransport(key_pair, noise_privkey=new_x25519_key_pair().private_key)
    # Tor mode: TCP only listens, SOCKS dials onions; the onion addresses are all we
    # announce (identify, signed peer record), and observed addresses are not collected
    tor_options: dict[str, Any] = (
        {}
        if tor is None
        else {
            "transports": tor_transports(tor),
            "announce_addrs": tor.multiaddrs(),
            "disable_identify_address_discovery": True,
        }
    )
    host = new_host(
        key_pair=key_pair,
        sec_opt={NOISE_PROTOCOL_ID: noise},
        muxer_opt={TProtocol(YAMUX_PROTOCOL_ID): Yamux},
        connection_config=ConnectionConfig(
            max_connections=MAX_CONNECTIONS,
            high_watermark=MAX_CONNECTIONS,
            min_connections=0,
            low_watermark=0,
            inbound_upgrade_timeout=HANDSHAKE_SECONDS,
        ),
        **tor_options,
    )
    if tor is not None:
        hide_observed_address(host)
    _bound_handshakes(host.get_network(), counters or Counters())
    _no_auto_connect(host.get_network())
    return host


def _no_auto_connect(swarm: Any) -> None:
    """Turn the library's auto-connector into a no-op (module docstring)."""
    connector = getattr(swarm, "auto_connector", None)
    if connector is None or not hasattr(connector, "maybe_connect"):
        log.warning("py-libp2p's Swarm changed; its auto-connector is left as is")
        return

    async def never() -> None:
        pass

    connector.maybe_connect = never


def _bound_handshakes(swarm: Any, counters: Counters) -> None:
    """Replace the leaking inbound limiter by a bound on handshakes (module docstring)."""
    upgrade = getattr(swarm, "upgrade_inbound_raw_conn", None)
    if not isinstance(getattr(swarm, "_inbound_limiter", None), trio.CapacityLimiter) or (
        upgrade is None
    ):
        log.warning("py-libp2p's Swarm changed; its inbound connection limiter is left as is")
        return
    swarm._inbound_limiter = trio.CapacityLimiter(math.inf)
    handshakes = trio.CapacityLimiter(MAX_HANDSHAKES)

    async def bounded(raw_conn: Any, maddr: multiaddr.Multiaddr) -> Any:
        try:
            handshakes.acquire_nowait()
        except trio.WouldBlock:
            counters.add("handshakes_refused")
            with contextlib.suppress(Exception):
                await raw_conn.close()
            raise SwarmException("too many handshakes in flight") from None
        try:
            muxed = await upgrade(raw_conn, maddr)
        finally:
            handshakes.release()
        # The library's handler would now wait for the whole swarm to stop, keeping a task
        # per inbound connection ever made; this one ends with its connection instead
        # (the handler's error path only closes what is already closed).
        closed = getattr(muxed, "event_closed", None)
        if not isinstance(closed, trio.Event):
            return muxed
        await closed.wait()
        raise SwarmException("connection ended")

    swarm.upgrade_inbound_raw_conn = bounded


class _ConnectionWatcher(INotifee):
    """Turns the swarm's notifications into connected/disconnected callbacks per peer."""

    def __init__(
        self, on_connected: PeerCallback, on_disconnected: PeerCallback, guard: ConnectionGuard
    ) -> None:
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected
        self._guard = guard
        # when each live connection opened (trio's clock): a removal closes only the
        # connections its member had, not one the same peer opened since as a joiner
        self._opened: dict[INetConn, float] = {}

    def opened_at(self, conn: INetConn) -> float | None:
        return self._opened.get(conn)

    async def opened_stream(self, network: INetwork, stream: INetStream) -> None:
        pass

    async def closed_stream(self, network: INetwork, stream: INetStream) -> None:
        pass

    async def connected(self, network: INetwork, conn: INetConn) -> None:
        self._opened[conn] = trio.current_time()
        self._guard.connected(conn)
        self._on_connected(conn.muxed_conn.peer_id.to_base58())

    async def disconnected(self, network: INetwork, conn: INetConn) -> None:
        self._opened.pop(conn, None)
        self._guard.disconnected(conn)
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

    def __init__(
        self,
        host: Any,
        pubsub: PubsubService,
        gate: Gate,
        counters: Counters,
        guard: ConnectionGuard,
        *,
        tor: OnionReach | None = None,
        watcher: _ConnectionWatcher | None = None,
    ) -> None:
        self._host = host
        self._watcher = watcher
        self._tor = tor
        self._pubsub = pubsub
        self._gate = gate
        self._counters = counters
        self._guard = guard

    @property
    def peer_id(self) -> str:
        return str(self._host.get_id().to_base58())

    def dialable_addrs(self) -> list[str]:
        if self._tor is not None:
            # the announced onion addresses, /p2p/PEER appended by the host
            return [str(address) for address in self._host.get_addrs()]
        suffix = f"/p2p/{self.peer_id}"
        return [str(address) + suffix for address in dialable(self._host.get_transport_addrs())]

    def connected_peers(self) -> list[str]:
        return sorted(peer.to_base58() for peer in self._host.get_connected_peers())

    async def connect(self, address: str) -> str:
        """Dial a full /.../p2p/PEER multiaddr; returns the peer id once secured. In Tor
        mode an address other than /onion3 is refused (OnionOnlyError), never dialled."""
        parsed = multiaddr.Multiaddr(address)
        if self._tor is not None:
            check_onion_dial(parsed)
        info = info_from_p2p_addr(parsed)
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

    async def disconnect(self, peer_id: str, opened_before: float | None = None) -> None:
        """Close every connection to the peer (its streams and pubsub with it); with
        `opened_before` (a `trio.current_time()` reading), only those opened before it
        (one whose opening was not seen counts as older) and those we dialled."""
        peer = ID.from_base58(peer_id)
        if opened_before is None or self._watcher is None:
            await self._host.disconnect(peer)
            return
        for conn in list(self._host.get_network().get_connections(peer)):
            opened = self._watcher.opened_at(conn)
            # one we dialled closes too, whenever it opened: a joiner dials us, never we
            # it, and a dial of ours still in flight at the removal (a reconnect) would
            # otherwise outlive it (seen in Tor mode under load)
            dialled = getattr(conn, "direction", None) == Direction.OUTBOUND
            if opened is None or opened < opened_before or dialled:
                await conn.close()

    def counters(self) -> dict[str, int]:
        """Every count (counters.py), and `strangers_connected`: inbound stranger
        connections open now."""
        return {**self._counters.snapshot(), "strangers_connected": self._guard.strangers()}

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
            TProtocol(protocol),
            # a stranger whose stream the gate let through is asking to join (guard.py)
            serving(
                protocol,
                handler,
                self._gate,
                self._counters,
                self.peer_id,
                allowed=self._guard.asking,
            ),
        )

    async def open_stream(
        self,
        peer_id: str,
        protocol: str,
        addrs: list[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> FramedStream:
        """A stream to the peer, dialling `addrs` first if not connected; StreamError if
        that fails or takes longer than `timeout` (in Tor mode, if an address is not an
        /onion3 one: nothing is dialled then)."""
        if self._tor is not None:
            self._check_onion_addrs(addrs or [])
        return await open_framed_stream(self._host, peer_id, protocol, addrs, timeout)

    def _check_onion_addrs(self, addrs: list[str]) -> None:
        for text in addrs:
            try:
                check_onion_dial(multiaddr.Multiaddr(text))
            except Exception as error:  # OnionOnlyError, or multiaddr's own errors
                raise StreamOpenFailed(str(error)) from None

    def set_gate(self, allow: Allow | None) -> None:
        """allow(peer_id, protocol) decides who may use which protocol; None allows all.

        Stream protocols: an inbound stream the gate refuses is reset at once.
        GossipSub: we open no pubsub stream to a refused peer (it would list our topics),
        and its inbound pubsub stream waits unread; both go ahead as soon as the gate
        allows the peer (asked again every second, or at once after gate_changed()), and
        a peer the gate stops allowing loses its pubsub streams at that same check.
        Other streams already open are not re-checked: disconnect() a peer that lost
        access. A peer allowed GossipSub counts as a member for the stranger budget.
        """
        self._gate.set(allow)
        self._pubsub.gate_changed()

    def gate_changed(self) -> None:
        """The gate's answers may have changed (a joiner was admitted, a member removed):
        act on them now rather than at the next periodic check."""
        self._pubsub.gate_changed()

    def set_validator(self, validate: Validate | None) -> None:
        """validate(message) decides whether a GossipSub message from another peer is
        authentic; one that is not is neither delivered nor relayed. None: all are."""
        self._pubsub.set_validator(validate)

    # -- strangers (guard.py) ---------------------------------------------------------

    def vouch(self, peer_id: str) -> None:
        """The peer proved an invite: its stranger connections may stay while it joins."""
        self._guard.vouch(peer_id)

    def distrust(self, peer_id: str) -> None:
        """The peer failed an invite proof: close its stranger connections now."""
        self._guard.distrust(peer_id)


@asynccontextmanager
async def running_node(
    peer_seed: bytes,
    listen: list[multiaddr.Multiaddr],
    on_connected: PeerCallback,
    on_disconnected: PeerCallback,
    on_message: MessageCallback | None = None,
    *,
    stranger_limits: Limits | None = None,
    tor: OnionReach | None = None,
) -> AsyncIterator[NetworkNode]:
    """The host and its GossipSub, listening, for the duration of the block.

    Callbacks run in the trio thread. on_message gets every message from another peer on
    a subscribed topic, once; never our own. stranger_limits: the budget for inbound
    strangers (admission.py; its defaults when None). tor: Tor mode (onion_mode.py);
    `listen` must then be 127.0.0.1 only (OnionOnlyError otherwise), and the caller
    points the onion service at `listen_port()`.
    """
    if tor is not None:
        check_loopback_listen(listen)
    # py-libp2p 0.8.1's Yamux sends a window update for every read by default, a write per
    # pubsub message received (17 % of the read loop under load). Off, it sends one when
    # half the window is used, as go-yamux does. The library reads this at each use.
    os.environ.setdefault(YAMUX_RELEASE_ON_READ, "0")
    gate, counters = Gate(), Counters()
    guard = ConnectionGuard(gate, counters, stranger_limits)
    host = build_host(peer_seed, counters, tor)
    watcher = _ConnectionWatcher(on_connected, on_disconnected, guard)
    host.get_network().register_notifee(watcher)
    failure: AddressError | None = None
    async with host.run(listen):
        # on the swarm's own task manager: it ends with the swarm
        host.get_network().manager.run_task(guard.run)
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
            try:
                async with running_pubsub(
                    host, gate, counters, on_message or _ignore_message
                ) as pubsub:
                    node = NetworkNode(
                        host, pubsub, gate, counters, guard, tor=tor, watcher=watcher
                    )
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
