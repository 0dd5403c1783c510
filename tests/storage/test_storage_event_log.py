"""The event log's per-event queries on real SQLCipher: the sync summary kept in memory
always equals the one read back from the rows (after adds, erasures, a horizon and a
cut-off, and a reopen), an author's seq is checked against its neighbours in log order
only, and heads are the newest events nothing names."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerapp.core.circle_events import EventType
from peerapp.core.sync_messages import BUCKET_LAMPORTS, Bucket, summarize
from peerapp.storage.circle_store import CircleStore, Membership, StoredEvent
from peerapp.storage.database import Database

KEY = bytes(range(32))
CIRCLE = b"\x01" * 16
AUTHORS = [bytes([n]) * 32 for n in range(1, 4)]


def _open(path: Path) -> tuple[Database, CircleStore]:
    database = Database.open(path, KEY, create=not path.exists())
    store = CircleStore(database)
    if not store.memberships():
        store.add_membership(
            Membership(CIRCLE, "Circle", b"\xaa" * 32, b"\x00" * 32, b"\x00" * 32, 0, 0)
        )
    return database, store


def _event(number: int, author: bytes, seq: int, lamport: int, kind: EventType) -> StoredEvent:
    event_id = random.Random(number).randbytes(32)
    text = "hi" if kind is EventType.MESSAGE else None
    return StoredEvent(event_id, CIRCLE, author, seq, lamport, number, kind, b"signed", text)


def _expected(
    events: list[StoredEvent], erased: set[bytes], horizon: int, through: int
) -> dict[int, Bucket]:
    return summarize(
        (e.lamport, e.id)
        for e in events
        if e.id not in erased
        and e.lamport <= through
        and (e.type is not EventType.MESSAGE or e.lamport >= horizon)
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lamports=st.lists(st.integers(1, 6 * BUCKET_LAMPORTS), min_size=1, max_size=60),
    messages=st.lists(st.booleans(), min_size=60, max_size=60),
    erase=st.sets(st.integers(0, 59), max_size=8),
    cut=st.tuples(st.integers(0, 7 * BUCKET_LAMPORTS), st.integers(0, 7 * BUCKET_LAMPORTS)),
)
def test_the_sync_summary_in_memory_equals_the_one_in_the_rows(
    tmp_path_factory: pytest.TempPathFactory,
    lamports: list[int],
    messages: list[bool],
    erase: set[int],
    cut: tuple[int, int],
) -> None:
    horizon, through = cut  # messages from, events through
    path = tmp_path_factory.mktemp("log") / "hearth.db"
    database, store = _open(path)
    kinds = [EventType.MESSAGE if m else EventType.STATUS for m in messages]
    events = [_event(n, AUTHORS[n % 3], n, lamport, kinds[n]) for n, lamport in enumerate(lamports)]
    half = len(events) // 2
    store.add_events(events[:half])
    assert store.summary(CIRCLE) == _expected(events[:half], set(), 0, 2**62)  # read back
    store.add_events(events[half:])  # folded in
    store.add_events(events[:3])  # already there: counted once
    assert store.summary(CIRCLE) == _expected(events, set(), 0, 2**62)
    assert store.summary(CIRCLE, horizon, through) == _expected(events, set(), horizon, through)
    targets = [(events[i].id, events[i].author) for i in erase if i < len(events)]
    erased = {events[i].id for i in erase if i < len(events) and kinds[i] is EventType.MESSAGE}
    store.erase_messages(CIRCLE, targets)
    assert store.summary(CIRCLE, horizon, through) == _expected(events, erased, horizon, through)
    database.close()
    database, store = _open(path)
    assert store.summary(CIRCLE, horizon, through) == _expected(events, erased, horizon, through)
    database.close()


def test_seq_order_is_checked_against_the_authors_neighbours(tmp_path: Path) -> None:
    database, store = _open(tmp_path / "hearth.db")
    ada, bo = AUTHORS[:2]
    chain = [_event(n, ada, n, 10 + n, EventType.MESSAGE) for n in range(5)]
    others = [_event(100 + n, bo, n, 10 + n, EventType.MESSAGE) for n in range(5)]
    store.add_events(chain + others)
    assert not any(store.breaks_seq_order(CIRCLE, e) for e in chain + others)
    repeated = _event(200, ada, 2, 20, EventType.MESSAGE)  # seq 2 again, sorting last
    stepped_back = _event(201, ada, 9, 11, EventType.MESSAGE)  # seq 9 sorting before seq 2
    assert store.breaks_seq_order(CIRCLE, repeated)
    assert store.breaks_seq_order(CIRCLE, stepped_back)
    assert not store.breaks_seq_order(CIRCLE, _event(202, ada, 5, 15, EventType.MESSAGE))
    assert not store.breaks_seq_order(CIRCLE, _event(203, bo, 5, 30, EventType.MESSAGE))
    database.close()


def test_heads_are_the_newest_events_nothing_names(tmp_path: Path) -> None:
    database, store = _open(tmp_path / "hearth.db")

    def event(number: int, lamport: int, prev: tuple[bytes, ...]) -> StoredEvent:
        made = _event(number, AUTHORS[number % 3], number, lamport, EventType.MESSAGE)
        return StoredEvent(**{**made.__dict__, "prev": prev})

    first = event(1, 1, ())
    left, right = event(2, 2, (first.id,)), event(3, 2, (first.id,))
    store.add_events([first, left, right])
    assert set(store.heads(CIRCLE)) == {left.id, right.id}
    child = event(4, 3, (left.id, right.id))
    store.add_events([child])
    assert store.heads(CIRCLE) == [child.id]
    database.close()
