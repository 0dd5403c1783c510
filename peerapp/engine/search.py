"""Search for this reader (issue 15): the `search` command over the FTS5 index the
database keeps in step with every stored text (storage/search_store.py).

Rules:
- What a search finds is what history shows: blocked members, hidden topics, erased and
  refused messages and circles we left are left out in the SQL; messages hidden pending
  review (enough harm flags, not yet restored or deleted) are known to the circles'
  resolved state only, so their ids are handed to the query to leave out, keeping a
  page of `limit` exact.
- The words are never FTS5 syntax (core/search_policy.py); over MAX_QUERY_CHARS is
  refused (`search_too_long`), a query without a word finds nothing.
- `limit` 1..MAX_LIMIT and `offset` 0..MAX_OFFSET, else `out_of_range`.
- Private conversations (issue 14) are searched too, in the same page: each result says
  its kind; a private one names the conversation's other member (the one to open).
  Blocks and left or forgotten circles are the store's rules there too.
"""

from __future__ import annotations

from collections.abc import Callable

from peerapp.core import search_policy
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.search import SearchHitView, SnippetPartView
from peerapp.core.circle_events import EventType
from peerapp.core.errors import CommandError
from peerapp.core.search_policy import HitKind
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.storage.circle_store import StoredEvent
from peerapp.storage.search_store import SearchRow, SearchStore


def _in_range(value: int | None, default: int, low: int, high: int, argument: str) -> int:
    chosen = default if value is None else value
    if not low <= chosen <= high:
        raise CommandError(Refusal.OUT_OF_RANGE, argument=argument, low=str(low), high=str(high))
    return chosen


class MessageSearch:
    def __init__(
        self,
        store: SearchStore,
        *,
        runtimes: CircleRuntimes,
        filter_of: Callable[[CircleRuntime, StoredEvent], str],
    ) -> None:
        """`filter_of`: the reader's content-warning choice for a message
        (Boundaries.filter_of), so a front folds a collapsed topic's snippet too."""
        self._store = store
        self._runtimes = runtimes
        self._filter_of = filter_of

    def search(
        self,
        text: str,
        circle_hex: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> tuple[SearchHitView, ...]:
        if len(text) > search_policy.MAX_QUERY_CHARS:
            raise CommandError(Refusal.SEARCH_TOO_LONG, limit=str(search_policy.MAX_QUERY_CHARS))
        count = _in_range(limit, search_policy.DEFAULT_LIMIT, 1, search_policy.MAX_LIMIT, "limit")
        start = _in_range(offset, 0, 0, search_policy.MAX_OFFSET, "offset")
        if circle_hex is None:
            searched = self._runtimes.active()
            circle = None
        else:
            runtime = self._runtimes.require(circle_hex)
            searched = [runtime]
            circle = runtime.circle_id
        hidden = {message for runtime in searched for message, _ in runtime.state.pending_review()}
        rows = self._store.search(text, circle=circle, exclude=hidden, limit=count, offset=start)
        hits: list[SearchHitView] = []
        for row in rows:
            found = self._runtimes.get(row.circle)
            if found is None or found.left:  # a circle not held: nothing to show it with
                continue
            hits.append(self._view(found, row))
        return tuple(hits)

    def _view(self, runtime: CircleRuntime, row: SearchRow) -> SearchHitView:
        stored = StoredEvent(
            id=row.id,
            circle=row.circle,
            author=row.author,
            seq=row.seq,
            lamport=row.lamport,
            ts=row.ts,
            type=EventType.MESSAGE,
            signed=b"",
            text=row.text,
            cw=row.cw,
        )
        private = row.kind is HitKind.PRIVATE
        return SearchHitView(
            kind=row.kind.value,
            member=row.member.hex() if private else "",
            member_name=runtime.name_of(row.member) if private else "",
            circle=runtime.circle_id.hex(),
            circle_name=runtime.state.name or runtime.membership.name,
            message=row.id.hex(),
            text=row.text,
            author=row.author.hex(),
            author_name=runtime.name_of(row.author),
            ts=row.ts,
            lamport=row.lamport,
            cw=row.cw,
            filter=self._filter_of(runtime, stored),
            mine=row.author == runtime.me,
            snippet=tuple(
                SnippetPartView(part, match)
                for part, match in search_policy.snippet_parts(row.snippet)
            ),
        )
