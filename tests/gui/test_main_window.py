"""The main window on a real engine (127.0.0.1): empty state, circles, status, about."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from peerapp import PRODUCT_NAME, __version__
from peerapp.engine.engine import CIRCLES_NOT_YET
from peerapp.ui import messages
from peerapp.ui.connection_status import shorten_peer_id
from peerapp.ui.dialogs.circles import CreateCircleDialog, JoinCircleDialog
from tests.gui.helpers import WAIT_MS, StartSession, click, resolve, type_into


def test_empty_state_offers_to_create_or_join(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).unlock()

    qtbot.waitUntil(window.empty_state.isVisible, timeout=WAIT_MS)
    assert window.content.currentWidget() is window.empty_state
    assert window.empty_state.create_button.isVisible()
    assert window.empty_state.create_button.text() == messages.CREATE_A_CIRCLE
    assert window.empty_state.join_button.isVisible()
    assert window.empty_state.join_button.text() == messages.JOIN_WITH_INVITE
    assert window.circle_list.count() == 0
    assert window.banner.isHidden()


def test_creating_a_circle_shows_the_engines_refusal(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()

    click(window.empty_state.create_button)
    dialog = window.active_dialog
    assert isinstance(dialog, CreateCircleDialog)
    assert dialog.isVisible()
    assert not dialog.primary_button.isEnabled()
    type_into(dialog.name_edit, "Tuesday evening circle")
    type_into(dialog.guidelines_edit, "What is shared here stays here.")
    click(dialog.primary_button)

    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert dialog.error_label.text() == CIRCLES_NOT_YET
    assert dialog.isVisible() and not dialog.busy
    assert dialog.name_edit.text() == "Tuesday evening circle"
    assert window.banner.isHidden()  # a refusal is an answer, not an engine error


def test_joining_a_circle_shows_the_engines_refusal(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()

    click(window.empty_state.join_button)
    dialog = window.active_dialog
    assert isinstance(dialog, JoinCircleDialog)
    type_into(dialog.code_edit, "hearth1-not-a-real-code")
    assert not dialog.primary_button.isEnabled()
    type_into(dialog.name_edit, "Sam")
    click(dialog.primary_button)

    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert dialog.error_label.text() == CIRCLES_NOT_YET

    click(dialog.secondary_button)
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)


def test_status_bar_goes_online_with_the_peer_id(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    window = driver.unlock()
    assert window.status_text in (messages.STATUS_STARTING, messages.status_online(0))

    driver.wait_online()
    assert window.status_text == messages.status_online(0)
    status = resolve(qtbot, window.bridge.status())
    peer_id = status["peer_id"]
    assert shorten_peer_id(peer_id) in window.peer_id_label.text()
    assert peer_id in window.peer_id_label.toolTip()
    assert len(window.peer_id_label.text()) < len(peer_id)


def test_about_text_names_the_product_and_version() -> None:
    text = messages.about_text()
    assert PRODUCT_NAME in text
    assert __version__ in text
