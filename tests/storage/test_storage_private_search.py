"""Search in private conversations at rest (issue 15, migration 17), on real SQLCipher
files: a private message stored by private_store.insert is found in the same
transaction's aftermath, with its kind and the other person; a conversation with a
member we blocked, a left circle's and a forgotten circle's are not found (the forgotten
one's words leave FTS5's own index); an older profile's private messages are indexed by
the migration; private and circle results merge into one page, cut exactly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peerapp.core.circle_events import EventType
from peerapp.core.search_policy import HitKind
from peerapp.storage import migrations
from peerapp.storage.boundaries_store import BoundariesStore
from peerapp.storage.circle_store import CircleStore, Membership, StoredEvent
from peerapp.storage.database import Database
from peerapp.storage.private_store import PrivateStore, StoredPrivate
from peerapp.storage.search_store import SearchStore

KEY = bytes(range(32))
CIRCLE, OTHER_CIRCLE = b"\x01" * 16, b"\x02" * 16
ME, SAM, BEA = b"\xaa" * 32, b"\x5a" * 32, b"\xbb" * 32
PRIVATE_SEARCH_VERSION = 17


def _membership(circle: bytes) -> Membership:
    return Membership(circle, "Circle", ME, b"\x00" * 32, b"\x00" * 32, 0, 0)


def _private(
    number: int, text: str, *, member: bytes = SAM, author: bytes = SAM, circle: bytes = CIRCLE
) -> StoredPrivate:
    return StoredPrivate(
        circle=circle,
        member=member,
        id=bytes([number % 256, number // 256]) + b"\x77" * 14,
        author=author,
        text=text,
        ts=number * 1000,
        stored_at=number * 1000,
    )


def _message(number: int, text: str) -> StoredEvent:
    return StoredEvent(
        id=bytes([number % 256, number // 256]) + b"\x66" * 14,
        circle=CIRCLE,
        author=BEA,
        seq=number,
        lamport=number,
        ts=number * 1000,
        type=EventType.MESSAGE,
        signed=b"signed",
        text=text,
        cw="",
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    opened = Database.open(tmp_path / "private-search.db", KEY, create=True)
    store = CircleStore(opened)
    store.add_membership(_membership(CIRCLE))
    store.add_membership(_membership(OTHER_CIRCLE))
    yield opened
    opened.close()


def test_a_private_message_is_found_with_its_kind_and_its_conversation(
    database: Database,
) -> None:
    private = PrivateStore(database)
    private.add(_private(1, "I found the breathing exercise helpful"))
    private.add(_private(2, "thank you for asking", author=ME))
    private.add(_private(2, "a replay of the same id is not stored twice"))  # INSERT OR IGNORE
    search = SearchStore(database)
    assert search.indexed_private() == 2
    [hit] = search.search("breathing helpf")
    assert (hit.kind, hit.member, hit.author, hit.circle) == (HitKind.PRIVATE, SAM, SAM, CIRCLE)
    assert hit.id == _private(1, "").id
    assert hit.lamport == 0
    assert "\ue000breathing\ue001" in hit.snippet
    [mine] = search.search("asking")
    assert (mine.kind, mine.member, mine.author) == (HitKind.PRIVATE, SAM, ME)
    assert search.search("replay") == []
    # the words of one circle only: the other circle's conversation is not searched
    private.add(_private(3, "breathing in the other circle", circle=OTHER_CIRCLE))
    assert [h.circle for h in search.search("breathing", circle=OTHER_CIRCLE)] == [OTHER_CIRCLE]
    assert len(search.search("breathing")) == 2


def test_blocked_left_and_forgotten_conversations_are_not_found(database: Database) -> None:
    private = PrivateStore(database)
    private.add(_private(1, "garden talk with Sam"))
    private.add(_private(2, "garden talk with Bea", member=BEA, author=BEA))
    private.add(_private(3, "my garden answer to Bea", member=BEA, author=ME))
    private.add(_private(4, "garden in the other circle", circle=OTHER_CIRCLE))
    search = SearchStore(database)
    assert len(search.search("garden")) == 4
    # blocking Bea hides the whole conversation with her, our own words in it too
    boundaries = BoundariesStore(database)
    boundaries.block(CIRCLE, [BEA], 10)
    assert sorted(h.text for h in search.search("garden")) == [
        "garden in the other circle",
        "garden talk with Sam",
    ]
    boundaries.unblock(CIRCLE, [BEA])
    assert len(search.search("garden")) == 4
    circles = CircleStore(database)
    circles.mark_left(OTHER_CIRCLE, 20)
    assert [h.text for h in search.search("garden", circle=OTHER_CIRCLE)] == []
    assert len(search.search("garden")) == 3
    circles.forget_circle(OTHER_CIRCLE)
    assert search.indexed_private() == 3  # its row left FTS5's own index (the trigger)
    circles.forget_circle(CIRCLE)
    assert search.indexed_private() == 0
    assert search.search("garden") == []


def test_private_and_circle_results_merge_into_exact_pages(database: Database) -> None:
    CircleStore(database).add_events([_message(n, f"tea note {n}") for n in range(1, 16)])
    private = PrivateStore(database)
    for number in range(1, 11):
        private.add(_private(number, f"tea in private {number}"))
    search = SearchStore(database)
    every = search.search("tea", limit=100)
    assert len(every) == 25
    assert {h.kind for h in every} == {HitKind.CIRCLE, HitKind.PRIVATE}
    assert len({(h.kind, h.id) for h in every}) == 25
    pages = [search.search("tea", limit=7, offset=start) for start in range(0, 28, 7)]
    assert [len(page) for page in pages] == [7, 7, 7, 4]
    assert [(h.kind, h.id) for page in pages for h in page] == [(h.kind, h.id) for h in every]
    # one word of the private texts only: private results alone, newest first among equals
    assert [h.text for h in search.search("private", limit=3)] == [
        "tea in private 10",
        "tea in private 9",
        "tea in private 8",
    ]


def test_an_older_profile_s_private_messages_are_indexed_by_the_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "older.db"
    older = tuple(m for m in migrations.MIGRATIONS if m[0] < PRIVATE_SEARCH_VERSION)
    with monkeypatch.context() as patched:
        patched.setattr(migrations, "MIGRATIONS", older)
        patched.setattr(migrations, "LATEST_VERSION", older[-1][0])
        database = Database.open(path, KEY, create=True)
        CircleStore(database).add_membership(_membership(CIRCLE))
        # as the code of that schema stored them (no index to follow)
        with database.transaction() as connection:
            connection.executemany(
                "INSERT INTO private_messages(circle, member, id, author, text, ts, stored_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (p.circle, p.member, p.id, p.author, p.text, p.ts, p.stored_at)
                    for p in (_private(n, f"older private note {n}") for n in range(1, 13))
                ],
            )
        database.close()
    database = Database.open(path, KEY)
    try:
        assert database.schema_version >= PRIVATE_SEARCH_VERSION
        search = SearchStore(database)
        assert search.indexed_private() == 12
        assert [h.text for h in search.search("note 7")] == ["older private note 7"]
        assert {h.kind for h in search.search("older", limit=100)} == {HitKind.PRIVATE}
    finally:
        database.close()
