"""Frames of the sync protocol, `/hearth/sync/1.0.0`: one member pulls from another.

    asker:    {"summary": {"circle": id, "buckets": [[index, count, digest16], ...]}}
    answerer: {"ids": [id, ...], "more": bool}        (its ids in buckets that differ)
              or {"refused": REASON}
    asker:    {"want": [id, ...]}                     (repeated, each answered by events)
    answerer: {"events": [signed, ...], "more": bool} (per want, in log order)
    asker:    {"done": true}

A bucket holds the events whose lamport // BUCKET_LAMPORTS equals its index; its digest is
the XOR of the first 16 bytes of their ids, so equal sets give equal digests whatever the
order they were stored in. Events themselves travel in the join protocol's Events frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peerapp.core import wire
from peerapp.core.circle_events import CIRCLE_ID_BYTES, EVENT_ID_BYTES

PROTOCOL = "/hearth/sync/1.0.0"
BUCKET_LAMPORTS = 64
DIGEST_BYTES = 16
MAX_BUCKETS = 1 << 16
MAX_IDS_PER_FRAME = 4096
MAX_WANT_PER_FRAME = 1024
MAX_FRAME_BYTES = 2 * 1024 * 1024


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


SyncFrame = Summary | IdList | Want | Done


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
    return wire.encode(document)


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
    raise SyncFrameError("not a sync frame")
