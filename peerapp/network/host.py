"""The libp2p host: Noise for security and Yamux for multiplexing, nothing else.

py-libp2p's default host also accepts /plaintext and secio and falls back to Mplex; a
peer offering only those is refused here. The peer key comes from the profile, so the
peer id is stable across restarts.
"""

from __future__ import annotations

import logging
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
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux

from peerapp.network.addresses import AddressError, dialable, same_endpoint

log = logging.getLogger(__name__)

SECURITY_PROTOCOLS = (str(NOISE_PROTOCOL_ID),)
MUXER_PROTOCOLS = (str(YAMUX_PROTOCOL_ID),)

PeerCallback = Callable[[str], None]


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
        # a peer may hold several connections; it is gone only when the last one is
        if not network.get_connections(peer_id):
            self._on_disconnected(peer_id.to_base58())

    async def listen(self, network: INetwork, multiaddr: multiaddr.Multiaddr) -> None:
        pass

    async def listen_close(self, network: INetwork, multiaddr: multiaddr.Multiaddr) -> None:
        pass


class NetworkNode:
    """A running host: its peer id, where it can be dialled, who is connected."""

    def __init__(self, host: Any) -> None:
        self._host = host

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


@asynccontextmanager
async def running_node(
    peer_seed: bytes,
    listen: list[multiaddr.Multiaddr],
    on_connected: PeerCallback,
    on_disconnected: PeerCallback,
) -> AsyncIterator[NetworkNode]:
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
            node = NetworkNode(host)
            log.info("listening on %s", ", ".join(node.dialable_addrs()))
            try:
                yield node
            finally:
                with trio.move_on_after(1) as scope:
                    scope.shield = True
                    await host.close()
    if failure is not None:
        raise failure
