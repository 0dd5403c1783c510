"""Where each circle membership is reached on the network (issue 12).

Rules:
- Direct mode (`SharedHost`): one libp2p host for the profile, every membership reached
  there. Members see the device's IP address, which links a person's circles more surely
  than a peer id could, so one host gives nothing away that the mode does not already.
- Tor mode (`MembershipHosts`): one host per membership, each with its own peer seed and
  onion service (storage/network_identity_store.py), listening only on 127.0.0.1, dialling
  only /onion3 through tor with its own SOCKS isolation: nothing on the network links two
  of a person's circles. A membership's host opens when the membership is loaded or made,
  or when a join to the circle starts (the join request names its peer id and onion
  address); it closes when the circle is forgotten or the join given up, and its identity
  is erased then.
- The onion service's key is made here before the host listens, so the host announces
  its address from the start, and kept before it is used (the address members store must
  survive restarts). ADD_ONION does not wait for the descriptor upload: the host is usable
  at once and reachable as soon as tor has published it.
- Every host gets the same handlers, gate and validator (`configure`); what a stream may
  ask is scoped by the service to the memberships reached at the peer id it arrived at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import multiaddr
import trio

from peerapp.core.network_mode import NetworkMode
from peerapp.network.admission import MAX_STRANGERS, Limits
from peerapp.network.host import NetworkNode, PeerCallback, running_node
from peerapp.network.onion_mode import LOOPBACK_LISTEN, OnionReach
from peerapp.network.pubsub import MessageCallback
from peerapp.network.tor.config import HostPort
from peerapp.storage.network_identity_store import NetworkIdentityStore

if TYPE_CHECKING:
    # onion services (stem under them) are loaded by Tor mode's hosts only: a direct run
    # loads no Tor module (tests/e2e/test_node_imports.py)
    from peerapp.network.tor.onion import OnionKey, OnionService

log = logging.getLogger(__name__)

# the port members dial at every onion address (tor maps it to the host's loopback port)
ONION_VIRTUAL_PORT = 4001
# Every inbound connection of an onion host comes from tor, on 127.0.0.1: a budget per
# remote IP would only be a smaller total. Per peer id and in total, as in direct mode.
# (What stays open over Tor: a stranger flooding one onion can crowd out a joiner that
# has not yet proved its invite; tor's own onion-service DoS defences are the layer for
# that, not this budget.)
ONION_STRANGER_LIMITS = Limits(per_ip=MAX_STRANGERS)


class OnionPublisher(Protocol):
    """What the hosts need from tor (network/tor/runtime.py's TorRuntime)."""

    def socks(self) -> HostPort: ...

    async def publish(self, key: OnionKey, virtual_port: int, target_port: int) -> OnionService: ...

    async def unpublish(self, address: str) -> None: ...


@dataclass(frozen=True)
class HostCallbacks:
    """What every host reports to, and how the service equips a new one."""

    on_connected: PeerCallback
    on_disconnected: PeerCallback
    on_message: MessageCallback
    configure: Callable[[NetworkNode], None] = field(default=lambda node: None)


class Reach(Protocol):
    mode: NetworkMode

    def node_for(self, circle: bytes) -> NetworkNode | None:
        """The host a membership (or a join under way) is reached at, if open."""
        ...

    def nodes(self) -> list[NetworkNode]: ...

    async def open(self, circle: bytes) -> NetworkNode:
        """The membership's host, opened if it is not (idempotent)."""
        ...

    async def close(self, circle: bytes, *, forget: bool) -> None:
        """Close the membership's host; `forget` also erases its network identity."""
        ...

    def rename(self, provisional: bytes, circle: bytes) -> None:
        """A circle founded at a host opened under a provisional id now has its id."""
        ...


class SharedHost:
    """Direct mode: the profile's one host for every membership."""

    mode = NetworkMode.DIRECT

    def __init__(self, node: NetworkNode) -> None:
        self._node = node

    def node_for(self, circle: bytes) -> NetworkNode | None:
        return self._node

    def nodes(self) -> list[NetworkNode]:
        return [self._node]

    async def open(self, circle: bytes) -> NetworkNode:
        return self._node

    async def close(self, circle: bytes, *, forget: bool) -> None:
        return None

    def rename(self, provisional: bytes, circle: bytes) -> None:
        return None


@dataclass
class _Host:
    circle: bytes  # the key it is kept under (renamed once a founded circle has its id)
    node: NetworkNode
    address: str
    stop: trio.CancelScope


class MembershipHosts:
    """Tor mode: one host and one onion service per membership (module docstring)."""

    mode = NetworkMode.TOR

    def __init__(
        self,
        nursery: trio.Nursery,
        tor: OnionPublisher,
        identities: NetworkIdentityStore,
        callbacks: HostCallbacks,
        stranger_limits: Limits = ONION_STRANGER_LIMITS,
    ) -> None:
        self._nursery = nursery
        self._tor = tor
        self._identities = identities
        self._callbacks = callbacks
        self._stranger_limits = stranger_limits
        self._hosts: dict[bytes, _Host] = {}
        self._opening: dict[bytes, trio.Lock] = {}

    def node_for(self, circle: bytes) -> NetworkNode | None:
        host = self._hosts.get(circle)
        return None if host is None else host.node

    def nodes(self) -> list[NetworkNode]:
        return [host.node for host in self._hosts.values()]

    def onion_address(self, circle: bytes) -> str | None:
        host = self._hosts.get(circle)
        return None if host is None else host.address

    async def open(self, circle: bytes) -> NetworkNode:
        lock = self._opening.setdefault(circle, trio.Lock())
        async with lock:
            found = self._hosts.get(circle)
            if found is not None:
                return found.node
            peer_seed, key = self._kept_identity(circle)
            node: NetworkNode = await self._nursery.start(self._run_host, circle, peer_seed, key)
            try:
                await self._tor.publish(key, ONION_VIRTUAL_PORT, node.listen_port())
            except BaseException:
                await self._stop(circle)
                raise
            return node

    def _kept_identity(self, circle: bytes) -> tuple[bytes, OnionKey]:
        """The membership's peer seed and kept onion key (a new key is kept before its
        first use)."""
        from peerapp.network.tor.onion import OnionKey  # noqa: PLC0415 (Tor mode only)
        from peerapp.network.tor.onion_keys import new_onion_key  # noqa: PLC0415

        identity = self._identities.identity(circle)
        if identity.onion_address is None or identity.onion_key is None:
            made = new_onion_key()
            identity = self._identities.keep_onion(circle, made.address, made.blob)
        if identity.onion_address is None or identity.onion_key is None:
            raise RuntimeError("an onion key was kept but cannot be read back")
        return identity.peer_seed, OnionKey(address=identity.onion_address, blob=identity.onion_key)

    async def _run_host(
        self, circle: bytes, peer_seed: bytes, key: OnionKey, task_status: Any
    ) -> None:
        socks = self._tor.socks()
        reach = OnionReach(
            socks_host=socks.host,
            socks_port=socks.port,
            # tor keeps circuits of different SOCKS credentials apart: one per membership
            isolation=f"hearth-{key.address[:16]}",
            onion_addrs=(f"/onion3/{key.address}:{ONION_VIRTUAL_PORT}",),
        )
        callbacks = self._callbacks
        stop = trio.CancelScope()
        host: _Host | None = None
        try:
            with stop:
                async with running_node(
                    peer_seed,
                    [multiaddr.Multiaddr(LOOPBACK_LISTEN)],
                    callbacks.on_connected,
                    callbacks.on_disconnected,
                    callbacks.on_message,
                    stranger_limits=self._stranger_limits,
                    tor=reach,
                ) as node:
                    host = _Host(circle, node, key.address, stop)
                    self._hosts[circle] = host
                    callbacks.configure(node)
                    task_status.started(node)
                    await trio.sleep_forever()
        finally:
            found = self._hosts.get(host.circle) if host is not None else None
            if found is not None and found is host:
                del self._hosts[host.circle]

    async def close(self, circle: bytes, *, forget: bool) -> None:
        await self._stop(circle)
        if forget:
            self._identities.forget(circle)

    def rename(self, provisional: bytes, circle: bytes) -> None:
        self._identities.rename(provisional, circle)
        host = self._hosts.pop(provisional, None)
        if host is not None:
            self._hosts[circle] = host
            host.circle = circle

    async def _stop(self, circle: bytes) -> None:
        host = self._hosts.pop(circle, None)
        if host is None:
            return
        try:
            await self._tor.unpublish(host.address)
        except Exception as error:  # tor gone: the service went with it
            log.debug("unpublish failed: %s", type(error).__name__)
        with trio.move_on_after(1):
            await host.node.close_connections()
        host.stop.cancel()

    async def close_connections(self) -> None:
        for host in list(self._hosts.values()):
            with trio.move_on_after(1):
                await host.node.close_connections()
