"""Invite codes: text round trips, typo detection, tolerated formatting, strict payloads."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import invite_code, wire
from peerapp.core.invite_code import (
    MAX_CODE_ADDRS,
    PREFIX,
    InvalidInviteCode,
    InviteCode,
    decode_invite,
    encode_invite,
)
from tests.crypto.circle_fixtures import circle_id_for, invite_seed

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
PEER = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"
SEED = invite_seed("code")

CODE = InviteCode(
    circle_id=circle_id_for("code"),
    seed=SEED,
    peer_id=PEER,
    addrs=("/ip4/192.168.1.20/tcp/4001", "/ip6/::1/tcp/4001"),
    expires=1_700_604_800,
)
CODES = {
    "two addresses": CODE,
    "one address": InviteCode(CODE.circle_id, SEED, "p", ("/dns4/a.example/tcp/1",), 0),
    "three addresses": InviteCode(
        CODE.circle_id, SEED, PEER, tuple(f"/ip4/10.0.0.{i}/tcp/4001" for i in range(3)), 2**40
    ),
    "longest fields": InviteCode(CODE.circle_id, SEED, "P" * 128, ("a" * 256,) * 3, 2**53),
    "short peer": InviteCode(bytes(16), bytes(32), "x", ("/ip4/1.2.3.4/udp/1/quic-v1",), 1),
}


def body_of(text: str) -> str:
    assert text.startswith(PREFIX)
    return text[len(PREFIX) :]


def with_checksum(payload: bytes) -> str:
    raw = payload + invite_code._checksum(payload)
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=").lower()


@pytest.mark.parametrize("code", list(CODES.values()), ids=list(CODES))
def test_round_trip(code: InviteCode) -> None:
    text = encode_invite(code)
    assert text.startswith("hearth:")
    assert set(body_of(text)) <= set(ALPHABET)
    assert decode_invite(text) == code


def test_more_than_three_addresses_keep_the_first_three() -> None:
    many = InviteCode(CODE.circle_id, SEED, PEER, tuple(f"/ip4/10.0.0.{i}" for i in range(5)), 9)
    decoded = decode_invite(encode_invite(many))
    assert decoded.addrs == many.addrs[:MAX_CODE_ADDRS]


def test_every_code_encode_invite_returns_decodes() -> None:
    """A code without addresses is written, then refused by every reader."""
    bare = InviteCode(CODE.circle_id, SEED, PEER, (), CODE.expires)
    try:
        text = encode_invite(bare)
    except ValueError:
        return  # refusing to write it is fine too
    assert decode_invite(text) == bare


# -- typos ------------------------------------------------------------------------------


TYPO_CODES = {name: code for name, code in CODES.items() if name != "longest fields"}


@pytest.mark.parametrize("code", list(TYPO_CODES.values()), ids=list(TYPO_CODES))
def test_every_single_character_change_is_refused(code: InviteCode) -> None:
    """Every position, every other base32 letter: the checksum (or the base32) catches it.

    The last letter of a code whose bytes do not fill it carries unused bits; changing
    only those bits must not give a second text for the same code.
    """
    text = encode_invite(code)
    body = body_of(text)
    accepted = []
    for position, original in enumerate(body):
        for letter in ALPHABET:
            if letter == original:
                continue
            changed = PREFIX + body[:position] + letter + body[position + 1 :]
            try:
                decode_invite(changed)
            except InvalidInviteCode:
                continue
            accepted.append((position, letter))
    assert accepted == [], f"{len(body)} letters; accepted changes at {accepted}"


@pytest.mark.parametrize("code", list(CODES.values()), ids=list(CODES))
def test_dropped_or_doubled_character_is_refused(code: InviteCode) -> None:
    body = body_of(encode_invite(code))
    for position in range(0, len(body), 7):
        for changed in (
            body[:position] + body[position + 1 :],
            body[:position] + body[position] + body[position:],
        ):
            with pytest.raises(InvalidInviteCode):
                decode_invite(PREFIX + changed)


def test_swapped_neighbours_are_refused() -> None:
    body = body_of(encode_invite(CODE))
    for position in range(len(body) - 1):
        if body[position] == body[position + 1]:
            continue
        swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
        with pytest.raises(InvalidInviteCode):
            decode_invite(PREFIX + swapped)


# -- tolerated formatting -----------------------------------------------------------------


def chunked(text: str, size: int, separator: str) -> str:
    return separator.join(text[i : i + size] for i in range(0, len(text), size))


FORMATTED = {
    "upper case": lambda t: t.upper(),
    "mixed case": lambda t: "".join(c.upper() if i % 2 else c for i, c in enumerate(t)),
    "dashes every 4": lambda t: chunked(t, 4, "-"),
    "spaces every 5": lambda t: chunked(t, 5, " "),
    "line breaks (mail)": lambda t: chunked(t, 20, "\r\n"),
    "tabs and newlines": lambda t: chunked(t, 8, "\t\n"),
    "surrounding whitespace": lambda t: f"  \n{t}\n  ",
    "space after prefix": lambda t: t.replace(":", ": ", 1),
    "non-breaking spaces": lambda t: chunked(t, 6, "\u00a0"),
    "double dashes": lambda t: chunked(t, 10, "--"),
}


@pytest.mark.parametrize("reformat", list(FORMATTED.values()), ids=list(FORMATTED))
def test_formatting_from_mail_and_chat_is_tolerated(reformat: Any) -> None:
    assert decode_invite(reformat(encode_invite(CODE))) == CODE


# -- refusals -----------------------------------------------------------------------------

TEXT = encode_invite(CODE)


def impossible_length(text: str) -> str:
    """Base32 of whole bytes never leaves 1, 3 or 6 letters in the last group of 8."""
    while len(body_of(text)) % 8 not in (1, 3, 6):
        text += "a"
    return text


NOT_CODES = {
    "empty": "",
    "only whitespace": " \n\t",
    "prefix only": "hearth:",
    "prefix and dashes": "hearth:----",
    "no prefix": body_of(TEXT),
    "prefix without colon": "hearth" + body_of(TEXT),
    "other prefix": "heart:" + body_of(TEXT),
    "other scheme": "https://" + body_of(TEXT),
    "prefix later": "x" + TEXT,
    "prefix twice": PREFIX + TEXT,
    "digit 0 (not base32)": TEXT[:-3] + "0" + TEXT[-2:],
    "digit 1 (not base32)": TEXT[:-3] + "1" + TEXT[-2:],
    "digit 8 (not base32)": TEXT[:-3] + "8" + TEXT[-2:],
    "punctuation": TEXT[:-3] + "!" + TEXT[-2:],
    "padding in the middle": TEXT[:20] + "=" + TEXT[20:],
    "non-ascii letter": TEXT[:-3] + "é" + TEXT[-2:],
    "impossible base32 length": impossible_length(TEXT),
    "truncated": TEXT[:-8],
    "checksum only": PREFIX + base64.b32encode(bytes(4)).decode().rstrip("=").lower(),
    "absurdly long": PREFIX + "a" * 5000,
    "huge": PREFIX + "a" * 1_000_000,
}


@pytest.mark.parametrize("text", list(NOT_CODES.values()), ids=list(NOT_CODES))
def test_not_a_code(text: str) -> None:
    with pytest.raises(InvalidInviteCode) as refused:
        decode_invite(text)
    assert "not a valid invite code" in str(refused.value)


GOOD_PAYLOAD = [1, CODE.circle_id, SEED, PEER, list(CODE.addrs), CODE.expires]


def payload_with(index: int, value: Any) -> list[Any]:
    document = list(GOOD_PAYLOAD)
    document[index] = value
    return document


MALFORMED_PAYLOADS: dict[str, Any] = {
    "a map": {"circle": CODE.circle_id},
    "five items": GOOD_PAYLOAD[:5],
    "seven items": [*GOOD_PAYLOAD, 0],
    "version 0": payload_with(0, 0),
    "version 2": payload_with(0, 2),
    "version text": payload_with(0, "1"),
    "circle 15 bytes": payload_with(1, bytes(15)),
    "circle 17 bytes": payload_with(1, bytes(17)),
    "circle text": payload_with(1, "c" * 16),
    "seed 31 bytes": payload_with(2, bytes(31)),
    "seed 33 bytes": payload_with(2, bytes(33)),
    "peer empty": payload_with(3, ""),
    "peer 129 characters": payload_with(3, "p" * 129),
    "peer bytes": payload_with(3, b"peer"),
    "no addresses": payload_with(4, []),
    "four addresses": payload_with(4, ["/ip4/1.2.3.4"] * 4),
    "empty address": payload_with(4, [""]),
    "address 257 characters": payload_with(4, ["a" * 257]),
    "address bytes": payload_with(4, [b"/ip4"]),
    "addresses not a list": payload_with(4, "/ip4/1.2.3.4"),
    "expires negative": payload_with(5, -1),
    "expires float": payload_with(5, 1.5),
    "expires bool": payload_with(5, True),
    "expires text": payload_with(5, "soon"),
}


@pytest.mark.parametrize(
    "document", list(MALFORMED_PAYLOADS.values()), ids=list(MALFORMED_PAYLOADS)
)
def test_valid_checksum_over_a_malformed_payload_is_refused(document: Any) -> None:
    text = with_checksum(wire.encode(document))
    with pytest.raises(InvalidInviteCode):
        decode_invite(text)


@pytest.mark.parametrize("version", [True, 1.0], ids=["true", "float 1.0"])
def test_version_must_be_the_integer_one(version: Any) -> None:
    with pytest.raises(InvalidInviteCode):
        decode_invite(with_checksum(wire.encode(payload_with(0, version))))


def test_valid_checksum_over_non_canonical_or_garbage_payload_is_refused() -> None:
    canonical = wire.encode(GOOD_PAYLOAD)
    assert decode_invite(with_checksum(canonical)) == CODE
    loose = b"\x98\x06" + canonical[1:]  # array length written in a needless extra byte
    for payload in (loose, b"\xff" * 10, b"\x00", canonical + b"\x00", canonical[:-1]):
        with pytest.raises(InvalidInviteCode):
            decode_invite(with_checksum(payload))


def test_checksum_of_another_payload_is_refused() -> None:
    payload = wire.encode(GOOD_PAYLOAD)
    other = wire.encode(payload_with(5, CODE.expires + 1))
    raw = payload + invite_code._checksum(other)
    text = PREFIX + base64.b32encode(raw).decode().rstrip("=").lower()
    with pytest.raises(InvalidInviteCode):
        decode_invite(text)


# -- the code object ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expired"),
    [
        (CODE.expires - 3600, False),
        (CODE.expires - 0.5, False),
        (CODE.expires, True),
        (CODE.expires + 0.001, True),
        (CODE.expires + 10**6, True),
    ],
)
def test_is_expired(now: float, expired: bool) -> None:
    assert CODE.is_expired(now) is expired


def test_repr_hides_the_seed() -> None:
    text = repr(CODE) + str(CODE) + f"{CODE!r}"
    assert SEED.hex() not in text
    assert repr(SEED) not in text
    assert SEED.hex()[:16] not in text
    assert base64.b32encode(SEED).decode().lower()[:16] not in text.lower()
    assert CODE.circle_id.hex() in text
    assert encode_invite(CODE) not in text


def test_dial_addrs_append_the_peer() -> None:
    assert CODE.dial_addrs() == [
        f"/ip4/192.168.1.20/tcp/4001/p2p/{PEER}",
        f"/ip6/::1/tcp/4001/p2p/{PEER}",
    ]
    assert decode_invite(encode_invite(CODE)).dial_addrs() == CODE.dial_addrs()


# -- properties ---------------------------------------------------------------------------

codes = st.builds(
    InviteCode,
    circle_id=st.binary(min_size=16, max_size=16),
    seed=st.binary(min_size=32, max_size=32),
    peer_id=st.text(min_size=1, max_size=128),
    addrs=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=3).map(tuple),
    expires=st.integers(0, 2**63),
)


@settings(max_examples=200, deadline=None)
@given(codes)
def test_any_code_round_trips(code: InviteCode) -> None:
    text = encode_invite(code)
    assert decode_invite(text) == code
    assert decode_invite(text.upper()) == code
    assert decode_invite(chunked(text, 4, "-")) == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_is_a_code_or_invalid(text: str) -> None:
    try:
        code = decode_invite(text)
    except InvalidInviteCode:
        return
    assert isinstance(code, InviteCode)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_payload_with_a_valid_checksum_only_raises_invalid_code(payload: bytes) -> None:
    try:
        code = decode_invite(with_checksum(payload))
    except InvalidInviteCode:
        return
    assert encode_invite(code) == with_checksum(payload)
