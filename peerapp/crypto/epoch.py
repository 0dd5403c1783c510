"""Epoch keys: one random secret per epoch, and everything derived from it.

Each derivation is BLAKE2b keyed with the secret over its own purpose label, so the keys
are independent and the topic name reveals nothing about the circle or the keys.
The secret reaches each member sealed (X25519 SealedBox) to that member's exchange key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.utils

from peerapp.core.circle_events import EPOCH_ID_BYTES

SECRET_BYTES = 32
TOPIC_PREFIX = "hearth/"

_LABEL_EPOCH_ID = b"peerapp:epoch-id"
_LABEL_MESSAGE_KEY = b"peerapp:message-key"
_LABEL_CONTROL_KEY = b"peerapp:control-key"
_LABEL_TOPIC = b"peerapp:topic"


def _derive(secret: bytes, label: bytes, size: int) -> bytes:
    return bytes(
        nacl.hash.blake2b(label, digest_size=size, key=secret, encoder=nacl.encoding.RawEncoder)
    )


@dataclass(frozen=True, repr=False)
class EpochKeys:
    secret: bytes

    @property
    def epoch_id(self) -> bytes:
        return _derive(self.secret, _LABEL_EPOCH_ID, EPOCH_ID_BYTES)

    @property
    def message_key(self) -> bytes:
        return _derive(self.secret, _LABEL_MESSAGE_KEY, 32)

    @property
    def control_key(self) -> bytes:
        return _derive(self.secret, _LABEL_CONTROL_KEY, 32)

    @property
    def topic(self) -> str:
        return TOPIC_PREFIX + _derive(self.secret, _LABEL_TOPIC, 16).hex()

    def __repr__(self) -> str:
        return f"EpochKeys(epoch_id={self.epoch_id.hex()})"


def new_epoch(random: Callable[[int], bytes] = nacl.utils.random) -> EpochKeys:
    return EpochKeys(random(SECRET_BYTES))


def seal_secret(secret: bytes, exchange_public: bytes) -> bytes:
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(exchange_public)).encrypt(secret))


def open_sealed_secret(sealed: bytes, exchange_private: bytes) -> bytes | None:
    """The secret, or None when it was not sealed to this key or is damaged."""
    try:
        secret = nacl.public.SealedBox(nacl.public.PrivateKey(exchange_private)).decrypt(sealed)
    except (nacl.exceptions.CryptoError, ValueError):
        return None
    return bytes(secret) if len(secret) == SECRET_BYTES else None
