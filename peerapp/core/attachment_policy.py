"""The limits of pictures and files (issue 15), stated once: the engine enforces them,
every replica checks them on receipt, the GUI words them (ui/text/attachments.py).

A file travels as chunks of CHUNK_BYTES plaintext, each sealed on its own (so a chunk is
checked and stored as it arrives, from whichever member holds it); the signed message
carries the hash of every sealed chunk, so MAX_LIMIT_BYTES bounds the list it signs.
"""

from __future__ import annotations

MB = 1024 * 1024

CHUNK_BYTES = 256 * 1024  # plaintext per chunk; a sealed chunk is 16 bytes longer
SEAL_OVERHEAD = 16  # the Poly1305 tag
SEALED_CHUNK_BYTES = CHUNK_BYTES + SEAL_OVERHEAD
HASH_BYTES = 32  # BLAKE2b-256 of a sealed chunk
FILE_KEY_BYTES = 32

DEFAULT_LIMIT_BYTES = 25 * MB  # a circle's size limit per file until facilitators set one
MIN_LIMIT_BYTES = 1 * MB
MAX_LIMIT_BYTES = 100 * MB  # the highest limit a facilitator may set (400 chunk hashes)
MAX_CHUNKS = -(-MAX_LIMIT_BYTES // CHUNK_BYTES)

MAX_NAME_CHARS = 255
MAX_MIME_CHARS = 100

# the inline preview carried in the signed message, so a picture shows before its chunks
THUMBNAIL_EDGE = 320  # pixels, the longer side
MAX_THUMBNAIL_BYTES = 32 * 1024
# Pillow's decompression-bomb bound: a picture of more pixels is refused, never decoded
MAX_IMAGE_PIXELS = 40_000_000
# what a picture is re-encoded to before sending (metadata stripped): PNG keeps
# transparency and line art; everything else becomes JPEG at this quality
JPEG_QUALITY = 88

# fetching: chunks asked for in one request (a frame of them stays under the sync
# protocol's 2 MiB), and requests one fetch keeps waiting at once (bounded in flight)
CHUNKS_PER_REQUEST = 4
MAX_CHUNKS_PER_SESSION = MAX_CHUNKS * 4
# a save waits this long for a chunk to arrive before it says no member has the file
SAVE_STALL_SECONDS = 120.0

# what every replica stores for others' files, per author (a hostile member cannot fill
# other members' disks): bytes per day and bytes kept, counted like events' quotas
AUTHOR_BYTES_PER_DAY = 512 * MB
AUTHOR_STORED_BYTES = 1024 * MB


def chunk_count(size: int, chunk: int = CHUNK_BYTES) -> int:
    """How many chunks a file of `size` bytes (at least 1) travels in."""
    return -(-size // chunk)


def is_valid_limit(limit: int) -> bool:
    return MIN_LIMIT_BYTES <= limit <= MAX_LIMIT_BYTES
