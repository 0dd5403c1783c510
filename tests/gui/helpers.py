"""Shared helpers for the GUI suites (imported after conftest has chosen the offscreen
platform)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.moderation import CircleInfoView
from peerapp.ui.dialogs.form_dialog import FormDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.session import Session

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT_MS = 5000
LEFT = Qt.MouseButton.LeftButton

T = TypeVar("T")


@dataclass(frozen=True, repr=False)
class Passphrases:
    """Test passphrases; not secrets, but kept out of failure reports all the same."""

    good: str = "kettle river moon lantern"
    new: str = "harbour lights at dawn"
    wrong: str = "kettle river moon lanterns"

    def __repr__(self) -> str:
        return "<test passphrases>"


PASSPHRASES = Passphrases()


def resolve(qtbot: QtBot, awaitable: Awaitable[T], timeout: int = WAIT_MS) -> T:
    """Run `awaitable` on the qasync loop and return its result, letting Qt work meanwhile."""
    future = asyncio.ensure_future(awaitable)
    qtbot.waitUntil(future.done, timeout=timeout)
    return future.result()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the profile folder by name, as a digest of its bytes."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def click(button: QWidget) -> None:
    """A real left-button press and release in the middle of `button`."""
    QTest.mouseClick(button, LEFT)


def type_into(widget: QWidget, text: str) -> None:
    """Type `text` key by key, as a person would (every keystroke updates the dialog)."""
    QTest.keyClicks(widget, text)


def unlock_with(dialog: UnlockDialog, passphrase: str) -> None:
    """Type `passphrase` into the unlock dialog and press Unlock (returns at once)."""
    dialog.passphrase_edit.setText(passphrase)
    click(dialog.primary_button)


class SessionDriver:
    """A Session on a real engine, driven the way a person would."""

    def __init__(self, qtbot: QtBot, session: Session) -> None:
        self.qtbot = qtbot
        self.session = session
        self.exit_codes: list[int] = []
        session.finished.connect(self.exit_codes.append)

    @property
    def window(self) -> MainWindow:
        window = self.session.window
        assert window is not None
        return window

    def unlock_dialog(self) -> UnlockDialog:
        dialog = self.session.dialog
        assert isinstance(dialog, UnlockDialog)
        return dialog

    def unlock(self, passphrase: str = PASSPHRASES.good) -> MainWindow:
        unlock_with(self.unlock_dialog(), passphrase)
        self.qtbot.waitUntil(lambda: self.session.window is not None, timeout=WAIT_MS)
        return self.window

    def wait_online(self) -> MainWindow:
        window = self.window
        self.qtbot.waitUntil(lambda: window.online, timeout=WAIT_MS)
        return window

    def wait_online_after_unlock(self, passphrase: str = PASSPHRASES.good) -> MainWindow:
        self.unlock(passphrase)
        return self.wait_online()


StartSession = Callable[..., SessionDriver]
"""The `start_session` fixture: start_session(profile_folder, listen=None,
network=DIRECT_RUN) -> SessionDriver."""


def circle_info(**fields: Any) -> CircleInfoView:
    """A circle's settings as the engine sends them, without an engine: "Tuesday" with
    the default rules, seen by a plain member "m" of two; `fields` replace any of it."""
    base: dict[str, Any] = {
        "circle": "c",
        "name": "Tuesday",
        "guidelines": "",
        "slow_mode_seconds": 0,
        "join_approval": False,
        "harm_flags_to_hide": 3,
        "members_invite": False,
        "flag_after_hours": 24,
        "may_invite": "",
        "my_id": "m",
        "my_role": "member",
        "my_rank": None,
        "muted_until": 0,
        "next_send_at": 0,
        "removed": False,
        "banned": False,
        "members": 2,
    }
    return CircleInfoView(**(base | fields))


def close_dialog(qtbot: QtBot, dialog: FormDialog) -> None:
    """Close a list or result dialog by its primary button ("Close"), waiting until it
    has finished."""
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(dialog.primary_button)
