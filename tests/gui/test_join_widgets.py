"""The widgets of joining with approval, invite codes and guidelines, without engines: what
they make of the engine's answers and what they show (the flows with real engines are in
test_join_approval.py)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import Join, Joined
from peerapp.core.api.contract import Command
from peerapp.core.api.joins import InvitePreview as PreviewResult
from peerapp.core.api.joins import JoinRequestView, PreviewInvite, WaitingJoinList, WaitingJoinView
from peerapp.core.api.moderation import InviteView
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.ui.dialogs.invite_manager import InviteRow, invites_from
from peerapp.ui.dialogs.join_circle import JoinCircleDialog, Step, invite_preview_from
from peerapp.ui.text import circles, common, conversation, invites
from peerapp.ui.text import joins as joins_text
from peerapp.ui.waiting_joins import WaitingJoin, waiting_joins_from
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.guidelines_strip import GuidelinesStrip
from peerapp.ui.widgets.join_requests import JoinRequestsPanel, oldest_first
from tests.gui.helpers import WAIT_MS, StartSession, click, type_into

NOW_MS = 1_763_712_000_000


def step_of(dialog: JoinCircleDialog) -> Step:
    """The dialog's step now: a call, because mypy keeps `dialog.step` narrowed by an
    earlier assert across the answers that change it."""
    return dialog.step


def test_engine_answers_are_read_leniently() -> None:
    # the circle's words come from one of its members: blank ones still read sensibly
    preview = invite_preview_from(
        PreviewResult(circle="ab", name=" ", guidelines=" ", join_approval=False, members=0)
    )
    assert (preview.name, preview.guidelines, preview.members) == (circles.unnamed_circle(), "", 1)

    waiting = (WaitingJoinView("ab", "T", NOW_MS), WaitingJoinView("cd", "", NOW_MS))
    assert waiting_joins_from(WaitingJoinList(joins=waiting)) == [
        WaitingJoin("ab", "T"),
        WaitingJoin("cd", circles.unnamed_circle()),
    ]
    assert waiting_joins_from(WaitingJoinList(joins=())) == []

    requests = oldest_first(
        [
            JoinRequestView("late", "Cy", NOW_MS),
            JoinRequestView("early", "Bee", NOW_MS - 120_000),
        ]
    )
    assert requests == [
        JoinRequestView("early", "Bee", NOW_MS - 120_000),
        JoinRequestView("late", "Cy", NOW_MS),
    ]


def _invites(rows: list[dict[str, Any]]) -> list[InviteView]:
    """Invite views from the fields a test names (the others: nobody's, unused, active)."""
    unnamed: dict[str, Any] = {
        "code": None,
        "uses": 0,
        "max_uses": 1,
        "revoked": False,
        "created_by": "",
        "created_by_name": "",
        "mine": False,
    }
    return [InviteView(**(unnamed | row)) for row in rows]


def test_invites_list_usable_codes_first() -> None:
    now = time.time()
    rows: list[dict[str, Any]] = [
        {
            "id": "revoked",
            "code": None,
            "uses": 0,
            "max_uses": 1,
            "expires": int(now) + 900,
            "revoked": True,
            "created_by_name": "Ash",
            "mine": False,
        },
        {
            "id": "later",
            "code": "hearth:b",
            "uses": 1,
            "max_uses": 5,
            "expires": int(now) + 3 * 86400 + 60,
            "revoked": False,
            "created_by_name": "Bee",
            "mine": True,
        },
        {
            "id": "soon",
            "code": None,
            "uses": 0,
            "max_uses": 1,
            "expires": int(now) + 7200,
            "revoked": False,
            "created_by_name": "Ash",
            "mine": False,
        },
        {
            "id": "spent",
            "code": "hearth:c",
            "uses": 2,
            "max_uses": 2,
            "expires": int(now) + 7200,
            "revoked": False,
            "created_by_name": "Bee",
            "mine": True,
        },
        {"id": "old", "uses": 0, "max_uses": 1, "expires": int(now) - 10, "revoked": False},
    ]
    entries = invites_from(_invites(rows), now)
    assert [e.id for e in entries] == ["soon", "later", "old", "revoked", "spent"]
    states = [e.state(now) for e in entries]
    assert states == [
        None,
        None,
        invites.invite_expired(),
        invites.invite_revoked(),
        invites.invite_used_up(),
    ]
    assert entries[2].created_by_name == conversation.unnamed_member()


def test_only_own_usable_codes_can_be_copied(qtbot: QtBot, hearth_app: object) -> None:
    now = time.time()
    rows: list[dict[str, Any]] = [
        {
            "id": "theirs",
            "code": None,
            "uses": 0,
            "max_uses": 1,
            "expires": int(now) + 7200,
            "revoked": False,
            "created_by_name": "Ash",
            "mine": False,
        },
        {
            "id": "mine",
            "code": "hearth:b",
            "uses": 1,
            "max_uses": 5,
            "expires": int(now) + 2 * 86400,
            "revoked": False,
            "created_by_name": "Bee",
            "mine": True,
        },
        {
            "id": "mine-revoked",
            "code": "hearth:c",
            "uses": 0,
            "max_uses": 5,
            "expires": int(now) + 2 * 86400,
            "revoked": True,
            "created_by_name": "Bee",
            "mine": True,
        },
    ]
    parent = QWidget()
    qtbot.addWidget(parent)
    shown = [InviteRow(entry, now, parent) for entry in invites_from(_invites(rows), now)]
    parent.show()
    assert [(r.entry.id, r.copy_button.isVisible()) for r in shown] == [
        ("theirs", False),
        ("mine", True),
        ("mine-revoked", False),
    ]
    assert [r.made_by.text() for r in shown] == ["Made by Ash", "Made by you", "Made by you"]
    assert [r.details.text() for r in shown] == [
        "Used 0 of 1 · expires in 2 h",
        "Used 1 of 5 · expires in 2 days",
        "Revoked · Used 0 of 5",
    ]
    click(shown[1].copy_button)
    assert QGuiApplication.clipboard().text() == "hearth:b"


def test_time_words() -> None:
    assert invites.expires_in(59) == "expires in 1 min"
    assert invites.expires_in(2 * 3600 + 5) == "expires in 2 h"
    assert invites.expires_in(86400 + 5) == "expires in 1 day"
    assert invites.expires_in(7 * 86400 - 90) == "expires in 7 days"
    assert invites.expires_in(3600 - 20) == "expires in 60 min"
    assert joins_text.asked_ago(5) == "asked just now"
    assert joins_text.asked_ago(600) == "asked 10 min ago"
    assert joins_text.waiting_to_join(2) == "2 waiting to join"
    assert joins_text.join_declined("Tuesday circle") == (
        "The facilitators of Tuesday circle did not approve this request."
    )


def test_the_guidelines_strip_folds_and_shows_plain_text(qtbot: QtBot, hearth_app: object) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    strip = GuidelinesStrip(parent)
    parent.show()
    assert strip.isHidden()  # no guidelines, no strip

    strip.set_guidelines("<b>Listen first.</b>\nNo advice unless asked.")
    assert strip.isVisible() and not strip.is_open
    assert strip.preview.text() == "<b>Listen first.</b>"
    assert strip.scroll_area.isHidden()
    assert strip.text.textFormat() == Qt.TextFormat.PlainText  # members' text, never markup

    click(strip.toggle_button)
    assert strip.is_open and strip.scroll_area.isVisible()
    assert strip.text.text() == "<b>Listen first.</b>\nNo advice unless asked."
    assert strip.toggle_button.text() == joins_text.hide_guidelines()

    strip.set_guidelines("Changed.")  # a facilitator changed them: still open
    assert strip.is_open and strip.text.text() == "Changed."
    strip.set_guidelines("   ")
    assert strip.isHidden()


def test_the_header_says_how_many_wait_and_the_panel_answers(
    qtbot: QtBot, hearth_app: object
) -> None:
    header = CircleHeader("Tuesday circle", 2)
    qtbot.addWidget(header)
    header.show()
    assert header.join_requests_button.isHidden()
    header.set_waiting_to_join(2)
    assert header.join_requests_button.isVisible()
    assert header.join_requests_button.text() == "2 waiting to join"
    header.join_requests_button.setChecked(True)
    header.set_waiting_to_join(0)
    assert header.join_requests_button.isHidden()
    assert not header.join_requests_button.isChecked()

    parent = QWidget()
    qtbot.addWidget(parent)
    panel = JoinRequestsPanel(parent)
    parent.show()
    panel.show()
    panel.set_requests([JoinRequestView("r1", "Bee", NOW_MS - 300_000)], NOW_MS)
    row = panel.row_for("r1")
    assert row is not None
    assert row.name_label.text() == "Bee" and row.when_label.text() == "asked 5 min ago"
    with qtbot.waitSignal(panel.approveRequested, timeout=WAIT_MS) as approved:
        click(row.approve_button)
    assert approved.args == ["r1"]
    panel.set_answering("r1", True)
    panel.set_requests([JoinRequestView("r1", "Bee", NOW_MS - 300_000)], NOW_MS)
    row = panel.row_for("r1")
    assert row is not None and not row.approve_button.isEnabled()  # still on its way
    with qtbot.waitSignal(panel.declineRequested, timeout=WAIT_MS) as declined:
        panel.set_answering("r1", False)
        click(row.decline_button)
    assert declined.args == ["r1"]


def test_the_join_dialog_goes_back_keeps_what_was_typed_and_waits(
    qtbot: QtBot,
    start_session: StartSession,
    profile: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The steps, with the engine's answers given by hand (the real ones: see
    test_join_approval.py)."""
    window = start_session(profile).wait_online_after_unlock()
    loop = asyncio.get_event_loop()
    previews: list[asyncio.Future[Any]] = []
    joins: list[tuple[str, str]] = []
    join_answer: asyncio.Future[Any] = loop.create_future()
    engine = window.bridge.request

    def request(command: Command[Any]) -> asyncio.Future[Any]:
        if isinstance(command, PreviewInvite):
            previews.append(loop.create_future())
            return previews[-1]
        if isinstance(command, Join):
            joins.append((command.code, command.name))
            return join_answer
        return engine(command)

    monkeypatch.setattr(window.bridge, "request", request)
    window.join_circle_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, JoinCircleDialog)
    type_into(dialog.code_edit, "hearth:abc")
    type_into(dialog.name_edit, "Sam")
    assert dialog.primary_button.text() == common.continue_label()
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=WAIT_MS)
    assert dialog.busy
    previews[0].set_result(
        PreviewResult(
            circle="c1",
            name="Tuesday circle",
            guidelines="Listen first.",
            join_approval=True,
            members=3,
        )
    )
    qtbot.waitUntil(lambda: dialog.step is Step.PREVIEW, timeout=WAIT_MS)
    assert dialog.circle_name_label.text() == "Tuesday circle"
    assert dialog.member_count_label.text() == "3 members"
    assert dialog.guidelines_view.toPlainText() == "Listen first."
    assert dialog.guidelines_view.isReadOnly()
    assert dialog.approval_note.isVisible()
    assert dialog.primary_button.text() == joins_text.agree_and_join()
    assert dialog.secondary_button.text() == common.back()
    assert joins == [] and dialog.result_circle() is None  # nothing joined by reading

    click(dialog.secondary_button)  # Back
    assert dialog.step is Step.CODE and dialog.isVisible()
    assert dialog.code() == "hearth:abc" and dialog.member_name() == "Sam"
    click(dialog.primary_button)
    qtbot.waitUntil(lambda: len(previews) == 2, timeout=WAIT_MS)
    previews[1].set_exception(CommandError(Refusal.INVITE_EXPIRED))
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=WAIT_MS)
    assert dialog.step is Step.CODE and "expired" in dialog.error_label.text()

    click(dialog.primary_button)
    qtbot.waitUntil(lambda: len(previews) == 3, timeout=WAIT_MS)
    previews[2].set_result(
        PreviewResult(
            circle="c1", name="Tuesday circle", guidelines="", join_approval=True, members=3
        )
    )
    qtbot.waitUntil(lambda: dialog.step is Step.PREVIEW, timeout=WAIT_MS)
    assert dialog.guidelines_view.toPlainText() == joins_text.no_guidelines()
    click(dialog.primary_button)  # I agree — join
    qtbot.waitUntil(lambda: joins == [("hearth:abc", "Sam")], timeout=WAIT_MS)
    join_answer.set_result(Joined(circle="c1", name="Tuesday circle", pending=True))
    qtbot.waitUntil(lambda: dialog.step is Step.WAITING, timeout=WAIT_MS)
    assert dialog.heading_label.text() == joins_text.waiting_heading()
    assert "Tuesday circle" in dialog.explanation_label.text()
    assert dialog.secondary_button.isHidden()
    assert dialog.result_circle() is None and dialog.waiting_circle() == "c1"

    assert not dialog.join_answered("another circle", approved=False)
    assert dialog.join_answered("c1", approved=False)
    assert step_of(dialog) is Step.DECLINED
    assert dialog.explanation_label.text() == joins_text.join_declined("Tuesday circle")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        click(dialog.primary_button)  # Close
    assert window.waiting_joins.joins == []  # the dialog said it: nothing left waiting
