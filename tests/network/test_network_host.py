"""Real libp2p hosts on 127.0.0.1: addresses, stable identity, connecting, and refusing
every security or muxer protocol other than Noise + Yamux."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import multiaddr
import nacl.bindings
import pytest
import trio
from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.x25519 import create_new_key_pair as new_x25519_key_pair
from libp2p.network.exceptions import SwarmException
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.insecure.transport import PLAINTEXT_PROTOCOL_ID, InsecureTransport
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.security.secio import transport as secio
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux

from peerapp.network.addresses import AddressError
from peerapp.network.host import NetworkNode, running_node

LOOPBACK = "/ip4/127.0.0.1/tcp/0"
BOUND_SECONDS = 15
SEED_A = bytes([1]) * 32
SEED_B = bytes([2]) * 32
# The peer id of SEED_A, pinned: a profile's peer id must survive library upgrades, since
# invites and other members refer to it. Checked independently in
# test_the_peer_id_is_the_ed25519_public_key_of_the_seed.
PEER_ID_OF_SEED_A = "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5"


def run(test: Callable[[], Awaitable[None]]) -> None:
    """Run one trio test with an overall bound."""

    async def bounded() -> None:
        with trio.fail_after(BOUND_SECONDS * 2):
            await test()

    trio.run(bounded)


class Watcher:
    """Records on_connected / on_disconnected and lets a test wait for a condition."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []
        self._changed = trio.Event()

    def connected(self, peer_id: str) -> None:
        self._record("connected", peer_id)

    def disconnected(self, peer_id: str) -> None:
        self._record("disconnected", peer_id)

    def _record(self, what: str, peer_id: str) -> None:
        self.log.append((what, peer_id))
        self._changed.set()
        self._changed = trio.Event()

    async def wait_for(self, what: str, peer_id: str) -> None:
        with trio.fail_after(BOUND_SECONDS):
            while (what, peer_id) not in self.log:
                await self._changed.wait()


def node(seed: bytes, watcher: Watcher, listen: str = LOOPBACK) -> Any:
    return running_node(
        seed, [multiaddr.Multiaddr(listen)], watcher.connected, watcher.disconnected
    )


def _loopback_addr(target: NetworkNode) -> str:
    addrs = [a for a in target.dialable_addrs() if a.startswith("/ip4/127.0.0.1/")]
    assert addrs
    return addrs[0]


# -- addresses and identity ----------------------------------------------------------------


def test_loopback_node_has_dialable_addresses() -> None:
    async def scenario() -> None:
        async with node(SEED_A, Watcher()) as ours:
            addrs = ours.dialable_addrs()
            assert addrs
            for address in addrs:
                assert address.startswith("/ip4/127.0.0.1/tcp/")
                assert address.endswith(f"/p2p/{ours.peer_id}")
                ip = multiaddr.Multiaddr(address).value_for_protocol("ip4")
                assert not ipaddress.ip_address(ip).is_unspecified
                assert multiaddr.Multiaddr(address).value_for_protocol("tcp") != "0"
            assert ours.connected_peers() == []
            # really listening there: a plain TCP connection is accepted
            port = int(multiaddr.Multiaddr(addrs[0]).value_for_protocol("tcp"))
            stream = await trio.open_tcp_stream("127.0.0.1", port)
            await stream.aclose()

    run(scenario)


def test_a_wildcard_listen_address_expands_to_concrete_ones() -> None:
    async def scenario() -> None:
        async with node(SEED_A, Watcher(), listen="/ip4/0.0.0.0/tcp/0") as ours:
            addrs = ours.dialable_addrs()
            assert addrs[0].startswith("/ip4/127.0.0.1/tcp/")  # loopback first
            ports = {multiaddr.Multiaddr(a).value_for_protocol("tcp") for a in addrs}
            assert len(ports) == 1 and ports != {"0"}
            for address in addrs:
                ip = multiaddr.Multiaddr(address).value_for_protocol("ip4")
                assert not ipaddress.ip_address(ip).is_unspecified
                assert address.endswith(f"/p2p/{ours.peer_id}")
            assert len(addrs) == len(set(addrs))

    run(scenario)


def test_the_peer_id_is_stable_across_runs() -> None:
    seen: list[str] = []

    async def scenario() -> None:
        for seed in (SEED_A, SEED_A, SEED_B):
            async with node(seed, Watcher()) as ours:
                seen.append(ours.peer_id)

    run(scenario)
    assert seen[0] == seen[1] == PEER_ID_OF_SEED_A
    assert seen[2] != seen[0]


def _base58_decode(text: str) -> bytes:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for character in text:
        number = number * 58 + alphabet.index(character)
    leading_zeros = len(text) - len(text.lstrip("1"))  # each leading '1' is a zero byte
    return bytes(leading_zeros) + number.to_bytes((number.bit_length() + 7) // 8, "big")


def test_the_peer_id_is_the_ed25519_public_key_of_the_seed() -> None:
    # identity multihash (0x00, length 36) of the protobuf PublicKey {Type: Ed25519, Data}
    decoded = _base58_decode(PEER_ID_OF_SEED_A)
    public, _ = nacl.bindings.crypto_sign_seed_keypair(SEED_A)
    assert decoded == bytes([0x00, 36, 0x08, 0x01, 0x12, 32]) + public


# -- two nodes ------------------------------------------------------------------------


def test_two_nodes_connect_and_notice_a_departure() -> None:
    async def scenario() -> None:
        watcher_a, watcher_b = Watcher(), Watcher()
        async with node(SEED_A, watcher_a) as a:
            async with node(SEED_B, watcher_b) as b:
                assert await b.connect(_loopback_addr(a)) == a.peer_id
                await watcher_a.wait_for("connected", b.peer_id)
                await watcher_b.wait_for("connected", a.peer_id)
                assert a.connected_peers() == [b.peer_id]
                assert b.connected_peers() == [a.peer_id]
                peer_b = b.peer_id
            # b has stopped
            await watcher_a.wait_for("disconnected", peer_b)
            assert a.connected_peers() == []
            assert watcher_a.log == [("connected", peer_b), ("disconnected", peer_b)]

    run(scenario)


def test_connecting_to_a_wrong_peer_id_fails() -> None:
    async def scenario() -> None:
        watcher_a = Watcher()
        async with node(SEED_A, watcher_a) as a, node(SEED_B, Watcher()) as b:
            impostor = _loopback_addr(a).replace(a.peer_id, b.peer_id)
            with pytest.raises(SwarmException):
                await b.connect(impostor)
            assert b.connected_peers() == []

    run(scenario)


# -- only Noise + Yamux -------------------------------------------------------------------

RAW_SEED = bytes([7]) * 32


def raw_host(offer: str) -> Any:
    """A plain py-libp2p host offering exactly one security and one muxer protocol."""
    key_pair = create_new_key_pair(RAW_SEED)
    noise_key = new_x25519_key_pair().private_key
    noise: dict[Any, Any] = {NOISE_PROTOCOL_ID: NoiseTransport(key_pair, noise_privkey=noise_key)}
    securities: dict[str, dict[Any, Any]] = {
        "plaintext": {PLAINTEXT_PROTOCOL_ID: InsecureTransport(key_pair)},
        "secio": {secio.ID: secio.Transport(key_pair)},
        "noise+mplex": noise,
        "noise+yamux": noise,
    }
    security = securities[offer]
    muxer: dict[Any, Any] = (
        {MPLEX_PROTOCOL_ID: Mplex} if offer == "noise+mplex" else {YAMUX_PROTOCOL_ID: Yamux}
    )
    return new_host(key_pair=key_pair, sec_opt=security, muxer_opt=muxer)


@pytest.mark.parametrize("offer", ["plaintext", "secio", "noise+mplex", "noise+yamux"])
def test_only_noise_and_yamux_are_accepted_inbound(offer: str) -> None:
    """noise+yamux is the control: the same raw host does connect when it offers ours."""

    async def scenario() -> None:
        watcher = Watcher()
        async with node(SEED_A, watcher) as ours:
            other = raw_host(offer)
            async with other.run([multiaddr.Multiaddr(LOOPBACK)]):
                info = info_from_p2p_addr(multiaddr.Multiaddr(_loopback_addr(ours)))
                other_id = other.get_id().to_base58()
                if offer == "noise+yamux":
                    await other.connect(info)
                    await watcher.wait_for("connected", other_id)
                    assert ours.connected_peers() == [other_id]
                else:
                    with pytest.raises(SwarmException):
                        await other.connect(info)
                    assert ours.connected_peers() == []
                    assert other.get_connected_peers() == []
                    assert watcher.log == []
                await other.close()

    run(scenario)


@pytest.mark.parametrize("offer", ["plaintext", "secio", "noise+mplex", "noise+yamux"])
def test_only_noise_and_yamux_are_offered_outbound(offer: str) -> None:
    async def scenario() -> None:
        watcher = Watcher()
        async with node(SEED_A, watcher) as ours:
            other = raw_host(offer)
            async with other.run([multiaddr.Multiaddr(LOOPBACK)]):
                other_id = other.get_id().to_base58()
                port = next(
                    a.value_for_protocol("tcp")
                    for a in other.get_transport_addrs()
                    if a.value_for_protocol("ip4") == "127.0.0.1"
                )
                address = f"/ip4/127.0.0.1/tcp/{port}/p2p/{other_id}"
                if offer == "noise+yamux":
                    assert await ours.connect(address) == other_id
                    assert ours.connected_peers() == [other_id]
                else:
                    with pytest.raises(SwarmException):
                        await ours.connect(address)
                    assert ours.connected_peers() == []
                    assert watcher.log == []
                await other.close()

    run(scenario)


# -- listen failures --------------------------------------------------------------------


def test_a_listen_address_in_use_raises_address_error() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]

        async def scenario() -> None:
            with pytest.raises(AddressError) as raised:
                async with node(SEED_A, Watcher(), listen=f"/ip4/127.0.0.1/tcp/{port}"):
                    pytest.fail("the node must not start")
            assert f"/ip4/127.0.0.1/tcp/{port}" in raised.value.message

        run(scenario)


def test_a_listen_address_not_on_this_machine_raises_address_error() -> None:
    async def scenario() -> None:
        # 203.0.113.0/24 is TEST-NET-3: never assigned to a real interface
        with pytest.raises(AddressError):
            async with node(SEED_A, Watcher(), listen="/ip4/203.0.113.7/tcp/0"):
                pytest.fail("the node must not start")

    run(scenario)
