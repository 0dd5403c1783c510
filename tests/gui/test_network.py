"""The network settings dialog and the status bar's network line (issue 12), with real
widgets and real engines on loopback in direct mode.

Tor's state reaches the window the way the engine sends it: a TorStatusChanged event
handed, from a thread other than the GUI's, to the bridge's engine-event callback (what
the engine thread calls as `emit`), which Qt carries over as the `torStatus` signal. The
end-to-end test with a real tor is the lead's (tests over the private Tor network)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerapp.core.api.network import CurrentNetworkView, NetworkSettings, NetworkSettingsView
from peerapp.core.events import EngineEvent, TorStatusChanged
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.engine.engine import Engine
from peerapp.engine.profiles import unlock_profile
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.connection_status import ConnectionStatus, TorState, network_line
from peerapp.ui.dialogs.network_settings import NetworkSettingsDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import conversation, network
from peerapp.ui.widgets.message_model import Delivery, MessageModel, delivery_of
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    pane_of,
    send_by_typing,
    wait_connected,
)
from tests.gui.helpers import LOOPBACK, PASSPHRASES, WAIT_MS, StartSession, click, resolve
from tests.gui.test_message_order import message
from tests.gui.test_sync import go_offline, meet

CURRENT = CurrentNetworkView(mode="direct", tor=None)
BRIDGES = (
    "UseBridges 1\n"
    "Bridge obfs4 192.0.2.7:443 0123456789ABCDEF0123456789ABCDEF01234567 cert=abc iat-mode=0\n"
)


@pytest.fixture
def network_window(
    qtbot: QtBot, hearth_app: QApplication, qasync_loop: asyncio.AbstractEventLoop, profile: Path
) -> Iterator[MainWindow]:
    """A main window on a running engine (direct mode, loopback)."""
    unlocked = unlock_profile(profile, PASSPHRASES.good)
    bridge = EngineBridge(lambda emit: Engine(unlocked, LOOPBACK, emit, network=DIRECT_RUN))
    window = MainWindow(bridge, profile)
    qtbot.addWidget(window)
    window.show()
    window.start_engine()
    qtbot.waitUntil(lambda: window.online, timeout=WAIT_MS)
    yield window
    assert bridge.stop(), "the engine did not stop"


def engine_emits(bridge: EngineBridge, *events: EngineEvent) -> None:
    """Hand `events` to the bridge from another thread, as the engine thread does."""
    emit: Callable[[EngineEvent], None] = bridge._on_engine_event

    def engine_thread() -> None:
        for event in events:
            emit(event)

    thread = threading.Thread(target=engine_thread)
    thread.start()
    thread.join(timeout=WAIT_MS / 1000)
    assert not thread.is_alive()


def tor_status(state: str, progress: int, summary: str, phase: str = "") -> TorStatusChanged:
    return TorStatusChanged(state=state, phase=phase, progress=progress, summary=summary)


def open_network_dialog(qtbot: QtBot, window: MainWindow) -> NetworkSettingsDialog:
    window.network_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, NetworkSettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.busy, timeout=WAIT_MS)
    return dialog


def stored(qtbot: QtBot, window: MainWindow) -> NetworkSettingsView:
    return resolve(qtbot, window.bridge.request(NetworkSettings()))


def save_and_wait_refusal(qtbot: QtBot, dialog: NetworkSettingsDialog) -> str:
    """Press Save; the refusal shown (one that differs from any shown before)."""
    before = dialog.error_label.text() if dialog.error_label.isVisible() else ""
    click(dialog.primary_button)
    qtbot.waitUntil(
        lambda: (
            not dialog.busy
            and dialog.error_label.isVisible()
            and dialog.error_label.text() != before
        ),
        timeout=WAIT_MS,
    )
    return dialog.error_label.text()


# -- the network settings dialog ------------------------------------------------------------


def test_the_dialog_refuses_bad_settings_inline_and_stores_good_ones(
    qtbot: QtBot, network_window: MainWindow
) -> None:
    window = network_window
    before = stored(qtbot, window)
    assert before.mode == "tor" and before.tor_config == ""
    dialog = open_network_dialog(qtbot, window)
    # Tor and Hearth's own Tor are the defaults; Direct carries its warning beside it
    assert dialog.tor_radio.isChecked() and dialog.own_radio.isChecked()
    assert dialog.direct_warning.text() == network.direct_mode_warning()
    assert dialog.direct_warning.isVisible()
    # this run is in direct mode (as the tests start it), unlike the stored setting
    assert dialog.run_note.isVisible() and "direct mode" in dialog.run_note.text()
    assert not dialog.primary_button.isEnabled()  # nothing changed yet
    assert not dialog.existing_box.isEnabled()

    # an existing Tor with a SOCKS address that is a name, not an IP address
    dialog.existing_radio.setChecked(True)
    assert dialog.existing_box.isEnabled() and not dialog.own_box.isEnabled()
    dialog.control_edit.setText("127.0.0.1:9051")
    dialog.socks_edit.setText("localhost:9050")
    refusal = save_and_wait_refusal(qtbot, dialog)
    print(refusal)
    assert "SOCKS address" in refusal and "localhost:9050" in refusal
    assert window.active_dialog is dialog and not dialog.saved  # still open, text kept
    assert dialog.socks_edit.text() == "localhost:9050"
    assert stored(qtbot, window) == before

    # Hearth's own Tor with a torrc line that would open a port
    dialog.own_radio.setChecked(True)
    dialog.extra_edit.setPlainText(BRIDGES + "SocksPort 0.0.0.0:9050\n")
    refusal = save_and_wait_refusal(qtbot, dialog)
    print(refusal)
    assert "line 3" in refusal and "SocksPort" in refusal
    assert stored(qtbot, window) == before

    # pasted bridges alone are stored; the dialog then offers to reconnect
    dialog.extra_edit.setPlainText(BRIDGES)
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.saved and not dialog.busy, timeout=WAIT_MS)
    assert not dialog.error_label.isVisible()
    assert dialog.primary_button.text() == network.reconnect_now()
    assert dialog.secondary_button.text() == network.reconnect_later()
    after = stored(qtbot, window)
    assert (after.mode, after.tor_config, after.tor_control, after.tor_socks) == (
        "tor",
        BRIDGES,
        "",
        "",
    )
    assert after.current == CURRENT

    # "Later": accepted (the settings are stored), no reconnect, and the window says when
    reconnects: list[bool] = []
    window.reconnectRequested.connect(lambda: reconnects.append(True))
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.secondary_button)
    assert not dialog.reconnect_now and reconnects == []
    assert window.statusBar().currentMessage() == network.network_applies_at_unlock()


def test_choosing_direct_mode_is_stored_and_reconnect_now_is_asked_of_the_session(
    qtbot: QtBot, network_window: MainWindow
) -> None:
    window = network_window
    dialog = open_network_dialog(qtbot, window)
    dialog.direct_radio.click()  # as a click on its circle or its words
    assert dialog.direct_radio.isChecked() and not dialog.tor_box.isEnabled()
    assert dialog.primary_button.isEnabled()
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.saved and not dialog.busy, timeout=WAIT_MS)
    assert stored(qtbot, window).mode == "direct"
    with qtbot.waitSignal(window.reconnectRequested, timeout=WAIT_MS):
        click(dialog.primary_button)  # "Reconnect now"
    assert dialog.reconnect_now

    # opened again, it shows what is stored
    qtbot.waitUntil(lambda: window.active_dialog is None, timeout=WAIT_MS)
    again = open_network_dialog(qtbot, window)
    assert again.direct_radio.isChecked() and again.own_radio.isChecked()
    assert not again.run_note.isVisible()  # stored and run agree now
    again.reject()


# -- the status bar ---------------------------------------------------------------------------


def test_tor_bootstrap_shows_progress_then_reachable_privately(
    qtbot: QtBot, network_window: MainWindow
) -> None:
    window = network_window
    line = window.network_status
    engine_emits(
        window.bridge,
        tor_status("starting", 0, "Starting Tor", "starting"),
        tor_status("bootstrapping", 45, "Loading relay descriptors", "requesting_descriptors"),
    )
    qtbot.waitUntil(lambda: line.text == "Connecting to the Tor network: 45%", timeout=WAIT_MS)
    assert line.bar.isVisible() and line.bar.value() == 45
    assert line.label.toolTip() == "Loading relay descriptors"
    assert not line.settings_button.isVisible()

    engine_emits(window.bridge, tor_status("ready", 100, "Done", "done"))
    qtbot.waitUntil(lambda: line.text == network.tor_reachable(), timeout=WAIT_MS)
    assert not line.bar.isVisible()

    engine_emits(window.bridge, tor_status("stale", 100, "Tor lost its circuits"))
    qtbot.waitUntil(lambda: line.text == network.tor_stale(), timeout=WAIT_MS)
    engine_emits(window.bridge, tor_status("restarting", 0, "Tor stopped"))
    qtbot.waitUntil(lambda: line.text == network.tor_restarting(), timeout=WAIT_MS)


def test_a_failed_tor_shows_its_summary_and_a_way_to_the_settings(
    qtbot: QtBot, network_window: MainWindow
) -> None:
    window = network_window
    summary = "Tor refused the extra lines: fix or remove that line."
    engine_emits(window.bridge, tor_status("failed", 5, summary))
    line = window.network_status
    qtbot.waitUntil(lambda: line.text == summary, timeout=WAIT_MS)
    assert line.settings_button.isVisible() and not line.bar.isVisible()
    click(line.settings_button)
    dialog = window.active_dialog
    assert isinstance(dialog, NetworkSettingsDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    dialog.reject()


def test_direct_mode_says_members_can_see_the_ip_address(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    window = start_session(profile).wait_online_after_unlock()
    line = window.network_status
    assert line.isVisible()
    assert line.text == "Direct mode: members can see your IP address"
    assert line.label.toolTip() == network.direct_mode_warning()
    assert not line.bar.isVisible() and not line.settings_button.isVisible()


# -- sending while Tor starts -----------------------------------------------------------------


def test_a_message_sent_while_tor_starts_waits_for_tor_then_is_delivered(
    qtbot: QtBot, start_session: StartSession, profile: Path, second_profile: Path
) -> None:
    ash_driver = start_session(profile)
    bee_driver = start_session(second_profile)
    ash = ash_driver.wait_online_after_unlock()
    bee = bee_driver.wait_online_after_unlock()
    circle = meet(qtbot, ash, bee)
    pane = pane_of(ash, circle)
    go_offline(qtbot, bee_driver)
    wait_connected(qtbot, ash, conversation.connected_members(0, 1))

    engine_emits(ash.bridge, tor_status("bootstrapping", 10, "Connecting to a relay"))
    qtbot.waitUntil(lambda: pane.model.waiting_for_tor, timeout=WAIT_MS)
    send_by_typing(qtbot, ash, "Are you around tonight?")
    (sent,) = pane.model.messages()  # stored and shown at once
    assert sent.mine and sent.held_by == 0
    assert pane.model.delivery_text(sent.id) == network.delivery_waiting_for_tor()
    assert pane.model.presentation_of(sent).note == network.delivery_waiting_for_tor()

    # Tor is ready: the message waits for members, then Bee comes back and holds it
    engine_emits(ash.bridge, tor_status("ready", 100, "Done"))
    qtbot.waitUntil(lambda: not pane.model.waiting_for_tor, timeout=WAIT_MS)
    assert pane.model.delivery_text(sent.id) == conversation.delivery_pending()
    assert pane.model.presentation_of(sent).note == ""
    bee_driver.wait_online_after_unlock()
    qtbot.waitUntil(
        lambda: pane.model.delivery_text(sent.id) == "Delivered to everyone",
        timeout=DELIVERY_WAIT_MS,
    )


# -- reconnecting ---------------------------------------------------------------------------


def test_reconnect_restarts_the_engine_without_asking_the_passphrase(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> None:
    driver = start_session(profile)
    first = driver.wait_online_after_unlock()
    first_bridge = first.bridge
    first.reconnectRequested.emit()
    qtbot.waitUntil(
        lambda: driver.session.window is not None and driver.session.window is not first,
        timeout=WAIT_MS,
    )
    assert driver.session.dialog is None  # no passphrase asked
    second = driver.wait_online()
    assert second.bridge is not first_bridge
    assert driver.exit_codes == []


# -- the rules, without widgets -------------------------------------------------------------


@pytest.mark.parametrize(
    ("tor", "shown"),
    [
        (("starting", 0, "Starting Tor"), (network.tor_starting(), 0, False)),
        (("bootstrapping", 45, "Loading"), ("Connecting to the Tor network: 45%", 45, False)),
        (("bootstrapping", 250, "Hm"), ("Connecting to the Tor network: 100%", 100, False)),
        (("ready", 100, "Done"), (network.tor_reachable(), None, False)),
        (("stale", 100, "Circuits lost"), (network.tor_stale(), None, False)),
        (("restarting", 0, "Tor stopped"), (network.tor_restarting(), None, False)),
        (("failed", 5, "Wrong password: fix it."), ("Wrong password: fix it.", None, True)),
        (("failed", 5, ""), (network.tor_failed(), None, True)),
        (("something new", 30, "?"), ("Connecting to the Tor network: 30%", 30, False)),
    ],
)
def test_each_tor_state_has_its_line(
    tor: tuple[str, int, str], shown: tuple[str, int | None, bool]
) -> None:
    """(state, progress, summary) -> (text, progress bar, offers the settings)"""
    state, progress, summary = tor
    status = ConnectionStatus().with_tor(TorState(state, "", progress, summary))
    line = network_line(status)
    assert (line.text, line.progress, line.offer_settings) == shown
    assert status.waiting_for_tor is (state != "ready")


def test_direct_mode_and_an_unknown_mode_have_their_lines() -> None:
    assert network_line(ConnectionStatus()).text == ""  # the engine has not said yet
    direct = ConnectionStatus().online("12D3KooWpeer", "direct")
    assert network_line(direct).text == network.direct_mode_status()
    assert not direct.waiting_for_tor
    # a mode this version cannot read is Tor, never direct; no tor_status yet: starting
    odd = ConnectionStatus().online("", "carrier pigeon")
    assert network_line(odd).text == network.tor_starting() and odd.waiting_for_tor


def test_waiting_for_tor_is_a_delivery_state_of_messages_nobody_holds() -> None:
    model = MessageModel()
    model.set_others(2)
    own = message(1, mine=True)
    partly = message(2, mine=True, held_by=1)
    theirs = message(3, author="b")
    model.append([own, partly, theirs])
    relaid: list[int] = []
    model.layoutChanged.connect(lambda *_: relaid.append(1))

    model.set_waiting_for_tor(True)
    assert relaid == [1]  # notes come and go: rows change size
    assert delivery_of(own, 2, waiting_for_tor=True) is Delivery.WAITING
    assert model.delivery_text(own.id) == network.delivery_waiting_for_tor()
    assert model.presentation_of(own).note == network.delivery_waiting_for_tor()
    assert model.delivery_text(partly.id) == "Delivered to 1 of 2"
    assert model.presentation_of(partly).note == ""
    assert model.delivery_text(theirs.id) is None

    # a member holds it now: the note goes (the row is laid out again)
    assert model.update_delivery([message(1, mine=True, held_by=1)]) == 1
    assert model.delivery_text(own.id) == "Delivered to 1 of 2"
    assert model.presentation_of(model.messages()[0]).note == ""
    assert len(relaid) == 2

    model.set_waiting_for_tor(False)
    model.set_waiting_for_tor(False)
    assert len(relaid) == 3
