"""A reader's boundaries at rest, on real SQLCipher: a profile at schema 7 migrates to 8
with its log intact; blocks, filters and breaks survive a reopen; leaving a circle takes
its blocks and break along; history leaves out blocked members and hidden topics in SQL,
so every page holds exactly `limit` shown messages."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from peerapp.core.circle_events import EventType
from peerapp.core.content_warnings import FilterMode
from peerapp.core.quiet_hours import Break, Schedule
from peerapp.storage import migrations
from peerapp.storage.boundaries_store import BoundariesStore
from peerapp.storage.circle_store import CircleStore, Membership, StoredEvent
from peerapp.storage.database import Database

KEY = bytes(range(32))
CIRCLE, OTHER_CIRCLE = b"\x01" * 16, b"\x02" * 16
ME, BEA, CY = b"\xaa" * 32, b"\xbb" * 32, b"\xcc" * 32
BOUNDARY_TABLES = {"blocked_members", "reader_filters", "breaks"}


def _membership(circle: bytes) -> Membership:
    return Membership(circle, "Circle", ME, b"\x00" * 32, b"\x00" * 32, 0, 0)


def _open(path: Path, create: bool = False) -> Database:
    database = Database.open(path, KEY, create=create)
    if create:
        store = CircleStore(database)
        store.add_membership(_membership(CIRCLE))
        store.add_membership(_membership(OTHER_CIRCLE))
    return database


def _message(lamport: int, author: bytes, cw: str = "", circle: bytes = CIRCLE) -> StoredEvent:
    return StoredEvent(
        id=bytes([lamport % 256, lamport // 256]) + circle[:1] * 30,
        circle=circle,
        author=author,
        seq=lamport,
        lamport=lamport,
        ts=lamport * 1000,
        type=EventType.MESSAGE,
        signed=b"signed",
        text=f"message {lamport}",
        cw=cw,
    )


def _tables(database: Database) -> set[str]:
    rows = database.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}


def test_a_profile_at_schema_7_migrates_to_8_with_its_log_intact(tmp_path: Path) -> None:
    path = tmp_path / "seven.db"
    connection = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        connection.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
        for number, sql in migrations.MIGRATIONS:
            if number > 7:
                break
            for statement in sql.split(";"):
                if statement.strip():
                    connection.execute(statement)
        connection.execute("PRAGMA user_version = 7")
        connection.execute(
            "INSERT INTO circles(id, name, member_key, signing_seed, exchange_secret, "
            "joined_at) VALUES (?, 'Circle', ?, ?, ?, 0)",
            (CIRCLE, ME, b"\x00" * 32, b"\x00" * 32),
        )
        connection.execute(
            "INSERT INTO events(id, circle, author, seq, lamport, ts, type, signed, text, cw) "
            "VALUES (?, ?, ?, 0, 0, 0, 'message', x'01', 'before the migration', 'grief')",
            (b"\x07" * 32, CIRCLE, BEA),
        )
    finally:
        connection.close()

    database = Database.open(path, KEY)
    try:
        assert database.schema_version == migrations.LATEST_VERSION >= 8
        assert _tables(database) >= BOUNDARY_TABLES
        boundaries = BoundariesStore(database)
        assert (boundaries.blocked(), boundaries.filters(), boundaries.breaks()) == ({}, {}, {})
        (kept,) = CircleStore(database).messages(CIRCLE, 10)
        assert (kept.author, kept.cw, kept.text) == (BEA, "grief", "before the migration")
        boundaries.set_filters({"grief": FilterMode.HIDE})
        assert CircleStore(database).messages(CIRCLE, 10) == []
    finally:
        database.close()


def test_blocks_filters_and_breaks_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "boundaries.db"
    database = _open(path, create=True)
    store = BoundariesStore(database)
    store.block(CIRCLE, [BEA, CY], when=1000)
    store.block(CIRCLE, [BEA], when=2000)  # blocking twice keeps one row
    store.block(OTHER_CIRCLE, [CY], when=1000)
    store.unblock(CIRCLE, [CY])
    store.set_filters({"grief": FilterMode.SHOW, "other": FilterMode.HIDE})
    store.set_filters({"grief": FilterMode.COLLAPSE})
    night = Schedule(22 * 60, 7 * 60)
    store.set_breaks(
        {None: Break(on=False, quiet_hours=night), CIRCLE: Break(on=True, status=True)}
    )
    store.set_breaks({CIRCLE: Break(on=True, status=False)})  # a scope's break is replaced
    database.close()

    database = _open(path)
    store = BoundariesStore(database)
    assert store.blocked() == {CIRCLE: {BEA}, OTHER_CIRCLE: {CY}}
    assert store.filters() == {"grief": FilterMode.COLLAPSE, "other": FilterMode.HIDE}
    assert store.breaks() == {
        None: Break(on=False, quiet_hours=night),
        CIRCLE: Break(on=True, status=False),
    }
    rows = database.query("SELECT count(*) FROM breaks")
    assert rows[0][0] == 2
    database.close()


def test_forgetting_a_circle_takes_its_blocks_and_break_along(tmp_path: Path) -> None:
    database = _open(tmp_path / "forget.db", create=True)
    store = BoundariesStore(database)
    store.block(CIRCLE, [BEA], when=1000)
    store.block(OTHER_CIRCLE, [BEA], when=1000)
    store.set_breaks({None: Break(on=True), CIRCLE: Break(on=True), OTHER_CIRCLE: Break()})
    CircleStore(database).forget_circle(CIRCLE)
    assert store.blocked() == {OTHER_CIRCLE: {BEA}}
    assert store.breaks() == {None: Break(on=True), OTHER_CIRCLE: Break()}
    database.close()


def test_history_leaves_out_blocked_members_and_hidden_topics_page_by_page(
    tmp_path: Path,
) -> None:
    database = _open(tmp_path / "history.db", create=True)
    circles = CircleStore(database)
    boundaries = BoundariesStore(database)
    authors_and_warnings = [
        (BEA, ""),
        (CY, ""),
        (BEA, "grief"),
        (ME, "grief"),  # our own: never left out
        (BEA, "my own words"),  # a custom label: the topic "other"
        (CY, "self-harm"),
    ]
    events = [
        _message(lamport, *authors_and_warnings[lamport % len(authors_and_warnings)])
        for lamport in range(60)
    ]
    # the same author in another circle is not blocked there
    events.append(_message(100, CY, circle=OTHER_CIRCLE))
    circles.add_events(events)

    def shown(limit: int, circle: bytes = CIRCLE) -> list[int]:
        """Every shown lamport, paging back `limit` at a time from the newest; every
        page but the oldest is exactly `limit` long."""
        pages: list[list[int]] = []
        before = None
        for _ in range(100):
            page = circles.messages(circle, limit, before)
            if not page:
                break
            pages.append([m.lamport for m in page])
            before = page[0].id
        assert all(len(page) == limit for page in pages[:-1])
        return [n for page in reversed(pages) for n in page]

    assert shown(7) == list(range(60))

    boundaries.block(CIRCLE, [CY], when=1)
    boundaries.set_filters({"grief": FilterMode.HIDE, "other": FilterMode.HIDE})
    boundaries.set_filters({"self-harm": FilterMode.COLLAPSE})
    still_shown = {(BEA, ""), (ME, "grief")}
    expected = [
        n for n in range(60) if authors_and_warnings[n % len(authors_and_warnings)] in still_shown
    ]
    for limit in (1, 3, 7, 50):
        assert shown(limit) == expected
        newest = circles.messages(CIRCLE, limit)
        assert [m.lamport for m in newest] == expected[-limit:]
    assert shown(5, OTHER_CIRCLE) == [100]

    boundaries.unblock(CIRCLE, [CY])
    boundaries.set_filters({"grief": FilterMode.COLLAPSE, "other": FilterMode.SHOW})
    assert shown(7) == list(range(60))
    database.close()
