"""The message list without an engine: day separators and grouping, rows added without
rebuilding, staying at the bottom, the bubbles' geometry."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.text import conversation
from peerapp.ui.timeline import DayRow, MessageRow
from peerapp.ui.widgets.message_delegate import MessageDelegate
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import MessageModel

pytestmark = pytest.mark.usefixtures("hearth_app")

MINUTE_MS = 60_000
NOON = int(datetime.combine(date.today(), datetime.min.time()).timestamp() * 1000) + (
    12 * 60 * MINUTE_MS
)


def message(
    number: int, author: str = "a", ts: int = NOON, text: str = "", mine: bool = False
) -> MessageView:
    name = {"a": "Ash", "b": "Bee"}.get(author, author)
    return MessageView(
        id=f"{number:064x}",
        author=author * 64,
        author_name=name,
        text=text or f"message {number}",
        ts=ts,
        mine=mine,
    )


def kinds(model: MessageModel) -> list[str]:
    out = []
    for row_number in range(model.rowCount()):
        row = model.row(row_number)
        if isinstance(row, DayRow):
            out.append("day")
        else:
            assert isinstance(row, MessageRow), row
            out.append(("+" if row.starts_group else "") + row.message.text)
    return out


# -- the rules, without Qt ----------------------------------------------------------------


def test_messages_group_by_author_within_five_minutes() -> None:
    rows = timeline.rows_for(
        [
            message(1, "a", NOON),
            message(2, "a", NOON + 4 * MINUTE_MS),
            message(3, "b", NOON + 5 * MINUTE_MS),
            message(4, "b", NOON + 11 * MINUTE_MS),
        ],
        None,
    )
    assert isinstance(rows[0], DayRow)
    starts = [row.starts_group for row in rows if isinstance(row, MessageRow)]
    assert starts == [True, False, True, True]


def test_a_new_day_gets_a_separator_and_a_new_group() -> None:
    yesterday = NOON - 24 * 60 * MINUTE_MS
    rows = timeline.rows_for([message(1, "a", yesterday), message(2, "a", NOON)], None)
    assert [type(row).__name__ for row in rows] == ["DayRow", "MessageRow"] * 2
    assert isinstance(rows[3], MessageRow) and rows[3].starts_group


def test_day_labels() -> None:
    today = date(2025, 3, 12)
    assert timeline.day_label(today, today) == conversation.today()
    assert timeline.day_label(today - timedelta(days=1), today) == conversation.yesterday()
    assert timeline.day_label(date(2025, 3, 3), today) == "Monday 3 March"
    assert timeline.day_label(date(2024, 12, 25), today) == "25 December 2024"


@pytest.mark.parametrize("ts", [-(2**62), 0, 2**62, 253_402_300_799_999 * 1000])
def test_any_timestamp_can_be_shown(ts: int) -> None:
    assert len(timeline.clock(ts)) == 5
    timeline.day_label(timeline.day_of(ts), date.today())


# -- the model ----------------------------------------------------------------------------


def test_appending_inserts_rows_and_never_resets(qtbot: QtBot) -> None:
    model = MessageModel()
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))

    model.append([message(1, "a"), message(2, "a", NOON + MINUTE_MS)])
    model.append([message(3, "b", NOON + 2 * MINUTE_MS)])
    model.append([message(3, "b", NOON + 2 * MINUTE_MS)])  # already shown

    assert resets == []
    assert inserted == [(0, 2), (3, 3)]
    assert kinds(model) == ["day", "+message 1", "message 2", "+message 3"]


def test_older_messages_join_the_day_and_the_group_above(qtbot: QtBot) -> None:
    model = MessageModel()
    model.append([message(3, "a", NOON + 2 * MINUTE_MS), message(4, "b", NOON + 3 * MINUTE_MS)])
    assert kinds(model) == ["day", "+message 3", "+message 4"]

    model.prepend([message(1, "b", NOON), message(2, "a", NOON + MINUTE_MS)])

    # one separator for the day, and message 3 now continues message 2's group
    assert kinds(model) == ["day", "+message 1", "+message 2", "message 3", "+message 4"]
    assert [m.text for m in model.messages()] == [f"message {n}" for n in (1, 2, 3, 4)]


# -- the view -----------------------------------------------------------------------------


@pytest.fixture
def view(qtbot: QtBot) -> MessageList:
    view = MessageList(MessageModel())
    qtbot.addWidget(view)
    view.resize(480, 320)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_the_list_follows_new_messages_while_at_the_bottom(qtbot: QtBot, view: MessageList) -> None:
    model = view.message_model
    model.append([message(n, "ab"[n % 2], NOON + n * MINUTE_MS) for n in range(300)])
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=2000)

    model.append([message(300, "a", NOON + 300 * MINUTE_MS, text="and one more " * 30)])
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=2000)
    assert view.at_bottom

    bar.setValue(bar.maximum() // 2)  # the person scrolls up to read
    reading, end = bar.value(), bar.maximum()
    model.append([message(301, "b", NOON + 301 * MINUTE_MS)])
    qtbot.waitUntil(lambda: bar.maximum() > end, timeout=2000)
    assert bar.value() == reading
    assert not view.at_bottom


def test_long_text_wraps_and_own_bubbles_sit_on_the_right(view: MessageList) -> None:
    model = view.message_model
    model.append(
        [
            message(1, "a", text="short"),
            message(2, "a", NOON + 10 * MINUTE_MS, text="a long line " * 80),
            message(3, "me", NOON + 20 * MINUTE_MS, text="mine", mine=True),
            message(4, "a", NOON + 30 * MINUTE_MS, text="x" * 600),  # one word, no spaces
        ]
    )
    delegate = view.itemDelegate()
    assert isinstance(delegate, MessageDelegate)
    width = view.viewport().width()

    def geometry(row_number: int) -> tuple[float, float, float]:
        row = model.row(row_number)
        assert isinstance(row, MessageRow)
        shape, _ = delegate._geometry(row, width)
        return shape.bubble.left(), shape.bubble.right(), shape.bubble.height()

    short, long_, mine, word = geometry(1), geometry(2), geometry(3), geometry(4)
    assert long_[2] > 4 * short[2]  # wrapped onto many lines
    assert word[1] <= width  # a word longer than the bubble wraps too
    assert mine[0] > short[0] and mine[1] > width * 0.8
    assert not view.grab().isNull()  # painting every kind of row works
