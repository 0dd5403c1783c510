"""Full-text search at rest (issue 15), on real SQLCipher files: the FTS5 index follows
every write of events.text through the triggers (insert, an edit's UPDATE, an erase, a
forgotten circle), an older profile's messages are indexed by the migration, what a
person types is never query syntax, and a search finds only what history shows (no
blocked member, hidden topic, refused event, left circle, excluded id)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peerapp.core import search_policy
from peerapp.core.circle_events import EventType
from peerapp.core.content_warnings import FilterMode
from peerapp.storage import migrations, search_store
from peerapp.storage.boundaries_store import BoundariesStore
from peerapp.storage.circle_store import CircleStore, Membership, StoredEvent
from peerapp.storage.database import Database
from peerapp.storage.search_store import SearchStore

KEY = bytes(range(32))
CIRCLE, OTHER_CIRCLE = b"\x01" * 16, b"\x02" * 16
ME, BEA = b"\xaa" * 32, b"\xbb" * 32
SEARCH_VERSION = 14


def _membership(circle: bytes) -> Membership:
    return Membership(circle, "Circle", ME, b"\x00" * 32, b"\x00" * 32, 0, 0)


def _message(
    number: int,
    text: str | None,
    *,
    author: bytes = BEA,
    circle: bytes = CIRCLE,
    cw: str = "",
    kind: EventType = EventType.MESSAGE,
) -> StoredEvent:
    return StoredEvent(
        id=bytes([number % 256, number // 256]) + circle[:1] * 14,
        circle=circle,
        author=author,
        seq=number,
        lamport=number,
        ts=number * 1000,
        type=kind,
        signed=b"signed",
        text=text,
        cw=cw,
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    opened = Database.open(tmp_path / "search.db", KEY, create=True)
    store = CircleStore(opened)
    store.add_membership(_membership(CIRCLE))
    store.add_membership(_membership(OTHER_CIRCLE))
    yield opened
    opened.close()


def _found(database: Database, text: str, **options: object) -> list[str]:
    rows = SearchStore(database).search(text, **options)  # type: ignore[arg-type]
    return [row.text for row in rows]


def _terms(database: Database) -> set[str]:
    """Every word the index itself holds (FTS5's own vocabulary of the table)."""
    database.query(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms "
        "USING fts5vocab(main, message_search, 'row')"
    )
    return {str(term) for (term,) in database.query("SELECT term FROM temp.search_terms")}


def test_the_index_follows_insert_edit_erase_and_forget(database: Database) -> None:
    store = CircleStore(database)
    search = SearchStore(database)
    store.add_events(
        [
            _message(1, "The garden was quiet this morning"),
            _message(2, "I walked to the river"),
            _message(3, None, kind=EventType.SETTINGS),  # no text: not indexed
            _message(4, "another garden story", circle=OTHER_CIRCLE),
        ]
    )
    assert search.indexed() == 3
    assert _found(database, "garden") == [
        "another garden story",
        "The garden was quiet this morning",
    ]
    assert _found(database, "garden", circle=CIRCLE) == ["The garden was quiet this morning"]

    # an edit rewrites events.text of the original row (issue 15's edits): the old words leave
    with database.transaction() as connection:
        connection.execute(
            "UPDATE events SET text = ? WHERE id = ?", ("The orchard was quiet", _message(1, "").id)
        )
    assert _found(database, "garden", circle=CIRCLE) == []
    assert _found(database, "orchard") == ["The orchard was quiet"]
    assert "garden" in _terms(database)  # still in circle two

    # a delete erases the text: gone from results and from the index's own words
    assert store.erase_messages(CIRCLE, [(_message(2, "").id, BEA)]) == [_message(2, "").id]
    assert _found(database, "river") == []
    assert "river" not in _terms(database)
    assert search.indexed() == 2

    # forgetting a circle deletes its events (cascade): the delete trigger takes them out
    store.forget_circle(OTHER_CIRCLE)
    assert _found(database, "garden") == []
    assert "garden" not in _terms(database)
    assert search.indexed() == 1


def test_an_older_profile_s_messages_are_indexed_by_the_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "older.db"
    older = tuple(m for m in migrations.MIGRATIONS if m[0] < SEARCH_VERSION)
    with monkeypatch.context() as patched:
        patched.setattr(migrations, "MIGRATIONS", older)
        patched.setattr(migrations, "LATEST_VERSION", older[-1][0])
        database = Database.open(path, KEY, create=True)
        CircleStore(database).add_membership(_membership(CIRCLE))
        # as the code of that schema stored them (no index to follow)
        with database.transaction() as connection:
            connection.executemany(
                "INSERT INTO events(id, circle, author, seq, lamport, ts, type, signed, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.id,
                        e.circle,
                        e.author,
                        e.seq,
                        e.lamport,
                        e.ts,
                        e.type.value,
                        e.signed,
                        e.text,
                    )
                    for e in [
                        *(_message(n, f"note number {n} about tea") for n in range(1, 31)),
                        _message(40, None),  # an erased message: nothing to index
                    ]
                ],
            )
        database.close()
    database = Database.open(path, KEY)
    try:
        assert database.schema_version >= SEARCH_VERSION
        assert SearchStore(database).indexed() == 30
        assert len(SearchStore(database).search("tea", limit=100)) == 30
        assert _found(database, "number 7") == ["note number 7 about tea"]
    finally:
        database.close()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"unclosed phrase',
        "NEAR(",
        "NEAR(a b, 2)",
        "*",
        "a*b*",
        "text:garden",
        "garden AND",
        "OR",
        "NOT garden",
        "(",
        ")",
        "^garden",
        "-garden",
        "{text}: garden",
        "'; DROP TABLE events; --",
        "\\",
        "\x00",
        "…",
        "🙂",
        "+",
    ],
)
def test_what_a_person_types_is_never_query_syntax(database: Database, query: str) -> None:
    CircleStore(database).add_events(
        [_message(1, 'She said "NEAR(" and * and text:garden AND more'), _message(2, "garden")]
    )
    rows = SearchStore(database).search(query)  # must not raise
    assert all(row.text for row in rows)
    assert database.query("SELECT count(*) FROM events") == [(2,)]


def test_operators_are_words_and_quotes_are_text(database: Database) -> None:
    CircleStore(database).add_events(
        [_message(1, 'She said "NEAR" and text then garden'), _message(2, "garden alone")]
    )
    assert _found(database, "NEAR") == ['She said "NEAR" and text then garden']
    assert _found(database, '"near" garden') == ['She said "NEAR" and text then garden']
    assert _found(database, "text:garden") == []  # one word "text:garden", no column filter
    assert _found(database, "OR garden") == []  # "or" is a word no message has


def test_words_in_other_languages_diacritics_and_prefixes(database: Database) -> None:
    texts = [
        "Le café était fermé aujourd'hui",
        "Спасибо за поддержку, друзья",
        "Ich fühle mich heute besser",
        "helping each other helps",
        "Ελπίζω να είστε καλά",
    ]
    CircleStore(database).add_events([_message(n, t) for n, t in enumerate(texts, 1)])
    assert _found(database, "cafe ferme") == [texts[0]]
    assert _found(database, "CAFÉ") == [texts[0]]
    assert _found(database, "поддержку") == [texts[1]]
    assert _found(database, "ПОДДЕР") == [texts[1]]  # a prefix, any case
    assert _found(database, "fuhle") == [texts[2]]
    assert _found(database, "help") == [texts[3]]
    assert _found(database, "ελπίζω") == [texts[4]]  # case folded (the tonos is kept)


def test_a_search_finds_only_what_history_shows(database: Database) -> None:
    store = CircleStore(database)
    boundaries = BoundariesStore(database)
    store.add_events(
        [
            _message(1, "kind words from bea", author=BEA),
            _message(2, "kind words from me", author=ME),
            _message(3, "kind words about grief", author=BEA, cw="grief"),
            _message(4, "kind words held for review", author=BEA),
            _message(5, "kind words refused", author=BEA),
            _message(6, "kind words in a circle left", circle=OTHER_CIRCLE),
            _message(7, "kind words under my own grief warning", author=ME, cw="grief"),
        ]
    )
    store.mark_refused([_message(5, "").id])
    store.mark_left(OTHER_CIRCLE, 1)
    held = {_message(4, "").id}
    everything = {
        "kind words from bea",
        "kind words from me",
        "kind words about grief",
        "kind words held for review",
        "kind words under my own grief warning",
    }
    assert set(_found(database, "kind words")) == everything
    assert set(_found(database, "kind words", exclude=held)) == everything - {
        "kind words held for review"
    }
    boundaries.block(CIRCLE, [BEA], 1)
    assert set(_found(database, "kind")) == {
        "kind words from me",
        "kind words under my own grief warning",
    }
    boundaries.unblock(CIRCLE, [BEA])
    boundaries.set_filters({"grief": FilterMode.HIDE})
    # a hidden topic leaves others' messages out; our own are never filtered
    assert "kind words about grief" not in _found(database, "kind")
    assert "kind words under my own grief warning" in _found(database, "kind")


def test_ranked_by_relevance_then_newest_and_paged_exactly(database: Database) -> None:
    store = CircleStore(database)
    store.add_events([_message(n, f"plain day {n}") for n in range(1, 21)])
    store.add_events([_message(30, "hope hope hope, so much hope")])
    rows = SearchStore(database).search("hope")
    assert [row.text for row in rows] == ["hope hope hope, so much hope"]
    assert rows[0].snippet.count(search_policy.MATCH_START) == 4
    # equal ranks: newest first; pages of 7 meet without a gap or a repeat
    pages = [
        [row.lamport for row in SearchStore(database).search("plain day", limit=7, offset=start)]
        for start in (0, 7, 14)
    ]
    assert pages[0] == list(range(20, 13, -1))
    # every row of a page has its snippet, the match marked
    page = SearchStore(database).search("plain", limit=20)
    assert all(row.snippet.count(search_policy.MATCH_START) == 1 for row in page)
    assert [n for page in pages for n in page] == list(range(20, 0, -1))
    assert SearchStore(database).search("   ") == []


def test_every_page_a_search_may_ask_for_lies_in_the_ranked_window() -> None:
    assert search_store.RANK_WINDOW >= search_policy.MAX_OFFSET + search_policy.MAX_LIMIT
