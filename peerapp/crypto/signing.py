"""Signing and verifying circle events with the author's per-circle Ed25519 key."""

from __future__ import annotations

from dataclasses import dataclass

import nacl.exceptions
import nacl.signing

from peerapp.core.circle_events import Event, EventError, decode_event, event_id, split_signed


@dataclass(frozen=True)
class VerifiedEvent:
    event: Event
    id: bytes
    signed: bytes


def sign_event(event: Event, signing_seed: bytes) -> VerifiedEvent:
    key = nacl.signing.SigningKey(signing_seed)
    if bytes(key.verify_key) != event.author:
        raise EventError("the signing key is not the event's author")
    encoded = event.encode()
    # what we sign must be what every peer's verify_signed accepts, field for field
    checked = decode_event(encoded)
    signed = encoded + key.sign(encoded).signature
    return VerifiedEvent(checked, event_id(signed), signed)


def verify_signed(signed: bytes) -> VerifiedEvent:
    """Decode and check the signature; EventError for anything wrong."""
    encoded, signature = split_signed(signed)
    event = decode_event(encoded)
    try:
        nacl.signing.VerifyKey(event.author).verify(encoded, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        raise EventError("bad signature") from None
    return VerifiedEvent(event, event_id(signed), signed)


def public_signing_key(signing_seed: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(signing_seed).verify_key)


def sign_detached(message: bytes, signing_seed: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(signing_seed).sign(message).signature)


def verify_detached(message: bytes, signature: bytes, public_key: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(public_key).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, ValueError):
        return False
    return True
