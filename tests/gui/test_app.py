"""The entry point itself: `run()` with its own qasync loop, the profile lock, signals."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerapp.core.errors import ProfileInUse
from peerapp.engine.profiles import ProfileLock
from peerapp.ui import app
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.interrupts import signals_call
from peerapp.ui.main_window import MainWindow
from peerapp.ui.resources import app_icon, resource_path
from tests.gui.helpers import LOOPBACK, WAIT_MS, Passphrases

DEADLINE_SECONDS = 15


def test_signals_are_delivered_from_the_event_loop(qtbot: QtBot, hearth_app: QApplication) -> None:
    before = signal.getsignal(signal.SIGINT)
    received: list[int] = []
    with signals_call(received.append):
        os.kill(os.getpid(), signal.SIGINT)
        qtbot.waitUntil(lambda: received == [signal.SIGINT], timeout=WAIT_MS)
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: received == [signal.SIGINT, signal.SIGTERM], timeout=WAIT_MS)
    assert signal.getsignal(signal.SIGINT) is before


def test_run_refuses_a_profile_that_is_open_elsewhere(
    hearth_app: QApplication, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "_tell", lambda title, text: told.append((title, text)))
    held = ProfileLock.acquire(profile)
    try:
        assert app.run(profile, LOOPBACK) == app.EXIT_PROFILE_UNAVAILABLE
    finally:
        held.release()
    assert told and told[0][1] == ProfileInUse().message


class Person:
    """Acts on whatever run() shows, from a timer, the way someone at the screen would:
    unlock, wait until online, then send SIGTERM as a service manager would."""

    def __init__(self, passphrase: str) -> None:
        self.passphrase = passphrase
        self.steps: list[str] = []
        self.deadline = time.monotonic() + DEADLINE_SECONDS
        self.timer = QTimer()
        self.timer.timeout.connect(self.look)

    def look(self) -> None:
        if time.monotonic() > self.deadline and "gave up" not in self.steps:
            self.steps.append("gave up")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible():
                continue
            if isinstance(widget, UnlockDialog) and "unlocked" not in self.steps:
                self.steps.append("unlocked")
                widget.passphrase_edit.setText(self.passphrase)
                widget.primary_button.click()
            elif (
                isinstance(widget, MainWindow) and widget.online and "terminated" not in self.steps
            ):
                self.steps.append("terminated")
                os.kill(os.getpid(), signal.SIGTERM)


def test_run_unlocks_goes_online_and_ends_cleanly_on_sigterm(
    hearth_app: QApplication, profile: Path, passphrases: Passphrases
) -> None:
    person = Person(passphrases.good)
    person.timer.start(20)
    try:
        exit_code = app.run(profile, LOOPBACK)
    finally:
        person.timer.stop()

    assert person.steps == ["unlocked", "terminated"]
    assert exit_code == 0
    ProfileLock.acquire(profile).release()  # run() let go of the profile
    visible = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
    assert not [widget for widget in visible if isinstance(widget, MainWindow)]


def test_resources_are_found() -> None:
    assert resource_path("icons", "hearth.svg").is_file()
    assert resource_path("hearth.desktop").is_file()
    assert not app_icon().isNull()
