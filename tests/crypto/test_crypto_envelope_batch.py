"""Version 2 envelopes (batches of one sender's events): round trips, and strict, bounded
decoding of hostile batches that a member's modified app could seal with a valid key."""

from __future__ import annotations

from typing import Any

import nacl.bindings
import pytest

from peerapp.core import wire
from peerapp.core.circle_events import MAX_SIGNED_BYTES
from peerapp.crypto.envelope import (
    BATCH_AD,
    BATCH_VERSION,
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    NONCE_BYTES,
    EnvelopeError,
    batch_size,
    open_envelope,
    pad,
    seal,
    seal_batch,
)
from peerapp.crypto.epoch import EpochKeys
from tests.crypto.circle_fixtures import circle_id_for, epoch_secret

KEYS = EpochKeys(epoch_secret("batch"))
OTHER_KEYS = EpochKeys(epoch_secret("batch-other"))
CIRCLE = circle_id_for("batch")
BOTH = [KEYS.message_key, KEYS.control_key]


def events(count: int, size: int = 100) -> list[bytes]:
    return [bytes([i % 256]) * size + i.to_bytes(4, "big") for i in range(count)]


def opened(data: bytes, keys: list[bytes] = BOTH, epoch_id: bytes = KEYS.epoch_id) -> list[bytes]:
    return open_envelope(data, keys, CIRCLE, epoch_id)


def sealed_plaintext(plain: bytes, associated: bytes = BATCH_AD, version: int = 2) -> bytes:
    """What a hostile member can send: any plaintext, sealed with the circle's real key."""
    nonce = bytes(NONCE_BYTES)
    ciphertext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(plain), CIRCLE + KEYS.epoch_id + associated, nonce, KEYS.message_key
    )
    return wire.encode([version, KEYS.epoch_id, nonce, ciphertext])


@pytest.mark.parametrize("count", [2, 3, MAX_BATCH_EVENTS])
def test_batch_round_trip_keeps_order(count: int) -> None:
    batch = events(count)
    assert opened(seal_batch(batch, KEYS.message_key, CIRCLE, KEYS.epoch_id)) == batch


def test_version_one_opens_as_a_list_of_one() -> None:
    assert opened(seal(b"signed", KEYS.control_key, CIRCLE, KEYS.epoch_id)) == [b"signed"]


def test_the_largest_batch_that_fits() -> None:
    size = (MAX_BATCH_BYTES - 3) // 2 - 5
    batch = events(2, size - 4)
    assert batch_size(batch) <= MAX_BATCH_BYTES
    assert opened(seal_batch(batch, KEYS.message_key, CIRCLE, KEYS.epoch_id)) == batch


def test_wrong_epoch_and_wrong_key_are_refused() -> None:
    data = seal_batch(events(2), KEYS.message_key, CIRCLE, KEYS.epoch_id)
    with pytest.raises(EnvelopeError, match="wrong epoch"):
        opened(data, epoch_id=OTHER_KEYS.epoch_id)
    with pytest.raises(EnvelopeError, match="cannot decrypt"):
        opened(data, keys=[OTHER_KEYS.message_key])


def test_relabelling_the_version_makes_it_undecryptable() -> None:
    single = wire.decode(
        seal(wire.encode(events(2)), KEYS.message_key, CIRCLE, KEYS.epoch_id), 1 << 20
    )
    batch = wire.decode(seal_batch(events(2), KEYS.message_key, CIRCLE, KEYS.epoch_id), 1 << 20)
    for document, version in ((single, BATCH_VERSION), (batch, 1)):
        with pytest.raises(EnvelopeError, match="cannot decrypt"):
            opened(wire.encode([version, *document[1:]]))


def test_unknown_versions_are_refused() -> None:
    with pytest.raises(EnvelopeError):
        opened(sealed_plaintext(wire.encode(events(2)), version=3))


HOSTILE: dict[str, Any] = {
    "a map": {"events": events(2)},
    "bytes": b"x" * 300,
    "an empty list": [],
    "one event": events(1),
    "too many events": events(MAX_BATCH_EVENTS + 1, 10),
    "a text item": [b"a" * 10, "b" * 10],
    "an integer item": [b"a" * 10, 7],
    "a nested list": [b"a" * 10, [b"b" * 10]],
    "an empty event": [b"a" * 10, b""],
    "the same event twice": [b"a" * 10, b"a" * 10],
    "over the batch size": [bytes(MAX_BATCH_BYTES // 2), bytes(MAX_BATCH_BYTES // 2) + b"x"],
}


@pytest.mark.parametrize("document", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_batches_are_refused(document: Any) -> None:
    with pytest.raises(EnvelopeError):
        opened(sealed_plaintext(wire.encode(document)))


def test_non_canonical_and_garbage_plaintexts_are_refused() -> None:
    canonical = wire.encode(events(2, 30))
    longer_header = b"\x98\x02" + canonical[1:]  # the same list, length in a longer form
    for plain in (longer_header, b"\xff\xff", b"\x82"):
        with pytest.raises(EnvelopeError):
            opened(sealed_plaintext(plain))


def test_an_oversized_event_in_a_batch_is_refused() -> None:
    with pytest.raises(EnvelopeError):
        seal_batch([bytes(MAX_SIGNED_BYTES + 1), b"a"], KEYS.message_key, CIRCLE, KEYS.epoch_id)


@pytest.mark.parametrize("count", [0, 1, MAX_BATCH_EVENTS + 1])
def test_sealing_refuses_what_receivers_refuse(count: int) -> None:
    with pytest.raises(EnvelopeError):
        seal_batch(events(count, 10), KEYS.message_key, CIRCLE, KEYS.epoch_id)


def test_a_well_formed_batch_sealed_the_same_way_opens() -> None:
    # the hostile cases above fail on their content, not on how they were sealed
    assert opened(sealed_plaintext(wire.encode(events(2)))) == events(2)
