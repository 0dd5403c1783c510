"""Start-up without dead ends (issue 14, item 12): each window says which profile it is,
and a welcome screen closed without making a profile leaves no folder behind."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from peerapp import PRODUCT_NAME
from peerapp.ui import app
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.main_window import MainWindow
from tests.gui.helpers import LOOPBACK, click

DEADLINE_SECONDS = 15


def _no_engine(_emit: Any) -> Any:
    raise AssertionError("the engine must not be needed")


def test_each_window_says_which_profile_it_is(qtbot: QtBot, tmp_path: Path) -> None:
    ash = MainWindow(EngineBridge(_no_engine), tmp_path / "ash")
    bee = MainWindow(EngineBridge(_no_engine), tmp_path / "bee")
    unlock = UnlockDialog(tmp_path / "ash")
    welcome = FirstRunDialog(tmp_path / "cy")
    for widget in (ash, bee, unlock, welcome):
        qtbot.addWidget(widget)
    assert ash.windowTitle() == f"{PRODUCT_NAME}: ash"
    assert bee.windowTitle() == f"{PRODUCT_NAME}: bee"
    titles = [w.windowTitle() for w in (ash, bee, unlock, welcome)]
    assert len(set(titles)) == len(titles), titles  # no two windows share a title
    assert "ash" in unlock.windowTitle()


class Closer:
    """Closes the welcome screen with its Quit button once it shows, as a person would."""

    def __init__(self) -> None:
        self.closed = False
        self.deadline = time.monotonic() + DEADLINE_SECONDS
        self.timer = QTimer()
        self.timer.timeout.connect(self.look)

    def look(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FirstRunDialog) and widget.isVisible() and not self.closed:
                self.closed = True
                click(widget.secondary_button)
                return
        if time.monotonic() > self.deadline:
            self.timer.stop()
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, FirstRunDialog | UnlockDialog):
                    widget.reject()  # end run() so the assertion below can say why


def test_closing_the_welcome_screen_leaves_no_profile_folder(
    hearth_app: QApplication, tmp_path: Path
) -> None:
    kept = tmp_path / "home"
    kept.mkdir()
    profile = kept / "hearth" / "profile"
    closer = Closer()
    closer.timer.start(20)
    try:
        exit_code = app.run(profile, LOOPBACK)
    finally:
        closer.timer.stop()
    assert closer.closed and exit_code == 0
    assert not (kept / "hearth").exists()  # what this run made for the profile, gone
    assert kept.is_dir()  # what was there before, kept
