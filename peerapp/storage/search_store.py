"""Full-text search over the messages this profile holds (issue 15), inside the encrypted
database: the FTS5 table `message_search` (migration 14) indexes `events.text`. New
messages are indexed in their batch's transaction (`index_new`, called by
CircleStore.add_events, the one place events are inserted); triggers follow every
change of a text (an edit, an erase) and every deleted row, whatever writes them.

A search reads what history shows and nothing else: accepted messages with a text (an
erased text left the index), of circles we have not left, that the reader sees
(boundaries_store.READER_SEES: not a blocked member's, not a hidden topic's), minus the
ids the caller excludes (messages hidden pending review: the engine knows them, the
database does not).

Ranking: FTS5 walks the matches newest first (documents are numbered downwards) and
ranks the newest RANK_WINDOW of them by bm25, best first, newest stored first among equals.
Ranking every match of a word found in most messages cost a second at 100,000
messages; the window bounds one search's work whatever the words (docs/performance.md).
So a word in more than RANK_WINDOW messages finds the best among the latest of them;
rarer words are ranked whole. A search in one circle is a match on the circle column
too, so another circle's messages never use up the window.

Private conversations (migration 17) have their own FTS5 table `private_search`, numbered
by private_messages.seq (ascending: its window is walked newest first by `rowid DESC`;
private messages are few next to a circle's). The same words and circle match; the
reader's rules: circles not left, no conversation with a member we blocked (the whole
conversation: its window in the pane stays out of sight too). Each index ranks against
its own statistics; the two ranked lists are merged by score, newest first among equals,
and the page cut from the merge (each side gives at most offset + limit), a circle's
message first among equal scores.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from peerapp.core import search_policy
from peerapp.core.circle_events import EventType
from peerapp.core.search_policy import HitKind
from peerapp.storage.boundaries_store import READER_SEES, READER_SEES_PARAMETERS
from peerapp.storage.database import Database

RANK_WINDOW = 500  # the newest matches a search ranks (>= MAX_OFFSET + MAX_LIMIT)
FILTER_CHUNK = 100  # ranked matches checked against the reader's rules at a time


@dataclass(frozen=True, repr=False)
class SearchRow:
    circle: bytes
    id: bytes
    author: bytes
    seq: int
    lamport: int  # 0 for a private message (no place in the circle log)
    ts: int
    text: str
    cw: str
    snippet: str  # with search_policy.MATCH_START / MATCH_END around each match
    kind: HitKind = HitKind.CIRCLE
    member: bytes = b""  # a private message's other person (its conversation)

    def __repr__(self) -> str:  # texts stay out of logs and failure reports
        return f"SearchRow(kind={self.kind.value}, id={self.id.hex()})"


@dataclass(frozen=True)
class _Shown:
    """A match the reader may see, with its score for the merge."""

    score: float
    doc: int
    row: tuple[Any, ...]


def index_new(connection: Any, events: Sequence[tuple[bytes, EventType, str | None]]) -> None:
    """Index new events' texts (id, type, text), inside the caller's transaction: messages
    with a text get the next document numbers downwards (later in the batch, smaller)."""
    texts = [event for event, kind, text in events if kind is EventType.MESSAGE and text]
    if not texts:
        return
    ((lowest,),) = connection.execute("SELECT coalesce(min(doc), 0) FROM search_docs").fetchall()
    connection.executemany(
        "INSERT OR IGNORE INTO search_docs(doc, event) VALUES (?, ?)",
        [(lowest - 1 - number, event) for number, event in enumerate(texts)],
    )
    connection.execute(
        "INSERT INTO message_search(rowid, text, circle) "
        "SELECT search_docs.doc, events.text, hex(events.circle) "
        "FROM search_docs JOIN events ON events.id = search_docs.event "
        "WHERE search_docs.doc < ?",
        (lowest,),
    )


def index_private(connection: Any, seq: int, circle: bytes, text: str) -> None:
    """Index a new private message's text (its private_messages.seq), inside the caller's
    transaction (private_store.insert, the one insert)."""
    connection.execute(
        "INSERT INTO private_search(rowid, text, circle) VALUES (?, ?, ?)",
        (seq, text, circle.hex().upper()),
    )


def _in_column(column: str, expression: str) -> str:
    return f"{column} : ({expression})"


def _hex_terms(circles: Collection[bytes]) -> str:
    return " OR ".join(f'"{circle.hex().upper()}"' for circle in sorted(circles))


# the newest RANK_WINDOW matches, best first (bm25; newest stored first among equals)
_RANKED = (
    "SELECT doc, score FROM ("
    "SELECT rowid AS doc, rank AS score FROM message_search "
    "WHERE message_search MATCH ? ORDER BY rowid LIMIT ?) ORDER BY score, doc"
)


# the newest RANK_WINDOW private matches (seq ascends: newest last), best first
_PRIVATE_RANKED = (
    "SELECT doc, score FROM ("
    "SELECT rowid AS doc, rank AS score FROM private_search "
    "WHERE private_search MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score, doc DESC"
)


def _private_shown(docs: int) -> str:
    """Which private messages the reader may see: circles not left, not a conversation
    with a member we blocked."""
    return (
        "SELECT p.seq, p.circle, p.id, p.author, p.seq, 0, p.ts, p.text, '', p.member "  # noqa: S608 (only ? marks)
        "FROM private_messages p JOIN circles ON circles.id = p.circle "
        f"WHERE p.seq IN ({','.join('?' * docs)}) AND circles.left_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM blocked_members AS b "
        "WHERE b.circle = p.circle AND b.member = p.member)"
    )


def _shown(docs: int, excluded: int) -> str:
    """Which of these documents the reader may see, with what a result needs."""
    return (
        "SELECT search_docs.doc, events.circle, events.id, events.author, events.seq, "  # noqa: S608 (only ? marks)
        "events.lamport, events.ts, events.text, coalesce(events.cw, '') "
        "FROM search_docs "
        "JOIN events ON events.id = search_docs.event "
        "JOIN circles ON circles.id = events.circle "
        f"WHERE search_docs.doc IN ({','.join('?' * docs)}) "
        "AND events.accepted = 1 AND circles.left_at IS NULL "
        + (f"AND events.id NOT IN ({','.join('?' * excluded)}) " if excluded else "")
        + f"AND {READER_SEES}"
    )


# each kind's FTS5 table (its snippets are read there)
_TABLES = {HitKind.CIRCLE: "message_search", HitKind.PRIVATE: "private_search"}


class SearchStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def search(
        self,
        text: str,
        *,
        circle: bytes | None = None,
        exclude: Collection[bytes] = (),
        limit: int = search_policy.DEFAULT_LIMIT,
        offset: int = 0,
    ) -> list[SearchRow]:
        """Messages matching every word of `text` (search_policy.match_expression), best
        first. `circle`: only that circle's; `exclude`: message ids left out."""
        words = search_policy.match_expression(text)
        if words is None:
            return []
        expression = _in_column("text", words)
        if circle is not None:
            expression += " AND " + _in_column("circle", _hex_terms([circle]))
        else:
            left = {
                bytes(row[0])
                for row in self._database.query("SELECT id FROM circles WHERE left_at IS NOT NULL")
            }
            if left:  # their messages stay indexed (history stays readable) but unsearched
                expression += " NOT " + _in_column("circle", _hex_terms(left))
        excluded = list(exclude)
        wanted = offset + limit
        found = self._first_shown(
            self._database.query(_RANKED, (expression, RANK_WINDOW)),
            wanted,
            lambda chunk: (
                _shown(len(chunk), len(excluded)),
                (*chunk, *excluded, *READER_SEES_PARAMETERS),
            ),
        )
        private = self._first_shown(
            self._database.query(_PRIVATE_RANKED, (expression, RANK_WINDOW)),
            wanted,
            lambda chunk: (_private_shown(len(chunk)), tuple(chunk)),
        )
        # a stable sort by score alone: each list keeps its own order among equals
        merged = sorted(
            [(hit, HitKind.CIRCLE) for hit in found] + [(hit, HitKind.PRIVATE) for hit in private],
            key=lambda pair: pair[0].score,
        )
        page = merged[offset:wanted]
        snippets = {
            kind: self._snippets(
                _TABLES[kind], expression, [hit.doc for hit, of in page if of is kind]
            )
            for kind in HitKind
        }
        return [
            SearchRow(
                circle=bytes(row[1]),
                id=bytes(row[2]),
                author=bytes(row[3]),
                seq=int(row[4]),
                lamport=int(row[5]),
                ts=int(row[6]),
                text=str(row[7]),
                cw=str(row[8]),
                snippet=snippets[kind].get(hit.doc, str(row[7])),
                kind=kind,
                member=bytes(row[9]) if kind is HitKind.PRIVATE else b"",
            )
            for hit, kind in page
            for row in (hit.row,)
        ]

    def _first_shown(
        self,
        ranked: Sequence[tuple[Any, ...]],
        wanted: int,
        shown_sql: Callable[[list[int]], tuple[str, tuple[Any, ...]]],
    ) -> list[_Shown]:
        """The reader's rules asked of the best first, a chunk at a time, until `wanted`
        are found: a page costs its own rows, not the whole window's."""
        shown: list[_Shown] = []
        for start in range(0, len(ranked), FILTER_CHUNK):
            chunk = [int(doc) for doc, _ in ranked[start : start + FILTER_CHUNK]]
            scores = {int(doc): float(score) for doc, score in ranked[start : start + FILTER_CHUNK]}
            sql, parameters = shown_sql(chunk)
            by_doc = {int(row[0]): row for row in self._database.query(sql, parameters)}
            shown += [_Shown(scores[doc], doc, by_doc[doc]) for doc in chunk if doc in by_doc]
            if len(shown) >= wanted:
                break
        return shown

    def _snippets(self, table: str, expression: str, docs: list[int]) -> dict[int, str]:
        """The words around the matches, for the page's documents only. One pass over
        the matches between the page's lowest and highest document (`+rowid IN` keeps
        SQLite from handing FTS5 each id as a query of its own: a word prefix without a
        prefix index was then merged once per id, 20 times a page)."""
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        rows = self._database.query(
            f"SELECT rowid, snippet({table}, 0, ?, ?, '…', ?) FROM {table} "  # noqa: S608 (a name of _TABLES, ? marks)
            f"WHERE {table} MATCH ? AND rowid BETWEEN ? AND ? "
            f"AND +rowid IN ({marks})",
            (
                search_policy.MATCH_START,
                search_policy.MATCH_END,
                search_policy.SNIPPET_TOKENS,
                expression,
                min(docs),
                max(docs),
                *docs,
            ),
        )
        return {int(doc): str(snippet) for doc, snippet in rows}

    def indexed(self) -> int:
        """How many circle message texts the index holds (tests and the bench check it)."""
        ((count,),) = self._database.query("SELECT count(*) FROM search_docs")
        return int(count)

    def indexed_private(self) -> int:
        """How many private messages the index itself holds words of (FTS5's own
        instances, not the content view: tests check the index follows the rows)."""
        self._database.query(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.private_search_words "
            "USING fts5vocab(main, private_search, 'instance')"
        )
        ((count,),) = self._database.query(
            "SELECT count(DISTINCT doc) FROM temp.private_search_words"
        )
        return int(count)
