"""A message's attachment, as the signed body carries it (core/circle_events.py checks
its shape): the manifest a member needs to fetch, check and open the file.

Sans-IO: hashing and the body's shape only (sealing is crypto/attachment_cipher.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from peerapp.core import attachment_policy as ap


def chunk_hash(sealed: bytes) -> bytes:
    """What the signed message holds for a sealed chunk: BLAKE2b-256 of its bytes. A
    replica checks it before storing a chunk, without needing to open it."""
    return hashlib.blake2b(sealed, digest_size=ap.HASH_BYTES).digest()


@dataclass(frozen=True, repr=False)
class Manifest:
    name: str
    size: int  # plaintext bytes
    mime: str
    key: bytes
    chunk: int  # plaintext bytes per chunk
    hashes: tuple[bytes, ...]  # of each sealed chunk, in order
    thumb: bytes = b""  # a small JPEG preview, b"" when none

    def __repr__(self) -> str:  # never the key
        return f"Manifest(name={self.name!r}, size={self.size}, mime={self.mime!r})"

    @property
    def count(self) -> int:
        return len(self.hashes)

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    def chunk_plain_size(self, index: int) -> int:
        """Plaintext bytes in chunk `index` (the last one may be short)."""
        return min(self.chunk, self.size - index * self.chunk)

    def sealed_size(self, index: int) -> int:
        return self.chunk_plain_size(index) + ap.SEAL_OVERHEAD

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "size": self.size,
            "mime": self.mime,
            "key": self.key,
            "chunk": self.chunk,
            "hashes": list(self.hashes),
        }
        if self.thumb:
            body["thumb"] = self.thumb
        return body

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> Manifest:
        """From a body circle_events already checked."""
        return cls(
            name=body["name"],
            size=body["size"],
            mime=body["mime"],
            key=body["key"],
            chunk=body["chunk"],
            hashes=tuple(body["hashes"]),
            thumb=body.get("thumb", b""),
        )


def clean_file_name(name: str) -> str:
    """A name fit to suggest when saving: no folders, no control characters, no leading
    dots (a hidden file), at most MAX_NAME_CHARS; "file" when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if c.isprintable()).strip().lstrip(".")
    return kept[: ap.MAX_NAME_CHARS] or "file"
