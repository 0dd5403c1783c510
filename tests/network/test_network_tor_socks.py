"""SocksTransport without tor: which addresses it takes, and the errors a dial gets from
a SOCKS port that is closed, refuses, or answers garbage (a loopback server each).
Dialling through a real tor is in tests/tor."""

from __future__ import annotations

import base64
import hashlib
import socket
from collections.abc import Awaitable, Callable
from functools import partial

import pytest
import trio
from libp2p.transport.exceptions import OpenConnectionError
from multiaddr import Multiaddr
from nacl.bindings import crypto_core_ed25519_is_valid_point
from nacl.signing import SigningKey

from peerapp.network.tor.socks_transport import (
    OnionAddressError,
    OnionTarget,
    SocksTransport,
    onion3_problem,
    onion_target,
    valid_onion3,
)
from tests.network.trio_helpers import run


def onion3_name(public_key: bytes, version: int = 3, checksum: bytes | None = None) -> str:
    if checksum is None:
        digest = hashlib.sha3_256(b".onion checksum" + public_key + bytes([version]))
        checksum = digest.digest()[:2]
    return base64.b32encode(public_key + checksum + bytes([version])).decode().lower()


# fixed keys: parametrised test ids hold the addresses, and pytest-xdist's workers must
# collect the very same ids


def real_key() -> bytes:
    return bytes(SigningKey(hashlib.sha256(b"onion3 test key").digest()).verify_key)


def not_a_point() -> bytes:
    """32 bytes that are no ed25519 point (most strings are not)."""
    for number in range(1000):
        candidate = hashlib.sha256(number.to_bytes(4, "big")).digest()
        if not crypto_core_ed25519_is_valid_point(candidate):
            return candidate
    raise AssertionError("1000 hashes were all ed25519 points")


NAME = onion3_name(real_key())
PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"


def test_a_well_formed_onion3_address_is_dialable() -> None:
    address = Multiaddr(
        f"/onion3/{NAME}:4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"
    )
    assert onion_target(address) == OnionTarget(f"{NAME}.onion", 4001)
    assert SocksTransport("127.0.0.1", 9050).can_dial(address)


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("/ip4/127.0.0.1/tcp/4001", "not an /onion3"),
        (f"/onion3/{NAME}:4001/tcp/1", "not an /onion3"),
        (f"/onion3/{onion3_name(real_key(), checksum=b'xx')}:4001", "bad checksum"),
        (f"/onion3/{onion3_name(real_key(), version=2)}:4001", "not version 3"),
        (f"/onion3/{'a' * 56}:4001", "not version 3"),
        (f"/onion3/{onion3_name(not_a_point())}:4001", "not a valid ed25519 key"),
    ],
)
def test_other_addresses_are_refused_with_a_reason(address: str, why: str) -> None:
    maddr = Multiaddr(address)
    with pytest.raises(OnionAddressError, match=why):
        onion_target(maddr)
    assert not SocksTransport("127.0.0.1", 9050).can_dial(maddr)


def test_onion3_names_that_do_not_decode_are_invalid() -> None:
    assert valid_onion3(NAME)
    assert onion3_problem("1" * 56) == "not base32"
    assert onion3_problem(NAME[:48]) == "wrong length"


def test_listening_is_refused_with_what_to_do_instead() -> None:
    async def handler(connection: object) -> None:
        pass

    with pytest.raises(OpenConnectionError, match="only dials"):
        SocksTransport("127.0.0.1", 9050).create_listener(handler)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_closed_socks_port_is_named_in_the_error() -> None:
    port = closed_port()
    transport = SocksTransport("127.0.0.1", port, dial_seconds=5)

    async def dial() -> None:
        with pytest.raises(OpenConnectionError, match=f"SOCKS port 127.0.0.1:{port}.*tor running"):
            await transport.dial(Multiaddr(f"/onion3/{NAME}:4001"))

    run(dial)


async def with_socks_server(
    answer: Callable[[trio.SocketStream], Awaitable[None]],
    test: Callable[[int], Awaitable[None]],
) -> None:
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(partial(trio.serve_tcp, answer, 0, host="127.0.0.1"))
        await test(listeners[0].socket.getsockname()[1])
        nursery.cancel_scope.cancel()


async def read_exactly(stream: trio.SocketStream, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = await stream.receive_some(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


async def refusing_socks(stream: trio.SocketStream) -> None:
    """RFC 1928/1929: accept username/password, then answer "host unreachable"."""
    async with stream:
        greeting = await read_exactly(stream, 2)
        await read_exactly(stream, greeting[1])
        await stream.send_all(b"\x05\x02")  # username/password
        header = await read_exactly(stream, 2)
        username = await read_exactly(stream, header[1])
        assert username.startswith(b"hearth-")
        await read_exactly(stream, (await read_exactly(stream, 1))[0])  # password
        await stream.send_all(b"\x01\x00")  # authenticated
        request = await read_exactly(stream, 5)  # VER CMD RSV ATYP=domain LEN
        assert request[3] == 3, "the onion name must reach the proxy unresolved"
        host = await read_exactly(stream, request[4])
        assert host == f"{NAME}.onion".encode()
        await read_exactly(stream, 2)  # port
        await stream.send_all(b"\x05\x04\x00\x01" + bytes(6))  # host unreachable


async def vanishing_socks(stream: trio.SocketStream) -> None:
    """Tor going away mid-dial: the greeting answered, then the connection closed."""
    async with stream:
        greeting = await read_exactly(stream, 2)
        await read_exactly(stream, greeting[1])
        await stream.send_all(b"\x05\x02")  # username/password, then nothing more


async def garbage_socks(stream: trio.SocketStream) -> None:
    async with stream:
        await stream.receive_some(64)
        await stream.send_all(b"HTTP/1.0 400 Bad Request\r\n\r\n")


@pytest.mark.parametrize(
    ("server", "message"),
    [
        (refusing_socks, "could not reach .*onion"),
        (vanishing_socks, "could not reach"),
        (garbage_socks, "could not reach"),
    ],
)
def test_a_socks_failure_is_an_open_connection_error(
    server: Callable[[trio.SocketStream], Awaitable[None]], message: str
) -> None:
    async def dial(port: int) -> None:
        transport = SocksTransport("127.0.0.1", port, dial_seconds=5)
        with pytest.raises(OpenConnectionError, match=message):
            await transport.dial(Multiaddr(f"/onion3/{NAME}:4001"))

    run(lambda: with_socks_server(server, dial))
