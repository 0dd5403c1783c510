"""The GUI when Tor cannot start (issue 12): real sessions on real engines whose Tor fails
for real (an existing Tor whose control port does not answer, a line tor itself rejects),
no Tor network needed.

What a person must see: what went wrong and what to fix, in the banner and the status
bar's network line (never a traceback, never "Connecting to the Tor network" left
standing), and a way to the network settings that works although the engine is not
running; the profile is left as it was until they change the settings. Once fixed,
"Reconnect now" starts the engine again with them.

Also the status bar's rules for a failed engine and for the identity it shows (no
profile-wide peer id in Tor mode), without widgets.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pytestqt.qtbot import QtBot

from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkMode, NetworkOptions
from peerapp.engine.profiles import unlock_profile
from peerapp.storage.network_settings import NetworkSettings, TorSettings
from peerapp.ui.connection_status import (
    ConnectionStatus,
    TorState,
    identity_line,
    network_line,
)
from peerapp.ui.dialogs.network_settings import NetworkSettingsDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import network
from tests.gui.helpers import PASSPHRASES, WAIT_MS, StartSession, click
from tests.tor.private_network import free_port

# our own tor must start (and refuse) within this: a loaded machine can be slow
FAILURE_MS = 60_000
PEER_ID = "12D3KooWHg9oN2sWw1fWvSkhFdmVuyGfLB2AVBWdyC5qRH7Gx5DR"


def profile_files(folder: Path) -> dict[str, str]:
    """relative path -> digest of every file in the profile (its lock file aside)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(".lock")
    }


def store_existing_tor(folder: Path, control: str, socks: str) -> None:
    """What a person saved earlier: an existing Tor at these addresses."""
    database = unlock_profile(folder, PASSPHRASES.good).open_database()
    try:
        settings = NetworkSettings(database)
        settings.set_mode(NetworkMode.TOR)
        settings.set_tor(TorSettings(control=control, socks=socks))
    finally:
        database.close()


def wait_failed(qtbot: QtBot, window: MainWindow) -> str:
    """Until the engine has stopped with a network failure; the banner's text."""
    qtbot.waitUntil(window.network_status.settings_button.isVisible, timeout=FAILURE_MS)
    assert window.banner.isVisible()
    return window.banner.label.text()


def assert_clear_failure(window: MainWindow, banner: str, *naming: str) -> None:
    print(f"banner: {banner}")
    line = window.network_status
    assert "Traceback" not in banner and "Error(" not in banner
    for words in naming:
        assert words in banner, words
    assert network.network_settings_button() in banner  # where to fix it
    assert line.text == network.tor_failed()
    assert not line.bar.isVisible()
    assert all(words in line.label.toolTip() for words in naming)
    assert window.status_text == network.status_failed()


def test_an_existing_tor_that_does_not_answer_is_named_and_fixed_in_the_settings(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    control, socks = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    store_existing_tor(profile, control, socks)
    before = profile_files(profile)
    driver = start_session(profile, network=PROFILE_SETTINGS)
    window = driver.unlock()
    banner = wait_failed(qtbot, window)
    assert_clear_failure(window, banner, control)
    assert "then reconnect" in banner
    assert profile_files(profile) == before, "the failed start changed the profile"

    # the line's button opens the settings, read although the engine is not running
    click(window.network_status.settings_button)
    dialog = window.active_dialog
    assert isinstance(dialog, NetworkSettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=WAIT_MS)
    assert not dialog.error_label.isVisible()
    assert dialog.tor_radio.isChecked() and dialog.existing_radio.isChecked()
    assert (dialog.control_edit.text(), dialog.socks_edit.text()) == (control, socks)
    assert not dialog.run_note.isVisible()
    assert profile_files(profile) == before, "reading the settings changed the profile"

    # refused as the running engine refuses: inline, nothing stored
    dialog.socks_edit.setText("")
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.error_label.isVisible(), timeout=WAIT_MS)
    print(f"refusal: {dialog.error_label.text()}")
    assert "tor_socks" in dialog.error_label.text()
    assert profile_files(profile) == before, "a refused change was stored"

    # direct mode this time: stored, and "Reconnect now" starts an engine that runs
    dialog.direct_radio.click()
    dialog.socks_edit.setText(socks)
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.saved and not dialog.busy, timeout=WAIT_MS)
    click(dialog.primary_button)  # "Reconnect now"
    qtbot.waitUntil(lambda: driver.session.window not in (None, window), timeout=WAIT_MS)
    assert driver.session.dialog is None  # no passphrase asked again
    again = driver.wait_online()
    assert again.network_status.text == network.direct_mode_status()
    assert not again.banner.isVisible()
    assert "12D3KooW" in again.connection_details()


def test_a_line_tor_rejects_is_named_and_the_profile_is_unchanged(
    qtbot: QtBot, start_session: StartSession, profile: Path, tmp_path: Path
) -> None:
    torrc = tmp_path / "extra.torrc"
    torrc.write_text("NoSuchTorOption 1\n")
    before = profile_files(profile)
    driver = start_session(profile, network=NetworkOptions(tor_config_file=str(torrc)))
    window = driver.unlock()
    banner = wait_failed(qtbot, window)
    assert_clear_failure(window, banner, "NoSuchTorOption")
    # the option given at start wins over the settings: the banner says to fix that
    assert "fix that option" in banner
    assert profile_files(profile) == before, "the failed start changed the profile"
    assert not (profile / "tor").exists()
    assert "12D3KooW" not in window.connection_details()

    # the settings open too (what is stored: Hearth's own Tor, nothing extra)
    click(window.network_status.settings_button)
    dialog = window.active_dialog
    assert isinstance(dialog, NetworkSettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=WAIT_MS)
    assert dialog.tor_radio.isChecked() and dialog.own_radio.isChecked()
    dialog.reject()
    assert profile_files(profile) == before


def test_extra_lines_tor_rejects_are_named_as_the_network_settings_and_shown_there(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    database = unlock_profile(profile, PASSPHRASES.good).open_database()
    try:
        NetworkSettings(database).set_tor(TorSettings(config="NoSuchTorOption 1\n"))
    finally:
        database.close()
    before = profile_files(profile)
    driver = start_session(profile, network=PROFILE_SETTINGS)
    window = driver.unlock()
    banner = wait_failed(qtbot, window)
    # the person pasted them in the settings: no command-line option is named
    assert_clear_failure(window, banner, "NoSuchTorOption", "the network settings")
    assert "--tor-config" not in banner and "then reconnect" in banner
    assert profile_files(profile) == before, "the failed start changed the profile"

    window.network_action.trigger()  # the Profile menu's way there works as well
    dialog = window.active_dialog
    assert isinstance(dialog, NetworkSettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=WAIT_MS)
    assert dialog.own_radio.isChecked()
    assert dialog.extra_edit.toPlainText() == "NoSuchTorOption 1\n"
    dialog.reject()


# -- the rules, without widgets ---------------------------------------------------------------


def test_a_network_failure_replaces_whatever_tor_said_and_offers_the_settings() -> None:
    connecting = ConnectionStatus().with_tor(TorState("bootstrapping", "", 45, "Loading"))
    reason = "Could not reach Tor's control port at 127.0.0.1:9: is Tor running there?"
    failed = connecting.failed(reason)
    line = network_line(failed)
    assert (line.text, line.progress, line.detail, line.offer_settings) == (
        network.tor_failed(),
        None,
        reason,
        True,
    )
    # a failure the network settings cannot fix, or a plain stop: no network line at all
    assert network_line(connecting.failed()).text == ""
    assert network_line(connecting.stopped()).text == ""
    assert network_line(ConnectionStatus().online(PEER_ID).stopped()).text == ""
    # a failure stays the thing shown when the run then ends
    assert network_line(failed.stopped()).offer_settings


def test_tor_mode_shows_no_peer_id_and_says_why() -> None:
    tor = identity_line(ConnectionStatus().online("", "tor"))
    assert (tor.text, tor.detail) == (network.tor_identity_label(), network.tor_identity_hint())
    # even a peer id handed over by mistake is not shown in Tor mode
    assert identity_line(ConnectionStatus().online(PEER_ID, "tor")) == tor
    assert identity_line(ConnectionStatus().with_tor(TorState())) == tor
    direct = identity_line(ConnectionStatus().online(PEER_ID, "direct"))
    assert direct.text == network.peer_id_label(f"{PEER_ID[:8]}…{PEER_ID[-6:]}")
    assert PEER_ID in direct.detail
    assert identity_line(ConnectionStatus()).text == ""
