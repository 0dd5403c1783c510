"""One sync session over a framed stream, as the asker (pull) or the answerer.

Both drivers are bounded: ids listed, events and bytes per session, frame sizes, and a
deadline. Storage and verification come in as callables, so the drivers only speak the
protocol (peerapp/core/sync_messages.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import trio

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages as sm
from peerapp.core.circle_events import event_id
from peerapp.network.framed import FramedStream

log = logging.getLogger(__name__)

MAX_SESSION_IDS = 200_000
MAX_SESSION_EVENTS = 200_000
MAX_SESSION_BYTES = 256 * 1024 * 1024
SESSION_SECONDS = 120
EVENTS_FRAME_BYTES = 900 * 1024


class SyncAborted(Exception):
    """The other side broke the protocol or a bound; the session ends and nothing more of
    it is stored."""


class SyncPaused(Exception):
    """The asker stops early through no fault of the answerer (quotas are spent for now);
    a later pull takes the rest."""


@dataclass(frozen=True)
class PullOutcome:
    wanted: int
    received: int


# asker-side callables
Present = Callable[[list[bytes]], set[bytes]]
StoreBatch = Callable[[list[bytes]], Awaitable[bool]]  # False: the batch was invalid
Progress = Callable[[int, int], None]

# answerer-side callables
IdsIn = Callable[[int, int], list[bytes]]  # (low lamport, high lamport) -> ids in log order
SignedFor = Callable[[list[bytes]], list[bytes]]  # ids -> signed events, log order


async def _receive_sync(stream: FramedStream) -> sm.SyncFrame:
    try:
        return sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
    except sm.SyncFrameError as error:
        raise SyncAborted(f"bad sync frame ({error})") from None


async def pull(
    stream: FramedStream,
    circle: bytes,
    *,
    mine: dict[int, sm.Bucket],
    present: Present,
    store_batch: StoreBatch,
    progress: Progress,
) -> PullOutcome:
    with trio.fail_after(SESSION_SECONDS):
        await stream.send(sm.encode_sync_frame(sm.Summary(circle, tuple(mine.values()))))
        offered: list[bytes] = []
        while True:
            frame = await _receive_sync(stream)
            if not isinstance(frame, sm.IdList):
                raise SyncAborted("expected an id list")
            offered.extend(frame.ids)
            if len(offered) > MAX_SESSION_IDS:
                raise SyncAborted("too many ids offered")
            if not frame.more:
                break
        have = present(offered)
        missing = list(dict.fromkeys(i for i in offered if i not in have))
        received = 0
        total_bytes = 0
        progress(0, len(missing))
        for start in range(0, len(missing), sm.MAX_WANT_PER_FRAME):
            chunk = missing[start : start + sm.MAX_WANT_PER_FRAME]
            await stream.send(sm.encode_sync_frame(sm.Want(tuple(chunk))))
            asked = set(chunk)
            while True:
                events = await _receive_asked(stream, asked)
                received += len(events.signed)
                total_bytes += sum(len(e) for e in events.signed)
                if (
                    received > min(len(missing), MAX_SESSION_EVENTS)
                    or total_bytes > MAX_SESSION_BYTES
                ):
                    raise SyncAborted("more events than were asked for")
                if events.signed and not await store_batch(list(events.signed)):
                    raise SyncAborted("invalid events")
                progress(received, len(missing))
                if not events.more:
                    break
        await stream.send(sm.encode_sync_frame(sm.Done()))
        return PullOutcome(len(missing), received)


async def _receive_asked(stream: FramedStream, asked: set[bytes]) -> jm.Events:
    """One events frame answering a want; each event must be one `asked` named, once (the
    ids are struck off as they come)."""
    try:
        events = jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
    except jm.FrameError as error:
        raise SyncAborted(f"bad events frame ({error})") from None
    if not isinstance(events, jm.Events):
        raise SyncAborted("expected events")
    for signed in events.signed:
        arrived = event_id(signed)
        if arrived not in asked:
            raise SyncAborted("an event that was not asked for")
        asked.discard(arrived)
    return events


async def answer(
    stream: FramedStream,
    theirs: sm.Summary,
    mine: dict[int, sm.Bucket],
    ids_in: IdsIn,
    signed_for: SignedFor,
) -> None:
    """Serve one asker whose summary has been read and who may sync this circle."""
    with trio.fail_after(SESSION_SECONDS):
        buckets = sm.differing(mine, {b.index: b for b in theirs.buckets})
        offered: list[bytes] = []
        for low, high in _ranges(buckets):
            offered.extend(ids_in(low * sm.BUCKET_LAMPORTS, (high + 1) * sm.BUCKET_LAMPORTS - 1))
            if len(offered) > MAX_SESSION_IDS:
                offered = offered[:MAX_SESSION_IDS]
                break
        for start in range(0, max(len(offered), 1), sm.MAX_IDS_PER_FRAME):
            chunk = tuple(offered[start : start + sm.MAX_IDS_PER_FRAME])
            more = start + sm.MAX_IDS_PER_FRAME < len(offered)
            await stream.send(sm.encode_sync_frame(sm.IdList(chunk, more)))
        allowed = set(offered)
        served = 0
        while True:
            frame = await _receive_sync(stream)
            if isinstance(frame, sm.Done):
                return
            if not isinstance(frame, sm.Want):
                raise SyncAborted("expected want or done")
            asked = [i for i in frame.ids if i in allowed]
            served += len(asked)
            if served > MAX_SESSION_EVENTS:
                raise SyncAborted("asked for too many events")
            await _send_events(stream, signed_for(asked))


async def _send_events(stream: FramedStream, signed: list[bytes]) -> None:
    batch: list[bytes] = []
    size = 0
    for event in signed:
        if batch and (
            size + len(event) > EVENTS_FRAME_BYTES or len(batch) >= jm.MAX_EVENTS_PER_FRAME
        ):
            await stream.send(jm.encode_frame(jm.Events(tuple(batch), True)))
            batch, size = [], 0
        batch.append(event)
        size += len(event)
    await stream.send(jm.encode_frame(jm.Events(tuple(batch), False)))


def _ranges(indices: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of sorted bucket indices, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for index in indices:
        if runs and runs[-1][1] + 1 == index:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs
