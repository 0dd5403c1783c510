"""Frames of the sync protocol, `/hearth/sync/1.0.0`: one member pulls from another.

    asker:    {"summary": {"circle": id, "buckets": [[index, count, digest16], ...]}}
    answerer: {"ids": [id, ...], "more": bool}        (its ids in buckets that differ)
              or {"refused": REASON}
    asker:    {"want": [id, ...]}                     (repeated, each answered by events)
    answerer: {"events": [signed, ...], "more": bool} (per want, in log order)
    asker:    {"done": true}

Chunks of attachments (issue 15) ride the same protocol: a stream whose first frame is a
chunk request is a chunk session instead of a pull.

    asker:    {"chunks": {"circle": id, "message": id, "want": [index, ...]}}  (repeated)
    answerer: {"chunk_data": [[index, sealed], ...]}   (per request: those it holds)
    asker:    {"done": true}

A bucket holds the events whose lamport // BUCKET_LAMPORTS equals its index; its digest is
the XOR of the first 16 bytes of their ids, so equal sets give equal digests whatever the
order they were stored in. Events themselves travel in the join protocol's Events frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peerapp.core import attachment_policy as ap
from peerapp.core import wire
from peerapp.core.circle_events import CIRCLE_ID_BYTES, EVENT_ID_BYTES

PROTOCOL = "/hearth/sync/1.0.0"
BUCKET_LAMPORTS = 64
DIGEST_BYTES = 16
MAX_BUCKETS = 1 << 16
MAX_IDS_PER_FRAME = 4096
MAX_WANT_PER_FRAME = 1024
MAX_FRAME_BYTES = 2 * 1024 * 1024
MAX_CHUNKS_PER_FRAME = 4  # sealed chunks of 256 KiB: a frame stays near 1 MiB


class SyncFrameError(ValueError):
    pass


@dataclass(frozen=True)
class Bucket:
    index: int
    count: int
    digest: bytes


@dataclass(frozen=True)
class Summary:
    circle: bytes
    buckets: tuple[Bucket, ...]


@dataclass(frozen=True)
class IdList:
    ids: tuple[bytes, ...]
    more: bool


@dataclass(frozen=True)
class Want:
    ids: tuple[bytes, ...]


@dataclass(frozen=True)
class Done:
    pass


@dataclass(frozen=True)
class ChunkWant:
    circle: bytes
    message: bytes
    indexes: tuple[int, ...]


@dataclass(frozen=True)
class ChunkData:
    chunks: tuple[tuple[int, bytes], ...]  # (index, sealed chunk), those the answerer holds


SyncFrame = Summary | IdList | Want | Done | ChunkWant | ChunkData


def summarize(entries: Iterable[tuple[int, bytes]]) -> dict[int, Bucket]:
    """Buckets for (lamport, event id) pairs."""
    counts: dict[int, int] = {}
    digests: dict[int, int] = {}
    for lamport, event_id in entries:
        index = lamport // BUCKET_LAMPORTS
        counts[index] = counts.get(index, 0) + 1
        digests[index] = digests.get(index, 0) ^ int.from_bytes(event_id[:DIGEST_BYTES], "big")
    return {
        index: Bucket(index, counts[index], digests[index].to_bytes(DIGEST_BYTES, "big"))
        for index in counts
    }


def differing(mine: dict[int, Bucket], theirs: dict[int, Bucket]) -> list[int]:
    """Bucket indices where the two sides may hold different events, ascending."""
    return sorted(i for i in mine.keys() | theirs.keys() if mine.get(i) != theirs.get(i))


def encode_sync_frame(frame: SyncFrame) -> bytes:
    document: dict[str, Any]
    match frame:
        case Summary(circle, buckets):
            document = {
                "summary": {
                    "circle": circle,
                    "buckets": [[b.index, b.count, b.digest] for b in buckets],
                }
            }
        case IdList(ids, more):
            document = {"ids": list(ids), "more": more}
        case Want(ids):
            document = {"want": list(ids)}
        case Done():
            document = {"done": True}
        case ChunkWant(circle, message, indexes):
            document = {"chunks": {"circle": circle, "message": message, "want": list(indexes)}}
        case ChunkData(chunks):
            document = {"chunk_data": [[index, data] for index, data in chunks]}
    return wire.encode(document)


def _chunk_want(value: Any) -> ChunkWant | None:
    if not isinstance(value, dict) or set(value) != {"circle", "message", "want"}:
        return None
    circle, message, want = value["circle"], value["message"], value["want"]
    if not (isinstance(circle, bytes) and len(circle) == CIRCLE_ID_BYTES):
        return None
    if not (isinstance(message, bytes) and len(message) == EVENT_ID_BYTES):
        return None
    if not isinstance(want, list) or not 0 < len(want) <= MAX_CHUNKS_PER_FRAME:
        return None
    if not all(type(i) is int and 0 <= i < ap.MAX_CHUNKS for i in want) or len(set(want)) != len(
        want
    ):
        return None
    return ChunkWant(circle, message, tuple(want))


def _chunk_data(value: Any) -> ChunkData | None:
    if not isinstance(value, list) or len(value) > MAX_CHUNKS_PER_FRAME:
        return None
    chunks: list[tuple[int, bytes]] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2):
            return None
        index, data = item
        if type(index) is not int or not 0 <= index < ap.MAX_CHUNKS:
            return None
        if not isinstance(data, bytes) or not 0 < len(data) <= ap.SEALED_CHUNK_BYTES:
            return None
        chunks.append((index, data))
    return ChunkData(tuple(chunks))


def _ids(value: Any, limit: int) -> tuple[bytes, ...] | None:
    if not isinstance(value, list) or len(value) > limit:
        return None
    if not all(isinstance(i, bytes) and len(i) == EVENT_ID_BYTES for i in value):
        return None
    return tuple(value)


def _bucket(value: Any) -> Bucket | None:
    if not (isinstance(value, list) and len(value) == 3):
        return None
    index, count, digest = value
    if type(index) is not int or type(count) is not int or not isinstance(digest, bytes):
        return None
    if not (0 <= index < 2**47 and 0 < count < 2**32 and len(digest) == DIGEST_BYTES):
        return None
    return Bucket(index, count, digest)


def decode_sync_frame(data: bytes) -> SyncFrame:
    try:
        document = wire.decode(data, MAX_FRAME_BYTES)
    except wire.WireError as error:
        raise SyncFrameError(str(error)) from None
    if not isinstance(document, dict):
        raise SyncFrameError("a frame is a map")
    keys = set(document)
    if keys == {"summary"} and isinstance(document["summary"], dict):
        summary = document["summary"]
        circle, raw = summary.get("circle"), summary.get("buckets")
        if (
            set(summary) == {"circle", "buckets"}
            and isinstance(circle, bytes)
            and len(circle) == CIRCLE_ID_BYTES
            and isinstance(raw, list)
            and len(raw) <= MAX_BUCKETS
        ):
            buckets = [_bucket(b) for b in raw]
            if all(b is not None for b in buckets):
                return Summary(circle, tuple(b for b in buckets if b is not None))
    if keys == {"ids", "more"} and isinstance(document["more"], bool):
        ids = _ids(document["ids"], MAX_IDS_PER_FRAME)
        if ids is not None:
            return IdList(ids, document["more"])
    if keys == {"want"}:
        ids = _ids(document["want"], MAX_WANT_PER_FRAME)
        if ids is not None:
            return Want(ids)
    if keys == {"done"} and document["done"] is True:
        return Done()
    if keys == {"chunks"} and (want := _chunk_want(document["chunks"])) is not None:
        return want
    if keys == {"chunk_data"} and (answer := _chunk_data(document["chunk_data"])) is not None:
        return answer
    raise SyncFrameError("not a sync frame")
