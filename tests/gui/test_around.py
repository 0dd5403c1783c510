"""Around a circle's conversation (issue 15), on a pane without an engine: the "new
messages" divider, "jump to latest" with its count, "X joined" / "X left" notices in
their log place, who is typing (shown, expiring, gone when their message arrives) and
the composer telling the circle one is typing only when its settings show typing; the
settings dialog's typing switch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from peerapp.core.api.around import Typing
from peerapp.core.api.contract import Command, Done
from peerapp.core.api.moderation import SetSettings
from peerapp.core.events import MembershipEntryView, MemberTyping, MessageView
from peerapp.core.typing_policy import SEND_EVERY_SECONDS
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.circle_settings import CircleSettingsDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notices import Settings, settings_changes
from peerapp.ui.pane_around import NEW_MESSAGES_ID, just_before, typing_text
from peerapp.ui.text import around
from peerapp.ui.timeline import DayRow, NoticeRow
from peerapp.ui.widgets.message_model import order_key
from tests.gui.circle_steps import DELIVERY_WAIT_MS, pane_of, send_by_typing
from tests.gui.helpers import WAIT_MS, circle_info, resolve

CIRCLE = "c1" * 32
NOON = int(datetime.combine(date.today(), datetime.min.time()).timestamp() * 1000) + 43_200_000


def said(number: int, author: str = "b", mine: bool = False) -> MessageView:
    return MessageView(
        id=f"{number:063x}a",
        author=author * 64,
        author_name={"a": "Ash", "b": "Bee", "s": "Sam"}[author],
        text=f"message {number} " + "with a few words " * 3,
        ts=NOON + number * 60_000,
        mine=mine,
        lamport=number,
    )


class Asked:
    """The commands the pane's bridge is asked: `typing` answered at once, the rest never
    (no engine here)."""

    def __init__(self, bridge: EngineBridge) -> None:
        self.commands: list[Command[Any]] = []
        bridge.request = self._request  # type: ignore[method-assign]

    def _request(self, command: Command[Any]) -> asyncio.Future[Any]:
        self.commands.append(command)
        answered: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
        if isinstance(command, Typing):
            answered.set_result(Done())
        return answered


@pytest.fixture
def pane(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop) -> Iterator[CirclePane]:
    def no_engine(_emit: Any) -> Any:
        raise AssertionError("no engine in these tests")

    shown = CirclePane(EngineBridge(no_engine), CIRCLE, "Tea", 3)
    qtbot.addWidget(shown)
    shown.resize(640, 420)
    shown.show()
    qtbot.waitExposed(shown)
    shown.loaded = True  # as if the first page had come
    yield shown


def test_an_order_id_just_before_sorts_between_its_neighbours() -> None:
    for message_id in ("00a", "0af", "abc", "ab0"):
        before = just_before(message_id)
        below = [i for i in ("009", "0a9", "0ae", "abb", "aaf", "aa0") if i < message_id]
        assert before < message_id and all(i < before for i in below)


def test_typing_says_one_two_or_how_many() -> None:
    assert typing_text([]) == ""
    assert typing_text(["Sam"]) == around.typing_one("Sam")
    assert typing_text(["Sam", "Bee"]) == around.typing_two("Sam", "Bee")
    assert typing_text(["Sam", "Bee", "Em"]) == around.typing_many(3)


def test_the_divider_sits_before_the_first_unread_and_moves_on(pane: CirclePane) -> None:
    messages = [said(n, "a" if n % 3 == 0 else "b", mine=n % 3 == 0) for n in range(1, 10)]
    pane.model.append(messages)
    pane.around.mark_unread(3)  # the three newest of others: 5, 7, 8 (6 and 9 are ours)
    divider = pane.around.divider()
    assert divider is not None and divider.text == around.new_messages()
    items = pane.model.items()
    assert items[items.index(divider) + 1] == said(5)
    assert order_key(said(4)) < order_key(divider) < order_key(said(5))
    # read meanwhile: opening again with nothing unread leaves it; with new ones, it moves
    pane.around.mark_unread(0)
    assert pane.around.divider() == divider
    pane.model.append([said(10), said(11)])
    pane.around.mark_unread(2)
    items = pane.model.items()
    moved = pane.around.divider()
    assert moved is not None and items[items.index(moved) + 1] == said(10)
    assert [n.id for n in pane.model.notices()] == [NEW_MESSAGES_ID]  # only one
    # the old place's rows are whole again: no stray day separator
    rows = [pane.model.row(n) for n in range(pane.model.rowCount())]
    assert sum(isinstance(r, DayRow) for r in rows) == 1


def test_the_divider_waits_for_the_first_page(pane: CirclePane) -> None:
    pane.loaded = False
    pane.around.mark_unread(1)
    assert pane.around.divider() is None
    pane.model.append([said(1), said(2)])
    pane.loaded = True
    pane.around.first_page_shown()  # (its log read fails quietly: no engine)
    divider = pane.around.divider()
    assert divider is not None and divider.order_id == just_before(said(2).id)


def _divider_at_top(pane: CirclePane) -> bool:
    """The divider's row shows at the top of the list's view."""
    message_list = pane.message_list
    number = pane.model.row_of(NEW_MESSAGES_ID)
    if number is None:
        return False
    rect = message_list.visualRect(pane.model.index(number))
    return abs(rect.top()) <= 1 and rect.bottom() < message_list.viewport().height()


def test_opening_with_unread_messages_shows_the_divider_not_the_end(
    qtbot: QtBot, pane: CirclePane
) -> None:
    message_list = pane.message_list
    bar = message_list.verticalScrollBar()
    pane.model.append([said(n) for n in range(1, 41)])
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)
    message_list.scroll_to_end()
    pane.around.mark_unread(25)  # opened again later, with 25 new
    assert _divider_at_top(pane) and not message_list.at_bottom
    # rows laid out again later (a resize) do not pull it to the end
    pane.resize(600, 400)
    qtbot.wait(50)
    assert not message_list.at_bottom and bar.value() < bar.maximum()
    # nothing unread: it stays where the person was
    message_list.scroll_to_end()
    pane.around.mark_unread(0)
    assert message_list.at_bottom


def test_the_first_page_opens_at_the_divider_or_at_the_end(qtbot: QtBot, pane: CirclePane) -> None:
    bar = pane.message_list.verticalScrollBar()
    pane.loaded = False
    pane.around.mark_unread(30)
    pane.model.append([said(n) for n in range(1, 41)])
    pane.loaded = True
    pane.around.first_page_shown()
    assert _divider_at_top(pane) and bar.value() < bar.maximum()
    pane.model.remove(NEW_MESSAGES_ID)
    pane.around.first_page_shown()  # nothing unread: the end
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0, timeout=WAIT_MS)


def test_jump_to_latest_counts_what_arrived_below(qtbot: QtBot, pane: CirclePane) -> None:
    pane.model.append([said(n) for n in range(1, 30)])
    message_list = pane.message_list
    bar = message_list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)
    message_list.scroll_to_end()
    assert pane.around.jump_button.isHidden()
    bar.setValue(bar.minimum() + 1)  # the person scrolls up to read
    qtbot.waitUntil(pane.around.jump_button.isVisible, timeout=WAIT_MS)
    assert pane.around.jump_button.text() == around.jump_to_latest()
    pane.add_arrived(said(30))
    pane.add_arrived(said(31))
    pane.add_arrived(said(32, "a", mine=True))  # our own does not count
    assert pane.around.jump_button.text() == around.jump_to_latest_new(2)
    button = pane.around.jump_button
    assert message_list.viewport().geometry().contains(button.geometry())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: message_list.at_bottom and button.isHidden(), timeout=WAIT_MS)
    assert pane.around.new_below == 0


def test_joined_and_left_show_as_notices_in_their_place(pane: CirclePane) -> None:
    pane.model.append([said(1), said(4)])
    joined = MembershipEntryView("e" * 64, "s" * 64, "Sam", "joined", NOON, 2)
    left = MembershipEntryView("f" * 64, "s" * 64, "Sam", "left", NOON, 3)
    pane.around.entry_arrived(joined)
    pane.around.entry_arrived(left)
    pane.around.entry_arrived(joined)  # twice: once
    texts = [
        row.notice.text
        for row in (pane.model.row(n) for n in range(pane.model.rowCount()))
        if isinstance(row, NoticeRow)
    ]
    assert texts == [around.joined_notice("Sam"), around.left_notice("Sam")]
    items = pane.model.items()
    assert items[0] == said(1) and items[-1] == said(4)  # between the two messages
    # an older page takes the notices that belong among it
    assert pane.around.with_older([]) == []


def test_who_is_typing_shows_expires_and_goes_with_their_message(
    qtbot: QtBot, pane: CirclePane
) -> None:
    label = pane.around.typing_label
    assert label.isHidden()
    pane.around.typing_arrived(MemberTyping(CIRCLE, "s" * 64, "Sam", 6))
    assert label.isVisible() and label.text() == around.typing_one("Sam")
    pane.around.typing_arrived(MemberTyping(CIRCLE, "b" * 64, "Bee", 0))  # already over
    assert label.text() == around.typing_two("Sam", "Bee")
    pane.around._typing_tick()  # the timer's step: Bee's time is up
    assert label.text() == around.typing_one("Sam")
    pane.add_arrived(said(1, "s"))  # Sam's message came: no longer typing
    assert label.isHidden()


def test_the_composer_says_typing_only_when_the_circle_shows_it(
    qtbot: QtBot, pane: CirclePane
) -> None:
    asked = Asked(pane.bridge)
    pane.controller.show_info(circle_info(circle=CIRCLE))
    pane.composer.edit.setPlainText("hello")
    assert not any(isinstance(c, Typing) for c in asked.commands)  # off by default
    pane.controller.show_info(circle_info(circle=CIRCLE, typing=True))
    pane.composer.edit.setPlainText("hello again")
    pane.composer.edit.setPlainText("hello again, and more")  # within 3 s: not again
    assert [c for c in asked.commands if isinstance(c, Typing)] == [Typing(circle=CIRCLE)]


def test_the_settings_dialog_switches_typing(qtbot: QtBot, pane: CirclePane) -> None:
    dialog = CircleSettingsDialog(pane.bridge, CIRCLE, "Tea", Settings(), pane)
    qtbot.addWidget(dialog)
    assert not dialog.typing_check.isChecked()  # off by default
    dialog.typing_check.setChecked(True)
    assert dialog.changes() == {"typing": True}
    assert settings_changes(Settings(typing=True), Settings()) == [around.typing_on_now()]


# -- two real engines, the window's wiring -----------------------------------------------------


def test_two_windows_see_joins_typing_and_the_preview(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    """Through each window's one event route: Ash's pane says "Bee joined"; once Ash
    turns typing on, Bee writing shows "Bee is typing…" over Ash's composer, and Bee's
    message ends it and moves Ash's preview on (who only: the default privacy)."""
    ash, bee, circle = two_members
    ash_pane, bee_pane = pane_of(ash, circle), pane_of(bee, circle)
    qtbot.waitUntil(
        lambda: around.joined_notice("Bee") in [n.text for n in ash_pane.model.notices()],
        timeout=DELIVERY_WAIT_MS,
    )
    resolve(qtbot, ash.bridge.request(SetSettings(circle=circle, typing=True)))
    qtbot.waitUntil(
        lambda: bee_pane.info is not None and bee_pane.info.typing, timeout=DELIVERY_WAIT_MS
    )
    label = ash_pane.around.typing_label
    for attempt in range(10):  # a signal goes once: again until the mesh carries one
        bee_pane.composer.edit.setPlainText(f"I wanted to say {attempt}")
        try:
            qtbot.waitUntil(label.isVisible, timeout=SEND_EVERY_SECONDS * 1000 + 500)
            break
        except WaitTimeout:
            continue
    assert label.text() == around.typing_one("Bee")
    bee_pane.composer.edit.clear()
    send_by_typing(qtbot, bee, "thank you all")
    qtbot.waitUntil(label.isHidden, timeout=DELIVERY_WAIT_MS)
    line, _ = ash.circle_list.preview(circle)
    assert line == around.preview_name_only("Bee")
    # Bee's own list moved on from the send's answer
    assert bee.circle_list.preview(circle)[0] == around.preview_name_only(around.preview_you())
