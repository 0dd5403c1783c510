"""Small windows, disabled actions, names for screen readers and plain words (issue 14,
items 8-10) on real engines (127.0.0.1)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import PeerSyncView
from peerapp.core.events import MemberView
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.main_window import MainWindow
from peerapp.ui.responsive import MIN_WINDOW_WIDTH, Drawer, Place
from peerapp.ui.text import conversation
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    create_circle,
    send_by_typing,
    wait_settled,
    wait_showing,
)
from tests.gui.helpers import WAIT_MS, StartSession, click

GUIDELINES = "What is shared here stays here. Listen first; no advice unless asked."
JARGON = re.compile(r"12D3KooW|\bpeers?\b|Held by", re.IGNORECASE)


def settle_size(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == max(width, MIN_WINDOW_WIDTH), timeout=WAIT_MS)
    QApplication.processEvents()  # the layout follows the resize


def place_of(drawer: Drawer) -> Place:
    return drawer.place


def header_buttons_fit(pane: CirclePane) -> dict[str, tuple[int, int]]:
    """Each shown header button whose words are wider than the button: text -> (words,
    button) widths."""
    return {
        button.text(): (button.fontMetrics().horizontalAdvance(button.text()), button.width())
        for button in pane.header.buttons()
        if button.isVisible()
        and button.fontMetrics().horizontalAdvance(button.text()) > button.width()
    }


def test_at_640_px_nothing_is_clipped_and_the_lists_become_drawers(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    first = create_circle(qtbot, window, "Tuesday evening circle", "Ash", GUIDELINES)
    second = create_circle(qtbot, window, "Walkers", "Ash")
    pane = wait_showing(qtbot, window, second)

    settle_size(qtbot, window, 1024, 640)
    conversation_height = pane.messages_area.height()
    print(f"at 1024x640 the conversation area is {conversation_height} px high")
    assert conversation_height > window.height() // 2
    assert window.circle_list.isVisible() and pane.member_panel.isVisible()
    assert pane.header.invite_button.isVisible()
    # beside both side panels the text box still holds its placeholder on one line
    edit = pane.composer.edit
    room = edit.viewport().width() - 2 * edit.document().documentMargin()
    needed = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    print(f"at 1024 px the composer's box has {room:.0f} px for a {needed} px placeholder")
    assert needed <= room

    settle_size(qtbot, window, 600, 600)  # below the minimum: 640
    assert window.width() == MIN_WINDOW_WIDTH
    assert header_buttons_fit(pane) == {}
    # the circle list folded into a drawer, opened from the header
    assert not window.circle_list.isVisible()
    assert pane.header.circles_button.isVisible()
    assert not pane.header.invite_button.isVisible()  # folded into More
    assert pane.small_window.invite_action.isVisible()
    assert pane.small_window.invite_action in pane.more_menu.actions()
    click(pane.header.circles_button)
    qtbot.waitUntil(window.circle_list.isVisible, timeout=WAIT_MS)
    assert place_of(window.circle_drawer) is Place.FLOATING
    assert window.circle_list.geometry().left() == 0
    window.circle_list.select(first)  # choosing a circle closes the drawer
    shown = wait_showing(qtbot, window, first)
    qtbot.waitUntil(lambda: not window.circle_list.isVisible(), timeout=WAIT_MS)
    assert header_buttons_fit(shown) == {}
    assert shown.header.title.text() == "Tuesday evening circle"  # elided, never cut

    # the members: folded away (no empty box), a drawer over the conversation's right edge
    assert not shown.member_panel.isVisible()
    assert not shown.header.members_button.isChecked()
    click(shown.header.members_button)
    qtbot.waitUntil(shown.member_panel.isVisible, timeout=WAIT_MS)
    assert shown.small_window.members.place is Place.FLOATING
    assert shown.member_panel.geometry().right() == shown.messages_area.geometry().right()
    assert shown.member_panel.members  # not an empty box
    click(shown.header.members_button)
    qtbot.waitUntil(lambda: not shown.member_panel.isVisible(), timeout=WAIT_MS)
    # Esc closes the floating drawer too, and the composer has the focus again
    click(shown.header.members_button)
    qtbot.waitUntil(shown.member_panel.isVisible, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    QTest.keyClick(shown.header.members_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shown.member_panel.isVisible(), timeout=WAIT_MS)
    assert not shown.header.members_button.isChecked()
    qtbot.waitUntil(shown.composer.edit.hasFocus, timeout=WAIT_MS)

    # room again: everything back in its place
    settle_size(qtbot, window, 1200, 700)
    qtbot.waitUntil(window.circle_list.isVisible, timeout=WAIT_MS)
    assert place_of(window.circle_drawer) is Place.DOCKED
    assert shown.member_panel.isVisible() and shown.header.invite_button.isVisible()
    assert not shown.header.circles_button.isVisible()
    assert header_buttons_fit(shown) == {}


def cut_status(pane: CirclePane) -> dict[str, tuple[int, int]]:
    """Each shown part of the header's status lines whose words are wider than the room
    it has: text -> (words, room) widths."""
    header = pane.header
    parts = [header.member_count, header.connection, header.sync_label]
    return {
        label.text(): (label.fontMetrics().horizontalAdvance(label.text()), room)
        for label in parts
        if label.isVisible()
        and label.fontMetrics().horizontalAdvance(label.text())
        > (room := label.contentsRect().width())
    }


def test_the_header_status_reads_whole_at_1024_and_800_px(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    # found in the issue-15 walk: "Connected to 1 of 1 me…" at 1024 px beside both panels
    window = start_session(profile).wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Tuesday evening circle", "Ash", GUIDELINES)
    pane = wait_showing(qtbot, window, circle)
    header = pane.header
    me, other = "a1" * 32, "b2" * 32
    members = [MemberView(me, "Ash", "founder", True), MemberView(other, "Bee", "member", True)]
    header.set_members(members)
    now = 1_800_000_000_000
    header.set_peer_syncs([PeerSyncView(other, "Bee", "12D3", True, now - 42 * 60_000)], now)
    for width in (1024, 800, 640):
        settle_size(qtbot, window, width, 640)
        assert header.connection.isVisible()
        print(
            f"at {width} px: header {header.width()} px wide, sync age on its own line: "
            f"{header.sync_wrapped}, shown: {header.sync_label.isVisible()}"
        )
        assert cut_status(pane) == {}, width
        assert header_buttons_fit(pane) == {}
    settle_size(qtbot, window, 1400, 700)  # room: the sync age is back on the line
    assert header.sync_label.isVisible() and cut_status(pane) == {}


def darkest(menu: QMenu, action: QAction) -> int:
    """The darkest pixel of an entry of `menu` as drawn (the sum of its channels)."""
    image = menu.grab().toImage()
    rect = menu.actionGeometry(action)
    darkest_sum = 3 * 255
    for x in range(rect.left(), rect.right()):
        for y in range(rect.top(), rect.bottom()):
            colour = image.pixelColor(x, y)
            darkest_sum = min(darkest_sum, colour.red() + colour.green() + colour.blue())
    return darkest_sum


def test_circle_actions_are_disabled_and_look_it_with_no_circle_and_lists_have_names(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    qtbot.waitUntil(window.empty_state.isVisible, timeout=WAIT_MS)
    circle_actions = [
        window.invite_action,
        window.manage_invites_action,
        window.circle_settings_action,
        window.moderation_log_action,
        window.leave_circle_action,
    ]
    menu = next(m for m in window.findChildren(QMenu) if window.invite_action in m.actions())
    menu.adjustSize()
    assert [action.isEnabled() for action in circle_actions] == [False] * 5
    enabled = darkest(menu, window.create_circle_action)
    for action in circle_actions:
        looks = darkest(menu, action)
        assert looks > enabled + 150, f"{action.text()} looks enabled ({looks} vs {enabled})"

    circle = create_circle(qtbot, window, "Tuesday circle", "Ash")
    pane = wait_showing(qtbot, window, circle)
    window.refresh_moderation_actions()
    assert window.invite_action.isEnabled() and window.moderation_log_action.isEnabled()

    named: dict[str, QWidget] = {
        "circle list": window.circle_list.list,
        "message list": pane.message_list,
        "composer": pane.composer.edit,
        "member list": pane.member_panel.list,
        "send": pane.composer.send_button,
        "invite": pane.header.invite_button,
        "members": pane.header.members_button,
        "more": pane.header.more_button,
    }
    unnamed = [what for what, widget in named.items() if not widget.accessibleName()]
    assert unnamed == []


def shown_texts(window: MainWindow) -> list[str]:
    """The words of every label and button shown in the window, and the delivery
    states its conversation says (tooltip and screen reader)."""
    widgets = window.findChildren(QLabel) + window.findChildren(QAbstractButton)
    texts = [widget.text() for widget in widgets if widget.isVisible() and widget.text()]
    pane = window.current_pane()
    if pane is not None:
        texts += [
            said
            for message in pane.model.messages()
            if (said := pane.model.delivery_text(message.id))
        ]
    return texts


def test_the_main_window_speaks_plain_words(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    wait_settled(qtbot, ash, circle, ["Ash", "Bee"])
    send_by_typing(qtbot, ash, "Anyone around tonight?")
    pane = ash.panes[circle]
    sent = pane.model.messages()[-1]
    qtbot.waitUntil(
        lambda: pane.model.delivery_text(sent.id) == conversation.held_by(1, 1),
        timeout=DELIVERY_WAIT_MS,
    )
    assert conversation.held_by(1, 1) == "Delivered to everyone"
    assert conversation.held_by(2, 3) == "Delivered to 2 of 3"
    qtbot.waitUntil(lambda: ash.status_text == "Connected to 1 member", timeout=WAIT_MS)
    for window in (ash, bee):
        jargon = [text for text in shown_texts(window) if JARGON.search(text)]
        assert jargon == [], jargon
    # the details say it all, for whoever needs it
    assert "12D3KooW" in ash.connection_details()
