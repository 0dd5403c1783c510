"""The sync conversation (engine/sync_session.py) without sockets: `pull` against the real
`answer` over an in-memory framed stream, and each side against a scripted hostile other.

What must hold: the asker ends holding exactly the answerer's events, asked in pages and
answered in pages; a hostile answerer (ids not asked, duplicates, garbage, oversized
frames, invalid events, vanishing mid-sync) ends the session with a clear SyncAborted or
stream error and nothing stored beyond the valid batches before it; a hostile asker gets
nothing it was not offered. (CircleService's part, which summary to send, quotas and the
store, is tested through sockets in test_engine_sync_hostile.py.)"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages as sm
from peerapp.core.circle_events import CIRCLE_ID_BYTES, event_id
from peerapp.crypto.signing import verify_signed
from peerapp.engine import sync_session
from peerapp.engine.sync_session import PullOutcome, SyncAborted, SyncPaused
from peerapp.network.framed import FramedStream, FrameTooLarge, StreamError, StreamReset
from tests.crypto.circle_fixtures import founded_circle
from tests.engine.conversation import Conversation, talk

CIRCLE = hashlib.blake2b(b"sync-session-circle", digest_size=CIRCLE_ID_BYTES).digest()


def _blob(n: int) -> bytes:
    """A stand-in for a signed event: the drivers only hash and carry it (the store
    verifies; see Replica.store_batch)."""
    return b"event-%06d-" % n + hashlib.sha256(b"%d" % n).digest()


@dataclass
class Replica:
    """One side's store of one circle: event id -> (lamport, signed bytes). Valid events
    are those in `valid` (a store verifies signatures; here the test decides)."""

    held: dict[bytes, tuple[int, bytes]] = field(default_factory=dict)
    valid: set[bytes] | None = None
    # the lowest lamport it offers (a member reads from its admission on, never earlier)
    horizon: int = 0
    batches: list[list[bytes]] = field(default_factory=list)
    progress: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, numbers: range | list[int]) -> Replica:
        replica = cls()
        for n in numbers:
            replica.add(n, _blob(n))
        return replica

    def add(self, lamport: int, signed: bytes) -> None:
        self.held[event_id(signed)] = (lamport, signed)

    def summary(self) -> dict[int, sm.Bucket]:
        held = self.held.items()
        return sm.summarize((lamport, i) for i, (lamport, _) in held if lamport >= self.horizon)

    def ids_in(self, low: int, high: int) -> list[bytes]:
        low = max(low, self.horizon)
        inside = [(lamport, i) for i, (lamport, _) in self.held.items() if low <= lamport <= high]
        return [i for _, i in sorted(inside)]

    def signed_for(self, ids: list[bytes]) -> list[bytes]:
        # as CircleStore.signed_in_order: each held event once, in log order
        found = sorted(self.held[i] for i in set(ids) if i in self.held)
        return [signed for _, signed in found]

    def present(self, ids: list[bytes]) -> set[bytes]:
        return {i for i in ids if i in self.held}

    async def store_batch(self, batch: list[bytes]) -> bool:
        self.batches.append(batch)
        if self.valid is not None and any(event_id(s) not in self.valid for s in batch):
            return False  # a store refuses the whole batch
        for signed in batch:
            self.add(int(signed[6:12]), signed)
        return True


async def _pull(
    asker: Replica,
    stream: FramedStream,
    store_batch: Callable[[list[bytes]], Awaitable[bool]] | None = None,
) -> PullOutcome:
    """The asking side as CircleSync runs it; `store_batch` instead of the replica's own."""
    return await sync_session.pull(
        stream,
        CIRCLE,
        mine=asker.summary(),
        present=asker.present,
        store_batch=asker.store_batch if store_batch is None else store_batch,
        progress=lambda done, total: asker.progress.append((done, total)),
    )


def _answering(server: Replica) -> Callable[[FramedStream], Awaitable[None]]:
    """The serving side as CircleSync runs it: read the summary, then `answer`."""

    async def serve(stream: FramedStream) -> None:
        theirs = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
        assert isinstance(theirs, sm.Summary) and theirs.circle == CIRCLE
        await sync_session.answer(
            stream, theirs, server.summary(), server.ids_in, server.signed_for
        )

    return serve


def _sync(asker: Replica, server: Replica) -> Conversation[PullOutcome]:
    return talk(lambda s: _pull(asker, s), _answering(server))


# -- honest both sides ---------------------------------------------------------------------


def test_pull_brings_exactly_the_missing_events_in_pages() -> None:
    # 5,000 events: two id-list frames (4,096 ids each at most), wants of 1,024 ids, each
    # answered in frames of at most 256 events
    server = Replica.of(range(5000))
    asker = Replica.of(range(0, 5000, 3))
    missing = len(server.held) - len(asker.held)
    done = _sync(asker, server)
    assert done.asker_error is None and done.server_error is None
    assert done.result == PullOutcome(missing, missing)
    assert asker.held == server.held
    assert all(0 < len(batch) <= jm.MAX_EVENTS_PER_FRAME for batch in asker.batches)
    assert len(asker.batches) >= missing // jm.MAX_EVENTS_PER_FRAME
    assert asker.progress[0] == (0, missing) and asker.progress[-1] == (missing, missing)
    assert [d for d, _ in asker.progress] == sorted(d for d, _ in asker.progress)
    print(f"pulled {missing} events in {len(asker.batches)} batches")


def test_equal_replicas_exchange_no_events_and_the_asker_keeps_its_extra_ones() -> None:
    same = _sync(Replica.of(range(300)), Replica.of(range(300)))
    assert same.result == PullOutcome(0, 0) and same.server_error is None
    asker = Replica.of(range(400))  # the asker holds more: a pull only takes
    ahead = _sync(asker, Replica.of(range(300)))
    assert ahead.result == PullOutcome(0, 0) and len(asker.held) == 400


def test_real_signed_events_arrive_whole_and_verify() -> None:
    builder, founder = founded_circle("sync-session")
    for n in range(40):
        builder.message(founder, f"message {n}")
    server, asker = Replica(), Replica()
    for verified in builder.events:
        server.add(verified.event.lamport, verified.signed)
    first = builder.events[0]
    asker.add(first.event.lamport, first.signed)
    received: list[bytes] = []

    async def verifying_store(batch: list[bytes]) -> bool:
        for signed in batch:
            verified = verify_signed(signed)  # raises on a bad signature
            received.append(verified.id)
            asker.add(verified.event.lamport, signed)
        return True

    assert talk(lambda s: _pull(asker, s, verifying_store), _answering(server)).asker_error is None
    assert asker.held == server.held and len(received) == len(builder.events) - 1
    assert received == [
        v.id for v in sorted(builder.events[1:], key=lambda v: (v.event.lamport, v.id))
    ]


# -- a hostile answerer --------------------------------------------------------------------

Script = Callable[[FramedStream], Awaitable[None]]


def _pull_against(
    script: Script, asker: Replica | None = None
) -> tuple[Replica, Conversation[PullOutcome]]:
    replica = asker if asker is not None else Replica.of([0])
    return replica, talk(lambda s: _pull(replica, s), script)


async def _offer(stream: FramedStream, numbers: list[int]) -> sm.Want:
    """Read the summary, offer these events' ids, read the want."""
    assert isinstance(sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES)), sm.Summary)
    ids = tuple(event_id(_blob(n)) for n in numbers)
    await stream.send(sm.encode_sync_frame(sm.IdList(ids, False)))
    want = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
    assert isinstance(want, sm.Want)
    return want


async def _events(stream: FramedStream, numbers: list[int], more: bool) -> None:
    await stream.send(jm.encode_frame(jm.Events(tuple(_blob(n) for n in numbers), more)))


def test_an_event_that_was_not_asked_for_aborts_and_its_frame_is_not_stored() -> None:
    async def script(stream: FramedStream) -> None:
        await _offer(stream, [1, 2, 3])
        await _events(stream, [1], True)
        await _events(stream, [2, 99], False)  # 99 was never offered
        await stream.receive(sm.MAX_FRAME_BYTES)

    asker, done = _pull_against(script)
    assert isinstance(done.asker_error, SyncAborted)
    assert str(done.asker_error) == "an event that was not asked for"
    assert sorted(lamport for lamport, _ in asker.held.values()) == [0, 1]
    assert isinstance(done.server_error, StreamError)  # it saw the asker go


def test_the_same_event_twice_is_one_not_asked_for() -> None:
    async def script(stream: FramedStream) -> None:
        await _offer(stream, [1, 2])
        await _events(stream, [1, 1], False)
        await stream.receive(sm.MAX_FRAME_BYTES)

    asker, done = _pull_against(script)
    assert isinstance(done.asker_error, SyncAborted)
    assert len(asker.held) == 1


def test_an_answer_past_the_last_page_is_more_than_was_asked() -> None:
    async def script(stream: FramedStream) -> None:
        await _offer(stream, [1, 2])
        await _events(stream, [1, 2], False)
        await stream.receive(sm.MAX_FRAME_BYTES)  # done: the asker is content

    asker, done = _pull_against(script)
    assert done.asker_error is None and done.result == PullOutcome(2, 2)
    assert len(asker.held) == 3


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x00", b"\xa1\x63ids\x81\x41x", b"not cbor at all \xff\xfe"],
    ids=["empty", "zero", "short-id", "noise"],
)
def test_garbage_instead_of_an_id_list_aborts_clearly(garbage: bytes) -> None:
    async def script(stream: FramedStream) -> None:
        await stream.receive(sm.MAX_FRAME_BYTES)
        await stream.send(garbage)
        await stream.receive(sm.MAX_FRAME_BYTES)

    asker, done = _pull_against(script)
    assert isinstance(done.asker_error, SyncAborted)
    assert str(done.asker_error).startswith("bad sync frame")
    assert len(asker.held) == 1 and not asker.batches


def test_garbage_or_another_frame_instead_of_events_aborts() -> None:
    async def noise(stream: FramedStream) -> None:
        await _offer(stream, [1])
        await stream.send(b"\xff\xff\xff")

    async def wrong_frame(stream: FramedStream) -> None:
        await _offer(stream, [1])
        await stream.send(jm.encode_frame(jm.Challenge(bytes(jm.CHALLENGE_BYTES))))

    async def want_back(stream: FramedStream) -> None:
        await stream.receive(sm.MAX_FRAME_BYTES)
        await stream.send(sm.encode_sync_frame(sm.Want((event_id(_blob(1)),))))

    for script, text in [
        (noise, "bad events frame"),
        (wrong_frame, "expected events"),
        (want_back, "expected an id list"),
    ]:
        asker, done = _pull_against(script)
        assert isinstance(done.asker_error, SyncAborted), text
        assert str(done.asker_error).startswith(text)
        assert not asker.batches


def test_an_oversized_frame_is_refused_before_its_body() -> None:
    async def script(stream: FramedStream) -> None:
        await stream.receive(sm.MAX_FRAME_BYTES)
        await stream.send(b"\x00" * (sm.MAX_FRAME_BYTES + 1))
        await stream.receive(sm.MAX_FRAME_BYTES)

    asker, done = _pull_against(script)
    # a stream error, not SyncAborted: CircleSync handles both (it logs and drops the peer)
    assert isinstance(done.asker_error, FrameTooLarge)
    assert isinstance(done.server_error, StreamReset)
    assert not asker.batches


def test_too_many_ids_offered_aborts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_session, "MAX_SESSION_IDS", 50)

    async def script(stream: FramedStream) -> None:
        await stream.receive(sm.MAX_FRAME_BYTES)
        for page in range(3):  # 60 ids in pages of 20, over the bound of 50
            ids = tuple(event_id(_blob(page * 20 + n)) for n in range(20))
            await stream.send(sm.encode_sync_frame(sm.IdList(ids, True)))
        await stream.receive(sm.MAX_FRAME_BYTES)

    _, done = _pull_against(script)
    assert isinstance(done.asker_error, SyncAborted)
    assert str(done.asker_error) == "too many ids offered"


def test_invalid_events_abort_and_later_frames_are_not_stored() -> None:
    asker = Replica.of([0])
    asker.valid = {event_id(_blob(n)) for n in range(10)}  # 10..19 fail verification

    async def script(stream: FramedStream) -> None:
        await _offer(stream, list(range(1, 20)))
        await _events(stream, list(range(1, 10)), True)
        await _events(stream, list(range(10, 15)), True)
        await _events(stream, list(range(15, 20)), False)
        await stream.receive(sm.MAX_FRAME_BYTES)

    _, done = _pull_against(script, asker)
    assert isinstance(done.asker_error, SyncAborted)
    assert str(done.asker_error) == "invalid events"
    assert sorted(lamport for lamport, _ in asker.held.values()) == list(range(10))
    assert len(asker.batches) == 2  # the third frame was never read


def test_an_answerer_vanishing_mid_sync_leaves_the_valid_batches_stored() -> None:
    async def vanishes(stream: FramedStream) -> None:
        await _offer(stream, list(range(1, 20)))
        await _events(stream, list(range(1, 6)), True)
        await stream.reset()

    async def closes(stream: FramedStream) -> None:
        await _offer(stream, list(range(1, 20)))
        await _events(stream, list(range(1, 6)), True)

    for script, error in [(vanishes, StreamReset), (closes, StreamError)]:
        asker, done = _pull_against(script)
        assert isinstance(done.asker_error, error)
        assert sorted(lamport for lamport, _ in asker.held.values()) == list(range(6))


def test_a_silent_answerer_times_out() -> None:
    async def silent(stream: FramedStream) -> None:
        await _offer(stream, [1])
        await stream.receive(sm.MAX_FRAME_BYTES, timeout=1000)  # ends with the asker's reset

    _, done = _pull_against(silent)
    assert isinstance(done.asker_error, StreamError)
    assert "no progress" in str(done.asker_error)


def test_a_store_that_pauses_ends_the_session_without_blame() -> None:
    asker = Replica.of([0])
    stored: list[bytes] = []

    async def over_quota(batch: list[bytes]) -> bool:
        if stored:
            raise SyncPaused("quotas are spent for now")
        stored.extend(batch)
        return True

    outcome = talk(lambda s: _pull(asker, s, over_quota), _answering(Replica.of(range(600))))
    assert isinstance(outcome.asker_error, SyncPaused)
    assert len(stored) == jm.MAX_EVENTS_PER_FRAME


# -- a hostile asker -------------------------------------------------------------------------


async def _ask(stream: FramedStream, frames: list[bytes]) -> list[jm.Frame]:
    """Send a summary of nothing, then `frames`, reading one events frame after each."""
    await stream.send(sm.encode_sync_frame(sm.Summary(CIRCLE, ())))
    offered = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
    assert isinstance(offered, sm.IdList)
    answers: list[jm.Frame] = []
    for frame in frames:
        await stream.send(frame)
        answers.append(jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES)))
    await stream.send(sm.encode_sync_frame(sm.Done()))
    return answers


def _against_answerer(frames: list[bytes], server: Replica) -> Conversation[list[jm.Frame]]:
    return talk(lambda s: _ask(s, frames), _answering(server))


def test_an_asker_gets_only_what_was_offered() -> None:
    server = Replica.of(range(10))
    server.horizon = 5  # 0..4 are held (signed_for would find them) but never offered
    wanted = (event_id(_blob(3)), event_id(_blob(7)), event_id(b"nothing"), event_id(_blob(7)))
    done = _against_answerer([sm.encode_sync_frame(sm.Want(wanted))], server)
    assert done.asker_error is None and done.server_error is None
    assert done.result == [jm.Events((_blob(7),), False)]


def test_an_asker_breaking_the_protocol_aborts_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    server = Replica.of(range(10))
    summary = sm.encode_sync_frame(sm.Summary(CIRCLE, ()))
    for frame, text in [(b"\x13\x37", "bad sync frame"), (summary, "expected want or done")]:
        done = _against_answerer([frame], server)
        assert isinstance(done.server_error, SyncAborted)
        assert str(done.server_error).startswith(text)
        assert isinstance(done.asker_error, StreamError)  # the answerer went: reset
    monkeypatch.setattr(sync_session, "MAX_SESSION_EVENTS", 4)
    want = sm.encode_sync_frame(sm.Want(tuple(event_id(_blob(n)) for n in range(3))))
    done = _against_answerer([want, want], server)
    assert isinstance(done.server_error, SyncAborted)
    assert str(done.server_error) == "asked for too many events"
