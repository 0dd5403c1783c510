"""The unlock dialog: wrong passphrase, right passphrase, damaged profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from peerapp.engine.profiles import DATABASE_FILE
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.text import profile as profile_text
from tests.gui.helpers import WAIT_MS, Passphrases, snapshot, unlock_with

pytestmark = pytest.mark.usefixtures("qasync_loop")


@pytest.fixture
def dialog(qtbot: QtBot, profile: Path) -> UnlockDialog:
    dialog = UnlockDialog(profile)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_shows_the_profile_folder(dialog: UnlockDialog, profile: Path) -> None:
    assert str(profile) in dialog.folder_label.text()
    assert not dialog.primary_button.isEnabled()


def test_wrong_then_right_passphrase(
    qtbot: QtBot, dialog: UnlockDialog, profile: Path, passphrases: Passphrases
) -> None:
    before = snapshot(profile)

    unlock_with(dialog, passphrases.wrong)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)

    assert dialog.error_label.text() == profile_text.wrong_passphrase()
    assert dialog.passphrase_edit.text() == ""
    assert dialog.focusWidget() is dialog.passphrase_edit
    assert dialog.isVisible() and not dialog.busy
    assert snapshot(profile) == before

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        unlock_with(dialog, passphrases.good)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.unlocked is not None and dialog.unlocked.folder == profile
    assert dialog.passphrase_edit.text() == ""


def test_a_damaged_profile_says_so_differently(
    qtbot: QtBot, dialog: UnlockDialog, profile: Path, passphrases: Passphrases
) -> None:
    database = profile / DATABASE_FILE
    database.write_bytes(database.read_bytes()[:100])

    unlock_with(dialog, passphrases.good)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)

    shown = dialog.error_label.text()
    assert shown != profile_text.wrong_passphrase()
    assert "damaged" in shown
    assert profile_text.files_unchanged() in shown
    assert "Traceback" not in shown
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted


def test_get_help_now_is_there_before_unlocking_and_while_busy(
    qtbot: QtBot, dialog: UnlockDialog
) -> None:
    assert dialog.help_button is not None and dialog.help_button.isEnabled()
    dialog.set_busy(profile_text.unlocking())  # as while Argon2id runs: help still opens
    assert not dialog.primary_button.isEnabled() and dialog.help_button.isEnabled()
    qtbot.mouseClick(dialog.help_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.crisis_help is not None and dialog.crisis_help.isVisible())
    assert isinstance(dialog.crisis_help, CrisisHelpDialog)
    assert dialog.crisis_help.shown_numbers()  # the bundled directory, no profile needed
    dialog.crisis_help.close()
    dialog.set_idle()
