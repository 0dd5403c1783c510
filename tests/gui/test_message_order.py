"""Without an engine: messages go in at their place in the shared order (lamport, then id)
whatever order they arrive in; own messages show their delivery state; what the catch-up
bar and the header say about syncing."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import PeerSyncView
from peerapp.core.events import MessageView
from peerapp.ui import timeline
from peerapp.ui.text import conversation
from peerapp.ui.timeline import MessageRow
from peerapp.ui.widgets.catch_up_bar import CatchUpBar
from peerapp.ui.widgets.circle_header import CircleHeader, sync_text
from peerapp.ui.widgets.message_delegate import MessageDelegate
from peerapp.ui.widgets.message_list import MessageList
from peerapp.ui.widgets.message_model import (
    Delivery,
    MessageModel,
    delivery_of,
    delivery_text,
    order_key,
)

pytestmark = pytest.mark.usefixtures("hearth_app")

MINUTE_MS = 60_000
DAY_MS = 24 * 60 * MINUTE_MS
NOON = int(datetime.combine(date.today(), datetime.min.time()).timestamp() * 1000) + (
    12 * 60 * MINUTE_MS
)


def message(
    lamport: int,
    salt: int = 0,
    *,
    author: str = "a",
    ts: int | None = None,
    mine: bool = False,
    held_by: int = 0,
) -> MessageView:
    return MessageView(
        id=f"{salt:02x}{lamport:062x}",
        author=author * 64,
        author_name={"a": "Ash", "b": "Bee"}.get(author, author),
        text=f"message {lamport}.{salt}",
        ts=NOON + lamport * MINUTE_MS if ts is None else ts,
        mine=mine,
        lamport=lamport,
        held_by=held_by,
    )


def a_log(count: int, seed: int) -> list[MessageView]:
    """A circle's messages in their shared order: two authors, some lamport ties (two
    members writing at once), clocks that wander across days and back."""
    chooser = random.Random(seed)
    log = []
    for lamport in range(count):
        for salt in range(chooser.choice((1, 1, 1, 2))):
            ts = NOON + chooser.randrange(-3, 3) * DAY_MS // 2 + lamport * MINUTE_MS
            log.append(message(lamport, salt, author=chooser.choice("ab"), ts=ts))
    return sorted(log, key=order_key)


@pytest.mark.parametrize("seed", range(6))
def test_messages_go_in_at_their_place_whatever_order_they_arrive_in(seed: int) -> None:
    log = a_log(40, seed)
    arrival = log[:]
    random.Random(seed).shuffle(arrival)
    model = MessageModel()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))

    start = 0
    while start < len(arrival):  # one, or a few at a time, as they come
        size = 1 + start % 3
        model.merge(arrival[start : start + size])
        start += size

    assert [m.id for m in model.messages()] == [m.id for m in log]
    # day separators and groups are exactly those of the list built in one go
    assert [model.row(n) for n in range(model.rowCount())] == timeline.rows_for(log, None)
    assert resets == []


def test_two_members_receiving_in_different_orders_show_the_same_list() -> None:
    log = a_log(30, 7)
    first, second = MessageModel(), MessageModel()
    for view in log[::-1]:
        first.merge([view])
    second.append(log[:10])
    second.merge(log[20:])
    second.merge(log[10:20])
    rows = [first.row(n) for n in range(first.rowCount())]
    assert rows == [second.row(n) for n in range(second.rowCount())]


def test_a_message_in_the_middle_is_one_row_insertion() -> None:
    model = MessageModel()
    model.append([message(1), message(3, author="b"), message(4, author="b")])
    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))

    assert model.merge([message(2, author="b"), message(3, author="b")]) == 1

    assert [m.lamport for m in model.messages()] == [1, 2, 3, 4]
    assert inserted == [(2, 2)] and removed == []
    # message 3 now continues message 2's group: its name is not repeated
    third = model.row(3)
    assert isinstance(third, MessageRow) and not third.starts_group


def test_many_messages_among_those_shown_make_one_reset() -> None:
    log = a_log(300, 3)
    model = MessageModel()
    model.append(log[::2])
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.merge(log[1::2])
    assert resets == [1]
    assert [model.row(n) for n in range(model.rowCount())] == timeline.rows_for(log, None)


# -- delivery -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mine", "held_by", "others", "state", "text"),
    [
        (False, 0, 3, None, None),
        (True, 0, 0, None, None),  # nobody else in the circle yet
        (True, 0, 3, Delivery.PENDING, conversation.delivery_pending()),
        (True, 2, 3, Delivery.PARTLY, "Delivered to 2 of 3"),
        (True, 3, 3, Delivery.HELD, "Delivered to everyone"),
        (True, 1, 1, Delivery.HELD, "Delivered to everyone"),
        (True, 4, 3, Delivery.HELD, "Delivered to everyone"),  # someone left since
    ],
)
def test_delivery_states(
    mine: bool, held_by: int, others: int, state: Delivery | None, text: str | None
) -> None:
    view = message(1, mine=mine, held_by=held_by)
    assert delivery_of(view, others) is state
    assert delivery_text(view, others) == text


def test_delivery_moves_on_without_new_rows() -> None:
    model = MessageModel()
    model.set_others(3)
    model.append([message(1, mine=True), message(2, author="b"), message(3, mine=True)])
    assert model.awaiting_delivery()
    changed: list[int] = []
    inserted: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed.append(first.row()))
    model.rowsInserted.connect(lambda *_: inserted.append(1))

    fresher = [message(1, mine=True, held_by=3), message(3, mine=True, held_by=1)]
    assert model.update_delivery(fresher) == 2
    assert model.update_delivery(fresher) == 0

    assert sorted(changed) == [1, 3] and inserted == []
    assert model.delivery_text(message(1).id) == "Delivered to everyone"
    assert model.delivery_text(message(3).id) == "Delivered to 1 of 3"
    assert model.delivery_text(message(2).id) is None
    assert model.awaiting_delivery()
    model.update_delivery([message(3, mine=True, held_by=3)])
    assert not model.awaiting_delivery()


@pytest.fixture
def view(qtbot: QtBot) -> MessageList:
    view = MessageList(MessageModel())
    qtbot.addWidget(view)
    view.resize(520, 360)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_own_bubbles_keep_their_size_as_delivery_moves_on(view: MessageList) -> None:
    model = view.message_model
    model.set_others(3)
    model.append([message(1, author="me", mine=True), message(2, author="b")])
    delegate = view.itemDelegate()
    assert isinstance(delegate, MessageDelegate)
    width = view.viewport().width()

    def bubble_of(row_number: int) -> tuple[float, float]:
        row = model.row(row_number)
        assert isinstance(row, MessageRow)
        shape, _ = delegate._geometry(row, width)
        assert shape.indicator_rect.isEmpty() is not row.message.mine
        return shape.bubble.width(), shape.bubble.height()

    sizes = []
    for held in (0, 1, 3):
        model.update_delivery([message(1, author="me", mine=True, held_by=held)])
        sizes.append(bubble_of(1))
        assert not view.grab().isNull()  # every state paints
    assert len(set(sizes)) == 1
    bubble_of(2)  # others' messages have no indicator


def test_the_tooltip_over_an_own_bubble_says_who_holds_it(view: MessageList) -> None:
    model = view.message_model
    model.set_others(3)
    model.append([message(1, author="b"), message(2, author="me", mine=True, held_by=2)])
    delegate = view.itemDelegate()
    assert isinstance(delegate, MessageDelegate)
    own, other = model.index(2), model.index(1)
    own_rect, other_rect = view.visualRect(own), view.visualRect(other)
    row = model.row(2)
    assert isinstance(row, MessageRow)
    shape, _ = delegate._geometry(row, own_rect.width())
    on_bubble = shape.bubble.center().toPoint() + own_rect.topLeft()
    beside = QPoint(own_rect.left() + 2, on_bubble.y())  # the empty left of an own row
    assert delegate.tooltip_at(own, own_rect, on_bubble) == "Delivered to 2 of 3"
    assert delegate.tooltip_at(own, own_rect, beside) is None
    assert delegate.tooltip_at(other, other_rect, other_rect.center()) is None
    assert "Delivered to 2 of 3" in model.index(2).data()  # and to a screen reader


def test_inserting_above_keeps_what_is_read_in_place(qtbot: QtBot, view: MessageList) -> None:
    log = [message(n, author="ab"[n % 3 == 0]) for n in range(0, 400, 2)]
    model = view.message_model
    model.append(log)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=2000)
    bar.setValue(bar.maximum() // 2)  # the person scrolls up to read
    anchor = view.anchor()
    assert anchor is not None
    read = model.row_of(anchor[0])
    assert read is not None

    model.merge([message(n, author="b") for n in range(1, 200, 2)])  # above, below, around
    view.restore_anchor(anchor)

    moved_to = model.row_of(anchor[0])
    assert moved_to is not None and moved_to > read
    assert view.visualRect(model.index(moved_to)).top() == anchor[1]
    assert not view.at_bottom


# -- syncing, in words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "total", "text"),
    [(0, 250, "Catching up: 0 of 250"), (3400, 10_000, "Catching up: 3,400 of 10,000")],
)
def test_catching_up_text(received: int, total: int, text: str) -> None:
    assert conversation.catching_up(received, total) == text


def test_the_catch_up_bar_shows_until_complete(qtbot: QtBot) -> None:
    bar = CatchUpBar()
    qtbot.addWidget(bar)
    bar.show_progress(1_200, 1_234_567)
    assert bar.text == "Catching up: 1,200 of 1,234,567"
    assert (bar.bar.value(), bar.bar.maximum()) == (1_200, 1_234_567)
    assert not bar.isHidden()
    bar.show_progress(1_234_567, 1_234_567)
    assert bar.isHidden()
    bar.show_progress(5, 10)
    bar.finish()
    assert bar.isHidden()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-3, "synced just now"),
        (0.4, "synced just now"),
        (12, "synced 12 s ago"),
        (59.9, "synced 59 s ago"),
        (125, "synced 2 min ago"),
        (3 * 3600 + 5, "synced 3 h ago"),
        (2 * 86400, "synced 2 d ago"),
    ],
)
def test_synced_ago(seconds: float, text: str) -> None:
    assert conversation.synced_ago(seconds) == text


def _peer(name: str, last_sync: int | None) -> PeerSyncView:
    return PeerSyncView(
        id=name.lower(), name=name, peer="p-" + name, online=True, last_sync=last_sync
    )


def test_sync_text_uses_the_newest_sync_with_anyone() -> None:
    now = 1_700_000_000_000
    assert sync_text([], now) is None
    assert sync_text([_peer("Bee", None)], now) == (
        conversation.never_synced(),
        f"<p>{conversation.sync_tooltip_heading()}</p><p>Bee: never synced</p>",
    )
    said = sync_text([_peer("<b>Bee</b>", now - 40_000), _peer("Cy", now - 12_000)], now)
    assert said is not None
    assert said[0] == "synced 12 s ago"
    assert "&lt;b&gt;Bee&lt;/b&gt;: synced 40 s ago<br>Cy: synced 12 s ago" in said[1]


def test_the_header_says_how_long_since_a_sync(qtbot: QtBot) -> None:
    header = CircleHeader("Tuesday circle", 2)
    qtbot.addWidget(header)
    header.show()
    assert header.sync_label.isHidden()
    now = 1_700_000_000_000
    header.set_peer_syncs([_peer("Bee", now - 12_000)], now)
    assert header.sync_label.isVisible() and header.sync_label.text() == "synced 12 s ago"
    header.show_sync_age(now + 60_000)
    assert header.sync_label.text() == "synced 1 min ago"
    # a narrow pane (issue 14's walk at 640 px): the sync age steps aside, and comes back
    header.set_compact(True)
    assert header.sync_label.isHidden() and header.sync_separator.isHidden()
    header.show_sync_age(now + 120_000)
    assert header.sync_label.isHidden()
    header.set_compact(False)
    assert header.sync_label.isVisible() and header.sync_label.text() == "synced 2 min ago"
    header.set_peer_syncs([], now)
    assert header.sync_label.isHidden()
