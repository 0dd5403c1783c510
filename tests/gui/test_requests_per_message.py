"""What one chat message costs in engine requests (issue 13): the sender's window and the
receiver's, each with the circle open, on two real engines on 127.0.0.1.

Each window's `EngineBridge.request` is wrapped to record the commands it sends; the
periodic sync-status question of an open pane (every few seconds, whatever happens) is
recorded apart. The counts are printed; the target is asserted: the sender sends its
message and nothing else, the receiver shows it from the event alone. Then what the
finer events change in the widgets that show them (the unread badge, delivery states)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from peerapp.core.api.circles import Members
from peerapp.core.api.messages import SendMessage
from peerapp.core.api.moderation import SetSettings
from peerapp.core.api.safety import Flag, RestoreMessage
from peerapp.core.events import CircleView, MessageView
from peerapp.ui.circle_pane import CirclePane
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import conversation
from peerapp.ui.widgets.circle_list import CircleList, entries_from
from peerapp.ui.widgets.message_model import MessageModel
from tests.gui.circle_steps import (
    DELIVERY_WAIT_MS,
    copy_invite,
    join_circle,
    pane_of,
    send_by_typing,
    wait_for_text,
)
from tests.gui.helpers import StartSession
from tests.gui.request_recorder import Recorder


def test_one_message_costs_the_sender_one_request_and_the_receiver_none(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    assert ash.current_pane() is pane_of(ash, circle)
    assert bee.current_pane() is pane_of(bee, circle)
    # the receiver's window is not the active one (offscreen, none is): a message seen in
    # the active window costs one mark_read more, the point of having seen it
    assert not bee.isActiveWindow()
    sender, receiver = Recorder(ash.bridge), Recorder(bee.bridge)
    for recorder in (sender, receiver):
        recorder.quiet_round(qtbot)  # what joining set going has settled
        recorder.recording = True

    send_by_typing(qtbot, ash, "Thinking of you all tonight.")
    arrived = wait_for_text(qtbot, bee, circle, "Thinking of you all tonight.")
    assert not arrived.mine
    for recorder in (sender, receiver, sender, receiver):
        recorder.quiet_round(qtbot)
    print(
        f"\nrequests for one message: sender {sum(sender.sent.values())} {dict(sender.sent)}, "
        f"receiver {sum(receiver.sent.values())} {dict(receiver.sent)} "
        f"(periodic sync_status apart: {sender.periodic}, {receiver.periodic})"
    )
    assert sender.sent == Counter({SendMessage.__name__: 1})
    assert receiver.sent == Counter()
    # what the result and the events alone showed: the message in the sender's list, and
    # the receiver's unread badge
    assert [m.text for m in pane_of(ash, circle).model.messages()] == [arrived.text]
    assert bee.circle_list.unread(circle) == 1


# -- a change to what is shown costs no request beyond its event -------------------------


def _settle(qtbot: QtBot, recorders: tuple[Recorder, ...]) -> None:
    for recorder in recorders + recorders:
        recorder.quiet_round(qtbot)


NAMES = ["Ash", "Bee", "Cee"]


def _wait_until(qtbot: QtBot, condition: Callable[[], bool]) -> None:
    qtbot.waitUntil(condition, timeout=DELIVERY_WAIT_MS)


def _wait_hidden(qtbot: QtBot, pane: CirclePane, message_id: str, hidden: bool) -> None:
    def looks() -> bool:
        message = pane.model.message(message_id)
        return message is not None and message.hidden is hidden

    _wait_until(qtbot, looks)


def _wait_guidelines(qtbot: QtBot, pane: CirclePane, text: str) -> None:
    _wait_until(qtbot, lambda: pane.info is not None and pane.info.guidelines == text)


def _wait_members(qtbot: QtBot, window: MainWindow, circle: str) -> None:
    pane = pane_of(window, circle)
    _wait_until(qtbot, lambda: [m.name for m in pane.member_panel.members] == NAMES)
    _wait_until(qtbot, lambda: window.circle_list.members(circle) == len(NAMES))


def _counts(what: str, ash: Recorder, bee: Recorder) -> str:
    return (
        f"\nrequests for {what}: Ash (founder) {sum(ash.sent.values())} {dict(ash.sent)}, "
        f"Bee {sum(bee.sent.values())} {dict(bee.sent)}"
    )


def test_a_review_hide_and_restore_cost_the_windows_no_request_beyond_the_event(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    """Ash hides Bee's message with one harm flag, then restores it. Bee (the author, a
    member) reads nothing: its row changes from `message_changed`. Ash, a facilitator,
    reads nothing either: its to-review count (the header's badge and the circle list's
    care badge) comes with the circle's row (`circle_changed`, issue 14); it read `flags`
    once for each turn before."""
    ash, bee, circle = two_members
    founder, member = Recorder(ash.bridge), Recorder(bee.bridge)
    founder.unrecorded(qtbot, SetSettings(circle=circle, harm_flags_to_hide=1, flag_after_hours=0))
    send_by_typing(qtbot, bee, "It was a hard night.")
    message = wait_for_text(qtbot, ash, circle, "It was a hard night.")
    panes = [pane_of(ash, circle), pane_of(bee, circle)]
    _settle(qtbot, (founder, member))

    for command, hidden in (
        (Flag(circle=circle, kind="harm", message=message.id), True),
        (RestoreMessage(circle=circle, message=message.id), False),
    ):
        founder.sent.clear()
        member.sent.clear()
        founder.recording = member.recording = True
        reloads = [pane.reloads for pane in panes]
        founder.unrecorded(qtbot, command)
        for pane in panes:
            _wait_hidden(qtbot, pane, message.id, hidden)
        waiting = int(hidden)
        qtbot.waitUntil(lambda: ash.circle_list.care(circle) == waiting)  # noqa: B023
        assert panes[0].care.review_count == waiting  # the header reads the same row
        _settle(qtbot, (founder, member))
        founder.recording = member.recording = False
        print(_counts("hiding" if hidden else "restoring", founder, member))
        assert member.sent == Counter()
        assert founder.sent == Counter()
        assert [pane.reloads for pane in panes] == reloads  # the rows alone changed
    seen = pane_of(bee, circle).model.message(message.id)
    assert seen is not None and seen.restored and seen.mine


def test_a_settings_change_costs_the_windows_no_request_beyond_the_event(
    qtbot: QtBot, two_members: tuple[MainWindow, MainWindow, str]
) -> None:
    ash, bee, circle = two_members
    founder, member = Recorder(ash.bridge), Recorder(bee.bridge)
    _settle(qtbot, (founder, member))
    founder.recording = member.recording = True
    founder.unrecorded(qtbot, SetSettings(circle=circle, guidelines="Listen first."))
    for window in (ash, bee):
        _wait_guidelines(qtbot, pane_of(window, circle), "Listen first.")
    _settle(qtbot, (founder, member))
    print(_counts("a settings change", founder, member))
    assert founder.sent == Counter()
    assert member.sent == Counter()


def test_a_member_joining_costs_the_windows_no_request_beyond_the_events(
    qtbot: QtBot,
    start_session: StartSession,
    two_members: tuple[MainWindow, MainWindow, str],
    third_profile: Path,
) -> None:
    """Cee joins with Ash's invite: Ash (who admits it) and Bee show the third member,
    the circle's count and the settings from the events. A connection that opens asks
    for the members again (their online states: `peer_connected` carries no view), so
    `members` is the one request either may make; nothing else is read."""
    ash, bee, circle = two_members
    cee = start_session(third_profile).wait_online_after_unlock()
    copy_invite(qtbot, ash)
    founder, member = Recorder(ash.bridge), Recorder(bee.bridge)
    _settle(qtbot, (founder, member))
    founder.recording = member.recording = True
    assert join_circle(qtbot, cee, "Cee") == circle
    for window in (ash, bee):
        _wait_members(qtbot, window, circle)
    _settle(qtbot, (founder, member))
    print(_counts("a member joining", founder, member))
    assert set(founder.sent) <= {Members.__name__}
    assert set(member.sent) <= {Members.__name__}


# -- what the finer events change, widget by widget -------------------------------------


@pytest.mark.usefixtures("hearth_app")
def test_unread_changed_moves_one_badge_and_a_quiet_circle_stays_silent() -> None:
    circles = CircleList()
    circles.set_circles(
        entries_from(
            [
                CircleView(id="c1", name="Tuesday", members=2, unread=0),
                CircleView(id="c2", name="Walkers", members=2, unread=1, quiet=True),
            ]
        )
    )
    circles.set_unread("c1", 4)
    circles.set_unread("c2", 5)
    circles.set_unread("gone", 9)  # a circle no longer listed: nothing to move
    assert (circles.unread("c1"), circles.badge("c1")) == (4, 4)
    assert (circles.unread("c2"), circles.badge("c2")) == (5, 0)
    assert circles.total_unread() == 4
    assert circles.ids() == ["c1", "c2"]
    spoken = circles.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Tuesday, {conversation.unread_count(4)}"


@pytest.mark.usefixtures("hearth_app")
def test_delivery_changed_sets_how_many_hold_each_own_message_only() -> None:
    model = MessageModel()
    model.set_others(2)
    mine = MessageView(id="m1", author="a", author_name="Ash", text="hi", ts=1, mine=True)
    theirs = MessageView(id="t1", author="b", author_name="Bee", text="yo", ts=2, mine=False)
    model.append([mine, theirs])
    assert model.set_held_by({"m1": 2, "t1": 2, "unknown": 1}) == 1
    assert model.set_held_by({"m1": 2}) == 0  # unchanged: no row touched
    assert [m.held_by for m in model.messages()] == [2, 0]
    assert not model.awaiting_delivery()


@pytest.mark.usefixtures("hearth_app")
def test_message_changed_replaces_that_row_alone() -> None:
    model = MessageModel()
    model.set_reviewer(True)
    theirs = MessageView(id="t1", author="b", author_name="Bee", text="rough", ts=1, mine=False)
    other = MessageView(id="t2", author="b", author_name="Bee", text="later", ts=2, mine=False)
    model.append([theirs, other])
    changed_rows: list[int] = []
    model.dataChanged.connect(lambda first, _last: changed_rows.append(first.row()))
    hidden = dataclasses.replace(theirs, hidden=True, harm_flags=2)
    assert model.message_changed(hidden)
    assert model.message_changed(hidden) is False  # the same view again: nothing moves
    assert model.message_changed(dataclasses.replace(hidden, id="gone")) is False
    assert model.messages()[0].hidden and model.messages()[0].harm_flags == 2
    assert model.messages()[1] == other
    assert set(changed_rows) == {model.row_of("t1")}
    erased = dataclasses.replace(theirs, text="", deleted="facilitator")
    assert model.message_changed(erased)
    assert model.messages()[0].text == "" and model.messages()[0].deleted == "facilitator"


@pytest.mark.usefixtures("hearth_app")
def test_circle_changed_moves_one_row_of_the_list() -> None:
    circles = CircleList()
    circles.set_circles(
        entries_from(
            [
                CircleView(id="c1", name="Tuesday", members=2, unread=1),
                CircleView(id="c2", name="Walkers", members=4, unread=0),
            ]
        )
    )
    (grown,) = entries_from([CircleView(id="c1", name="Tuesday", members=3, unread=1)])
    assert circles.set_circle(grown)
    (unlisted,) = entries_from([CircleView(id="c9", name="Gone", members=1, unread=0)])
    assert not circles.set_circle(unlisted)  # the list itself comes with circles_changed
    assert [circles.members(c) for c in circles.ids()] == [3, 4]
    assert circles.ids() == ["c1", "c2"] and circles.unread("c1") == 1
