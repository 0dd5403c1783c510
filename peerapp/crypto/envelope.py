"""Envelopes: what travels on a circle's GossipSub topic.

    envelope = canonical CBOR [version, epoch_id, nonce24, ciphertext]
    version 1: ciphertext = XChaCha20-Poly1305(key, pad(signed event), ad = circle_id || epoch_id)
    version 2: ciphertext = XChaCha20-Poly1305(key, pad(CBOR [signed event, ...]),
                                               ad = circle_id || epoch_id || BATCH_AD)

    version 3: ciphertext = XChaCha20-Poly1305(message key, pad(signed signal),
                                               ad = circle_id || epoch_id || SIGNAL_AD)

Version 3 carries an ephemeral signal (the typing indicator, core/typing_signals.py),
never an event: `open_envelope` refuses it and `open_signal` takes only it, so a signal
can never be stored as an event nor an event shown as a signal. An engine from before
it existed finds no version it knows and drops it. Its plaintext pads to the smallest
bucket, the size of a short message's.

Version 2 carries 2..MAX_BATCH_EVENTS events of one sender in one pubsub message: under
load the per-message cost of GossipSub (an RPC, its signature, its relays) is shared.
Its associated data differs from version 1's, so relabelling one as the other makes it
undecryptable rather than misread. A batch is decoded strictly (a member's modified app
may send a hostile one): a canonical list of distinct, non-empty byte strings, each at
most MAX_SIGNED_BYTES, the whole at most MAX_BATCH_BYTES.

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
BATCH_VERSION = 2
BATCH_AD = b"hearth:batch:v2"
SIGNAL_VERSION = 3
SIGNAL_AD = b"hearth:signal:v3"
MAX_SIGNAL_BYTES = 512
MAX_BATCH_EVENTS = 64
# one plaintext bucket (64 KiB, its padding byte included): far under the pubsub limit
MAX_BATCH_BYTES = 64 * 1024 - 1
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
    """(epoch_id, nonce, ciphertext) of a version 1 envelope after shape checks, before
    any decryption."""
    version, epoch_id, nonce, ciphertext = _peek(envelope)
    if version != VERSION:
        raise EnvelopeError("not an envelope")
    return epoch_id, nonce, ciphertext


def _peek(envelope: bytes) -> tuple[int, bytes, bytes, bytes]:
    try:
        document = wire.decode(envelope, MAX_ENVELOPE_BYTES)
    except wire.WireError as error:
        raise EnvelopeError(str(error)) from None
    shaped = (
        isinstance(document, list)
        and len(document) == 4
        and type(document[0]) is int
        and document[0] in (VERSION, BATCH_VERSION, SIGNAL_VERSION)
        and isinstance(document[1], bytes)
        and len(document[1]) == EPOCH_ID_BYTES
        and isinstance(document[2], bytes)
        and len(document[2]) == NONCE_BYTES
        and isinstance(document[3], bytes)
        and len(document[3]) >= TAG_BYTES + BUCKETS[0]
    )
    if not shaped:
        raise EnvelopeError("not an envelope")
    return document[0], document[1], document[2], document[3]


def open_with(
    keys: list[bytes], circle_id: bytes, epoch_id: bytes, nonce: bytes, ciphertext: bytes
) -> bytes:
    """The signed event inside, trying each key; EnvelopeError when none opens it."""
    return _decrypt(keys, circle_id + epoch_id, nonce, ciphertext)


def _decrypt(keys: list[bytes], associated: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    for key in keys:
        try:
            padded = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
                ciphertext, associated, nonce, key
            )
        except nacl.exceptions.CryptoError:
            continue
        return unpad(bytes(padded))
    raise EnvelopeError("cannot decrypt")


def seal_batch(
    signed_events: list[bytes],
    key: bytes,
    circle_id: bytes,
    epoch_id: bytes,
    random: Callable[[int], bytes] = nacl.utils.random,
) -> bytes:
    """A version 2 envelope holding 2..MAX_BATCH_EVENTS signed events."""
    plaintext = wire.encode(list(signed_events))
    _check_batch(signed_events, len(plaintext))
    nonce = random(NONCE_BYTES)
    ciphertext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(plaintext), circle_id + epoch_id + BATCH_AD, nonce, key
    )
    return wire.encode([BATCH_VERSION, epoch_id, nonce, ciphertext])


def batch_size(signed_events: list[bytes]) -> int:
    """The encoded plaintext size of a batch of these events (for filling one)."""
    return len(wire.encode(list(signed_events)))


def open_envelope(data: bytes, keys: list[bytes], circle_id: bytes, epoch_id: bytes) -> list[bytes]:
    """The signed events inside a version 1 or 2 envelope of this epoch, trying each key.

    EnvelopeError for anything else: another epoch, a bad shape, no key opens it, or a
    batch that is not strictly well formed."""
    version, sealed_epoch, nonce, ciphertext = _peek(data)
    if sealed_epoch != epoch_id:
        raise EnvelopeError("wrong epoch for topic")
    if version == SIGNAL_VERSION:
        raise EnvelopeError("a signal, not events")
    if version == VERSION:
        return [_decrypt(keys, circle_id + epoch_id, nonce, ciphertext)]
    return _decode_batch(_decrypt(keys, circle_id + epoch_id + BATCH_AD, nonce, ciphertext))


def is_signal(data: bytes) -> bool:
    """Whether `data` is shaped as a signal envelope (nothing is decrypted)."""
    try:
        return _peek(data)[0] == SIGNAL_VERSION
    except EnvelopeError:
        return False


def seal_signal(
    signed: bytes,
    key: bytes,
    circle_id: bytes,
    epoch_id: bytes,
    random: Callable[[int], bytes] = nacl.utils.random,
) -> bytes:
    """A version 3 envelope holding one signed signal."""
    if not 0 < len(signed) <= MAX_SIGNAL_BYTES:
        raise EnvelopeError("a signal is small")
    nonce = random(NONCE_BYTES)
    ciphertext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        pad(signed), circle_id + epoch_id + SIGNAL_AD, nonce, key
    )
    return wire.encode([SIGNAL_VERSION, epoch_id, nonce, ciphertext])


def open_signal(data: bytes, key: bytes, circle_id: bytes, epoch_id: bytes) -> bytes:
    """The signed signal inside a version 3 envelope of this epoch; EnvelopeError for
    anything else (an event envelope, another epoch, a key that does not open it)."""
    version, sealed_epoch, nonce, ciphertext = _peek(data)
    if version != SIGNAL_VERSION:
        raise EnvelopeError("not a signal")
    if sealed_epoch != epoch_id:
        raise EnvelopeError("wrong epoch for topic")
    signed = _decrypt([key], circle_id + epoch_id + SIGNAL_AD, nonce, ciphertext)
    if not 0 < len(signed) <= MAX_SIGNAL_BYTES:
        raise EnvelopeError("a signal is small")
    return signed


def _decode_batch(plaintext: bytes) -> list[bytes]:
    try:
        events = wire.decode(plaintext, MAX_BATCH_BYTES)
    except wire.WireError as error:
        raise EnvelopeError(f"bad batch ({error})") from None
    if not isinstance(events, list) or not all(type(e) is bytes for e in events):
        raise EnvelopeError("a batch is a list of signed events")
    _check_batch(events, len(plaintext))
    return events


def _check_batch(events: list[bytes], size: int) -> None:
    if not 2 <= len(events) <= MAX_BATCH_EVENTS:
        raise EnvelopeError(f"a batch holds 2 to {MAX_BATCH_EVENTS} events, not {len(events)}")
    if size > MAX_BATCH_BYTES:
        raise EnvelopeError(f"a batch holds at most {MAX_BATCH_BYTES} bytes")
    if any(not 0 < len(e) <= MAX_SIGNED_BYTES for e in events):
        raise EnvelopeError("an empty or oversized event in a batch")
    if len(set(events)) != len(events):
        raise EnvelopeError("the same event twice in a batch")
