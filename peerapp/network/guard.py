"""Applies the stranger budget (admission.py) to the host's live connections.

Fed by the swarm's connection notifications; closes what the budget says to close, in
the background (closing inside a notification would run inside the library's own
connection set-up), and counts each closure under its reason.
"""

from __future__ import annotations

import logging
import time

import trio
from libp2p.abc import INetConn
from libp2p.rcmgr import Direction

from peerapp.network.admission import SWEEP_SECONDS, Limits, StrangerBudget
from peerapp.network.counters import Counters
from peerapp.network.gate import Gate
from peerapp.network.pubsub import PUBSUB_PROTOCOLS

log = logging.getLogger(__name__)


def _remote_ip(conn: INetConn) -> str:
    try:
        remote = conn.muxed_conn.get_remote_address()  # type: ignore[attr-defined]
    except Exception:  # transports differ in what they can tell
        remote = None
    return str(remote[0]) if remote else "unknown"


class ConnectionGuard:
    """Members unlimited; inbound strangers within the budget, and only for a while."""

    def __init__(self, gate: Gate, counters: Counters, limits: Limits | None = None) -> None:
        self._gate = gate
        self._counters = counters
        self._budget: StrangerBudget[INetConn] = StrangerBudget(limits)
        self._nursery: trio.Nursery | None = None

    def is_member(self, peer_id: str) -> bool:
        """A member is a peer the gate lets speak GossipSub (with no gate: everyone)."""
        return self._gate.allows_all(peer_id, PUBSUB_PROTOCOLS)

    def strangers(self) -> int:
        return len(self._budget)

    def connected(self, conn: INetConn) -> None:
        peer_id = conn.muxed_conn.peer_id.to_base58()
        if getattr(conn, "direction", None) != Direction.INBOUND or self.is_member(peer_id):
            return
        self._counters.add("strangers_admitted")
        self._close(self._budget.opened(conn, peer_id, _remote_ip(conn), time.monotonic()))

    def disconnected(self, conn: INetConn) -> None:
        self._budget.closed(conn)

    def asking(self, peer_id: str) -> None:
        """The peer opened a stream the gate let through: a stranger asking to join goes
        after the silent ones when a budget is full (a member is not tracked: no-op)."""
        self._budget.asking(peer_id)

    def vouch(self, peer_id: str) -> None:
        """The peer proved an invite's seed: its connections may stay while it joins."""
        self._budget.vouch(peer_id, time.monotonic())

    def distrust(self, peer_id: str) -> None:
        """The peer failed an invite proof: its stranger connections close now."""
        self._close(self._budget.distrust(peer_id))

    async def run(self) -> None:
        """Sweep idle strangers out, for as long as the host runs."""
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            while True:
                await trio.sleep(SWEEP_SECONDS)
                self._close(self._budget.sweep(time.monotonic(), self.is_member))

    def _close(self, closing: list[tuple[INetConn, str]]) -> None:
        for conn, reason in closing:
            self._counters.add(reason)
            if self._nursery is not None:
                self._nursery.start_soon(self._close_one, conn)

    async def _close_one(self, conn: INetConn) -> None:
        try:
            await conn.close()
        except Exception as error:  # an already broken connection may fail to close
            log.debug("closing a stranger's connection: %s", type(error).__name__)
