"""Counting the engine requests a window makes (issue 13's "requests per message")."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import Circles, SyncStatus
from peerapp.core.api.contract import Command
from peerapp.ui.bridge import EngineBridge
from tests.gui.helpers import resolve


class Recorder:
    """Records the commands one window's bridge is asked, by name; SyncStatus apart."""

    def __init__(self, bridge: EngineBridge) -> None:
        self.bridge = bridge
        self._request = bridge.request
        self.sent: Counter[str] = Counter()
        self.periodic = 0
        self.recording = False
        bridge.request = self._record  # type: ignore[method-assign]

    def _record(self, command: Command[Any]) -> asyncio.Future[Any]:
        if self.recording:
            if isinstance(command, SyncStatus):
                self.periodic += 1
            else:
                self.sent[type(command).__name__] += 1
        return self._request(command)

    def unrecorded(self, qtbot: QtBot, command: Command[Any]) -> Any:
        """Ask the engine directly, as a test's own step (not the window's), and wait for
        the answer."""
        return resolve(qtbot, self._request(command))

    def quiet_round(self, qtbot: QtBot) -> None:
        """One unrecorded round trip to the engine: the events it emitted before answering
        have reached the window by then, and the requests they led to have been made."""
        resolve(qtbot, self._request(Circles()))
        qtbot.wait(0)  # a loop turn for slots queued by the answer's events (no sleep)
        resolve(qtbot, self._request(Circles()))
