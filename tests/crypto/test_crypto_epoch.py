"""Epoch keys: independent deterministic derivations, opaque topics, sealed secrets."""

from __future__ import annotations

import hashlib

import nacl.public
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core.circle_events import EPOCH_ID_BYTES
from peerapp.crypto.epoch import (
    SECRET_BYTES,
    TOPIC_PREFIX,
    EpochKeys,
    new_epoch,
    open_sealed_secret,
    seal_secret,
)
from tests.crypto.circle_fixtures import circle_id_for, epoch_secret, identity

SECRET = epoch_secret("epoch-tests")
ALICE = identity("alice")
BOB = identity("bob")


def derived(keys: EpochKeys) -> list[bytes]:
    return [keys.epoch_id, keys.message_key, keys.control_key, keys.topic.encode()]


def test_sizes_and_topic_shape() -> None:
    keys = EpochKeys(SECRET)
    assert len(keys.epoch_id) == EPOCH_ID_BYTES
    assert len(keys.message_key) == 32
    assert len(keys.control_key) == 32
    assert keys.topic.startswith(TOPIC_PREFIX) and TOPIC_PREFIX == "hearth/"
    suffix = keys.topic[len(TOPIC_PREFIX) :]
    assert len(suffix) == 32
    assert int(suffix, 16) >= 0 and suffix == suffix.lower()


def test_derivations_are_distinct() -> None:
    keys = EpochKeys(SECRET)
    topic_material = bytes.fromhex(keys.topic[len(TOPIC_PREFIX) :])
    values = [keys.epoch_id, keys.message_key, keys.control_key, topic_material, SECRET]
    assert len(set(values)) == len(values)
    # nor is any derivation a prefix of another (truncations of one stream)
    assert not keys.message_key.startswith(keys.epoch_id)
    assert not keys.control_key.startswith(topic_material)
    assert not keys.message_key.startswith(topic_material)


def test_derivations_are_blake2b_keyed_by_the_secret_over_their_labels() -> None:
    """Pins the wire protocol: every replica must derive the same keys and topic."""

    def blake(label: bytes, size: int) -> bytes:
        return hashlib.blake2b(label, digest_size=size, key=SECRET).digest()

    keys = EpochKeys(SECRET)
    assert keys.epoch_id == blake(b"peerapp:epoch-id", 16)
    assert keys.message_key == blake(b"peerapp:message-key", 32)
    assert keys.control_key == blake(b"peerapp:control-key", 32)
    assert keys.topic == "hearth/" + blake(b"peerapp:topic", 16).hex()


def test_deterministic_for_a_secret_and_different_across_secrets() -> None:
    assert derived(EpochKeys(SECRET)) == derived(EpochKeys(bytes(SECRET)))
    assert EpochKeys(SECRET) == EpochKeys(bytes(SECRET))
    other = derived(EpochKeys(epoch_secret("another")))
    for mine, theirs in zip(derived(EpochKeys(SECRET)), other, strict=True):
        assert mine != theirs


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=SECRET_BYTES, max_size=SECRET_BYTES), st.binary(min_size=16, max_size=16))
def test_topic_reveals_neither_circle_nor_keys(secret: bytes, circle: bytes) -> None:
    keys = EpochKeys(secret)
    topic = keys.topic
    assert topic.startswith("hearth/")
    for value in (circle, secret, keys.epoch_id, keys.message_key, keys.control_key):
        assert value.hex() not in topic
        assert value.hex()[:16] not in topic
    assert len({keys.epoch_id, keys.message_key[:16], keys.control_key[:16]}) == 3


def test_topic_does_not_depend_on_the_circle() -> None:
    keys = EpochKeys(SECRET)
    for label in ("a", "b", "c"):
        circle = circle_id_for(label)
        assert circle.hex() not in keys.topic
    assert keys.topic == EpochKeys(SECRET).topic


def test_new_epoch_uses_the_injected_randomness() -> None:
    requests: list[int] = []

    def random(size: int) -> bytes:
        requests.append(size)
        return SECRET

    assert new_epoch(random=random) == EpochKeys(SECRET)
    assert requests == [SECRET_BYTES]
    assert new_epoch().secret != new_epoch().secret
    assert len(new_epoch().secret) == SECRET_BYTES


def test_repr_hides_the_secret_and_keys() -> None:
    keys = EpochKeys(SECRET)
    text = repr(keys) + str(keys) + f"{keys}"
    assert keys.epoch_id.hex() in text
    for hidden in (SECRET, keys.message_key, keys.control_key):
        assert hidden.hex() not in text
        assert repr(hidden) not in text
    assert keys.topic not in text


# -- sealed secrets ---------------------------------------------------------------------


def test_seal_and_open_round_trip() -> None:
    sealed = seal_secret(SECRET, ALICE.exchange)
    assert SECRET not in sealed
    assert len(sealed) == SECRET_BYTES + 48  # ephemeral key + MAC
    assert open_sealed_secret(sealed, ALICE.exchange_private) == SECRET


def test_sealing_twice_differs() -> None:
    assert seal_secret(SECRET, ALICE.exchange) != seal_secret(SECRET, ALICE.exchange)


def test_wrong_private_key_gets_none() -> None:
    sealed = seal_secret(SECRET, ALICE.exchange)
    assert open_sealed_secret(sealed, BOB.exchange_private) is None


@pytest.mark.parametrize(
    "damage",
    ["flipped byte", "truncated", "extended", "empty", "garbage"],
)
def test_damaged_sealed_secret_gets_none(damage: str) -> None:
    sealed = seal_secret(SECRET, ALICE.exchange)
    if damage == "flipped byte":
        sealed = sealed[:10] + bytes([sealed[10] ^ 1]) + sealed[11:]
    elif damage == "truncated":
        sealed = sealed[:-1]
    elif damage == "extended":
        sealed += b"\x00"
    elif damage == "empty":
        sealed = b""
    else:
        sealed = bytes(80)
    assert open_sealed_secret(sealed, ALICE.exchange_private) is None


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_a_sealed_value_of_the_wrong_size_gets_none(size: int) -> None:
    sealed = seal_secret(bytes(size), ALICE.exchange)
    assert open_sealed_secret(sealed, ALICE.exchange_private) is None


@pytest.mark.parametrize("size", [0, 31, 33])
def test_a_private_key_of_the_wrong_size_gets_none(size: int) -> None:
    sealed = seal_secret(SECRET, ALICE.exchange)
    assert open_sealed_secret(sealed, bytes(size)) is None


def test_sealed_to_the_public_half_of_the_key() -> None:
    private = nacl.public.PrivateKey(ALICE.exchange_private)
    assert bytes(private.public_key) == ALICE.exchange
