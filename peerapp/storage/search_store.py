"""Full-text search over the messages this profile holds (issue 15), inside the encrypted
database: the FTS5 table `message_search` (migration 14) indexes `events.text`, kept in
step by triggers (see migrations.py), so no write path has code of its own for it.

A search reads what history shows and nothing else: accepted messages with a text (an
erased text left the index), of circles we have not left, that the reader sees
(boundaries_store.READER_SEES: not a blocked member's, not a hidden topic's), minus the
ids the caller excludes (messages hidden pending review: the engine knows them, the
database does not). Ranked by bm25 (FTS5's rank: lower is better), newest first among
equals; `limit` and `offset` page exactly, since every rule is in the SQL.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from peerapp.core import search_policy
from peerapp.storage.boundaries_store import READER_SEES, READER_SEES_PARAMETERS
from peerapp.storage.database import Database


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


def _query(circle: bool, excluded: int) -> str:
    marks = ",".join("?" * excluded)
    return (
        "SELECT events.circle, events.id, events.author, events.seq, events.lamport, "
        "events.ts, events.text, coalesce(events.cw, ''), "
        "snippet(message_search, 0, ?, ?, '…', ?) "
        "FROM message_search "
        "JOIN search_docs ON search_docs.doc = message_search.rowid "
        "JOIN events ON events.id = search_docs.event "
        "JOIN circles ON circles.id = events.circle "
        "WHERE message_search MATCH ? AND events.accepted = 1 AND circles.left_at IS NULL "
        + ("AND events.circle = ? " if circle else "")
        + (f"AND events.id NOT IN ({marks}) " if excluded else "")
        + f"AND {READER_SEES} "
        "ORDER BY message_search.rank, events.lamport DESC, events.id DESC LIMIT ? OFFSET ?"
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
        expression = search_policy.match_expression(text)
        if expression is None:
            return []
        excluded = list(exclude)
        parameters = (
            search_policy.MATCH_START,
            search_policy.MATCH_END,
            search_policy.SNIPPET_TOKENS,
            expression,
            *(() if circle is None else (circle,)),
            *excluded,
            *READER_SEES_PARAMETERS,
            limit,
            offset,
        )
        rows = self._database.query(_query(circle is not None, len(excluded)), parameters)
        return [
            SearchRow(
                circle=bytes(row[0]),
                id=bytes(row[1]),
                author=bytes(row[2]),
                seq=int(row[3]),
                lamport=int(row[4]),
                ts=int(row[5]),
                text=str(row[6]),
                cw=str(row[7]),
                snippet=str(row[8]),
            )
            for row in rows
        ]

    def indexed(self) -> int:
        """How many message texts the index holds (tests and the bench check it)."""
        ((count,),) = self._database.query("SELECT count(*) FROM search_docs")
        return int(count)
