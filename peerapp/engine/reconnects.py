"""Keeping a circle's members connected: open a membership's host when it is not, dial
the members not connected (all at once), again on a timer in Tor mode and in a short
series after Tor became ready.

    | when                                   | what                                     |
    |----------------------------------------|------------------------------------------|
    | start-up, a member admitted, a join    | reconnect(runtime)                       |
    | reconnect_all (settings, redial loop)  | reconnect every circle we are in         |
    | Tor ready (reconnect_soon)             | now, then after each reconnect_backoff   |
    | Tor mode, every redial_interval        | reconnect_all                            |

The intervals are the run's (engine/context.py Timings).

A host that cannot open now (tor without a SOCKS port yet, its onion address held by
another program) is counted, never an error that stops the engine."""

from __future__ import annotations

import logging
from collections.abc import Callable

import trio

from peerapp.core.errors import HearthError
from peerapp.core.network_mode import NetworkMode
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.reach import Reach
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.topics import CircleTopics
from peerapp.network.host import NetworkNode

log = logging.getLogger(__name__)

RECONNECT_TIMEOUT_SECONDS = 5
# Tor mode: members not connected are dialled again every Timings.redial_interval (an
# onion service is reachable only once tor published it, and two members starting
# together each find the other's not yet there); direct mode waits for members to dial
# in as before
# a first connection to an onion service often takes more than 5 s on the real network
ONION_RECONNECT_TIMEOUT_SECONDS = 30


class Reconnects:
    def __init__(
        self,
        *,
        runtimes: CircleRuntimes,
        topics: CircleTopics,
        reach: Callable[[], Reach | None],
        mode_of: Callable[[bytes], NetworkMode],
        context: EngineContext,
        count: Callable[[str], None],
    ) -> None:
        """`reach()`: the running network, None before it runs. `mode_of(circle)`: the
        membership's network mode (a circle of the other mode sleeps in this run)."""
        self._runtimes = runtimes
        self._topics = topics
        self._reach = reach
        self._mode_of = mode_of
        self._spawn = context.spawn
        self._timings = context.timings
        self._count = count
        self._dialling: set[str] = set()  # members' peer ids being dialled now
        self._series = trio.CancelScope()

    def reconnect_all(self) -> None:
        """Dial every member not connected, in every circle."""
        for runtime in self._runtimes.active():
            self._spawn(self.reconnect, runtime)

    def reconnect_soon(self) -> None:
        """Tor became ready (first bootstrap, back from stale, restarted): dial every
        member not connected now and again after 1, 2, 4, 8 and 16 s, since an onion
        service restarted with us is reachable only once its descriptor is out again;
        then the redial loop's pace. A later call replaces a series under way."""
        self._series.cancel()
        self._series = trio.CancelScope()
        self._spawn(self._rounds, self._series)

    async def _rounds(self, series: trio.CancelScope) -> None:
        with series:
            for pause in (0, *self._timings.reconnect_backoff):
                await trio.sleep(pause)
                self.reconnect_all()

    async def redial_periodically(self) -> None:
        while True:
            await trio.sleep(self._timings.redial_interval)
            self.reconnect_all()

    async def open_host(self, runtime: CircleRuntime) -> NetworkNode | None:
        """The membership's host, opened if it is not; None when the circle belongs to
        the other mode or its host cannot open now: counted, and the redial loop tries
        again. One circle's host is not all."""
        circle = runtime.circle_id
        reach = self._reach()
        if reach is None or self._mode_of(circle) is not reach.mode:
            return None
        node = reach.node_for(circle)
        if node is not None:
            return node
        try:
            node = await reach.open(circle)
        except (HearthError, OSError) as error:
            self._count("host_unavailable")
            log.warning("a circle's host could not open: %s", type(error).__name__)
            return None
        await self._topics.sync(runtime)
        return node

    async def reconnect(self, runtime: CircleRuntime) -> None:
        """Dial the circle's members not connected, all at once (over Tor a dial may take
        tens of seconds; one member's must not hold up the next)."""
        node = await self.open_host(runtime)
        if node is None or not runtime.state.is_member(runtime.me):
            return
        connected = set(node.connected_peers())
        async with trio.open_nursery() as dials:
            for member in list(runtime.state.members.values()):
                if member.key == runtime.me or member.peer in connected:
                    continue
                if member.peer == node.peer_id or member.peer in self._dialling:
                    continue
                dials.start_soon(self._dial_member, node, member.peer, member.addrs)

    async def _dial_member(self, node: NetworkNode, peer: str, addrs: tuple[str, ...]) -> None:
        reach = self._reach()
        tor = reach is not None and reach.mode is NetworkMode.TOR
        timeout = ONION_RECONNECT_TIMEOUT_SECONDS if tor else RECONNECT_TIMEOUT_SECONDS
        self._dialling.add(peer)
        try:
            for address in addrs:
                with trio.move_on_after(timeout):
                    try:
                        await node.connect(address)
                        return
                    except Exception as error:  # any dial failure: try the next address
                        log.debug("dial failed: %s", type(error).__name__)
        finally:
            self._dialling.discard(peer)
