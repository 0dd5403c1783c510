"""The profile's long-lived key material, created once and kept in the encrypted database.

- the libp2p peer key: an Ed25519 seed (the peer id derives from it, so it is stable);
- the profile identity: an Ed25519 signing seed and an X25519 private key for receiving
  sealed group keys. Per-circle identities derive their own keys later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import nacl.public
import nacl.signing
import nacl.utils

SEED_BYTES = 32

PEER_KEY = "libp2p-peer-ed25519-seed"
SIGNING_KEY = "identity-ed25519-seed"
EXCHANGE_KEY = "identity-x25519-private"


@dataclass(frozen=True, repr=False)
class ProfileKeys:
    peer_seed: bytes
    signing_seed: bytes
    exchange_private: bytes

    def as_records(self) -> dict[str, bytes]:
        return {
            PEER_KEY: self.peer_seed,
            SIGNING_KEY: self.signing_seed,
            EXCHANGE_KEY: self.exchange_private,
        }

    @classmethod
    def from_records(cls, records: dict[str, bytes]) -> ProfileKeys:
        return cls(records[PEER_KEY], records[SIGNING_KEY], records[EXCHANGE_KEY])

    @property
    def signing_public(self) -> bytes:
        return bytes(nacl.signing.SigningKey(self.signing_seed).verify_key)

    @property
    def exchange_public(self) -> bytes:
        return bytes(nacl.public.PrivateKey(self.exchange_private).public_key)


def new_profile_keys(random: Callable[[int], bytes] = nacl.utils.random) -> ProfileKeys:
    return ProfileKeys(
        peer_seed=random(SEED_BYTES),
        signing_seed=random(SEED_BYTES),
        exchange_private=bytes(nacl.public.PrivateKey(random(SEED_BYTES))),
    )
