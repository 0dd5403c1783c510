"""How a circle's messages are laid out in time: day separators, grouping, clock labels.

Pure (no Qt), so the rules are easy to test:
- a day separator before the first message of each local calendar day (and at the top);
- a message "continues" the one before it when the same author wrote both, on the same
  day, within five minutes; the name is then not repeated;
- a notice (a quiet note of what a facilitator did) sits among the messages at its place
  in the circle's log; a message after a notice starts a new group.

Timestamps come from the author's clock, so any value may arrive, however absurd: they are
clamped into what `datetime` can show rather than trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peerapp.core.events import MessageView
from peerapp.ui.text import conversation

GROUP_WINDOW_MS = 5 * 60 * 1000
_LATEST_SECONDS = 253_402_214_400  # 9999-12-31, the last day datetime can show


@dataclass(frozen=True)
class DayRow:
    day: date


@dataclass(frozen=True)
class MessageRow:
    message: MessageView
    starts_group: bool


@dataclass(frozen=True)
class Notice:
    """A quiet note in the conversation (what a facilitator did), already in words."""

    id: str  # the moderation event's id
    text: str
    ts: int  # ms, the actor's clock
    lamport: int  # with `order_id`, its place among the messages
    order_id: str  # normally the id; see peerapp.ui.circle_pane for estimated places
    divider: bool = False  # drawn as a line in the accent colour ("New messages")


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice


Item = MessageView | Notice
Row = DayRow | MessageRow | NoticeRow


def local_time(ts_ms: int) -> datetime:
    """The local wall-clock time of a timestamp in milliseconds, whatever its value."""
    seconds = min(max(ts_ms / 1000, 0), _LATEST_SECONDS)
    try:
        return datetime.fromtimestamp(seconds)
    except (OverflowError, OSError, ValueError):
        return datetime.fromtimestamp(0)


def day_of(ts_ms: int) -> date:
    return local_time(ts_ms).date()


def clock(ts_ms: int) -> str:
    return local_time(ts_ms).strftime(conversation.clock_format())


def day_label(day: date, today: date) -> str:
    if day == today:
        return conversation.today()
    if day == today - timedelta(days=1):
        return conversation.yesterday()
    template = (
        conversation.day_format_this_year()
        if day.year == today.year
        else conversation.day_format_other_year()
    )
    return template.format(weekday=f"{day:%A}", day=day.day, month=f"{day:%B}", year=day.year)


def continues(previous: Item | None, message: MessageView) -> bool:
    """Whether `message` joins the group of `previous` (its name is not shown again)."""
    return (
        isinstance(previous, MessageView)
        and previous.author == message.author
        and day_of(previous.ts) == day_of(message.ts)
        and abs(message.ts - previous.ts) <= GROUP_WINDOW_MS
    )


def rows_for(batch: Iterable[Item], previous: Item | None) -> list[Row]:
    """The rows showing `batch`, which follows `previous` (None: it starts the list)."""
    rows: list[Row] = []
    for item in batch:
        if previous is None or day_of(previous.ts) != day_of(item.ts):
            rows.append(DayRow(day_of(item.ts)))
        if isinstance(item, Notice):
            rows.append(NoticeRow(item))
        else:
            rows.append(MessageRow(item, starts_group=not continues(previous, item)))
        previous = item
    return rows
