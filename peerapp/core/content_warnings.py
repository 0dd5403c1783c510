"""Content warnings: what an author may put on a message and how a reader filters it.

Rules:
- A warning is a short label (1..MAX_CW_CHARS characters after trimming) carried inside
  the encrypted MESSAGE event (`cw` in its body). A listed topic is written as its key
  (TOPICS); anything else is a custom label, filtered as the topic "other".
- Each reader chooses per topic how its messages show: show, collapse (the label with a
  "Show" button) or hide (left out of the history entirely). Every topic starts at
  collapse: a reader sees nothing hard by surprise.
- A reader's choices stay on the reader's device; they never travel.
"""

from __future__ import annotations

from enum import Enum

MAX_CW_CHARS = 40
OTHER = "other"
# listed topics, in the order the app offers them
TOPICS: tuple[str, ...] = (
    "self-harm",
    "suicide",
    "abuse",
    "eating",
    "substances",
    "grief",
    "violence",
)
# what a reader filters: the listed topics, then "other" for custom labels
FILTER_TOPICS: tuple[str, ...] = (*TOPICS, OTHER)


class FilterMode(Enum):
    SHOW = "show"
    COLLAPSE = "collapse"
    HIDE = "hide"


DEFAULT_MODE = FilterMode.COLLAPSE


def clean_label(label: str) -> str:
    """The label as it travels: trimmed, inner whitespace runs made single spaces.
    Raises ValueError when it is empty or too long."""
    cleaned = " ".join(label.split())
    if not cleaned:
        raise ValueError("A content warning needs a few words.")
    if len(cleaned) > MAX_CW_CHARS:
        raise ValueError(f"A content warning can be at most {MAX_CW_CHARS} characters.")
    return cleaned


def is_valid_label(value: object) -> bool:
    """Whether a received `cw` is well formed (already clean, within bounds)."""
    if not isinstance(value, str):
        return False
    try:
        return clean_label(value) == value
    except ValueError:
        return False


def topic_of(cw: str) -> str:
    """The filter topic a warning falls under: its own key if listed, else "other"."""
    return cw if cw in TOPICS else OTHER


def mode_for(cw: str, filters: dict[str, FilterMode]) -> FilterMode:
    """How a reader with `filters` sees a message carrying `cw` ("" = no warning)."""
    if not cw:
        return FilterMode.SHOW
    return filters.get(topic_of(cw), DEFAULT_MODE)
