"""Signing ephemeral signals (issue 15's typing signal): the payload followed by its
Ed25519 signature by the member's circle key. Signed, so no member can make another
member seem to type; never stored, so no signature outlives the moment."""

from __future__ import annotations

import nacl.exceptions
import nacl.signing

from peerapp.core.circle_events import KEY_BYTES, SIGNATURE_BYTES


class SignalSignatureError(ValueError):
    pass


def sign_signal(payload: bytes, signing_seed: bytes) -> bytes:
    return payload + nacl.signing.SigningKey(signing_seed).sign(payload).signature


def verify_signal(signed: bytes, member: bytes) -> bytes:
    """The payload, if `member` signed it; SignalSignatureError otherwise."""
    if len(member) != KEY_BYTES or len(signed) <= SIGNATURE_BYTES:
        raise SignalSignatureError("not a signed signal")
    payload, signature = signed[:-SIGNATURE_BYTES], signed[-SIGNATURE_BYTES:]
    try:
        nacl.signing.VerifyKey(member).verify(payload, signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise SignalSignatureError("bad signature") from None
    return payload


def signed_payload(signed: bytes) -> bytes:
    """The payload of a signed signal, before its signature is checked (to learn whose
    key checks it)."""
    if len(signed) <= SIGNATURE_BYTES:
        raise SignalSignatureError("not a signed signal")
    return signed[:-SIGNATURE_BYTES]
