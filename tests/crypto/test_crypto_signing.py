"""Signing and verifying circle events: round trips, ids, and every way to break one."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import nacl.signing
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerapp.core import wire
from peerapp.core.circle_events import (
    MAX_SIGNED_BYTES,
    SIGNATURE_BYTES,
    Event,
    EventError,
    EventType,
    event_id,
)
from peerapp.crypto import signing
from peerapp.crypto.signing import (
    VerifiedEvent,
    public_signing_key,
    sign_detached,
    sign_event,
    verify_detached,
    verify_signed,
)
from tests.crypto.circle_fixtures import (
    circle_id_for,
    identity,
    message_body,
    one_of_each_type,
)

EACH = one_of_each_type("signing")
ALICE = identity("alice")
MALLORY = identity("mallory")


def message_event(text: str = "hello, circle", author: bytes | None = None) -> Event:
    return Event(
        type=EventType.MESSAGE,
        circle=circle_id_for("signing"),
        author=ALICE.key if author is None else author,
        seq=3,
        lamport=7,
        prev=(bytes([1]) * 32, bytes([2]) * 32),
        ts=1_700_000_000_000,
        body=message_body(text),
    )


@pytest.mark.parametrize("kind", list(EventType), ids=lambda k: k.value)
def test_sign_and_verify_round_trip_for_every_type(kind: EventType) -> None:
    signed = EACH[kind]
    verified = verify_signed(signed.signed)
    assert verified == signed
    assert verified.event == signed.event
    assert verified.id == signed.id


def test_signed_is_the_encoding_followed_by_a_64_byte_signature() -> None:
    verified = sign_event(message_event(), ALICE.signing_seed)
    encoded = message_event().encode()
    assert verified.signed[:-SIGNATURE_BYTES] == encoded
    signature = verified.signed[-SIGNATURE_BYTES:]
    nacl.signing.VerifyKey(ALICE.key).verify(encoded, signature)  # raises if wrong


def test_event_id_is_blake2b_256_of_the_signed_bytes() -> None:
    verified = sign_event(message_event(), ALICE.signing_seed)
    expected = hashlib.blake2b(verified.signed, digest_size=32).digest()
    assert verified.id == event_id(verified.signed) == expected
    assert len(verified.id) == 32


def test_signing_is_deterministic_and_ids_differ_per_content() -> None:
    first = sign_event(message_event("a"), ALICE.signing_seed)
    assert sign_event(message_event("a"), ALICE.signing_seed) == first  # Ed25519 is deterministic
    assert sign_event(message_event("b"), ALICE.signing_seed).id != first.id


def test_sign_event_refuses_a_key_that_is_not_the_author() -> None:
    with pytest.raises(EventError, match="not the event's author"):
        sign_event(message_event(), MALLORY.signing_seed)


def test_signature_by_another_key_is_a_bad_signature() -> None:
    encoded = message_event().encode()  # claims ALICE as author
    forged = encoded + nacl.signing.SigningKey(MALLORY.signing_seed).sign(encoded).signature
    with pytest.raises(EventError, match="bad signature"):
        verify_signed(forged)


def test_author_swapped_to_the_signer_is_still_a_bad_signature() -> None:
    signed = sign_event(message_event(), ALICE.signing_seed).signed
    swapped = signed.replace(ALICE.key, MALLORY.key)
    assert swapped != signed
    with pytest.raises(EventError, match="bad signature"):
        verify_signed(swapped)


@pytest.mark.parametrize("position", [0, 1, 31, 32, 33, 62, 63])
def test_flipped_byte_in_the_signature_is_a_bad_signature(position: int) -> None:
    signed = bytearray(sign_event(message_event(), ALICE.signing_seed).signed)
    signed[-SIGNATURE_BYTES + position] ^= 0x01
    with pytest.raises(EventError, match="bad signature"):
        verify_signed(bytes(signed))


def test_changed_text_in_the_body_is_a_bad_signature() -> None:
    signed = sign_event(message_event("hello"), ALICE.signing_seed).signed
    tampered = signed.replace(b"hello", b"hellp")
    assert tampered != signed
    with pytest.raises(EventError, match="bad signature"):
        verify_signed(tampered)


@pytest.mark.parametrize(
    ("old", "new"),
    [(b"cseq\x03", b"cseq\x04"), (b"glamport\x07", b"glamport\x08"), (b"cseq\x03", b"cseq\x02")],
    ids=["seq up", "lamport up", "seq down"],
)
def test_changed_header_number_is_a_bad_signature(old: bytes, new: bytes) -> None:
    """The canonical map key (text head + name) followed by the one-byte integer."""
    signed = sign_event(message_event(), ALICE.signing_seed).signed
    tampered = signed.replace(old, new)
    assert tampered != signed
    with pytest.raises(EventError, match="bad signature"):
        verify_signed(tampered)


def test_degenerate_author_key_is_refused_not_crashing() -> None:
    encoded = message_event(author=bytes(32)).encode()
    with pytest.raises(EventError, match="bad signature"):
        verify_signed(encoded + bytes(SIGNATURE_BYTES))


@pytest.mark.parametrize("size", [0, 1, SIGNATURE_BYTES, MAX_SIGNED_BYTES + 1])
def test_impossible_sizes_are_refused_before_decoding(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_decode(encoded: bytes) -> Event:
        raise AssertionError("decoded an input of impossible size")

    monkeypatch.setattr(signing, "decode_event", must_not_decode)
    with pytest.raises(EventError, match="impossible size"):
        verify_signed(b"\xa9" * size)


def test_a_large_but_valid_event_verifies() -> None:
    event = message_event("x" * 4000)
    assert verify_signed(sign_event(event, ALICE.signing_seed).signed).event == event


def test_signed_cyclic_cbor_is_an_event_error() -> None:
    """Value sharing makes a cyclic value; verify_signed must refuse it as EventError."""
    cyclic_text = bytes.fromhex("d81c82d81d00") + bytes([0x78, 80]) + b"x" * 80
    with pytest.raises(EventError):
        verify_signed(cyclic_text + bytes(SIGNATURE_BYTES))


# sign_event returns a VerifiedEvent: what it signs must pass verify_signed, or an honest
# client signs, stores and publishes an event that every other replica refuses.
@pytest.mark.parametrize(
    "broken",
    [
        {"prev": (bytes([1]) * 32, bytes([1]) * 32)},  # a repeated parent
        {"body": {"text": "x" * 4001}},
        {"body": {"text": "hi", "extra": 1}},
        {"seq": -1},
    ],
    ids=["repeated prev", "text too long", "extra body field", "negative seq"],
)
def test_sign_event_refuses_an_event_that_would_not_verify(broken: dict[str, Any]) -> None:
    event = replace(message_event(), **broken)
    with pytest.raises(EventError):
        sign_event(event, ALICE.signing_seed)


def test_detached_signatures() -> None:
    signature = sign_detached(b"message", ALICE.signing_seed)
    assert verify_detached(b"message", signature, ALICE.key)
    assert public_signing_key(ALICE.signing_seed) == ALICE.key
    assert not verify_detached(b"messagE", signature, ALICE.key)
    assert not verify_detached(b"message", signature, MALLORY.key)
    assert not verify_detached(b"message", signature[:-1], ALICE.key)
    assert not verify_detached(b"message", signature, ALICE.key[:31])
    assert not verify_detached(b"message", bytes(64), bytes(32))


# -- properties -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_verify_signed_on_arbitrary_bytes_only_raises_event_error(data: bytes) -> None:
    with pytest.raises(EventError):
        verify_signed(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=200))
def test_verify_signed_on_a_canonical_prefix_and_garbage_signature_only_raises_event_error(
    tail: bytes,
) -> None:
    encoded = wire.encode({"v": 1, "type": "message", "body": {"text": tail.hex()}})
    with pytest.raises(EventError):
        verify_signed(encoded + tail + bytes(SIGNATURE_BYTES))


SAMPLES = [EACH[kind] for kind in EventType]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=4),
    st.integers(-3, 3),
)
def test_any_mutation_of_a_valid_signed_event_is_an_event_error(
    verified: VerifiedEvent, changes: list[tuple[int, int]], resize: int
) -> None:
    mutated = bytearray(verified.signed)
    for position, value in changes:
        mutated[position % len(mutated)] = value
    if resize < 0:
        del mutated[resize:]
    else:
        mutated.extend(bytes(resize))
    if bytes(mutated) == verified.signed:
        return
    with pytest.raises(EventError):
        verify_signed(bytes(mutated))
