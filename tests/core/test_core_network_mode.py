"""The network mode rule over real invite codes: a code's mode is read from its
addresses; a code of the other mode, of both or of neither is refused with a message
saying what to do."""

from __future__ import annotations

import pytest

from peerapp.core.errors import HearthError
from peerapp.core.invite_code import InviteCode, decode_invite, encode_invite
from peerapp.core.network_mode import (
    DEFAULT_MODE,
    REFUSALS,
    InviteModeError,
    InviteModeMismatch,
    NetworkMode,
    address_mode,
    check_invite_mode,
    invite_mode,
    parse_mode,
)

TOR, DIRECT = NetworkMode.TOR, NetworkMode.DIRECT
ONION = "/onion3/" + "abcdefghijklmnopqrstuvwxyz234567" + "a" * 24 + ":4001"
OTHER_ONION = "/onion3/" + "b" * 56 + ":4002"
IP4 = "/ip4/192.168.1.20/tcp/4001"
IP6 = "/ip6/fe80::1/tcp/4001"
DNS = "/dns4/hearth.example/tcp/4001"

CODES: dict[str, tuple[tuple[str, ...], NetworkMode]] = {
    "one-onion": ((ONION,), TOR),
    "two-onions": ((ONION, OTHER_ONION), TOR),
    "ip4": ((IP4,), DIRECT),
    "ip4-ip6-dns": ((IP4, IP6, DNS), DIRECT),
}
UNUSABLE: dict[str, tuple[str, ...]] = {
    "onion-and-ip4": (ONION, IP4),
    "ip6-and-onion": (IP6, ONION),
    "unix": ("/unix/tmp/hearth.sock",),
    "onion-v2": ("/onion/aaaaaaaaaaaaaaaa:80",),
    "onion-and-unknown": (ONION, "/memory/1"),
    "no-slash": ("onion3/" + "a" * 56 + ":1",),
    "empty-address": ("",),
}


def _round_trip(addrs: tuple[str, ...]) -> tuple[str, ...]:
    """The addresses as a joiner reads them from the text of a real code."""
    code = InviteCode(b"\x01" * 16, b"\x02" * 32, "12D3KooWPeer", addrs, 2_000_000_000)
    return decode_invite(encode_invite(code)).addrs


def test_tor_is_the_default_mode() -> None:
    assert DEFAULT_MODE is TOR


@pytest.mark.parametrize("name", sorted(CODES))
def test_a_code_is_usable_in_its_own_mode(name: str) -> None:
    addrs, mode = CODES[name]
    assert invite_mode(_round_trip(addrs)) is mode
    assert check_invite_mode(mode, _round_trip(addrs)) is mode


@pytest.mark.parametrize("name", sorted(CODES))
def test_a_code_used_in_the_other_mode_is_refused_saying_what_to_do(name: str) -> None:
    addrs, mode = CODES[name]
    profile_mode = DIRECT if mode is TOR else TOR
    with pytest.raises(InviteModeMismatch) as refused:
        check_invite_mode(profile_mode, _round_trip(addrs))
    assert (refused.value.profile_mode, refused.value.code_mode) == (profile_mode, mode)
    assert isinstance(refused.value, HearthError)
    message = refused.value.message
    assert message == REFUSALS[(profile_mode, mode)]
    assert f"made in {mode.value} mode" in message.lower()
    assert "network settings" in message


def test_the_two_refusals_differ_and_the_tor_one_warns_about_the_ip_address() -> None:
    assert set(REFUSALS) == {(DIRECT, TOR), (TOR, DIRECT)}
    assert REFUSALS[(DIRECT, TOR)] != REFUSALS[(TOR, DIRECT)]
    assert "IP address" in REFUSALS[(TOR, DIRECT)]


@pytest.mark.parametrize("name", sorted(UNUSABLE))
@pytest.mark.parametrize("profile_mode", [TOR, DIRECT], ids=["tor", "direct"])
def test_a_code_of_both_or_neither_kind_is_refused_in_either_mode(
    name: str, profile_mode: NetworkMode
) -> None:
    with pytest.raises(InviteModeError) as refused:
        check_invite_mode(profile_mode, UNUSABLE[name])
    assert not isinstance(refused.value, InviteModeMismatch)
    assert "new invite" in refused.value.message


def test_a_mixed_code_is_called_mixed() -> None:
    with pytest.raises(InviteModeError, match="mixes onion and IP"):
        invite_mode(_round_trip((ONION, IP4)))


def test_no_address_is_refused() -> None:
    with pytest.raises(InviteModeError):
        invite_mode(())


@pytest.mark.parametrize(
    ("address", "mode"),
    [
        (ONION, TOR),
        (IP4, DIRECT),
        (IP6, DIRECT),
        (DNS, DIRECT),
        ("/dns/x/tcp/1", DIRECT),
        ("/dns6/x/tcp/1", DIRECT),
        ("/dnsaddr/x", DIRECT),
        ("/onion3", TOR),
        ("/onion3x/abc", None),
        ("/", None),
        ("", None),
        ("/\x00/\u202e", None),
    ],
    ids=lambda value: str(value).encode("unicode_escape").decode("ascii")[:24],
)
def test_address_mode(address: str, mode: NetworkMode | None) -> None:
    assert address_mode(address) is mode


@pytest.mark.parametrize("text", ["tor", "direct", " TOR ", "Direct"])
def test_parse_mode(text: str) -> None:
    assert parse_mode(text).value == text.strip().lower()


@pytest.mark.parametrize("text", ["", "onion", "tor direct", "\x00"])
def test_parse_mode_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError, match="'tor' or 'direct'"):
        parse_mode(text)
