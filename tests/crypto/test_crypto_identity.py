"""Profile identity keys: sizes, derivations, records, and no secrets in repr."""

from __future__ import annotations

import nacl.bindings
import pytest

from peerapp.crypto import identity
from peerapp.crypto.identity import (
    EXCHANGE_KEY,
    PEER_KEY,
    SEED_BYTES,
    SIGNING_KEY,
    ProfileKeys,
    new_profile_keys,
)

# RFC 8032 section 7.1, TEST 1: Ed25519 seed -> public key
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
# RFC 7748 section 6.1: Alice's X25519 private key -> public key
RFC7748_PRIVATE = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
RFC7748_PUBLIC = bytes.fromhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")


class QueueRandom:
    def __init__(self, *chunks: bytes) -> None:
        self._chunks = list(chunks)
        self.requests: list[int] = []

    def __call__(self, size: int) -> bytes:
        self.requests.append(size)
        chunk = self._chunks.pop(0)
        assert len(chunk) == size
        return chunk


def test_fresh_keys_have_the_right_sizes_and_differ() -> None:
    keys = new_profile_keys()
    secrets = [keys.peer_seed, keys.signing_seed, keys.exchange_private]
    assert [len(s) for s in secrets] == [SEED_BYTES] * 3 == [32] * 3
    assert len(set(secrets)) == 3
    assert len(keys.signing_public) == 32
    assert len(keys.exchange_public) == 32
    other = new_profile_keys()
    assert other.peer_seed != keys.peer_seed


def test_injected_randomness_and_known_public_keys() -> None:
    peer = bytes(range(32))
    randomness = QueueRandom(peer, RFC8032_SEED, RFC7748_PRIVATE)
    keys = new_profile_keys(random=randomness)
    assert randomness.requests == [32, 32, 32]  # peer, signing, exchange: in that order
    assert keys.peer_seed == peer
    assert keys.signing_seed == RFC8032_SEED  # published test vectors, fine to show
    assert keys.exchange_private == RFC7748_PRIVATE
    assert keys.signing_public == RFC8032_PUBLIC
    assert keys.exchange_public == RFC7748_PUBLIC


def test_public_keys_match_libsodium_derivations() -> None:
    keys = new_profile_keys()
    ed_public, _ = nacl.bindings.crypto_sign_seed_keypair(keys.signing_seed)
    matches_signing = keys.signing_public == ed_public
    matches_exchange = keys.exchange_public == nacl.bindings.crypto_scalarmult_base(
        keys.exchange_private
    )
    assert matches_signing
    assert matches_exchange


def test_records_round_trip() -> None:
    keys = new_profile_keys()
    records = keys.as_records()
    assert set(records) == {PEER_KEY, SIGNING_KEY, EXCHANGE_KEY}
    assert len(set(records)) == 3
    round_tripped = ProfileKeys.from_records(records) == keys
    assert round_tripped


def test_from_records_with_a_missing_record_fails() -> None:
    records = new_profile_keys().as_records()
    del records[SIGNING_KEY]
    with pytest.raises(KeyError):
        ProfileKeys.from_records(records)


@pytest.mark.parametrize(
    "render",
    [repr, str, lambda k: f"{k}", lambda k: f"{k!r}"],
    ids=["repr", "str", "format", "format-repr"],
)
def test_repr_carries_no_key_material(render: object) -> None:
    keys = new_profile_keys(random=QueueRandom(b"\x11" * 32, b"\x22" * 32, b"\x33" * 32))
    assert callable(render)
    text = render(keys)
    for secret in (keys.peer_seed, keys.signing_seed, keys.exchange_private):
        for encoding in (secret.hex(), secret.hex().upper(), repr(secret), str(list(secret[:4]))):
            assert encoding not in text
    assert "11" * 8 not in text
    assert "\\x11" not in text and "\\x22" not in text and "\\x33" not in text


def test_module_names_are_stable() -> None:
    # the record names are stored in every profile's database: renaming them loses keys
    assert identity.PEER_KEY == "libp2p-peer-ed25519-seed"
    assert identity.SIGNING_KEY == "identity-ed25519-seed"
    assert identity.EXCHANGE_KEY == "identity-x25519-private"
