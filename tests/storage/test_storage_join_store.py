"""Join approval at rest, on real SQLCipher: the facilitator's queue and our own waiting
joins survive a reopen, answers stick, a waiting join's keys are never on disk in clear,
and forgetting a circle takes its queue with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerapp.storage.circle_store import CircleStore, Membership
from peerapp.storage.database import Database, DatabaseError
from peerapp.storage.join_store import JoinStore, QueuedRequest, RequestState, WaitingJoin

KEY = bytes(range(32))
CIRCLE = b"\x01" * 16
OTHER_CIRCLE = b"\x09" * 16
SEED = b"\x5e" * 32
SECRET = b"\x5c" * 32


def _open(path: Path, create: bool = False) -> Database:
    database = Database.open(path, KEY, create=create)
    if create:
        CircleStore(database).add_membership(
            Membership(CIRCLE, "Circle", b"\xaa" * 32, b"\x00" * 32, b"\x00" * 32, 0, 0)
        )
    return database


def _queued(number: int, received_at: int) -> QueuedRequest:
    return QueuedRequest(
        circle=CIRCLE,
        id=bytes([number]) * 32,
        joiner=bytes([number + 100]) * 32,
        request=b"signed request " + bytes([number]),
        name=f"Joiner {number}",
        received_at=received_at,
    )


def test_the_queue_survives_a_reopen_and_answers_stick(tmp_path: Path) -> None:
    path = tmp_path / "joins.db"
    database = _open(path, create=True)
    store = JoinStore(database)
    store.queue_request(_queued(2, 2000))
    store.queue_request(_queued(1, 1000))
    store.queue_request(_queued(1, 1000))  # the same request twice: kept once
    database.close()

    database = _open(path)
    store = JoinStore(database)
    assert [q.name for q in store.waiting_requests(CIRCLE)] == ["Joiner 1", "Joiner 2"]
    assert store.queued(CIRCLE, bytes([2]) * 32) == _queued(2, 2000)
    assert store.queued_for(CIRCLE, bytes([101]) * 32) == _queued(1, 1000)
    assert store.queued_for(CIRCLE, b"\x00" * 32) is None
    assert store.queued(OTHER_CIRCLE, bytes([2]) * 32) is None
    store.set_request_state(CIRCLE, bytes([1]) * 32, RequestState.REJECTED)
    store.set_request_state(CIRCLE, bytes([2]) * 32, RequestState.APPROVED)
    database.close()

    database = _open(path)
    store = JoinStore(database)
    assert store.waiting_requests(CIRCLE) == []
    rejected = store.queued(CIRCLE, bytes([1]) * 32)
    assert rejected is not None and rejected.state is RequestState.REJECTED
    assert "signed request" not in repr(rejected)
    with pytest.raises(DatabaseError):  # the schema allows only the three states
        database.query("UPDATE join_queue SET state = 'maybe'")
    CircleStore(database).forget_circle(CIRCLE)
    assert store.queued(CIRCLE, bytes([2]) * 32) is None
    database.close()


def test_waiting_joins_keep_their_keys_inside_sqlcipher(tmp_path: Path) -> None:
    path = tmp_path / "waiting.db"
    database = _open(path, create=True)
    store = JoinStore(database)
    waiting = WaitingJoin(OTHER_CIRCLE, "hearth:code", "Bee", SEED, SECRET, "Harbour", 5000)
    store.add_waiting_join(waiting)
    database.checkpoint()
    database.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert SEED not in on_disk and SECRET not in on_disk and b"Harbour" not in on_disk

    database = _open(path)
    store = JoinStore(database)
    assert store.waiting_joins() == [waiting]
    assert store.waiting_join(OTHER_CIRCLE) == waiting
    assert "hearth:code" not in repr(waiting) and SEED.hex() not in repr(waiting)
    store.remove_waiting_join(OTHER_CIRCLE)
    assert store.waiting_joins() == []
    assert store.waiting_join(OTHER_CIRCLE) is None
    database.close()
