"""Full-text search over the messages this profile can read (docs/node.md "Search"; the
query rules in core/search_policy.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class SnippetPartView:
    """A piece of a result's snippet: plain text, and whether it is a matched word."""

    text: str = field(repr=False)  # texts stay out of logs
    match: bool


@dataclass(frozen=True, kw_only=True)
class SearchHitView:
    """One message a search found, as this reader's history shows it."""

    circle: str
    circle_name: str = field(repr=False)
    message: str  # its id: `history`'s `id`, the place to jump to
    text: str = field(repr=False)
    author: str
    author_name: str = field(repr=False)
    ts: int  # ms since the epoch, the author's clock
    lamport: int  # with the id, its place in the circle's order (0 for a private message)
    cw: str  # its content warning, "" when none
    # this reader's choice for that warning's topic ("show" | "collapse"); a front shows
    # the warning instead of the snippet while it is "collapse"
    filter: str
    mine: bool
    snippet: tuple[SnippetPartView, ...] = field(repr=False)  # the words around the matches
    # which conversation it is in: "circle" (the circle's) or "private" (one of this
    # profile's private conversations in that circle; core/search_policy.HitKind)
    kind: str = "circle"
    # a private message's other person (the conversation to open: `private_messages`'
    # `member`) and that person's name; "" for a circle's message
    member: str = ""
    member_name: str = field(default="", repr=False)


@dataclass(frozen=True)
class SearchResults(Result):
    results: tuple[SearchHitView, ...]  # best first (bm25), newest first among equals


@command("search", "Find messages by their words, in one circle or in every circle.")
@dataclass(frozen=True, kw_only=True)
class Search(Command[SearchResults]):
    text: str
    circle: str | None = None
    limit: int | None = None
    offset: int | None = None
