"""The main window on a real engine (127.0.0.1): empty state, creating and joining
circles, status, about."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from peerapp import PRODUCT_NAME, __version__
from peerapp.core.api.circles import Status
from peerapp.core.api.contract import Command
from peerapp.core.api.joins import PreviewInvite
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.create_circle import CreateCircleDialog
from peerapp.ui.dialogs.join_circle import JoinCircleDialog
from peerapp.ui.text import app_window, circles, conversation, network
from tests.gui.circle_steps import create_circle, send_by_typing, wait_showing
from tests.gui.helpers import WAIT_MS, StartSession, click, resolve, type_into


def test_empty_state_offers_to_create_or_join(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).unlock()

    qtbot.waitUntil(window.empty_state.isVisible, timeout=WAIT_MS)
    assert window.content.currentWidget() is window.empty_state
    assert window.empty_state.create_button.isVisible()
    assert window.empty_state.create_button.text() == circles.create_a_circle()
    assert window.empty_state.join_button.isVisible()
    assert window.empty_state.join_button.text() == circles.join_with_invite()
    assert window.circle_list.count() == 0
    assert window.circle_list.none_label.isVisible()
    assert window.banner.isHidden()


def test_creating_a_circle_selects_it(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()

    click(window.empty_state.create_button)
    dialog = window.active_dialog
    assert isinstance(dialog, CreateCircleDialog)
    assert not dialog.primary_button.isEnabled()
    type_into(dialog.name_edit, "Tuesday evening circle")
    type_into(dialog.guidelines_edit, "What is shared here stays here.")
    assert not dialog.primary_button.isEnabled()  # one's own name is required too
    type_into(dialog.member_name_edit, "Ash")
    assert dialog.primary_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)

    qtbot.waitUntil(lambda: window.circle_list.current_id() is not None, timeout=WAIT_MS)
    item = window.circle_list.list.currentItem()
    assert item.text() == "Tuesday evening circle" and item.isSelected()
    assert not window.circle_list.none_label.isVisible()
    pane = window.content.currentWidget()
    assert isinstance(pane, CirclePane)
    assert pane.header.title.text() == "Tuesday evening circle"
    qtbot.waitUntil(
        lambda: pane.header.connection.text() == conversation.just_you(), timeout=WAIT_MS
    )
    assert pane.header.member_count.text() == conversation.member_count(1)
    assert [m.name for m in pane.member_panel.members] == ["Ash"]
    assert pane.member_panel.members[0].role == "founder"
    assert window.banner.isHidden()


def test_a_second_circle_is_added_without_losing_the_first(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    first = create_circle(qtbot, window, "Mornings", "Ash")
    second = create_circle(qtbot, window, "Evenings", "Sam")

    assert window.circle_list.ids() == [first, second]
    assert window.circle_list.current_id() == second
    window.circle_list.select(first)
    assert window.current_pane() is window.panes[first]


def test_joining_with_a_mistyped_code_says_it_is_not_valid(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()

    click(window.empty_state.join_button)
    dialog = window.active_dialog
    assert isinstance(dialog, JoinCircleDialog)
    type_into(dialog.code_edit, "hearth:mfrgg2lt0ebmfzxg")
    assert not dialog.primary_button.isEnabled()
    type_into(dialog.name_edit, "Sam")
    click(dialog.primary_button)

    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert "not a valid invite code" in dialog.error_label.text()
    assert dialog.isVisible() and not dialog.busy
    assert dialog.code() == "hearth:mfrgg2lt0ebmfzxg"  # nothing typed is lost
    assert window.banner.isHidden()  # a refusal is an answer, not an engine error

    click(dialog.secondary_button)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    assert window.circle_list.count() == 0


def test_joining_shows_that_it_is_reaching_the_circle(
    qtbot: QtBot, start_session: StartSession, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    answer: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
    engine = window.bridge.request

    def request(command: Command[Any]) -> asyncio.Future[Any]:
        # Continue first reads the invite (the guidelines come before joining)
        return answer if isinstance(command, PreviewInvite) else engine(command)

    monkeypatch.setattr(window.bridge, "request", request)

    window.join_circle_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, JoinCircleDialog)
    type_into(dialog.code_edit, "hearth:abc")
    type_into(dialog.name_edit, "Sam")
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.busy, timeout=WAIT_MS)

    assert dialog.busy_indicator.isVisible()
    assert dialog.busy_indicator.label.text() == circles.reaching_the_circle()
    assert not dialog.primary_button.isEnabled() and not dialog.code_edit.isEnabled()
    refusal = Refusal.INVITE_UNREACHABLE.text()
    answer.set_exception(CommandError(Refusal.INVITE_UNREACHABLE))
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert dialog.error_label.text() == refusal
    assert dialog.primary_button.isEnabled()


def test_circles_and_messages_are_there_after_locking(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    window = driver.wait_online_after_unlock()
    circle = create_circle(qtbot, window, "Tuesday circle", "Ash")
    send_by_typing(qtbot, window, "A note for later")

    window.lock_action.trigger()
    again = driver.wait_online_after_unlock()

    # the window opens on the circle, with what was said
    pane = wait_showing(qtbot, again, circle)
    assert [(m.author_name, m.text, m.mine) for m in pane.model.messages()] == [
        ("Ash", "A note for later", True)
    ]


def test_status_bar_goes_online_in_plain_words_with_the_peer_id_in_the_details(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    window = driver.unlock()
    assert window.status_text in (network.status_starting(), network.status_online(0))

    driver.wait_online()
    assert window.status_text == network.status_online(0)
    status = resolve(qtbot, window.bridge.request(Status()))
    peer_id = status.peer_id
    assert window.status_text == "Not connected yet"
    assert peer_id in window.connection_details()  # the full id, in the details only
    assert peer_id not in window.status_text


def test_about_text_names_the_product_and_version() -> None:
    text = app_window.about_text()
    assert PRODUCT_NAME in text
    assert __version__ in text
