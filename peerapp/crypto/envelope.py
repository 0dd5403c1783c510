"""Envelopes: what travels on a circle's GossipSub topic.

    envelope = canonical CBOR [version, epoch_id, nonce24, ciphertext]
    ciphertext = XChaCha20-Poly1305(key, pad(signed event), ad = circle_id || epoch_id)

Padding (ISO/IEC 7816-4: 0x80 then zeros) rounds the plaintext up to a size bucket so an
observer learns only the bucket. Messages use the epoch's message key, control events
its control key; a receiver tries both.
"""

from __future__ import annotations

from collections.abc import Callable

import nacl.bindings
import nacl.exceptions
import nacl.utils

from peerapp.core import wire
from peerapp.core.circle_events import EPOCH_ID_BYTES, MAX_SIGNED_BYTES

VERSION = 1
NONCE_BYTES = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
TAG_BYTES = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_ABYTES
BUCKETS = (256, 1024, 4096, 16 * 1024, 64 * 1024, 256 * 1024 + 1024)
MAX_ENVELOPE_BYTES = BUCKETS[-1] + TAG_BYTES + NONCE_BYTES + EPOCH_ID_BYTES + 64


class EnvelopeError(ValueError):
    pass


def pad(data: bytes) -> bytes:
    needed = len(data) + 1
    for bucket in BUCKETS:
        if needed <= bucket:
            return data + b"\x80" + bytes(bucket - needed)
    raise EnvelopeError("too large to send")


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end or end[-1] != 0x80:
        raise EnvelopeError("bad padding")
    return end[:-1]


def seal(
    signed: bytes,
    key: bytes,
    circle_id: bytes,
    epoch_id: bytes,
    random: Callable[[int], bytes] = nacl.utils.random,
) -> bytes:
    if len(signed) > MAX_SIGNED_BYTES:
        raise EnvelopeError("too large to send")
    nonce = random(NONCE_BYTES)
    ciphertext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(signed), circle_id + epoch_id, nonce, key
    )
    return wire.encode([VERSION, epoch_id, nonce, ciphertext])


def peek_epoch(envelope: bytes) -> tuple[bytes, bytes, bytes]:
    """(epoch_id, nonce, ciphertext) after shape checks, before any decryption."""
    try:
        document = wire.decode(envelope, MAX_ENVELOPE_BYTES)
    except wire.WireError as error:
        raise EnvelopeError(str(error)) from None
    shaped = (
        isinstance(document, list)
        and len(document) == 4
        and type(document[0]) is int
        and document[0] == VERSION
        and isinstance(document[1], bytes)
        and len(document[1]) == EPOCH_ID_BYTES
        and isinstance(document[2], bytes)
        and len(document[2]) == NONCE_BYTES
        and isinstance(document[3], bytes)
        and len(document[3]) >= TAG_BYTES + BUCKETS[0]
    )
    if not shaped:
        raise EnvelopeError("not an envelope")
    return document[1], document[2], document[3]


def open_with(
    keys: list[bytes], circle_id: bytes, epoch_id: bytes, nonce: bytes, ciphertext: bytes
) -> bytes:
    """The signed event inside, trying each key; EnvelopeError when none opens it."""
    for key in keys:
        try:
            padded = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
                ciphertext, circle_id + epoch_id, nonce, key
            )
        except nacl.exceptions.CryptoError:
            continue
        return unpad(bytes(padded))
    raise EnvelopeError("cannot decrypt")
