"""What a circle's header says about its members and connections (no engine)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from peerapp.core.events import MemberView
from peerapp.ui.text import conversation
from peerapp.ui.widgets.circle_header import CircleHeader, connection_text
from peerapp.ui.widgets.member_list import MemberPanel, MemberRow

ME = MemberView("aa", "Ash", "founder", True)


def member(name: str, online: bool) -> MemberView:
    return MemberView(name.lower() * 32, name, "member", online)


@pytest.mark.parametrize(
    ("members", "text", "reachable"),
    [
        ([ME], conversation.just_you(), False),
        ([ME, member("Bee", False)], "Connected to 0 of 1 member", False),
        ([ME, member("Bee", True)], "Connected to 1 of 1 member", True),
        ([ME, member("Bee", True), member("Cy", False)], "Connected to 1 of 2 members", True),
    ],
)
def test_connection_text(members: list[MemberView], text: str, reachable: bool) -> None:
    assert connection_text(members) == (text, reachable)


def test_the_header_shows_counts_and_presence(qtbot: QtBot, hearth_app: object) -> None:
    header = CircleHeader("Tuesday circle", 3)
    qtbot.addWidget(header)
    header.show()
    assert header.member_count.text() == "3 members"
    assert header.connection.text() == "" and header.dot.isHidden()

    header.set_members([ME, member("Bee", False)])
    assert header.member_count.text() == "2 members"
    assert header.dot.isVisible() and header.dot.property("presence") == "offline"
    header.set_members([ME, member("Bee", True)])
    assert header.dot.property("presence") == "online"


def test_the_member_panel_marks_the_founder_and_who_is_connected(
    qtbot: QtBot, hearth_app: object
) -> None:
    panel = MemberPanel()
    qtbot.addWidget(panel)
    rows = [
        MemberView(id="aa", name="Ash", role="founder", online=True),
        MemberView(id="bb", name="Bee", role="member", online=False),
    ]
    panel.set_members(rows)
    panel.show()
    assert [(m.name, m.role == "founder", m.online) for m in panel.members] == [
        ("Ash", True, True),
        ("Bee", False, False),
    ]
    rows_shown = [panel.list.itemWidget(panel.list.item(n)) for n in range(2)]
    assert all(isinstance(row, MemberRow) for row in rows_shown)
    badges = [row.badge.isVisible() for row in rows_shown if isinstance(row, MemberRow)]
    dots = [row.dot.property("presence") for row in rows_shown if isinstance(row, MemberRow)]
    assert badges == [True, False]
    assert dots == ["online", "offline"]
