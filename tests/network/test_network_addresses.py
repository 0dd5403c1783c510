"""Listen addresses: parsing, wildcard expansion, matching what was bound."""

from __future__ import annotations

import multiaddr
import pytest

from peerapp.core.errors import HearthError
from peerapp.network.addresses import (
    DEFAULT_LISTEN,
    AddressError,
    dialable,
    is_wildcard,
    parse_listen_address,
    same_endpoint,
)

M = multiaddr.Multiaddr
PEER = "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5"

ACCEPTED = [
    "/ip4/127.0.0.1/tcp/0",
    "/ip4/127.0.0.1/tcp/4001",
    "/ip4/0.0.0.0/tcp/0",
    "/ip6/::1/tcp/0",
    "/ip6/::/tcp/65535",
    DEFAULT_LISTEN,
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_parse_accepts(text: str) -> None:
    assert str(parse_listen_address(text)) == text


REJECTED = [
    ("junk", "junk", "is not a multiaddr"),
    ("empty", "", "must look like"),
    ("slash", "/", "must look like"),
    ("udp", "/ip4/127.0.0.1/udp/0", "must look like"),
    ("quic", "/ip4/127.0.0.1/udp/0/quic-v1", "must look like"),
    ("missing-tcp", "/ip4/127.0.0.1", "must look like"),
    ("missing-ip", "/tcp/0", "must look like"),
    ("tcp-first", "/tcp/0/ip4/127.0.0.1", "must look like"),
    ("websocket", "/ip4/127.0.0.1/tcp/0/ws", "must look like"),
    ("with-peer-id", f"/ip4/127.0.0.1/tcp/0/p2p/{PEER}", "must look like"),
    ("dns", "/dns4/example.com/tcp/1", "must look like"),
    ("bad-ip", "/ip4/999.1.1.1/tcp/1", "is not a multiaddr"),
    ("port-too-big", "/ip4/127.0.0.1/tcp/65536", "is not a multiaddr"),
    ("port-negative", "/ip4/127.0.0.1/tcp/-1", "is not a multiaddr"),
    ("port-text", "/ip4/127.0.0.1/tcp/abc", "is not a multiaddr"),
    ("host-port", "127.0.0.1:4001", "is not a multiaddr"),
]


@pytest.mark.parametrize(
    ("text", "reason"), [case[1:] for case in REJECTED], ids=[case[0] for case in REJECTED]
)
def test_parse_rejects(text: str, reason: str) -> None:
    with pytest.raises(AddressError) as raised:
        parse_listen_address(text)
    assert reason in raised.value.message
    assert repr(text) in raised.value.message  # the person sees what they typed
    assert isinstance(raised.value, HearthError)


@pytest.mark.parametrize(
    ("text", "wildcard"),
    [
        ("/ip4/0.0.0.0/tcp/1", True),
        ("/ip6/::/tcp/1", True),
        ("/ip4/127.0.0.1/tcp/1", False),
        ("/ip4/192.0.2.7/tcp/1", False),
        ("/ip6/::1/tcp/1", False),
    ],
)
def test_is_wildcard(text: str, wildcard: bool) -> None:
    assert is_wildcard(M(text)) is wildcard


def test_dialable_keeps_concrete_addresses_loopback_first_without_duplicates() -> None:
    bound = [M("/ip4/192.0.2.7/tcp/5"), M("/ip4/127.0.0.1/tcp/5"), M("/ip4/127.0.0.1/tcp/5")]
    assert [str(a) for a in dialable(bound)] == ["/ip4/127.0.0.1/tcp/5", "/ip4/192.0.2.7/tcp/5"]


@pytest.mark.parametrize(
    ("wildcard", "loopback"),
    [
        ("/ip4/0.0.0.0/tcp/4321", "/ip4/127.0.0.1/tcp/4321"),
        ("/ip6/::/tcp/4321", "/ip6/::1/tcp/4321"),
    ],
    ids=["ip4", "ip6"],
)
def test_dialable_expands_a_wildcard(wildcard: str, loopback: str) -> None:
    result = [str(a) for a in dialable([M(wildcard)])]
    assert result[0] == loopback
    assert len(result) == len(set(result))
    family = wildcard.split("/")[1]
    for address in result:
        parsed = M(address)
        assert not is_wildcard(parsed)
        assert address.startswith(f"/{family}/")  # no family mixing
        assert parsed.value_for_protocol("tcp") == "4321"


@pytest.mark.parametrize(
    ("requested", "bound", "same"),
    [
        ("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/tcp/40001", True),
        ("/ip4/127.0.0.1/tcp/40001", "/ip4/127.0.0.1/tcp/40001", True),
        ("/ip4/127.0.0.1/tcp/40001", "/ip4/127.0.0.1/tcp/40002", False),
        ("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.2/tcp/40001", False),
        ("/ip4/0.0.0.0/tcp/0", "/ip4/0.0.0.0/tcp/40001", True),
        ("/ip4/0.0.0.0/tcp/0", "/ip4/127.0.0.1/tcp/40001", False),
        ("/ip6/::1/tcp/0", "/ip4/127.0.0.1/tcp/40001", False),
    ],
)
def test_same_endpoint(requested: str, bound: str, same: bool) -> None:
    assert same_endpoint(M(requested), M(bound)) is same
