"""The whole flow on a real engine: first run, lock and unlock, passphrase change,
engine failure, quitting."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from peerapp.core.lifecycle import Phase
from peerapp.engine.profiles import profile_exists
from peerapp.ui.dialogs.change_passphrase import ChangePassphraseDialog
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.session import EXIT_ENGINE_FAILED, EXIT_OK
from peerapp.ui.text import network
from peerapp.ui.text import profile as profile_text
from tests.gui.helpers import WAIT_MS, Passphrases, StartSession, click, type_into, unlock_with


def test_first_run_creates_the_profile_and_opens_the_window(
    qtbot: QtBot, start_session: StartSession, tmp_path: Path, passphrases: Passphrases
) -> None:
    folder = tmp_path / "new-profile"
    driver = start_session(folder)
    dialog = driver.session.dialog
    assert isinstance(dialog, FirstRunDialog)

    type_into(dialog.fields.passphrase_edit, passphrases.good)
    type_into(dialog.fields.repeat_edit, passphrases.good)
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: driver.session.window is not None, timeout=WAIT_MS)

    assert profile_exists(folder)
    driver.wait_online()


def test_quitting_at_the_first_dialog_ends_the_session(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    with qtbot.waitSignal(driver.session.finished, timeout=WAIT_MS) as finished:
        click(driver.unlock_dialog().secondary_button)
    assert finished.args == [EXIT_OK]


def test_lock_then_unlock_restarts_the_engine(
    qtbot: QtBot, start_session: StartSession, profile: Path, passphrases: Passphrases
) -> None:
    driver = start_session(profile)
    window = driver.wait_online_after_unlock()
    first_bridge = window.bridge

    window.lock_action.trigger()

    assert driver.session.window is None
    assert isinstance(driver.session.dialog, UnlockDialog)
    assert not window.isVisible()
    assert first_bridge.phase is Phase.STOPPED
    unlock_with(driver.unlock_dialog(), passphrases.wrong)
    qtbot.waitUntil(driver.unlock_dialog().error_label.isVisible, timeout=WAIT_MS)

    second = driver.unlock(passphrases.good)
    assert second is not window
    driver.wait_online()
    assert driver.exit_codes == []


def test_change_passphrase_then_unlock_with_the_new_one(
    qtbot: QtBot, start_session: StartSession, profile: Path, passphrases: Passphrases
) -> None:
    driver = start_session(profile)
    window = driver.wait_online_after_unlock()

    window.change_passphrase_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, ChangePassphraseDialog)
    type_into(dialog.current_edit, passphrases.wrong)
    type_into(dialog.fields.passphrase_edit, passphrases.new)
    type_into(dialog.fields.repeat_edit, passphrases.new)
    click(dialog.primary_button)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert dialog.error_label.text() == profile_text.wrong_current_passphrase()
    assert dialog.current_edit.text() == ""

    type_into(dialog.current_edit, passphrases.good)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)
    assert window.statusBar().currentMessage() == profile_text.passphrase_changed()

    window.lock_action.trigger()
    unlock_with(driver.unlock_dialog(), passphrases.good)
    qtbot.waitUntil(driver.unlock_dialog().error_label.isVisible, timeout=WAIT_MS)
    assert driver.unlock_dialog().error_label.text() == profile_text.wrong_passphrase()
    driver.unlock(passphrases.new)
    driver.wait_online()


@pytest.fixture
def occupied_address() -> Iterator[str]:
    """A loopback TCP address that a socket of this test already listens on."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        yield f"/ip4/127.0.0.1/tcp/{port}"
    finally:
        holder.close()


def test_engine_failure_shows_the_banner(
    qtbot: QtBot, start_session: StartSession, profile: Path, occupied_address: str
) -> None:
    driver = start_session(profile, [occupied_address])
    window = driver.unlock()

    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    text = window.banner.label.text()
    assert "Could not listen" in text
    assert "offline" in text
    qtbot.waitUntil(lambda: window.status_text == network.status_failed(), timeout=WAIT_MS)

    click(window.banner.dismiss_button)
    assert window.banner.isHidden()
    with qtbot.waitSignal(driver.session.finished, timeout=WAIT_MS) as finished:
        window.close()
    assert finished.args == [EXIT_ENGINE_FAILED]


def test_quit_stops_the_engine_and_ends_the_session(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    window = driver.wait_online_after_unlock()
    bridge = window.bridge

    with qtbot.waitSignal(driver.session.finished, timeout=WAIT_MS) as finished:
        window.quit_action.trigger()

    assert finished.args == [EXIT_OK]
    assert bridge.phase is Phase.STOPPED
    assert driver.session.window is None


def test_request_quit_closes_the_window(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    driver.wait_online_after_unlock()
    with qtbot.waitSignal(driver.session.finished, timeout=WAIT_MS) as finished:
        driver.session.request_quit()
    assert finished.args == [EXIT_OK]
