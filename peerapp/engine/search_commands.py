"""The node command of search (engine/search.py; docs/node.md "Search")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peerapp.core.api.search import Search, SearchResults
from peerapp.engine.dispatch import Handlers

if TYPE_CHECKING:
    from peerapp.engine.circle_service import CircleService


def search_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def search(command: Search) -> SearchResults:
        results = service().search.search(
            command.text, command.circle, command.limit, command.offset
        )
        return SearchResults(results=results)

    handlers = Handlers()
    handlers.add(Search, search)
    return handlers
