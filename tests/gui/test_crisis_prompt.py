"""The drafting prompt: typing a listed phrase in a real circle's composer shows a gentle,
dismissible prompt; it is keyboard reachable and named for screen readers; it sends,
logs and stores nothing, and never holds back sending. A real engine on 127.0.0.1 holds
the circle."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.messages import History
from peerapp.core.events import EngineEvent, MessageArrived, MessageView
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.care_flag import CareFlagDialog
from peerapp.ui.dialogs.crisis_help import CrisisHelpDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import crisis
from peerapp.ui.widgets.crisis_prompt import CHECK_DELAY_MS
from tests.gui.circle_steps import create_circle
from tests.gui.helpers import WAIT_MS, StartSession, click, resolve

PHRASE = "I want to die"
HARMLESS = "This exam is killing me, see you all on Tuesday"
CHECK_WAIT_MS = CHECK_DELAY_MS + WAIT_MS


class Recorder:
    """Every engine event the pane's bridge hands the GUI while a test runs."""

    def __init__(self, pane: CirclePane) -> None:
        self.names: list[str] = []
        self.messages: list[object] = []
        self.sends: list[str] = []
        pane.bridge.engineEvent.connect(self._event)
        pane.composer.sendRequested.connect(self.sends.append)

    def _event(self, event: EngineEvent) -> None:
        self.names.append(event.name)
        if isinstance(event, MessageArrived):
            self.messages.append(event.message)


@pytest.fixture
def circle(
    qtbot: QtBot, start_session: StartSession, profile: Path
) -> tuple[MainWindow, CirclePane]:
    window = start_session(profile).wait_online_after_unlock()
    create_circle(qtbot, window, "Tuesday circle", "Ash")
    pane = window.current_pane()
    assert pane is not None
    qtbot.waitUntil(lambda: pane.loaded and pane.info is not None, timeout=WAIT_MS)
    return window, pane


def history(qtbot: QtBot, pane: CirclePane) -> list[MessageView]:
    return list(
        resolve(qtbot, pane.bridge.request(History(circle=pane.circle_id, limit=100))).messages
    )


def wait_checked(qtbot: QtBot, pane: CirclePane) -> None:
    """Until the debounced check of the draft has run."""
    qtbot.waitUntil(lambda: not pane.composer.crisis_check.pending, timeout=CHECK_WAIT_MS)


def focusable_after(widget: QWidget) -> QWidget:
    """The next widget Tab reaches from `widget` (focusable and shown)."""
    candidate = widget.nextInFocusChain()
    for _ in range(200):
        assert candidate is not None, "the focus chain ends"
        if candidate.focusPolicy() & Qt.FocusPolicy.TabFocus and candidate.isVisible():
            return candidate
        candidate = candidate.nextInFocusChain()
    raise AssertionError("nothing focusable after the widget")


def test_a_listed_phrase_shows_the_prompt_and_dismissing_sends_nothing(
    qtbot: QtBot, circle: tuple[MainWindow, CirclePane], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, pane = circle
    composer, prompt = pane.composer, pane.composer.crisis_prompt
    before = history(qtbot, pane)
    recorder = Recorder(pane)

    qtbot.keyClicks(composer.edit, HARMLESS)
    wait_checked(qtbot, pane)
    assert prompt.isHidden()

    composer.edit.clear()
    qtbot.keyClicks(composer.edit, PHRASE)
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    assert prompt.text_label.text() == crisis.crisis_prompt_text()
    assert prompt.accessibleName() == crisis.crisis_prompt_name()
    assert prompt.resources_button.text() == crisis.crisis_prompt_resources()
    assert prompt.facilitator_button.text() == crisis.crisis_prompt_facilitator()
    assert prompt.dismiss_button.accessibleName() == crisis.crisis_prompt_dismiss_name()
    assert all(button.accessibleDescription() for button in prompt.buttons())
    # the prompt is not a dialog and takes no focus from the typing
    assert not prompt.isWindow()
    focused = QApplication.focusWidget()
    assert focused is None or not prompt.isAncestorOf(focused)
    # keyboard: the prompt's buttons come right after the text box, then Send
    shown = [button for button in prompt.buttons() if button.isVisible()]
    assert focusable_after(composer.edit) is shown[0]
    assert focusable_after(shown[-1]) is composer.send_button
    # sending stays possible: nothing holds it back
    assert composer.send_button.isEnabled() and composer.can_send()

    click(prompt.dismiss_button)
    assert prompt.isHidden()
    qtbot.keyClicks(composer.edit, ". I mean it, I want to die")
    wait_checked(qtbot, pane)
    assert prompt.isHidden()  # dismissed for this draft, however it changes

    # nothing was sent, stored or told to anyone
    assert composer.edit.toPlainText().startswith(PHRASE)
    assert recorder.sends == []
    assert recorder.messages == []
    assert "message" not in recorder.names
    assert pane.model.messages() == []
    assert history(qtbot, pane) == before
    # and nothing about the draft reached the log
    assert "want to die" not in caplog.text.casefold()


def test_sending_is_never_held_back_and_a_new_draft_may_prompt_again(
    qtbot: QtBot, circle: tuple[MainWindow, CirclePane]
) -> None:
    _, pane = circle
    composer, prompt = pane.composer, pane.composer.crisis_prompt

    # sent straight away, before the check has even run
    qtbot.keyClicks(composer.edit, "I can't go on")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.model.messages()) == 1, timeout=WAIT_MS)
    assert [m.text for m in pane.model.messages()] == ["I can't go on"]

    qtbot.keyClicks(composer.edit, "there is no way out")
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    click(prompt.dismiss_button)
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.model.messages()) == 2, timeout=WAIT_MS)
    assert prompt.isHidden()

    # the draft was sent: a new one that matches prompts again
    qtbot.keyClicks(composer.edit, "I keep hurting myself")
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    # sending keeps the offer on screen; a new harmless draft puts it away
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.model.messages()) == 3, timeout=WAIT_MS)
    assert prompt.isVisible()
    qtbot.keyClicks(composer.edit, "thank you all")
    wait_checked(qtbot, pane)
    assert prompt.isHidden()


def test_escape_in_the_prompt_dismisses_it_and_returns_to_the_draft(
    qtbot: QtBot, circle: tuple[MainWindow, CirclePane]
) -> None:
    window, pane = circle
    window.activateWindow()
    composer, prompt = pane.composer, pane.composer.crisis_prompt
    qtbot.keyClicks(composer.edit, PHRASE)
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    prompt.resources_button.setFocus()
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert prompt.isHidden()
    assert composer.crisis_check.dismissed


def test_tell_a_facilitator_opens_the_care_dialog_about_oneself(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    _, bee, circle_id = two_members
    pane = bee.current_pane()
    assert pane is not None and pane.circle_id == circle_id
    prompt = pane.composer.crisis_prompt
    qtbot.keyClicks(pane.composer.edit, "I'm a burden to everyone")
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    # Ash leads the circle: someone can hear Bee
    assert prompt.facilitator_button.isVisible()
    assert pane.info is not None

    click(prompt.facilitator_button)
    dialog = bee.active_dialog
    assert isinstance(dialog, CareFlagDialog)
    assert dialog.member == pane.info.my_id
    assert dialog.member_name == "Bee"
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.reject()
    # opening the dialog sent nothing; the draft is still there
    assert pane.composer.edit.toPlainText() == "I'm a burden to everyone"
    assert pane.model.messages() == []


def test_the_only_facilitator_is_not_offered_to_tell_a_facilitator(
    qtbot: QtBot, circle: tuple[MainWindow, CirclePane]
) -> None:
    _, pane = circle  # Ash founded the circle alone: no one else could hear a care flag
    prompt = pane.composer.crisis_prompt
    qtbot.waitUntil(lambda: bool(pane.controller.members), timeout=WAIT_MS)
    qtbot.keyClicks(pane.composer.edit, "I'm a burden to everyone")
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    assert prompt.resources_button.isVisible() and prompt.dismiss_button.isVisible()
    assert not prompt.facilitator_button.isVisible()
    # and Tab goes from the text box through the shown buttons only, then to Send
    assert focusable_after(pane.composer.edit) is prompt.resources_button
    assert focusable_after(prompt.resources_button) is prompt.dismiss_button
    assert focusable_after(prompt.dismiss_button) is pane.composer.send_button


def test_see_crisis_resources_opens_the_crisis_help(
    qtbot: QtBot, circle: tuple[MainWindow, CirclePane]
) -> None:
    window, pane = circle
    prompt = pane.composer.crisis_prompt
    qtbot.keyClicks(pane.composer.edit, PHRASE)
    qtbot.waitUntil(prompt.isVisible, timeout=CHECK_WAIT_MS)
    click(prompt.resources_button)
    dialog = window.crisis_help  # the app's one help window, not a window-modal dialog
    assert isinstance(dialog, CrisisHelpDialog) and dialog.isVisible()
    assert window.active_dialog is None
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.reject()
    assert pane.model.messages() == []
