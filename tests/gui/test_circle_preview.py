"""The circle list's preview (issue 15): the last message under each circle's name, as
much as the notification privacy choice allows, a content warning's label instead of its
text, nothing of a message hidden pending review; moved on by message events in place."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerapp.core.events import MessageView
from peerapp.ui import circle_preview, timeline
from peerapp.ui.preferences import NotificationDetail
from peerapp.ui.text import around, safety
from peerapp.ui.widgets.circle_list import CircleEntry, CircleList

pytestmark = pytest.mark.usefixtures("hearth_app")

CIRCLE = "c1" * 32
NOON = int(datetime.combine(date.today(), datetime.min.time()).timestamp() * 1000) + 43_200_000


def said(number: int, text: str = "hello there", **fields: object) -> MessageView:
    values: dict[str, object] = {
        "id": f"{number:064x}",
        "author": "b" * 64,
        "author_name": "Bee",
        "text": text,
        "ts": NOON,
        "mine": False,
        "lamport": number,
    }
    values.update(fields)
    return MessageView(**values)  # type: ignore[arg-type]


def listed(qtbot: QtBot, last: MessageView | None) -> CircleList:
    circle_list = CircleList()
    qtbot.addWidget(circle_list)
    circle_list.set_circles([CircleEntry(CIRCLE, "Tea", 2, 0, last=last)])
    circle_list.show()
    return circle_list


def test_the_preview_says_as_much_as_the_privacy_choice(qtbot: QtBot) -> None:
    circle_list = listed(qtbot, said(1, "  a long\nday  "))
    clock = timeline.clock(NOON)
    # the default: who only
    assert circle_list.preview(CIRCLE) == (around.preview_name_only("Bee"), clock)
    circle_list.set_detail(NotificationDetail.MESSAGE)
    assert circle_list.preview(CIRCLE) == (around.preview_said("Bee", "a long day"), clock)
    spoken = circle_list.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Tea. {around.preview_said('Bee', 'a long day')}"  # read out too
    circle_list.set_detail(NotificationDetail.NOTHING)
    assert circle_list.preview(CIRCLE) == ("", "")
    assert circle_list.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole) == "Tea"
    circle_list.grab()  # painted with and without a preview line, no error


def test_a_content_warning_shows_its_label_and_a_hidden_message_nothing(qtbot: QtBot) -> None:
    detail = NotificationDetail.MESSAGE
    warned = said(1, "the words behind it", cw="grief")
    assert circle_preview.preview_text(warned, detail) == around.preview_said(
        "Bee", safety.cw_label("grief")
    )
    assert "behind" not in circle_preview.preview_text(warned, detail)
    hidden = said(2, "flagged words", hidden=True)
    assert circle_preview.preview_text(hidden, detail) == around.preview_hidden()
    removed = said(3, "", deleted="facilitator")
    assert circle_preview.preview_text(removed, detail) == around.preview_removed()
    mine = said(4, "from me", mine=True)
    assert circle_preview.preview_text(mine, detail) == around.preview_said(
        around.preview_you(), "from me"
    )
    check_in = said(5, "rough night", mood=2)
    assert circle_preview.preview_text(check_in, detail) == around.preview_checked_in("Bee")
    assert circle_preview.preview_text(None, detail) == ""


def test_an_older_day_shows_its_date(qtbot: QtBot) -> None:
    yesterday = NOON - 86_400_000
    shown = circle_preview.preview_time(
        said(1, ts=yesterday), NotificationDetail.CIRCLE, date.today()
    )
    expected = (date.today() - timedelta(days=1)).strftime(around.preview_day_format())
    assert shown == expected


def test_messages_move_the_preview_on_in_place(qtbot: QtBot) -> None:
    circle_list = listed(qtbot, said(5, "five"))
    circle_list.set_detail(NotificationDetail.MESSAGE)
    circle_list.message_arrived(CIRCLE, said(3, "an older one, synced late"))
    assert circle_list.preview(CIRCLE)[0] == around.preview_said("Bee", "five")
    circle_list.message_arrived(CIRCLE, said(6, "six"))
    assert circle_list.preview(CIRCLE)[0] == around.preview_said("Bee", "six")
    # a change of another message leaves it; of this one, follows it
    circle_list.message_changed(CIRCLE, said(5, "", deleted="author"))
    assert circle_list.preview(CIRCLE)[0] == around.preview_said("Bee", "six")
    circle_list.message_changed(CIRCLE, said(6, "six", hidden=True))
    assert circle_list.preview(CIRCLE)[0] == around.preview_hidden()
    # the engine's row brings its own last message
    entry = circle_list.entry(CIRCLE)
    assert entry is not None and entry.last == said(6, "six", hidden=True)
    circle_list.set_circle(CircleEntry(CIRCLE, "Tea", 2, 0, last=said(7, "seven")))
    assert circle_list.preview(CIRCLE)[0] == around.preview_said("Bee", "seven")
    circle_list.message_arrived("ff" * 32, said(8))  # a circle not listed: nothing
