"""Circles through the widgets, on real engines on 127.0.0.1: inviting, two people in one
process (two profiles, two engines, two windows) joining and talking, unread counts and
notifications."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from peerapp.core.invite_code import decode_invite
from peerapp.ui.dialogs.invite import InviteDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.notifier import Notification
from peerapp.ui.text import app_window, common, conversation, invites, notifications
from tests.gui.circle_steps import (
    copy_invite,
    create_circle,
    join_circle,
    open_invite,
    pane_of,
    send_by_typing,
    shown,
    wait_connected,
    wait_for_text,
    wait_showing,
)
from tests.gui.helpers import WAIT_MS, StartSession, click


def test_invite_dialog_gives_a_code_to_copy_and_a_qr_image(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Tuesday circle", "Ash")

    dialog = open_invite(qtbot, window)
    code = dialog.code
    assert code is not None and code.startswith("hearth:")
    result = dialog.result_view
    assert result.code_edit.text() == code and result.code_edit.isReadOnly()
    assert decode_invite(code).circle_id.hex() == circle
    assert not result.qr_pixmap().isNull()
    assert result.qr_pixmap().width() >= 150
    assert "can be used once" in result.details.text()
    assert "share it only with the person" in invites.invite_is_a_key()
    assert dialog.primary_button.text() == common.done()

    click(result.copy_button)
    assert QGuiApplication.clipboard().text() == code
    assert result.copy_button.text() == common.copied()

    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(dialog.primary_button)


def test_invite_options_reach_the_engine(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    create_circle(qtbot, window, "Tuesday circle", "Ash")
    pane = window.current_pane()
    assert pane is not None
    click(pane.header.invite_button)
    dialog = window.active_dialog
    assert isinstance(dialog, InviteDialog)
    assert dialog.expiry_box.currentText() == "7 days"
    assert dialog.uses_box.currentText() == "Once"
    dialog.expiry_box.setCurrentIndex(0)  # 1 hour
    dialog.uses_box.setCurrentIndex(1)  # 5 times
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.code is not None, timeout=WAIT_MS)

    assert dialog.code is not None
    left = decode_invite(dialog.code).expires - time.time()
    assert 3500 < left <= 3600
    assert "can be used 5 times" in dialog.result_view.details.text()


@dataclass
class TwoPeople:
    ash: MainWindow
    bee: MainWindow
    circle: str


@pytest.fixture
def two_people(
    qtbot: QtBot, start_session: StartSession, profile: Path, second_profile: Path
) -> TwoPeople:
    """Ash creates a circle and invites Bee, who joins by pasting the code."""
    ash = start_session(profile).wait_online_after_unlock()
    bee = start_session(second_profile).wait_online_after_unlock()
    circle = create_circle(qtbot, ash, "Tuesday circle", "Ash")
    copy_invite(qtbot, ash)
    assert join_circle(qtbot, bee, "Bee") == circle
    # each can reach the other before anyone speaks
    wait_connected(qtbot, ash, conversation.connected_members(1, 1))
    wait_connected(qtbot, bee, conversation.connected_members(1, 1))
    return TwoPeople(ash, bee, circle)


def test_two_people_join_and_talk(qtbot: QtBot, two_people: TwoPeople) -> None:
    ash, bee, circle = two_people.ash, two_people.bee, two_people.circle
    assert bee.circle_list.name_of(circle) == "Tuesday circle"
    assert pane_of(bee, circle).header.title.text() == "Tuesday circle"
    members = [(m.name, m.role == "founder") for m in pane_of(bee, circle).member_panel.members]
    assert members == [("Ash", True), ("Bee", False)]
    qtbot.waitUntil(
        lambda: [m.name for m in pane_of(ash, circle).member_panel.members] == ["Ash", "Bee"],
        timeout=WAIT_MS,
    )

    activate(qtbot, ash)
    send_by_typing(qtbot, ash, "Welcome, Bee. Glad you are here.")
    wait_for_text(qtbot, bee, circle, "Welcome, Bee. Glad you are here.")
    activate(qtbot, bee)
    send_by_typing(qtbot, bee, "Thank you. It has been a long week.")
    wait_for_text(qtbot, ash, circle, "Thank you. It has been a long week.")

    assert shown(ash, circle) == [
        ("Ash", "Welcome, Bee. Glad you are here.", True),
        ("Bee", "Thank you. It has been a long week.", False),
    ]
    assert shown(bee, circle) == [
        ("Ash", "Welcome, Bee. Glad you are here.", False),
        ("Bee", "Thank you. It has been a long week.", True),
    ]
    ids = [m.id for m in pane_of(ash, circle).model.messages()]
    assert ids == [m.id for m in pane_of(bee, circle).model.messages()]

    # Ash was looking at the circle, but in a window that was not active
    wait_unread(qtbot, ash, circle, 1)
    qtbot.waitUntil(lambda: len(notifications_for(ash, circle)()) == 1, timeout=WAIT_MS)
    assert notifications_for(ash, circle)() == [
        Notification(circle, common.app_name(), "New message in Tuesday circle")
    ]
    activate(qtbot, ash)  # coming back to the window counts as reading
    wait_unread(qtbot, ash, circle, 0)


def wait_unread(qtbot: QtBot, window: MainWindow, circle: str, count: int) -> None:
    qtbot.waitUntil(lambda: window.circle_list.unread(circle) == count, timeout=WAIT_MS)


def activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def notifications_for(window: MainWindow, circle: str) -> Callable[[], list[Notification]]:
    return lambda: [n for n in window.notifier.shown if n.circle == circle]


def test_unread_counts_and_notifications(qtbot: QtBot, two_people: TwoPeople) -> None:
    ash, bee, circle = two_people.ash, two_people.bee, two_people.circle
    # Bee starts a circle of her own and looks at it: Tuesday circle is out of view
    own = create_circle(qtbot, bee, "Notes to self", "Bee")
    activate(qtbot, bee)
    bee_notes = notifications_for(bee, circle)
    assert bee.circle_list.unread(circle) == 0

    send_by_typing(qtbot, ash, "Is anyone around tonight?")
    wait_unread(qtbot, bee, circle, 1)
    qtbot.waitUntil(lambda: len(bee_notes()) == 1, timeout=WAIT_MS)
    assert bee_notes() == [Notification(circle, common.app_name(), "New message in Tuesday circle")]
    assert "tonight" not in repr(bee.notifier.shown)  # the text stays hidden by default
    assert bee.notifier.tooltip == notifications.unread_tooltip(1)
    assert bee.windowTitle() == app_window.window_title(1, bee.profile_name)
    assert pane_of(bee, own).model.messages() == []

    # opening the circle shows the message and clears its count
    bee.circle_list.select(circle)
    pane = wait_showing(qtbot, bee, circle)
    assert [m.text for m in pane.model.messages()] == ["Is anyone around tonight?"]
    wait_unread(qtbot, bee, circle, 0)
    assert bee.notifier.tooltip == notifications.unread_tooltip(0)

    # while the circle is in view in the active window: no notification, no count
    send_by_typing(qtbot, ash, "I am.")
    wait_for_text(qtbot, bee, circle, "I am.")
    wait_unread(qtbot, bee, circle, 0)
    bee.notifier.flush()  # anything waiting to be told would be told now
    assert len(bee_notes()) == 1

    # with the setting on, the notification says who wrote what
    bee.show_text_action.trigger()
    assert bee.preferences.show_message_text
    bee.circle_list.select(own)
    send_by_typing(qtbot, ash, "Good night, both.")
    qtbot.waitUntil(lambda: len(bee_notes()) == 2, timeout=WAIT_MS)
    assert bee_notes()[-1] == Notification(circle, "Ash · Tuesday circle", "Good night, both.")
    wait_unread(qtbot, bee, circle, 1)
