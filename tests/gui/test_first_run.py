"""The first-run dialog: choosing a passphrase creates the profile on disk."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from peerapp.core.errors import StorageFull
from peerapp.core.passphrase_policy import MIN_LENGTH, Strength
from peerapp.engine import profiles
from peerapp.engine.profiles import TEST_KDF, UnlockedProfile, profile_exists
from peerapp.ui.dialogs import first_run
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.text import profile as profile_text
from tests.gui.helpers import WAIT_MS, Passphrases, click, type_into

pytestmark = pytest.mark.usefixtures("qasync_loop")


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> FirstRunDialog:
    dialog = FirstRunDialog(tmp_path / "profile", kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_passphrases(qtbot: QtBot, dialog: FirstRunDialog, first: str, second: str) -> None:
    type_into(dialog.fields.passphrase_edit, first)
    type_into(dialog.fields.repeat_edit, second)


def test_explains_the_passphrase_and_shows_the_minimum_length(dialog: FirstRunDialog) -> None:
    assert "recover" in dialog.explanation_label.text()
    assert str(MIN_LENGTH) in dialog.fields.min_length_note.text()
    assert dialog.fields.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.fields.repeat_edit.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.primary_button.isEnabled()


def test_a_short_passphrase_cannot_be_used(qtbot: QtBot, dialog: FirstRunDialog) -> None:
    type_passphrases(qtbot, dialog, "short", "short")

    assert dialog.fields.strength_hint.strength is Strength.TOO_SHORT
    assert "too short" in dialog.fields.strength_hint.label.text()
    assert not dialog.primary_button.isEnabled()


def test_mismatched_passphrases_cannot_be_used(
    qtbot: QtBot, dialog: FirstRunDialog, passphrases: Passphrases
) -> None:
    type_passphrases(qtbot, dialog, passphrases.good, passphrases.wrong)

    assert not dialog.primary_button.isEnabled()
    assert dialog.fields.problem_label.isVisible()
    assert "do not match" in dialog.fields.problem_label.text()


def test_strength_hint_follows_typing(qtbot: QtBot, dialog: FirstRunDialog) -> None:
    hint = dialog.fields.strength_hint
    assert hint.strength is None and hint.label.text() == ""
    type_into(dialog.fields.passphrase_edit, "aaaaaaaaaa")
    assert hint.strength is Strength.WEAK
    dialog.fields.passphrase_edit.setText("Kettle, river & moon: 4 lanterns")
    assert hint.strength is Strength.STRONG
    assert hint.bar.property("strength") == "strong"


def test_a_valid_passphrase_creates_the_profile(
    qtbot: QtBot, dialog: FirstRunDialog, tmp_path: Path, passphrases: Passphrases
) -> None:
    type_passphrases(qtbot, dialog, passphrases.good, passphrases.good)
    assert dialog.fields.problem_label.isHidden()
    assert dialog.primary_button.isEnabled()

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        click(dialog.primary_button)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert profile_exists(tmp_path / "profile")
    assert isinstance(dialog.unlocked, UnlockedProfile)
    assert dialog.fields.passphrase() == ""  # not kept in the widget once used


def hold_creation(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make profile creation wait until the returned event is set (it runs in a thread)."""
    release = threading.Event()
    real: Callable[..., UnlockedProfile] = profiles.create_profile

    def held(*args: object) -> UnlockedProfile:
        release.wait(WAIT_MS / 1000)
        return real(*args)

    monkeypatch.setattr(first_run, "create_profile", held)
    return release


def test_busy_while_creating_and_closing_waits_for_it(
    qtbot: QtBot,
    dialog: FirstRunDialog,
    tmp_path: Path,
    passphrases: Passphrases,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = hold_creation(monkeypatch)
    type_passphrases(qtbot, dialog, passphrases.good, passphrases.good)
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: dialog.busy, timeout=WAIT_MS)

    assert dialog.busy_indicator.isVisible()
    assert dialog.busy_indicator.label.text() == profile_text.creating_profile()
    assert not dialog.primary_button.isEnabled()
    assert not dialog.secondary_button.isEnabled()
    assert not dialog.fields.passphrase_edit.isEnabled()

    dialog.reject()  # Escape or the close button while Argon2id runs
    assert dialog.isVisible()

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        release.set()
    assert profile_exists(tmp_path / "profile")


def test_a_storage_error_is_shown_and_nothing_typed_is_lost(
    qtbot: QtBot, dialog: FirstRunDialog, passphrases: Passphrases, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_: object) -> UnlockedProfile:
        raise StorageFull()

    monkeypatch.setattr(first_run, "create_profile", disk_full)
    type_passphrases(qtbot, dialog, passphrases.good, passphrases.good)
    click(dialog.primary_button)

    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert dialog.error_label.text() == StorageFull().message
    assert dialog.fields.passphrase() == passphrases.good
    assert dialog.primary_button.isEnabled()
    assert dialog.isVisible()
