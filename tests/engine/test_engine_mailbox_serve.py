"""The mailbox conversation without sockets: a facilitator's real Mailbox (a real
SQLCipher mailbox store, its circle's runtime built from a signed log) serves note frames
that arrive over the in-memory framed stream, as engine/mailbox.py's delivery loop sends
them (one note frame, one answer, and so on).

A report sealed to the facilitator is stored once and acknowledged (again, when re-sent);
each bad note gets its refusal and changes nothing; garbage is a MALFORMED refusal and an
oversized frame ends the stream. What needs CircleService (sending a report from a
command, picking facilitators, retries) is tested through sockets in
test_engine_mailbox_hostile.py."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trio

from peerapp.core.events import ReportReceived
from peerapp.core.mailbox_messages import (
    MAX_FRAME_BYTES,
    MAX_NOTES_PER_STREAM,
    Ack,
    Answer,
    NoteBody,
    NoteKind,
    Refusal,
    Refused,
    decode_answer,
    encode_note_frame,
)
from peerapp.crypto.notes import seal_note
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.clock import FakeClock
from peerapp.engine.context import EngineContext
from peerapp.engine.mailbox import Mailbox
from peerapp.network.framed import StreamError
from peerapp.network.memory_streams import memory_stream_pair
from peerapp.storage.circle_store import CircleStore, Membership
from peerapp.storage.database import Database
from peerapp.storage.mailbox_store import MailboxStore
from tests.crypto.circle_fixtures import (
    Identity,
    founded_circle,
    identity,
    invite_seed,
    resolution,
)
from tests.engine.conversation import run

KEY = hashlib.sha256(b"mailbox-serve-test-key").digest()  # a test database key, no secret


@dataclass
class Facilitator:
    mailbox: Mailbox
    store: MailboxStore
    circle: bytes
    founder: Identity
    reporter: Identity
    evidence: bytes  # a genuine message of the circle, by its other member
    emitted: list[object] = field(default_factory=list)


@pytest.fixture
def facilitator(tmp_path: Path) -> Iterator[Facilitator]:
    builder, founder = founded_circle("mailbox-serve")
    seed = invite_seed("mailbox-serve")
    builder.invite(founder, seed, max_uses=2)
    reporter, other = identity("mb-reporter"), identity("mb-other")
    builder.join(founder, reporter, seed)
    builder.join(founder, other, seed)
    evidence = builder.message(other, "something hurtful").signed
    state = resolution(builder.circle_id, builder.events).state
    assert state.is_facilitator(founder.key) and reporter.key in state.members
    database = Database.open(tmp_path / "profile.db", KEY, create=True)
    membership = Membership(
        builder.circle_id,
        "Mailbox circle",
        founder.key,
        founder.signing_seed,
        founder.exchange_private,
        0,
        0,
    )
    CircleStore(database).add_membership(membership)
    runtime = CircleRuntime(membership, state)
    store = MailboxStore(database)
    clock = FakeClock()
    emitted: list[object] = []
    mailbox = Mailbox(
        store,
        context=EngineContext(clock, emitted.append),
        runtime=lambda circle_hex: runtime,
        runtimes=lambda: {builder.circle_id: runtime},
        node=lambda circle: None,
        online=set,
        care_flag_arrived=lambda runtime: None,  # the members' views: not here
    )
    yield Facilitator(mailbox, store, builder.circle_id, founder, reporter, evidence, emitted)
    database.close()


def _note(
    f: Facilitator,
    note_id: bytes = b"\x01" * 16,
    *,
    sender: Identity | None = None,
    recipient: bytes | None = None,
    exchange: bytes | None = None,
    reason: str = "this hurt someone",
) -> bytes:
    return encode_note_frame(
        seal_note(
            circle=f.circle,
            note_id=note_id,
            recipient=recipient or f.founder.key,
            recipient_exchange=exchange or f.founder.exchange,
            body=NoteBody(NoteKind.REPORT, reason, 1_700_000_000_000, message=f.evidence),
            sender_seed=(sender or f.reporter).signing_seed,
        )
    )


def _deliver(f: Facilitator, frames: list[bytes], peer: str | None = None) -> list[Answer]:
    """Send each frame and read its answer, as the delivery loop does; then close."""
    answers: list[Answer] = []

    async def body() -> None:
        sender, served = memory_stream_pair(peer or f.reporter.peer, f.founder.peer)
        async with trio.open_nursery() as nursery:
            nursery.start_soon(f.mailbox.serve, served)
            try:
                for frame in frames:
                    await sender.send(frame)
                    answers.append(decode_answer(await sender.receive(256)))
            finally:
                await sender.close()

    run(body)
    return answers


def test_a_report_is_stored_once_and_acknowledged_each_time(facilitator: Facilitator) -> None:
    f = facilitator
    note = _note(f)
    assert _deliver(f, [note, note]) == [Ack(b"\x01" * 16), Ack(b"\x01" * 16)]
    inbox = f.store.inbox(f.circle, NoteKind.REPORT.value)
    assert [(n.id, n.sender) for n in inbox] == [(b"\x01" * 16, f.reporter.key)]
    assert f.emitted == [ReportReceived(f.circle.hex(), (b"\x01" * 16).hex())]
    assert _deliver(f, [note]) == [Ack(b"\x01" * 16)]  # a re-delivery on a new stream
    assert len(f.store.inbox(f.circle, NoteKind.REPORT.value)) == 1


def test_each_bad_note_gets_its_refusal_and_stores_nothing(facilitator: Facilitator) -> None:
    f = facilitator
    stranger = identity("mb-stranger")
    forged = bytearray(_note(f, b"\x02" * 16))
    forged[-1] ^= 1  # the signature is the frame's last field
    probes: list[tuple[bytes, str | None, Refusal]] = [
        (b"\x00garbage", None, Refusal.MALFORMED),
        (_note(f, b"\x03" * 16, sender=stranger), stranger.peer, Refusal.UNKNOWN_SENDER),
        (_note(f, b"\x04" * 16), "12D3KooWsomeoneelse", Refusal.UNKNOWN_SENDER),
        (bytes(forged), None, Refusal.BAD_SIGNATURE),
        (_note(f, b"\x05" * 16, exchange=stranger.exchange), None, Refusal.UNREADABLE),
        (_note(f, b"\x06" * 16, recipient=f.reporter.key), None, Refusal.NOT_FOR_ME),
    ]
    for frame, peer, refusal in probes:
        assert _deliver(f, [frame], peer) == [Refused(refusal)], refusal
    assert f.store.inbox(f.circle, NoteKind.REPORT.value) == []
    assert f.emitted == []
    # an id another sender's note holds is refused, not overwritten
    assert _deliver(f, [_note(f, b"\x07" * 16)]) == [Ack(b"\x07" * 16)]
    other = identity("mb-other")
    taken = _note(f, b"\x07" * 16, sender=other)
    assert _deliver(f, [taken], other.peer) == [Refused(Refusal.DUPLICATE_ID)]


def test_an_oversized_frame_ends_the_stream_and_one_stream_is_bounded(
    facilitator: Facilitator,
) -> None:
    f = facilitator
    ended: list[BaseException] = []

    async def body() -> None:
        sender, served = memory_stream_pair(f.reporter.peer, f.founder.peer)
        async with trio.open_nursery() as nursery:

            async def serve() -> None:
                try:
                    await f.mailbox.serve(served)
                except StreamError as error:  # streams.serving resets the stream
                    ended.append(error)
                    await served.reset()

            nursery.start_soon(serve)
            await sender.send(b"\x00" * (MAX_FRAME_BYTES + 1))
            with pytest.raises(StreamError):
                await sender.receive(256)

    run(body)
    assert len(ended) == 1
    # after MAX_NOTES_PER_STREAM notes the facilitator stops reading: the rest goes on a
    # new stream (the delivery loop sends at most that many per stream)
    notes = [_note(f, n.to_bytes(16, "big")) for n in range(1, MAX_NOTES_PER_STREAM + 2)]
    answers: list[Answer] = []

    async def flood() -> None:
        sender, served = memory_stream_pair(f.reporter.peer, f.founder.peer)
        async with trio.open_nursery() as nursery:

            async def serve() -> None:
                await f.mailbox.serve(served)
                await served.close()

            nursery.start_soon(serve)
            with pytest.raises(StreamError):
                for frame in notes:
                    await sender.send(frame)
                    answers.append(decode_answer(await sender.receive(256)))

    run(flood)
    assert len(answers) == MAX_NOTES_PER_STREAM
    assert all(isinstance(a, (Ack, Refused)) for a in answers)
