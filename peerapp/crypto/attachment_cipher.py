"""Sealing a file's chunks (issue 15): XChaCha20-Poly1305 under a fresh key per file.

Each chunk is sealed on its own, so it can be checked, stored and served as it arrives,
from any member, in any order. The nonce is the chunk's index (24 bytes, big-endian):
the key is fresh for each file and each index is sealed once, so a (key, nonce) pair is
never used twice, and nothing random needs to travel with a chunk. The associated data
binds the chunk to its place and to the file's chunk count, so a chunk moved to another
index, or a file cut short, does not open. XChaCha20-Poly1305 is what the key file and
the envelopes already use (one AEAD in the project).
"""

from __future__ import annotations

import nacl.bindings
import nacl.exceptions
import nacl.utils

from peerapp.core.attachment_policy import FILE_KEY_BYTES

_LABEL = b"hearth:chunk:v1"
_NONCE_BYTES = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES


class ChunkUnreadable(ValueError):
    """A chunk that does not open with the file's key (its author sealed something else)."""


def fresh_file_key() -> bytes:
    return nacl.utils.random(FILE_KEY_BYTES)


def _nonce_and_ad(index: int, count: int) -> tuple[bytes, bytes]:
    nonce = index.to_bytes(_NONCE_BYTES, "big")
    return nonce, _LABEL + index.to_bytes(8, "big") + count.to_bytes(8, "big")


def seal_chunk(key: bytes, index: int, count: int, plain: bytes) -> bytes:
    nonce, ad = _nonce_and_ad(index, count)
    return bytes(nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, nonce, key))


def open_chunk(key: bytes, index: int, count: int, sealed: bytes) -> bytes:
    nonce, ad = _nonce_and_ad(index, count)
    try:
        return bytes(
            nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, ad, nonce, key)
        )
    except nacl.exceptions.CryptoError:
        raise ChunkUnreadable("a chunk does not open with its file's key") from None
