"""Strangers by the hundred: raw TCP connections to a node, each with a fresh ed25519 key,
secured with Noise and multiplexed with Yamux exactly as a libp2p peer would, then held
open doing nothing. Cheaper than a libp2p host each, and just as real to the node.

Used by the stranger tests and bench/strangers.py. Every loop is bounded in count, every
connection attempt in time.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import multiaddr
import trio
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.x25519 import create_new_key_pair as new_x25519_key_pair
from libp2p.custom_types import TProtocol
from libp2p.io.trio import TrioTCPStream
from libp2p.network.connection.raw_connection import RawConnection
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux
from libp2p.transport.upgrader import TransportUpgrader

CONNECT_SECONDS = 5.0


@dataclass
class Flood:
    """What a flood did so far; `held` are the connections still open on our side."""

    opened: int = 0
    failed: int = 0
    held: list[Any] = field(default_factory=list)
    seconds: float = 0.0
    # told after each attempt (from the flood's trio thread)
    attempted: Callable[[], None] = lambda: None

    def alive(self) -> int:
        return sum(1 for conn in self.held if not conn.is_closed)


async def _one(host: str, port: int, target: ID, nursery: trio.Nursery) -> Any:
    key_pair = create_new_key_pair()
    noise = NoiseTransport(key_pair, noise_privkey=new_x25519_key_pair().private_key)
    upgrader = TransportUpgrader({NOISE_PROTOCOL_ID: noise}, {TProtocol(YAMUX_PROTOCOL_ID): Yamux})
    socket = await trio.open_tcp_stream(host, port)
    raw = RawConnection(TrioTCPStream(socket), True)
    try:
        secured = await upgrader.upgrade_security(raw, True, target)
        muxed = await upgrader.upgrade_connection(secured, target)
    except BaseException:
        with contextlib.suppress(Exception):
            await raw.close()
        raise
    nursery.start_soon(_run, muxed)
    return muxed


async def _run(muxed: Any) -> None:
    """The muxer's read loop (it answers the node's Yamux pings and window updates); it
    ends, one way or another, when the node closes the connection."""
    with contextlib.suppress(Exception):
        await muxed.start()


async def flood(
    address: str, count: int, flood_state: Flood, nursery: trio.Nursery, parallel: int = 8
) -> None:
    """Open `count` stranger connections to the node at `address` (a /p2p/ multiaddr),
    `parallel` at a time, and keep them in flood_state.held; the muxers run in `nursery`
    (cancel it to drop them all)."""
    info = info_from_p2p_addr(multiaddr.Multiaddr(address))
    host = info.addrs[0].value_for_protocol("ip4")
    port = int(info.addrs[0].value_for_protocol("tcp"))
    started = time.monotonic()
    limiter = trio.CapacityLimiter(parallel)

    async def attempt() -> None:
        async with limiter:
            try:
                with trio.fail_after(CONNECT_SECONDS):
                    flood_state.held.append(await _one(host, port, info.peer_id, nursery))
                flood_state.opened += 1
            except Exception:  # refused, reset or timed out: that is the node defending
                flood_state.failed += 1
            flood_state.attempted()

    async with trio.open_nursery() as attempts:
        for _ in range(count):
            attempts.start_soon(attempt)
    flood_state.seconds = time.monotonic() - started


class FloodThread:
    """A flood run from its own thread and trio loop, for tests and benches that drive
    nodes synchronously meanwhile. The connections stay open until stop()."""

    def __init__(self, address: str, count: int, bound_seconds: float = 120.0) -> None:
        self._changed = threading.Condition()
        self.state = Flood(attempted=self._notify)
        self._address = address
        self._count = count
        self._bound = bound_seconds
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> FloodThread:
        self._thread.start()
        return self

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def wait_attempted(self, at_least: int, timeout: float) -> None:
        """Until `at_least` connections were attempted (opened or refused), bounded."""
        state = self.state
        with self._changed:
            if not self._changed.wait_for(lambda: state.opened + state.failed >= at_least, timeout):
                raise AssertionError(f"flood: {state.opened} opened, {state.failed} failed")

    def stop(self) -> Flood:
        self._stop.set()
        self._thread.join(self._bound)
        if self._error is not None:
            raise self._error
        return self.state

    def _run(self) -> None:
        async def main() -> None:
            with trio.move_on_after(self._bound):
                async with trio.open_nursery() as held:
                    await flood(self._address, self._count, self.state, held)
                    await trio.to_thread.run_sync(self._stop.wait, self._bound)
                    held.cancel_scope.cancel()

        try:
            trio.run(main)
        except BaseException as error:  # reported to the caller of stop()
            self._error = error
