"""Writing to a circle: Enter and Shift+Enter, the character limit, failures that keep
the draft. A real engine on 127.0.0.1 holds the circle."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerapp.core.api.contract import Command
from peerapp.core.api.messages import SendMessage
from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import MAX_TEXT_CHARS
from peerapp.core.errors import CommandError
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.text import conversation
from peerapp.ui.widgets.composer import COUNTER_FROM
from tests.gui.circle_steps import create_circle
from tests.gui.helpers import WAIT_MS, StartSession, click


@pytest.fixture
def pane(qtbot: QtBot, start_session: StartSession, profile: Path) -> CirclePane:
    window = start_session(profile).wait_online_after_unlock()
    create_circle(qtbot, window, "Tuesday circle", "Ash")
    pane = window.current_pane()
    assert pane is not None
    return pane


def test_shift_enter_starts_a_new_line_and_enter_sends(qtbot: QtBot, pane: CirclePane) -> None:
    edit = pane.composer.edit
    qtbot.keyClicks(edit, "line one")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "line two")

    assert edit.toPlainText() == "line one\nline two"
    assert not pane.composer.sending
    assert pane.model.messages() == []

    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.model.messages()) == 1, timeout=WAIT_MS)
    (sent,) = pane.model.messages()
    assert sent.text == "line one\nline two" and sent.mine and sent.author_name == "Ash"
    assert edit.toPlainText() == ""
    assert pane.message_list.isVisible()


def test_blank_drafts_are_not_sent(qtbot: QtBot, pane: CirclePane) -> None:
    qtbot.keyClicks(pane.composer.edit, "   ")
    assert not pane.composer.send_button.isEnabled()
    qtbot.keyClick(pane.composer.edit, Qt.Key.Key_Return)
    assert not pane.composer.sending


def test_the_counter_appears_near_the_limit_and_blocks_over_it(
    qtbot: QtBot, pane: CirclePane
) -> None:
    composer = pane.composer
    qtbot.keyClicks(composer.edit, "A short note")
    assert composer.counter.isHidden()

    composer.edit.setPlainText("x" * 3950)
    assert COUNTER_FROM <= 3950
    assert composer.counter.isVisible()
    assert composer.counter.text() == "3,950 / 4,000"
    assert composer.counter.property("role") == "counter"
    assert composer.send_button.isEnabled()

    composer.edit.moveCursor(composer.edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(composer.edit, "y" * (MAX_TEXT_CHARS - 3950 + 1))
    assert composer.counter.text() == "4,001 / 4,000"
    assert composer.counter.property("role") == "counter-over"
    assert not composer.send_button.isEnabled()
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert not composer.sending  # nothing was handed to the engine
    assert len(composer.edit.toPlainText()) == MAX_TEXT_CHARS + 1

    qtbot.keyClick(composer.edit, Qt.Key.Key_Backspace)
    assert composer.send_button.isEnabled()
    with qtbot.waitSignal(pane.model.rowsInserted, timeout=WAIT_MS):
        click(composer.send_button)
    assert len(pane.model.messages()[-1].text) == MAX_TEXT_CHARS


def test_a_failed_send_is_explained_and_keeps_the_draft(
    qtbot: QtBot, pane: CirclePane, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusal = "The circle's rules do not allow that right now."

    engine = pane.bridge.request

    def refuse(command: Command[Any]) -> asyncio.Future[Any]:
        if not isinstance(command, SendMessage):
            return engine(command)
        future: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
        future.set_exception(CommandError(Refusal.REFUSED_BY_RULES))
        return future

    monkeypatch.setattr(pane.bridge, "request", refuse)
    qtbot.keyClicks(pane.composer.edit, "Please keep this")
    qtbot.keyClick(pane.composer.edit, Qt.Key.Key_Return)

    qtbot.waitUntil(pane.composer.error_label.isVisible, timeout=WAIT_MS)
    assert pane.composer.error_label.text() == conversation.not_sent(refusal)
    assert pane.composer.edit.toPlainText() == "Please keep this"
    assert not pane.composer.edit.isReadOnly()
    assert pane.composer.send_button.isEnabled()

    monkeypatch.undo()  # the engine takes it on the second try
    qtbot.keyClick(pane.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.model.messages()) == 1, timeout=WAIT_MS)
    assert pane.composer.error_label.isHidden()
    assert [m.text for m in pane.model.messages()] == ["Please keep this"]
