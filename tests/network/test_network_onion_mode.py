"""Tor mode without tor: what a node in Tor mode refuses to listen on and to dial, and
what it tells peers about itself. Real hosts on 127.0.0.1; the onion side is covered on
the private Tor network (tests/tor/test_onion_nodes.py)."""

from __future__ import annotations

import base64
import hashlib
import os

import multiaddr
import nacl.bindings
import pytest
from libp2p.network.exceptions import SwarmException
from libp2p.peer.id import ID

from peerapp.network.framed import StreamOpenFailed
from peerapp.network.host import running_node
from peerapp.network.onion_mode import LOOPBACK_LISTEN, OnionOnlyError, OnionReach
from peerapp.network.tor.onion import OnionKey
from peerapp.network.tor.onion_keys import new_onion_key, onion_key_from_seed
from peerapp.network.tor.socks_transport import onion3_problem
from tests.network.identify_probe import ask_identify
from tests.network.trio_helpers import run

# nothing is ever dialled through it in these tests: Tor mode refuses before any SOCKS
UNUSED_SOCKS_PORT = 9
KEY = onion_key_from_seed(bytes(range(32)))
ONION = f"/onion3/{KEY.address}:4001"


def reach(**changes: object) -> OnionReach:
    fields: dict[str, object] = {
        "socks_host": "127.0.0.1",
        "socks_port": UNUSED_SOCKS_PORT,
        "isolation": "hearth-test",
        "onion_addrs": (ONION,),
        **changes,
    }
    return OnionReach(**fields)  # type: ignore[arg-type]


def ignore(peer_id: str) -> None:
    pass


def listening(*addresses: str) -> list[multiaddr.Multiaddr]:
    return [multiaddr.Multiaddr(text) for text in addresses]


def test_an_onion_key_made_here_matches_its_address() -> None:
    for key in (KEY, new_onion_key()):
        assert onion3_problem(key.address) == ""
        expanded = base64.b64decode(key.blob)
        public_key = base64.b32decode(key.address.upper())[:32]
        # the scalar tor will sign with gives the address's public key
        assert nacl.bindings.crypto_scalarmult_ed25519_base_noclamp(expanded[:32]) == public_key
        assert isinstance(key, OnionKey)
    assert KEY.blob not in repr(KEY)
    # the same seed, the same address: a key kept from a seed gives the address back
    seed = hashlib.sha256(b"hearth").digest()
    assert onion_key_from_seed(seed) == onion_key_from_seed(seed) != KEY
    with pytest.raises(ValueError, match="32 bytes"):
        onion_key_from_seed(b"short")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"socks_host": "10.0.0.1"}, "loopback"),
        ({"socks_host": "localhost"}, "loopback"),
        ({"socks_port": 0}, "out of range"),
        ({"isolation": ""}, "isolation"),
        ({"onion_addrs": ()}, "onion address"),
        ({"onion_addrs": ("/ip4/127.0.0.1/tcp/4001",)}, "not an /onion3"),
        ({"onion_addrs": (f"/onion3/{'a' * 56}:4001",)}, "not a v3 onion"),
        ({"onion_addrs": ("not a multiaddr",)}, "not a multiaddr"),
    ],
)
def test_a_bad_onion_reach_is_refused_with_its_reason(
    changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(OnionOnlyError, match=reason):
        reach(**changes)


@pytest.mark.parametrize(
    "listen",
    [
        ["/ip4/0.0.0.0/tcp/0"],
        ["/ip6/::1/tcp/0"],
        ["/ip4/192.0.2.1/tcp/0"],
        [LOOPBACK_LISTEN, "/ip4/0.0.0.0/tcp/0"],
        [],
    ],
)
def test_tor_mode_listens_on_127_0_0_1_only(listen: list[str]) -> None:
    async def scenario() -> None:
        with pytest.raises(OnionOnlyError, match=r"127\.0\.0\.1"):
            async with running_node(
                os.urandom(32), listening(*listen), ignore, ignore, tor=reach()
            ):
                pass

    run(scenario)


def test_tor_mode_advertises_its_onion_only_and_never_dials_an_ip_address() -> None:
    async def scenario() -> None:
        async with (
            running_node(os.urandom(32), listening(LOOPBACK_LISTEN), ignore, ignore) as direct,
            running_node(
                os.urandom(32), listening(LOOPBACK_LISTEN), ignore, ignore, tor=reach()
            ) as onion,
        ):
            assert onion.dialable_addrs() == [f"{ONION}/p2p/{onion.peer_id}"]
            target = direct.dialable_addrs()[0]
            assert target.startswith("/ip4/127.0.0.1/")
            with pytest.raises(OnionOnlyError, match="dials only /onion3"):
                await onion.connect(target)
            with pytest.raises(StreamOpenFailed, match="dials only /onion3"):
                await onion.open_stream(direct.peer_id, "/hearth-test/x/1", [target])
            with pytest.raises(StreamOpenFailed, match="dials only /onion3"):
                await onion.open_stream(
                    direct.peer_id, "/hearth-test/x/1", ["/dns4/example.org/tcp/4001"]
                )
            # the swarm itself, given an IP or DNS address, has no transport for it
            swarm = onion._host.get_network()
            for address in (target.split("/p2p/")[0], "/dns4/example.org/tcp/4001"):
                with pytest.raises(SwarmException, match="No registered transport"):
                    await swarm.dial_addr(
                        multiaddr.Multiaddr(address), ID.from_base58(direct.peer_id)
                    )
            assert onion.connected_peers() == []
            assert direct.connected_peers() == []

    run(scenario)


def test_identify_in_tor_mode_names_the_onion_only_and_no_observed_address() -> None:
    """A peer reaching the Tor-mode node's 127.0.0.1 listener (as its tor does) learns
    the onion address and nothing of the connection's IP endpoints."""

    async def scenario() -> None:
        async with (
            running_node(
                os.urandom(32), listening(LOOPBACK_LISTEN), ignore, ignore, tor=reach()
            ) as onion,
            running_node(os.urandom(32), listening(LOOPBACK_LISTEN), ignore, ignore) as direct,
        ):
            await direct.connect(f"/ip4/127.0.0.1/tcp/{onion.listen_port()}/p2p/{onion.peer_id}")
            answer = await ask_identify(direct._host, onion.peer_id)
            assert answer.listen_addrs == (ONION,)
            assert answer.record_addrs == (f"{ONION}/p2p/{onion.peer_id}",)
            assert answer.observed_addr == b""
            # direct mode, for contrast, reports the observed endpoint as before
            back = await ask_identify(onion._host, direct.peer_id)
            assert back.observed_addr != b""
            assert all(text.startswith("/ip4/127.0.0.1/") for text in back.listen_addrs)

    run(scenario)
