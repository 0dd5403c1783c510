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
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from peerapp.core import search_policy
from peerapp.core.circle_events import EventType
from peerapp.storage.boundaries_store import READER_SEES, READER_SEES_PARAMETERS
from peerapp.storage.database import Database

RANK_WINDOW = 500  # the newest matches a search ranks (>= MAX_OFFSET + MAX_LIMIT)
FILTER_CHUNK = 100  # ranked matches checked against the reader's rules at a time


@dataclass(frozen=True)
class SearchRow:
    circle: bytes
    id: bytes
    author: bytes
    seq: int
    lamport: int
    ts: int
    text: str
    cw: str
    snippet: str  # with search_policy.MATCH_START / MATCH_END around each match


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
        ranked = self._database.query(_RANKED, (expression, RANK_WINDOW))
        # the reader's rules are asked of the best first, a chunk at a time, until the
        # page is full: a page costs its own rows, not the whole window's
        excluded = list(exclude)
        wanted = offset + limit
        shown: list[tuple[Any, ...]] = []
        for start in range(0, len(ranked), FILTER_CHUNK):
            chunk = [int(doc) for doc, _ in ranked[start : start + FILTER_CHUNK]]
            rows = self._database.query(
                _shown(len(chunk), len(excluded)),
                (*chunk, *excluded, *READER_SEES_PARAMETERS),
            )
            by_doc = {int(row[0]): row for row in rows}
            shown += [by_doc[doc] for doc in chunk if doc in by_doc]
            if len(shown) >= wanted:
                break
        page = shown[offset:wanted]
        snippets = self._snippets(expression, [int(row[0]) for row in page])
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
                snippet=snippets.get(int(row[0]), str(row[7])),
            )
            for row in page
        ]

    def _snippets(self, expression: str, docs: list[int]) -> dict[int, str]:
        """The words around the matches, for the page's documents only. One pass over
        the matches between the page's lowest and highest document (`+rowid IN` keeps
        SQLite from handing FTS5 each id as a query of its own: a word prefix without a
        prefix index was then merged once per id, 20 times a page)."""
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        rows = self._database.query(
            "SELECT rowid, snippet(message_search, 0, ?, ?, '…', ?) FROM message_search "  # noqa: S608 (only ? marks)
            "WHERE message_search MATCH ? AND rowid BETWEEN ? AND ? "
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
        """How many message texts the index holds (tests and the bench check it)."""
        ((count,),) = self._database.query("SELECT count(*) FROM search_docs")
        return int(count)
