"""One chunk session over a framed stream (issue 15), as the asker or the answerer.

A chunk session is a sync-protocol stream (core/sync_messages.py) whose first frame is a
chunk request. The asker keeps at most IN_FLIGHT requests unanswered (each of up to
MAX_CHUNKS_PER_FRAME chunks), checks every chunk against the hash its signed message
holds before handing it on to be stored, and stops at the first chunk that does not
match: that member is not asked for this file again in the session, another one is.
Both sides are bounded in chunks per session and in time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import trio

from peerapp.core import attachment_policy as ap
from peerapp.core import sync_messages as sm
from peerapp.core.attachments import chunk_hash
from peerapp.network.framed import FramedStream

SESSION_SECONDS = 120
IN_FLIGHT = 4  # requests sent ahead of their answers (so a round trip is not idle time)


class ChunkSessionAborted(Exception):
    """The other side broke the protocol or a bound; nothing more of it is stored."""


@dataclass(frozen=True)
class FetchOutcome:
    received: int  # chunks that matched and were stored
    absent: tuple[int, ...]  # chunks the answerer does not hold
    tampered: int  # chunks that did not match their signed hash (0 or 1: the session ends)


# asker: checked chunks of one answer -> stored (index -> sealed chunk)
StoreChunks = Callable[[dict[int, bytes]], Awaitable[None]]
# answerer: (circle, message, indexes) -> the chunks held, or None: not for this asker
Lookup = Callable[[bytes, bytes, tuple[int, ...]], dict[int, bytes] | None]


async def _receive(stream: FramedStream) -> sm.SyncFrame:
    try:
        return sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
    except sm.SyncFrameError as error:
        raise ChunkSessionAborted(f"bad chunk frame ({error})") from None


async def fetch(
    stream: FramedStream,
    circle: bytes,
    message: bytes,
    missing: list[int],
    *,
    hashes: tuple[bytes, ...],
    store: StoreChunks,
) -> FetchOutcome:
    """Ask for `missing` chunks of one message; store each answer's matching chunks."""
    batches = deque(
        tuple(missing[i : i + sm.MAX_CHUNKS_PER_FRAME])
        for i in range(0, len(missing), sm.MAX_CHUNKS_PER_FRAME)
    )
    waiting: deque[tuple[int, ...]] = deque()
    received = 0
    absent: list[int] = []
    with trio.fail_after(SESSION_SECONDS):
        while batches or waiting:
            while batches and len(waiting) < IN_FLIGHT:
                batch = batches.popleft()
                await stream.send(sm.encode_sync_frame(sm.ChunkWant(circle, message, batch)))
                waiting.append(batch)
            asked = waiting.popleft()
            frame = await _receive(stream)
            if not isinstance(frame, sm.ChunkData):
                raise ChunkSessionAborted("expected chunk data")
            good: dict[int, bytes] = {}
            tampered = 0
            for index, data in frame.chunks:
                if index not in asked or index in good:
                    raise ChunkSessionAborted("a chunk that was not asked for")
                if chunk_hash(data) != hashes[index]:
                    tampered = 1  # refused; what matched before it is still kept
                    break
                good[index] = data
            if good:
                await store(good)
                received += len(good)
            if tampered:
                return FetchOutcome(received, tuple(absent), tampered)
            absent.extend(i for i in asked if i not in good)
        await stream.send(sm.encode_sync_frame(sm.Done()))
    return FetchOutcome(received, tuple(absent), 0)


async def answer(stream: FramedStream, first: sm.ChunkWant, lookup: Lookup) -> None:
    """Serve one asker whose first chunk request has been read."""
    request: sm.SyncFrame = first
    served = 0
    with trio.fail_after(SESSION_SECONDS):
        while True:
            if isinstance(request, sm.Done):
                return
            if not isinstance(request, sm.ChunkWant) or request.circle != first.circle:
                raise ChunkSessionAborted("expected a chunk request or done")
            served += len(request.indexes)
            if served > ap.MAX_CHUNKS_PER_SESSION:
                raise ChunkSessionAborted("asked for too many chunks")
            held = lookup(request.circle, request.message, request.indexes)
            if held is None:
                raise ChunkSessionAborted("a file this asker may not read")
            chunks = tuple(sorted(held.items()))
            await stream.send(sm.encode_sync_frame(sm.ChunkData(chunks)))
            request = await _receive(stream)
