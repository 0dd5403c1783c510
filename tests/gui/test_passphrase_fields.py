"""Passphrase boxes (issue 14, item 12): each can be shown and hidden again with its eye
button, which says what it will do; and typing with Caps Lock on says so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from peerapp.ui.dialogs.change_passphrase import ChangePassphraseDialog
from peerapp.ui.dialogs.first_run import FirstRunDialog
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.text import profile as profile_text
from peerapp.ui.widgets.passphrase_edit import PassphraseEdit
from tests.gui.helpers import WAIT_MS, click

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier

# every passphrase box of the app: (the dialog, its boxes)
Boxes = Callable[[Path], tuple[QDialog, list[PassphraseEdit]]]


def _unlock(folder: Path) -> tuple[QDialog, list[PassphraseEdit]]:
    dialog = UnlockDialog(folder)
    return dialog, [dialog.passphrase_edit]


def _first_run(folder: Path) -> tuple[QDialog, list[PassphraseEdit]]:
    dialog = FirstRunDialog(folder / "new")
    return dialog, [dialog.fields.passphrase_edit, dialog.fields.repeat_edit]


def _change(folder: Path) -> tuple[QDialog, list[PassphraseEdit]]:
    dialog = ChangePassphraseDialog(folder)
    fields = dialog.fields
    return dialog, [dialog.current_edit, fields.passphrase_edit, fields.repeat_edit]


def press(edit: QLineEdit, text: str, modifiers: Qt.KeyboardModifier) -> None:
    """One key typed, giving `text` with `modifiers` held, as the keyboard reports it."""
    key = Qt.Key(ord(text.upper()))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(edit, QKeyEvent(kind, key, modifiers, text))


DIALOGS: dict[str, Boxes] = {"unlock": _unlock, "first_run": _first_run, "change": _change}


@pytest.fixture(params=sorted(DIALOGS))
def boxes(
    request: pytest.FixtureRequest, qtbot: QtBot, hearth_app: QApplication, profile: Path
) -> Iterator[list[PassphraseEdit]]:
    dialog, edits = DIALOGS[request.param](profile)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # as a window manager would (Xvfb has none)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=WAIT_MS)
    yield edits
    dialog.close()  # kept referenced until here


def test_each_passphrase_box_can_be_shown_and_hidden(
    qtbot: QtBot, boxes: list[PassphraseEdit]
) -> None:
    for edit in boxes:
        QTest.keyClicks(edit, "kettle")
        assert edit.echoMode() == QLineEdit.EchoMode.Password
        button = edit.show_button()
        assert button is not None and button.isVisible()
        assert button.accessibleName() == profile_text.show_passphrase()
        assert button.toolTip() == profile_text.show_passphrase()
        click(button)
        assert edit.echoMode() == QLineEdit.EchoMode.Normal and edit.is_shown()
        assert button.accessibleName() == profile_text.hide_passphrase()
        assert button.toolTip() == profile_text.hide_passphrase()
        assert edit.text() == "kettle"  # showing changes nothing typed
        click(button)
        assert edit.echoMode() == QLineEdit.EchoMode.Password
        assert button.accessibleName() == profile_text.show_passphrase()


def test_typing_with_caps_lock_on_says_so(qtbot: QtBot, boxes: list[PassphraseEdit]) -> None:
    for edit in boxes:
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus, timeout=WAIT_MS)
        hint = edit.caps_lock_hint
        assert not hint.isVisible()
        QTest.keyClick(edit, Qt.Key.Key_1)  # not a letter: says nothing yet
        assert not hint.isVisible()
        QTest.keyClicks(edit, "K")  # a capital with Shift up: Caps Lock is on
        assert hint.isVisible() and hint.text() == profile_text.caps_lock_on()
        press(edit, "e", SHIFT)  # Caps Lock on and Shift down give "e"
        assert hint.isVisible() and edit.text().endswith("Ke")
        QTest.keyClick(edit, Qt.Key.Key_CapsLock)  # turned off
        assert not hint.isVisible()
        press(edit, "t", NONE)  # "t": agrees with Shift up
        assert not hint.isVisible()
        QTest.keyClicks(edit, "T")  # on again (pressed elsewhere, as far as we know)
        assert hint.isVisible()
        edit.clearFocus()  # leaving the box: the lock may change out of sight
        assert not hint.isVisible()
        edit.setFocus()
        press(edit, "T", SHIFT)  # "T" with Shift: off
        assert not hint.isVisible()
        edit.clear()
        assert not hint.isVisible()


def hidden(edit: PassphraseEdit) -> Callable[[], bool]:
    return lambda: not edit.is_shown()


def test_the_eye_is_reached_with_tab_and_pressed_with_space(
    qtbot: QtBot, boxes: list[PassphraseEdit]
) -> None:
    """Issue 14: the show button is part of the Tab order, right after its box."""
    for edit in boxes:
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus, timeout=WAIT_MS)
        QTest.keyClicks(edit, "kettle")
        button = edit.show_button()
        assert button is not None
        QTest.keyClick(edit, Qt.Key.Key_Tab)
        qtbot.waitUntil(button.hasFocus, timeout=WAIT_MS)
        QTest.keyClick(button, Qt.Key.Key_Space)
        qtbot.waitUntil(edit.is_shown, timeout=WAIT_MS)
        QTest.keyClick(button, Qt.Key.Key_Space)
        qtbot.waitUntil(hidden(edit), timeout=WAIT_MS)
        assert edit.text() == "kettle"
