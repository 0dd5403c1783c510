"""A new onion service key made here, so its address is known before ADD_ONION.

Why: a node in Tor mode advertises its onion address from the moment it listens (its
announce list and signed peer record), while the onion service can only be added once
the listener's port is known. With the key made first, the address is known first;
ADD_ONION then gets the key (`add_onion(..., key=...)`), and tor must answer with the
same address (onion.py checks it).

rend-spec-v3: the address is base32(public key | checksum | version 3), the checksum the
first two bytes of SHA3-256(".onion checksum" | public key | version). Tor takes the key
as base64 of the 64-byte expanded ed25519 secret key: the clamped scalar from SHA-512 of
the seed, then the hash's second half (RFC 8032, 5.1.5).
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from nacl.signing import SigningKey

from peerapp.network.tor.onion import OnionKey

_VERSION = b"\x03"


def onion_key_from_seed(seed: bytes) -> OnionKey:
    """The onion key (and address) for a 32-byte ed25519 seed."""
    if len(seed) != 32:
        raise ValueError("an ed25519 seed is 32 bytes")
    digest = bytearray(hashlib.sha512(seed).digest())
    digest[0] &= 248
    digest[31] &= 127
    digest[31] |= 64
    public_key = bytes(SigningKey(seed).verify_key)
    checksum = hashlib.sha3_256(b".onion checksum" + public_key + _VERSION).digest()[:2]
    address = base64.b32encode(public_key + checksum + _VERSION).decode().lower()
    return OnionKey(address=address, blob=base64.b64encode(bytes(digest)).decode())


def new_onion_key() -> OnionKey:
    return onion_key_from_seed(secrets.token_bytes(32))
