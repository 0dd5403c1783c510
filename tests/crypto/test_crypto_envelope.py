"""Envelopes: padding buckets, authenticated encryption bound to circle and epoch, and
strict shape checks before any decryption."""

from __future__ import annotations

from typing import Any

import cbor2
import nacl.bindings
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import wire
from peerapp.core.circle_events import EPOCH_ID_BYTES, MAX_SIGNED_BYTES
from peerapp.crypto.envelope import (
    BUCKETS,
    MAX_ENVELOPE_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    EnvelopeError,
    open_with,
    pad,
    peek_epoch,
    seal,
    unpad,
)
from peerapp.crypto.epoch import EpochKeys
from tests.crypto.circle_fixtures import circle_id_for, epoch_secret

KEYS = EpochKeys(epoch_secret("envelope"))
OTHER_KEYS = EpochKeys(epoch_secret("envelope-other"))
CIRCLE = circle_id_for("envelope")
OTHER_CIRCLE = circle_id_for("envelope-other")


def fixed_nonce(size: int) -> bytes:
    assert size == NONCE_BYTES
    return bytes(range(size))


def sealed(plain: bytes, key: bytes | None = None, epoch_id: bytes | None = None) -> bytes:
    return seal(
        plain,
        KEYS.control_key if key is None else key,
        CIRCLE,
        KEYS.epoch_id if epoch_id is None else epoch_id,
    )


def open_envelope(data: bytes, keys: list[bytes] | None = None, circle: bytes = CIRCLE) -> bytes:
    epoch_id, nonce, ciphertext = peek_epoch(data)
    return open_with(
        [KEYS.message_key, KEYS.control_key] if keys is None else keys,
        circle,
        epoch_id,
        nonce,
        ciphertext,
    )


def plaintext(size: int) -> bytes:
    """Awkward content: ends in zero bytes and contains 0x80, which padding must survive."""
    return (
        (b"\x80\x00\x01" * (size // 3 + 1))[: size - 2] + b"\x00\x00" if size >= 2 else bytes(size)
    )


def bucket_of(size: int) -> int:
    return next(b for b in BUCKETS if size + 1 <= b)


# every bucket boundary: bucket-2 and bucket-1 still fit, bucket spills into the next
SIZES = sorted(
    {0, 1, 2}
    | {b + d for b in BUCKETS[:-1] for d in (-2, -1, 0, 1)}
    | {MAX_SIGNED_BYTES - 1, MAX_SIGNED_BYTES}
)


@pytest.mark.parametrize("size", SIZES)
def test_seal_open_round_trip_across_bucket_boundaries(size: int) -> None:
    plain = plaintext(size)
    assert len(plain) == size
    data = sealed(plain)
    assert open_envelope(data) == plain
    _, nonce, ciphertext = peek_epoch(data)
    assert len(nonce) == NONCE_BYTES
    assert len(ciphertext) == bucket_of(size) + TAG_BYTES
    assert len(data) <= MAX_ENVELOPE_BYTES


@pytest.mark.parametrize("bucket", BUCKETS[:-1])
def test_bucket_edges(bucket: int) -> None:
    assert len(pad(bytes(bucket - 1))) == bucket
    assert len(pad(bytes(bucket))) == BUCKETS[BUCKETS.index(bucket) + 1]


def test_length_reveals_only_the_bucket() -> None:
    for low, high in zip((0, *BUCKETS[:-1]), BUCKETS, strict=True):
        smallest = sealed(plaintext(low))
        largest = sealed(plaintext(min(high - 1, MAX_SIGNED_BYTES)))
        assert len(smallest) == len(largest), high
    lengths = [len(sealed(plaintext(b - 1))) for b in BUCKETS[:-1]]
    assert lengths == sorted(set(lengths))  # and different buckets do differ


def test_messages_and_control_events_look_alike() -> None:
    message = sealed(b"m" * 100, KEYS.message_key)
    control = sealed(b"c" * 100, KEYS.control_key)
    assert len(message) == len(control)
    assert peek_epoch(message)[0] == peek_epoch(control)[0] == KEYS.epoch_id
    assert open_envelope(message) == b"m" * 100
    assert open_envelope(control) == b"c" * 100


def test_too_large_to_send() -> None:
    with pytest.raises(EnvelopeError, match="too large"):
        sealed(bytes(MAX_SIGNED_BYTES + 1))
    with pytest.raises(EnvelopeError, match="too large"):
        pad(bytes(BUCKETS[-1]))


def test_envelope_layout_and_injected_nonce() -> None:
    data = seal(b"signed", KEYS.control_key, CIRCLE, KEYS.epoch_id, random=fixed_nonce)
    version, epoch_id, nonce, ciphertext = wire.decode(data, MAX_ENVELOPE_BYTES)
    assert (version, epoch_id, nonce) == (1, KEYS.epoch_id, fixed_nonce(NONCE_BYTES))
    expected = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(b"signed"), CIRCLE + KEYS.epoch_id, nonce, KEYS.control_key
    )
    assert ciphertext == expected
    assert b"signed" not in data


def test_fresh_nonces_make_each_envelope_different() -> None:
    assert sealed(b"same") != sealed(b"same")


def test_open_tries_each_key() -> None:
    data = sealed(b"hello", KEYS.control_key)
    assert open_envelope(data, [OTHER_KEYS.control_key, KEYS.message_key, KEYS.control_key]) == (
        b"hello"
    )


@pytest.mark.parametrize(
    "case",
    ["wrong key", "other epoch's key", "no keys", "wrong circle", "wrong epoch id (ad)"],
)
def test_wrong_key_circle_or_epoch_cannot_open(case: str) -> None:
    data = sealed(b"hello")
    epoch_id, nonce, ciphertext = peek_epoch(data)
    keys = [KEYS.control_key]
    circle = CIRCLE
    if case == "wrong key":
        keys = [KEYS.message_key]
    elif case == "other epoch's key":
        keys = [OTHER_KEYS.message_key, OTHER_KEYS.control_key]
    elif case == "no keys":
        keys = []
    elif case == "wrong circle":
        circle = OTHER_CIRCLE
    else:
        epoch_id = OTHER_KEYS.epoch_id
    with pytest.raises(EnvelopeError, match="cannot decrypt"):
        open_with(keys, circle, epoch_id, nonce, ciphertext)


def test_envelope_relabelled_with_another_epoch_id_cannot_open() -> None:
    data = sealed(b"hello")
    relabelled = data.replace(KEYS.epoch_id, OTHER_KEYS.epoch_id)
    assert peek_epoch(relabelled)[0] == OTHER_KEYS.epoch_id
    with pytest.raises(EnvelopeError, match="cannot decrypt"):
        open_envelope(relabelled)


@pytest.mark.parametrize("part", ["nonce", "ciphertext start", "ciphertext end", "tag"])
def test_tampered_nonce_or_ciphertext_cannot_open(part: str) -> None:
    epoch_id, nonce, ciphertext = peek_epoch(sealed(b"hello"))
    if part == "nonce":
        nonce = bytes([nonce[0] ^ 1]) + nonce[1:]
    elif part == "ciphertext start":
        ciphertext = bytes([ciphertext[0] ^ 1]) + ciphertext[1:]
    elif part == "ciphertext end":
        flipped = ciphertext[-TAG_BYTES - 1] ^ 1
        ciphertext = ciphertext[: -TAG_BYTES - 1] + bytes([flipped]) + ciphertext[-TAG_BYTES:]
    else:
        ciphertext = ciphertext[:-1] + bytes([ciphertext[-1] ^ 0x80])
    with pytest.raises(EnvelopeError):
        open_with([KEYS.control_key], CIRCLE, epoch_id, nonce, ciphertext)


@pytest.mark.parametrize(
    "padded",
    [b"", bytes(256), b"abc", b"abc\x01\x00\x00", b"\x80abc"],
    ids=["empty", "all zeros", "no marker", "wrong marker", "marker not last"],
)
def test_bad_padding_is_refused(padded: bytes) -> None:
    with pytest.raises(EnvelopeError, match="bad padding"):
        unpad(padded)


def test_authentic_ciphertext_with_bad_padding_is_refused() -> None:
    nonce = fixed_nonce(NONCE_BYTES)
    ciphertext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        bytes(256), CIRCLE + KEYS.epoch_id, nonce, KEYS.control_key
    )
    with pytest.raises(EnvelopeError, match="bad padding"):
        open_with([KEYS.control_key], CIRCLE, KEYS.epoch_id, nonce, ciphertext)


# -- shapes -----------------------------------------------------------------------------

GOOD = [1, bytes(EPOCH_ID_BYTES), bytes(NONCE_BYTES), bytes(TAG_BYTES + BUCKETS[0])]


def shaped(index: int | None, value: Any) -> list[Any]:
    document = list(GOOD)
    if index is not None:
        document[index] = value
    return document


MALFORMED: dict[str, Any] = {
    "not a list": {"epoch": bytes(16)},
    "bytes": bytes(400),
    "three items": GOOD[:3],
    "five items": [*GOOD, b""],
    "version 0": shaped(0, 0),
    "version 2": shaped(0, 2),
    "version text": shaped(0, "1"),
    "epoch id 15 bytes": shaped(1, bytes(15)),
    "epoch id 17 bytes": shaped(1, bytes(17)),
    "epoch id text": shaped(1, "e" * 16),
    "nonce 23 bytes": shaped(2, bytes(23)),
    "nonce 25 bytes": shaped(2, bytes(25)),
    "nonce text": shaped(2, "n" * 24),
    "ciphertext shorter than the smallest bucket": shaped(3, bytes(TAG_BYTES + BUCKETS[0] - 1)),
    "ciphertext empty": shaped(3, b""),
    "ciphertext list": shaped(3, [bytes(300)]),
}


@pytest.mark.parametrize("document", list(MALFORMED.values()), ids=list(MALFORMED))
def test_peek_epoch_refuses_malformed_shapes(document: Any) -> None:
    with pytest.raises(EnvelopeError):
        peek_epoch(wire.encode(document))


def test_peek_epoch_accepts_the_smallest_shape() -> None:
    assert peek_epoch(wire.encode(GOOD)) == tuple(GOOD[1:])


@pytest.mark.parametrize("version", [True, 1.0], ids=["true", "float 1.0"])
def test_peek_epoch_version_must_be_the_integer_one(version: Any) -> None:
    with pytest.raises(EnvelopeError):
        peek_epoch(wire.encode(shaped(0, version)))


def test_peek_epoch_refuses_non_canonical_and_garbage() -> None:
    canonical = wire.encode(GOOD)
    loose = b"\x98\x04" + canonical[1:]  # the array length in a needless extra byte
    for data in (loose, b"", b"\xff", canonical[:-1], canonical + b"\x00"):
        with pytest.raises(EnvelopeError):
            peek_epoch(data)


def test_over_size_envelope_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_decode(*args: object, **kwargs: object) -> object:
        raise AssertionError("decoded an over-size envelope")

    monkeypatch.setattr(cbor2, "loads", must_not_decode)
    with pytest.raises(EnvelopeError, match="over the limit"):
        peek_epoch(bytes(MAX_ENVELOPE_BYTES + 1))


def test_cyclic_cbor_is_an_envelope_error() -> None:
    with pytest.raises(EnvelopeError):
        peek_epoch(bytes.fromhex("d81c84d81d00") + bytes(3))


# -- properties -----------------------------------------------------------------------


def receive(data: bytes) -> bytes:
    """What the engine does with a GossipSub payload."""
    epoch_id, nonce, ciphertext = peek_epoch(data)
    return open_with([KEYS.message_key, KEYS.control_key], CIRCLE, epoch_id, nonce, ciphertext)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_only_raise_envelope_error(data: bytes) -> None:
    with pytest.raises(EnvelopeError):
        receive(data)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=EPOCH_ID_BYTES + 2),
    st.binary(max_size=NONCE_BYTES + 2),
    st.binary(max_size=400),
    st.sampled_from([0, 1, 2]),
)
def test_arbitrary_envelope_shaped_values_only_raise_envelope_error(
    epoch_id: bytes, nonce: bytes, ciphertext: bytes, version: int
) -> None:
    with pytest.raises(EnvelopeError):
        receive(wire.encode([version, epoch_id, nonce, ciphertext]))


ORIGINAL = sealed(b"a signed event" * 10)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=3),
    st.integers(-2, 2),
)
def test_any_mutation_of_a_valid_envelope_is_an_envelope_error(
    changes: list[tuple[int, int]], resize: int
) -> None:
    mutated = bytearray(ORIGINAL)
    for position, value in changes:
        mutated[position % len(mutated)] = value
    if resize < 0:
        del mutated[resize:]
    else:
        mutated.extend(bytes(resize))
    if bytes(mutated) == ORIGINAL:
        assert receive(ORIGINAL) == b"a signed event" * 10
        return
    with pytest.raises(EnvelopeError):
        receive(bytes(mutated))
