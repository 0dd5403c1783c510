"""Joining through the widgets on real engines on 127.0.0.1: the guidelines come before
joining, join approval (waiting, a facilitator's panel, approve, decline, cancel), the
guidelines pinned in the circle and following its settings, and the invite manager."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import Circles, Join, Members
from peerapp.core.api.contract import Command, Result
from peerapp.core.api.joins import JoinsWaiting
from peerapp.core.api.moderation import Invites, SetSettings
from peerapp.core.errors import CommandError
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.dialogs.invite import InviteDialog
from peerapp.ui.dialogs.invite_manager import InviteManagerDialog
from peerapp.ui.dialogs.join_circle import JoinCircleDialog, Step
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import common, invites, joins
from peerapp.ui.waiting_joins import WaitingRow
from tests.binding import bound
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    JOIN_WAIT_MS,
    agree_and_join,
    copy_invite,
    create_circle,
    join_by_pasting,
    pane_of,
    read_guidelines,
    wait_answer,
    wait_showing,
)
from tests.gui.helpers import WAIT_MS, StartSession, click, resolve

R = TypeVar("R", bound=Result)

GUIDELINES = "Listen first.\nWhat is shared here stays here.\nNo advice unless asked."


@dataclass
class Founded:
    ash: MainWindow
    bee: MainWindow
    circle: str


@pytest.fixture
def founded(
    qtbot: QtBot, start_session: StartSession, profile: Path, second_profile: Path
) -> Founded:
    """Ash has started a circle with guidelines; Bee, on another engine, has none yet."""
    ash = start_session(profile).wait_online_after_unlock()
    bee = start_session(second_profile).wait_online_after_unlock()
    circle = create_circle(qtbot, ash, "Tuesday circle", "Ash", guidelines=GUIDELINES)
    return Founded(ash, bee, circle)


def settle(qtbot: QtBot, window: MainWindow, command: Command[R]) -> R:
    """Run an engine command of `window` directly (for what other screens do)."""
    return resolve(qtbot, window.bridge.request(command))


def members_of(qtbot: QtBot, window: MainWindow, circle: str) -> list[str]:
    result = settle(qtbot, window, Members(circle=circle))
    return [member.name for member in result.members]


def test_the_guidelines_come_before_joining_and_stay_pinned(qtbot: QtBot, founded: Founded) -> None:
    ash, bee, circle = founded.ash, founded.bee, founded.circle
    ash_pane = pane_of(ash, circle)
    qtbot.waitUntil(ash_pane.guidelines.isVisible, timeout=WAIT_MS)
    assert ash_pane.guidelines.preview.text() == "Listen first."

    copy_invite(qtbot, ash)
    dialog = read_guidelines(qtbot, bee, "Bee")
    assert dialog.circle_name_label.text() == "Tuesday circle"
    assert dialog.member_count_label.text() == "1 member"
    assert dialog.guidelines_view.toPlainText() == GUIDELINES
    assert dialog.approval_note.isHidden()
    assert dialog.primary_button.text() == joins.agree_and_join()
    # reading is not joining: neither side has a new member
    assert settle(qtbot, bee, Circles()).circles == ()
    assert bee.circle_list.count() == 0
    assert members_of(qtbot, ash, circle) == ["Ash"]

    click(dialog.secondary_button)  # Back: the code is still there
    assert dialog.step is Step.CODE and dialog.code().startswith("hearth:")
    click(dialog.primary_button)  # Continue, again
    assert wait_answer(qtbot, dialog, lambda: dialog.step is Step.PREVIEW) is None
    assert members_of(qtbot, ash, circle) == ["Ash"]

    agree_and_join(qtbot, dialog)
    assert dialog.result_circle() == circle
    pane = wait_showing(qtbot, bee, circle)
    qtbot.waitUntil(pane.guidelines.isVisible, timeout=WAIT_MS)
    assert pane.guidelines.preview.text() == "Listen first."
    click(pane.guidelines.toggle_button)
    assert pane.guidelines.text.text() == GUIDELINES
    qtbot.waitUntil(lambda: "Bee" in members_of(qtbot, ash, circle), timeout=DELIVERY_WAIT_MS)

    # a facilitator changes them: both panes follow, Bee's stays open
    settle(qtbot, ash, SetSettings(circle=circle, guidelines="Be gentle with each other."))
    for shown in (ash_pane, pane):
        qtbot.waitUntil(
            bound(shown, lambda p: p.guidelines.guidelines == "Be gentle with each other."),
            timeout=DELIVERY_WAIT_MS,
        )
    assert pane.guidelines.is_open
    assert pane.guidelines.text.text() == "Be gentle with each other."


def ask_to_join(qtbot: QtBot, founded: Founded, keep_dialog_open: bool = False) -> None:
    """Ash turns join approval on and invites (20 uses by default now); Bee reads the
    guidelines, is told a facilitator reviews, agrees and waits."""
    ash, bee, circle = founded.ash, founded.bee, founded.circle
    settle(qtbot, ash, SetSettings(circle=circle, join_approval=True))
    ash_pane = pane_of(ash, circle)
    qtbot.waitUntil(
        lambda: ash_pane.info is not None and ash_pane.info.join_approval, timeout=WAIT_MS
    )

    click(ash_pane.header.invite_button)
    invite = ash.active_dialog
    assert isinstance(invite, InviteDialog)
    assert invite.uses_box.currentText() == "20 times"
    assert invite.approval_note.isVisible()
    click(invite.primary_button)
    qtbot.waitUntil(lambda: invite.code is not None, timeout=WAIT_MS)
    click(invite.result_view.copy_button)
    with qtbot.waitSignal(invite.finished, timeout=WAIT_MS):
        click(invite.primary_button)

    dialog = read_guidelines(qtbot, bee, "Bee")
    assert dialog.approval_note.isVisible()
    assert dialog.approval_note.text() == joins.approval_note()
    agree_and_join(qtbot, dialog)
    assert dialog.step is Step.WAITING
    assert dialog.result_circle() is None and dialog.waiting_circle() == circle
    assert dialog.heading_label.text() == joins.waiting_heading()
    if not keep_dialog_open:
        with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
            click(dialog.primary_button)  # Close: the request stays open
        row = waiting_row(qtbot, bee, circle)
        assert row.name_label.text() == "Tuesday circle"
        assert row.state_label.text() == joins.waiting_for_approval()
        assert row.button.text() == joins.cancel_request()
    assert bee.circle_list.count() == 0


def waiting_row(qtbot: QtBot, window: MainWindow, circle: str) -> WaitingRow:
    qtbot.waitUntil(lambda: window.waiting_joins.row_for(circle) is not None, timeout=WAIT_MS)
    row = window.waiting_joins.row_for(circle)
    assert row is not None and window.waiting_joins.isVisible()
    return row


def open_requests(qtbot: QtBot, pane: CirclePane, count: int) -> None:
    """Wait for "n waiting to join" in the header and open the panel."""
    button = pane.header.join_requests_button
    text = joins.waiting_to_join(count)
    qtbot.waitUntil(lambda: button.isVisible() and button.text() == text, timeout=JOIN_WAIT_MS)
    if not button.isChecked():
        click(button)
    assert pane.join_requests.isVisible()
    qtbot.waitUntil(lambda: len(pane.join_requests.rows) == count, timeout=WAIT_MS)


def test_a_facilitator_approves_and_the_circle_opens(qtbot: QtBot, founded: Founded) -> None:
    ash, bee, circle = founded.ash, founded.bee, founded.circle
    ask_to_join(qtbot, founded)
    ash_pane = pane_of(ash, circle)
    open_requests(qtbot, ash_pane, 1)
    (row,) = ash_pane.join_requests.rows
    assert row.name_label.text() == "Bee"
    assert row.when_label.text() == "asked just now"
    click(row.approve_button)

    # the waiting engine asks again on its own schedule (every few seconds)
    qtbot.waitUntil(lambda: bee.circle_list.current_id() == circle, timeout=JOIN_WAIT_MS)
    pane = wait_showing(qtbot, bee, circle)  # nothing else was open: it opens
    assert pane.header.title.text() == "Tuesday circle"
    qtbot.waitUntil(bee.waiting_joins.isHidden, timeout=WAIT_MS)
    qtbot.waitUntil(ash_pane.header.join_requests_button.isHidden, timeout=WAIT_MS)
    assert ash_pane.join_requests.isHidden()
    qtbot.waitUntil(
        lambda: [m.name for m in ash_pane.member_panel.members] == ["Ash", "Bee"],
        timeout=DELIVERY_WAIT_MS,
    )
    qtbot.waitUntil(pane.guidelines.isVisible, timeout=WAIT_MS)


def test_a_declined_request_is_told_kindly(qtbot: QtBot, founded: Founded) -> None:
    ash, bee, circle = founded.ash, founded.bee, founded.circle
    ask_to_join(qtbot, founded)
    ash_pane = pane_of(ash, circle)
    open_requests(qtbot, ash_pane, 1)
    click(ash_pane.join_requests.rows[0].decline_button)

    text = joins.join_declined("Tuesday circle")

    def told() -> bool:
        shown = bee.waiting_joins.row_for(circle)
        return shown is not None and shown.state_label.text() == text

    qtbot.waitUntil(told, timeout=JOIN_WAIT_MS)
    row = waiting_row(qtbot, bee, circle)
    assert text == "The facilitators of Tuesday circle did not approve this request."
    assert row.button.text() == common.dismiss()
    qtbot.waitUntil(ash_pane.header.join_requests_button.isHidden, timeout=WAIT_MS)
    assert members_of(qtbot, ash, circle) == ["Ash"]
    assert bee.circle_list.count() == 0

    click(row.button)  # Dismiss
    assert bee.waiting_joins.isHidden()


def test_the_join_dialog_left_open_hears_the_answer(qtbot: QtBot, founded: Founded) -> None:
    ash, bee, circle = founded.ash, founded.bee, founded.circle
    ask_to_join(qtbot, founded, keep_dialog_open=True)
    dialog = bee.active_dialog
    assert isinstance(dialog, JoinCircleDialog)
    ash_pane = pane_of(ash, circle)
    open_requests(qtbot, ash_pane, 1)
    click(ash_pane.join_requests.rows[0].decline_button)

    qtbot.waitUntil(lambda: dialog.step is Step.DECLINED, timeout=JOIN_WAIT_MS)
    assert dialog.explanation_label.text() == joins.join_declined("Tuesday circle")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(dialog.primary_button)
    assert bee.waiting_joins.row_for(circle) is None  # already told, not twice


def test_a_request_can_be_cancelled(qtbot: QtBot, founded: Founded) -> None:
    bee, circle = founded.bee, founded.circle
    ask_to_join(qtbot, founded)
    row = waiting_row(qtbot, bee, circle)
    click(row.button)  # Cancel request
    qtbot.waitUntil(bee.waiting_joins.isHidden, timeout=WAIT_MS)
    assert settle(qtbot, bee, JoinsWaiting()).joins == ()


def test_the_invite_manager_lists_and_revokes(qtbot: QtBot, founded: Founded) -> None:
    ash, bee, circle = founded.ash, founded.bee, founded.circle
    pane = pane_of(ash, circle)
    click(pane.header.invite_button)
    invite = ash.active_dialog
    assert isinstance(invite, InviteDialog)
    assert invite.uses_box.currentText() == "Once"  # no approval: one person per code
    click(invite.primary_button)
    qtbot.waitUntil(lambda: invite.code is not None, timeout=WAIT_MS)
    code = invite.code
    assert code is not None

    click(invite.manage_button)  # from the invite dialog to the list of codes
    manager = ash.active_dialog
    assert isinstance(manager, InviteManagerDialog)
    assert not invite.isVisible()
    qtbot.waitUntil(lambda: len(manager.rows) == 1, timeout=WAIT_MS)
    (row,) = manager.rows
    assert row.made_by.text() == "Made by you"
    assert row.details.text() == "Used 0 of 1 · expires in 7 days"
    assert row.copy_button.isVisible() and row.revoke_button.isVisible()
    click(row.copy_button)
    assert QGuiApplication.clipboard().text() == code

    click(row.revoke_button)  # asks first
    assert manager.confirm.isVisible()
    assert manager.confirm_label.text() == invites.confirm_revoke("Ash", True)
    click(manager.keep_button)
    assert manager.confirm.isHidden()
    assert settle(qtbot, ash, Invites(circle=circle)).invites[0].revoked is False
    click(row.revoke_button)
    click(manager.confirm_button)
    # the engine lists the codes still usable: the revoked one goes, and the dialog says so
    qtbot.waitUntil(lambda: manager.rows == [] and manager.loaded, timeout=WAIT_MS)
    assert manager.revoked_label.isVisible()
    assert manager.status_label.text() == invites.no_invites()
    assert manager.confirm.isHidden() and not manager.error_label.isVisible()
    assert settle(qtbot, ash, Invites(circle=circle)).invites == ()
    with qtbot.waitSignal(manager.finished, timeout=WAIT_MS):
        click(manager.primary_button)

    # the circle menu opens the same list
    ash.manage_invites_action.trigger()
    again = ash.active_dialog
    assert isinstance(again, InviteManagerDialog)
    qtbot.waitUntil(lambda: again.loaded, timeout=WAIT_MS)
    assert again.rows == [] and again.status_label.text() == invites.no_invites()
    with qtbot.waitSignal(again.finished, timeout=WAIT_MS):
        click(again.primary_button)

    # a later join with the revoked code is refused, in the engine's words
    dialog = join_by_pasting(qtbot, bee, "Bee")
    refusal = wait_answer(qtbot, dialog, lambda: dialog.step is Step.PREVIEW)
    if refusal is None:  # the invite could be read; the member refuses the join itself
        click(dialog.primary_button)
        refusal = wait_answer(qtbot, dialog, lambda: dialog.result_data is not None)
    assert refusal is not None
    assert dialog.result_circle() is None and bee.circle_list.count() == 0
    with pytest.raises(CommandError) as engine_says:
        resolve(qtbot, bee.bridge.request(Join(code=code, name="Bee")), timeout=JOIN_WAIT_MS)
    assert refusal == engine_says.value.message
    assert members_of(qtbot, ash, circle) == ["Ash"]
