"""Search's limits and how a person's words become an FTS5 query (issue 15).

Rules:
- A query is words, never FTS5 syntax: every word is quoted (a `"` inside is doubled),
  all words required; the last one is matched as a prefix, the word being typed
  (`"help"*` finds "helping", "helpful"). Only the last: the words before it are typed
  whole, and a prefix of four letters or more has no prefix index of its own (FTS5
  merges every word it begins), work a finished word does not need.
  Control and format characters count as spaces. So `"`, `NEAR(`, `*`, `AND`, `col:`
  in what someone types are only text: nothing they type can raise a syntax error or
  reach another column.
- At most MAX_QUERY_CHARS characters and MAX_TERMS words; words past MAX_TERMS are
  dropped (a person never types that many; the bound keeps one query's work small).
- A query with no word in it (empty, spaces) asks for nothing: no results, no refusal.
- Results come in pages of 1..MAX_LIMIT (DEFAULT_LIMIT when not said), from `offset`
  0..MAX_OFFSET: ranked by bm25, newest first among equals.
- A result is of one kind (HitKind): a circle's message, or a message of one of this
  profile's private conversations in that circle (issue 14's, with one other member).
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class HitKind(StrEnum):
    CIRCLE = "circle"  # a message of the circle's conversation
    PRIVATE = "private"  # a message of a private conversation with one member


DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 400
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# the words around a match a snippet shows (FTS5's snippet() counts tokens)
SNIPPET_TOKENS = 12
# the marks a snippet's matched words come between: private-use characters, so a
# front splits them out and shows the rest as plain text (never markup)
MATCH_START = "\ue000"
MATCH_END = "\ue001"


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH expression for what a person typed, or None when it has no word.
    The caller checks MAX_QUERY_CHARS first."""
    # control and format characters are no words (a NUL would end FTS5's string early)
    words = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    terms = words.split()[:MAX_TERMS]
    if not terms:
        return None
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"  # the word being typed
    return " ".join(quoted)


def snippet_parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """A snippet with its MATCH_START/MATCH_END marks -> (text, matched) pieces, in order.
    Marks that a message's own text carries make at worst a wrong highlight, never markup."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find(MATCH_START)
        if start < 0:
            parts.append((rest, False))
            break
        if start:
            parts.append((rest[:start], False))
        end = rest.find(MATCH_END, start + 1)
        if end < 0:
            parts.append((rest[start + 1 :], True))
            break
        if end > start + 1:
            parts.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return tuple(parts)
