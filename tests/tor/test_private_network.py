"""Onion services on the private Tor network: a TCP echo reached through SOCKS, then two
libp2p hosts, one behind an onion service, the other dialling it through SOCKS."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import pytest
import trio
from libp2p.abc import INetStream
from libp2p.custom_types import TProtocol
from libp2p.network.exceptions import SwarmException
from libp2p.peer.peerinfo import PeerInfo
from libp2p.transport.exceptions import OpenConnectionError
from multiaddr import Multiaddr
from nacl.signing import SigningKey
from python_socks import ProxyError, ProxyTimeoutError, ProxyType
from python_socks.async_.trio import Proxy

from peerapp.network.host import build_host
from peerapp.network.tor.socks_transport import SocksTransport
from tests.tor.client_tor import ClientTor
from tests.tor.private_network import PrivateTorNetwork
from tests.tor.sockets import sockets_all_on_loopback

# a fresh onion service is reachable once its descriptor is on the HSDirs; the dialler
# retries until then, within this bound
REACH_BOUND_SECONDS = 60
ATTEMPT_SECONDS = 15
ECHO_BOUND_SECONDS = 20
# the session network (bounded at 150 s) and two client tors may start inside one test
# one private network per session: its tests share one xdist worker (--dist loadgroup)
pytestmark = [pytest.mark.timeout(360), pytest.mark.xdist_group("private_tor_network")]


async def receive_exactly(receive: Callable[[int], Awaitable[bytes]], count: int) -> bytes:
    """`count` bytes from a stream's receive (trio's receive_some, libp2p's read): an
    echo stream must not close before it gave them back."""
    received = b""
    while len(received) < count:
        chunk = await receive(count - len(received))
        assert chunk, "the echo stream closed early"
        received += chunk
    return received


def add_onion(client: ClientTor, virtual_port: int, target_port: int) -> str:
    """An ephemeral v3 onion service forwarding to 127.0.0.1:target_port; returns its
    address. Not waiting for the descriptor upload (the dialler retries instead)."""
    response = client.controller.create_ephemeral_hidden_service(
        {virtual_port: f"127.0.0.1:{target_port}"},
        key_type="NEW",
        key_content="ED25519-V3",
        # the test needs no key back: tor keeps it, and it is never in our memory or logs
        discard_key=True,
        await_publication=False,
    )
    return f"{response.service_id}.onion"


def isolated_proxy(client: ClientTor) -> Any:
    """A SOCKS5 proxy with credentials of its own: tor gives each its own circuits."""
    return Proxy(
        ProxyType.SOCKS5,
        "127.0.0.1",
        client.socks_port,
        username=f"hearth-test-{secrets.token_hex(4)}",
        password=secrets.token_hex(8),
        rdns=True,
    )


async def retry_until_reachable(attempt: Callable[[], Awaitable[None]]) -> int:
    """Run attempt() until it succeeds; returns the number of attempts."""
    attempts = 0
    with trio.fail_after(REACH_BOUND_SECONDS):
        while True:
            attempts += 1
            try:
                with trio.fail_after(ATTEMPT_SECONDS):
                    await attempt()
                return attempts
            except (ProxyError, ProxyTimeoutError, trio.TooSlowError, OSError) as error:
                print(f"attempt {attempts}: {type(error).__name__}: {error}")
                # the onion service is not reachable yet: its descriptor is on its way
                await trio.sleep(0.5)


async def echo_server(stream: trio.SocketStream) -> None:
    async with stream:
        async for data in stream:
            await stream.send_all(data)


def test_socks_echo_through_an_onion_service(
    client_tor: Callable[[str], ClientTor],
) -> None:
    service, user = client_tor("service"), client_tor("user")

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            serve = partial(trio.serve_tcp, echo_server, 0, host="127.0.0.1")
            listeners = await nursery.start(serve)
            target = listeners[0].socket.getsockname()[1]
            added = time.monotonic()
            onion = add_onion(service, 7000, target)
            proxy = isolated_proxy(user)
            figures: dict[str, float] = {}

            async def echo_once() -> None:
                sock = await proxy.connect(onion, 7000, timeout=ATTEMPT_SECONDS)
                stream = trio.SocketStream(sock)
                async with stream:
                    figures.setdefault("connected", time.monotonic() - added)
                    sent = time.monotonic()
                    await stream.send_all(b"hello over tor")
                    received = await receive_exactly(stream.receive_some, len(b"hello over tor"))
                    figures["round trip"] = time.monotonic() - sent
                    assert received == b"hello over tor"

            attempts = await retry_until_reachable(echo_once)
            print(
                f"ADD_ONION to first echo: {time.monotonic() - added:.2f} s "
                f"({attempts} attempt(s), connected after {figures['connected']:.2f} s); "
                f"echo round trip {figures['round trip'] * 1000:.0f} ms"
            )
            # a second stream on the now-known service
            began = time.monotonic()
            with trio.fail_after(ECHO_BOUND_SECONDS):
                await echo_once()
            print(f"second connection and echo: {time.monotonic() - began:.2f} s")
            nursery.cancel_scope.cancel()

    trio.run(main)


ECHO_PROTOCOL = TProtocol("/hearth-test/echo/1")
ABSENT_BOUND_SECONDS = 60


def absent_onion() -> str:
    """A v3 onion name with no service behind it (tor refuses at once a key that is not
    a valid ed25519 point, so a real key's)."""
    public_key = bytes(SigningKey.generate().verify_key)
    checksum = hashlib.sha3_256(b".onion checksum" + public_key + b"\x03").digest()[:2]
    return base64.b32encode(public_key + checksum + b"\x03").decode().lower()


async def echo_handler(stream: INetStream) -> None:
    try:
        while data := await stream.read(1024):
            await stream.write(data)
    finally:
        await stream.close()


def test_libp2p_hosts_over_an_onion_service(
    private_tor_network: PrivateTorNetwork, client_tor: Callable[[str], ClientTor]
) -> None:
    """Host A listens on 127.0.0.1 behind an onion service; host B dials its /onion3
    address through its own tor's SOCKS port; Noise, Yamux and a stream echo follow.
    Meanwhile no tor and not this process holds a TCP socket off loopback."""
    service, user = client_tor("service"), client_tor("user")
    host_a = build_host(secrets.token_bytes(32))
    host_b = build_host(secrets.token_bytes(32))
    transports = host_b.get_network().transport_manager
    transports.add_transport(SocksTransport("127.0.0.1", user.socks_port))

    async def main() -> None:
        loopback = [Multiaddr("/ip4/127.0.0.1/tcp/0")]
        async with host_a.run(loopback), host_b.run(loopback):
            host_a.set_stream_handler(ECHO_PROTOCOL, echo_handler)
            port = int(host_a.get_transport_addrs()[0].value_for_protocol("tcp"))
            added = time.monotonic()
            onion = add_onion(service, 4001, port)
            address = Multiaddr(f"/onion3/{onion.removesuffix('.onion')}:4001")
            peer = PeerInfo(host_a.get_id(), [address])

            async def connect() -> None:
                try:
                    await host_b.connect(peer)
                except SwarmException as error:
                    # the swarm wraps the transport's error; retried like a SOCKS error
                    raise OSError(str(error)) from None

            attempts = await retry_until_reachable(connect)
            connected = time.monotonic() - added
            with trio.fail_after(ECHO_BOUND_SECONDS):
                stream = await host_b.new_stream(host_a.get_id(), [ECHO_PROTOCOL])
                sent = time.monotonic()
                await stream.write(b"hello libp2p over tor")
                received = await receive_exactly(stream.read, len(b"hello libp2p over tor"))
                round_trip = time.monotonic() - sent
                await stream.close()
            assert received == b"hello libp2p over tor"
            # B is connected to A's peer id: Noise authenticated it through the onion
            assert host_a.get_id() in host_b.get_connected_peers()
            # an onion nobody serves: tor's failure comes back as a clear dial error
            began = time.monotonic()
            absent = Multiaddr(f"/onion3/{absent_onion()}:4001")
            with trio.fail_after(ABSENT_BOUND_SECONDS), pytest.raises(OpenConnectionError) as no:
                await SocksTransport("127.0.0.1", user.socks_port).dial(absent)
            assert "could not reach" in str(no.value)
            print(f"absent onion refused after {time.monotonic() - began:.2f} s: {no.value}")
            checked = sockets_all_on_loopback(
                [*private_tor_network.pids(), service.pid, user.pid, os.getpid()]
            )
            print(f"{checked} TCP sockets of 8 processes, all on loopback")
            print(
                f"libp2p: ADD_ONION to connected (Noise + Yamux) {connected:.2f} s "
                f"({attempts} attempt(s)), to first echo {time.monotonic() - added:.2f} s; "
                f"stream round trip {round_trip * 1000:.0f} ms"
            )

    trio.run(main)
